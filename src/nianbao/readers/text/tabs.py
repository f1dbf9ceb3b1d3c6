"""Tab layouts: one cell per line starting with a tab (a blank line ends a row), or one row per line
with tab-separated cells (empty cells kept)."""
from __future__ import annotations

from ...document import Cell, Where
from .common import _HEADING


class TabLayouts:
    """Builder mixin."""

    # -- tab layouts ------------------------------------------------------------------------
    def _tab_region(self, start: int) -> int:
        raw, blank, n = self.raw, self.blank, len(self.raw)
        i = start
        single = multi = 0
        while i < n:
            line = raw[i]
            if "\t" in line:
                if line[0] == "\t" and line.find("\t", 1) == -1:
                    single += 1
                else:
                    multi += 1
            elif blank[i]:
                pass
            elif not blank[i - 1]:
                # a line without a tab right after a cell: the cell's text continues
                if _HEADING.match(line) and len(line.strip()) > 8:
                    break
            else:
                break
            i += 1
        while blank[i - 1]:
            i -= 1
        if single >= multi:
            self._tab_cells(start, i)
        else:
            self._tab_rows(start, i)
        return i

    def _tab_cells(self, start: int, end: int) -> None:
        raw, blank = self.raw, self.blank
        rows: list[list[Cell]] = []
        row: list[Cell] = []
        r = 0                        # the grid row being filled (= len(rows))
        for i in range(start, end):
            if blank[i]:
                if row:
                    rows.append(row)
                    row = []
                    r += 1
                continue
            line = raw[i]
            if line[0] == "\t" and line.find("\t", 1) == -1:          # the common case: one cell
                row.append(Cell(line[1:].strip(), r, len(row), 1, 1, Where(i + 1)))
            elif "\t" in line:
                w = Where(i + 1)
                for part in line.split("\t")[1:] if line[0] == "\t" else line.split("\t"):
                    row.append(Cell(part.strip(), r, len(row), 1, 1, w))
            elif row:
                last = row[-1]
                last.text = (last.text + "\n" + line.strip()).strip("\n")
            else:
                self._para(i)
        if row:
            rows.append(row)
        self._add_table(rows, numbered=True)

    def _tab_rows(self, start: int, end: int) -> None:
        raw, blank = self.raw, self.blank
        rows: list[list[Cell]] = []
        for i in range(start, end):
            if blank[i]:
                continue
            line = raw[i]
            if "\t" not in line and rows:
                last = rows[-1][-1]
                last.text = (last.text + "\n" + line.strip()).strip("\n")
                continue
            parts = line.split("\t")
            while len(parts) > 1 and not parts[-1].strip():
                parts.pop()
            w = Where(i + 1)
            rows.append([Cell(p.strip(), 0, 0, 1, 1, w) for p in parts])
        self._add_table(rows)
