"""Fees (C5) and the publication deadline (第四十九条)."""
from __future__ import annotations

import datetime as dt
import re

from ..report import READ
from .examples import ctx
from .model import WARNING, rule


@rule("F101", "fee-not-explained", WARNING, "fees",
      "2021年格式：有申请因逾期未缴费不再处理（表三（六）2），第六部分应说明信息处理费情况（C5）",
      "国办函〔2020〕109号《政府信息公开信息处理费管理办法》；年度报告格式要求在第六部分报告收取信息处理费的情况。",
      "在第六部分写明本年度发出收费通知、收取信息处理费的件数和金额。",
      failing=lambda: _fee_example("本年度无其他需要报告的事项。"),
      passing=lambda: _fee_example("本年度发出收费通知1件，申请人未缴纳信息处理费。"))
def fee_explained(rule_, c):
    rep = c.report
    cv = rep.cells.get(("t3", "other_2", "total"))
    if rep.format != "2021" or cv is None or cv.status != READ or not cv.value:
        return
    six = rep.section(6)
    if six is None or "处理费" not in six.text:
        yield rule_.finding(
            f"表三（六）2 有 {cv.value} 件申请因逾期未缴费不再处理，但第六部分没有说明信息处理费情况。",
            f"t3 other_2/total is {cv.value} but section 6 does not mention information processing fees.",
            table="t3", row="other_2", col="total", cells=[cv.key], values={"value": cv.value},
            where=cv.where, source=rep.source.path)


def _fee_example(six_text: str):
    x = ctx(sections={6: six_text}, values={("t3", "other_2", "natural"): 1, ("t3", "other_2", "total"): 1,
                                            ("t3", "unable_1", "natural"): 0, ("t3", "unable_1", "total"): 0})
    return x


_GOVERNMENT = re.compile(r"人民政府$")
_TOWNSHIP = re.compile(r"(镇|乡|街道|街道办事处|办事处)(人民政府)?$")


def deadline(org: str | None, year: int) -> dt.date | None:
    """第四十九条: departments by 1月31日, a government's own report by 3月31日; townships: set locally."""
    if not org or _TOWNSHIP.search(org):
        return None
    if _GOVERNMENT.search(org):
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


@rule("F102", "published-late", WARNING, "fees",
      "年度报告应按期公布：部门1月31日前，人民政府3月31日前（第四十九条）",
      "《政府信息公开条例》第四十九条：县级以上人民政府部门应于每年1月31日前、县级以上地方人民政府应于每年3月31日前"
      "公布本机关上一年度的年度报告。乡镇、街道的期限由各地规定，此处不检查。",
      "按期公布；已逾期的在报告中说明原因。",
      failing=lambda: _late_example("2023-02-15"), passing=lambda: _late_example("2023-01-20"))
def published_late(rule_, c):
    rep = c.report
    if not c.published or not rep.year:
        return
    due = deadline(rep.org, rep.year)
    try:
        when = dt.date.fromisoformat(c.published)
    except ValueError:
        return
    if due and when > due:
        yield rule_.finding(
            f"{rep.org}的{rep.year}年度报告于 {when:%Y年%m月%d日} 公布，晚于 {due:%Y年%m月%d日} 的期限 {(when - due).days} 天。",
            f"published {when.isoformat()}, {(when - due).days} days after the deadline {due.isoformat()}.",
            values={"published": when.isoformat(), "deadline": due.isoformat()}, source=rep.source.path)


def _late_example(date: str):
    x = ctx(org="示例市生态环境局")
    x.published = date
    return x
