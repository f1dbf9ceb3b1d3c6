"""PDF reader: the text layer with positions, and tables rebuilt from their ruling lines (or,
drawn without vertical rules, from the positions of their text).

One MuPDF pass per page: `page.get_textpage(flags=TEXT_COLLECT_VECTORS | …)` gives the text
(blocks → lines → spans with bboxes) *and* the vector paths (type-3 blocks: bbox, stroked,
isrect), so the content stream is interpreted once. Only a page that draws non-rectangular
stroked paths (a polyline border, a vector seal) pays for a second pass with `get_cdrawings()`.
`page.find_tables()` was measured at ~1.5 s for a 7-page report (≈300× the text layer) and is not
used.

Tables are rebuilt by a chain of pure steps (see `page_stages` for a debug view of each):

    vector blocks ─ segments() ─▶ ruling segments (horizontal y,x0,x1 / vertical x,y0,y1)
                  ─ merge_edges() ─▶ edges: segments clustered by position (±2 pt), collinear
                                     pieces joined
                  ─ find_regions() ─▶ connected sets of crossing edges (one per table)
                  ─ build_grid() ─▶ row/column boundaries + how much of each grid line is ruled
                  ─ build_cells() ─▶ cells with spans: a grid line that is not ruled between two
                                     grid cells makes them one merged cell
                  ─ fill_cells() ─▶ each text span goes to the cell holding its centre (a span
                                     straddling a ruled line is split by characters)

A region becomes a table only if it has at least two cells (a single box around text is a frame,
not a table; its text stays paragraphs).

Tables without vertical rules (三线表 with rules only above and below the header and below the
last row, tables with every horizontal rule but no vertical one, tables with no rules at all) are
rebuilt from the text positions of the lines left outside ruled tables (`text_tables`), only on
a page with at least two lines whose fragments lie apart (gaps > RUN_GAP font sizes), one of
them with a digit (so ordinary pages pay nothing):

    visual lines ─ line_runs() ─▶ runs: the text of one cell on one line (split at wide gaps);
                                  a run is a value when it is a number, "/", "—" or "无"
                 ─ text_table_spans() ─▶ line ranges that are tables: at least three row-like
                                  lines (two runs or more, one a value) with values of three lines
                                  in one column (centres, left or right ends within 2 pt), or one
                                  line of three values or more each under a cell of another line,
                                  with two lines of three cells (表四); extended over the lines
                                  between and the header lines above that have the table's type
                                  size, follow without a paragraph gap (a header line of three
                                  cells or more may stand 4.5 sizes above: a tall header row) and
                                  are not prose (a sentence filling the text width or ending in
                                  。；：) nor, above the table, a heading (一、 （一）); trailing
                                  lines after the last row that start like a heading at the
                                  table's left edge or a paragraph indent are left out (one over
                                  the value columns is a header row: 2019 表二's 第二十条第（九）项)
                 ─ column_bounds() ─▶ the middle of every x gap that at most COL_SHARE of the
                                  row-like lines cross (a gap 1.6 times wider than the usual gap
                                  between value columns is cut around the header texts inside it:
                                  a column left blank in every row); gaps between the cells of
                                  header lines where no row-like line has text (8 pt from other
                                  boundaries); a boundary before each x where three left-aligned
                                  labels or more start, left of every value
                 ─ text_table() ─▶ rows: horizontal rules inside the table cut it into bands; a
                                  band closed by rules with at most one line of values is one row
                                  (its wrapped texts joined per cell); otherwise `cell_pieces`
                                  joins the lines of a wrapped text column by column (the line
                                  above as long as the column's longest text, the next line at
                                  line pitch, not a value, not starting like a row label 一、
                                  （一） 1., the two lines not both holding values) and `_rows_of`
                                  makes one row per line of values, with the label pieces whose
                                  lines reach over it (values centred beside a wrapped label),
                                  and a row per first line for the other label pieces; empty
                                  positions are blank cells only in the columns that hold a value
                                  in the same block of rows (blocks end at header rows) or that a
                                  one-column header text above the block names; elsewhere there
                                  is no cell. Cells of such tables are one row high.
One or two row-like lines at the top of a page (values aligned) make a `weak` table: kept only
when it continues a table from the previous page (the last rows of a table), otherwise its lines
go back to the paragraphs. A text that does not line up with numbers in columns stays paragraphs: a numbered list, a
sentence with figures, a single "行政许可      12" line. A table with only an outer frame has no
ruled cells (a frame is not a table), so its text is rebuilt the same way. A ruled table without
rules between its rows (vertical rules only) is found by its cells: when a grid row has three
cells that stack the texts of several rows (`_stacked`: a value among other lines, three values
or more, or two short values; a number wrapped in a narrow cell, "27,14" / "8", is one value),
`retext` rebuilds it from its text on the ruled columns plus the columns its text shows.

Tables continuing on the next page (rule): a table on page p and a table on page p+1 are one
logical table when
  * no kept text line lies below the first on page p and none above the second on page p+1
    (page numbers / page-number footers do not count),
  * the first ends in the lower 40 % of page p and the second starts in the upper 30 % of p+1,
  * their outer column boundaries agree within ±3 pt and the interior boundaries of one are a
    subset of the other's (±3 pt); the merged grid uses the union of the boundaries. Two tables
    rebuilt from text positions continue when the values of each value column of the second
    fall into one column of the first, a different one each (`_same_value_columns`); the part on
    p+1 is then rebuilt on the columns of the first part.
Running page headers and footers (a line in the top 12 % / bottom 15 % of the page whose text
comes back at the same height on two pages or more and on half of them) are dropped before this
rule is applied, so a table continuing below a running header still joins. A table without
rules whose header rows alone end page p (they hold no value, so they are no table there) takes
them back (`pull_header`): when page p+1 starts with such a table and page p ends, below its
last table, with lines of the table's type size (no paragraph gap, not prose, not a heading, one
of two cells or more), the table is rebuilt with them on top; their cells keep page p.
The continuation's rows are appended. Then, at the seam:
  * header rows that Word repeats on the new page (same texts as the table's first rows, not all
    numeric) are dropped;
  * an all-empty one-row-high first row (the empty remainder of a row cut by the break) is
    dropped;
  * a vertically merged label cell cut by the break is rejoined: an empty cell at the top of
    p+1 below a non-empty cell with the same columns, when either of the two spans more than one
    row, becomes part of the cell above (rowspan extended; its `Where` stays on page p).
  * a row cut by the break (Word's "允许跨页断行": the bottom border is drawn at the break, so
    the grid gives no evidence) is rejoined by its continuation evidence (`rejoin_cut_row`): the
    last row on p and the first on p+1 have the same cells, and every non-empty cell of the
    second either continues the text above (not a number, the line above reaching the cell's
    right edge so the text wrapped, the continuation not starting like a row label 一、 （一）
    1.) or holds a number under an empty cell (the values drawn in the lower half); at least one
    cell does. Two genuine rows are never joined: a new row's label starts with its numbering or
    sits under a short (unwrapped) label, and its values meet the values above.

Paragraphs: text lines outside tables, top to bottom per page. A visual line is the spans that
overlap its first span (by centre order) by half the smaller height (so values centred between
the two lines of a wrapped label do not chain them into one); they are joined (no space between
CJK characters). A line is joined to the previous one only when the previous fills the text
width, the next starts at the left margin (not indented), has the same size, follows at normal
line pitch on the same page and does not start like a heading (一、 / （一） / 1.); otherwise
each visual line is its own paragraph. `Where.line` is the running number (1-based, whole
document) of the paragraph's first visual line among the lines kept outside tables. Page-number
lines in the top/bottom margin ("- 1 -", "第 1 页", "1", "1/6") and running headers/footers
(above) are dropped; diagonal text (watermarks) is ignored. A single space next to a CJK
character is removed ("2022 年" → "2022年"); a wide gap between runs on one line becomes a space
("行政许可 12"); a glyph drawn into a gap of another run (LibreOffice's Latin-font quote marks)
is put back between the right characters.

Problems and errors:
  * a page without usable text that has images → Problem needs-ocr (warning) for that page; a
    page whose text is mostly U+FFFD / private-use glyphs (a font without character mapping) →
    needs-ocr too and its text is not emitted; a few such glyphs → pdf-unmapped-glyphs (warning),
    U+FFFD kept in the text; no usable text on any page → ReadError needs-ocr;
  * open password → ReadError pdf-encrypted (an owner password alone does not matter);
  * MuPDF cannot open it, no pages, a page fails to load → ReadError pdf-damaged. MuPDF repairs
    a truncated file and would show what survived (half a table whose missing values look like
    empty cells), so a file that needed repair and lacks its closing %%EOF is refused as
    pdf-damaged too; a repaired file that is complete (a broken xref table) is read, with an
    info Problem pdf-repaired.
"""
from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

import pymupdf

from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

# No TEXT_PRESERVE_IMAGES (images are not needed and cost a copy), no
# TEXT_CID_FOR_UNKNOWN_UNICODE (an unmapped glyph must come out as U+FFFD so it can be detected).
# MuPDF inserts a space at some gaps between glyphs; that keeps Latin words apart when a PDF has
# no space characters, but also puts one into the automatic spacing Word and LibreOffice leave
# between CJK and Latin text ("2022 年"): `_tidy` removes single spaces next to CJK characters.
FLAGS = (pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_COLLECT_VECTORS)

TOL = 2.0            # clustering tolerance for ruling positions (pt)
THIN = 3.0           # a rectangle at most this thick is a ruling line
MIN_CELL = 4.0       # grid boundaries closer than this are one boundary
WALL_COVER = 0.5     # a grid line counts as ruled where segments cover this share of it
CONT_TOL = 3.0       # column boundaries must agree this well for a cross-page continuation
GARBLED_SHARE = 0.3  # share of U+FFFD / private-use glyphs above which a page is unreadable
MAX_GRID = 20000     # a ruled region with more grid cells than this is not a report table

_NEEDS_OCR_ZH = "PDF 没有文字层（扫描件），需要OCR识别后才能读取；请提供可复制文字的 PDF 或 Word 原件。"
_NEEDS_OCR_EN = ("the PDF has no text layer (a scan); it needs OCR before it can be read; provide a PDF "
                 "with selectable text or the original Word file.")
_DAMAGED_ZH = "PDF 文件已损坏或不完整（可能下载中断），无法读取；请重新导出或下载。"
_DAMAGED_EN = ("the PDF is damaged or incomplete (the download may have been interrupted) and cannot be "
               "read; export or download it again.")

_PAGE_NO = re.compile(
    r"^(?:[-—–－‒―_~·•.\s]*[0-9０-９]{1,4}[-—–－‒―_~·•.\s]*"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,/、]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|共\s*[0-9０-９]{1,4}\s*页\s*[，,/、]?\s*第\s*[0-9０-９]{1,4}\s*页"
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}"
    r"|page\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?)$", re.I)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
                      r"|[0-9]{1,2}[.．、]|第[一二三四五六七八九十]+[章节条部分])")
_NUMERIC = re.compile(r"^[\s0-9０-９.,，．%％万元件个次-]*$")


# ───────────────────────────── text ─────────────────────────────

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


# ───────────────────────────── rulings ─────────────────────────────

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


def merge_edges(segs: list[Seg], tol: float = TOL) -> list[Seg]:
    """Cluster segments by position (±tol, chained) and join collinear pieces that touch or
    overlap. The edge's position is the mean of the distinct positions in its cluster."""
    if not segs:
        return []
    cid: dict[float, int] = {}
    clusters: list[list[float]] = []
    prev = None
    for p in sorted({s[0] for s in segs}):
        if prev is None or p - prev > tol:
            clusters.append([p])
        else:
            clusters[-1].append(p)
        cid[p] = len(clusters) - 1
        prev = p
    buckets: list[list[tuple[float, float]]] = [[] for _ in clusters]
    for p, a, b in segs:
        buckets[cid[p]].append((a, b))
    edges: list[Seg] = []
    for cl, ivs in zip(clusters, buckets):
        pos = sum(cl) / len(cl)
        ivs.sort()
        a, b = ivs[0]
        for c, d in ivs:
            if c <= b + tol:
                if d > b:
                    b = d
            else:
                edges.append((pos, a, b))
                a, b = c, d
        edges.append((pos, a, b))
    return edges


def find_regions(hedges: list[Seg], vedges: list[Seg], tol: float = TOL) -> list[tuple[list[Seg], list[Seg]]]:
    """Connected sets of edges (a horizontal and a vertical edge are connected where they cross or
    touch). Only sets with at least two edges of each direction can hold a cell."""
    nh = len(hedges)
    parent = list(range(nh + len(vedges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vedges = sorted(vedges)  # the vertical edges within a horizontal edge's x-range are a slice
    vx = [e[0] for e in vedges]
    for i, (y, hx0, hx1) in enumerate(hedges):
        lo, hi = bisect_left(vx, hx0 - tol), bisect_right(vx, hx1 + tol)
        a = find(i)  # everything crossing edge i is attached under its root
        for j in range(lo, hi):
            _, vy0, vy1 = vedges[j]
            if vy0 - tol <= y <= vy1 + tol:
                k = nh + j
                if parent[k] == a:
                    continue
                b = find(k)
                if a != b:
                    parent[b] = a
    comps: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, e in enumerate(hedges):
        comps.setdefault(find(i), ([], []))[0].append(e)
    for j, e in enumerate(vedges):
        comps.setdefault(find(nh + j), ([], []))[1].append(e)
    regions = [c for c in comps.values() if len(c[0]) >= 2 and len(c[1]) >= 2]
    regions.sort(key=lambda c: (min(e[0] for e in c[0]), min(e[1] for e in c[0])))
    return regions


@dataclass(slots=True)
class Grid:
    xs: list[float]                 # column boundaries, left to right
    ys: list[float]                 # row boundaries, top to bottom
    vwall: list[list[bool]]         # vwall[r][i]: boundary xs[i] is ruled along row r
    hwall: list[list[bool]]         # hwall[i][c]: boundary ys[i] is ruled along column c

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def _boundaries(positions: list[float], lo: float, hi: float) -> list[float]:
    bounds = [sum(c) / len(c) for c in _cluster(positions, TOL)]
    merged: list[float] = []
    for b in bounds:  # boundaries closer than MIN_CELL are one
        if merged and b - merged[-1] < MIN_CELL:
            continue
        merged.append(b)
    if merged and lo < merged[0] - MIN_CELL:
        merged.insert(0, lo)
    if merged and hi > merged[-1] + MIN_CELL:
        merged.append(hi)
    return merged


def _coverage(edges: list[Seg], bounds: list[float], spans: list[float]) -> list[list[bool]]:
    """cov[i][k]: the grid line at bounds[i] is ruled along the k-th interval of `spans`."""
    nk, ni = len(spans) - 1, len(bounds)
    length = [[0.0] * nk for _ in range(ni)]
    for pos, a, b in edges:
        i = bisect_left(bounds, pos)
        if i == ni or (i > 0 and pos - bounds[i - 1] < bounds[i] - pos):
            i -= 1
        if abs(bounds[i] - pos) > MIN_CELL:
            continue
        row = length[i]
        k = bisect_right(spans, a) - 1
        if k < 0:
            k = 0
        while k < nk:
            s0, s1 = spans[k], spans[k + 1]
            if s0 >= b:
                break
            ov = (b if b < s1 else s1) - (a if a > s0 else s0)
            if ov > 0:
                row[k] += ov
            k += 1
    need = [WALL_COVER * (spans[k + 1] - spans[k]) for k in range(nk)]
    return [[l >= n for l, n in zip(row, need)] for row in length]


def build_grid(hedges: list[Seg], vedges: list[Seg]) -> Grid | None:
    """Row and column boundaries of one region, and which parts of each grid line are ruled."""
    xs = _boundaries([e[0] for e in vedges], min(e[1] for e in hedges), max(e[2] for e in hedges))
    ys = _boundaries([e[0] for e in hedges], min(e[1] for e in vedges), max(e[2] for e in vedges))
    if len(xs) < 2 or len(ys) < 2:
        return None
    vwall = [list(t) for t in zip(*_coverage(vedges, xs, ys))]   # [row][x boundary]
    hwall = _coverage(hedges, ys, xs)                             # [y boundary][col]
    return Grid(xs, ys, vwall, hwall)


@dataclass(slots=True)
class GCell:
    """A cell of a rebuilt grid (possibly merged); `lines` is filled by `fill_cells`."""
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]
    weak: bool = False    # its outline is mostly unruled: outside the table unless it holds text
    frags: list[Frag] = field(default_factory=list)
    text: str = ""
    open_end: bool = False  # its last text line reaches the right edge (the text may wrap on)
    page: int = 0           # the page it is on when not the table's (a header pulled from above)


def build_cells(grid: Grid) -> tuple[list[GCell], list[list[int]]]:
    """Merged cells from the grid: starting at each free grid cell (row-major), extend right while
    the boundary is not ruled, then down while the whole bottom is not ruled and no ruling divides
    the new row. Returns the cells and owner[r][c] (index into cells). A cell whose outline is at
    most half ruled is marked `weak`: it lies outside an irregular table's outline unless text is
    found in it (a table drawn without outer borders)."""
    nr, nc = len(grid.ys) - 1, len(grid.xs) - 1
    owner = [[-1] * nc for _ in range(nr)]
    cells: list[GCell] = []
    vw, hw, xs, ys = grid.vwall, grid.hwall, grid.xs, grid.ys
    for r in range(nr):
        orow = owner[r]
        vrow = vw[r]
        for c in range(nc):
            if orow[c] >= 0:
                continue
            c2 = c
            while c2 + 1 < nc and not vrow[c2 + 1] and orow[c2 + 1] < 0:
                c2 += 1
            if c2 == c and (r + 1 == nr or hw[r + 1][c] or owner[r + 1][c] >= 0):
                # the common case: a one-by-one cell
                orow[c] = len(cells)
                sides = vrow[c] + vrow[c + 1] + hw[r][c] + hw[r + 1][c]
                cells.append(GCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1]), weak=sides <= 2))
                continue
            r2 = r
            while r2 + 1 < nr:
                if True in hw[r2 + 1][c:c2 + 1]:
                    break
                if c2 > c and (True in vw[r2 + 1][c + 1:c2 + 1] or max(owner[r2 + 1][c:c2 + 1]) >= 0):
                    break
                if c2 == c and owner[r2 + 1][c] >= 0:
                    break
                r2 += 1
            idx = len(cells)
            w, h = c2 - c + 1, r2 - r + 1
            if h == 1:
                orow[c:c2 + 1] = [idx] * w
                sides = vrow[c] + vrow[c2 + 1]
            else:
                sides = 0
                for rr in range(r, r2 + 1):
                    owner[rr][c:c2 + 1] = [idx] * w
                    sides += vw[rr][c] + vw[rr][c2 + 1]
            sides += hw[r][c:c2 + 1].count(True) + hw[r2 + 1][c:c2 + 1].count(True)
            cells.append(GCell(r, c, h, w, (xs[c], ys[r], xs[c2 + 1], ys[r2 + 1]), weak=sides <= w + h))
    return cells, owner


def _owner_at(grid: Grid, owner: list[list[int]], x: float, y: float) -> int:
    xs, ys = grid.xs, grid.ys
    c = bisect_right(xs, x) - 1
    r = bisect_right(ys, y) - 1
    nc, nr = len(xs) - 2, len(ys) - 2
    return owner[0 if r < 0 else nr if r > nr else r][0 if c < 0 else nc if c > nc else c]


@dataclass(slots=True)
class PTable:
    """A table found on one page, before cross-page merging."""
    page: int
    grid: Grid
    cells: list[GCell]
    owner: list[list[int]]
    ruled: bool = True      # False: rebuilt from text positions (`text_tables`)
    first_value: float = 0.0  # text-positioned tables: left end of the leftmost value
    source: tuple | None = None  # text-positioned tables: (lines of runs, rules) to rebuild from
    live: tuple[int, ...] = ()   # text-positioned tables: columns with blank cells in the last block
    weak: bool = False           # two rows at the top of a page: kept only if it continues a table
    taken: list = field(default_factory=list)   # the TLines it took (given back when not kept)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.grid.bbox


def fill_cells(tables: list[PTable], frags: list[Frag], raw_chars) -> list[Frag]:
    """Put each fragment into the cell holding its centre; return the fragments outside tables.
    A span whose two ends fall in different cells is split by characters (`raw_chars(key)` gives
    [(char, bbox)] for it)."""
    rest: list[Frag] = []
    boxes = [(t, t.grid.xs[0] - 1, t.grid.ys[0] - 1, t.grid.xs[-1] + 1, t.grid.ys[-1] + 1) for t in tables]
    for f in frags:
        cx, cy = (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2
        for t, bx0, by0, bx1, by1 in boxes:
            if bx0 <= cx <= bx1 and by0 <= cy <= by1:
                break
        else:
            rest.append(f)
            continue
        g = t.grid
        xs = g.xs
        nc = len(xs) - 2
        r = bisect_right(g.ys, cy) - 1
        r = 0 if r < 0 else len(g.ys) - 2 if r > len(g.ys) - 2 else r
        orow = t.owner[r]
        eps = (f.x1 - f.x0) / 4
        if eps > 2.0:
            eps = 2.0
        c = bisect_right(xs, f.x0 + eps) - 1
        left = orow[0 if c < 0 else nc if c > nc else c]
        c = bisect_right(xs, f.x1 - eps) - 1
        right = orow[0 if c < 0 else nc if c > nc else c]
        if left == right or f.key is None:
            if f.key is None:
                c = bisect_right(xs, cx) - 1
                left = orow[0 if c < 0 else nc if c > nc else c]
            if left >= 0:
                t.cells[left].frags.append(f)
            else:
                rest.append(f)
            continue
        # the span straddles a ruling: split it by characters
        run: list = []
        run_owner = -2
        for ch, bb in raw_chars(f.key) + [("", None)]:
            o = -3 if bb is None else _owner_at(g, t.owner, (bb[0] + bb[2]) / 2, cy)
            if o != run_owner:
                if run:
                    piece = Frag(run[0][1][0], min(b[1] for _, b in run), run[-1][1][2],
                                 max(b[3] for _, b in run), "".join(c for c, _ in run), f.size)
                    (t.cells[run_owner].frags if run_owner >= 0 else rest).append(piece)
                run, run_owner = [], o
            run.append((ch, bb))
    for t in tables:
        for cell in t.cells:
            fr = cell.frags
            if not fr:
                continue
            if len(fr) == 1:
                cell.text = _tidy(fr[0].text)
                continue
            lines = [_tidy(ln[0].text if len(ln) == 1 else _join(_untangle(ln, raw_chars), False))
                     for ln in _visual_lines(fr)]
            cell.text = "\n".join(s for s in lines if s)
    return rest


def _open_end(gc: GCell) -> bool:
    """The cell's last text line ends so close to its right edge (padding + two characters) that
    the next character could not fit: the text may wrap on to a next line. Ruled cells are
    measured from their fragments; text-positioned cells know it already."""
    if gc.open_end or not gc.frags:
        return gc.open_end
    bottom = max(f.y1 for f in gc.frags)
    last = [f for f in gc.frags if f.y1 > bottom - 0.5 * f.size]
    return gc.bbox[2] - max(f.x1 for f in last) <= 2.0 * max(f.size for f in last) + 6.0


def find_tables(hs: list[Seg], vs: list[Seg], page_no: int) -> list[PTable]:
    """Segments → edges → regions → grids → cells, for one page."""
    tables = []
    for hreg, vreg in find_regions(merge_edges(hs), merge_edges(vs)):
        grid = build_grid(hreg, vreg)
        if grid is None or (len(grid.xs) - 1) * (len(grid.ys) - 1) > MAX_GRID:
            continue  # a chart or a drawing, not a report table (and too costly to walk)
        cells, owner = build_cells(grid)
        if sum(not c.weak for c in cells) < 2:
            continue  # a frame around text, not a table
        tables.append(PTable(page_no, grid, cells, owner))
    return tables


# ───────────────────────────── tables without (enough) rules ─────────────────────────────

_VALUE = re.compile(r"^(?:[+\-－]?[0-9０-９][0-9０-９.,，．]*\s*(?:%|％|万元|元|件|个|次|项)?|[/／—–\-－]+|无)$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
RUN_GAP = 0.5          # fragments further apart than this many font sizes are different cells
COL_SHARE = 0.2        # an x gap crossed by at most this share of row-like lines is a column boundary
TEXT_CONT_TOL = 8.0    # a value of a continued table without rules may lie this far outside the first part


@dataclass(slots=True)
class Run:
    """The text of one cell on one visual line: fragments closer than RUN_GAP font sizes."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    value: bool            # a number or a not-applicable mark ("/", "—", "无")


def line_runs(parts: list[Frag]) -> list[Run]:
    """Split one visual line (fragments sorted left to right) into runs at wide gaps."""
    out: list[Run] = []
    cur: list[Frag] = []
    for f in parts:
        if cur and f.x0 - cur[-1].x1 > RUN_GAP * max(f.size, cur[-1].size):
            out.append(_run(cur))
            cur = []
        cur.append(f)
    if cur:
        out.append(_run(cur))
    return [r for r in out if r.text]


def _run(parts: list[Frag]) -> Run:
    if len(parts) == 1:
        f = parts[0]
        text = _tidy(f.text)
        return Run(f.x0, f.y0, f.x1, f.y1, text, f.size, bool(_VALUE.match(text)))
    text = _tidy(_join(parts, False))
    return Run(parts[0].x0, min(f.y0 for f in parts), max(f.x1 for f in parts), max(f.y1 for f in parts),
               text, max(f.size for f in parts), bool(_VALUE.match(text)))


def _is_row(runs: list[Run]) -> bool:
    """A line that looks like a table row: two cells or more, at least one of them a value."""
    return len(runs) >= 2 and any(r.value for r in runs)


def text_table_spans(lines: list[list[Run]], left: float, right: float,
                     top: float = -1.0) -> list[tuple[int, int, bool]]:
    """Index ranges [i, j) of visual lines that form a table drawn without rules: at least three
    row-like lines (two cells or more, one a value) whose values line up in a column with the
    values of the others, with the lines between and above them that continue the table (same
    type size, no paragraph gap, not a sentence filling the text width). `left`/`right`: the text
    column of the page, to tell a paragraph line from a table line."""
    n = len(lines)
    rowlike = [_is_row(rs) for rs in lines]
    if not any(rowlike):
        return []
    width = right - left

    sizes = [max(r.size for r in rs) if rs else 0.0 for rs in lines]
    bottoms = [max(r.y1 for r in rs) if rs else 0.0 for rs in lines]
    index = {id(rs): k for k, rs in enumerate(lines)}

    def size_of(rs: list[Run]) -> float:
        return sizes[index[id(rs)]]

    def prose(rs: list[Run]) -> bool:
        if len(rs) > 1:
            return False
        r = rs[0]
        return r.x1 - r.x0 > 0.7 * width or r.text.endswith(("。", "；", "：", ":"))

    def joins(a: list[Run], b: list[Run], size: float) -> bool:
        """b (below a) belongs to the same table as a."""
        if abs(size_of(b) - size) > 1.0 or prose(b):
            return False
        return b[0].y0 - bottoms[index[id(a)]] <= 1.6 * size

    spans: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if not rowlike[i]:
            i += 1
            continue
        size = size_of(lines[i])
        j = i + 1
        while j < n and joins(lines[j - 1], lines[j], size):
            j += 1
        k = i
        while k > 0 and i - k < 12 and abs(size_of(lines[k - 1]) - size) <= 1.0 and not prose(lines[k - 1]) \
                and not (len(lines[k - 1]) == 1 and _SECTION.match(lines[k - 1][0].text)) \
                and lines[k][0].y0 - bottoms[k - 1] <= (1.6 if len(lines[k - 1]) < 3 else 4.5) * size \
                and not (spans and k - 1 < spans[-1][1]):
            k -= 1
        # trailing lines after the last row-like line: keep only those that continue it. A line
        # starting like a heading at the table's left edge (or a paragraph indent) is the next
        # paragraph; one standing over the value columns is a header row of the table (2019
        # 表二's "第二十条第（九）项" ending the page before the rest of the table).
        last = max(t for t in range(i, j) if rowlike[t])
        edge = min(r.x0 for t in range(k, j) for r in lines[t])
        while j > last + 1 and not rowlike[j - 1] and len(lines[j - 1]) == 1 \
                and _ROW_START.match(lines[j - 1][0].text) and lines[j - 1][0].x0 - edge <= 4.0 * size:
            j -= 1
        rows = [lines[t] for t in range(i, j) if rowlike[t]]
        if (len(rows) >= 3 and _aligned_values(rows)) or _one_row_of_values(lines[k:j]):
            spans.append((k, j, False))
        elif 1 <= len(rows) <= 2 and lines[k][0].y0 <= top and _aligned_values(rows, len(rows)):
            spans.append((k, j, True))   # the last rows of a table from the previous page?
        i = j
    return spans


def _one_row_of_values(lines: list[list[Run]]) -> bool:
    """A header over one row of values (表四): a line of at least three values, each under a
    cell of another line, with two lines of three cells or more."""
    for rs in lines:
        vals = [r for r in rs if r.value]
        if len(vals) < 3:
            continue
        others = [o for o in lines if o is not rs and len(o) >= 3]
        if len(others) >= 2 and all(any(q.x0 <= v.x1 and v.x0 <= q.x1 for o in others for q in o)
                                    for v in vals):
            return True
    return False


def _aligned_values(rows: list[list[Run]], need: int = 3) -> bool:
    """Values of at least `need` lines line up in one column: their centres, left ends or right
    ends agree within 2 pt (numbers centred, left- or right-aligned in their cells)."""
    vals = [(r, k) for k, rs in enumerate(rows) for r in rs if r.value]
    if len(vals) < need:
        return False
    for key in (lambda r: (r.x0 + r.x1) / 2, lambda r: r.x0, lambda r: r.x1):
        pts = sorted((key(r), k) for r, k in vals)
        lo = 0
        for hi in range(len(pts)):
            while pts[hi][0] - pts[lo][0] > 2.0:
                lo += 1
            if hi - lo >= need - 1 and len({k for _, k in pts[lo:hi + 1]}) >= need:
                return True
    return False


def column_bounds(lines: list[list[Run]]) -> list[float]:
    """Column boundaries from the runs' x positions: the table's outer edges and the middle of
    every x gap that at most COL_SHARE of the row-like lines (two runs or more, one a value)
    cross (a label running over two columns crosses a gap without closing it); then the gaps
    between the cells of the other lines (headers) where no row-like line has text; then the
    starts of left-aligned label columns (below)."""
    runs = [r for rs in lines for r in rs]
    lo, hi = min(r.x0 for r in runs), max(r.x1 for r in runs)
    body = [rs for rs in lines if _is_row(rs)] or [rs for rs in lines if len(rs) > 1]
    thr = int(COL_SHARE * len(body))
    ev: list[tuple[float, int]] = []
    for rs in body:
        for r in rs:
            ev.append((r.x0, 1))
            ev.append((r.x1, -1))
    ev.sort()
    heads = sorted((r.x0, r.x1) for rs in lines if not _is_row(rs) for r in rs)
    gaps: list[tuple[float, float]] = []
    cov = 0
    gap_start: float | None = None
    for x, d in ev:
        before = cov
        cov += d
        if before > thr >= cov:
            gap_start = x
        elif before <= thr < cov and gap_start is not None:
            if x - gap_start >= 2.0 and gap_start > lo + 1 and x < hi - 1:
                gaps.append((gap_start, x))
            gap_start = None
    fv = min((r.x0 for r in runs if r.value), default=hi)
    widths = sorted(b - a for a, b in gaps if a >= fv)     # gaps between value columns
    wide = 1.6 * widths[(len(widths) - 1) // 2] if widths else hi - lo
    bounds = [lo - 1.0]
    for a, b in gaps:
        # a gap twice as wide as the others: a column blank in every row may stand in it
        bounds.extend(_split_gap(a, b, heads) if b - a > wide else [(a + b) / 2])
    bounds.append(hi + 1.0)
    # header lines: a gap between two of their cells where no row-like line has text
    body_ivs = sorted((r.x0, r.x1) for rs in body for r in rs)
    for rs in lines:
        if len(rs) < 2 or _is_row(rs):
            continue
        for a, b in zip(rs, rs[1:]):
            g0, g1 = a.x1, b.x0
            if any(g0 < x < g1 for x in bounds):
                continue
            free = [(g0, g1)]
            for x0, x1 in body_ivs:
                free = [piece for f0, f1 in free
                        for piece in ((f0, min(f1, x0)), (max(f0, x1), f1)) if piece[1] - piece[0] >= 2.0]
            if free:
                f0, f1 = max(free, key=lambda f: f[1] - f[0])
                mid = (f0 + f1) / 2
                if all(abs(mid - x) > 8.0 for x in bounds):
                    insort(bounds, mid)
    # label columns: left-aligned labels start at one x (three of them or more); where such a
    # column start lies left of every value, a boundary goes just before it even when labels
    # running over two columns cross the gap often
    first_value = min((r.x0 for r in runs if r.value), default=hi)
    starts = sorted(r.x0 for r in runs if not r.value and lo + 3.0 < r.x0 < first_value - 3.0)
    edges = sorted({x for r in runs for x in (r.x0, r.x1)})
    for cl in _cluster(starts, 1.0):
        if len(cl) < 3:
            continue
        b = cl[0] - 2.5
        # not when a boundary already lies in the same empty stretch (no run edge between)
        if all(abs(b - x) > 6.0 and bisect_left(edges, max(b, x)) - bisect_right(edges, min(b, x)) > 0
               for x in bounds):
            insort(bounds, b)
    return bounds


def _split_gap(g0: float, g1: float, heads: list[tuple[float, float]]) -> list[float]:
    """Boundaries in a gap between the texts of two columns: its middle, or, when header texts
    stand wholly inside it (a column left blank in every row, named only by its header), the
    middles between those header columns and the gap's ends."""
    inside: list[list[float]] = []
    for a, b in heads:
        if a > g0 + 1.0 and b < g1 - 1.0:
            if inside and a <= inside[-1][1]:
                inside[-1][1] = max(inside[-1][1], b)
            else:
                inside.append([a, b])
    if not inside:
        return [(g0 + g1) / 2]
    edges = [g0] + [x for iv in inside for x in iv] + [g1]
    return [(edges[k] + edges[k + 1]) / 2 for k in range(0, len(edges), 2)]


def _cols_of(bounds: list[float], r: Run) -> tuple[int, int]:
    """First and last column a run covers (by its ends, a little inside them)."""
    eps = min(2.0, (r.x1 - r.x0) / 4)
    nc = len(bounds) - 2
    a = bisect_right(bounds, r.x0 + eps) - 1
    b = bisect_right(bounds, r.x1 - eps) - 1
    return (0 if a < 0 else nc if a > nc else a), (0 if b < 0 else nc if b > nc else b)


@dataclass(slots=True)
class _Piece:
    """The text of one cell of a table without rules, over one or more visual lines."""
    c0: int
    c1: int
    runs: list[Run]

    @property
    def y0(self) -> float:
        return self.runs[0].y0

    @property
    def y1(self) -> float:
        return self.runs[-1].y1

    @property
    def value(self) -> bool:
        return self.runs[0].value


def _runs_open_end(rs: list[Run], right: float) -> bool:
    r = rs[-1]
    return right - r.x1 <= 2.0 * r.size + 6.0


def cell_pieces(lines: list[list[Run]], bounds: list[float]) -> list[_Piece]:
    """Runs placed in columns; the lines of a wrapped text are joined column by column: a run
    continues the piece above it in the same columns when that piece's last line is as long as
    the longest text of the column (within 1.5 characters: the text wrapped there), the run
    follows at line pitch, neither is a value, the run does not start like a row label
    (一、 （一） 1.) and the two lines do not both hold values (two rows). Lines of other cells
    may lie between (a label centred in a merged cell wraps beside the rows it spans)."""
    right: dict[int, float] = {}
    placed: list[tuple[Run, int, int, bool]] = []
    for rs in lines:
        hv = any(r.value for r in rs)
        for r in rs:
            a, b = _cols_of(bounds, r)
            placed.append((r, a, b, hv))
            if not r.value and r.x1 > right.get(b, -1e9):
                right[b] = r.x1
    pieces: list[_Piece] = []
    open_at: dict[int, tuple[_Piece, bool]] = {}   # first column -> (piece, a line with values in it)
    for r, a, b, hv in placed:
        got = open_at.get(a)
        if got is not None and not r.value:
            g, ghv = got
            last = g.runs[-1]
            if (g.c1 == b and not g.value and not (hv and ghv)
                    and 0.5 * r.size < r.y0 - last.y0 <= 1.8 * r.size
                    and right[b] - last.x1 <= 1.5 * last.size and not _ROW_START.match(r.text)):
                g.runs.append(r)
                open_at[a] = (g, ghv or hv)
                continue
        g = _Piece(a, b, [r])
        pieces.append(g)
        open_at[a] = (g, hv)
    return pieces


def _rows_of(pieces: list[_Piece]) -> list[list[_Piece]] | None:
    """Rows: one per line of values (a value piece and the label pieces beside it); a label
    piece whose lines reach over a line of values belongs to that row (a label wrapped over
    several lines, the values centred beside it); other label pieces make rows of their own,
    one per first line. Rows are in top-to-bottom order."""
    anchors: list[tuple[float, float, list[_Piece]]] = []   # (y0, y1, pieces) per value line
    for p in pieces:
        if not p.value:
            continue
        r = p.runs[0]
        half = 0.5 * (r.y1 - r.y0)
        # pieces come line by line: the value's line is nearly always the last one
        for a in (anchors[-1:] if anchors and min(anchors[-1][1], r.y1) - max(anchors[-1][0], r.y0) >= half
                  else anchors):
            if min(a[1], r.y1) - max(a[0], r.y0) >= half:
                a[2].append(p)
                break
        else:
            anchors.append((r.y0, r.y1, [p]))
    anchors.sort(key=lambda a: (a[0] + a[1]) / 2)
    centres = [(a[0] + a[1]) / 2 for a in anchors]
    label_rows: list[tuple[float, float, list[_Piece]]] = []
    for p in pieces:
        if p.value:
            continue
        home = None
        k = bisect_left(centres, p.y0 - 1.0)
        if k < len(anchors) and centres[k] <= p.y1 + 1.0:
            a = anchors[k]
            if not any(q.c0 <= p.c1 and p.c0 <= q.c1 for q in a[2]):
                home = a
        if home is None:
            r = p.runs[0]
            for a in label_rows:
                if min(a[1], r.y1) - max(a[0], r.y0) >= 0.5 * (r.y1 - r.y0) \
                        and not any(q.c0 <= p.c1 and p.c0 <= q.c1 for q in a[2]):
                    home = a
                    break
            else:
                home = (r.y0, r.y1, [])
                label_rows.append(home)
        home[2].append(p)
    rows = sorted(anchors + label_rows, key=lambda a: (a[0] + a[1]) / 2)
    return [sorted(a[2], key=lambda p: p.c0) for a in rows]


def text_table(lines: list[list[Run]], rules: list[float], page_no: int,
               bounds: list[float] | None = None, carried: tuple[int, ...] = (),
               min_rows: int = 2) -> PTable | None:
    """A grid from the runs of a table drawn without vertical rules (see `text_table_spans`).

    Columns: `column_bounds`. Rows: the horizontal rules inside the table cut it into bands; a
    band closed by rules on both sides with at most one line of values is one row (a table with
    every horizontal rule: the lines of a wrapped label are one cell). Other bands: `cell_pieces`
    joins wrapped texts, `_rows_of` makes the rows. `bounds`: use these columns (the part of the
    table on the previous page) instead of finding them."""
    if bounds is None:
        bounds = column_bounds(lines)
    else:
        lo = min(r.x0 for rs in lines for r in rs)
        hi = max(r.x1 for rs in lines for r in rs)
        bounds = [min(bounds[0], lo - 1.0)] + bounds[1:-1] + [max(bounds[-1], hi + 1.0)]
    nc = len(bounds) - 1
    if nc < 2:
        return None
    y_top = min(r.y0 for rs in lines for r in rs)
    y_bot = max(r.y1 for rs in lines for r in rs)
    cuts = sorted(y for y in rules if y_top < y < y_bot)
    bands: list[list[list[Run]]] = [[] for _ in range(len(cuts) + 1)]
    for rs in lines:
        cy = (rs[0].y0 + rs[0].y1) / 2
        bands[bisect_right(cuts, cy)].append(rs)
    rows: list[list[_Piece]] = []
    for bi, band in enumerate(bands):
        if not band:
            continue
        closed = 0 < bi < len(cuts)
        if closed and sum(1 for rs in band if any(r.value for r in rs)) <= 1:
            one = _one_row(band, bounds)
            if one is not None:
                rows.append(one)
                continue
        rows.extend(_rows_of(cell_pieces(band, bounds)))
    if len(rows) < min_rows:
        return None
    tops = [min(p.y0 for p in row) for row in rows]
    bots = [max(p.y1 for p in row) for row in rows]
    ys = [tops[0] - 1.0]
    for k in range(1, len(rows)):
        ys.append(max((bots[k - 1] + tops[k]) / 2, ys[-1] + 0.5))
    ys.append(max(bots[-1] + 1.0, ys[-1] + 0.5))
    grid = Grid(bounds, ys, [[False] * (nc + 1) for _ in rows], [[False] * nc for _ in ys])
    live = _live_columns(rows, nc, carried)
    cells: list[GCell] = []
    owner = [[-1] * nc for _ in rows]
    for ri, row in enumerate(rows):
        orow = owner[ri]
        for p in row:
            if (orow[p.c0] >= 0) if p.c0 == p.c1 else (max(orow[p.c0:p.c1 + 1]) >= 0):
                return None
            rs = p.runs
            if len(rs) == 1:
                r = rs[0]
                bbox = (r.x0, r.y0, r.x1, r.y1)
            else:
                bbox = (min(r.x0 for r in rs), min(r.y0 for r in rs), max(r.x1 for r in rs), max(r.y1 for r in rs))
            owner[ri][p.c0:p.c1 + 1] = [len(cells)] * (p.c1 - p.c0 + 1)
            cells.append(GCell(ri, p.c0, 1, p.c1 - p.c0 + 1, bbox, text="\n".join(r.text for r in rs),
                               open_end=_runs_open_end(rs, bounds[p.c1 + 1])))
        for c in live[ri]:
            if owner[ri][c] < 0:
                owner[ri][c] = len(cells)
                cells.append(GCell(ri, c, 1, 1, (bounds[c], ys[ri], bounds[c + 1], ys[ri + 1])))
    first_value = min((r.x0 for rs in lines for r in rs if r.value), default=bounds[-1])
    last_live = next((tuple(cols) for cols in reversed(live) if cols), ())
    return PTable(page_no, grid, cells, owner, ruled=False, first_value=first_value, source=(lines, rules),
                  live=last_live)


def _live_columns(rows: list[list[_Piece]], nc: int, carried: tuple[int, ...] = ()) -> list[list[int]]:
    """Per row, the columns where an empty position is a blank cell: the columns holding a value
    in some row of its block, and the value-area columns that a header row just above the block
    names with a text of their own (one column wide: a column left blank all the way down).
    Blocks are separated by header rows (no value, text over a value column), so a block of 表二
    whose one value is centred over three columns gets no blank cells beside it; every other
    empty position has no cell at all (nothing was drawn there). `carried`: the columns of the
    last block of the table's part on the previous page, for a first block without a header."""
    vcols = {c for row in rows for p in row if p.value for c in range(p.c0, p.c1 + 1)}
    first_vcol = min(vcols, default=nc)
    block: list[int] = []
    b = 0
    for row in rows:
        if not any(p.value for p in row) and any(c in vcols for p in row for c in range(p.c0, p.c1 + 1)):
            b += 1
            block.append(-b)        # a header row: no blank cells
            b += 1
        else:
            block.append(b)
    cols: dict[int, set[int]] = {}
    named: set[int] = set(carried)  # single-column header texts since the last block
    for row, k in zip(rows, block):
        if k < 0:
            named.update(p.c0 for p in row if p.c0 == p.c1 and p.c0 >= first_vcol)
            continue
        live = cols.setdefault(k, set())
        if named:
            live.update(named)
            named = set()
        for p in row:
            if p.value:
                live.update(range(p.c0, p.c1 + 1))
    return [sorted(cols.get(k, ())) if k >= 0 else [] for k in block]


def _one_row(band: list[list[Run]], bounds: list[float]) -> list[_Piece] | None:
    """All the runs of a band as one row (their lines joined per cell), or None when two runs
    claim overlapping columns differently."""
    row: dict[int, _Piece] = {}
    for rs in band:
        for r in rs:
            a, b = _cols_of(bounds, r)
            p = row.get(a)
            if p is not None and p.c1 == b:
                p.runs.append(r)
                continue
            if any(q.c0 <= b and a <= q.c1 for q in row.values()):
                return None
            row[a] = _Piece(a, b, [r])
    return sorted(row.values(), key=lambda p: p.c0)


def _under_ruled(t: PTable) -> bool:
    """A ruled table without rules between its rows (vertical rules only): some grid row has three
    cells that stack several rows (`_stacked`)."""
    per_row: dict[int, int] = {}
    for c in t.cells:
        if "\n" in c.text and _stacked(c):
            per_row[c.row] = per_row.get(c.row, 0) + 1
            if per_row[c.row] >= 3:
                return True
    return False


def _stacked(c: GCell) -> bool:
    """A ruled cell holding the texts of several rows: a value among other lines (a header word
    above a number), three values or more, or two values the first of which is short (a number
    that wrapped in a narrow cell fills its first line: "27,14" / "8" is one value)."""
    lines = c.text.split("\n")
    n_val = sum(1 for s in lines if _VALUE.match(s))
    if n_val == 0:
        return False
    if n_val < len(lines) or n_val >= 3:
        return True
    first = _visual_lines(c.frags)[0] if c.frags else []
    if not first:
        return False
    size = max(f.size for f in first)
    width = max(f.x1 for f in first) - min(f.x0 for f in first)
    return width < (c.bbox[2] - c.bbox[0]) - 10.8 - 1.2 * size


def retext(t: PTable) -> PTable | None:
    """Rebuild an under-ruled table (`_under_ruled`) from the positions of its text, on its ruled
    columns: runs are split where the ruled cell changes, rows found as for a table without
    rules, the horizontal rules it has cutting it into bands."""
    owner: dict[int, int] = {}
    frags: list[Frag] = []
    for ci, c in enumerate(t.cells):
        for f in c.frags:
            owner[id(f)] = ci
            frags.append(f)
    if not frags:
        return None
    lines: list[list[Run]] = []
    for ln in _visual_lines(frags):
        ln.sort(key=lambda f: f.x0)
        runs: list[Run] = []
        cur: list[Frag] = []
        for f in ln:
            if cur and (owner[id(f)] != owner[id(cur[-1])]
                        or f.x0 - cur[-1].x1 > RUN_GAP * max(f.size, cur[-1].size)):
                runs.append(_run(cur))
                cur = []
            cur.append(f)
        runs.append(_run(cur))
        runs = [r for r in runs if r.text]
        if runs:
            lines.append(runs)
    g = t.grid
    rules = [y for i, y in enumerate(g.ys[1:-1], 1) if any(g.hwall[i])]
    # the ruled columns, and the columns the text shows where a rule runs only beside some rows
    bounds = list(g.xs)
    for b in column_bounds(lines)[1:-1]:
        if g.xs[0] < b < g.xs[-1] and all(abs(b - x) > 6.0 for x in g.xs):
            insort(bounds, b)
    return text_table(lines, rules, t.page, bounds=bounds)


def text_tables(vlines: list[list[Frag]], hrules: list[Seg], page_no: int,
                left: float, right: float, top: float = -1.0) -> tuple[list[PTable], list[range]]:
    """Tables drawn without vertical rules among the page's text lines (outside ruled tables).
    Returns the tables and, for each, the indices of the visual lines it took. A table of two
    rows starting above `top` is `weak` (see `text_table_spans`)."""
    runs = [line_runs(ln) for ln in vlines]
    tables: list[PTable] = []
    used: list[range] = []
    for i, j, weak in text_table_spans(runs, left, right, top):
        lines = [runs[k] for k in range(i, j) if runs[k]]
        x0 = min(r.x0 for rs in lines for r in rs)
        x1 = max(r.x1 for rs in lines for r in rs)
        rules = [y for y, a, b in hrules if a <= x0 + 0.3 * (x1 - x0) and b >= x1 - 0.3 * (x1 - x0)]
        t = text_table(lines, rules, page_no, min_rows=1 if weak else 2)
        if t is not None:
            t.weak = weak
            tables.append(t)
            used.append(range(i, j))
    return tables, used


# ───────────────────────────── pages ─────────────────────────────

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
    tables: list[PTable] = []
    hs: list[Seg] = []
    if vectors and frags:
        hs, vs, exact = segments(vectors)
        if exact:
            hs, vs = segments_from_drawings(page.get_cdrawings())
        tables = find_tables(hs, vs, number)
    raw: dict | None = None

    def raw_chars(key):
        """(char, bbox) of one span, from the same text page (extracted on first need)."""
        nonlocal raw
        if raw is None:
            raw = tp.extractRAWDICT()
        bi, li, si = key
        return [(c["c"], c["bbox"]) for c in raw["blocks"][bi]["lines"][li]["spans"][si]["chars"]]

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
        if (y1 <= 0.12 * height or y0 >= 0.85 * height) and _PAGE_NO.match(text):
            continue  # page number in the header/footer
        lines.append(TLine(x0, y0, x1, y1, text, size, ln))
        vis.append(ln)
        if gap:
            gappy += 1
            if not digits and any(ch.isdigit() for ch in text):
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


# ───────────────────────────── document ─────────────────────────────

def _same_columns(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > CONT_TOL or abs(a[-1] - b[-1]) > CONT_TOL:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(abs(x - y) <= CONT_TOL for y in big) for x in small[1:-1])


def _continues(prev: PageResult, t1: PTable, nxt: PageResult, t2: PTable) -> bool:
    if nxt.number != prev.number + 1 or prev.tables[-1] is not t1 or nxt.tables[0] is not t2:
        return False
    if t1.bbox[3] < 0.6 * prev.height or t2.bbox[1] > 0.3 * nxt.height:
        return False
    if any(ln.y0 >= t1.bbox[3] - 1 for ln in prev.lines):
        return False
    if any(ln.y1 <= t2.bbox[1] + 1 for ln in nxt.lines):
        return False
    if t1.ruled and t2.ruled:
        return _same_columns(t1.grid.xs, t2.grid.xs)
    if t1.ruled or t2.ruled:
        return False
    return _same_value_columns(t1, t2)


def _same_value_columns(t1: PTable, t2: PTable) -> bool:
    """Two parts of a table without vertical rules: the values of each value column of the
    second part fall into one column of the first, a different one for each (two columns or
    more; one for a `weak` second part, the last row or two of the table). Boundaries are not compared: outer edges, label sub-columns and the boundaries of a
    column left blank (found by its header on the first page only) come from each part's texts."""
    a = t1.grid.xs
    lo, hi = a[0] - TEXT_CONT_TOL, a[-1] + TEXT_CONT_TOL
    into: dict[int, set[int]] = {}
    for c in t2.cells:
        if c.text and c.colspan == 1 and _VALUE.match(c.text):
            x = (c.bbox[0] + c.bbox[2]) / 2
            if not lo <= x <= hi:
                return False
            into.setdefault(c.col, set()).add(bisect_right(a, x) - 1)
    if len(into) < (1 if t2.weak else 2) or any(len(v) != 1 for v in into.values()):
        return False
    targets = [next(iter(v)) for v in into.values()]
    return len(set(targets)) == len(targets)


def _col_index(xs: list[float], x: float) -> int:
    """Index of the boundary in xs nearest to x."""
    i = bisect_left(xs, x)
    if i == len(xs) or (i > 0 and x - xs[i - 1] < xs[i] - x):
        i -= 1
    return i


def _assemble(parts: list[PTable], index: int) -> Table:
    """One logical table from its per-page parts (see the module docstring for the rule)."""
    if len(parts) == 1:
        xs = parts[0].grid.xs
    elif not parts[0].ruled:  # the later parts were rebuilt on the first part's columns
        xs = list(parts[0].grid.xs)
        xs[0] = min(p.grid.xs[0] for p in parts)
        xs[-1] = max(p.grid.xs[-1] for p in parts)
    else:
        xs = [sum(c) / len(c) for c in _cluster([x for p in parts for x in p.grid.xs], CONT_TOL)]
    nc = len(xs) - 1
    grid: list[list[Cell | None]] = []
    first_rows: list[list[str | None]] = []
    open_ends: set[int] = set()   # id() of cells whose last line reaches the right edge
    for pi, p in enumerate(parts):
        base = len(grid)
        nr = len(p.grid.ys) - 1
        cmap = [_col_index(xs, x) for x in p.grid.xs]   # part boundary → merged boundary
        page = p.page
        part_rows: list[list[Cell | None]] = [[None] * nc for _ in range(nr)]
        for gc in p.cells:
            text = gc.text
            if gc.weak and not text:
                continue  # outside the table's outline
            c0 = cmap[gc.col]
            cs = cmap[gc.col + gc.colspan] - c0
            if cs < 1:
                cs = 1
            r = base + gc.row
            cell = Cell(text, r, c0, gc.rowspan, cs,
                        Where(page=gc.page or page, bbox=gc.bbox, table=index, row=r, col=c0))
            if pi < len(parts) - 1 and gc.row + gc.rowspan == nr and _open_end(gc):
                open_ends.add(id(cell))
            if gc.rowspan == 1 and cs == 1:
                part_rows[gc.row][c0] = cell
                continue
            for rr in range(gc.row, gc.row + gc.rowspan):
                part_rows[rr][c0:c0 + cs] = [cell] * cs
        skip = 0
        if pi > 0:
            skip = _repeated_header(first_rows, part_rows, base)
            if skip:
                _shift_rows(part_rows[skip:], skip)
                part_rows = part_rows[skip:]
            if _drop_empty_first_row(part_rows):
                part_rows = part_rows[1:]
            _rejoin_split_cells(grid, part_rows)
            if rejoin_cut_row(grid, part_rows, open_ends):
                part_rows = part_rows[1:]
        else:
            first_rows = [[(c.text if c else None) for c in row] for row in part_rows]
        grid.extend(part_rows)
    first = parts[0]
    return Table(grid, index, Where(table=index, page=first.page, bbox=first.bbox))


def _repeated_header(first_rows: list[list[str | None]], rows: list[list[Cell | None]], base: int) -> int:
    """How many leading rows of a continuation repeat the table's first rows (Word's repeated
    header rows): equal texts, not all numeric or empty, and no cell reaching below them."""
    k = 0
    while k < min(len(first_rows), len(rows) - 1):
        texts = [(c.text if c else None) for c in rows[k]]
        if texts != first_rows[k] or all(_NUMERIC.match(t or "") for t in texts):
            break
        k += 1
    while k and any(c.row - base + c.rowspan > k for row in rows[:k] for c in row if c is not None):
        k -= 1
    return k


def _drop_empty_first_row(rows: list[list[Cell | None]]) -> bool:
    """The empty remainder of a row cut by the page break (all its cells empty, one row high):
    drop it, renumbering the rows below."""
    if len(rows) < 2 or any(c is not None and (c.text or c.rowspan != 1) for c in rows[0]):
        return False
    _shift_rows(rows[1:], 1)
    return True


def _shift_rows(rows: list[list[Cell | None]], k: int) -> None:
    """Move the cells of `rows` up by k grid rows."""
    seen: set[int] = set()
    for row in rows:
        for cell in row:
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                cell.row -= k
                cell.where.row = cell.row


def _rejoin_split_cells(grid: list[list[Cell | None]], rows: list[list[Cell | None]]) -> None:
    """A vertically merged cell cut by the page break: extend it over the empty cell below."""
    if not grid or not rows:
        return
    last = grid[-1]
    top = rows[0]
    for c, b in enumerate(top):
        if b is None or b.col != c or b.text:
            continue
        a = last[c]
        if a is None or not a.text or a.col != b.col or a.colspan != b.colspan:
            continue
        if a.rowspan < 2 and b.rowspan < 2:  # two one-row cells: maybe a genuinely empty cell
            continue
        if a.row + a.rowspan != len(grid):
            continue
        a.rowspan += b.rowspan
        for row in rows:
            for cc, x in enumerate(row):
                if x is b:
                    row[cc] = a


_ROW_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9０-９]+[)）]"
                        r"|[0-9０-９]{1,2}[.．、，,]|第[一二三四五六七八九十0-9]+[章节条项部分])")


def rejoin_cut_row(grid: list[list[Cell | None]], rows: list[list[Cell | None]], open_ends: set[int]) -> bool:
    """A row cut by the page break ("允许跨页断行"): the last row of page p (`grid[-1]`) and the
    first row of page p+1 (`rows[0]`) are one row when the second only continues the first:

      * the two rows have the same cells (origin column and width) at every position;
      * every non-empty cell of the second row either continues the text of the cell above,
        which is not a number and whose last line reaches the cell's right edge (the text
        wrapped there), while the continuation is not a number and does not start like a row
        label (一、 （一） 1.); or holds a number where the cell above is empty (the values of a
        cut row drawn in its lower half);
      * at least one cell does one of these.

    Two genuine rows never pass: a new row's label starts with its numbering or sits where the
    row above has short (not wrapped) text, and its values meet values above. Merges in place
    (the first row's cells take the texts; a cell of the second row that spans further rows
    extends the cell above) and returns True; the caller drops `rows[0]`."""
    if not grid or len(rows) < 1:
        return False
    last, top = grid[-1], rows[0]
    if len(last) != len(top):
        return False
    r_last = len(grid) - 1
    plan: list[tuple[Cell, Cell, str]] = []   # (above, below, how)
    seen: set[int] = set()
    evidence = False
    for c, b in enumerate(top):
        a = last[c]
        if (a is None) != (b is None):
            return False
        if b is None or id(b) in seen:
            continue
        seen.add(id(b))
        if a is b:             # a merged cell already rejoined over the break
            plan.append((a, b, "through"))
            continue
        if b.col != c or a.col != c or a.colspan != b.colspan or a.row + a.rowspan - 1 != r_last:
            return False
        ft, at = b.text, a.text
        if not ft:
            plan.append((a, b, "empty"))
            continue
        if _NUMERIC.match(ft):
            if at:
                return False
            plan.append((a, b, "value"))
            evidence = True
            continue
        if not at or _NUMERIC.match(at) or id(a) not in open_ends or _ROW_START.match(ft):
            return False
        plan.append((a, b, "text"))
        evidence = True
    if not evidence:
        return False
    for a, b, how in plan:
        if how == "through":
            a.rowspan -= 1
            continue
        if how == "text":
            a.text = a.text + "\n" + b.text
        elif how == "value":
            a.text = b.text
            a.where = Where(page=b.where.page, bbox=b.where.bbox, table=a.where.table, row=a.row, col=a.col)
        a.rowspan += b.rowspan - 1
        for row in rows:
            for cc, x in enumerate(row):
                if x is b:
                    row[cc] = a
    moved: set[int] = set()
    for row in rows[1:]:
        for cell in row:
            if cell is not None and cell.row > r_last and id(cell) not in moved:
                moved.add(id(cell))
                cell.row -= 1
                cell.where.row = cell.row
    return True


def _make_paragraphs(pages: list[PageResult]) -> dict[int, list[tuple[float, Paragraph]]]:
    """Paragraphs per page as (top y, Paragraph), joining soft-wrapped lines (module docstring)."""
    all_lines = [ln for p in pages for ln in p.lines]
    out: dict[int, list[tuple[float, Paragraph]]] = {}
    if not all_lines:
        return out
    x1s = sorted((ln.x1 for ln in all_lines), reverse=True)
    x0s = sorted(ln.x0 for ln in all_lines)
    right = x1s[min(2, len(x1s) - 1)]
    left = x0s[min(2, len(x0s) - 1)]
    number = 0
    for p in pages:
        paras: list[tuple[float, Paragraph]] = []
        cur: list[TLine] = []
        cur_no = 0
        for ln in p.lines:
            number += 1
            if cur:
                prev = cur[-1]
                if (prev.x1 >= right - max(1.2 * prev.size, 4.0)
                        and ln.x0 <= left + 0.5 * ln.size
                        and abs(ln.size - prev.size) <= 0.6
                        and 0 < ln.y0 - prev.y0 <= 2.0 * prev.size
                        and not _HEADING.match(ln.text)):
                    cur.append(ln)
                    continue
                paras.append(_paragraph(cur, p.number, cur_no))
            cur = [ln]
            cur_no = number
        if cur:
            paras.append(_paragraph(cur, p.number, cur_no))
        out[p.number] = paras
    return out


def _paragraph(lines: list[TLine], page: int, number: int) -> tuple[float, Paragraph]:
    text = lines[0].text
    for ln in lines[1:]:
        if text and ln.text and text[-1].isascii() and text[-1].isalnum() and ln.text[0].isascii() \
                and ln.text[0].isalnum():
            text += " "
        text += ln.text
    bbox = (min(l.x0 for l in lines), lines[0].y0, max(l.x1 for l in lines), lines[-1].y1)
    return lines[0].y0, Paragraph(text, Where(page=page, bbox=bbox, line=number))


def pull_header(prev: PageResult, page: PageResult) -> None:
    """A table without rules whose header rows alone end the previous page: when `page` starts
    with such a table (top 30 %, no line above it) and `prev` ends, below its last table, with
    lines of the table's type size (a run of lines without a paragraph gap, not prose, not a
    heading, one of them of two cells or more), those lines are the table's header: they are
    taken off `prev` and the table is rebuilt with them on top, on its own columns (their cells
    keep page `prev`)."""
    if not page.tables or page.tables[0].ruled or page.tables[0].source is None or not prev.lines:
        return
    t = page.tables[0]
    if t.bbox[1] > 0.3 * page.height or any(ln.y1 <= t.bbox[1] + 1 for ln in page.lines):
        return
    body, rules = t.source
    size = max(r.size for rs in body for r in rs)
    floor = max((pt.bbox[3] for pt in prev.tables), default=0.0)
    k = len(prev.lines)
    while k > 0 and len(prev.lines) - k < 12:
        ln = prev.lines[k - 1]
        if ln.frags is None or ln.y0 < floor or abs(ln.size - size) > 1.0 or _SECTION.match(ln.text) \
                or ln.text.endswith(("。", "；", "：", ":")):
            break
        if k < len(prev.lines) and prev.lines[k].y0 - ln.y1 > 1.6 * size:
            break
        k -= 1
    tail = prev.lines[k:]
    if not tail or tail[-1].y0 < 0.6 * prev.height:
        return
    head = [line_runs(sorted(ln.frags, key=lambda f: f.x0)) for ln in tail]
    if not any(len(rs) > 1 for rs in head) or any(r.value for rs in head for r in rs):
        return
    shift = prev.height
    moved = [[Run(r.x0, r.y0 - shift, r.x1, r.y1 - shift, r.text, r.size, r.value) for r in rs] for rs in head]
    again = text_table(moved + body, rules, page.number, bounds=list(t.grid.xs))
    if again is None:
        return
    for c in again.cells:
        if c.bbox[3] <= 0:
            x0, y0, x1, y1 = c.bbox
            c.bbox = (x0, y0 + shift, x1, y1 + shift)
            c.page = prev.number
    again.source = t.source     # (weak stays False: with its header it is a table)
    page.tables[0] = again
    prev.lines = prev.lines[:k]


def drop_running_lines(pages: list[PageResult]) -> None:
    """Remove running page headers and footers: a line in the top 12 % or bottom 15 % of the page
    whose text comes back at the same height (±2 pt) on at least two pages and half of them (the
    report title in the header, the unit's name in the footer). Page numbers are gone already."""
    if len(pages) < 2:
        return
    where: dict[str, list[tuple[int, float]]] = {}
    for p in pages:
        for ln in p.lines:
            if ln.y1 <= 0.12 * p.height or ln.y0 >= 0.85 * p.height:
                where.setdefault(ln.text, []).append((p.number, ln.y0))
    need = max(2, (len(pages) + 1) // 2)
    running: dict[str, list[float]] = {}
    for text, occ in where.items():
        if len(occ) < need:
            continue
        ys = sorted(y for _, y in occ)
        for cl in _cluster(ys, 2.0):
            if len({n for n, y in occ if cl[0] - 0.01 <= y <= cl[-1] + 0.01}) >= need:
                running.setdefault(text, []).append(sum(cl) / len(cl))
    if not running:
        return
    for p in pages:
        p.lines = [ln for ln in p.lines if not (
            ln.text in running and (ln.y1 <= 0.12 * p.height or ln.y0 >= 0.85 * p.height)
            and any(abs(ln.y0 - y) <= 2.0 for y in running[ln.text]))]


def _open(data: bytes):
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception:  # noqa: BLE001 - any failure to open is a damaged file for the user
        raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN) from None
    if doc.needs_pass:
        doc.close()
        raise ReadError("pdf-encrypted", "PDF 已加密（设有打开密码），无法读取；请提供未加密的版本。",
                        "the PDF is encrypted (it has an open password) and cannot be read; provide an "
                        "unencrypted version.")
    if doc.page_count == 0 or (doc.is_repaired and b"%%EOF" not in data[-2048:]):
        # MuPDF rebuilds a truncated file from the objects it finds: the pages come out with
        # whatever content survived (half a table looks like a table with empty cells), so a file
        # cut short is refused rather than read in part.
        doc.close()
        raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN)
    return doc


def read(data: bytes, source: Source) -> Document:
    # The page dicts are thousands of small containers without reference cycles; pausing the
    # cyclic GC while they are alive saves ~8% (collections would only traverse them).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _read(data, source)
    finally:
        if gc_was_on:
            gc.enable()


def _read(data: bytes, source: Source) -> Document:
    doc = _open(data)
    try:
        source.pages = doc.page_count
        pages: list[PageResult] = []
        problems: list[Problem] = []
        for i in range(doc.page_count):
            try:
                page = doc.load_page(i)
                pr = read_page(page, i + 1)
                no_text_images = not pr.has_text and not pr.garbled and bool(page.get_images())
            except ReadError:
                raise
            except Exception:  # noqa: BLE001 - a page MuPDF cannot interpret: damaged file
                raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN) from None
            n = i + 1
            if pr.garbled or no_text_images:
                problems.append(Problem(
                    code="needs-ocr",
                    message=f"第{n}页没有文字层（扫描件），需要OCR识别后才能读取。" if not pr.garbled else
                    f"第{n}页的文字编码无法识别（字体缺少字符映射），需要OCR识别后才能读取。",
                    message_en=f"page {n} has no text layer (a scan); it needs OCR before it can be read."
                    if not pr.garbled else f"page {n} has text in an unreadable font encoding (no "
                    "character mapping); it needs OCR before it can be read.",
                    where=Where(page=n), severity="warning"))
            elif pr.n_unknown:
                problems.append(Problem(
                    code="pdf-unmapped-glyphs",
                    message=f"第{n}页有 {pr.n_unknown} 个字符无法识别（字体缺少字符映射），显示为 �。",
                    message_en=f"page {n} has {pr.n_unknown} characters that cannot be decoded (the font "
                    "has no character mapping); they show as �.",
                    where=Where(page=n), severity="warning"))
            pages.append(pr)
        if doc.is_repaired:
            problems.insert(0, Problem(
                code="pdf-repaired", severity="info",
                message="PDF 文件的目录结构有误，已自动修复后读取；如内容缺失，请重新导出。",
                message_en="the PDF's cross-reference structure was broken and has been repaired for "
                "reading; if content is missing, export the file again."))
    finally:
        doc.close()
        pymupdf.TOOLS.reset_mupdf_warnings()
    if not any(p.has_text for p in pages):
        raise ReadError("needs-ocr", _NEEDS_OCR_ZH, _NEEDS_OCR_EN)
    drop_running_lines(pages)
    for pi in range(1, len(pages)):
        pull_header(pages[pi - 1], pages[pi])

    # tables: group per-page parts into logical tables
    groups: list[list[PTable]] = []
    for pi, p in enumerate(pages):
        for t in list(p.tables):
            if (groups and pi > 0 and p.tables[0] is t and pages[pi - 1].tables
                    and groups[-1][-1] is pages[pi - 1].tables[-1]
                    and _continues(pages[pi - 1], groups[-1][-1], p, t)):
                if not t.ruled:  # the columns found on the first page hold for the rest
                    again = text_table(*t.source, p.number, bounds=groups[-1][0].grid.xs,
                                       carried=groups[-1][-1].live, min_rows=1)
                    if again is not None:
                        p.tables[0] = t = again
                groups[-1].append(t)
            elif t.weak:  # two rows at the top of a page that continue nothing: paragraphs
                p.tables.remove(t)
                p.lines = sorted(p.lines + t.taken, key=lambda ln: ln.y0)
            else:
                groups.append([t])
    tables = {id(g[0]): _assemble(g, k) for k, g in enumerate(groups)}

    paragraphs = _make_paragraphs(pages)
    blocks = []
    for p in pages:
        items: list[tuple[float, int, object]] = [(y, 1, para) for y, para in paragraphs.get(p.number, [])]
        for t in p.tables:
            if id(t) in tables:
                items.append((t.bbox[1], 0, tables[id(t)]))
        items.sort(key=lambda it: (it[0], it[1]))
        blocks.extend(it[2] for it in items)
    return Document(source=source, blocks=blocks, problems=problems)
