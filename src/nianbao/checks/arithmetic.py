"""Arithmetic: the hard identities H1–H4 of the format, and H5 (counts are non-negative integers)."""
from __future__ import annotations

from ..formats import COUNT, FORMATS, SIGNED
from ..report import INFERRED, READ
from .examples import ctx
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


def broken_identities(ctx_: Context) -> list:
    """[(identity, lhs sum, rhs sum)] for every identity whose cells are all known and that does not hold."""
    rep = ctx_.report
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return []
    cells = rep.cells
    known = (READ, INFERRED)
    out = []
    for ident in spec.identities:
        if ident.lhs[0][0] not in rep.present:
            continue
        lhs = rhs = 0
        ok = True
        for k in ident.lhs:
            cv = cells[k]
            if cv.status not in known or cv.value is None:
                ok = False
                break
            lhs += cv.value
        if not ok:
            continue
        for k in ident.rhs:
            cv = cells[k]
            if cv.status not in known or cv.value is None:
                ok = False
                break
            rhs += cv.value
        if ok and lhs != rhs:
            out.append((ident, lhs, rhs))
    return out


def _identity_findings(rule_, ctx_: Context, code: str):
    rep = ctx_.report
    spec = FORMATS.get(rep.format or "")
    for ident, lhs, rhs in ctx_.memo("broken_identities", broken_identities):
        if ident.code != code:
            continue
        table = ident.lhs[0][0]
        if ident.along == "col":
            row, col = None, ident.key
            head = f"表三「{spec.table(table).column('total', ident.key).label}」列"
            head_en = f"t3 column '{ident.key}'"
        elif ident.along == "row":
            row, col = ident.key, "total"
            head = f"表三「{_T3_ROW.get(ident.key) or spec.table(table).row(ident.key).label}」行"
            head_en = f"t3 row '{ident.key}'"
        else:
            row, col = ident.key, "total"
            head = f"表四「{spec.table(table).row(ident.key).label}」"
            head_en = f"t4 group '{ident.key}'"
        ls = " + ".join(f"{_label(rep, *k)}（{_fmt(rep.cells[k].value)}）" for k in ident.lhs)
        rs = " + ".join(f"{_label(rep, *k)}（{_fmt(rep.cells[k].value)}）" for k in ident.rhs
                        if rep.cells[k].value or len(ident.rhs) <= 5)
        yield rule_.finding(
            f"{head}：{ls} = {_fmt(lhs)}，但 {rs or '各项'} = {_fmt(rhs)}，相差 {_fmt(abs(lhs - rhs))}。",
            f"{head_en}: {' + '.join('/'.join(k[1:]) for k in ident.lhs)} = {_fmt(lhs)} but the other side "
            f"sums to {_fmt(rhs)} (difference {_fmt(abs(lhs - rhs))}).",
            table=table, row=row, col=col, cells=list(ident.cells()),
            values={"lhs": lhs, "rhs": rhs, "difference": lhs - rhs},
            where=rep.cells[ident.lhs[0]].where, source=rep.source.path)


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
      "件数必须是非负整数（H5；2019年格式“本年增/减”和金额除外）",
      "表二、表三、表四的件数是计数，不能为负数或小数；只有2019年格式的“本年增/减”可以为负，金额可以有小数。",
      "检查该单元格是否录错（例如把增减数填进了件数列），改为非负整数。",
      failing=lambda: ctx(values={("t3", "granted", "natural"): -3}),
      passing=lambda: ctx())
def negative_count(rule_, c):
    rep = c.report
    for t, r, col, cv in c.memo("cells_by_status", cells_by_status).get(READ, []):
        if cv.value is None or col.kind != COUNT:
            continue
        if cv.value < 0 or isinstance(cv.value, float) and not cv.value.is_integer():
            yield rule_.finding(
                f"表{'二三四'[int(t.key[1]) - 2]}「{r.label}」行「{col.label}」为 {_fmt(cv.value)}，件数应为非负整数。",
                f"{t.key} {r.key}/{col.key} is {_fmt(cv.value)}; counts are non-negative integers.",
                table=t.key, row=r.key, col=col.key, cells=[(t.key, r.key, col.key)],
                values={"value": cv.value}, where=cv.where, source=rep.source.path)
