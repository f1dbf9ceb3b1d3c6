"""Completeness: tables, rows and cells that are absent, blank or unreadable."""
from __future__ import annotations

from ..formats import FORMATS
from ..report import BLANK, MISSING, NOT_APPLICABLE
from .examples import ctx
from .model import ERROR, INFO, WARNING, Context, rule
from .shared import CN as _CN
from .shared import SPLIT_ROW, cells_by_status, reading_state


def _cells(c: Context, status: str):
    return c.memo("cells_by_status", cells_by_status).get(status, [])


@rule("M101", "missing-table", ERROR, "completeness",
      "三张统计表（表二、表三、表四）都应出现",
      "年度报告格式规定第二、三、四部分分别以表格列示主动公开、依申请公开和行政复议诉讼情况；"
      "《政府信息公开条例》第五十条规定年度报告应包括这些内容。",
      "按年度报告格式补上缺少的统计表，没有发生的事项填 0。",
      failing=lambda: ctx(present=("t2", "t3"), sections={5: "无。", 6: "无。"}), passing=lambda: ctx())
def missing_table(rule_, c):
    """Only when the reading is sound: a table the reader could not find or split is a reading problem
    (R101–R104), never 「缺少表」."""
    rep = c.report
    st = c.memo("reading_state", reading_state)
    if st.unreliable:
        return
    if rep.format is None:
        yield rule_.finding("未找到任何统计表（表二、表三、表四）。", "none of the statistics tables was found.",
                            source=rep.source.path)
        return
    for t in FORMATS[rep.format].tables:
        if t.key not in rep.present:
            yield rule_.finding(f"缺少表{_CN[t.key]}（{t.title}）。", f"table {t.key} ({t.title}) is missing.",
                                table=t.key, source=rep.source.path)


@rule("M102", "blank-cell", WARNING, "completeness",
      "统计表的单元格不应留空（空白不等于 0）",
      "年度报告格式要求逐项填报数字；空白单元格无法区分“没有发生”和“漏填”，读者和汇总都无法使用。",
      "没有发生的事项填 0，不适用的填“/”并说明。",
      failing=lambda: ctx(blank=(("t4", "review", "maintain"),)), passing=lambda: ctx())
def blank_cell(rule_, c):
    rows: dict[tuple, list] = {}
    for t, r, col, cv in _cells(c, BLANK):
        rows.setdefault((t.key, r.key), []).append((t, r, col, cv))
    for (tk, rk), group in rows.items():
        t, r = group[0][0], group[0][1]
        labels = "、".join(g[2].label for g in group)
        yield rule_.finding(
            f"表{_CN[tk]}「{r.label}」行有 {len(group)} 个单元格为空白：{labels}。",
            f"table {tk} row {rk}: {len(group)} blank cells ({', '.join(g[2].key for g in group)}).",
            table=tk, row=rk, col=group[0][2].key if len(group) == 1 else None,
            cells=[(tk, rk, g[2].key) for g in group], where=group[0][3].where, source=c.report.source.path)


@rule("M103", "split-row", WARNING, "completeness",
      "统计表的行不应拆分为格式没有的子行",
      "年度报告格式的每一行是一个统计口径；把一行拆成几个子行（例如把“其他对外管理服务事项”拆成行政检查、行政确认）"
      "后，该行本身没有数值，无法与其他单位汇总。",
      "按年度报告格式在该行填写合计数；需要细分的，在正文中说明。",
      failing=lambda: _split_example(), passing=lambda: ctx())
def split_row(rule_, c):
    rep = c.report
    rows: dict[tuple, list] = {}
    for t, r, col, cv in _cells(c, MISSING):
        if cv.note and SPLIT_ROW in cv.note:
            rows.setdefault((t.key, r.key), []).append((t, r, col, cv))
    for (tk, rk), group in rows.items():
        r = group[0][1]
        subs = [e.label.strip() for e in rep.extra_rows if e.table == tk and e.parent == rk]
        yield rule_.finding(
            f"表{_CN[tk]}「{r.label}」行被拆分为非标准子行" + (f"（{'、'.join(subs)}）" if subs else "")
            + "，该行本身没有填写数值。",
            f"table {tk} row '{r.label}' is split into non-standard sub-rows; the row itself has no values.",
            table=tk, row=rk, cells=[(tk, rk, g[2].key) for g in group], where=group[0][3].where,
            values={"sub_rows": subs}, source=rep.source.path)


def _split_example():
    x = ctx()
    for col in ("natural", "commercial", "total"):
        cv = x.report.cells[("t3", "partial", col)]
        cv.status, cv.value, cv.note = MISSING, None, "该行拆分为非标准子行，见 extra_rows"
    return x


@rule("M104", "not-applicable-count", INFO, "completeness",
      "件数单元格印“/”“—”“无”等：请确认是否应为 0",
      "“/”表示不适用；对街道、乡镇等确实不适用的项目可以接受，但对申请件数等应当填报的统计项，应填 0。",
      "如该事项没有发生，填 0；如确不适用，在报告正文中说明。",
      failing=lambda: _na_example(), passing=lambda: ctx())
def not_applicable(rule_, c):
    for t, r, col, cv in _cells(c, NOT_APPLICABLE):
        yield rule_.finding(
            f"表{_CN[t.key]}「{r.label}」行「{col.label}」印为“{cv.raw}”。",
            f"table {t.key} {r.key}/{col.key} is printed as '{cv.raw}'.",
            table=t.key, row=r.key, col=col.key, cells=[cv.key], where=cv.where, source=c.report.source.path)


def _na_example():
    x = ctx()
    cv = x.report.cells[("t2", "regulations", "made")]
    cv.status, cv.value, cv.raw = NOT_APPLICABLE, None, "/"
    return x
