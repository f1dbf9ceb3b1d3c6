"""The six sections: find their headings, accept the variants real reports use.

A heading is recognised by its title, printed in any of the ways real reports print it:
"一、总体情况", "（一）总体情况", "1.总体情况", "总体情况" (no number), "六、其他需要报告的事项说明"
(extra words). A title printed with the wrong number ("三、主动公开政府信息情况") is still the
section its title names; the structure rules report the number. Headings are taken in two tiers:
lines numbered "一、" first, then the other shapes fill the gaps they leave in the order.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import Where
from ..formats import SECTIONS
from ..labels import norm, numbering, strip_numbering
from ..report import SectionText
from .items import Item

_VARIANTS = {s.number: {strip_numbering(v) for v in (s.title, *s.variants)} for s in SECTIONS}
_OFFICIAL = {s.number: strip_numbering(s.title) for s in SECTIONS}
_TRAIL = re.compile(r"[：:。.，,；;\s]+$")
# "一." / "一．" / "第一部分" / "一 " — numberings labels.numbering() does not know
_EXTRA_NUM = re.compile(r"^(?:第([一二三四五六七八九])部分[、.，：]?|([一二三四五六七八九])\.(?!\d))")
_CN = "一二三四五六七八九"
EXTRA_WORDS = 12            # a title may carry this many characters beyond the official one


def parse_title(text: str) -> tuple[str | None, int | None, str]:
    """(numbering kind "dun"|"paren"|"arabic"|None, printed number, title body)."""
    s = norm(text)
    m = _EXTRA_NUM.match(s)
    if m:
        return "dun", _CN.index(m.group(1) or m.group(2)) + 1, _TRAIL.sub("", s[m.end():])
    num = numbering(text)
    body = _TRAIL.sub("", strip_numbering(text))
    return (num[0], num[1], body) if num else (None, None, body)


def _titles(body: str) -> list[int]:
    """Sections whose title this body is: a listed variant, or the official title with a few extra words."""
    out = [n for n in _VARIANTS if body in _VARIANTS[n]]
    if not out:
        out = [n for n, t in _OFFICIAL.items() if t in body and len(body) <= len(t) + EXTRA_WORDS]
    return out


def _keywords(body: str, n: int) -> bool:
    return len(body) <= 30 and any(all(k in body for k in kw) for kw in SECTIONS[n - 1].keywords)


@lru_cache(maxsize=4096)
def classify(text: str) -> tuple[int, int, int | None] | None:
    """(section number, tier, printed number) for a heading line, or None.

    Tier 1: numbered "一、" — by its title, or by the keywords of the section its number names.
    Tier 2: "（一）", "1.", or no number — only by its title."""
    s = norm(text)
    if len(s) > 40 or len(s) < 2:
        return None
    kind, printed, body = parse_title(text)
    titles = _titles(body)
    if kind == "dun":
        if printed is not None and 1 <= printed <= 6 and (printed in titles or _keywords(body, printed)):
            return printed, 1, printed
        if len(titles) == 1:
            return titles[0], 1, printed          # titled as one section, numbered as another
        return None
    if len(titles) == 1 and printed in (None, titles[0]):
        return titles[0], 2, printed              # "（六）…", "6." or no number: by its title
    return None


def heading_number(text: str) -> int | None:
    """The section number (1–6) a line is the heading of, or None."""
    if len(text) > 60:
        return None
    c = classify(text)
    return c[0] if c else None


def heading_candidates(items: list[Item]) -> list[tuple[int, int]]:
    """[(item index, section number)] of tier-1 headings (numbered "一、")."""
    return [(it.index, c[0]) for it in items if not it.is_value and len(it.text) <= 60
            and (c := classify(it.text)) is not None and c[1] == 1]


def _second_tier(items: list[Item]) -> list[tuple[int, int]]:
    return [(it.index, c[0]) for it in items if not it.is_value and not it.is_cell and len(it.text) <= 60
            and (c := classify(it.text)) is not None and c[1] == 2]


def _chain(cands: list[tuple[int, int]], first: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """The longest chain increasing in both position and number; among equals, the one with the
    most `first` (tier-1) headings, then the one starting earliest."""
    if not cands:
        return []
    def score(c):
        return len(c), sum(i in first for i, _ in c)
    best: list[list[tuple[int, int]]] = []
    for i, (idx, n) in enumerate(cands):
        chain = [(idx, n)]
        for j in range(i):
            if cands[j][0] < idx and cands[j][1] < n and score(best[j]) + (1, idx in first) > score(chain):
                chain = best[j] + [(idx, n)]
        best.append(chain)
    return max(best, key=lambda c: (*score(c), -c[0][0]))


def _fill_gaps(chain: list[tuple[int, int]], extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add second-tier headings where the chain lacks that number and they fit its order."""
    out = list(chain)
    for idx, n in extra:
        if any(m == n for _, m in out):
            continue
        before = [(i, m) for i, m in out if i < idx]
        after = [(i, m) for i, m in out if i > idx]
        if all(m < n for _, m in before) and all(m > n for _, m in after):
            out = sorted(out + [(idx, n)])
    return out


def find_headings(items: list[Item], cands: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """[(item index, section number)] in document order."""
    if cands is None:
        cands = heading_candidates(items)
    second = _second_tier(items)
    if len({n for _, n in cands}) >= 3:
        return _fill_gaps(_chain(cands), second)
    # Few "一、" headings: the report may number its sections "（一）总体情况" … or "1." or not at all.
    return _chain(sorted(set(cands) | set(second)), frozenset(i for i, _ in cands))


def misplaced(items: list[Item], headings: list[tuple[int, int]],
              cands: list[tuple[int, int]]) -> list[tuple[int, str, Where | None]]:
    """Headings of sections found out of order: (number, printed title, where)."""
    chosen = {n for _, n in headings}
    return [(n, items[i].text.strip(), items[i].where) for i, n in cands
            if n not in chosen and items[i].is_cell is False]


# A section title inside a longer line or a table cell: the reader did not see it as a heading
# (text run together, a heading swallowed by a table). Numbered, so that prose naming a section
# ("…在主动公开政府信息情况方面…") does not count.
_BURIED = {n: re.compile(r"(?:^|[^（\w])[" + _CN[n - 1] + r"][、.．，]\s*(?:" +
                         "|".join(re.escape(v) for v in sorted(_VARIANTS[n], key=len, reverse=True) if len(v) >= 6)
                         + ")") for n in _VARIANTS}


def buried_headings(items: list[Item], headings: list[tuple[int, int]],
                    known: set[int]) -> list[tuple[int, str, Where | None]]:
    """Sections not found as headings whose numbered title stands inside another line or a cell."""
    at = {i for i, _ in headings}
    out: dict[int, tuple[int, str, Where | None]] = {}
    for it in items:
        if it.index in at or it.is_value:
            continue
        text = norm(it.text)
        for n, rx in _BURIED.items():
            if n in known or n in out:
                continue
            m = rx.search(text)
            if m:
                start = m.start() + (1 if m.group(0)[0] not in _CN else 0)
                out[n] = (n, text[start:start + 40], it.where)
    return sorted(out.values())


def split_sections(items: list[Item], headings: list[tuple[int, int]],
                   consumed: set[int]) -> tuple[str, list[SectionText]]:
    """Preamble text and the sections' texts (paragraphs only; table cells excluded)."""
    bounds = [h[0] for h in headings] + [len(items)]
    first = bounds[0] if headings else len(items)
    preamble = "\n".join(it.text for it in items[:first] if not it.is_cell and it.index not in consumed)
    sections = []
    for k, (idx, n) in enumerate(headings):
        body = [it.text for it in items[idx + 1:bounds[k + 1]]
                if not it.is_cell and it.index not in consumed]
        sections.append(SectionText(n, items[idx].text.strip(), "\n".join(body), items[idx].where))
    return preamble, sections
