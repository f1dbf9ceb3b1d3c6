"""Numbers as printed in report cells: full-width digits, "+10", "1,234", "10268898元",
"183.2867", "/", "—", blank — and the odd things printed where a number belongs.

    parse_value(raw) -> Parsed | None      # None: the text is not a value (a label)

Odd printed values (see the README table "输出 / What extraction gives") are values, so they
keep their column and never shift their neighbours, but they are read only when the number is
certain; otherwise their cell is missing with a note quoting the printed text:

    "+22"                    read 22 (a note in a count column: a count has no sign)
    "12.5万"                 money column: read 12.5 万元; count column: missing
    "5 6", "1 2"             missing (two numbers, or one with a space: cannot know)
    "--253", "约5", "（5）",
    "5-6", "1O", "l2", "50%" missing
    "不适用", "不涉及"         not_applicable (the cell says so), with a note
    "暂无", "见附件", "未统计"   missing
    "？", "*", "#REF!"         missing (no number: a typo or a spreadsheet's error code)
    "1." "（5）" alone        weak: a value only where a row's value is expected (extract/tables.py)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－．，／ＯｌＩ", "0123456789+-.,/OlI")
# spaces, and control characters (a damaged byte of a text export: "\x020" shows as "0")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2002\u2003\u2009\u200b\x00-\x08\x0e-\x1b\x7f]+")
_NUMBER = re.compile(r"^([+\-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|件|条|个|项|次|人|份)?$")
_NOT_APPLICABLE = frozenset({"/", "//", "\\", "—", "——", "-", "--", "–", "−", "无", "N/A", "n/a", "NA", "－", "/　"})
# digits separated by horizontal space inside one cell ("5 6"): two numbers or one broken; a line
# break between digits is a number wrapped in a narrow cell ("12⏎3") and stays one number
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_INNER_SPACE = re.compile(r"\d[ \t\u3000\u00a0\u2002\u2003\u2009\x00-\x08\x0b-\x1f\x7f]+[+\-]?\d")

from ..report import BLANK, INFERRED, MISSING, NOT_APPLICABLE, READ  # noqa: E402  (one set of status names)

# flags: what the column must decide (extract/tables.py `cell_outcome`)
PLUS = "plus"        # printed with "+": a note unless the column is signed (2019 本年增/减)
WAN = "wan"          # printed "12.5万": read as 万元 in a money column, else missing
CUT = "cut"          # the last value of a file that ends right after it (no terminator)
FRAGMENT = "fragment"  # "2,13": the first part of a number wrapped in a narrow cell (never read)


@dataclass(frozen=True, slots=True)
class Parsed:
    value: int | float | None
    status: str            # "read" | "blank" | "not_applicable" | "missing"
    unit: str | None = None
    note: str | None = None      # why an odd printed value is missing / how it was read (Chinese)
    flag: str | None = None      # PLUS | WAN | CUT: decided with the column (tables.cell_outcome)
    weak: bool = False           # "1." / "（5）" alone: numbering or a value, decided by position


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
        if _CONTROL.search(raw):         # a damaged byte where the cell's text was
            return Parsed(None, MISSING, note="原文此处是无法显示的控制字符（文件可能损坏），无法确定数值")
        return Parsed(None, BLANK)
    if s in _NOT_APPLICABLE or (len(s) <= 3 and set(s) <= {"/", "—", "-", "–", "\\"}):
        return Parsed(None, NOT_APPLICABLE)
    m = _NUMBER.match(s)
    if not m:
        inferred = _INFERRED_MARK.match(s)
        if inferred:
            v = inferred.group(1)
            return Parsed(float(v) if "." in v else int(v), INFERRED,
                          note=f"原文印作「{raw.strip()}」：标明为推定的数（由勾稽关系推定，原文未印出），不是印出的数值")
        if _MISGROUPED.match(s):
            return Parsed(None, MISSING, note=MISGROUPED_NOTE.format(raw=raw.strip()), flag=FRAGMENT)
        return _odd(s, raw.strip())
    if _INNER_SPACE.search(raw.translate(_FULLWIDTH)):
        return Parsed(None, MISSING, note=f"原文印作「{raw.strip()}」，数字之间有空格（可能是两个数值），无法确定数值")
    sign, digits, frac, unit = m.groups()
    digits = digits.replace(",", "")
    if frac:
        value: int | float = float(f"{sign}{digits}{frac}")
    else:
        value = int(f"{sign}{digits}")
    if value == 0 and sign == "-" and not frac:
        value = 0
    return Parsed(value, READ, unit, flag=PLUS if sign == "+" else None)


def is_value(raw: str) -> bool:
    return parse_value(raw) is not None


# ------------------------------------------------------------------ odd printed values
_NA_WORDS = frozenset({"不适用", "不涉及"})
_NOT_A_NUMBER_WORDS = frozenset({"暂无", "暂无数据", "未统计", "待统计", "不详", "未知", "待定", "未填", "未填报", "略", "无数据",
                                 "见附件", "详见附件", "见附表", "详见附表", "另附", "见下表", "见上表", "见说明"})
# what may stand around digits in an attempt at a number (a label has other characters)
_ODD_CHARS = re.compile(r"^[0-9A-Za-z+\-−–—.,，、·:：;；()（）%％‰~～/\\*#?？!！'\"约余多近左右共计合万亿千百元件个项次人份条]+$")
_NUMBERING_ONLY = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）])$")
_PAGE_NUMBER = re.compile(r"^[\-−–—]+\d{1,3}[\-−–—]+$|^\d{1,3}/\d{1,3}$")
_WAN = re.compile(r"^([+]?)(\d+(?:\.\d+)?)万$")
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
# what a cell holds instead of a number and no label is made of: question marks, asterisks, a
# spreadsheet's error codes ("#REF!", "#VALUE!", "#DIV/0!", "#N/A")
_NO_NUMBER = re.compile(r"^(?:[?？*＊×…]+|#(?:REF!|VALUE!|DIV/0!|N/A|NAME\?|NUM!|NULL!|#+))$", re.I)


def _odd(s: str, raw: str) -> Parsed | None:
    if len(s) > 16:
        return None
    if s in _NA_WORDS:
        return Parsed(None, NOT_APPLICABLE, note=f"原文印作「{raw}」，按不适用处理")
    if s in _NOT_A_NUMBER_WORDS:
        return Parsed(None, MISSING, note=f"原文印作「{raw}」，不是数值，未读取")
    has_digit = any(ch.isdigit() for ch in s)
    if has_digit and "\ufffd" in s:
        return Parsed(None, MISSING, note=f"原文印作「{raw}」，其中有无法解码的字节（「\ufffd」），无法确定数值")
    if not has_digit:
        if _LETTERS.match(s):
            return Parsed(None, MISSING, note=f"原文印作「{raw}」（字母，可能是录入错误），无法确定数值")
        if _NO_NUMBER.match(s):
            return Parsed(None, MISSING, note=f"原文印作「{raw}」，不是数值（可能是录入或公式错误），未读取")
        return None
    if not _ODD_CHARS.match(s) or _PAGE_NUMBER.match(s):
        return None
    if _NUMBERING_ONLY.match(s):
        return Parsed(None, MISSING, note=f"原文印作「{raw}」，不是一个确定的数值（可能是编号或带括号的数），未读取",
                      weak=True)
    m = _WAN.match(s)
    if m:
        v = m.group(2)
        value: int | float = float(v) if "." in v else int(v)
        return Parsed(value, MISSING, "万", note=f"原文印作「{raw}」（以万为单位），无法确定确切数量", flag=WAN)
    return Parsed(None, MISSING, note=f"原文印作「{raw}」，{_reason(s)}，无法确定数值")


def _reason(s: str) -> str:
    if any(ch in s for ch in "约余多近左右~～"):
        return "是约数"
    if any(ch.isalpha() and ch.isascii() for ch in s):
        return "数字中夹有字母（可能是录入错误）"
    if s[0] in "(（" and s[-1] in ")）":
        return "数值带括号"
    if re.match(r"^[+\-−–—]{2,}", s) or re.search(r"\d[+\-−–—]", s):
        return "符号重复或位置不对"
    if "%" in s or "％" in s or "‰" in s:
        return "是百分比，不是数量"
    return "不是一个确定的数值"


_BLANK = Parsed(None, BLANK)
# "0（推定）": a number marked as inferred (nianbao render prints an inferred cell so): inferred, never read
_INFERRED_MARK = re.compile(r"^([+\-]?\d+(?:\.\d+)?)[(（]推定[)）]$")
# digits with thousands separators in the wrong places ("27,14" + "8" on the next line: a cell
# too narrow for "27,148"): a value whose number cannot be known. It keeps its column (never
# shifts its neighbours) and its cell is missing.
_MISGROUPED = re.compile(r"^[+\-]?\d+(?:,\d+)+$")    # (valid groupings matched _NUMBER first)
MISGROUPED_NOTE = "读到的「{raw}」千位分隔位置不合常规（数字可能在窄单元格中折成了两行），未能确定数值，请人工核对原文"
