"""Reading problems (family "reading", codes R1xx for tables): what nianbao could not read reliably.

These are not the report's defects. A table whose region was found but could not be split into
cells, a source that ends inside a table (an excerpt, a broken conversion), rows whose values could
not be mapped to columns, a scan without a text layer: each is said as 「未能可靠读取…，请人工核对原文或
提供 Word/PDF 原件」, and the completeness rules never turn them into 「缺少表」. (R2xx, sections and
text, live with the structure rules.)
"""
from __future__ import annotations

from ..document import Problem
from ..formats import FORMATS
from ..report import MISSING
from ..extract.notes import NO_TABLE, ROW_CUT, bare, columns_unknown
from .examples import ctx, ctx_missing_row
from .model import WARNING, rule
from .shared import CN, reading_state, table_name

ASK = "请人工核对原文或提供 Word/PDF 原件"
ASK_EN = "check the original by hand, or provide the Word/PDF original"


@rule("R101", "table-not-split", WARNING, "reading",
      "原文中有统计表，但未能把它拆分成单元格（读取问题，不是报告的缺陷）",
      "转换或粘连的文本（网页另存、PDF 转文本）常把表格的格子连成一片；此时 nianbao 无法确定每个数值属于哪一格，"
      "不能据此判断报告缺表或填错。",
      "人工核对原文中的该表；如有 Word/PDF 原件，用原件重新检查。",
      failing=lambda: _unsplit_example(), passing=lambda: ctx())
def table_not_split(rule_, c):
    st = c.memo("reading_state", reading_state)
    rep = c.report
    for t in st.unsplit:
        yield rule_.finding(
            f"未能可靠读取{table_name(rep, t)}：原文中有该表，但未能把它拆分成单元格，表中数值均未读出；{ASK}。",
            f"could not reliably read table {t}: it is in the source but could not be split into cells; {ASK_EN}.",
            table=t, where=st.where.get(t), source=rep.source.path)
    for t, where in st.in_text.items():
        yield rule_.finding(
            f"未能可靠读取{table_name(rep, t)}：原文{where}有该表的内容，但未能识别为表格；{ASK}。",
            f"could not reliably read table {t}: its content is in the source ({where}) but was not recognised "
            f"as a table; {ASK_EN}.",
            table=t, source=rep.source.path)


def _unsplit_example():
    x = ctx(present=("t2", "t3", "t4"))
    for k, cv in x.report.cells.items():
        if k[0] == "t3":
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, ROW_CUT
    return x


@rule("R102", "source-cut-off", WARNING, "reading",
      "原文在统计表中或统计表后中断，其后的内容未能读取（读取问题，不是报告的缺陷）",
      "网页节选、转换不完整或被截断的文件只含报告的前一部分；缺少的表和部分可能只是没有读到，不能据此认定报告缺项。",
      "取得完整的报告原文（Word/PDF 原件或完整网页）后重新检查。",
      failing=lambda: _cut_example(), passing=lambda: ctx())
def source_cut_off(rule_, c):
    st = c.memo("reading_state", reading_state)
    if st.cut is None:
        return
    rep = c.report
    t, row_label, where = st.cut
    name = table_name(rep, t, short=True)
    at = f"{name}「{row_label}」行及其后" if row_label else (f"{name}表头及其后" if row_label == "" else f"{name}之后")
    after = "、".join(f"表{CN[x]}" for x in st.after_cut)
    yield rule_.finding(
        f"未能可靠读取原文{at}的内容：原文在此中断（可能是节选、截断或转换不完整）"
        + (f"，{after}未能读取" if after else "") + f"；{ASK}。",
        f"the source ends at table {t}{' row ' + repr(row_label) if row_label else ''} (an excerpt, a cut-off "
        f"file or an incomplete conversion); what follows could not be read; {ASK_EN}.",
        table=t, where=where, values={"after": list(st.after_cut)}, source=rep.source.path)


def _cut_example():
    x = ctx(present=("t2", "t3"))
    spec = FORMATS["2021"].table("t3")
    for r in spec.cell_rows()[10:]:
        for col in spec.columns_of(r.key):
            cv = x.report.cells[("t3", r.key, col.key)]
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, ROW_CUT
    for k, cv in x.report.cells.items():
        if k[0] == "t4":
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, NO_TABLE
    x.report.sections = [s for s in x.report.sections if s.number <= 3]
    return x


@rule("R103", "cells-not-read", WARNING, "reading",
      "统计表中有的行未能可靠读取：数值个数与列数不符、找不到该行，或只能由勾稽关系推定（读取问题）",
      "文本导出常丢掉空白格或把格子连在一起，一行的数值个数与列数不符时，无法确定每个数值属于哪一列；"
      "nianbao 不会错位填入，而是标为未读取，由人核对。",
      "人工核对原表中这些行的每一格；如有 Word/PDF 原件，用原件重新检查。",
      failing=lambda: _short_example(), passing=lambda: ctx())
def cells_not_read(rule_, c):
    st = c.memo("reading_state", reading_state)
    rep = c.report
    for t, rows in st.unread_rows.items():
        spec = FORMATS[rep.format].table(t)
        for r, note, where in rows:
            yield rule_.finding(
                f"未能可靠读取{table_name(rep, t, short=True)}「{spec.row(r).label}」行（{bare(note)}）；{ASK}。",
                f"could not reliably read table {t} row '{r}' ({bare(note)}); {ASK_EN}.",
                table=t, row=r, cells=[(t, r, col.key) for col in spec.columns_of(r)], where=where,
                source=rep.source.path)


def _short_example():
    return ctx_missing_row(columns_unknown(6, 0, 7))


@rule("R104", "source-not-readable", WARNING, "reading",
      "原文有读取器无法处理的部分：扫描页、图片表格、损坏或嵌入的内容（读取问题）",
      "扫描件、以图片插入的表格、损坏的网页或嵌入的文档没有可读的文字；其中的数值无法核对，也不能据此认定报告缺项。",
      "提供有文字层的 Word/PDF 原件，或对扫描件做 OCR 后重新检查。",
      failing=lambda: _ocr_example(), passing=lambda: ctx())
def source_not_readable(rule_, c):
    rep = c.report
    for p in c.memo("reading_state", reading_state).reader_problems:
        yield rule_.finding(f"未能可靠读取原文：{p.message.rstrip('。')}；{ASK}。",
                            f"could not reliably read the source: {p.message_en.rstrip('.')}; {ASK_EN}.",
                            where=p.where, values={"problem": p.code}, source=rep.source.path)


def _ocr_example():
    x = ctx()
    x.report.problems.append(Problem("needs-ocr", "第3页没有文字层（扫描件），需要OCR识别后才能读取。",
                                     "page 3 has no text layer (a scan); it needs OCR before it can be read."))
    return x

