"""The official table layouts, computed once from the format declaration.

Every writer (text, HTML, DOCX) draws a table from the same `TableLayout`: a list of grid
rows, each holding the cells that *start* in that row, with their rowspan and colspan. A
writer that needs a full rectangle (tab-separated text, pipes) expands it with `grid()`.

Nothing here knows a label: rows, columns, blocks, group labels and the corner note all come
from `nianbao.formats`. The structure is read from the declaration as follows:

- 表二 (a table with `blocks`): each block is an item row (e.g. 第二十条第（一）项) spanning the
  whole width, a header row (the 信息内容 anchor + the block's columns) and one row per block
  row. The table is one label column wide plus the widest block; a block with fewer columns
  lets its last column span the rest (as in the official form: 本年处理决定数量 spans three).
- 表三 (a table with `columns` and heading rows): three label columns. A row numbered
  "一、" … is top level and spans the three label columns; a heading row without cells
  (三、本年度办理结果) spans, in the first label column, every row until the next top-level
  row; a group heading ((三)不予公开) spans its group's rows in the second label column; a row
  numbered "（一）" spans the second and third label columns. The header is the corner note
  over the label columns, the applicant header over all value columns, then the first and
  last columns standing alone over two rows and the columns between them under the
  organisation group label.
- 表四 (rows are groups, one printed data row): the groups whose label is the review group
  stand alone; the other groups stand under the litigation group label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from .. import formats as F
from ..formats import common as C
from ..formats.model import COUNT, SIGNED, Column, Format, TableSpec

# Kinds of layout cells.
ITEM = "item"        # 表二 block title (第二十条第（一）项)
HEADER = "header"    # column header
NOTE = "note"        # 表三 corner note
LABEL = "label"      # row label (or row heading)
VALUE = "value"      # a template cell

_TOP_LEVEL = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class LCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: str = LABEL
    ref: tuple[str, str, str] | None = None      # (table, row, col) of a VALUE cell
    column: Column | None = field(default=None, compare=False)  # declaration of a VALUE cell

    def covers(self, r: int, c: int) -> bool:
        return self.row <= r < self.row + self.rowspan and self.col <= c < self.col + self.colspan


@dataclass(frozen=True)
class TableLayout:
    key: str                      # "t2" | "t3" | "t4"
    spec: TableSpec
    n_rows: int
    n_cols: int
    header_rows: int              # rows before the first data row (表二: 0, it repeats headers)
    label_cols: int               # columns that hold labels (value cells start after them)
    rows: tuple[tuple[LCell, ...], ...]   # cells starting in each grid row, by column

    def cells(self) -> Iterator[LCell]:
        for row in self.rows:
            yield from row

    def value_cells(self) -> Iterator[LCell]:
        """Template cells in printed (reading) order."""
        return (c for c in self.cells() if c.kind == VALUE)

    def grid(self) -> list[list[LCell]]:
        """The full rectangle: grid[r][c] is the cell covering (r, c)."""
        g: list[list[LCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells():
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    g[r][c] = cell
        return g  # type: ignore[return-value]

    def with_values(self, values: dict | None) -> "TableLayout":
        """The same layout with VALUE cells carrying the printed text of `values` (t[row][col])."""
        values = values or {}
        rows = tuple(
            tuple(_fill(c, values) if c.kind == VALUE else c for c in row) for row in self.rows)
        return TableLayout(self.key, self.spec, self.n_rows, self.n_cols, self.header_rows,
                           self.label_cols, rows)


def _fill(cell: LCell, values: dict) -> LCell:
    _, rk, ck = cell.ref  # type: ignore[misc]
    v = (values.get(rk) or {}).get(ck)
    return LCell(format_value(cell.column, v), cell.row, cell.col, cell.rowspan, cell.colspan,
                 VALUE, cell.ref, cell.column)


# ---------------------------------------------------------------- values
def format_value(column: Column | None, value: Any) -> str:
    """A value as reports print it: ints plain, 本年增/减 signed ("+10"), money as given."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # pragma: no cover - not a contract value
        return str(int(value))
    kind = column.kind if column is not None else COUNT
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            value = int(value)
        else:
            text = repr(value)
            if "e" in text or "E" in text:
                text = f"{value:.6f}".rstrip("0").rstrip(".")
            return text
    if kind == SIGNED and value > 0:
        return f"+{value}"
    return str(value)


# ---------------------------------------------------------------- skeletons
def _value(tkey: str, row_key: str, col: Column, r: int, c: int, colspan: int = 1) -> LCell:
    return LCell("", r, c, 1, colspan, VALUE, (tkey, row_key, col.key), col)


def _content_header(spec: TableSpec) -> str:
    """The 信息内容 header of 表二, declared as the anchor that is not a block item."""
    items = {b.item for b in spec.blocks}
    for a in spec.anchors:
        if a not in items:
            return a
    raise ValueError(f"{spec.key}: no content header among anchors {spec.anchors!r}")


def _blocks_layout(spec: TableSpec) -> TableLayout:
    width = max(len(b.columns) for b in spec.blocks)
    n_cols = 1 + width
    content = _content_header(spec)
    rows: list[tuple[LCell, ...]] = []

    def spread(r: int, cols: tuple[Column, ...], make) -> list[LCell]:
        out, c = [], 1
        for i, col in enumerate(cols):
            span = 1 if i < len(cols) - 1 else width - (len(cols) - 1)
            out.append(make(col, r, c, span))
            c += span
        return out

    for b in spec.blocks:
        r = len(rows)
        rows.append((LCell(b.item, r, 0, 1, n_cols, ITEM),))
        r += 1
        rows.append((LCell(content, r, 0, 1, 1, HEADER),
                     *spread(r, b.columns, lambda col, r, c, s: LCell(col.label, r, c, 1, s, HEADER))))
        for rk in b.rows:
            r = len(rows)
            rows.append((LCell(spec.row(rk).label, r, 0, 1, 1, LABEL),
                         *spread(r, b.columns,
                                 lambda col, r, c, s, rk=rk: _value(spec.key, rk, col, r, c, s))))
    return TableLayout(spec.key, spec, len(rows), n_cols, 0, 1, tuple(rows))


def _level(row) -> int:
    if row.group is not None:
        return 3
    if _TOP_LEVEL.match(row.label):
        return 1
    return 2


def _rows_layout(spec: TableSpec) -> TableLayout:
    """表三: label columns by numbering level, applicant columns with the organisation group."""
    cols = spec.columns
    label_cols = 3
    n_cols = label_cols + len(cols)
    first, mid, last = cols[0], cols[1:-1], cols[-1]
    header_rows = 3 if mid else 2
    head: list[list[LCell]] = [[] for _ in range(header_rows)]
    head[0].append(LCell(spec.note or "", 0, 0, header_rows, label_cols, NOTE))
    head[0].append(LCell(C.T3_HEADER, 0, label_cols, 1, len(cols), HEADER))
    if mid:
        head[1].append(LCell(first.label, 1, label_cols, 2, 1, HEADER))
        head[1].append(LCell(C.T3_ORG_GROUP, 1, label_cols + 1, 1, len(mid), HEADER))
        head[1].append(LCell(last.label, 1, n_cols - 1, 2, 1, HEADER))
        for i, col in enumerate(mid):
            head[2].append(LCell(col.label, 2, label_cols + 1 + i, 1, 1, HEADER))
    else:  # pragma: no cover - 表三 always has the organisation columns
        for i, col in enumerate(cols):
            head[1].append(LCell(col.label, 1, label_cols + i, 1, 1, HEADER))

    body_rows = spec.rows
    cell_rows = [r for r in body_rows if r.has_cells]
    grid_row = {r.key: header_rows + i for i, r in enumerate(cell_rows)}

    # Heading rows (no cells): where they sit and how many rows they span.
    heading_at: dict[str, list[LCell]] = {}   # row key of the first spanned cell row → cells
    group_heads = {r.label for r in body_rows if not r.has_cells and _level(r) == 2}
    for i, row in enumerate(body_rows):
        if row.has_cells:
            continue
        lvl = _level(row)
        if lvl == 1:
            span_rows = []
            for nxt in body_rows[i + 1:]:
                if _level(nxt) == 1:
                    break
                if nxt.has_cells:
                    span_rows.append(nxt)
            col, colspan = 0, 1
        else:
            span_rows = [r for r in body_rows if r.has_cells and r.group == row.label]
            col, colspan = (1, 1) if _inside_top(body_rows, i) else (0, 2)
        if not span_rows:
            continue
        r0 = grid_row[span_rows[0].key]
        heading_at.setdefault(span_rows[0].key, []).append(
            LCell(row.label, r0, col, len(span_rows), colspan, LABEL))

    rows: list[tuple[LCell, ...]] = [tuple(h) for h in head]
    for i, row in enumerate(body_rows):
        if not row.has_cells:
            continue
        r = grid_row[row.key]
        cells = sorted(heading_at.get(row.key, []), key=lambda c: c.col)
        lvl = _level(row)
        inside = _inside_top(body_rows, i)
        if lvl == 1:
            col = 0
        elif lvl == 2:
            col = 1 if inside else 0
        else:
            col = (1 if inside else 0) + (1 if row.group in group_heads else 0)
        cells.append(LCell(row.label, r, col, 1, label_cols - col, LABEL))
        for j, c in enumerate(cols):
            cells.append(_value(spec.key, row.key, c, r, label_cols + j))
        rows.append(tuple(cells))
    return TableLayout(spec.key, spec, len(rows), n_cols, header_rows, label_cols, tuple(rows))


def _inside_top(body_rows, i: int) -> bool:
    """Is body row i under a top-level heading row that has no cells (三、本年度办理结果)?"""
    if _level(body_rows[i]) == 1:
        return False
    for prev in reversed(body_rows[:i]):
        if _level(prev) == 1:
            return not prev.has_cells
    return False


def _groups_layout(spec: TableSpec) -> TableLayout:
    """表四: one data row; review groups alone, the other groups under the litigation label."""
    cols = spec.columns
    k = len(cols)
    alone = [g for g in spec.rows if g.label == C.T4_GROUP_REVIEW]
    under = [g for g in spec.rows if g.label != C.T4_GROUP_REVIEW]
    n_cols = k * len(spec.rows)
    h0: list[LCell] = []
    h1: list[LCell] = []
    h2: list[LCell] = []
    c = 0
    order = alone + under
    for g in alone:
        h0.append(LCell(g.label, 0, c, 1, k, HEADER))
        h1.extend(LCell(col.label, 1, c + j, 2, 1, HEADER) for j, col in enumerate(cols))
        c += k
    if under:
        h0.append(LCell(C.T4_GROUP_LITIGATION, 0, c, 1, k * len(under), HEADER))
        for g in under:
            h1.append(LCell(g.label, 1, c, 1, k, HEADER))
            h2.extend(LCell(col.label, 2, c + j, 1, 1, HEADER) for j, col in enumerate(cols))
            c += k
    data = tuple(_value(spec.key, g.key, col, 3, gi * k + j)
                 for gi, g in enumerate(order) for j, col in enumerate(cols))
    return TableLayout(spec.key, spec, 4, n_cols, 3, 0, (tuple(h0), tuple(h1), tuple(h2), data))


@lru_cache(maxsize=None)
def skeleton(fmt_key: str, table_key: str) -> TableLayout:
    """The empty official layout of one table of one format (value cells have no text)."""
    spec = F.get(fmt_key).table(table_key)
    if spec.blocks:
        return _blocks_layout(spec)
    if spec.note is not None or any(not r.has_cells for r in spec.rows):
        return _rows_layout(spec)
    return _groups_layout(spec)


def table_layout(fmt: Format | str, table_key: str, values: dict | None = None) -> TableLayout:
    """The official layout of a table, its value cells printed from `values` (t[row][col])."""
    key = fmt if isinstance(fmt, str) else fmt.key
    return skeleton(key, table_key).with_values(values)


# ---------------------------------------------------------------- report helpers
def report_format(report: dict) -> Format:
    key = report.get("format")
    if key is None:
        fmt = F.format_for_year(report.get("year"))
        if fmt is None:
            raise ValueError("report has neither a format nor a year")
        return fmt
    return F.get(str(key))


def report_title(report: dict) -> str:
    if report.get("title"):
        return str(report["title"])
    org = report.get("org") or ""
    year = report.get("year")
    return f"{org}{year}年政府信息公开工作年度报告" if year is not None else f"{org}政府信息公开工作年度报告"


def report_sections(report: dict) -> list[dict]:
    """The report's sections, or the format's six headings with no text."""
    secs = report.get("sections")
    if secs:
        return list(secs)
    return [{"number": s.number, "title": s.title, "text": ""} for s in report_format(report).sections]


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


MISSING_MARK = "未填报"     # printed for a missing cell; extraction reads it back as missing
INFERRED_MARK = "（推定）"   # after an inferred value ("0（推定）"); extraction reads it back as inferred, never read


def printed_tables(report: dict, fmt: Format) -> dict:
    """`tables` as they are printed: every cell's status and unit kept so that extraction gives them back.
    A missing cell prints 「未填报」 (read back as missing); an inferred one its value marked 「0（推定）」 (read back
    as inferred, never as a printed number); not_applicable prints "/"; a read value keeps its unit
    ("183.2867万元")."""
    tables = {k: ({r: dict(cols) for r, cols in v.items()} if isinstance(v, dict) else v)
              for k, v in (report.get("tables") or {}).items()}
    for cell in report.get("cells") or []:
        t, r, c, status = cell.get("table"), cell.get("row"), cell.get("col"), cell.get("status")
        row = (tables.get(t) or {}).get(r)
        if not isinstance(row, dict) or c not in row:
            continue
        if status == "inferred" and isinstance(row[c], (int, float)) and not isinstance(row[c], bool):
            column = next((col for col in fmt.table(t).columns_of(r) if col.key == c), None)
            row[c] = format_value(column, row[c]) + INFERRED_MARK
        elif status in ("missing", "inferred"):
            row[c] = MISSING_MARK
        elif status == "not_applicable":
            row[c] = "/"
        elif status == "read" and cell.get("unit") and row[c] is not None and not isinstance(row[c], str):
            column = next((col for col in fmt.table(t).columns_of(r) if col.key == c), None)
            row[c] = format_value(column, row[c]) + str(cell["unit"])
    return tables


def with_extra_row(layout: TableLayout, after: str, label: str, values: dict) -> TableLayout:
    """`layout` with one more grid row, printed like the row of `after` (its label cells carry `label`, its
    value cells `values`), right below it. Cells spanning across the insertion point grow by one row.
    Unchanged when `after` is not a row of the layout."""
    at = next((c.row for c in layout.value_cells() if c.ref and c.ref[1] == after), None)
    if at is None:
        return layout
    last = max(c.row + c.rowspan - 1 for c in layout.rows[at])
    new_row: list[LCell] = []
    for c in layout.rows[at]:
        if c.rowspan != 1:
            continue
        if c.kind == VALUE:
            v = values.get(c.ref[2]) if c.ref else None
            new_row.append(LCell(format_value(c.column, v), last + 1, c.col, 1, c.colspan, VALUE, None, c.column))
        else:
            new_row.append(LCell(label, last + 1, c.col, 1, c.colspan, c.kind))
    if not any(c.kind != VALUE for c in new_row):       # the label stood in a spanning cell: give it the first
        first = min((c for c in layout.rows[at] if c.kind != VALUE), key=lambda c: c.col)
        new_row.insert(0, LCell(label, last + 1, first.col, 1, first.colspan, LABEL))
    rows: list[tuple[LCell, ...]] = []
    for i, row in enumerate(layout.rows):
        moved = []
        for c in row:
            if i > last:
                c = LCell(c.text, c.row + 1, c.col, c.rowspan, c.colspan, c.kind, c.ref, c.column)
            elif c.row + c.rowspan - 1 > last:
                c = LCell(c.text, c.row, c.col, c.rowspan + 1, c.colspan, c.kind, c.ref, c.column)
            moved.append(c)
        rows.append(tuple(moved))
        if i == last:
            rows.append(tuple(new_row))
    return TableLayout(layout.key, layout.spec, layout.n_rows + 1, layout.n_cols, layout.header_rows,
                       layout.label_cols, tuple(rows))


def with_sub_rows(layout: TableLayout, subs: dict[str, list[tuple[str, dict]]]) -> TableLayout:
    """A one-label-column table (表二) with rows split into sub-rows, printed as reports print them: the row's
    label in a first label column spanning its sub-rows, each sub-row's label beside it in a second label
    column with its values; every other label (and the 信息内容 header) spans both label columns. `subs`: row
    key → [(sub-row label, {column key: value})]. The split row's own cells are not printed (it has none of
    its own: extraction reads them missing, 「该行拆分为非标准子行」). Unchanged for other tables."""
    at = {c.ref[1]: c.row for c in layout.value_cells() if c.ref}
    by_row = {at[k]: v for k, v in subs.items() if k in at and v}
    if layout.label_cols != 1 or not by_row or any(c.rowspan != 1 for c in layout.cells()):
        return layout
    rows: list[tuple[LCell, ...]] = []
    for i, row in enumerate(layout.rows):
        r = len(rows)
        if i not in by_row:
            rows.append(tuple(LCell(c.text, r, c.col + 1 if c.col else 0, 1, c.colspan + (0 if c.col else 1), c.kind,
                                    c.ref, c.column) for c in row))
            continue
        label = next(c for c in row if c.col == 0)
        values = [c for c in row if c.kind == VALUE]
        for j, (sub, vals) in enumerate(by_row[i]):
            cells = [LCell(label.text, r, 0, len(by_row[i]), 1, LABEL)] if j == 0 else []
            cells.append(LCell(sub, r + j, 1, 1, 1, LABEL))
            cells.extend(LCell(format_value(c.column, vals.get(c.ref[2]) if c.ref else None), r + j, c.col + 1, 1,
                               c.colspan, VALUE, None, c.column) for c in values)
            rows.append(tuple(cells))
    return TableLayout(layout.key, layout.spec, len(rows), layout.n_cols + 1, layout.header_rows, 2, tuple(rows))


def _splits(report: dict, table: str) -> set[str]:
    """Rows of `table` whose sub-rows can print as sub-rows: the row has no value of its own (every cell
    missing, as extraction leaves a row split into non-standard sub-rows)."""
    own: dict[str, bool] = {}
    for c in report.get("cells") or []:
        if c.get("table") == table:
            own[c.get("row")] = own.get(c.get("row"), False) or c.get("status") != "missing"
    return {r for r, has in own.items() if not has}


def _with_extra_rows(layout: TableLayout, report: dict) -> TableLayout:
    extras = [e for e in report.get("extra_rows") or [] if e.get("table") == layout.key]
    split = _splits(report, layout.key) if layout.label_cols == 1 else set()
    subs: dict[str, list[tuple[str, dict]]] = {}
    rest = []
    for e in extras:
        if e.get("parent") and e.get("parent") in split and e.get("after") == e.get("parent"):
            subs.setdefault(e["parent"], []).append((str(e.get("label") or ""), e.get("values") or {}))
        else:
            rest.append(e)
    for e in reversed(rest):          # each below its row, in their printed order
        layout = with_extra_row(layout, e.get("after") or e.get("parent") or "", str(e.get("label") or ""),
                                e.get("values") or {})
    return with_sub_rows(layout, subs)


def lost_parents(report: dict) -> list[tuple[dict, str, str]]:
    """Sub-rows that print below their row but not as its sub-rows, so that the rendered report reads them back
    as added rows (`parent` empty): (the extra row, Chinese, English reason). Only a 表二 row without values of its
    own prints its sub-rows beside its label; 表三 and 表四 have no second label column."""
    out = []
    fmt = report_format(report)
    for e in report.get("extra_rows") or []:
        p, t = e.get("parent"), e.get("table")
        if not p or t not in ("t2", "t3", "t4"):
            continue
        if t == "t2" and p in _splits(report, t) and e.get("after") == p:
            continue
        row = next((r.label for r in fmt.table(t).rows if r.key == p), p)
        why_zh, why_en = (("该行自身有数值", "the row has values of its own") if t == "t2" else
                          ("官方版式在这张表中没有另一列行标签", "the official layout has no second label column there"))
        out.append((e, f"表{'二三四'[int(t[1]) - 2]}「{row}」的子行「{e.get('label')}」印在该行下方，读回时是新增行，"
                       f"不再是该行的子行（{why_zh}）。",
                    f"table {t}: the sub-row '{e.get('label')}' of '{p}' prints below it and reads back as an added row "
                    f"({why_en})."))
    return out


def report_layouts(report: dict) -> dict[int, list[TableLayout]]:
    """Section number → the filled layouts of the tables that stand in it."""
    fmt = report_format(report)
    tables = printed_tables(report, fmt)
    out: dict[int, list[TableLayout]] = {}
    for spec in fmt.tables:
        vals = tables.get(spec.key)
        if vals is None and spec.key in tables:
            continue  # a missing table stays missing
        out.setdefault(spec.section, []).append(_with_extra_rows(table_layout(fmt, spec.key, vals), report))
    return out


TITLE, HEADING, PARAGRAPH, TABLE = "title", "heading", "paragraph", "table"


def report_blocks(report: dict) -> list[tuple[str, Any]]:
    """The document in reading order, for every writer: (kind, text or TableLayout).

    Title, preamble paragraphs, then each section's heading, its paragraphs and the tables that
    stand in it. A table whose section the report lacks comes after the last section.
    """
    blocks: list[tuple[str, Any]] = [(TITLE, report_title(report))]
    blocks.extend((PARAGRAPH, p) for p in paragraphs(report.get("preamble")))
    tables: dict[int, list] = report_layouts(report)
    fmt = report_format(report)
    for key in report.get("unfilled") or []:          # a table the author has not filled in: said, not dropped
        spec = fmt.table(key)
        tables.setdefault(spec.section, []).append(f"{spec.title}：{MISSING_MARK}")
    for sec in report_sections(report):
        blocks.append((HEADING, sec.get("title") or ""))
        blocks.extend((PARAGRAPH, p) for p in paragraphs(sec.get("text")))
        blocks.extend((PARAGRAPH if isinstance(t, str) else TABLE, t) for t in tables.pop(sec.get("number"), []))
    for number in sorted(tables):
        blocks.extend((PARAGRAPH if isinstance(t, str) else TABLE, t) for t in tables[number])
    return blocks
