"""PDF stage 3, before columns: a grouped number wrapped over two lines of a cell drawn without rules.

A column too narrow for "1,071" prints it as "1,07" over "1". In a table without rules nothing
says which cell a line belongs to, so such rows were read as missing (`wrapped-row`). The two
parts are one number only when everything says so:

    line i     "1,07"   ← an unfinished grouped number: its last group has fewer than 3 digits,
                          so it cannot be a whole printed value
    line j>i   "1"      ← digits (and groups) that finish it: "1,07" + "1" = "1,071", well grouped;
                          one line pitch below (≤ 1.35 font sizes), same size, the two lines'
                          centres, left ends or right ends within 1 pt (one cell, one alignment)
    between    nothing in the column; at most one line, the row's line, whose middle is the pair's
               middle within 1.5 pt (a cell's text is centred on its row)

The row of the joined number is the line between, else the first part's line, unless that line
holds only first parts and the second line a label (a label beside the numbers' last lines).

Otherwise the parts stay as they are and extraction keeps the row missing. The joined run takes
the place of the parts on the row's line, one line high.
"""
from __future__ import annotations

import re

from .positions import Run

_OPEN = re.compile(r"^[+\-－]?\d{1,3}(?:,\d{3})*,\d{0,2}$")       # "1,07", "12,", "1,234,5"
_REST = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d*,\d{3}(?:,\d{3})*(?:\.\d+)?$")
_WHOLE = re.compile(r"^[+\-－]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def _aligned(a: Run, b: Run) -> bool:
    return (abs((a.x0 + a.x1) - (b.x0 + b.x1)) <= 2.0 or abs(a.x0 - b.x0) <= 1.0 or abs(a.x1 - b.x1) <= 1.0)


def _overlap_x(a: Run, b: Run) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def join_wrapped_numbers(lines: list[list[Run]]) -> list[list[Run]]:
    """The visual lines with every certain two-line wrapped number joined into one run (see above)."""
    if not any(_OPEN.match(r.text) for rs in lines for r in rs if r.value):
        return lines
    out = [list(rs) for rs in lines]
    for i, rs in enumerate(out):
        for top in [r for r in rs if r.value and _OPEN.match(r.text)]:
            found = _continuation(out, i, top)
            if found is None:
                continue
            j, rest, home = found
            if home is None and all(r.value and _OPEN.match(r.text) for r in out[i]) \
                    and any(r is not rest and not r.value for r in out[j]):
                home = j        # the row's label stands on the second line: the row is that line
            dest = out[home] if home is not None else out[i]
            y0 = min(r.y0 for r in dest) if home is not None else top.y0
            y1 = max(r.y1 for r in dest) if home is not None else top.y1
            joined = Run(min(top.x0, rest.x0), y0, max(top.x1, rest.x1), y1, top.text + rest.text, top.size, True)
            out[i].remove(top)
            out[j].remove(rest)
            dest.append(joined)
            dest.sort(key=lambda r: r.x0)
    return [rs for rs in out if rs]


def _continuation(lines: list[list[Run]], i: int, top: Run) -> tuple[int, Run, int | None] | None:
    """(line index, run, line index of the row between or None) of the run finishing `top`."""
    size = top.size
    between: list[int] = []
    for j in range(i + 1, len(lines)):
        rs = lines[j]
        if not rs:
            continue
        y0 = min(r.y0 for r in rs)
        if y0 - top.y0 > 1.35 * size + 0.5:
            return None
        below = [r for r in rs if _overlap_x(r, top)]
        if not below:
            between.append(j)
            continue
        if len(below) > 1:
            return None
        rest = below[0]
        if not (rest.value and abs(rest.size - size) <= 0.5 and rest.y0 - top.y0 >= 0.8 * size
                and _aligned(top, rest) and _REST.match(rest.text) and _WHOLE.match(top.text + rest.text)):
            return None
        if len(between) > 1:
            return None
        if between:
            mid = (top.y0 + rest.y1) / 2
            row = lines[between[0]]
            if abs((min(r.y0 for r in row) + max(r.y1 for r in row)) / 2 - mid) > 1.5:
                return None
            return j, rest, between[0]
        return j, rest, None
    return None
