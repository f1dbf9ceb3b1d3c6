"""Arithmetic: the hard identities H1–H4 of the format, and H5 (counts are non-negative integers)."""
from __future__ import annotations

from ..formats import COUNT, FORMATS, SIGNED
from ..report import BLANK, INFERRED, NOT_APPLICABLE, READ
from .examples import ctx
from .identities import Broken, broken_identities
from .model import ERROR, Context, rule
from .shared import cells_by_status

_T3_ROW = {"new_received": "一", "carried_over": "二", "total": "三（七）总计", "carried_forward": "四"}


def _label(report, t, r, c) -> str:
    spec = FORMATS[report.format].table(t)
    if t == "t4":
        return f"{spec.row(r).label}·{spec.column(r, c).label}"
    row = _T3_ROW.get(r) or spec.row(r).label
    return f"{row}·{spec.column(r, c).label}"


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _shown(rep, k) -> str:
    cv = rep.cells[k]
    if cv.status == BLANK:
        return "空白"
    if cv.status == NOT_APPLICABLE:
        return f"“{cv.raw}”"
    if cv.status not in (READ, INFERRED) or cv.value is None:
        return "未读取"
    return _fmt(cv.value)


def _head(rep, spec, ident):
    table = ident.lhs[0][0]
    if ident.along == "col":
        return (f"表三「{spec.table(table).column('total', ident.key).label}」列", f"t3 column '{ident.key}'",
                None, ident.key)
    if ident.along == "row":
        return (f"表三「{_T3_ROW.get(ident.key) or spec.table(table).row(ident.key).label}」行",
                f"t3 row '{ident.key}'", ident.key, "total")
    return f"表四「{spec.table(table).row(ident.key).label}」", f"t4 group '{ident.key}'", ident.key, "total"


def _groups(broken: list[Broken], code: str) -> list[list[Broken]]:
    """Broken identities of one code; those whose only blank is the same column (a row identity) or
    the same row (a column identity), with the value it implies, are one group: one finding for a blank
    column or row."""
    singles, groups = [], {}
    for b in broken:
        if b.ident.code != code:
            continue
        if b.suspect is None and len(b.blanks) == 1 and b.expected is not None:
            k = b.blanks[0]
            groups.setdefault(k[2] if b.ident.along != "col" else k[1], []).append(b)
        else:
            singles.append([b])
    return singles + list(groups.values())


def _identity_findings(rule_, ctx_: Context, code: str):
    rep = ctx_.report
    spec = FORMATS.get(rep.format or "")
    for group in _groups(ctx_.memo("broken_identities", broken_identities), code):
        if len(group) > 1:
            yield _blank_line_finding(rule_, rep, spec, group)
            continue
        b = group[0]
        ident, lhs, rhs = b.ident, b.lhs, b.rhs
        table = ident.lhs[0][0]
        head, head_en, row, col = _head(rep, spec, ident)
        ls = " + ".join(f"{_label(rep, *k)}（{_shown(rep, k)}）" for k in ident.lhs)
        rs = " + ".join(f"{_label(rep, *k)}（{_shown(rep, k)}）" for k in ident.rhs
                        if rep.cells[k].value or rep.cells[k].status != READ or len(ident.rhs) <= 5)
        lop = "≥" if any(k in b.unread for k in ident.lhs) else "="
        rop = "≥" if any(k in b.unread for k in ident.rhs) else "="
        msg = f"{head}：{ls} {lop} {_fmt(lhs)}，但 {rs or '各项'} {rop} {_fmt(rhs)}，相差 {_fmt(abs(lhs - rhs))}。"
        msg_en = (f"{head_en}: {' + '.join('/'.join(k[1:]) for k in ident.lhs)} {lop} {_fmt(lhs)} but the other side "
                  f"sums to {'at least ' if rop == '≥' else ''}{_fmt(rhs)} (difference {_fmt(abs(lhs - rhs))}).")
        values = {"lhs": lhs, "rhs": rhs, "difference": lhs - rhs}
        if b.unread:
            msg = msg.replace("相差", "至少相差")
            msg += (f"其中 {'、'.join('「' + _label(rep, *k) + '」' for k in b.unread)} 未能读取；已读出的各项之和已经超过"
                    "另一边，件数不会是负数，无论未读取的单元格是多少，勾稽关系都不成立。")
            msg_en += (f" Not read: {', '.join('/'.join(k[1:]) for k in b.unread)}; the cells read already sum to more "
                       "than the other side, and counts are never negative, so the identity fails whatever they hold.")
            values["unread"] = [list(k) for k in b.unread]
        where = rep.cells[ident.lhs[0]].where
        if b.blanks:
            msg += f"其中 {'、'.join('「' + _label(rep, *k) + '」' for k in b.blanks)} 为空白，按 0 计；" \
                   "年度报告格式要求没有发生的填 0，空白处应填数字。"
            msg_en += f" Blank cells counted as 0: {', '.join('/'.join(k[1:]) for k in b.blanks)}."
            values["blanks"] = [list(k) for k in b.blanks]
        if b.suspect is not None:
            k = b.suspect
            row, col = k[1], k[2]
            msg += f"几处勾稽关系都经过「{_label(rep, *k)}」（现为{_shown(rep, k)}），该格最可能填错：按勾稽关系应为 {_fmt(b.expected)}。"
            msg_en += f" The broken identities meet in {'/'.join(k[1:])}: likely mistyped, implied value {_fmt(b.expected)}."
            values.update(suspect=list(k), expected=b.expected)
            where = rep.cells[k].where or where
        elif b.expected is not None:
            k = b.blanks[0]
            row, col = k[1], k[2]
            msg += f"若只是「{_label(rep, *k)}」漏填，按勾稽关系应为 {_fmt(b.expected)}。"
            msg_en += f" If only {'/'.join(k[1:])} was left out, it should be {_fmt(b.expected)}."
            values.update(suspect=list(k), expected=b.expected)
            where = rep.cells[k].where or where
        elif b.split is not None:
            a, n, joined = b.split
            msg += (f"「{_label(rep, *a)}」（{_shown(rep, a)}）与「{_label(rep, *n)}」（{_shown(rep, n)}）"
                    f"可能是同一个数 {joined} 被拆在相邻两格，请核对原表。")
            msg_en += f" {'/'.join(a[1:])} and {'/'.join(n[1:])} may be one number {joined} split across two cells."
            values["split"] = {"cells": [list(a), list(n)], "joined": joined}
        hint = None
        if values.get("expected") is not None:
            k = tuple(values["suspect"])
            hint = (f"按勾稽关系，「{_label(rep, *k)}」应为 {_fmt(values['expected'])}"
                    f"（现为{_shown(rep, k)}）；核对原始台账后更正，没有发生的填 0。")
        elif b.blanks:
            hint = "空白处填写数字（没有发生的填 0），再逐项核对：" + rule_.hint
        yield rule_.finding(msg, msg_en, hint=hint, table=table, row=row, col=col, cells=list(ident.cells()),
                            values=values, where=where, source=rep.source.path)


def _blank_line_finding(rule_, rep, spec, group: list[Broken]):
    """One finding for a column (or row) whose blanks break an identity in each of several lines."""
    k0 = group[0].blanks[0]
    table = k0[0]
    if group[0].ident.along != "col":
        line = f"「{spec.table(table).column(k0[1], k0[2]).label}」列"
        row, col = None, k0[2]
    else:
        line = f"「{spec.table(table).row(k0[1]).label}」行"
        row, col = k0[1], None
    parts = "、".join(f"「{_label(rep, *b.blanks[0])}」应为 {_fmt(b.expected)}" for b in group)
    cells = [k for b in group for k in b.ident.cells()]
    return rule_.finding(
        f"表{'三' if table == 't3' else '四'}{line}有 {len(group)} 个单元格为空白，按 0 计时勾稽关系不成立；"
        f"年度报告格式要求填写数字。按勾稽关系：{parts}。",
        f"{table}: {len(group)} blank cells in one line break an identity each when counted as 0: "
        + ", ".join(f"{'/'.join(b.blanks[0][1:])} should be {_fmt(b.expected)}" for b in group) + ".",
        hint=f"按勾稽关系填写这些空白：{parts}；核对原始台账后更正，没有发生的填 0。",
        table=table, row=row, col=col, cells=list(dict.fromkeys(cells)),
        values={"blanks": [list(b.blanks[0]) for b in group],
                "expected_by_cell": {"/".join(b.blanks[0]): b.expected for b in group}},
        where=rep.cells[group[0].blanks[0]].where, source=rep.source.path)


@rule("H101", "carry-balance-mismatch", ERROR, "arithmetic",
      "表三每一列：第一项加第二项之和等于第三项加第四项之和（H1）",
      "表三表头印明的勾稽关系“第一项加第二项之和，等于第三项加第四项之和”（国办公开办函〔2019〕60号、〔2021〕30号）。"
      "本年新收与上年结转的申请，要么本年办结，要么结转下年。",
      "逐列核对：本年新收 + 上年结转 应等于 办理结果总计 + 结转下年度继续办理；找出录错的单元格后更正。",
      failing=lambda: ctx(values={("t3", "new_received", "natural"): 6, ("t3", "new_received", "total"): 7}),
      passing=lambda: ctx())
def carry_balance(rule_, c):
    yield from _identity_findings(rule_, c, "H1")


@rule("H201", "outcome-total-mismatch", ERROR, "arithmetic",
      "表三每一列：（七）总计等于（一）至（六）各项办理结果之和（H2）",
      "（七）总计是各办理结果之和；2021年格式中（六）其他处理为其三个子项之和（国办公开办函〔2021〕30号）。",
      "逐列把（一）至（六）各项相加，与（七）总计比较；更正加错的总计或漏填的分项。",
      failing=lambda: ctx(values={("t3", "granted", "natural"): 4, ("t3", "granted", "total"): 5,
                                  ("t3", "carried_forward", "natural"): 0, ("t3", "carried_forward", "total"): 0}),
      passing=lambda: ctx())
def outcome_total(rule_, c):
    yield from _identity_findings(rule_, c, "H2")


@rule("H301", "applicant-total-mismatch", ERROR, "arithmetic",
      "表三每一行：总计等于自然人与五类法人或其他组织之和（H3）",
      "“总计”列是申请人情况各列之和（年度报告格式表三）。",
      "逐行把自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他相加，与总计比较并更正。",
      failing=lambda: ctx(values={("t3", "granted", "total"): 5}),
      passing=lambda: ctx())
def applicant_total(rule_, c):
    yield from _identity_findings(rule_, c, "H3")


@rule("H401", "litigation-total-mismatch", ERROR, "arithmetic",
      "表四每一组：总计等于结果维持、结果纠正、其他结果、尚未审结之和（H4）",
      "表四行政复议、未经复议直接起诉、复议后起诉三组各有“总计”，为四种结果之和（年度报告格式表四）。",
      "把该组四种结果相加，与总计比较并更正。",
      failing=lambda: ctx(values={("t4", "review", "total"): 2}),
      passing=lambda: ctx())
def litigation_total(rule_, c):
    yield from _identity_findings(rule_, c, "H4")


@rule("H501", "negative-or-fractional-count", ERROR, "arithmetic",
      "件数必须是非负整数，金额不能为负（H5；只有2019年格式“本年增/减”可以为负）",
      "表二、表三、表四的件数是计数，不能为负数或小数；金额可以有小数但不能为负；只有2019年格式的“本年增/减”可以为负。",
      "检查该单元格是否录错（例如把增减数填进了件数列、多打了负号），改为非负数。",
      failing=lambda: ctx(values={("t3", "granted", "natural"): -3}),
      passing=lambda: ctx())
def negative_count(rule_, c):
    rep = c.report
    for t, r, col, cv in c.memo("cells_by_status", cells_by_status).get(READ, []):
        if cv.value is None or col.kind == SIGNED:
            continue
        fractional = col.kind == COUNT and isinstance(cv.value, float) and not cv.value.is_integer()
        if cv.value < 0 or fractional:
            what = "件数应为非负整数" if col.kind == COUNT else "金额不能为负"
            yield rule_.finding(
                f"表{'二三四'[int(t.key[1]) - 2]}「{r.label}」行「{col.label}」为 {_fmt(cv.value)}，{what}。",
                f"{t.key} {r.key}/{col.key} is {_fmt(cv.value)}; "
                + ("counts are non-negative integers." if col.kind == COUNT else "amounts cannot be negative."),
                table=t.key, row=r.key, col=col.key, cells=[(t.key, r.key, col.key)],
                values={"value": cv.value}, where=cv.where, source=rep.source.path)
    spec = FORMATS.get(rep.format or "")
    for e in rep.extra_rows if spec else ():
        ref = e.parent or e.after
        try:
            cols = {col.key: col for col in spec.table(e.table).columns_of(ref)} if ref else {}
        except KeyError:
            cols = {}
        for k, v in e.values.items():
            col = cols.get(k)
            if v is not None and v < 0 and (col is None or col.kind != SIGNED):
                yield rule_.finding(
                    f"表{'二三四'[int(e.table[1]) - 2]}「{e.label.strip()}」行「{col.label if col else k}」为 {_fmt(v)}，"
                    "件数和金额不能为负。",
                    f"{e.table} row '{e.label.strip()}' {k} is {_fmt(v)}; counts and amounts cannot be negative.",
                    table=e.table, values={"value": v, "row_label": e.label.strip()}, where=e.where,
                    source=rep.source.path)
