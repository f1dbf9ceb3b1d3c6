"""Plausibility (C6): values that are possible arithmetically but unlikely for this unit."""
from __future__ import annotations

import re

from ..formats import FORMATS
from ..report import READ
from .examples import ctx
from .model import INFO, WARNING, rule

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
    for col in ("made", "published", "total", "valid"):
        v = _v(rep, "t2", "regulations", col)
        if v:
            cv = rep.cells[("t2", "regulations", col)]
            yield rule_.finding(
                f"{rep.org}是街道/乡镇，但表二“规章”一行「{FORMATS[rep.format].table('t2').column('regulations', col).label}」填了 {v}。",
                f"{rep.org} is a street office or township but t2 regulations/{col} is {v}.",
                table="t2", row="regulations", col=col, cells=[cv.key], values={"value": v}, where=cv.where,
                source=rep.source.path)


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
      "以万元为单位的金额数值过大，疑似按元填报",
      "2021年格式表二“本年收费金额”单位为万元；2019年格式的采购总金额常以万元列示。按元填入会放大一万倍。",
      "核对单位：以万元填报时把元数除以 10000，保留四位小数。",
      failing=lambda: ctx(values={("t2", "fees", "amount"): 125000}),
      passing=lambda: ctx(values={("t2", "fees", "amount"): 12.5}))
def money_unit(rule_, c):
    rep = c.report
    for row, col in (("fees", "amount"), ("procurement", "amount")):
        cv = rep.cells.get(("t2", row, col))
        if cv is None or cv.status != READ or not cv.value:
            continue
        unit = cv.unit or ("万元" if rep.format == "2021" and row == "fees" else None)
        if unit == "万元" and cv.value >= 10000:
            yield rule_.finding(
                f"表二「{'本年收费金额' if row == 'fees' else '采购总金额'}」为 {cv.value} 万元（即 {cv.value / 10000:g} 亿元），疑似按元填报。",
                f"t2 {row}/{col} is {cv.value} 万元; it looks like a value in 元.",
                table="t2", row=row, col=col, cells=[cv.key], values={"value": cv.value, "unit": unit},
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
