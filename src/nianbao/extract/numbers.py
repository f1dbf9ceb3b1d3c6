"""Numbers as printed in report cells: full-width digits, "+10", "1,234", "10268898元",
"183.2867", "/", "—", blank."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－．，／", "0123456789+-.,/")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002\u2003\u2009\u200b]+")
_NUMBER = re.compile(r"^([+\-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|件|条|个|项|次|人|份)?$")
_NOT_APPLICABLE = frozenset({"/", "//", "\\", "—", "——", "-", "--", "–", "−", "无", "N/A", "n/a", "NA", "－", "/　"})

from ..report import BLANK, MISSING, NOT_APPLICABLE, READ  # noqa: E402  (one set of status names)


@dataclass(frozen=True, slots=True)
class Parsed:
    value: int | float | None
    status: str            # "read" | "blank" | "not_applicable"
    unit: str | None = None


def clean(raw: str) -> str:
    return _SPACES.sub("", raw.translate(_FULLWIDTH))


def parse_value(raw: str | None) -> Parsed | None:
    """A cell's text → Parsed, or None when the text is not a value (a label)."""
    if raw is None:
        return _BLANK
    if len(raw) > 40:
        return None
    return _parse(raw)


@lru_cache(maxsize=65536)
def _parse(raw: str) -> Parsed | None:
    s = clean(raw)
    if not s:
        return Parsed(None, BLANK)
    if s in _NOT_APPLICABLE or (len(s) <= 3 and set(s) <= {"/", "—", "-", "–", "\\"}):
        return Parsed(None, NOT_APPLICABLE)
    m = _NUMBER.match(s)
    if not m:
        if _MISGROUPED.match(s):
            return _MISGROUPED_VALUE      # "27,14": a number cut where its cell wrapped
        return None
    sign, digits, frac, unit = m.groups()
    digits = digits.replace(",", "")
    if frac:
        value: int | float = float(f"{sign}{digits}{frac}")
    else:
        value = int(f"{sign}{digits}")
    if value == 0 and sign == "-" and not frac:
        value = 0
    return Parsed(value, READ, unit)


def is_value(raw: str) -> bool:
    return parse_value(raw) is not None


_BLANK = Parsed(None, BLANK)
# digits with thousands separators in the wrong places ("27,14" + "8" on the next line: a cell
# too narrow for "27,148"): a value whose number cannot be known. It keeps its column (never
# shifts its neighbours) and its cell is missing.
_MISGROUPED = re.compile(r"^[+\-]?\d+(?:,\d+)+$")    # (valid groupings matched _NUMBER first)
_MISGROUPED_VALUE = Parsed(None, MISSING)
MISGROUPED_NOTE = "数值「{raw}」的千位分隔位置不对（可能是单元格太窄、数字折成了两行），无法确定数值"
