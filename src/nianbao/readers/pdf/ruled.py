"""PDF stage 2 — tables rebuilt from their ruling lines (ruled grids), on one page.

    ruling segments ─ merge_edges() ─▶ edges: segments clustered by position (±2 pt), collinear
    (stage 1)                          pieces joined
                    ─ find_regions() ─▶ connected sets of crossing edges (one per table)
                    ─ build_grid() ─▶ row/column boundaries + how much of each grid line is ruled
                    ─ build_cells() ─▶ cells with spans: a grid line that is not ruled between two
                                       grid cells makes them one merged cell
                    ─ fill_cells() ─▶ each text span goes to the cell holding its centre (a span
                                      straddling a ruled line is split by characters)
                    ═▶ PTable (one per ruled table on the page)

A region becomes a table only if it has at least two cells (a single box around text is a frame,
not a table; its text stays paragraphs). A table with only an outer frame has no ruled cells, so
its text is rebuilt from text positions (stage 3). A ruled table without rules between its rows
(vertical rules only) is also handed to stage 3 (`positions.retext`).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .layer import Frag, Seg, _cluster, _join, _tidy, _untangle, _visual_lines

TOL = 2.0            # clustering tolerance for ruling positions (pt)
MIN_CELL = 4.0       # grid boundaries closer than this are one boundary
WALL_COVER = 0.5     # a grid line counts as ruled where segments cover this share of it
MAX_GRID = 20000     # a ruled region with more grid cells than this is not a report table


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
    doubt: str | None = None  # its number may be cut by the page break (cut.py): not read


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
