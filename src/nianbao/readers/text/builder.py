"""The builder: walks the lines once and hands each stretch to the layout that recognises it."""
from __future__ import annotations

from ...document import Cell, Document, Paragraph, Table, Where
from .aligned import AlignedLayout
from .blank_separated import BlankSeparated
from .common import pipe_cells
from .markdown import MarkdownTables, _md_separator
from .pipes import PipeLayouts
from .separator import SeparatorLayout
from .tabs import TabLayouts


class Builder(TabLayouts, PipeLayouts, SeparatorLayout, MarkdownTables, AlignedLayout, BlankSeparated):
    """Lines are indices into `raw` (text) and `blank`; a line's number is its index + 1."""

    def __init__(self, raw: list[str], blank: list[bool], doc: Document, md_headings: set[int] | None = None):
        self.raw = raw
        self.blank = blank
        self.doc = doc
        self.markdown = md_headings is not None      # a markdown file: its "#" headings, else None
        self.md_headings = md_headings or set()
        self.n_tables = 0
        self._tails: dict[int, tuple[int, int, int] | None] = {}     # line → _value_tail(line)
        self._separators = False        # a table with "|" lines between its cells was seen

    # -- driver -----------------------------------------------------------------------------
    def run(self) -> None:
        raw, i, n = self.raw, 0, len(self.raw)
        pending: list[int] = []  # plain lines not yet placed
        while i < n:
            line = raw[i]
            if "\t" in line:
                self._plain(pending)
                pending = []
                i = self._tab_region(i)
            elif self.markdown and line.lstrip()[:6].lower() == "<table":
                self._plain(pending)
                pending = []
                i = self._html_table(i)
            elif "|" in line and i + 1 < n and "-" in raw[i + 1] and _md_separator(pipe_cells(raw[i + 1])):
                head = next((k for k in reversed(pending) if not self.blank[k]), None)
                if head is not None and (head not in self.md_headings or not self._lifted_heading(head, i)):
                    head = None
                self._plain([k for k in pending if k != head])
                pending = []
                i = self._markdown_table(i, head)
            elif line.strip() in ("|", "｜") and self._separator_layout(i):
                first = pending.pop() if pending and pending[-1] == i - 1 and self._cell_line(i - 1) else None
                self._plain(pending)
                pending = []
                i = self._separator_region(i, first)
            elif "|" in line and pipe_cells(line) is not None:
                self._plain(pending)
                pending = []
                i = self._pipe_region(i)
            else:
                pending.append(i)
                i += 1
        self._plain(pending)

    def _add_table(self, rows: list[list[Cell]], linear: bool = False, numbered: bool = False) -> None:
        """`numbered`: the caller built no empty row and set every cell's row/col already."""
        if not numbered:
            rows = [r for r in rows if r]
            # every cell of a text table is its own origin: number rows/cols, the rows are the grid
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    cell.row = r
                    cell.col = c
        if not rows:
            return
        first = rows[0][0].where.line
        self.doc.blocks.append(Table(rows, self.n_tables, Where(line=first, table=self.n_tables), linear))
        self.n_tables += 1

    def _para(self, i: int) -> None:
        t = self.raw[i].strip()
        if t:
            self.doc.blocks.append(Paragraph(t, Where(i + 1)))

    # -- plain lines --------------------------------------------------------------------------------
    def _plain(self, lines: list[int]) -> None:
        if not lines:
            return
        start = 0
        for b0, b1 in self._aligned_blocks(lines):
            self._chunks(lines[start:b0])
            self._aligned_table(lines[b0:b1])
            start = b1
        self._chunks(lines[start:])
