"""The six sections: find their headings, accept the variants real reports use."""
from __future__ import annotations

import re
from functools import lru_cache

from ..formats import SECTIONS
from ..labels import norm, numbering, strip_numbering
from ..report import SectionText
from .items import Item

_VARIANTS = {s.number: {strip_numbering(v) for v in (s.title, *s.variants)} for s in SECTIONS}
_TRAIL = re.compile(r"[：:。.，,\s]+$")


def heading_number(text: str) -> int | None:
    """The section number (1–6) a line is the heading of, or None."""
    if len(text) > 60:
        return None
    return _heading_number(text)


@lru_cache(maxsize=16384)
def _heading_number(text: str, paren: bool = False) -> int | None:
    s = norm(text)
    if len(s) > 40 or len(s) < 2:
        return None
    num = numbering(text)
    if num is not None and num[0] == "paren":
        if not paren:
            return None    # "（一）…" and "(四)…" are sub-headings
        body = _TRAIL.sub("", strip_numbering(text))
        return num[1] if 1 <= num[1] <= 6 and body in _VARIANTS[num[1]] else None
    body = _TRAIL.sub("", strip_numbering(text))
    for sec in SECTIONS:
        if num is not None and num[1] != sec.number:
            continue
        if body in _VARIANTS[sec.number]:
            return sec.number
        if num is not None and len(body) <= 30 and any(all(k in body for k in kw) for kw in sec.keywords):
            return sec.number
    return None


def heading_candidates(items: list[Item]) -> list[tuple[int, int]]:
    cands = [(it.index, n) for it in items if not it.is_value and (n := heading_number(it.text)) is not None]
    if len({n for _, n in cands}) >= 3:
        return cands
    # Few headings: the report may number its sections "（一）总体情况" … "（六）其他需要报告的事项".
    # Such a line counts only when it is printed exactly as a section title (a sub-heading of the
    # same shape, "（一）主动公开情况", would otherwise compete in reports numbered "一、").
    paren = [(it.index, n) for it in items if not it.is_value and len(it.text) <= 60
             and (n := _heading_number(it.text, True)) is not None]
    return sorted(set(cands) | set(paren)) if len({n for _, n in paren}) >= 3 else cands


def find_headings(items: list[Item], cands: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """[(item index, section number)] — the longest chain increasing in both position and number."""
    if cands is None:
        cands = heading_candidates(items)
    if not cands:
        return []
    best: list[list[tuple[int, int]]] = []
    for i, (idx, n) in enumerate(cands):
        chain = [(idx, n)]
        for j in range(i):
            if cands[j][1] < n and len(best[j]) + 1 > len(chain):
                chain = best[j] + [(idx, n)]
        best.append(chain)
    return max(best, key=lambda c: (len(c), -c[0][0]))


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
