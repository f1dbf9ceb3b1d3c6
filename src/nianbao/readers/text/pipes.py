"""Pipe layouts: one table row per line ("| a | b |" or "a | b |"), or one cell per line with a
lone "|" line starting each row, or one cell per line with no row markers at all."""
from __future__ import annotations

from ...document import Cell, Where
from .common import _VALUE, _is_section_heading, pipe_cells
from .markdown import _md_separator, placeholder_row


class PipeLayouts:
    """Builder mixin."""

    # -- pipes ------------------------------------------------------------------------------
    @staticmethod
    def _spans_once(cells: list[str]) -> list[str]:
        """A merged cell that the export repeated in every column it spans ("（七）总计 | （七）总计 |
        4 | …", "行政复议 | 行政复议 | …") is kept once. Only labels: equal neighbouring values are
        two cells ("0 | 0")."""
        out: list[str] = []
        for c in cells:
            if out and c and c == out[-1] and not _VALUE.match(c):
                continue
            out.append(c)
        return out

    def _pipe_region(self, start: int) -> int:
        raw, blank, n = self.raw, self.blank, len(self.raw)
        i = start
        region: list[tuple[int, list[str] | None]] = []
        while i < n:
            line = raw[i]
            cells = pipe_cells(line)
            if cells is not None:
                region.append((i, cells))
            elif blank[i]:
                pass
            elif ((region and region[-1][1] == [] and len(line.strip()) < 80) or (
                    i + 1 < n and raw[i + 1].strip().startswith("|") and len(line.strip()) < 80
                    and region)) and not _is_section_heading(line.strip()):
                # a cell whose text runs onto the next line, before its closing pipe
                region.append((i, None))
            else:
                break
            i += 1
        markers = sum(1 for _, c in region if c == [])
        multi = sum(1 for _, c in region if c and len(c) >= 2)
        singles = sum(1 for _, c in region if c is not None and len(c) == 1)
        rows: list[list[Cell]] = []
        carry: list[str] = []
        carry_line: int | None = None

        def cell(text: str, no: int) -> Cell:
            return Cell(text, 0, 0, where=Where(line=no))

        if markers:
            for k, cells in region:
                if cells == []:
                    rows.append([])
                    continue
                if not rows:
                    rows.append([])
                if cells is None:
                    carry.append(raw[k].strip())
                    carry_line = carry_line or k + 1
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                for t in cells:
                    rows[-1].append(cell(t, carry_line or k + 1))
                carry_line = None
            self._add_table(rows)
        elif multi >= singles:
            for k, cells in region:
                if cells is None:
                    carry.append(raw[k].strip())
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                if _md_separator(cells) or placeholder_row(cells):
                    continue                       # a "|---|" rule, or made-up column names
                rows.append([cell(t, k + 1) for t in self._spans_once(cells)])
            self._add_table(rows)
        else:
            flat: list[Cell] = []
            for k, cells in region:
                if cells is None:
                    carry.append(raw[k].strip())
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                flat.extend(cell(t, k + 1) for t in cells)
            self._add_table([[c] for c in flat], linear=True)
        return i
