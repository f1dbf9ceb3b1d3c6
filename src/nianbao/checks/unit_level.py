"""The administrative level of the issuing body, read from its name, and the publication date printed
in the document. Plausibility (fee magnitudes) and the deadline rule (第四十九条) use them."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PROVINCE, CITY, COUNTY, TOWNSHIP = "province", "city", "county", "township"
GOVERNMENT, DEPARTMENT = "government", "department"
LEVEL_ZH = {PROVINCE: "省级", CITY: "地市级", COUNTY: "县级", TOWNSHIP: "乡镇、街道", None: "层级不明"}

_TOWNSHIP = re.compile(r"(街道办事处|街道办|街道|办事处|镇人民政府|乡人民政府|镇政府|乡政府|镇|乡|街)$")
_GOVERNMENT = re.compile(r"(人民政府|人民政府办公室|人民政府办公厅|政府)$")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class UnitLevel:
    kind: str | None          # GOVERNMENT | DEPARTMENT | TOWNSHIP | None (unknown)
    level: str | None         # PROVINCE | CITY | COUNTY | TOWNSHIP | None: the level of the government

    def describe(self) -> str:
        if self.kind == TOWNSHIP:
            return "乡镇、街道"
        what = "人民政府" if self.kind == GOVERNMENT else "政府部门" if self.kind == DEPARTMENT else "单位"
        return f"{LEVEL_ZH[self.level]}{what}" if self.level else what


def _gov_level(name: str) -> str | None:
    """The level of the government a name belongs to, from the last place name in it."""
    if name.startswith(_MUNICIPALITIES) and not re.search(r"[区县]", name[3:]):
        return PROVINCE
    marks = [(m.start(), m.group()) for m in re.finditer(r"省|自治区|自治州|地区|盟|市|区|县|旗", name)]
    if not marks:
        return None
    last = marks[-1][1]
    if last in ("省", "自治区"):
        return PROVINCE
    if last in ("市", "自治州", "地区", "盟"):
        # a 市 inside a province name is a prefecture-level city unless the name ends in 县级市 terms
        return CITY
    return COUNTY


def unit_level(org: str | None) -> UnitLevel:
    if not org:
        return UnitLevel(None, None)
    name = re.sub(r"\s+", "", org)
    if _TOWNSHIP.search(name):
        return UnitLevel(TOWNSHIP, TOWNSHIP)
    gov = _GOVERNMENT.search(name)
    if gov:
        return UnitLevel(GOVERNMENT, _gov_level(name[:gov.start()]))
    if re.search(r"(省|自治区|自治州|地区|盟|市|区|县|旗)$", name):
        return UnitLevel(GOVERNMENT, _gov_level(name))
    # a department: the government it belongs to is named before the department's own title
    head = re.match(r"(.*(?:省|自治区|自治州|地区|盟|市|区|县|旗))", name)
    level = _gov_level(head.group(1)) if head else None
    if name.endswith("厅") and level is None:
        level = PROVINCE
    return UnitLevel(DEPARTMENT, level)


# 行政事业性收费 (万元) at or above which a value looks like 元 entered as 万元, by level
FEE_LIMIT = {TOWNSHIP: 5_000, COUNTY: 500_000, CITY: 5_000_000, PROVINCE: 50_000_000, None: 5_000_000}


def fee_limit(lv: UnitLevel) -> int:
    return FEE_LIMIT[lv.level if lv.kind != TOWNSHIP else TOWNSHIP]


def deadline(org: str | None, year: int) -> dt.date | None:
    """第四十九条: departments of governments at county level and above by 1月31日, the governments'
    own reports by 3月31日; townships and streets: set locally (None)."""
    lv = unit_level(org)
    if lv.kind is None or lv.kind == TOWNSHIP:
        return None
    if lv.kind == GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_PUBLISHED = re.compile(r"(?:发布|公开|印发)(?:日期|时间)\s*[:：|]?\s*\|?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SIGNED = re.compile(r"(?m)^\s*([\d〇○零一二三四五六七八九Ｏ]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
                     r"\s*([\d一二三四五六七八九十]{1,3})\s*日\s*$")


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4:
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGIT[s[1]]
    if "十" in s:
        a, _, b = s.partition("十")
        return _CN_DIGIT[a] * 10 + (_CN_DIGIT[b] if b else 0)
    return _CN_DIGIT[s]


def published_date(report) -> tuple[dt.date, str] | None:
    """(date, how) printed in the document: 发布日期/发布时间 of the page, else the 落款 date
    standing alone on a line at the end. None when neither is printed."""
    texts = [report.title or "", report.preamble] + [s.text for s in report.sections]
    for t in texts:
        m = _PUBLISHED.search(t)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "发布日期"
            except ValueError:
                pass
    if report.sections:
        tail = report.sections[-1].text[-300:]
        found = list(_SIGNED.finditer(tail))
        if found:
            m = found[-1]
            try:
                return dt.date(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3))), "落款日期"
            except (ValueError, KeyError):
                pass
    return None
