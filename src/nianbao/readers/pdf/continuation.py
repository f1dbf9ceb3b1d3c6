"""PDF stage 4 — page continuation: the per-page tables joined into logical tables.

    PageResults ─ drop_running_lines() ─▶ running headers/footers gone
                ─ pull_header() ─▶ header rows left alone at the bottom of page p rejoin the
                                   table without rules that starts page p+1
                ─ take_spill() ─▶ lines of a cut cell printed just below its table go back in
                ─ join_pages() groups ─▶ groups of per-page parts (_continues); a part without rules
                                    is rebuilt on the first part's columns
                ─ _doubt_cut_gcells() ─▶ at a break between two tables not joined: numbers
                                         that may be cut are marked (cut.py)
                ─ _assemble() ─▶ one Table per group: rows appended; at each seam a repeated
                                 header is dropped (_repeated_header, _repeated_header_texts),
                                 an empty remainder row dropped, a merged label cell rejoined
                                 (_rejoin_split_cells), a row cut by the break rejoined
                                 (rejoin_cut_row), or else its numbers that may be cut marked
                                 (_doubt_cut_numbers, cut.py)

Tables continuing on the next page (rule): a table on page p and a table on page p+1 are one
logical table when
  * no kept text line lies below the first on page p and none above the second on page p+1
    (page numbers / page-number footers do not count),
  * the first ends in the lower 40 % of page p and the second starts in the upper 30 % of p+1,
  * their outer column boundaries agree within ±3 pt and the interior boundaries of one are a
    subset of the other's (±3 pt); the merged grid uses the union of the boundaries. Two tables
    rebuilt from text positions continue when the values of each value column of the second
    fall into one column of the first, a different one each unless the two never share a row
    (`_same_value_columns`); the part on
    p+1 is then rebuilt on the columns of the first part.
Running page headers and footers (a line in the top 12 % / bottom 15 % of the page whose text
comes back at the same height on two pages or more and on half of them) are dropped before this
rule is applied, so a table continuing below a running header still joins. A table without
rules whose header rows alone end page p (they hold no value, so they are no table there) takes
them back (`pull_header`): when page p+1 starts with such a table and page p ends, below its
last table, with lines of the table's type size (no paragraph gap, not prose, not a heading, one
of two cells or more), the table is rebuilt with them on top; their cells keep page p.
A ruled table cut by the break whose cells overflow its bottom border (a browser prints the
lines that do not fit just below the table) takes those lines back (`take_spill`) when page p+1
starts with a table and every fragment of them lies within one text cell of the last row.
The continuation's rows are appended. Then, at the seam:
  * header rows that Word repeats on the new page (same texts as the table's first rows, not all
    numeric; an empty cell counts as no cell) are dropped; in a part rebuilt from text positions
    the header's lines may fall into other row bands on the new page: the leading rows without a
    value are dropped when their texts (two or more) are all header texts of the first part, or
    pieces of one, or several run together (`_repeated_header_texts`);
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
  * when the row is not rejoined, a number of it that may go on at the top of page p+1 is
    marked doubtful, never read as complete (cut.py); so is one at a break between two tables
    that were not joined (other columns: a merged column cut away on one page).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ...document import Cell, Table, Where
from .cut import Piece, doubtful
from .cut import note as cut_note
from .layer import _NUMERIC, _ROW_START, _SECTION, _VALUE, Frag, _cluster, _join, _tidy
from .page import PageResult
from .positions import Run, line_runs, text_table
from .ruled import GCell, PTable, _open_end

CONT_TOL = 3.0       # column boundaries must agree this well for a cross-page continuation
TEXT_CONT_TOL = 8.0    # a value of a continued table without rules may lie this far outside the first part


def _same_columns(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > CONT_TOL or abs(a[-1] - b[-1]) > CONT_TOL:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(abs(x - y) <= CONT_TOL for y in big) for x in small[1:-1])


def adjacent(prev: PageResult, t1: PTable, nxt: PageResult, t2: PTable) -> bool:
    """t1 ends page `prev` and t2 starts page `nxt`, the next page, with no text between them."""
    if nxt.number != prev.number + 1 or prev.tables[-1] is not t1 or nxt.tables[0] is not t2:
        return False
    if t1.bbox[3] < 0.6 * prev.height or t2.bbox[1] > 0.3 * nxt.height:
        return False
    if any(ln.y0 >= t1.bbox[3] - 1 for ln in prev.lines):
        return False
    return not any(ln.y1 <= t2.bbox[1] + 1 for ln in nxt.lines)


def _continues(prev: PageResult, t1: PTable, nxt: PageResult, t2: PTable) -> bool:
    if not adjacent(prev, t1, nxt, t2):
        return False
    if t1.ruled and t2.ruled:
        return _same_columns(t1.grid.xs, t2.grid.xs)
    if t1.ruled or t2.ruled:
        return False
    return _same_value_columns(t1, t2)


def _same_value_columns(t1: PTable, t2: PTable) -> bool:
    """Two parts of a table without vertical rules: the values of each value column of the
    second part fall into one column of the first, a different one for each (two columns or
    more; one for a `weak` second part, the last row or two of the table) — unless the two
    never hold a value in the same row (one column that the second page's own column finder
    split, around the last line of a wrapped number, "2,23" / "1"). Boundaries are not compared: outer edges, label sub-columns and the boundaries of a
    column left blank (found by its header on the first page only) come from each part's texts."""
    a = t1.grid.xs
    lo, hi = a[0] - TEXT_CONT_TOL, a[-1] + TEXT_CONT_TOL
    boxes: dict[int, list[tuple[float, float]]] = {}
    rows: dict[int, set[int]] = {}
    for c in t2.cells:
        if c.text and c.colspan == 1 and _VALUE.match(c.text):
            if not lo <= (c.bbox[0] + c.bbox[2]) / 2 <= hi:
                return False
            boxes.setdefault(c.col, []).append((c.bbox[0], c.bbox[2]))
            rows.setdefault(c.col, set()).add(c.row)
    into: dict[int, set[int]] = {}
    for col, bs in boxes.items():
        # by the values' centres, else (values of several widths) by their right or left ends
        for key in (lambda b: (b[0] + b[1]) / 2, lambda b: b[1] - 1.0, lambda b: b[0] + 1.0):
            into[col] = {bisect_right(a, key(b)) - 1 for b in bs}
            if len(into[col]) == 1:
                break
    if len(into) < (1 if t2.weak else 2) or any(len(v) != 1 for v in into.values()):
        return False
    taken: dict[int, set[int]] = {}    # column of the first part -> rows of the second holding a value there
    for col, v in into.items():
        target = next(iter(v))
        if taken.get(target, set()) & rows[col]:
            return False
        taken.setdefault(target, set()).update(rows[col])
    return True


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
    head_texts: set[str] = set()  # texts of the first part's header rows (above its first value)
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
                        Where(page=gc.page or page, bbox=gc.bbox, table=index, row=r, col=c0), gc.doubt)
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
            if not p.ruled:
                skip = max(skip, _repeated_header_texts(head_texts, part_rows, base))
            if skip:
                _shift_rows(part_rows[skip:], skip)
                part_rows = part_rows[skip:]
            if _drop_empty_first_row(part_rows):
                part_rows = part_rows[1:]
            _rejoin_split_cells(grid, part_rows)
            if rejoin_cut_row(grid, part_rows, open_ends):
                part_rows = part_rows[1:]
            else:
                _doubt_cut_numbers(grid, part_rows, open_ends, page)
        else:
            first_rows = [[(c.text if c else None) or None for c in row] for row in part_rows]
            head_texts = _header_texts(part_rows)
        grid.extend(part_rows)
    first = parts[0]
    return Table(grid, index, Where(table=index, page=first.page, bbox=first.bbox))


def _repeated_header(first_rows: list[list[str | None]], rows: list[list[Cell | None]], base: int) -> int:
    """How many leading rows of a continuation repeat the table's first rows (Word's repeated
    header rows): equal texts, not all numeric or empty, and no cell reaching below them."""
    k = 0
    while k < min(len(first_rows), len(rows) - 1):
        texts = [(c.text if c else None) or None for c in rows[k]]   # an empty cell is no cell here
        if texts != first_rows[k] or all(_NUMERIC.match(t or "") for t in texts):
            break
        k += 1
    while k and any(c.row - base + c.rowspan > k for row in rows[:k] for c in row if c is not None):
        k -= 1
    return k


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _header_texts(rows: list[list[Cell | None]]) -> set[str]:
    """The texts of the leading rows that hold no value (a table's header rows), without spaces."""
    out: set[str] = set()
    for row in rows:
        texts = [c.text for c in row if c is not None and c.text]
        if any(_VALUE.match(t) for t in texts):
            break
        out.update(_squash(t) for t in texts)
    return out


def _repeated_header_texts(head: set[str], rows: list[list[Cell | None]], base: int) -> int:
    """How many leading rows of a continuation rebuilt from text positions repeat the table's
    header although cut into rows differently (the header's lines fall into other row bands on
    the new page): the leading rows without a value hold two texts or more, each one of the
    first part's header texts (or a piece of one, or several run together), and no cell reaches
    below them."""
    k, seen = 0, 0
    while k < len(rows) - 1:
        texts = [c.text for c in dict.fromkeys(c for c in rows[k] if c is not None and c.text)]
        if any(_VALUE.match(t) for t in texts) or not all(_in_header(_squash(t), head) for t in texts):
            break
        seen += len(texts)
        k += 1
    if seen < 2:
        return 0
    while k and any(c.row - base + c.rowspan > k for row in rows[:k] for c in row if c is not None):
        k -= 1
    return k


def _in_header(text: str, head: set[str]) -> bool:
    """`text` is a header text of the first part, a piece of one, or header texts run together
    (a header cell wrapped into two cells on one page and one cell on the other)."""
    if any(text in h for h in head):
        return True
    ok = [True] + [False] * len(text)      # ok[i]: text[:i] is made of header texts
    for i in range(1, len(text) + 1):
        ok[i] = any(ok[i - len(h)] and text.endswith(h, 0, i) for h in head if 0 < len(h) <= i)
    return ok[-1]


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


def _doubt_cut_numbers(grid: list[list[Cell | None]], rows: list[list[Cell | None]], open_ends: set[int],
                       page: int) -> None:
    """At a seam of a joined table whose cut row was not rejoined: mark the numbers of the row
    above the seam that may go on below it (cut.py)."""
    if not grid or not rows:
        return

    def pieces(row: list[Cell | None], on_page) -> list[Piece]:
        cells = [c for c in dict.fromkeys(c for c in row if c is not None) if on_page(c.where.page)]
        return [Piece(c.where.bbox[0], c.where.bbox[2], c.text, id(c) in open_ends, c) for c in cells
                if c.where.bbox is not None]
    last = pieces(grid[-1], lambda pg: pg is not None and pg < page)
    for cell in doubtful(last, [pieces(r, lambda pg: pg == page) for r in rows[:4]]):
        cell.doubt = cut_note(cell.where.page, cell.text)


def _doubt_cut_gcells(prev: PageResult, t1: PTable, t2: PTable) -> None:
    """The same at a page break between two tables that were not joined (other columns)."""
    nr = len(t1.grid.ys) - 1
    last = [Piece(c.bbox[0], c.bbox[2], c.text, _open_end(c), c) for c in t1.cells
            if c.row + c.rowspan == nr and not c.page]
    rows: list[list[Piece]] = [[] for _ in range(min(4, len(t2.grid.ys) - 1))]
    for c in t2.cells:
        if c.row < len(rows) and not c.page:
            rows[c.row].append(Piece(c.bbox[0], c.bbox[2], c.text, False, c))
    for gc in doubtful(last, rows):
        gc.doubt = cut_note(prev.number, gc.text)


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


# a margin line made of page numbers only, several run together ("— 3 —第3页共5页": a centred
# page number and a right-aligned 第…页共…页 on one visual line)
_PAGE_NOS_ONLY = re.compile(
    r"(?:[-—–]\s*[0-9]{1,4}\s*[-—–]|第\s*[0-9]{1,4}\s*页|共\s*[0-9]{1,4}\s*页|[0-9]{1,4}\s*/\s*[0-9]{1,4}"
    r"|page\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?|[，,/、\s])+", re.I)


def _running_key(text: str) -> str:
    """The text of a header/footer line without the page number at its start or end."""
    return _PAGE_NO_START.sub("", _PAGE_NO_END.sub("", text)).strip() or text


def drop_running_lines(pages: list[PageResult]) -> None:
    """Remove running page headers and footers: a line in the top 12 % or bottom 15 % of the page
    whose text (less a page number at its start or end: a browser prints the page's address and
    "2/5" on one line) comes back at the same height (±2 pt) on at least two pages and half of them
    (the report title in the header, the unit's name in the footer). Lines that are only a page
    number are gone already; lines of page numbers only, several run together ("— 3 —第3页共5页"),
    go here."""
    if len(pages) < 2:
        return
    for p in pages:
        p.lines = [ln for ln in p.lines if not ((ln.y1 <= 0.12 * p.height or ln.y0 >= 0.85 * p.height)
                                                and _PAGE_NOS_ONLY.fullmatch(ln.text))]
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


def take_spill(prev: PageResult, nxt: PageResult) -> None:
    """A ruled table cut by the page break whose cells overflow their cut bottom border (a browser
    prints "三、本年度办" in the cell and "理结果" just below the table; "结果维" / "持" in 表四's
    header): when `nxt` starts with a table, the last lines of `prev` that start at the table's
    bottom (within a line height, each under the one before) and whose every fragment lies within
    one text cell (not a number) of the table's last row are those cells' next lines."""
    if not prev.tables or not nxt.tables or nxt.tables[0].bbox[1] > 0.3 * nxt.height:
        return
    t = prev.tables[-1]
    if not t.ruled or t.bbox[3] < 0.6 * prev.height or any(ln.y1 <= nxt.tables[0].bbox[1] + 1 for ln in nxt.lines):
        return
    bottom = t.bbox[3]
    below = [ln for ln in prev.lines if ln.y1 > bottom]
    if not below or len(below) > 3 or below != prev.lines[len(prev.lines) - len(below):]:
        return
    nr = len(t.grid.ys) - 1
    last = [c for c in t.cells if c.row + c.rowspan == nr and c.text and not _NUMERIC.match(c.text)]
    plan: list[tuple[GCell, list[Frag]]] = []
    top = bottom
    for ln in below:
        if ln.frags is None or ln.y0 < bottom - 0.5 * ln.size or ln.y0 - top > 0.5 * ln.size:
            return
        for f in ln.frags:
            if _VALUE.match(f.text.strip()):
                return
            home = [c for c in last if c.bbox[0] - 1 <= f.x0 and f.x1 <= c.bbox[2] + 1]
            if len(home) != 1:
                return
            if plan and plan[-1][0] is home[0] and plan[-1][1][-1].y0 == f.y0:
                plan[-1][1].append(f)
            else:
                plan.append((home[0], [f]))
        top = ln.y1
    for cell, frags in plan:
        cell.text = cell.text + "\n" + _tidy(_join(frags, False))
        cell.frags.extend(frags)
    prev.lines = prev.lines[:len(prev.lines) - len(below)]


def join_pages(pages: list[PageResult]) -> dict[int, Table]:
    """The logical tables of the document, keyed by id() of their first part (a PTable still in
    its page's `tables`). Drops running headers/footers and pulls header rows first (both change
    the pages' lines); a `weak` table that continues nothing gives its lines back to its page."""
    drop_running_lines(pages)
    for pi in range(1, len(pages)):
        pull_header(pages[pi - 1], pages[pi])
        take_spill(pages[pi - 1], pages[pi])
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
    firsts = {id(g[0]) for g in groups}
    for pi in range(1, len(pages)):
        prev, p = pages[pi - 1], pages[pi]
        if prev.tables and p.tables and id(p.tables[0]) in firsts and adjacent(prev, prev.tables[-1], p, p.tables[0]):
            _doubt_cut_gcells(prev, prev.tables[-1], p.tables[0])
    return {id(g[0]): _assemble(g, k) for k, g in enumerate(groups)}
