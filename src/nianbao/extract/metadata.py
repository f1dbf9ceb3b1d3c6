"""Report metadata: issuing body (as printed), report year, title."""
from __future__ import annotations

import re
from collections import Counter

from .items import Item

_ORG_SUFFIX = ("街道办事处", "办事处", "街道", "人民政府", "政府", "镇", "乡", "街", "局", "委员会", "委", "办公室",
               "办", "厅", "署", "院", "中心", "管委会", "管理委员会", "区", "县", "市", "部", "公司", "所", "站", "队")
_ORG_CHARS = r"[\u4e00-\u9fa5（）()·]"
_YEAR = r"(20[0-4]\d)\s*年\s*度?"
_TITLE = re.compile(rf"({_ORG_CHARS}{{2,40}}?)\s*{_YEAR}\s*(?:政府)?信息公开")
_TITLE_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*({_ORG_CHARS}{{2,30}}?)\s*(?:政府)?信息公开(?:工作)?(?:年度)?报告")
_TITLE_NO_YEAR = re.compile(rf"^({_ORG_CHARS}{{2,40}}?)\s*(?:政府)?信息公开工作(?:年度)?报告")
_LEAD = ("现将", "编制", "特发布", "发布", "公布", "现", "将", "关于", "根据", "按照", "本", "特")
_COMPILED_BY = re.compile(rf"由({_ORG_CHARS}{{2,30}}?)(?:负责)?编制")
_SUBJECT = re.compile(rf"(?:^|[，,。；\s]|{_YEAR}[，,]?)({_ORG_CHARS}{{2,20}}?(?:街道办事处|街道|镇人民政府|乡人民政府|人民政府|办事处|镇|乡|街|局|委员会))"
                      r"(?:政府信息公开工作|认真|严格|坚持|全面|高度|按照|依据|根据|在)")
_PERIOD = re.compile(r"统计期限[为是]?自?\s*(20[0-4]\d)\s*年\s*1\s*月\s*1\s*日")
_ANY_YEAR = re.compile(r"(20[0-4]\d)\s*年")
_PRONOUNS = ("我镇", "我乡", "我街", "我局", "我委", "我办", "本单位", "本机关", "我单位", "我区", "我县", "我市")


# words of a sentence, never of an issuing body's name ("及时对街道" is a fragment of prose)
_PROSE = ("对", "了", "把", "被", "的", "我", "及时", "加强", "进一步", "认真", "全面", "做好", "开展", "推进", "落实",
          "通过", "按照", "根据", "严格", "坚持", "积极", "不断", "切实", "依法", "围绕", "以及", "以来", "其中", "全年",
          "本年", "今年", "上年", "年度", "报告", "如下", "现将", "有关", "相关", "关于", "要求", "进行")
_GENERIC_STEMS = ("", "本级", "上级", "下级", "各级", "同级", "区", "县", "市", "省", "镇", "乡", "街道", "本", "各", "我")


def _stem(s: str) -> str:
    """The name before its kind: "淮安市洪泽区人民政府" → "淮安市洪泽区"; "政府" → ""."""
    for suf in sorted(_ORG_SUFFIX, key=len, reverse=True):
        if s.endswith(suf):
            return s[:-len(suf)]
    return s


def _clean_org(s: str) -> str | None:
    s = re.sub(r"\s+", "", s)
    if s.endswith("关于") and len(s) > 4:
        s = s[:-2]          # "XX局关于2021年政府信息公开工作的年度报告"
    changed = True
    while changed:
        changed = False
        for lead in _LEAD:
            if s.startswith(lead) and len(s) > len(lead) + 1:
                s = s[len(lead):]
                changed = True
    if s.startswith(_PRONOUNS) or s in ("关于做好", "本年度", "年度"):
        return None
    if len(s) < 2 or not s.endswith(_ORG_SUFFIX):
        return None
    if _stem(s) in _GENERIC_STEMS or any(w in s for w in _PROSE):
        return None                     # "政府", "区政府", "及时对街道": no body is named
    return s


_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九０１２３４５６７８９", "0000123456789" "0123456789")
_CN_YEAR = re.compile(r"二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2}(?=\s*年)")


def ascii_digits(text: str) -> str:
    """Full-width digits and a year in Chinese numerals ("二〇二一年") as ASCII; same length."""
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    return text.translate(_FW_DIGITS)


_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _org_line(it: Item | None) -> str | None:
    """An issuing body printed alone on its line (a two-line title block)."""
    if it is None or it.is_cell:
        return None
    t = re.sub(r"\s+", "", it.text)
    if not 4 <= len(t) <= 30 or not re.fullmatch(f"{_ORG_CHARS}+", t):
        return None
    return _clean_org(t)


def find_title(items: list[Item]) -> tuple[str | None, str | None, int | None]:
    """(title line, org, year) from a title line among the first items.

    The issuing body may stand on the line before (or after) a title that names none
    ("淮安市洪泽区人民政府" ⏎ "2024年政府信息公开工作年度报告"). A title that names no body
    gives org None; a generic word ("政府") is never an org."""
    head = items[:25]
    fallback: tuple[str | None, str | None, int | None] = (None, None, None)
    for k, it in enumerate(head):
        if it.is_cell:
            continue
        text = re.sub(r"\s+", " ", ascii_digits(it.text.strip()))
        if "报告" not in text and k + 1 < len(items) and not items[k + 1].is_cell \
                and len(items[k + 1].text) <= 12 and items[k + 1].text.strip().endswith("报告"):
            text += ascii_digits(items[k + 1].text.strip())
        if len(text) > 60:
            continue
        flat = text.replace(" ", "")
        m = _TITLE_YEAR_FIRST.match(flat)
        if m:
            org = _clean_org(m.group(2))
            if org:
                return text, org, int(m.group(1))
        m = _TITLE.search(text)
        if m and ("报告" in text or len(text) <= 30):
            org = _clean_org(m.group(1))
            if org:
                return text, org, int(m.group(2))
        m = _TITLE_NO_YEAR.match(flat)
        if m:
            org = _clean_org(m.group(1))
            if org:
                return text, org, None
        if _BARE_TITLE.search(flat):
            year = _YEAR_IN_TITLE.search(flat)
            y = int(year.group(1)) if year else None
            org = _org_line(items[k - 1] if k > 0 else None) or _org_line(items[k + 1] if k + 1 < len(items) else None)
            if org:
                return text, org, y
            if fallback[0] is None:
                fallback = (text, None, y)
    return fallback


_BARE_TITLE = re.compile(r"信息公开(?:工作)?(?:年度)?(?:工作)?报告")
_YEAR_IN_TITLE = re.compile(_YEAR)


def find_org(items: list[Item], title_org: str | None) -> str | None:
    if title_org:
        return title_org
    paras = [it for it in items if not it.is_cell]
    # "……现将XX镇2022年度政府信息公开工作报告如下" inside a sentence
    for it in paras[:30]:
        if "报告" not in it.text or "信息公开" not in it.text:
            continue                  # cannot match; the title pattern is slow on long sentences
        text = ascii_digits(it.text)  # "现将XX镇２０２２年度…报告" names the body too
        for m in _TITLE.finditer(text):
            if "报告" in text[m.end():m.end() + 12]:
                org = _clean_org(m.group(1))
                if org:
                    return org
    for it in paras[:30]:
        m = _COMPILED_BY.search(it.text)
        if m and (org := _clean_org(m.group(1))):
            return org
    # a signature line at the end
    for it in reversed(paras[-4:]):
        t = re.sub(r"\s+", "", ascii_digits(it.text))
        t = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日$", "", t)
        if 2 <= len(t) <= 25 and re.fullmatch(f"{_ORG_CHARS}+", t) and (org := _clean_org(t)):
            return org
    for it in paras[:12]:
        m = _SUBJECT.search(it.text)
        if m and (org := _clean_org(m.group(m.lastindex))):
            return org
    return None


def find_year(items: list[Item], title_year: int | None) -> int | None:
    if title_year:
        return title_year
    paras = [ascii_digits(it.text) for it in items if not it.is_cell][:40]
    for t in paras:
        m = _PERIOD.search(t)
        if m:
            return int(m.group(1))
    counts: Counter[int] = Counter()
    first: dict[int, int] = {}
    pos = 0
    for t in paras:
        for m in _ANY_YEAR.finditer(t):
            y = int(m.group(1))
            counts[y] += 1
            first.setdefault(y, pos + m.start())
        pos += len(t)
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -first[y]))
