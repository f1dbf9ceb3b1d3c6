"""Which official format the tables follow, from the labels they print."""
from __future__ import annotations

from functools import lru_cache

from ..formats import FORMATS, format_for_year
from ..labels import core
from .items import Item


@lru_cache(maxsize=None)
def _labels(fmt: str) -> frozenset[str]:
    f = FORMATS[fmt]
    out = set()
    for t in f.tables:
        for r in t.rows:
            out.update(core(l) for l in r.labels)
        for c in list(t.columns) + [c for b in t.blocks for c in b.columns]:
            out.update(core(l) for l in c.labels)
        for b in t.blocks:
            out.add(core(b.item))
    return frozenset(x for x in out if x)


@lru_cache(maxsize=None)
def distinctive(fmt: str) -> frozenset[str]:
    """Labels printed by this format and not by any other."""
    others = set().union(*(_labels(k) for k in FORMATS if k != fmt))
    return frozenset(_labels(fmt) - others)


def detect_format(items: list[Item], year: int | None) -> tuple[str | None, dict[str, int]]:
    """(format key or None, score per format). Ties go to the format of the report year."""
    scores = {k: 0 for k in FORMATS}
    for it in items:
        if it.is_value or len(it.text) > 120:
            continue
        for k in _hits(it.text):
            scores[k] += 1
    best = max(scores.values())
    if best == 0:
        return None, scores
    leaders = [k for k, v in scores.items() if v == best]
    if len(leaders) == 1:
        return leaders[0], scores
    by_year = format_for_year(year)
    return (by_year.key if by_year and by_year.key in leaders else leaders[-1]), scores


@lru_cache(maxsize=16384)
def _hits(text: str) -> tuple[str, ...]:
    """The formats whose distinctive labels this printed text is (or begins, or is cut from)."""
    c = core(text)
    exact = tuple(k for k in FORMATS if c in distinctive(k))
    if exact or len(c) < 8:
        return exact
    return tuple(k for k in FORMATS if any(m.startswith(c) or c.startswith(m) for m in _long_marks(k)))


@lru_cache(maxsize=None)
def _long_marks(fmt: str) -> tuple[str, ...]:
    return tuple(m for m in sorted(distinctive(fmt)) if len(m) >= 8)
