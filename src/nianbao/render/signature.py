"""The 落款 (issuing body and date) at the end of the official document.

GB/T 9704-2012 7.3.5.2 (a document without a seal, as annual reports are published): one blank line
below the text, the issuing body right-aligned two characters from the right margin, the date on the
next line, its first character two characters right of the body's first character; when the date is
longer than the body, the date stands two characters from the margin and the body moves left with it.
The date is written in Arabic numerals, year in full, no leading zeros (2026年1月15日).

Where the date comes from: the caller's date (`render --date`), else the report's own printed date
(its 落款 at the end of the last section, or a 发布日期 line), else today. A 落款 already printed at the
end of the last section is not printed twice: those lines are taken out of the text and printed as the
落款 block.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

from ..checks.unit_level import _SIGNED, _cn_number, published_date
from ..extract.metadata import _clean_org, ascii_digits

_ORG_LINE = re.compile(r"[\u4e00-\u9fa5（）()·]{2,40}")


@dataclass(frozen=True)
class Signature:
    org: str | None          # the issuing body, or None when the report names none
    date: dt.date
    drop: int                # trailing paragraphs of the last section that were its printed 落款

    @property
    def date_text(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def _date_line(text: str) -> dt.date | None:
    m = _SIGNED.fullmatch(text.strip())
    if not m:
        return None
    try:
        return dt.date(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
    except (ValueError, KeyError):
        return None


def printed_signature(paragraphs: list[str]) -> tuple[int, str | None, dt.date | None]:
    """The 落款 printed at the end of the last section's paragraphs: (how many trailing paragraphs it takes,
    its body, its date). (0, None, None) when the text does not end with a date line."""
    if not paragraphs:
        return 0, None, None
    when = _date_line(paragraphs[-1])
    if when is None:
        return 0, None, None
    if len(paragraphs) >= 2:
        line = re.sub(r"\s+", "", paragraphs[-2])
        if _ORG_LINE.fullmatch(line) and _clean_org(line):
            return 2, line, when
    return 1, None, when


def own_date(report: dict) -> dt.date | None:
    """The date the report prints for itself: 发布日期, or the 落款 date at the end of its text."""
    view = SimpleNamespace(title=report.get("title") or "", preamble=ascii_digits(report.get("preamble") or ""),
                           sections=[SimpleNamespace(text=s.get("text") or "") for s in report.get("sections") or []])
    found = published_date(view)
    return found[0] if found else None


def signature(report: dict, paragraphs: list[str], date: dt.date | None = None,
              today: dt.date | None = None) -> Signature:
    """The 落款 of `report` whose last section has `paragraphs`: the body its printed 落款 names, else the report's
    `org`; the date is `date`, else the report's own, else `today` (default: today)."""
    drop, printed_org, printed_date = printed_signature(paragraphs)
    when = date or printed_date or own_date(report) or today or dt.date.today()
    return Signature(printed_org or report.get("org"), when, drop)


def width(text: str) -> float:
    """Printed width in characters: CJK and full-width 1, ASCII digits and letters ½, and the ¼ character
    Word and LibreOffice put between CJK and digits (autoSpaceDN)."""
    narrow = [ord(ch) < 0x2000 for ch in text]
    return sum(0.5 if n else 1.0 for n in narrow) + 0.25 * sum(a != b for a, b in zip(narrow, narrow[1:]))


def right_indents(org: str | None, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the body line and the date line, GB/T 9704-2012 7.3.5.2."""
    if not org:
        return 0.0, 4.0
    wo, wd = width(org), width(date_text)
    date_right = wo - 2 - wd + 2      # the date starts two characters right of the body (right indent 2)
    if date_right < 2:
        return 2 + (2 - date_right), 2.0
    return 2.0, date_right
