"""Regions: a units file (名称, 上级, 层级; XLSX or CSV) over a store → a region's compiled tables.

Each current report is matched to a node of the units tree (units.Tree: exact, rule or map); a report
whose name fits several units is *ambiguous* and is never summed; one that fits none but looks like a unit
of the region (临清市先锋路街道办事处 against 示例区/先锋路街道办事处) is listed as left out with that near
miss. `compile_region` sums, for a year, the one current report of each direct child unit, says for every
unit which file it summed and how it was matched, lists the reports it left out and why, the child units
with no report, two files claiming the same unit and year (the later run's, then the last path's, is
used), the units × years submission matrix for the subtree, and, where the region itself has a report,
compares it with the sum of its children (parent = Σ children). The result depends only on the store's
content and the units file — never on the order reports were written in.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass

from ..errors import NianbaoError
from ..formats import FORMATS, format_for_year
from .store import Store
from .units import AMBIGUOUS, HOW_ZH, MAP, Match, Tree, build_tree, normalise_unit


@dataclass
class Unit:
    """A row of the units file (the web app imports these too)."""
    name: str
    key: str                 # short search key (units.normalise_unit), not an identity
    parent: str | None       # parent's short key
    level: str
    parent_name: str | None = None    # the 上级 cell as written (a name, or a path a/b/c)


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
        out.append(Unit(name, normalise_unit(name), normalise_unit(parent) if parent else None, level, parent))
    return out


def load_tree(path: str) -> Tree:
    """The units file as a tree whose units are identified by their path (石门市/长安区/先锋路街道办事处)."""
    return build_tree(load_units(path))


def find_region(tree: Tree, region: str) -> str:
    hits = tree.find(region)
    if not hits:
        raise NianbaoError("unknown-region", f"单位文件中没有“{region}”。", f"'{region}' is not in the units file.")
    if len(hits) > 1:
        raise NianbaoError("ambiguous-region", f"“{region}”对应单位文件中的多个单位（{'、'.join(hits)}）；请写出完整路径，"
                           f"如 {hits[0]}。", f"'{region}' is ambiguous: {', '.join(hits)}.")
    return hits[0]


@dataclass
class Assigned:
    sha256: str
    path: str
    org: str | None
    year: int | None
    format: str | None
    run: int
    match: Match


def assign(con, tree: Tree, mapping: dict[str, str] | None = None) -> list[Assigned]:
    """Every report that is current for its path, matched to the tree; sorted so that within a unit and
    year the report to use comes first (latest run, then last path: the store's rule)."""
    rows = con.execute("""
        SELECT v.sha256, v.path, v.org, v.year, v.format, v.match, v.unit, coalesce(f.run, 0)
        FROM report_versions v
        LEFT JOIN (SELECT sha256, max(last_run) AS run FROM current_files
                   WHERE outcome IN ('report', 'duplicate') GROUP BY sha256) f USING (sha256)
        WHERE v.version = 'current' OR v.superseded_because = 'unit_year'""").fetchall()
    out = []
    for sha, path, org, year, fmt, how, unit, run in rows:
        if how == MAP and unit:
            m = tree.match_target(unit)       # the batch's units map settled it
        else:
            m = tree.match(org, mapping)
        out.append(Assigned(sha, path, org, None if year is None else int(year), fmt, run, m))
    out.sort(key=lambda a: (a.match.unit or "", a.year or 0, -a.run, _desc(a.path)))
    return out


def _desc(s: str) -> tuple:
    return tuple(-ord(ch) for ch in s) + (1,)


def by_unit_year(assigned: list[Assigned]) -> dict[tuple[str, int], list[Assigned]]:
    """(unit path, year) → reports, the one to use first."""
    out: dict[tuple[str, int], list[Assigned]] = {}
    for a in assigned:
        if a.match.unit is not None and a.year is not None:
            out.setdefault((a.match.unit, a.year), []).append(a)
    return out


def _label(tree: Tree, paths: list[str]) -> dict[str, str]:
    """Display names: the unit's name, or its path where two units of the list share a name."""
    names: dict[str, int] = {}
    for p in paths:
        names[tree.nodes[p].name] = names.get(tree.nodes[p].name, 0) + 1
    return {p: tree.nodes[p].name if names[tree.nodes[p].name] == 1 else p for p in paths}


def _left_out(assigned: list[Assigned], tree: Tree, scope: set[str], year: int) -> list[dict]:
    """Reports of the year that might belong to the region but are not summed, with the reason."""
    out = []
    for a in assigned:
        if a.year != year or a.match.unit is not None:
            continue
        near = [c for c in a.match.candidates if c in scope]
        if not near:
            continue
        if a.match.how == AMBIGUOUS:
            reason = (f"名称“{a.org}”对应多个单位（{'、'.join(a.match.candidates)}），未汇总；"
                      "请在单位映射表（名称,单位）中写明它属于哪个单位")
        else:
            reason = (f"名称“{a.org}”与单位表中的“{'、'.join(near)}”只是部分相同（地名不是其上级），未汇总；"
                      "如确属同一单位，请在单位映射表中写明")
        out.append({"file": a.path, "sha256": a.sha256, "org": a.org, "reason": a.match.how,
                    "message": reason, "candidates": list(a.match.candidates)})
    return sorted(out, key=lambda d: (d["file"], d["sha256"]))


def compile_region(store_path: str, tree: Tree, region: str, year: int,
                   mapping: dict[str, str] | None = None) -> dict:
    root = find_region(tree, region)
    fmt = format_for_year(year)
    if fmt is None:
        raise NianbaoError("no-format", f"{year} 年没有适用的报告格式。", f"no format for {year}.")
    subtree = tree.subtree(root)
    children = tree.children(root)
    label = _label(tree, [root] + [n.path for n in subtree])
    store = Store(store_path, read_only=True)
    try:
        con = store.con
        assigned = assign(con, tree, mapping)
        groups = by_unit_year(assigned)
        years = sorted({y for (u, y) in groups if u == root or u in label})
        matrix = {label[n.path]: {str(y): (n.path, y) in groups for y in years} for n in subtree}
        included, missing, other_format, summed, conflicts = [], [], [], [], []
        use: list[str] = []
        for n in children:
            hits = groups.get((n.path, year))
            if not hits:
                missing.append(label[n.path])
                continue
            first = hits[0]
            if first.format != fmt.key:
                other_format.append(label[n.path])
            included.append(label[n.path])
            use.append(first.sha256)
            summed.append({"unit": label[n.path], "path": n.path, "file": first.path, "sha256": first.sha256,
                           "match": first.match.how, "org": first.org})
            for other in hits[1:]:
                conflicts.append({"unit": label[n.path], "year": year, "used": first.path, "other": other.path,
                                  "used_sha256": first.sha256, "other_sha256": other.sha256})
        sums: dict[tuple[str, str, str], float] = {}
        if use:
            for t, r, c, v in con.execute(
                    "SELECT tbl, row_key, col_key, sum(value) FROM cells WHERE sha256 IN (SELECT unnest(?)) AND "
                    "status IN ('read', 'inferred') AND value IS NOT NULL GROUP BY ALL", [use]).fetchall():
                sums[(t, r, c)] = v
        tables: dict = {}
        for t in fmt.tables:
            tables[t.key] = {r.key: {c.key: _num(sums.get((t.key, r.key, c.key), 0))
                                     for c in t.columns_of(r.key)} for r in t.cell_rows()}
        parent_check = []
        own = groups.get((root, year))
        if own:
            for t, r, c, v in con.execute("SELECT tbl, row_key, col_key, value FROM cells WHERE sha256 = ? AND "
                                          "status IN ('read', 'inferred')", [own[0].sha256]).fetchall():
                expected = sums.get((t, r, c), 0)
                if t in ("t3", "t4") and v is not None and v != expected:
                    parent_check.append({"table": t, "row": r, "col": c, "parent": _num(v), "children": _num(expected)})
        left_out = _left_out(assigned, tree, {root, *label}, year)
    finally:
        store.close()
    name = tree.nodes[root].name
    return {"contract": 1, "org": name, "year": year, "format": fmt.key,
            "title": f"{name}{year}年政府信息公开工作年度报告（汇总草稿）", "preamble": "", "sections": [],
            "tables": tables, "compiled": {"region": root, "included": included, "missing": missing,
                                          "other_format": other_format, "summed": summed, "left_out": left_out,
                                          "conflicts": conflicts, "matrix": matrix, "parent_check": parent_check}}


def compile_text(d: dict) -> str:
    """What compile did, for people: each unit's summed file and how it was matched, what was left out."""
    c = d["compiled"]
    lines = [f"{d['org']} {d['year']} 年：汇总 {len(c['summed'])} 个单位的报告；未提交 {len(c['missing'])} 个"
             + (f"：{'、'.join(c['missing'])}" if c["missing"] else "") + "。"]
    for s in c["summed"]:
        lines.append(f"  汇总 {s['unit']} ← {s['file']}（{HOW_ZH.get(s['match'], s['match'])}：“{s['org']}”）")
    for x in c["conflicts"]:
        lines.append(f"  警告 {x['unit']} {x['year']} 年有两份不同的报告：已汇总 {x['used']}，未汇总 {x['other']}；请核对。")
    for x in c["left_out"]:
        lines.append(f"  未汇总 {x['file']}：{x['message']}。")
    if c["parent_check"]:
        lines.append(f"  本级报告与下级合计不一致的单元格 {len(c['parent_check'])} 个。")
    return "\n".join(lines) + "\n"


def children_of(units: list[Unit], org: str | None) -> list[Unit]:
    """The direct child units of the unit an org names (by the normalised name), per the units file."""
    key = normalise_unit(org)
    if not key:
        return []
    keys = {key, key[:-4] if key.endswith("人民政府") else key}
    return [u for u in units if u.parent in keys]


def parent_differences(parent, children: list) -> list[dict]:
    """表三/表四 cells where a region's own report differs from the sum of its children's reports
    (Reports of one year and format). Like `compile_region`'s parent check; a cell is compared only
    when it was read in the parent and read (or left blank, as 0) in every child."""
    out = []
    fmt = FORMATS.get(parent.format or "")
    if fmt is None or any(c.format != parent.format for c in children):
        return out
    for t, r, c in fmt.template_cells():
        if t not in ("t3", "t4") or t not in parent.present:
            continue
        pv = parent.cells[(t, r, c)]
        if pv.status not in ("read", "inferred") or pv.value is None:
            continue
        total, ok = 0, True
        for ch in children:
            cv = ch.cells.get((t, r, c))
            if cv is None or t not in ch.present or cv.status not in ("read", "inferred", "blank"):
                ok = False
                break
            total += cv.value or 0
        if ok and pv.value != total:
            out.append({"table": t, "row": r, "col": c, "parent": _num(pv.value), "children": _num(total)})
    return out


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v




def region_workbook(store_path: str, tree: Tree, region: str, year: int, path: str,
                    mapping: dict[str, str] | None = None) -> None:
    """The region's review workbook: 问题清单 (findings of the subtree's reports for the year), 报告汇总
    (one row per report used, counts and pass/fail), 提交情况 (units × years), 待核对 (two files claiming the
    same unit and year, reports left out as ambiguous or unmatched — each file named)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    root = find_region(tree, region)
    subtree = tree.subtree(root)
    label = _label(tree, [n.path for n in subtree])
    store = Store(store_path, read_only=True)
    try:
        con = store.con
        assigned = assign(con, tree, mapping)
        groups = by_unit_year(assigned)
        years = sorted({y for (u, y) in groups if u in label})
        used = [(u, hits[0]) for (u, y), hits in sorted(groups.items()) if u in label and y == year]
        conflicts = [(label[u], y, hits[0], o) for (u, y), hits in sorted(groups.items())
                     if u in label for o in hits[1:]]
        left_out = _left_out(assigned, tree, {root, *label}, year)
        counts = {sha: (e, w, i) for sha, e, w, i in con.execute(
            "SELECT sha256, errors, warnings, infos FROM reports WHERE sha256 IN (SELECT unnest(?))",
            [[a.sha256 for _, a in used]]).fetchall()}
        findings = []
        for u, a in used:
            for f in con.execute("SELECT severity, code, name, tbl, row_key, col_key, message FROM findings WHERE "
                                 "sha256 = ? ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END",
                                 [a.sha256]).fetchall():
                findings.append((label[u], a.year, *f, a.path))
    finally:
        store.close()
    rank = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (rank[f[2]], f[0], f[3], f[-1]))      # errors first across the whole region
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
    ws2.append(["单位", "年度", "发布机关（原文）", "匹配方式", "错误", "警告", "提示", "结论", "文件"])
    for u, a in used:
        e, w, i = counts[a.sha256]
        ws2.append([label[u], a.year, a.org, HOW_ZH.get(a.match.how, a.match.how), e, w, i,
                    "不通过" if e else "通过", a.path])
    ws3 = wb.create_sheet("提交情况")
    ws3.append(["单位", "层级", *[f"{y}年" for y in years]])
    for n in subtree:
        ws3.append([label[n.path], n.level, *["已提交" if (n.path, y) in groups else "未提交" for y in years]])
        for k, y in enumerate(years):
            if (n.path, y) not in groups:
                ws3.cell(ws3.max_row, 3 + k).fill = PatternFill("solid", fgColor="F8CBAD")
    ws4 = wb.create_sheet("待核对")
    ws4.append(["单位", "年度", "情况", "说明", "文件"])
    for unit, y, first, other in conflicts:
        ws4.append([unit, y, "同一单位同一年度有两份报告",
                    f"使用 {first.path}，未使用 {other.path}；请核对哪一份是正式报告", other.path])
    for x in left_out:
        ws4.append(["、".join(x["candidates"]), year, HOW_ZH[x["reason"]], x["message"], x["file"]])
    for sheet in (ws, ws2, ws3, ws4):
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 24
    ws.column_dimensions["I"].width = 80
    ws4.column_dimensions["D"].width = 80
    tmp = path + ".tmp.xlsx"
    wb.save(tmp)
    os.replace(tmp, path)
