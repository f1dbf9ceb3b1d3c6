"""PDF stage 3 — tables drawn without (enough) rules, rebuilt from the positions of their text.

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
                 ═▶ PTable(ruled=False), with its source lines kept to rebuild it on the columns
                    of the part on the previous page (stage 4)

One or two row-like lines at the top of a page (values aligned) make a `weak` table: kept only
when it continues a table from the previous page (the last rows of a table), otherwise its lines
go back to the paragraphs. A text that does not line up with numbers in columns stays
paragraphs: a numbered list, a sentence with figures, a single "行政许可      12" line.

A ruled table without rules between its rows (vertical rules only) is found by its cells: when a
grid row has three cells that stack the texts of several rows (`_stacked`: a value among other
lines, three values or more, or two short values; a number wrapped in a narrow cell, "27,14" /
"8", is one value), `retext` rebuilds it from its text on the ruled columns plus the columns its
text shows.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from .layer import (_NUMERIC, _ROW_START, _SECTION, _VALUE, Frag, Seg, _cluster, _join, _tidy,
                    _visual_lines)
from .ruled import GCell, Grid, PTable

RUN_GAP = 0.5          # fragments further apart than this many font sizes are different cells
COL_SHARE = 0.2        # an x gap crossed by at most this share of row-like lines is a column boundary


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
    table on the previous page) instead of finding them. Numbers wrapped over two lines of a cell
    are joined first where that is certain (`wrapped.join_wrapped_numbers`)."""
    from .wrapped import join_wrapped_numbers
    lines = join_wrapped_numbers(lines)
    found = bounds is None
    if bounds is None:
        bounds = column_bounds(lines)
    else:
        lo = min(r.x0 for rs in lines for r in rs)
        hi = max(r.x1 for rs in lines for r in rs)
        bounds = [min(bounds[0], lo - 1.0)] + bounds[1:-1] + [max(bounds[-1], hi + 1.0)]
    for _ in range(4):
        got = _build(lines, rules, page_no, bounds, carried, min_rows)
        if not isinstance(got, list) or not found:
            break
        bounds = _unstraddle(bounds, got, lines)
        if bounds is None:
            break
    return got if isinstance(got, PTable) else None


def _unstraddle(bounds: list[float], row: list[_Piece], lines: list[list[Run]]) -> list[float] | None:
    """Columns found from the texts' gaps can cut through a value when one column's values stand
    at different offsets (centred "6,979", right-aligned "0"): the value then claims two columns,
    one of which another value of its row holds. A boundary through a value lying at least three
    quarters on one side moves to the middle of the empty stretch on the other side (no text of
    a row there); None when no such move exists (the table stays unbuilt)."""
    body = [r for rs in lines if _is_row(rs) for r in rs]
    for p in row:
        if not p.value or p.c0 == p.c1:
            continue
        x0, x1 = min(r.x0 for r in p.runs), max(r.x1 for r in p.runs)
        for m in range(p.c0 + 1, p.c1 + 1):
            b = bounds[m]
            left, right = b - x0, x1 - b
            if right >= 3 * left:
                edge = max((r.x1 for r in body if r.x1 < x0 - 0.5), default=None)
                new = None if edge is None else (edge + x0) / 2
            elif left >= 3 * right:
                edge = min((r.x0 for r in body if r.x0 > x1 + 0.5), default=None)
                new = None if edge is None else (x1 + edge) / 2
            else:
                continue
            if new is None or not bounds[m - 1] < new < bounds[m + 1] \
                    or any(r.x0 < new < r.x1 for r in body):
                continue
            return bounds[:m] + [new] + bounds[m + 1:]
    return None


def _build(lines: list[list[Run]], rules: list[float], page_no: int, bounds: list[float],
           carried: tuple[int, ...], min_rows: int) -> PTable | list[_Piece] | None:
    """The table on these columns; the row whose pieces claim one column twice when they clash."""
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
                return row
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
                cells.append(GCell(ri, c, 1, 1, (bounds[c], ys[ri], bounds[c + 1], ys[ri + 1]),
                                   doubt=_straddled(rows, ri, c)))
    first_value = min((r.x0 for rs in lines for r in rs if r.value), default=bounds[-1])
    last_live = next((tuple(cols) for cols in reversed(live) if cols), ())
    vcols = {c for row in rows for p in row if p.value for c in range(p.c0, p.c1 + 1)}
    tail = len(rows)
    while tail > 0 and not any(p.value for p in rows[tail - 1]) and any(
            c in vcols for p in rows[tail - 1] for c in range(p.c0, p.c1 + 1)):
        tail -= 1
    if tail < len(rows):   # the part ends with header rows: what they name goes on, not the block above
        last_live = tuple(sorted({p.c0 for row in rows[tail:] for p in row
                                  if p.c0 == p.c1 and p.c0 >= min(vcols, default=nc)}))
    return PTable(page_no, grid, cells, owner, ruled=False, first_value=first_value, source=(lines, rules),
                  live=last_live)


def _straddled(rows: list[list[_Piece]], ri: int, c: int) -> str | None:
    """A blank position (row ri, column c) that a value of another row in the same column reaches
    into vertically (a number wrapped over lines around the row's line: "1,53" above it, "0"
    below): the position is not certainly blank. The row's height is that of its line of values
    when it has one (a label wrapped over two rows, "（三）不" ⏎ "予公开", reaches up beside the row
    above: that row's values do not reach into this row). Returns the note for the cell, or None."""
    row = rows[ri]
    if not row:
        return None
    own = [p for p in row if p.value] or row
    top, bot = min(p.y0 for p in own), max(p.y1 for p in own)
    for k in (ri - 1, ri + 1):
        if 0 <= k < len(rows):
            for p in rows[k]:
                if p.c0 <= c <= p.c1 and any(r.value for r in p.runs) and p.y0 < bot - 0.5 and p.y1 > top + 0.5:
                    text = "".join(r.text for r in p.runs)
                    return (f"未能确定该单元格是否空白：旁边读到跨行的数字「{text}」（数字可能在单元格中折行），"
                            "请人工核对原文")
    return None


def _live_columns(rows: list[list[_Piece]], nc: int, carried: tuple[int, ...] = ()) -> list[list[int]]:
    """Per row, the columns where an empty position is a blank cell: the columns holding a value
    in some row of its block, and the value-area columns that a header row just above the block
    names with a text of their own (one column wide: a column left blank all the way down) —
    unless the block's values stand in the grid column next to it that no header text covers
    (values right-aligned in a Word cell whose header is centred: the header names that column);
    and not beside a value of the same row in the adjacent column when the two columns never
    hold values in one row of the block (one column, values at different offsets).
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
    values: dict[int, set[int]] = {}
    heads: dict[int, tuple[set[int], set[int]]] = {}   # block -> (named by a header, covered by one)
    named: set[int] = set(carried)  # single-column header texts since the last block
    covered: set[int] = set()       # columns under any header text since the last block
    for row, k in zip(rows, block):
        if k < 0:
            if not cols:
                named -= set(carried)   # the part starts with a header: nothing is carried over
            named.update(p.c0 for p in row if p.c0 == p.c1 and p.c0 >= first_vcol)
            covered.update(c for p in row for c in range(p.c0, p.c1 + 1))
            continue
        live = cols.setdefault(k, set())
        if named:
            live.update(named)
            heads[k] = (named - set(carried) if k == 0 else named, covered)
            named = set()
        covered = set()
        for p in row:
            if p.value and p.c0 == p.c1:
                live.add(p.c0)
                values.setdefault(k, set()).add(p.c0)
    for row, k in zip(rows, block):     # a value over two grid columns, one of which holds the
        for p in row:                   # block's other values ("70" over 3-4, "0" in 4): that one
            if p.value and p.c0 < p.c1:
                span = set(range(p.c0, p.c1 + 1))
                vs = values.setdefault(k, set())
                cols[k].update((span & vs) or span)
    for k, (hn, cov) in heads.items():
        # a header centred over its column while the values stand right- (or left-) aligned in
        # the next grid column, which no header text covers: the header names that column
        vs = values.get(k, set())
        cols[k] -= {c for c in hn if c not in vs and any(n in vs and n not in cov for n in (c - 1, c + 1))}
    # two adjacent grid columns whose values never share a row of the block are one column whose
    # values stand at different offsets ("+8" centred, "0" right-aligned): a row's value in one
    # leaves no blank cell in the other
    filled = [{p.c0 for p in row if p.value and p.c0 == p.c1} for row in rows]
    out: list[list[int]] = []
    for ri, k in enumerate(block):
        if k < 0:
            out.append([])
            continue
        live = cols.get(k, set())
        mine = [f for f, kk in zip(filled, block) if kk == k]
        held = set().union(*mine)
        drop = {c for c in live if c not in filled[ri] and c in held and any(
            n in filled[ri] and not any(c in f and n in f for f in mine) for n in (c - 1, c + 1))}
        out.append(sorted(live - drop))
    return out


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
    cells that stack several rows (`_stacked`), and the grid row shows rows of its own: a cell
    with two row labels or more (一、 （一） 1. starting lines), or a cell with a text line and a
    value line (a header word above a number). Numbers wrapped in narrow cells ("19" / "4",
    "1" / "," / "5") stack lines of digits only: their row is one row, never cut into rows
    that would read 194 as 19."""
    per_row: dict[int, int] = {}
    for c in t.cells:
        if "\n" in c.text and _stacked(c):
            per_row[c.row] = per_row.get(c.row, 0) + 1
    return any(n >= 3 and _rows_inside(t, r) for r, n in per_row.items())


def _rows_inside(t: PTable, r: int) -> bool:
    for c in t.cells:
        if c.row > r or c.row + c.rowspan <= r or "\n" not in c.text:
            continue
        lines = c.text.split("\n")
        if sum(1 for s in lines if _ROW_START.match(s)) >= 2:
            return True
        if any(_VALUE.match(s) for s in lines) and any(not _NUMERIC.match(s) for s in lines):
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
