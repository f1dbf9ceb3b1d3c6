"""A Document as one stream of items (paragraphs and table cells) in reading order.

Extraction reads this stream by labels. Grid rows are kept as `row_id` hints: cells of a
grid row share one id; cells of a `linear` table (no known rows) have none.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..document import Cell, Document, Paragraph, Table, Where
from ..report import BLANK, MISSING, READ
from .numbers import Parsed, _parse


@dataclass(slots=True)
class Item:
    index: int
    text: str
    is_cell: bool
    where: Where
    row_id: tuple[int, int] | None = None     # (table index, grid row) for cells of real grids
    table: int | None = None
    parsed: Parsed | None = None              # set when the text is a value (number, blank, "/")
    is_value: bool = False


def _cell_where(cell: Cell, table: Table) -> Where:
    w = cell.where
    if w.table is None and w.line is None and w.page is None:
        return Where(table=table.index, row=cell.row, col=cell.col)
    if w.line is not None and w.table is None:
        return w
    if w.table is None:
        return Where(line=w.line, table=table.index, row=cell.row, col=cell.col, page=w.page, bbox=w.bbox)
    return w


def linearize(doc: Document) -> list[Item]:
    items: list[Item] = []
    append = items.append
    pv = _parse        # parse_value without the call: cells over 40 characters are labels
    n = 0
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                append(Item(n, text, False, block.where))
                n += 1
            continue
        table = block
        ti = table.index
        linear = table.linear
        for r, row in enumerate(table.rows):
            row_id = None if linear else (ti, r)
            for c, cell in enumerate(row):
                if cell is None or cell.row != r or cell.col != c:
                    continue
                text = cell.text.strip()
                w = cell.where
                if w.line is None or w.table is not None:
                    w = _cell_where(cell, table)
                parsed = pv(text) if len(text) <= 40 else None
                if cell.doubt is not None and parsed is not None and parsed.status in (READ, BLANK):
                    parsed = Parsed(None, MISSING, note=cell.doubt)    # the reader is not sure of the number
                append(Item(n, text, True, w, row_id, ti, parsed, parsed is not None))
                n += 1
    return items
