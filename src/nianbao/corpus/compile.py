"""Regions: a units file (名称, 上级, 层级; XLSX or CSV) over a store → a region's compiled tables.

`compile_region` sums the reports of the region's direct child units for a year into the region's
tables (a draft in the contract's shape that `nianbao render` can write out), lists the child units
with no report that year, builds the units × years submission matrix for the whole subtree, and
where the region itself has a report, compares it with the sum of its children (parent = Σ children).
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass

from ..errors import NianbaoError
from ..formats import FORMATS, format_for_year
from .store import Store
from .units import normalise_unit


@dataclass
class Unit:
    name: str
    key: str
    parent: str | None       # parent's key
    level: str


def load_units(path: str) -> list[Unit]:
    """名称 / 上级 / 层级 columns (also name / parent / level)."""
    try:
        if path.lower().endswith((".xlsx", ".xlsm")):
            from openpyxl import load_workbook
            ws = load_workbook(path, read_only=True, data_only=True).active
            rows = [[("" if c is None else str(c)).strip() for c in r] for r in ws.iter_rows(values_only=True)]
        else:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = [[c.strip() for c in r] for r in csv.reader(fh)]
    except (OSError, ValueError) as e:
        raise NianbaoError("units-unreadable", f"单位文件 {path} 无法读取：{e}。", f"cannot read {path}: {e}.") from None
    if not rows:
        raise NianbaoError("units-empty", f"单位文件 {path} 是空的。", f"{path} is empty.")
    head = rows[0]
    alias = {"名称": "name", "单位": "name", "name": "name", "上级": "parent", "parent": "parent", "层级": "level",
             "level": "level"}
    idx = {alias[h]: i for i, h in enumerate(head) if h in alias}
    if "name" not in idx or "parent" not in idx:
        raise NianbaoError("units-columns", "单位文件应有列：名称、上级（可选：层级）。", "units file needs name, parent.")
    out = []
    for r in rows[1:]:
        if not any(r):
            continue
        name = r[idx["name"]]
        parent = r[idx["parent"]] if idx["parent"] < len(r) else ""
        level = r[idx["level"]] if "level" in idx and idx["level"] < len(r) else ""
        out.append(Unit(name, normalise_unit(name), normalise_unit(parent) if parent else None, level))
    return out


def _subtree(units: list[Unit], root: str) -> list[Unit]:
    children: dict[str | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent, []).append(u)
    out, todo = [], [root]
    while todo:
        k = todo.pop(0)
        for u in children.get(k, []):
            out.append(u)
            todo.append(u.key)
    return out


def compile_region(store_path: str, units: list[Unit], region: str, year: int) -> dict:
    root = normalise_unit(region)
    if not any(u.key == root for u in units) and not any(u.parent == root for u in units):
        raise NianbaoError("unknown-region", f"单位文件中没有“{region}”。", f"'{region}' is not in the units file.")
    fmt = format_for_year(year)
    if fmt is None:
        raise NianbaoError("no-format", f"{year} 年没有适用的报告格式。", f"no format for {year}.")
    subtree = _subtree(units, root)
    children = [u for u in subtree if u.parent == root]
    store = Store(store_path)
    try:
        con = store.con
        reports = con.execute("SELECT sha256, unit, year, format FROM reports").fetchall()
        by_unit_year: dict[tuple[str, int], tuple[str, str]] = {}
        for sha, unit, y, f in reports:
            if unit is not None and y is not None:
                by_unit_year.setdefault((unit, int(y)), (sha, f))
        years = sorted({int(y) for _, _, y, _ in reports if y is not None})
        matrix = {u.name: {y: (u.key, y) in by_unit_year for y in years} for u in subtree}
        included, missing, other_format = [], [], []
        sums: dict[tuple[str, str, str], float] = {}
        for u in children:
            hit = by_unit_year.get((u.key, year))
            if hit is None:
                missing.append(u.name)
                continue
            sha, f = hit
            if f != fmt.key:
                other_format.append(u.name)
            included.append(u.name)
            for t, r, c, v in con.execute("SELECT tbl, row_key, col_key, value FROM cells WHERE sha256 = ? AND "
                                          "status IN ('read', 'inferred') AND value IS NOT NULL", [sha]).fetchall():
                sums[(t, r, c)] = sums.get((t, r, c), 0) + v
        tables: dict = {}
        for t in fmt.tables:
            tables[t.key] = {r.key: {c.key: _num(sums.get((t.key, r.key, c.key), 0))
                                     for c in t.columns_of(r.key)} for r in t.cell_rows()}
        parent_check = []
        own = by_unit_year.get((root, year))
        if own is not None:
            for t, r, c, v in con.execute("SELECT tbl, row_key, col_key, value FROM cells WHERE sha256 = ? AND "
                                          "status IN ('read', 'inferred')", [own[0]]).fetchall():
                expected = sums.get((t, r, c), 0)
                if t in ("t3", "t4") and v is not None and v != expected:
                    parent_check.append({"table": t, "row": r, "col": c, "parent": _num(v), "children": _num(expected)})
    finally:
        store.close()
    return {"contract": 1, "org": region, "year": year, "format": fmt.key,
            "title": f"{region}{year}年政府信息公开工作年度报告（汇总草稿）", "preamble": "", "sections": [],
            "tables": tables, "compiled": {"included": included, "missing": missing, "other_format": other_format,
                                          "matrix": {k: {str(y): v for y, v in row.items()} for k, row in matrix.items()},
                                          "parent_check": parent_check}}


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def region_workbook(store_path: str, units: list[Unit], region: str, year: int, path: str) -> None:
    """The region's review workbook: 问题清单 (findings of the subtree's reports for the year), 报告汇总
    (one row per report, counts and pass/fail), 提交情况 (units × years)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    root = normalise_unit(region)
    subtree = _subtree(units, root)
    keys = {u.key: u.name for u in subtree}
    store = Store(store_path)
    try:
        con = store.con
        reps = [r for r in con.execute("SELECT sha256, unit, org, year, path, errors, warnings, infos FROM reports "
                                       "ORDER BY unit, year").fetchall() if r[1] in keys]
        years = sorted({r[3] for r in reps if r[3] is not None})
        have = {(r[1], r[3]) for r in reps}
        this_year = [r for r in reps if r[3] == year]
        findings = []
        for r in this_year:
            for f in con.execute("SELECT severity, code, name, tbl, row_key, col_key, message FROM findings WHERE "
                                 "sha256 = ? ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END",
                                 [r[0]]).fetchall():
                findings.append((keys[r[1]], r[3], *f, r[4]))
    finally:
        store.close()
    rank = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (rank[f[2]], f[0], f[3]))      # errors first across the whole region
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["单位", "年度", "严重程度", "代码", "名称", "表", "行", "列", "问题说明", "文件"])
    zh = {"error": "错误", "warning": "警告", "info": "提示"}
    fills = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}
    for f in findings:
        ws.append([f[0], f[1], zh[f[2]], *f[3:]])
        ws.cell(ws.max_row, 3).fill = PatternFill("solid", fgColor=fills[f[2]])
    ws2 = wb.create_sheet("报告汇总")
    ws2.append(["单位", "年度", "发布机关（原文）", "错误", "警告", "提示", "结论", "文件"])
    for r in this_year:
        ws2.append([keys[r[1]], r[3], r[2], r[5], r[6], r[7], "不通过" if r[5] else "通过", r[4]])
    ws3 = wb.create_sheet("提交情况")
    ws3.append(["单位", "层级", *[f"{y}年" for y in years]])
    for u in subtree:
        ws3.append([u.name, u.level, *["已提交" if (u.key, y) in have else "未提交" for y in years]])
        for k, y in enumerate(years):
            if (u.key, y) not in have:
                ws3.cell(ws3.max_row, 3 + k).fill = PatternFill("solid", fgColor="F8CBAD")
    for sheet in (ws, ws2, ws3):
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 24
    ws.column_dimensions["I"].width = 80
    tmp = path + ".tmp.xlsx"
    wb.save(tmp)
    os.replace(tmp, path)
