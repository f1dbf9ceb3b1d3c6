"""Completeness: tables, rows and cells that are absent, blank or unreadable."""
from __future__ import annotations

from ..formats import FORMATS
from ..report import BLANK, MISSING, NOT_APPLICABLE
from .examples import ctx, ctx_missing_row
from .model import ERROR, INFO, WARNING, Context, rule
from .shared import CN as _CN
from .identities import NO_VALUES, broken_identities, unfilled, unsure_tables
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
      "年度报告格式要求逐项填报数字；空白单元格无法区分“没有发生”和“漏填”，读者和汇总都无法使用。"
      "空白按 0 计时勾稽关系成立的，在此提示；不成立的，由 H101–H401 作为错误报告。",
      "没有发生的事项填 0，不适用的填“/”并说明。",
      failing=lambda: ctx(blank=(("t4", "direct", "maintain"), ("t4", "direct", "total"))), passing=lambda: ctx())
def blank_cell(rule_, c):
    rep = c.report
    named = {tuple(k) for b in c.memo("broken_identities", broken_identities) for k in b.blanks}
    unsure = unsure_tables(c)
    blanks = [(t, r, col, cv) for t, r, col, cv in _cells(c, BLANK)
              if cv.key not in named and not (t.key == "t3" and unfilled(rep, "t3", unsure))
              and not (t.key in unsure and cv.note and NO_VALUES in cv.note)]
    by_key = {cv.key: (t, r, col, cv) for t, r, col, cv in blanks}
    tables: dict[str, list] = {}
    for k in by_key:
        tables.setdefault(k[0], []).append(k)
    for tk, keys in tables.items():
        parts = []
        for line, ks in lines(keys):
            t, r, col, _ = by_key[ks[0]]
            if line == "row":
                parts.append(f"「{r.label}」行 " + "、".join(by_key[k][2].label for k in ks))
            else:
                parts.append(f"「{col.label}」列 " + "、".join(f"「{by_key[k][1].label}」" for k in ks))
        rows = {k[1] for k in keys}
        cols = {k[2] for k in keys}
        yield rule_.finding(
            f"表{_CN[tk]}有 {len(keys)} 个单元格为空白：{'；'.join(parts)}。" + ("（按 0 计时勾稽关系成立。）" if tk != "t2" else ""),
            f"table {tk}: {len(keys)} blank cells ({', '.join('/'.join(k[1:]) for k in keys)}).",
            table=tk, row=rows.pop() if len(rows) == 1 else None, col=cols.pop() if len(cols) == 1 else None,
            cells=keys, where=by_key[keys[0]][3].where, source=rep.source.path)


def lines(keys: list[tuple[str, str, str]]) -> list[tuple[str, list]]:
    """Cells grouped into lines: repeatedly the row or column holding most of the remaining cells
    (a row wins ties), so a blank column is one finding and a blank row another."""
    left = list(keys)
    out = []
    while left:
        rows: dict[tuple, list] = {}
        cols: dict[tuple, list] = {}
        for k in left:
            rows.setdefault((k[0], k[1]), []).append(k)
            cols.setdefault((k[0], k[2]), []).append(k)
        best_row = max(rows.values(), key=len)
        best_col = max(cols.values(), key=len)
        line, pick = ("row", best_row) if len(best_row) >= len(best_col) else ("col", best_col)
        out.append((line, pick))
        chosen = set(pick)
        left = [k for k in left if k not in chosen]
    order = {k: i for i, k in enumerate(keys)}
    return sorted(out, key=lambda lp: order[lp[1][0]])


@rule("M105", "unfilled-table", ERROR, "completeness",
      "表三不能整张空白未填写",
      "年度报告格式要求逐项填报，没有发生的事项填 0；整张表三空白等于没有报告依申请公开的情况（《政府信息公开条例》第五十条）。"
      "表二、表四整张空白时按空白单元格（M102）提示：没有主动公开事项或复议诉讼的单位常把 0 留空。",
      "按年度报告格式填写该表的每一格，没有发生的填 0。",
      failing=lambda: ctx(blank=tuple(k for k in FORMATS["2021"].template_cells() if k[0] == "t3")),
      passing=lambda: ctx())
def unfilled_table(rule_, c):
    rep = c.report
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return
    for t in spec.tables:
        if t.key == "t3" and t.key in rep.present and unfilled(rep, t.key, unsure_tables(c)):
            keys = [k for k, cv in rep.cells.items() if k[0] == t.key and cv.status == BLANK]
            total = len(t.cells())
            yield rule_.finding(
                f"表{_CN[t.key]}未填写：" + (f"全部 {total} 个单元格均为空白。" if len(keys) == total
                                            else f"读到的 {len(keys)} 个单元格均为空白。"),
                f"table {t.key} is not filled in: all {len(keys)} cells found are blank.",
                table=t.key, cells=keys, where=rep.cells[keys[0]].where, source=rep.source.path)


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
    return ctx_missing_row("该行拆分为非标准子行，子行数值另列为非标准行")


@rule("M104", "not-applicable-count", INFO, "completeness",
      "件数单元格印“/”“—”“无”等：请确认是否应为 0",
      "“/”表示不适用；对街道、乡镇等确实不适用的项目可以接受，但对申请件数等应当填报的统计项，应填 0。",
      "如该事项没有发生，填 0；如确不适用，在报告正文中说明。",
      failing=lambda: _na_example(), passing=lambda: ctx())
def not_applicable(rule_, c):
    tables: dict[str, list] = {}
    for t, r, col, cv in _cells(c, NOT_APPLICABLE):
        tables.setdefault(t.key, []).append((r, col, cv))
    for tk, group in tables.items():
        rows = {r.key for r, _, _ in group}
        cols = {col.key for _, col, _ in group}
        listed = "、".join(f"「{r.label}」行「{col.label}」印为“{cv.raw}”" for r, col, cv in group[:10]) \
            + ("等" if len(group) > 10 else "")
        yield rule_.finding(
            f"表{_CN[tk]}有 {len(group)} 个件数单元格印为“/”“—”等：{listed}。" if len(group) > 1
            else f"表{_CN[tk]}「{group[0][0].label}」行「{group[0][1].label}」印为“{group[0][2].raw}”。",
            f"table {tk}: {len(group)} cells printed as not applicable.",
            table=tk, row=rows.pop() if len(rows) == 1 else None, col=cols.pop() if len(cols) == 1 else None,
            cells=[cv.key for _, _, cv in group], where=group[0][2].where, source=c.report.source.path)


def _na_example():
    x = ctx()
    cv = x.report.cells[("t2", "regulations", "made")]
    cv.status, cv.value, cv.raw = NOT_APPLICABLE, None, "/"
    return x
