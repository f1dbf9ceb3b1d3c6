"""Answer deadlines per 条例 and 国办函〔2020〕109号, with the working shown.

- 第三十一条: the period runs from the ledger's 收到日期, the day the request counts as received (handed in /
  signed for / confirmed with the applicant), not from its 提交日期 (posted, sent online after hours).
- 第三十三条: answer within 20 working days of receipt; one extension of at most 20 working days.
  Time spent consulting third parties or other agencies (征求意见天数, in working days) does not count.
- 第三十条: after a 补正 notice the period restarts from receipt of the corrected request.
- 109号: after a 收费通知 the applicant has 20 working days to pay; the time until payment does not
  count toward the answer period.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .calendar import Day, WorkCalendar
from .ledger import RECEIPT_RULE, Request

ANSWER_DAYS = 20
EXTENSION_DAYS = 20
PAY_DAYS = 20


@dataclass
class Deadline:
    request: Request
    start: dt.date                # the day the period runs from
    due: dt.date
    steps: list[str] = field(default_factory=list)     # the working, in Chinese
    skipped: list[Day] = field(default_factory=list)   # non-working days inside the period
    waiting_for: str | None = None                     # "补正" | "缴费" when the clock is stopped

    def left(self, today: dt.date, cal: WorkCalendar) -> int:
        """Working days left (negative when overdue)."""
        if today <= self.due:
            return cal.workdays_between(today, self.due)
        return -cal.workdays_between(self.due, today)


def deadline(req: Request, cal: WorkCalendar) -> Deadline:
    steps: list[str] = []
    start = req.received
    rule = RECEIPT_RULE.get(req.way)
    if req.submitted and req.submitted != start:
        day, art = rule if rule else ("收到申请之日", "第三十一条")
        steps.append(f"{req.submitted} {req.way or ''}提交，{start} 为{day}（{art}），期限自收到日期起算，"
                     f"提交日期不计")
    elif rule:
        steps.append(f"收到日期 {start}（{req.way}提交，以{rule[0]}为收到申请之日，{rule[1]}）")
    else:
        steps.append(f"收到日期 {start}（第三十一条）")
    waiting = None
    if req.correction_notice:
        if req.correction_received:
            start = req.correction_received
            steps.append(f"{req.correction_notice} 发出补正告知，{start} 收到补正后的申请，期限自此重新计算（第三十条）")
        else:
            waiting = "补正"
            steps.append(f"{req.correction_notice} 发出补正告知，尚未收到补正（第三十条）")
    days = ANSWER_DAYS
    steps.append(f"答复期限 {ANSWER_DAYS} 个工作日（第三十三条）")
    if req.extended:
        days += EXTENSION_DAYS
        steps.append(f"经批准延长 {EXTENSION_DAYS} 个工作日（第三十三条）")
    if req.consultation_days:
        days += req.consultation_days
        steps.append(f"征求意见 {req.consultation_days} 个工作日不计入期限（第三十三条）")
    if req.fee_notice:
        if req.fee_paid:
            pause = cal.workdays_between(req.fee_notice, req.fee_paid)
            days += pause
            steps.append(f"{req.fee_notice} 发出收费通知，{req.fee_paid} 缴费，其间 {pause} 个工作日不计入（国办函〔2020〕109号）")
        else:
            waiting = waiting or "缴费"
            pay_due, _ = cal.add_workdays(req.fee_notice, PAY_DAYS)
            steps.append(f"{req.fee_notice} 发出收费通知，申请人应在 {pay_due} 前缴费，逾期视为放弃（国办函〔2020〕109号）")
    due, walked = cal.add_workdays(start, days)
    steps.append(f"从 {start} 的次日起数 {days} 个工作日，到期日 {due}")
    return Deadline(req, start, due, steps, [d for d in walked if not d.workday or d.reason == "调休上班"], waiting)


def explain(dl: Deadline) -> str:
    lines = [f"申请 {dl.request.id}（第{dl.request.row}行）到期日：{dl.due}"]
    lines += [f"  · {s}" for s in dl.steps]
    if dl.skipped:
        lines.append("  跳过或调整的日期：")
        for d in dl.skipped:
            lines.append(f"    {d.date}（{'一二三四五六日'[d.date.weekday()]}）{d.reason}")
    return "\n".join(lines) + "\n"
