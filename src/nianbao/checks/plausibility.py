"""Plausibility (C6): values that are possible arithmetically but unlikely for this unit."""
from __future__ import annotations

import re

from ..formats import FORMATS
from ..report import READ
from .examples import ctx
from .model import ERROR, INFO, WARNING, rule
from .unit_level import TOWNSHIP, fee_limit, unit_level

_TOWNSHIP = re.compile(r"(街道办事处|街道|办事处|镇人民政府|乡人民政府|镇|乡|街)$")
_ITEMS_IN_TEXT = re.compile(r"(?:主动)?公开(?:政府|政务)?信息(?:总计|共计|共)?\s*(\d{2,6})\s*条")


def _v(rep, t, r, c):
    cv = rep.cells.get((t, r, c))
    return cv.value if cv is not None and cv.status == READ else None


@rule("P101", "township-reports-regulations", WARNING, "plausibility",
      "街道、乡镇不能制定规章，表二“规章”应为 0",
      "《立法法》规定规章由国务院部门和省、设区的市人民政府制定；街道办事处、乡镇人民政府无权制定规章。",
      "核实后把“规章”一行改为 0，本单位制发的文件计入（行政）规范性文件或不计入表二。",
      failing=lambda: ctx(values={("t2", "regulations", "made"): 3}), passing=lambda: ctx())
def township_regulations(rule_, c):
    rep = c.report
    if not rep.org or not _TOWNSHIP.search(rep.org) or "t2" not in rep.present:
        return
    spec = FORMATS[rep.format].table("t2")
    filled = [(col, _v(rep, "t2", "regulations", col.key)) for col in spec.columns_of("regulations")]
    filled = [(col, v) for col, v in filled if v]
    if filled:
        cv = rep.cells[("t2", "regulations", filled[0][0].key)]
        yield rule_.finding(
            f"{rep.org}是街道/乡镇，但表二“规章”一行填了数："
            + "、".join(f"「{col.label}」{v:g}" for col, v in filled) + "。",
            f"{rep.org} is a street office or township but t2 regulations has "
            + ", ".join(f"{col.key} = {v:g}" for col, v in filled) + ".",
            table="t2", row="regulations", col=filled[0][0].key if len(filled) == 1 else None,
            cells=[("t2", "regulations", col.key) for col, _ in filled], values={col.key: v for col, v in filled},
            where=cv.where, source=rep.source.path)


@rule("P102", "normative-equals-all-items", WARNING, "plausibility",
      "表二“规范性文件”件数恰好等于正文所说主动公开的信息总条数",
      "规范性文件只是主动公开信息中的一小类；两者相等通常说明把全部公开信息误填进了规范性文件一行。",
      "只统计本机关制发的（行政）规范性文件，其他主动公开信息不计入此行。",
      failing=lambda: ctx(values={("t2", "normative", "made"): 120}),
      passing=lambda: ctx(values={("t2", "normative", "made"): 2}))
def normative_equals_items(rule_, c):
    rep = c.report
    text = "\n".join([rep.preamble] + [s.text for s in rep.sections if s.number in (1, 2)])
    totals = {int(m.group(1)) for m in _ITEMS_IN_TEXT.finditer(text)}
    for col in ("made", "published"):
        v = _v(rep, "t2", "normative", col)
        if v and v >= 10 and v in totals:
            cv = rep.cells[("t2", "normative", col)]
            yield rule_.finding(
                f"表二“规范性文件”「{FORMATS[rep.format].table('t2').column('normative', col).label}」为 {v}，与正文所说主动公开信息总数 {v} 条相同，疑似把全部公开信息填入了规范性文件。",
                f"t2 normative/{col} is {v}, equal to the total number of items the text says were disclosed.",
                table="t2", row="normative", col=col, cells=[cv.key], values={"value": v}, where=cv.where,
                source=rep.source.path)
            return


@rule("P103", "money-unit-suspect", WARNING, "plausibility",
      "以万元为单位的金额数值过大，疑似按元填报（按单位层级判断）",
      "2021年格式表二“本年收费金额”单位为万元；2019年格式的采购总金额常以万元列示。按元填入会放大一万倍。"
      "多大算“过大”取决于单位层级（从发布机关名称判断）：乡镇、街道 5,000 万元，县级 50 万万元（50亿元），"
      "地市级及层级不明 500 万万元，省级 5,000 万万元；地级市收费数亿元属正常。",
      "核对单位：以万元填报时把元数除以 10000，保留四位小数。",
      failing=lambda: ctx(values={("t2", "fees", "amount"): 125000}),
      passing=lambda: ctx(org="示例市人民政府", values={("t2", "fees", "amount"): 96171.6}))
def money_unit(rule_, c):
    rep = c.report
    lv = unit_level(rep.org)
    for row, col in (("fees", "amount"), ("procurement", "amount")):
        cv = rep.cells.get(("t2", row, col))
        if cv is None or cv.status != READ or not cv.value:
            continue
        unit = cv.unit or ("万元" if rep.format == "2021" and row == "fees" else None)
        limit = fee_limit(lv) * (5 if row == "procurement" else 1)
        if unit == "万元" and cv.value >= limit:
            yield rule_.finding(
                f"表二「{'本年收费金额' if row == 'fees' else '采购总金额'}」为 {cv.value:g} 万元（即 {cv.value / 10000:g} 亿元），"
                f"对{lv.describe()}而言过大（{limit:,} 万元以上），疑似按元填报。",
                f"t2 {row}/{col} is {cv.value:g} 万元, too large for this unit's level ({limit:,} 万元 or more); "
                "it looks like a value in 元.",
                table="t2", row=row, col=col, cells=[cv.key],
                values={"value": cv.value, "unit": unit, "limit": limit, "level": lv.level},
                where=cv.where, source=rep.source.path)


@rule("P104", "change-without-decisions", INFO, "plausibility",
      "2019年格式：“本年增/减”不为 0，但上一年项目数量和处理决定数量都是 0",
      "“上一年项目数量 + 本年增/减”是本年的事项数；本年新增事项却没有任何处理决定，常见于把办件量误填入增减栏。",
      "核对“本年增/减”是否填成了办件量或事项数；处理决定数量填本年作出的决定件数。",
      failing=lambda: ctx(fmt="2019", values={("t2", "coercion", "change"): 20}),
      passing=lambda: ctx(fmt="2019"))
def change_without_decisions(rule_, c):
    rep = c.report
    if rep.format != "2019":
        return
    for row in ("licensing", "other_services", "punishment", "coercion"):
        prev, change, dec = (_v(rep, "t2", row, k) for k in ("previous", "change", "decisions"))
        if change and prev == 0 and dec == 0:
            cv = rep.cells[("t2", row, "change")]
            yield rule_.finding(
                f"表二「{FORMATS['2019'].table('t2').row(row).label}」上一年项目数量为 0、处理决定数量为 0，本年增/减却为 {change:+g}。",
                f"t2 {row}: previous 0 and decisions 0, but change is {change:+g}.",
                table="t2", row=row, col="change", cells=[cv.key], values={"change": change}, where=cv.where,
                source=rep.source.path)


@rule("P105", "project-count-below-zero", ERROR, "plausibility",
      "2019年格式：上一年项目数量 + 本年增/减 不能小于 0",
      "“上一年项目数量 + 本年增/减”是本年的事项数，不可能为负；为负说明某一格填错（例如减少数大于原有数）。",
      "核对“上一年项目数量”和“本年增/减”，使二者之和为本年实有事项数（不小于 0）。",
      failing=lambda: ctx(fmt="2019", values={("t2", "coercion", "change"): -3}),
      passing=lambda: ctx(fmt="2019", values={("t2", "coercion", "previous"): 3, ("t2", "coercion", "change"): -3}))
def project_count_below_zero(rule_, c):
    rep = c.report
    if rep.format != "2019" or "t2" not in rep.present:
        return
    spec = FORMATS["2019"].table("t2")
    for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
        prev, change = _v(rep, "t2", row, "previous"), _v(rep, "t2", row, "change")
        prev_blank = rep.cells[("t2", row, "previous")].status in ("blank", "not_applicable")
        if change is None or (prev is None and not prev_blank):
            continue
        now = (prev or 0) + change
        if now < 0:
            cv = rep.cells[("t2", row, "change")]
            yield rule_.finding(
                f"表二「{spec.row(row).label}」上一年项目数量 {prev if prev is not None else '空白（按 0 计）'} + "
                f"本年增/减 {change:+g} = {now:g}，本年事项数不能为负。",
                f"t2 {row}: previous {prev} + change {change:+g} = {now:g}; the number of items cannot be negative.",
                table="t2", row=row, col="change", cells=[("t2", row, "previous"), cv.key],
                values={"previous": prev, "change": change, "sum": now}, where=cv.where, source=rep.source.path)


@rule("P106", "published-exceeds-total", ERROR, "plausibility",
      "2019年格式：本年新公开数量不能大于对外公开总数量",
      "对外公开总数量包含本年新公开的文件；本年新公开的多于公开总数是不可能的，说明填错了列或数。",
      "核对“本年新公开数量”和“对外公开总数量”：总数应不小于本年新公开数。",
      failing=lambda: ctx(fmt="2019", values={("t2", "normative", "published"): 5, ("t2", "normative", "total"): 3}),
      passing=lambda: ctx(fmt="2019", values={("t2", "normative", "published"): 3, ("t2", "normative", "total"): 5}))
def published_exceeds_total(rule_, c):
    rep = c.report
    if rep.format != "2019" or "t2" not in rep.present:
        return
    spec = FORMATS["2019"].table("t2")
    for row in ("regulations", "normative"):
        pub, total = _v(rep, "t2", row, "published"), _v(rep, "t2", row, "total")
        total_blank = rep.cells[("t2", row, "total")].status == "blank"
        if pub is None or (total is None and not total_blank):
            continue
        if pub > (total or 0):
            cv = rep.cells[("t2", row, "published")]
            yield rule_.finding(
                f"表二「{spec.row(row).label}」本年新公开数量为 {pub:g}，大于对外公开总数量 "
                f"{total if total is not None else '空白（按 0 计）'}。",
                f"t2 {row}: published this year {pub:g} exceeds the total published {total}.",
                table="t2", row=row, col="published", cells=[cv.key, ("t2", row, "total")],
                values={"published": pub, "total": total}, where=cv.where, source=rep.source.path)


NORMATIVE_LIMIT = {"made": 10, "published": 10, "total": 50, "valid": 50, "repealed": 10}


@rule("P107", "township-many-normative-documents", WARNING, "plausibility",
      "街道、乡镇的规范性文件件数过多（本年制发、新制作、新公开或废止超过 10 件，现行有效、对外公开总数超过 50 件）",
      "街道办事处、乡镇人民政府制发行政规范性文件很少；数量过大通常是把一般公开文件或全部主动公开信息计入了规范性文件一行。",
      "只统计本机关制发的（行政）规范性文件；其他公开信息不计入此行。",
      failing=lambda: ctx(values={("t2", "normative", "made"): 40}),
      passing=lambda: ctx(values={("t2", "normative", "made"): 2}))
def township_normative(rule_, c):
    rep = c.report
    if unit_level(rep.org).kind != TOWNSHIP or "t2" not in rep.present:
        return
    spec = FORMATS[rep.format].table("t2")
    over = []
    for col in spec.columns_of("normative"):
        v = _v(rep, "t2", "normative", col.key)
        if v is not None and v > NORMATIVE_LIMIT.get(col.key, 50):
            over.append((col, v))
    if over and not list(_p102(c)):
        cv = rep.cells[("t2", "normative", over[0][0].key)]
        yield rule_.finding(
            f"{rep.org}是街道/乡镇，表二「{spec.row('normative').label}」" +
            "、".join(f"「{col.label}」为 {v:g}" for col, v in over) + "，超过通常范围，请核实。",
            f"{rep.org} is a street office or township but t2 normative has " +
            ", ".join(f"{col.key} = {v:g}" for col, v in over) + ".",
            table="t2", row="normative", col=over[0][0].key, cells=[("t2", "normative", col.key) for col, _ in over],
            values={col.key: v for col, v in over}, where=cv.where, source=rep.source.path)


def _p102(c):
    """P102 names the same row with a sharper reason; then P107 stays silent."""
    from .model import RULES
    return RULES["P102"].check(c)
