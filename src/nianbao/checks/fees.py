"""Fees (C5) and the publication deadline (第四十九条)."""
from __future__ import annotations

import datetime as dt

from ..report import READ
from .examples import ctx
from .model import WARNING, rule
from .unit_level import deadline, published_date, unit_level


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


@rule("F102", "published-late", WARNING, "fees",
      "年度报告应按期公布：部门1月31日前，人民政府3月31日前（第四十九条）",
      "《政府信息公开条例》第四十九条：县级以上人民政府部门应于每年1月31日前、县级以上地方人民政府应于每年3月31日前"
      "公布本机关上一年度的年度报告。单位层级从发布机关名称判断；乡镇、街道的期限由各地规定，此处不检查。"
      "公布日期取 --published，否则取原文印出的发布日期（发布时间）或落款日期。",
      "按期公布；已逾期的在报告中说明原因。",
      failing=lambda: _late_example("2023-02-15"), passing=lambda: _late_example("2023-01-20"))
def published_late(rule_, c):
    rep = c.report
    if not rep.year:
        return
    how = "公布"
    if c.published:
        try:
            when = dt.date.fromisoformat(c.published)
        except ValueError:
            return
    else:
        found = published_date(rep)
        if found is None:
            return
        when, how = found[0], f"{found[1]}为"
    due = deadline(rep.org, rep.year)
    if due and when > due and when.year <= rep.year + 2:
        lv = unit_level(rep.org)
        yield rule_.finding(
            f"{rep.org}（{lv.describe()}）的{rep.year}年度报告{how} {when:%Y年%m月%d日}，晚于 {due:%Y年%m月%d日} 的期限 "
            f"{(when - due).days} 天。",
            f"published {when.isoformat()}, {(when - due).days} days after the deadline {due.isoformat()}.",
            values={"published": when.isoformat(), "deadline": due.isoformat(), "level": lv.level},
            source=rep.source.path)


def _late_example(date: str):
    x = ctx(org="示例市生态环境局")
    x.published = date
    return x
