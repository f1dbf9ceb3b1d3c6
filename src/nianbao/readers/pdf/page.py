"""PDF stages 1–3 on one page: the page's text lines and its tables (before cross-page joining).

    page ─ stage 1 (layer) ─▶ Frags + ruling segments
         ─ stage 2 (ruled.find_tables, fill_cells) ─▶ ruled tables; the Frags outside them
             └─ an under-ruled table (rows stacked in its cells) ─ positions.retext ─▶ rebuilt
         ─ visual lines outside tables ─▶ TLines (page numbers in the top/bottom margin dropped:
                                          "- 1 -", "第 1 页", "1", "1/6")
         ─ stage 3 (positions.text_tables), only when two lines or more have cells apart and one
           of them a digit ─▶ tables without rules; the lines they took leave the TLines
         ═▶ PageResult(lines, tables, has_text, garbled, n_unknown)

`page_stages` is a debug view of every intermediate stage of one page.
"""
from __future__ import annotations

from dataclasses import dataclass

from .layer import (_PAGE_NO, FLAGS, GARBLED_SHARE, Frag, Seg, TLine, _join, _tidy, _untangle,
                    _visual_lines, segments, segments_from_drawings, text_frags)
from .positions import RUN_GAP, _under_ruled, column_bounds, line_runs, retext, text_table_spans, text_tables
from .ruled import TOL, PTable, build_cells, build_grid, fill_cells, find_regions, find_tables, merge_edges

@dataclass(slots=True)
class PageResult:
    number: int                     # 1-based
    height: float
    lines: list[TLine]              # kept text lines outside tables, top to bottom
    tables: list[PTable]
    has_text: bool                  # usable text (beyond page numbers)
    garbled: bool
    n_unknown: int                  # U+FFFD characters kept in the text (glyphs without Unicode)


def read_page(page, number: int) -> PageResult:
    tp = page.get_textpage(flags=FLAGS)
    d = tp.extractDICT()
    frags, n_chars, n_bad = text_frags(d)
    height = page.rect.height
    garbled = n_chars > 0 and n_bad > GARBLED_SHARE * n_chars
    if garbled:
        return PageResult(number, height, [], [], False, True, 0)
    vectors = [b for b in d["blocks"] if b["type"] == 3]
    hs: list[Seg] = []
    vs: list[Seg] = []
    if vectors and frags:
        hs, vs, exact = segments(vectors)
        if exact:
            hs, vs = segments_from_drawings(page.get_cdrawings())
    raw: dict | None = None

    def raw_chars(key):
        """(char, bbox) of one span, from the same text page (extracted on first need)."""
        nonlocal raw
        if raw is None:
            raw = tp.extractRAWDICT()
        bi, li, si = key
        return [(c["c"], c["bbox"]) for c in raw["blocks"][bi]["lines"][li]["spans"][si]["chars"]]

    return layout_page(number, height, frags, hs, vs, raw_chars, n_bad)


def layout_page(number: int, height: float, frags: list[Frag], hs: list[Seg], vs: list[Seg], raw_chars,
                n_bad: int = 0) -> PageResult:
    """Stages 2–3 on one page's text fragments and ruling segments (in points, y downwards), whatever
    reader found them (the PDF text layer, an OFD page). `raw_chars(key)` gives the (char, bbox) of the
    fragment with that key."""
    tables: list[PTable] = []
    if (hs or vs) and frags:
        tables = find_tables(hs, vs, number)
    if tables:
        frags = fill_cells(tables, frags, raw_chars)
        for k, t in enumerate(tables):
            if _under_ruled(t):
                again = retext(t)
                if again is not None:
                    tables[k] = again
    lines = []
    vis: list[list[Frag]] = []
    gappy = 0         # lines with cells apart
    digits = False    # ... one of them with a number
    found: list[tuple[TLine, bool]] = []
    for ln in _visual_lines(frags):
        ln = _untangle(ln, raw_chars)
        text = _tidy(_join(ln, True))
        if not text:
            continue
        if len(ln) == 1:
            f = ln[0]
            x0, y0, x1, y1, size = f.x0, f.y0, f.x1, f.y1, f.size
            gap = False
        else:
            x0 = min(f.x0 for f in ln)
            y0 = min(f.y0 for f in ln)
            x1 = max(f.x1 for f in ln)
            y1 = max(f.y1 for f in ln)
            size = max(f.size for f in ln)
            gap = any(b.x0 - a.x1 > RUN_GAP * size for a, b in zip(ln, ln[1:]))
        found.append((TLine(x0, y0, x1, y1, text, size, ln), gap))
    for k, (tl, gap) in enumerate(found):
        if _page_number(found, k, height):
            continue  # page number in the header/footer
        lines.append(tl)
        vis.append(tl.frags)
        if gap:
            gappy += 1
            if not digits and any(ch.isdigit() for ch in tl.text):
                digits = True
    if gappy >= 2 and digits:  # cells on a line apart, with numbers: maybe a table without (vertical) rules
        hrules = [e for e in merge_edges(hs) if not any(
            t.bbox[1] - TOL <= e[0] <= t.bbox[3] + TOL and e[1] < t.bbox[2] and e[2] > t.bbox[0] for t in tables)]
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
        more, used = text_tables(vis, hrules, number, left, right, top=0.3 * height)
        if more:
            gone: set[int] = set()
            for t, rng in zip(more, used):
                t.taken = [lines[k] for k in rng]
                gone.update(rng)
            lines = [ln for k, ln in enumerate(lines) if k not in gone]
            tables = sorted(tables + more, key=lambda t: t.bbox[1])
    has_text = bool(lines) or any(c.text for t in tables for c in t.cells)
    n_unknown = 0 if not n_bad else sum(f.text.count("\ufffd") for f in frags) + sum(
        c.text.count("\ufffd") for t in tables for c in t.cells)
    return PageResult(number, height, lines, tables, has_text, False, n_unknown)


def _page_number(found: list, k: int, height: float) -> bool:
    """Line k is a page number in the header or footer margin ("- 1 -", "第 1 页", "1", "1/6"), not a
    number of the body that reaches into the margin: a page number stands apart, while the last
    part of a number wrapped in a table's cell ("1,53" ⏎ "0") overlaps or touches the line above."""
    tl = found[k][0]
    if not ((tl.y1 <= 0.12 * height or tl.y0 >= 0.85 * height) and _PAGE_NO.match(tl.text)):
        return False
    for j in (k - 1, k + 1):
        if 0 <= j < len(found):
            o = found[j][0]
            if min(o.y1, tl.y1) - max(o.y0, tl.y0) > -0.2 * tl.size and not _PAGE_NO.match(o.text):
                return False
    return True


def page_stages(page) -> dict:
    """Debug view: every intermediate stage of the table rebuild for one page."""
    d = page.get_text("dict", flags=FLAGS)
    vectors = [b for b in d["blocks"] if b["type"] == 3]
    hs, vs, exact = segments(vectors)
    if exact:
        hs, vs = segments_from_drawings(page.get_cdrawings())
    he, ve = merge_edges(hs), merge_edges(vs)
    regions = find_regions(he, ve)
    grids = [build_grid(h, v) for h, v in regions]
    cells = [build_cells(g) if g else None for g in grids]
    frags, _, _ = text_frags(d)
    runs = [line_runs(sorted(ln, key=lambda f: f.x0)) for ln in _visual_lines(frags)] if frags else []
    xs = [f.x0 for f in frags] + [f.x1 for f in frags]
    spans = text_table_spans(runs, min(xs), max(xs)) if runs else []
    return {"vectors": vectors, "exact_fallback": exact, "segments": (hs, vs), "edges": (he, ve),
            "regions": regions, "grids": grids, "cells": cells,
            # tables without rules, over all the page's lines (the reader only looks outside ruled
            # tables): runs per visual line, line ranges that are tables, their column bounds
            "runs": runs, "text_spans": spans,
            "text_bounds": [column_bounds([r for r in runs[i:j] if r]) for i, j, _ in spans]}
