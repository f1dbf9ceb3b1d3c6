"""Findings out: grouped text (errors first, coloured on a terminal), JSON, the reviewer's XLSX sheet."""
from __future__ import annotations

import os
import tempfile

from ..formats import FORMATS
from ..report import Report
from .model import ERROR, INFO, READING, RULES, WARNING, Finding

_COLOR = {ERROR: "\033[1;31m", WARNING: "\033[33m", INFO: "\033[36m"}
_SEV_ZH = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
_TABLE_ZH = {None: "正文与结构", "t2": "表二 主动公开", "t3": "表三 依申请公开", "t4": "表四 复议诉讼"}
_READING_ZH = "读取问题（nianbao 未能可靠读取，不是报告的缺陷，请人工核对原文）"
_READING_EN = "reading problems (not the report's defects: check the original)"


def row_label(report: Report | None, f: Finding) -> str | None:
    if not f.table or not f.row or report is None or not report.format:
        return f.row
    try:
        return FORMATS[report.format].table(f.table).row(f.row).label
    except KeyError:
        return f.row


def col_label(report: Report | None, f: Finding) -> str | None:
    if not f.table or not f.col or report is None or not report.format:
        return f.col
    try:
        spec = FORMATS[report.format].table(f.table)
        return spec.column(f.row or spec.cell_rows()[0].key, f.col).label
    except KeyError:
        return f.col


def summary(findings: list[Finding]) -> dict[str, int]:
    """Counts of the report's defects by severity; reading problems are counted apart (READING)."""
    live = [f for f in findings if not f.waived and f.kind != READING]
    return {ERROR: sum(f.severity == ERROR for f in live), WARNING: sum(f.severity == WARNING for f in live),
            INFO: sum(f.severity == INFO for f in live), "waived": sum(bool(f.waived) for f in findings),
            READING: sum(f.kind == READING and not f.waived for f in findings)}


def to_text(report: Report, findings: list[Finding], color: bool = False, lang: str = "zh") -> str:
    zh = lang == "zh"
    c = (lambda sev, s: f"{_COLOR[sev]}{s}\033[0m") if color else (lambda sev, s: s)
    head = f"{report.source.path}  {report.org or '（未识别发布机关）'}  {report.year or '?'}年度  " \
           f"{(report.format + '年格式') if report.format else '未识别格式'}"
    lines = [head if zh else f"{report.source.path}  {report.org or '-'}  {report.year or '?'}  format {report.format}"]
    if not findings:
        lines.append("  ✓ 未发现问题" if zh else "  ✓ no findings")
    current = object()
    order = {None: 9, "t2": 2, "t3": 3, "t4": 4}
    sev = {ERROR: 0, WARNING: 1, INFO: 2}
    for f in sorted(findings, key=lambda f: (f.kind != READING, order.get(f.table, 9) if f.kind != READING else 0,
                                             sev[f.severity], f.code)):
        group = READING if f.kind == READING else f.table
        if group != current:
            current = group
            if group == READING:
                lines.append(f"  ── {_READING_ZH if zh else _READING_EN}")
            else:
                lines.append(f"  ── {_TABLE_ZH.get(f.table, f.table) if zh else (f.table or 'text')}")
        sev_name = ("读取" if zh else "reading") if f.kind == READING else (_SEV_ZH[f.severity] if zh else f.severity)
        msg = f.message if zh else f.message_en
        where = f.where.describe() if f.where else ""
        tag = c(f.severity, f"{sev_name} {f.code}")
        line = f"    {tag} [{f.name}] {msg}" + (f"  ({where})" if where else "")
        if f.waived:
            line += f"  —— {'已豁免' if zh else 'waived'}：{f.waived}"
        lines.append(line)
        if not f.waived and f.severity != INFO:
            lines.append(f"        → {f.hint}")
    s = summary(findings)
    lines.append(f"  合计：错误 {s[ERROR]}，警告 {s[WARNING]}，提示 {s[INFO]}" + (f"，已豁免 {s['waived']}" if s["waived"] else "")
                 + (f"；另有读取问题 {s[READING]}（需人工核对原文）" if s[READING] else "")
                 if zh else f"  total: {s[ERROR]} errors, {s[WARNING]} warnings, {s[INFO]} info"
                 + (f"; {s[READING]} reading problems" if s[READING] else ""))
    return "\n".join(lines) + "\n"


_HEAD = ["单位", "年度", "文件", "严重程度", "代码", "名称", "表", "行", "列", "填报值", "应为", "问题说明", "修改建议",
         "位置", "豁免理由", "类别", "单位答复"]
_WIDTHS = (22, 6, 30, 8, 7, 24, 14, 26, 12, 9, 9, 70, 40, 16, 20, 10, 30)
_FILLS = {ERROR: "F8CBAD", WARNING: "FFE699", INFO: "DDEBF7", READING: "D9D9D9"}


def _finding_row(report: Report | None, f: Finding) -> list:
    printed = expected = None
    if f.table and f.row and f.col and report is not None:
        cv = report.cells.get((f.table, f.row, f.col))
        printed = cv.raw if cv else None
    if "expected" in f.values:
        expected = f.values["expected"]
    elif "expected_by_cell" in f.values and report is not None:
        spec = FORMATS.get(report.format or "")
        parts = []
        for key, v in f.values["expected_by_cell"].items():
            t, r, c = key.split("/")
            label = spec.table(t).row(r).label if spec else r
            parts.append(f"{label}·{spec.table(t).column(r, c).label if spec else c}：{v}")
        expected = "；".join(parts)
    elif "rhs" in f.values and "lhs" in f.values:
        printed, expected = f.values["lhs"], f.values["rhs"]
    return [report.org if report else f.unit, report.year if report else f.year,
            report.source.path if report else f.source, _SEV_ZH[f.severity], f.code, f.name,
            _TABLE_ZH.get(f.table, f.table) if f.table else None, row_label(report, f),
            col_label(report, f), printed, expected, f.message, f.hint,
            f.where.describe() if f.where else None, f.waived,
            "读取问题" if f.kind == READING else "报告问题", None]


def _findings_sheet(ws, rows: list[tuple[Report | None, Finding]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.append(_HEAD)
    for report, f in rows:
        ws.append(_finding_row(report, f))
        ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=_FILLS[READING if f.kind == READING else f.severity])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for k, width in enumerate(_WIDTHS):
        ws.column_dimensions[chr(ord("A") + k)].width = width
    for row in ws.iter_rows(min_row=2):
        row[11].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def unit_of(report: Report | None, source: str) -> str:
    """The unit a report belongs to: its org, else the file name."""
    if report is not None and report.org:
        return report.org
    return os.path.splitext(os.path.basename(source))[0]


def _safe(name: str, limit: int) -> str:
    name = "".join("_" if ch in '[]:*?/\\' else ch for ch in name).strip() or "未识别单位"
    return name[:limit]


def _save(wb, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=".xlsx", dir=folder)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.kind != READING)


def write_review_xlsx(results: list[tuple[Report | None, list[Finding], str | None, str]], path: str,
                      per_unit_sheets: bool = True) -> None:
    """Sheet 1: one row per finding. Sheet 2: one row per report (counts, pass/fail). Then one sheet
    per unit with its findings and a 单位答复 column, so the sheet can be sent to the unit and returned."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    _findings_sheet(ws, [(report, f) for report, findings, _, _ in results for f in _ordered(findings)])
    ws2 = wb.create_sheet("报告汇总")
    ws2.append(["文件", "单位", "年度", "格式", "错误", "警告", "提示", "已豁免", "结论", "无法读取的原因", "读取问题"])
    for report, findings, error, source in results:
        if report is None:
            ws2.append([source, None, None, None, None, None, None, None, "无法读取", error, None])
            continue
        s = summary(findings)
        verdict = "不通过" if s[ERROR] else ("待核对（有读取问题）" if s[READING] else "通过")
        ws2.append([report.source.path, report.org, report.year, report.format, s[ERROR], s[WARNING], s[INFO],
                    s["waived"], verdict, None, s[READING]])
    for cell in ws2[1]:
        cell.font = Font(bold=True)
    ws2.column_dimensions["A"].width = 40
    ws2.column_dimensions["B"].width = 24
    if per_unit_sheets:
        used = set(wb.sheetnames)
        for unit, rows in _by_unit(results).items():
            name = base = _safe(unit, 28)
            n = 2
            while name in used:
                name, n = f"{base[:25]}({n})", n + 1
            used.add(name)
            _findings_sheet(wb.create_sheet(name), rows)
    _save(wb, path)


def _by_unit(results) -> dict[str, list[tuple[Report | None, Finding]]]:
    out: dict[str, list] = {}
    for report, findings, _, source in results:
        if report is None:
            continue
        out.setdefault(unit_of(report, source), []).extend((report, f) for f in _ordered(findings))
    return out


def write_unit_workbooks(results, folder: str) -> list[str]:
    """One workbook per unit in `folder` (`<单位>.xlsx`): its findings with a 单位答复 column."""
    from openpyxl import Workbook

    os.makedirs(folder, exist_ok=True)
    paths = []
    for unit, rows in _by_unit(results).items():
        wb = Workbook()
        ws = wb.active
        ws.title = "问题清单"
        _findings_sheet(ws, rows)
        path = os.path.join(folder, _safe(unit, 80) + ".xlsx")
        _save(wb, path)
        paths.append(path)
    return paths


def rule_doc(code: str) -> str:
    """One rule's documentation (what `nianbao explain CODE` prints)."""
    r = RULES[code]
    fail = list(r.check(r.failing()))
    return (f"{r.code} {r.name}（{_SEV_ZH[r.severity]}，{r.family}）\n\n"
            f"检查内容：{r.title}\n\n为什么重要：{r.rationale}\n\n如何修改：{r.hint}\n\n"
            f"反例中报告的问题：{fail[0].message if fail else '—'}\n")


def rules_markdown() -> str:
    parts = ["# 规则目录 / Rule catalogue\n",
             "本文件由 `nianbao rules --markdown` 从规则目录生成，请勿手工编辑；测试会在它与代码不一致时失败。\n",
             "| 代码 | 名称 | 严重程度 | 检查内容 |", "|---|---|---|---|"]
    for code, r in RULES.items():
        parts.append(f"| {code} | {r.name} | {_SEV_ZH[r.severity]} | {r.title} |")
    parts.append("")
    for code, r in RULES.items():
        fail = list(r.check(r.failing()))
        parts.append(f"## {r.code} {r.name}\n\n- 严重程度：{_SEV_ZH[r.severity]}（{r.severity}）\n- 类别：{r.family}\n\n"
                     f"**检查内容**：{r.title}\n\n**为什么重要**：{r.rationale}\n\n**如何修改**：{r.hint}\n\n"
                     f"**反例中报告的问题**：{fail[0].message if fail else '—'}\n")
    return "\n".join(parts) + "\n"
