"""Working days under the State Council's holiday schedule (法定节假日 and 调休 make-up workdays).

Published years come from the `chinesecalendar` package. For a year it does not know, nothing is
guessed (no silent fall-back to "weekends only"): the user supplies an override file.

Override file (JSON):
    {"years": [2027], "holidays": {"2027-01-01": "元旦", …}, "workdays": ["2027-02-06", …]}
`years` lists the years the file fully describes; `holidays` and `workdays` may also correct a known year.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ..errors import NianbaoError


class CalendarError(NianbaoError):
    year: int | None = None      # the year without a holiday schedule (code "unknown-year")


_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
          "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
          "Anti-Fascist 70th Day": "抗战胜利70周年纪念日"}


@dataclass
class Day:
    date: dt.date
    workday: bool
    reason: str          # 工作日 | 周末 | 法定节假日（春节）| 调休上班


@dataclass
class WorkCalendar:
    holidays: dict[dt.date, str] = field(default_factory=dict)     # overrides: date → name
    workdays: set[dt.date] = field(default_factory=set)            # overrides: make-up workdays
    years: set[int] = field(default_factory=set)                   # years fully described by overrides

    @classmethod
    def load(cls, path: str | None) -> "WorkCalendar":
        if not path:
            return cls()
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = json.load(fh)
            return cls({dt.date.fromisoformat(k): v for k, v in (data.get("holidays") or {}).items()},
                       {dt.date.fromisoformat(d) for d in data.get("workdays") or []},
                       {int(y) for y in data.get("years") or []})
        except (OSError, ValueError, TypeError, AttributeError) as e:
            raise CalendarError("bad-calendar", f"节假日文件 {path} 无法读取：{e}。格式见 nianbao ledger --help。",
                                f"the holiday file {path} cannot be read: {e}.") from None

    @classmethod
    def from_env(cls, path: str | None = None) -> "WorkCalendar":
        """`path` (a --holidays option) or else the file named by NIANBAO_HOLIDAYS, or the built-in schedule."""
        import os
        return cls.load(path or os.environ.get("NIANBAO_HOLIDAYS") or None)

    def day(self, d: dt.date) -> Day:
        if d in self.workdays:
            return Day(d, True, "调休上班")
        if d in self.holidays:
            return Day(d, False, f"法定节假日（{self.holidays[d]}）")
        if d.year in self.years:
            return Day(d, d.weekday() < 5, "工作日" if d.weekday() < 5 else "周末")
        import chinese_calendar as cc
        try:
            on_holiday, name = cc.get_holiday_detail(d)
        except NotImplementedError:
            err = CalendarError(
                "unknown-year",
                f"节假日安排中没有 {d.year} 年的数据（国务院通常在上一年11月公布）。请提供节假日文件"
                f"（--holidays 文件.json，写明 {d.year} 年的法定节假日和调休上班日），不会按“只排除周末”估算。",
                f"no holiday schedule for {d.year} (the State Council publishes it around November of the year "
                f"before). Supply a holiday file (--holidays FILE.json) for {d.year}; weekends alone are never assumed.")
            err.year = d.year
            raise err from None
        if not on_holiday:
            return Day(d, True, "调休上班" if d.weekday() >= 5 else "工作日")
        if name:
            return Day(d, False, f"法定节假日（{_NAMES.get(name, name)}）")
        return Day(d, False, "周末")

    def is_workday(self, d: dt.date) -> bool:
        return self.day(d).workday

    def add_workdays(self, start: dt.date, n: int) -> tuple[dt.date, list[Day]]:
        """The n-th working day after `start` (the day after start counts as day 1), and every day walked."""
        walked: list[Day] = []
        d, count = start, 0
        while count < n:
            d += dt.timedelta(days=1)
            day = self.day(d)
            walked.append(day)
            if day.workday:
                count += 1
        return d, walked

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        n, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                n += 1
        return n
