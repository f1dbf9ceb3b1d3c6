"""One cell per line with a line holding only "|" between cells (a web page saved as text, real/h05).

A stretch between two such lines is one cell; a section heading or prose between two cells ends
the table (the line before it is its last cell); two values with no "|" between them stay two
cells, never one number.
"""
from __future__ import annotations

from ...document import Cell, Problem, Where
from .common import _VALUE, _is_section_heading, _prose


class SeparatorLayout:
    """Builder mixin."""

    # -- separator lines: one cell per line, a line holding only "|" between cells -------------------
    def _separator_layout(self, start: int) -> bool:
        """From a lone "|" line: the next separators come between pipe-free lines (no pipe in
        any cell: that is the row-marker layout of ``_pipe_region``)."""
        raw, blank = self.raw, self.blank
        seps = free = 0
        for k in range(start, min(len(raw), start + 40)):
            s = raw[k].strip()
            if s == "|" or s == "｜":
                seps += 1
            elif "|" in s or "｜" in s:
                return False
            elif not blank[k]:
                free += 1
        return seps >= (1 if self._separators else 2) and free >= 1

    def _cell_line(self, k: int) -> bool:
        """A line that can be a cell of a separator table: not blank, not a section heading, not prose."""
        t = self.raw[k].strip()
        return bool(t) and "|" not in t and "｜" not in t and not _is_section_heading(t) and not _prose(t)

    def _separator_region(self, start: int, first: int | None) -> int:
        """Cells between lone "|" lines, as one linear table. A cell may span several lines (a
        label broken by the export). A stretch between two separators that holds a section
        heading or prose is where the table ends: its first line is the table's last cell, and
        the rest is read again from its second line (headings, paragraphs, the next table).
        After the last separator, only the next line is a cell. A blank line also ends a cell."""
        raw, blank, n = self.raw, self.blank, len(self.raw)
        self._separators = True
        cells: list[Cell] = []
        problems = ambiguous = 0

        def emit(lines: list[int], sep_line: int) -> None:
            if not lines:                       # "|" right after "|": an empty cell
                cells.append(Cell("", 0, 0, where=Where(line=sep_line)))
                return
            run = [lines[0]]                    # a blank line between two lines: two cells
            for k in lines[1:]:
                if k != run[-1] + 1:
                    emit_run(run)
                    run = []
                run.append(k)
            emit_run(run)

        def emit_run(lines: list[int]) -> None:
            nonlocal problems, ambiguous
            if len(lines) == 1 or not any(_VALUE.match(raw[k]) for k in lines):
                cells.append(Cell("\n".join(raw[k].strip() for k in lines), 0, 0, where=Where(line=lines[0] + 1)))
                return
            # cells with no "|" between them: a label and a value are two cells; values next to each
            # other cannot be told apart ("2" printed twice, or "2" and "0"?): they become one cell that
            # is no number ("2 / 2"), so its row is short and missing, never shifted or read as "22"
            problems += 1
            k = 0
            while k < len(lines):
                j = k + 1
                is_value = bool(_VALUE.match(raw[lines[k]]))
                while j < len(lines) and bool(_VALUE.match(raw[lines[j]])) == is_value:
                    j += 1
                part = lines[k:j]
                if is_value and len(part) > 1:
                    ambiguous += 1
                sep = " / " if is_value else "\n"
                cells.append(Cell(sep.join(raw[x].strip() for x in part), 0, 0, where=Where(line=part[0] + 1)))
                k = j

        chunk: list[int] = [first] if first is not None else []
        opened = first is not None          # a leading "|" with no cell before it separates nothing
        i = start
        while i < n:
            s = raw[i].strip()
            if s == "|" or s == "｜":
                if opened or chunk:
                    emit(chunk, i + 1)
                opened = True
                chunk = []
                i += 1
                continue
            if blank[i]:
                i += 1
                continue
            if not self._cell_line(i) or len(chunk) >= 6:
                break
            chunk.append(i)
            i += 1
        # the stretch after the last separator: its first line is the last cell
        if chunk:
            cells.append(Cell(raw[chunk[0]].strip(), 0, 0, where=Where(line=chunk[0] + 1)))
            end = chunk[0] + 1
        else:
            end = i
        self._add_table([[c] for c in cells], linear=True)
        if problems:
            extra = (f"其中{ambiguous}处是相邻的数值，未能确定各属哪一格，所在行未读取，请人工核对原文" if ambiguous
                     else "标签和数值已分开读取")
            extra_en = (f"{ambiguous} of them are adjacent values nianbao could not tell apart; their rows were "
                        "not read (check the original by hand)" if ambiguous else "labels and values were read apart")
            self.doc.problems.append(Problem(
                "missing-separator",
                f"竖线分隔的逐行单元格中有{problems}处两个单元格之间缺少分隔线「|」；{extra}。",
                f"{problems} place(s) in the one-cell-per-line table lack the \"|\" line between two cells; "
                f"{extra_en}.", Where(line=start + 1), "warning" if ambiguous else "info"))
        return end
