"""PDF stage 4 — page continuation: the per-page tables joined into logical tables.

    PageResults ─ drop_running_lines() ─▶ running headers/footers gone
                ─ pull_header() ─▶ header rows left alone at the bottom of page p rejoin the
                                   table without rules that starts page p+1
                ─ join_pages() groups ─▶ groups of per-page parts (_continues); a part without rules
                                    is rebuilt on the first part's columns
                ─ _assemble() ─▶ one Table per group: rows appended; at each seam a repeated
                                 header is dropped (_repeated_header), an empty remainder row
                                 dropped, a merged label cell rejoined (_rejoin_split_cells), a
                                 row cut by the break rejoined (rejoin_cut_row)

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
    1.) or holds a number under an empty cell (the values drawn in the lower half) or under a
    number that fills its cell to the right edge (a wrapped number cut by the break: joined, so
    26 is never read as 2; not when a label goes on in the same row); at least one cell does. Two genuine rows are never joined: a new row's label starts with its numbering or
    sits under a short (unwrapped) label, and its values meet the values above.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ...document import Cell, Table, Where
from .layer import _NUMERIC, _ROW_START, _SECTION, _VALUE, _cluster
from .page import PageResult
from .positions import Run, line_runs, text_table
from .ruled import PTable, _open_end

CONT_TOL = 3.0       # column boundaries must agree this well for a cross-page continuation
TEXT_CONT_TOL = 8.0    # a value of a continued table without rules may lie this far outside the first part


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


def rejoin_cut_row(grid: list[list[Cell | None]], rows: list[list[Cell | None]], open_ends: set[int]) -> bool:
    """A row cut by the page break ("允许跨页断行"): the last row of page p (`grid[-1]`) and the
    first row of page p+1 (`rows[0]`) are one row when the second only continues the first:

      * the two rows have the same cells (origin column and width) at every position;
      * every non-empty cell of the second row either continues the text of the cell above,
        which is not a number and whose last line reaches the cell's right edge (the text
        wrapped there), while the continuation is not a number and does not start like a row
        label (一、 （一） 1.); or holds a number where the cell above is empty (the values of a
        cut row drawn in its lower half); or holds the rest of a number whose first line fills
        the cell above to its right edge ("2" / "6" of a 26 wrapped in a narrow cell: joined,
        never read as 2), when no text cell of the second row goes on (a label there may be the
        next row's);
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
            if not at:
                plan.append((a, b, "value"))
            elif _NUMERIC.match(at) and id(a) in open_ends:
                plan.append((a, b, "digits"))   # a number wrapped in its cell, cut by the break
            else:
                return False
            evidence = True
            continue
        if not at or _NUMERIC.match(at) or id(a) not in open_ends or _ROW_START.match(ft):
            return False
        plan.append((a, b, "text"))
        evidence = True
    if not evidence:
        return False
    if any(how == "digits" for _, _, how in plan) and any(how == "text" for _, _, how in plan):
        return False   # a label goes on too: maybe the next row's label under a full one (表二's 行政处罚 / 行政强制)
    for a, b, how in plan:
        if how == "through":
            a.rowspan -= 1
            continue
        if how == "text" or how == "digits":
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


# a page number at the start or end of a running line ("file:///…/page.html    2/5", a browser's
# footer; "第 2 页 …"): the rest of the line is what comes back on every page
_PAGE_NO_END = re.compile(
    r"(?:^|\s)(?:[0-9]{1,4}\s*/\s*[0-9]{1,4}|第\s*[0-9]{1,4}\s*页(?:\s*[，,/、]?\s*共\s*[0-9]{1,4}\s*页)?"
    r"|共\s*[0-9]{1,4}\s*页\s*[，,/、]?\s*第\s*[0-9]{1,4}\s*页|[-—–]\s*[0-9]{1,4}\s*[-—–]"
    r"|page\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?)$", re.I)
_PAGE_NO_START = re.compile(
    r"^(?:[0-9]{1,4}\s*/\s*[0-9]{1,4}|第\s*[0-9]{1,4}\s*页(?:\s*[，,/、]?\s*共\s*[0-9]{1,4}\s*页)?"
    r"|[-—–]\s*[0-9]{1,4}\s*[-—–])(?:\s|$)", re.I)


def _running_key(text: str) -> str:
    """The text of a header/footer line without the page number at its start or end."""
    return _PAGE_NO_START.sub("", _PAGE_NO_END.sub("", text)).strip() or text


def drop_running_lines(pages: list[PageResult]) -> None:
    """Remove running page headers and footers: a line in the top 12 % or bottom 15 % of the page
    whose text (less a page number at its start or end: a browser prints the page's address and
    "2/5" on one line) comes back at the same height (±2 pt) on at least two pages and half of them
    (the report title in the header, the unit's name in the footer). Lines that are only a page
    number are gone already."""
    if len(pages) < 2:
        return
    where: dict[str, list[tuple[int, float]]] = {}
    for p in pages:
        for ln in p.lines:
            if ln.y1 <= 0.12 * p.height or ln.y0 >= 0.85 * p.height:
                where.setdefault(_running_key(ln.text), []).append((p.number, ln.y0))
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
            (ln.y1 <= 0.12 * p.height or ln.y0 >= 0.85 * p.height)
            and any(abs(ln.y0 - y) <= 2.0 for y in running.get(_running_key(ln.text), ())))]


def join_pages(pages: list[PageResult]) -> dict[int, Table]:
    """The logical tables of the document, keyed by id() of their first part (a PTable still in
    its page's `tables`). Drops running headers/footers and pulls header rows first (both change
    the pages' lines); a `weak` table that continues nothing gives its lines back to its page."""
    drop_running_lines(pages)
    for pi in range(1, len(pages)):
        pull_header(pages[pi - 1], pages[pi])
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
    return {id(g[0]): _assemble(g, k) for k, g in enumerate(groups)}
