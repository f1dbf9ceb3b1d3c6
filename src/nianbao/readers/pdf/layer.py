"""PDF stage 1 — the text layer and the vector paths of one page, in one MuPDF pass.

    page ─ get_textpage(FLAGS).extractDICT() ─┬─ text blocks ─ text_frags() ─▶ Frag per span
                                               │       (bbox, text, size; diagonal text dropped;
                                               │        visible / unreadable characters counted)
                                               └─ vector blocks (type 3) ─ segments() ─▶ ruling
                                                       segments: horizontal (y, x0, x1) and
                                                       vertical (x, y0, y1); a stroked
                                                       non-rectangular path asks for the exact
                                                       fallback segments_from_drawings()
    Frags ─ _visual_lines() ─▶ visual lines ─ _untangle() / _join() ─▶ text ─ _tidy() ─▶ clean text

`page.get_textpage(flags=TEXT_COLLECT_VECTORS | …)` gives the text (blocks → lines → spans with
bboxes) *and* the vector paths (type-3 blocks: bbox, stroked, isrect), so the content stream is
interpreted once. Only a page that draws non-rectangular stroked paths (a polyline border, a
vector seal) pays for a second pass with `get_cdrawings()`. `page.find_tables()` was measured at
~1.5 s for a 7-page report (≈300× the text layer) and is not used.

A visual line is the spans that overlap its first span (by centre order) by half the smaller
height (so values centred between the two lines of a wrapped label do not chain them into one);
they are joined (no space between CJK characters). A single space next to a CJK character is
removed ("2022 年" → "2022年"); a wide gap between runs on one line becomes a space ("行政许可 12");
a glyph drawn into a gap of another run (LibreOffice's Latin-font quote marks) is put back between
the right characters. Diagonal text (watermarks) is ignored.

This module also holds the text patterns the later stages share (page numbers, headings, values,
row labels).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

# No TEXT_PRESERVE_IMAGES (images are not needed and cost a copy), no
# TEXT_CID_FOR_UNKNOWN_UNICODE (an unmapped glyph must come out as U+FFFD so it can be detected).
# MuPDF inserts a space at some gaps between glyphs; that keeps Latin words apart when a PDF has
# no space characters, but also puts one into the automatic spacing Word and LibreOffice leave
# between CJK and Latin text ("2022 年"): `_tidy` removes single spaces next to CJK characters.
FLAGS = (pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_COLLECT_VECTORS)
THIN = 3.0           # a rectangle at most this thick is a ruling line
GARBLED_SHARE = 0.3  # share of U+FFFD / private-use glyphs above which a page is unreadable

# what a line of text looks like (shared by the later stages)
_PAGE_NO = re.compile(
    r"^(?:[-—–－‒―_~·•.\s]*[0-9０-９]{1,4}[-—–－‒―_~·•.\s]*"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,/、]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|共\s*[0-9０-９]{1,4}\s*页\s*[，,/、]?\s*第\s*[0-9０-９]{1,4}\s*页"
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}"
    r"|page\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?)$", re.I)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
                      r"|[0-9]{1,2}[.．、]|第[一二三四五六七八九十]+[章节条部分])")
_NUMERIC = re.compile(r"^[\s0-9０-９.,，．%％万元件个次-]*$")
_VALUE = re.compile(r"^(?:[+\-－]?[0-9０-９][0-9０-９.,，．]*\s*(?:%|％|万元|元|件|个|次|项)?|[/／—–\-－]+|无)$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_ROW_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9０-９]+[)）]"
                        r"|[0-9０-９]{1,2}[.．、，,]|第[一二三四五六七八九十0-9]+[章节条项部分])")


@dataclass(slots=True)
class Frag:
    """A run of text on one visual line: a span, or the part of a span inside one cell."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    key: tuple[int, int, int] | None = None  # (block, line, span) in the page dict


@dataclass(slots=True)
class TLine:
    """A visual line of text (one or more MuPDF lines on the same baseline)."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    frags: list[Frag] | None = None   # its fragments, left to right


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x3000 <= o <= 0x303F or 0x20000 <= o <= 0x3FFFF)


def _untangle(parts: list[Frag], raw_chars) -> list[Frag]:
    """Fragments of one visual line sorted left to right; where two overlap horizontally (a quote
    mark in a Latin font drawn between two CJK characters of one span), split the spans into
    characters so they interleave."""
    if len(parts) < 2:
        return parts
    parts.sort(key=lambda f: f.x0)
    for i in range(1, len(parts)):
        if parts[i].x0 < parts[i - 1].x1 - 0.3 * min(parts[i].size, parts[i - 1].size):
            break
    else:
        return parts
    out: list[Frag] = []
    for f in parts:
        inside = [g for g in parts if g is not f and f.x0 - 0.5 <= g.x0 and g.x1 <= f.x1 + 0.5]
        if not inside:
            out.append(f)
            continue
        chars = _split_cjk(f, inside)
        if chars is None:
            if f.key is None or raw_chars is None:
                out.append(f)
                continue
            chars = [Frag(bb[0], bb[1], bb[2], bb[3], ch, f.size) for ch, bb in raw_chars(f.key)]
        out.extend(chars)
    out.sort(key=lambda f: f.x0)
    return out


def _split_cjk(f: Frag, inside: list[Frag]) -> list[Frag] | None:
    """Characters of a span of full-width CJK characters (each one em wide) with other fragments
    drawn in its gaps, without asking MuPDF for character positions. None unless the widths add
    up exactly (within 1 pt), e.g. when the span is justified or has Latin characters."""
    text, size = f.text, f.size
    if not all(_is_cjk(ch) for ch in text):
        return None
    inside = sorted(inside, key=lambda g: g.x0)
    if abs((f.x1 - f.x0) - len(text) * size - sum(g.x1 - g.x0 for g in inside)) > 1.0:
        return None
    out = []
    x = f.x0
    k = 0
    for ch in text:
        while k < len(inside) and inside[k].x0 < x + size / 2:
            x = inside[k].x1
            k += 1
        out.append(Frag(x, f.y0, x + size, f.y1, ch, size))
        x += size
    return out


def _join(parts: list[Frag], spaced_cjk: bool) -> str:
    """Join the fragments of one visual line (sorted left to right)."""
    out = ""
    prev: Frag | None = None
    for f in parts:
        t = f.text
        if prev is not None and out and t:
            gap = f.x0 - prev.x1
            a, b = out[-1], t[0]
            if not (a.isspace() or b.isspace()) and gap > 0.25 * max(f.size, prev.size):
                if not (_is_cjk(a) or _is_cjk(b)):
                    out += " "
                elif spaced_cjk and gap > 1.5 * f.size:
                    out += _GAP  # a wide gap next to CJK text ("行政许可      12"): kept by _tidy
        out += t
        prev = f
    return out


def _visual_lines(frags: list[Frag]) -> list[list[Frag]]:
    """Group fragments into visual lines: sorted by vertical centre, a new line starts when a
    fragment no longer overlaps the line's first fragment by half the smaller height."""
    if len(frags) == 1:
        return [frags]
    frags = sorted(frags, key=lambda f: f.y0 + f.y1)
    lines: list[list[Frag]] = []
    cur: list[Frag] = []
    ly0 = ly1 = 0.0
    for f in frags:
        fy0, fy1 = f.y0, f.y1
        if cur:
            top = ly0 if ly0 > fy0 else fy0
            bot = ly1 if ly1 < fy1 else fy1
            h = fy1 - fy0
            lh = ly1 - ly0
            if bot - top >= 0.5 * (h if h < lh else lh):
                cur.append(f)  # the line keeps its first fragment's extent: no chaining through
                continue       # values centred between the two lines of a wrapped label
            lines.append(cur)
        cur = [f]
        ly0, ly1 = fy0, fy1
    if cur:
        lines.append(cur)
    return lines


_BAD = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b-\x1f]")


def text_frags(page_dict: dict) -> tuple[list[Frag], int, int]:
    """Spans of the page as fragments; also count the visible characters and unreadable ones
    (U+FFFD, private-use glyphs, control characters)."""
    frags: list[Frag] = []
    texts: list[str] = []
    for bi, b in enumerate(page_dict["blocks"]):
        if b["type"] != 0:
            continue
        for li, ln in enumerate(b["lines"]):
            dx, dy = ln["dir"]
            if (dx > 0.05 or dx < -0.05) and (dy > 0.05 or dy < -0.05):
                continue  # diagonal text: a watermark, not report content
            for si, sp in enumerate(ln["spans"]):
                t = sp["text"]
                if not t or t.isspace():
                    continue
                texts.append(t)
                x0, y0, x1, y1 = sp["bbox"]
                frags.append(Frag(x0, y0, x1, y1, t, sp["size"], (bi, li, si)))
    alltext = "".join(texts)
    n_chars = len(alltext) - alltext.count(" ")
    n_bad = 0 if alltext.isascii() and alltext.isprintable() else len(_BAD.findall(alltext))
    return frags, n_chars, n_bad


_GAP = "\u2002"  # marks a wide gap found by _join; becomes a plain space in _tidy
_CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0003ffff"
_CJK_SPACE = re.compile(f"(?<=[{_CJK_CLASS}]) (?! )|(?<! ) (?=[{_CJK_CLASS}])")


def _tidy(t: str) -> str:
    """Strip the line, drop unreadable glyphs, and drop a single space next to a CJK character:
    MuPDF puts one into the narrow automatic gap Word and LibreOffice leave between CJK and Latin
    text ("2022 年" → "2022年"). Runs of spaces (alignment typed by hand), spaces between Latin
    words and wide gaps (`_GAP`) are kept."""
    t = _clean(t).strip()
    if " " in t:
        t = _CJK_SPACE.sub("", t)
    if _GAP in t:
        t = t.replace(_GAP, " ")
    return t


_DROP = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x09\x0b-\x1f]")


def _clean(t: str) -> str:
    """Drop private-use glyphs (decorative bullets from symbol fonts) and control characters."""
    if t.isprintable():  # private-use and control characters are not printable
        return t
    return _DROP.sub("", t.replace("\t", " "))


Seg = tuple[float, float, float]  # (position, start, end): y,x0,x1 for horizontal; x,y0,y1 vertical


def segments(vectors: list[dict]) -> tuple[list[Seg], list[Seg], bool]:
    """Ruling segments from the text page's vector blocks. Returns (horizontal, vertical,
    needs_exact): needs_exact is True when a stroked non-rectangular path could hide border lines
    (then use `segments_from_drawings`)."""
    hs: list[Seg] = []
    vs: list[Seg] = []
    outlines = []
    thick = []
    needs_exact = False
    for b in vectors:
        if b["alpha"] == 0 or b["color"] == 0xFFFFFF:
            continue  # invisible or white: not a visible ruling
        x0, y0, x1, y1 = b["bbox"]
        w, h = x1 - x0, y1 - y0
        stroked = b["stroked"]
        if not b["isrect"]:
            if stroked and w > THIN and h > THIN:
                needs_exact = True
                continue
            if not stroked:
                continue  # a filled shape (logo, seal, glyph): not a ruling
        if h <= THIN and w > h:
            e = h / 2 if stroked else 0.0
            hs.append(((y0 + y1) / 2, x0 + e, x1 - e))
            if stroked:
                thick.append(h)
        elif w <= THIN and h > w:
            e = w / 2 if stroked else 0.0
            vs.append(((x0 + x1) / 2, y0 + e, y1 - e))
            if stroked:
                thick.append(w)
        elif stroked:
            outlines.append((x0, y0, x1, y1))
        # a large filled rectangle is cell shading or a background, not a ruling
    if outlines:
        thick.sort()
        e = thick[len(thick) // 2] / 2 if thick else 0.5
        for x0, y0, x1, y1 in outlines:
            x0, y0, x1, y1 = x0 + e, y0 + e, x1 - e, y1 - e
            hs += [(y0, x0, x1), (y1, x0, x1)]
            vs += [(x0, y0, y1), (x1, y0, y1)]
    return hs, vs, needs_exact


def segments_from_drawings(drawings: list[dict]) -> tuple[list[Seg], list[Seg]]:
    """Ruling segments from `page.get_cdrawings()` (exact path items; used as a fallback)."""
    hs: list[Seg] = []
    vs: list[Seg] = []
    for d in drawings:
        typ = d.get("type", "")
        stroked = "s" in typ
        col = d.get("color") if stroked else d.get("fill")
        if col is not None and tuple(col) == (1.0, 1.0, 1.0):
            continue
        for it in d.get("items", ()):
            kind = it[0]
            if kind == "l":
                (ax, ay), (bx, by) = it[1], it[2]
                if stroked and abs(ay - by) <= 0.5 and abs(ax - bx) > 0.5:
                    hs.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif stroked and abs(ax - bx) <= 0.5 and abs(ay - by) > 0.5:
                    vs.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
            elif kind in ("re", "qu"):
                if kind == "qu":
                    q = it[1]
                    xs_ = [p[0] for p in q]
                    ys_ = [p[1] for p in q]
                    x0, y0, x1, y1 = min(xs_), min(ys_), max(xs_), max(ys_)
                else:
                    x0, y0, x1, y1 = it[1]
                w, h = x1 - x0, y1 - y0
                if h <= THIN and w > h:
                    hs.append(((y0 + y1) / 2, x0, x1))
                elif w <= THIN and h > w:
                    vs.append(((x0 + x1) / 2, y0, y1))
                elif stroked:
                    hs += [(y0, x0, x1), (y1, x0, x1)]
                    vs += [(x0, y0, y1), (x1, y0, y1)]
    return hs, vs


def _cluster(values: list[float], tol: float) -> list[list[float]]:
    """1-D clusters of sorted values: a value within `tol` of the previous one joins its cluster."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return out
