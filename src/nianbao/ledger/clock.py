"""Where each request's answer clock stands on a given day (条例 第三十条、第三十三条, 国办函〔2020〕109号).

One `Clock` per request, one state each:

| state               | when                                                                        |
|---------------------|-----------------------------------------------------------------------------|
| running             | open, the period runs, due date not passed                                  |
| extended            | the same, after an approved extension (第三十三条)                             |
| overdue             | open, the period runs, the due date has passed — the only real alarm        |
| paused_correction   | a 补正 notice sent, the corrected request not yet received (第三十条)          |
| paused_fee          | a fee notice sent, not yet paid (109号); the applicant's own payment deadline |
| answered            | answered on or before the due date                                          |
| answered_late       | answered after the due date (working days late given)                       |
| closed_correction   | closed as 逾期不补正 (表三 other_1)                                            |
| closed_fee          | closed as 逾期未缴费 (表三 other_2)                                            |
| unknown             | a day it needs lies in a year without a holiday schedule                    |

Besides the state, a 补正 notice sent more than 7 working days after receipt is flagged (第三十条).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .calendar import CalendarError, WorkCalendar
from .deadlines import ANSWER_DAYS, EXTENSION_DAYS, PAY_DAYS, Deadline, deadline
from .ledger import OUTCOMES, Request

CORRECTION_NOTICE_DAYS = 7      # 第三十条: one notice, within 7 working days of receipt

RUNNING, EXTENDED, OVERDUE = "running", "extended", "overdue"
PAUSED_CORRECTION, PAUSED_FEE = "paused_correction", "paused_fee"
ANSWERED, ANSWERED_LATE = "answered", "answered_late"
CLOSED_CORRECTION, CLOSED_FEE = "closed_correction", "closed_fee"
UNKNOWN = "unknown"

LABELS = {RUNNING: ("办理中", "running"), EXTENDED: ("办理中（已延期）", "running (extended)"),
          OVERDUE: ("已超期", "overdue"), PAUSED_CORRECTION: ("暂停：等待补正", "paused: waiting for 补正"),
          PAUSED_FEE: ("暂停：等待缴费", "paused: waiting for payment"), ANSWERED: ("按期答复", "answered on time"),
          ANSWERED_LATE: ("逾期答复", "answered late"), CLOSED_CORRECTION: ("已办结（逾期不补正）", "closed: no 补正"),
          CLOSED_FEE: ("已办结（逾期未缴费）", "closed: fee not paid"), UNKNOWN: ("无法计算", "cannot compute")}

# Sort order of `status`: real alarms first, then by urgency; paused clocks after running ones.
_RANK = {OVERDUE: 0, RUNNING: 1, EXTENDED: 1, PAUSED_FEE: 2, PAUSED_CORRECTION: 3, UNKNOWN: 4,
         ANSWERED_LATE: 5, ANSWERED: 6, CLOSED_CORRECTION: 6, CLOSED_FEE: 6}


@dataclass
class Clock:
    request: Request
    state: str
    deadline: Deadline | None = None     # None while paused for 补正, or when unknown
    left: int | None = None              # working days left (negative: overdue) for running clocks
    late_by: int | None = None           # working days after the due date, for answered_late
    pay_due: dt.date | None = None       # the applicant's payment deadline (fee notice + 20 working days)
    pay_expired: bool = False            # the payment deadline has passed: close as 逾期未缴费
    left_at_pause: int | None = None     # working days the period still had when a fee notice paused it
    since_notice: int | None = None      # working days since the 补正 notice (paused_correction)
    correction_notice_late: int | None = None   # working days from receipt to a 补正 notice, when > 7
    missing_year: int | None = None      # the year without a holiday schedule (unknown)

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None

    @property
    def alarm(self) -> bool:
        """A real overdue: the answer period runs and has passed."""
        return self.state == OVERDUE

    def label(self, lang: str = "zh") -> str:
        zh, en = LABELS[self.state]
        return zh if lang == "zh" else en

    def sort_key(self) -> tuple:
        d = self.due or self.pay_due or self.request.received
        return (_RANK[self.state], self.left if self.left is not None else 0, d)


def _closing(req: Request) -> str | None:
    rows = OUTCOMES.get(req.outcome or "")
    if rows and rows[1] == "other_1":
        return CLOSED_CORRECTION
    if rows and rows[1] == "other_2":
        return CLOSED_FEE
    return None


def clock(req: Request, cal: WorkCalendar, today: dt.date) -> Clock:
    """The request's clock on `today`. Never raises for a missing holiday year: the state is `unknown`."""
    try:
        return _clock(req, cal, today)
    except CalendarError as e:
        return Clock(req, UNKNOWN, missing_year=getattr(e, "year", None))


def _clock(req: Request, cal: WorkCalendar, today: dt.date) -> Clock:
    late_notice = None
    if req.correction_notice:
        used = cal.workdays_between(req.received, req.correction_notice)
        if used > CORRECTION_NOTICE_DAYS:
            late_notice = used
    closing = _closing(req)
    if closing and not req.open:
        return Clock(req, closing, correction_notice_late=late_notice)
    if req.open and req.correction_notice and not req.correction_received:
        return Clock(req, PAUSED_CORRECTION, since_notice=cal.workdays_between(req.correction_notice, today),
                     correction_notice_late=late_notice)
    dl = deadline(req, cal)
    if req.open and req.fee_notice and not req.fee_paid:
        pay_due, _ = cal.add_workdays(req.fee_notice, PAY_DAYS)
        days = ANSWER_DAYS + (EXTENSION_DAYS if req.extended else 0) + req.consultation_days
        left = days - cal.workdays_between(dl.start, req.fee_notice)
        if left < 0:        # the notice came after the due date: the pause cannot make the answer timely
            return Clock(req, OVERDUE, dl, left=dl.left(req.fee_notice, cal), pay_due=pay_due,
                         correction_notice_late=late_notice)
        return Clock(req, PAUSED_FEE, None, pay_due=pay_due, pay_expired=today > pay_due, left_at_pause=left,
                     correction_notice_late=late_notice)
    if req.open:
        left = dl.left(today, cal)
        state = OVERDUE if left < 0 else (EXTENDED if req.extended else RUNNING)
        return Clock(req, state, dl, left=left, correction_notice_late=late_notice)
    if req.answered > dl.due:
        return Clock(req, ANSWERED_LATE, dl, late_by=cal.workdays_between(dl.due, req.answered),
                     correction_notice_late=late_notice)
    return Clock(req, ANSWERED, dl, correction_notice_late=late_notice)


def clocks(requests, cal: WorkCalendar, today: dt.date) -> list[Clock]:
    """Every request's clock, most urgent first (overdue, running by days left, paused, unknown, answered)."""
    return sorted((clock(r, cal, today) for r in requests), key=Clock.sort_key)


def describe(c: Clock, lang: str = "zh") -> str:
    """One line of detail for a clock (no id), Chinese or English."""
    zh = lang == "zh"
    s = c.state
    if s == UNKNOWN:
        y = c.missing_year
        text = (f"无法计算（缺少{y}年节假日安排，请用 --holidays 提供）" if zh else
                f"cannot compute (no {y} holiday schedule; supply --holidays)")
    elif s == OVERDUE:
        if c.pay_due:
            text = (f"到期 {c.due}  已超期：{c.request.fee_notice} 发出收费通知时已超期 {-c.left} 个工作日" if zh else
                    f"due {c.due}  overdue: the fee notice {c.request.fee_notice} came {-c.left} working days late")
        else:
            text = (f"到期 {c.due}  已超期 {-c.left} 个工作日" if zh else f"due {c.due}  overdue by {-c.left} working days")
    elif s in (RUNNING, EXTENDED):
        ext = "（已延期）" if s == EXTENDED else ""
        ext_en = " (extended)" if s == EXTENDED else ""
        if c.left == 0:
            text = f"到期 {c.due}  今天到期{ext}" if zh else f"due {c.due}  due today{ext_en}"
        else:
            text = (f"到期 {c.due}  剩余 {c.left} 个工作日{ext}" if zh else f"due {c.due}  {c.left} working days left{ext_en}")
    elif s == PAUSED_FEE:
        r = c.request
        text = (f"暂停：等待缴费（{r.fee_notice} 发出收费通知，申请人缴费期限 {c.pay_due}；"
                f"暂停时答复期限还剩 {c.left_at_pause} 个工作日）" if zh else
                f"paused: waiting for payment (fee notice {r.fee_notice}, the applicant must pay by {c.pay_due}; "
                f"{c.left_at_pause} working days were left when the clock stopped)")
        if c.pay_expired:
            text += ("  缴费期限已过，可按“其他处理-逾期未缴费”办结" if zh else
                     "  the payment deadline has passed: close as 逾期未缴费")
    elif s == PAUSED_CORRECTION:
        r = c.request
        text = (f"暂停：等待补正（{r.correction_notice} 发出补正告知，已过 {c.since_notice} 个工作日；"
                f"收到补正后重新计算 {ANSWER_DAYS} 个工作日）" if zh else
                f"paused: waiting for 补正 (notice {r.correction_notice}, {c.since_notice} working days ago; "
                f"{ANSWER_DAYS} working days restart on receipt)")
    elif s == ANSWERED_LATE:
        text = (f"到期 {c.due}  {c.request.answered} 答复，逾期 {c.late_by} 个工作日" if zh else
                f"due {c.due}  answered {c.request.answered}, {c.late_by} working days late")
    elif s == ANSWERED:
        text = f"到期 {c.due}  {c.request.answered} 按期答复" if zh else f"due {c.due}  answered {c.request.answered} on time"
    else:
        text = c.label(lang) + (f" {c.request.answered}" if c.request.answered else "")
    if c.correction_notice_late:
        text += (f"  ⚠ 补正告知在收到后第 {c.correction_notice_late} 个工作日发出，超过第三十条的 {CORRECTION_NOTICE_DAYS} 个工作日"
                 if zh else f"  ⚠ 补正 notice sent {c.correction_notice_late} working days after receipt "
                 f"(第三十条 allows {CORRECTION_NOTICE_DAYS})")
    return text
