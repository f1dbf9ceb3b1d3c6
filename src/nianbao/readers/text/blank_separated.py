"""Plain lines: paragraphs, or cells separated by blank lines (every cell on its own line, one blank
line between cells, each further blank line an empty cell, a cell over several lines)."""
from __future__ import annotations

from ...document import Cell, Where
from .common import _SENTENCE_END, _VALUE, NO_NUMBER


class BlankSeparated:
    """Builder mixin."""

    # -- plain lines: paragraphs, or blank-separated cells ------------------------------------
    def _chunks(self, lines: list[int]) -> None:
        if not lines:
            return
        raw, blank = self.raw, self.blank
        # chunks: runs of consecutive non-blank lines, with the number of blank lines before each
        chunks: list[tuple[int, list[int]]] = []
        blanks = 0
        for k in lines:
            if blank[k]:
                blanks += 1
                continue
            if blanks == 0 and chunks:
                chunks[-1][1].append(k)
            else:
                chunks.append((blanks, [k]))
            blanks = 0
        trailing_blanks = blanks
        if self.markdown:          # markdown separates every paragraph by a blank line: no cells here
            chunks = [(0, [k]) for _, ls in chunks for k in ls]
        i = 0
        while i < len(chunks):
            j = i
            while j < len(chunks) and self._cell_like(chunks[j][1]) and (j == i or chunks[j][0] >= 1):
                j += 1
            run = chunks[i:j]
            values = sum(1 for _, ls in run if len(ls) == 1 and _VALUE.match(raw[ls[0]]))
            if j - i >= 4 and values >= 2:
                rows: list[list[Cell]] = []
                for k, (nb, ls) in enumerate(run):
                    if k > 0:
                        for _ in range(nb - 1):
                            rows.append([Cell("", 0, 0, where=Where(line=ls[0]))])
                    rows.append([Cell("\n".join(raw[x].strip() for x in ls), 0, 0,
                                      where=Where(line=ls[0] + 1))])
                if j == len(chunks) and trailing_blanks > 1:
                    last = run[-1][1][-1] + 1
                    for k in range(trailing_blanks - 1):
                        rows.append([Cell("", 0, 0, where=Where(line=last + 2 + k))])
                self._add_table(rows, linear=True)
                i = j
            else:
                for k in chunks[i][1]:
                    self._para(k)
                i += 1

    def _cell_like(self, ls: list[int]) -> bool:
        if len(ls) > 3:
            return False
        raw = self.raw
        text = "".join(raw[x].strip() for x in ls)
        if _VALUE.match(text) or NO_NUMBER.match(text):
            return True
        return len(text) <= 60 and not text.endswith(_SENTENCE_END)
