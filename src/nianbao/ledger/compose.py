"""A whole report from what an author keeps: the ledger workbook and a narrative text.

- 表三 from the ledger's requests (tables.py), in the format of the report year;
- 表四 from the sheet 「复议诉讼」: one row per case — 编号, 类型 (行政复议 | 未经复议直接起诉 | 复议后起诉),
  立案日期, 结果 (维持 | 纠正 | 其他; empty while pending), 结案日期;
- 表二 from the sheet 「主动公开」: one row per 表二 row label, one column per column label of the
  format (the template writes both layouts' labels; matching is by label, not position);
- the title, preamble and six sections from the narrative, a text file with the six headings.

The result is a report in the contract's shape, ready for render.to_docx / to_html / to_text.
`compose_report` reads files (the CLI); `compose` does the same from rows and texts in memory (the web app).
"""
from __future__ import annotations

import datetime as dt
import os
import re

from ..formats import FORMATS, format_for_year
from ..labels import core
from .ledger import LedgerError, parse_date, read_file
from .tables import t3_from_ledger

CASE_GROUPS = {"行政复议": "review", "未经复议直接起诉": "direct", "复议后起诉": "after_review"}
CASE_RESULTS = {"维持": "maintain", "结果维持": "maintain", "纠正": "correct", "结果纠正": "correct",
                "其他": "other", "其他结果": "other"}


CASE_COLUMNS = ("编号", "类型", "立案日期", "结果", "结案日期", "备注")
_CASE_NEED = ("类型", "立案日期", "结果", "结案日期")


def case_problem(kind, filed, result, closed, n: int) -> str | None:
    """Why one 「复议诉讼」 row is invalid (Chinese, naming the row), or None."""
    kind, result = str(kind or "").strip(), str(result or "").strip()
    try:
        f, c = parse_date(filed), parse_date(closed)
    except ValueError as e:
        return f"「复议诉讼」第{n}行日期“{e}”无效。"
    if kind not in CASE_GROUPS or (result and result not in CASE_RESULTS) or f is None:
        return (f"「复议诉讼」第{n}行无效：类型应为 {'|'.join(CASE_GROUPS)}，结果应为 维持|纠正|其他"
                "（未审结留空），立案日期必填。")
    if c is not None and c < f:
        return f"「复议诉讼」第{n}行：结案日期 {c} 早于立案日期 {f}。"
    if result and c is None:
        return f"「复议诉讼」第{n}行：已填写结果“{result}”，但结案日期为空。"
    return None


def _case_index(rows: list[list], path: str = "") -> dict[str, int]:
    header = [str(c or "").strip() for c in rows[0]]
    if any(h not in header for h in _CASE_NEED):
        raise LedgerError("cases-columns", f"「复议诉讼」表应有列：{'、'.join(_CASE_NEED)}。",
                          "the cases sheet lacks columns.", path)
    return {h: header.index(h) for h in header if h}


def _cell(r: list, i: int | None):
    return r[i] if i is not None and i < len(r) else None


def split_cases(rows: list[list], path: str = "") -> tuple[list[list], list[str]]:
    """A 「复议诉讼」 sheet → (its valid rows in CASE_COLUMNS order, header first; the rejected rows'
    messages). Blank rows are dropped."""
    ix = _case_index(rows, path)
    valid: list[list] = [list(CASE_COLUMNS)]
    problems: list[str] = []
    for n, r in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in r):
            continue
        get = {h: _cell(r, ix.get(h)) for h in CASE_COLUMNS}
        why = case_problem(get["类型"], get["立案日期"], get["结果"], get["结案日期"], n)
        if why:
            problems.append(why)
            continue
        valid.append([_plain(get[h]) for h in CASE_COLUMNS])
    return valid, problems


def _plain(v):
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v).strip()


def t4_from_cases(rows: list[list], year: int, path: str = "") -> dict:
    t4 = {g: {c: 0 for c in ("maintain", "correct", "other", "pending", "total")} for g in CASE_GROUPS.values()}
    ix = _case_index(rows, path)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for n, r in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in r):
            continue
        kind = str(_cell(r, ix["类型"]) or "").strip()
        result = str(_cell(r, ix["结果"]) or "").strip()
        try:
            filed, closed = parse_date(_cell(r, ix["立案日期"])), parse_date(_cell(r, ix["结案日期"]))
        except ValueError as e:
            raise LedgerError("cases-date", f"「复议诉讼」第{n}行日期“{e}”无效。", f"cases row {n}: bad date {e}.",
                              path) from None
        if kind not in CASE_GROUPS or (result and result not in CASE_RESULTS) or filed is None:
            raise LedgerError("cases-row", f"「复议诉讼」第{n}行无效：类型应为 {'|'.join(CASE_GROUPS)}，结果应为 维持|纠正|其他"
                              "（未审结留空），立案日期必填。", f"cases row {n} is invalid.", path)
        if filed > last or (closed is not None and closed < first):
            continue
        group = t4[CASE_GROUPS[kind]]
        group[CASE_RESULTS[result] if result and closed and closed <= last else "pending"] += 1
    for g in t4.values():
        g["total"] = g["maintain"] + g["correct"] + g["other"] + g["pending"]
    return t4


def t2_from_sheet(rows: list[list], fmt: str, path: str = "") -> dict:
    spec = FORMATS[fmt].table("t2")
    t2: dict = {r.key: {c.key: None for c in spec.columns_of(r.key)} for r in spec.cell_rows()}
    header = [core(str(c or "")) for c in rows[0]]
    by_label = {core(l): r.key for r in spec.cell_rows() for l in r.labels}
    for n, r in enumerate(rows[1:], start=2):
        if not r or r[0] is None:
            continue
        key = by_label.get(core(str(r[0])))
        if key is None:
            continue
        for c in spec.columns_of(key):
            labels = {core(l) for l in c.labels}
            for k, h in enumerate(header):
                if h in labels and k < len(r) and r[k] not in (None, ""):
                    try:
                        v = float(r[k])
                    except (TypeError, ValueError):
                        raise LedgerError("t2-value", f"「主动公开」第{n}行「{c.label}」不是数字：{r[k]}。",
                                          f"sheet 主动公开 row {n}: not a number.", path) from None
                    t2[key][c.key] = int(v) if v.is_integer() and c.kind != "money" else v
    return t2


def compose(ledger, year: int, *, t2_rows: list[list] | None = None, cases_rows: list[list] | None = None,
            title: str | None = None, preamble: str = "", sections: list[dict] | None = None,
            org: str | None = None) -> dict:
    """A report in the contract's shape from data in memory: the ledger's requests (a `Ledger`), the
    「主动公开」 and 「复议诉讼」 rows (header first; None when there are none) and the narrative
    (`sections`: [{"number", "title", "text"}])."""
    fmt = format_for_year(year)
    if fmt is None:
        raise LedgerError("no-format", f"{year} 年没有适用的年度报告格式。", f"no format for {year}.")
    _, t3 = t3_from_ledger(ledger, year)
    tables: dict = {"t3": t3, "t2": None, "t4": None}
    if cases_rows:
        tables["t4"] = t4_from_cases(cases_rows, year, getattr(ledger, "path", ""))
    if t2_rows:
        tables["t2"] = t2_from_sheet(t2_rows, fmt.key, getattr(ledger, "path", ""))
    report = {"contract": 1, "org": org, "year": year, "format": fmt.key, "title": title or None,
              "preamble": preamble or "", "sections": list(sections or []), "tables": tables}
    if not report["title"] and report["org"]:
        report["title"] = f"{report['org']}{year}年政府信息公开工作年度报告"
    return report


_SHEET_OF = {"t2": ("主动公开", "表二"), "t4": ("复议诉讼", "表四")}


def mark_missing(report: dict) -> list[str]:
    """The tables the report lacks, recorded as `unfilled`: render prints 「未填报」 where each would stand, and
    `check` reports the missing table. Returns them."""
    lacking = [spec.key for spec in FORMATS[report["format"]].tables if report["tables"].get(spec.key) is None]
    if lacking:
        report["unfilled"] = lacking
    return lacking


def compose_report(ledger, year: int, narrative: str | None = None, org: str | None = None,
                   allow_missing: bool = False) -> dict:
    """`compose` from files: the workbook the ledger was loaded from, and a narrative text file.
    A table whose sheet the workbook lacks is an error; with `allow_missing`, its cells print 「未填报」."""
    from ..extract import extract_path
    title, preamble, sections = None, "", []
    if narrative:
        n = extract_path(narrative)
        org = org or n.org
        title, preamble, sections = n.title, n.preamble, [s.to_dict() for s in n.sections]
    org = org or getattr(ledger, "org", None)         # a title line above the ledger's header
    if title and org and re.match(r"\s*(?:20\d\d|二[〇○零])", title):
        title = org + title                           # a two-line title block (the body on its own line above)
    _, t2_rows, cases_rows, _ = read_file(ledger.path)
    report = compose(ledger, year, t2_rows=t2_rows, cases_rows=cases_rows,
                     title=title, preamble=preamble, sections=sections, org=org)
    lacking = [k for k in ("t2", "t4") if report["tables"].get(k) is None]
    if lacking and not allow_missing:
        what = "、".join(f"「{_SHEET_OF[k][0]}」（{_SHEET_OF[k][1]}）" for k in lacking)
        raise LedgerError("missing-sheet", f"台账工作簿缺少 {what} 工作表或其中没有数据，报告会缺少这些表格。请补上"
                          "（nianbao ledger template 生成的模板含全部工作表），或加 --allow-missing 生成标明「未填报」的草稿。",
                          f"the workbook lacks the sheets for {', '.join(lacking)}; add them or use --allow-missing.",
                          ledger.path)
    mark_missing(report)
    return report


def t2_header(fmt_key: str) -> list[str]:
    """「主动公开」 header for a format: 项目, then every column label of its blocks once, in order."""
    labels: list[str] = []
    for b in FORMATS[fmt_key].table("t2").blocks:
        for c in b.columns:
            if c.label not in labels:
                labels.append(c.label)
    return ["项目", *labels]


def t2_rows_from_values(fmt_key: str, values: dict | None) -> list[list]:
    """「主动公开」 rows (header first) for a format from {row key: {column key: value}}; empty cells None."""
    spec = FORMATS[fmt_key].table("t2")
    header = t2_header(fmt_key)
    rows = [header]
    for r in spec.cell_rows():
        line: list = [r.label] + [None] * (len(header) - 1)
        for c in spec.columns_of(r.key):
            line[header.index(c.label)] = ((values or {}).get(r.key) or {}).get(c.key)
        rows.append(line)
    return rows


def write_workbook(target, ledger_rows: list[list], t2_rows: list[list] | None, cases_rows: list[list] | None) -> None:
    """The author's workbook: 依申请公开台账 (COLUMNS, then `ledger_rows`), 主动公开 and 复议诉讼 (rows given
    with their header first; an empty sheet gets its header). `target` is a path or a binary stream."""
    from openpyxl import Workbook

    from .ledger import COLUMNS
    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    ws.append(list(COLUMNS))
    for r in ledger_rows:
        ws.append(r)
    ws2 = wb.create_sheet("主动公开")
    for r in t2_rows or [["项目"]]:
        ws2.append(r)
    ws3 = wb.create_sheet("复议诉讼")
    for r in cases_rows or [list(CASE_COLUMNS)]:
        ws3.append(r)
    from .template import dress
    dress(wb)
    wb.save(target)


def write_example_workbook(path: str, ledger_rows: list[list], t2_rows: list[list], cases: list[list]) -> None:
    """Used by scripts/make_examples.py and the template: the three sheets of an author's workbook."""
    tmp = path + ".tmp"
    write_workbook(tmp, ledger_rows, t2_rows, [["编号", "类型", "立案日期", "结果", "结案日期", "备注"], *cases])
    os.replace(tmp, path)
