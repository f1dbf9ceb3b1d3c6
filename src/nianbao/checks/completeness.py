"""Completeness: tables, rows and cells that are absent, blank or unreadable."""
from __future__ import annotations

from ..formats import FORMATS
from ..report import BLANK, MISSING, NOT_APPLICABLE
from .examples import ctx
from .model import ERROR, INFO, WARNING, Context, rule
from .shared import cells_by_status

_CN = {"t2": "二", "t3": "三", "t4": "四"}


def _cells(c: Context, status: str):
    return c.memo("cells_by_status", cells_by_status).get(status, [])


@rule("M101", "missing-table", ERROR, "completeness",
      "三张统计表（表二、表三、表四）都应出现",
      "年度报告格式规定第二、三、四部分分别以表格列示主动公开、依申请公开和行政复议诉讼情况；"
      "《政府信息公开条例》第五十条规定年度报告应包括这些内容。",
      "按年度报告格式补上缺少的统计表，没有发生的事项填 0。",
      failing=lambda: ctx(present=("t2", "t3")), passing=lambda: ctx())
def missing_table(rule_, c):
    rep = c.report
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


@rule("M103", "unreadable-cell", WARNING, "completeness",
      "统计表的单元格应能读出：缺失、错位或被拆分的行要核实",
      "打印的数值少于列数时无法确定每个数值属于哪一列（例如把一行7列印成6个数），读者会误读；"
      "拆分为非标准子行的行无法与其他单位汇总。",
      "对照年度报告格式补齐该行每一列的数值，不要省略或合并单元格。",
      failing=lambda: _missing_example(), passing=lambda: ctx())
def unreadable_cell(rule_, c):
    rows: dict[tuple, list] = {}
    for t, r, col, cv in _cells(c, MISSING):
        if cv.note and ("截断" in cv.note):
            continue
        rows.setdefault((t.key, r.key), []).append((t, r, col, cv))
    for (tk, rk), group in rows.items():
        r, cv = group[0][1], group[0][3]
        yield rule_.finding(
            f"表{_CN[tk]}「{r.label}」行有 {len(group)} 个单元格无法读取（{cv.note or '未找到'}）。",
            f"table {tk} row {rk}: {len(group)} cells could not be read ({cv.note or 'not found'}).",
            table=tk, row=rk, cells=[(tk, rk, g[2].key) for g in group], where=cv.where,
            source=c.report.source.path)
    inferred: dict[tuple, list] = {}
    for key, cv in c.report.cells.items():
        if cv.status == "inferred":
            inferred.setdefault(key[:2], []).append(cv)
    for (tk, rk), group in inferred.items():
        spec = FORMATS[c.report.format].table(tk)
        yield rule_.finding(
            f"表{_CN[tk]}「{spec.row(rk).label}」行打印的数值少于列数，{len(group)} 个单元格只能由勾稽关系推定"
            f"（{group[0].note}）；请核实原表。",
            f"table {tk} row {rk}: the row printed fewer values than columns; {len(group)} cells were inferred "
            "from identities. Check the original table.",
            table=tk, row=rk, cells=[cv.key for cv in group], where=group[0].where, source=c.report.source.path)


def _missing_example():
    x = ctx()
    for col in ("natural", "commercial", "total"):
        cv = x.report.cells[("t3", "partial", col)]
        cv.status, cv.value, cv.note = MISSING, None, "该行只打印了6个数值，少于7列，无法确定对应列"
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
