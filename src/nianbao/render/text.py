"""Plain-text exports of a report, in the layouts real text exports of reports have.

- ``"tabbed"``: one table row per line, cells separated by tabs; a merged cell is written
  once, in its top-left position, and the positions it covers are empty (like a copy of a
  Word/PDF table into a text editor).
- ``"cell_per_line"``: every cell on its own line, prefixed by a tab, rows separated by a blank
  line (Word's "save as text"): a cell merged across columns is written once; a cell merged
  down rows leaves an empty cell in each row below.
- ``"pipes"``: ``| a | b | c |``, one table row per line (the full grid, covered positions empty).
"""
from __future__ import annotations

from .layout import HEADING, PARAGRAPH, TABLE, TITLE, TableLayout, report_blocks

LAYOUTS = ("tabbed", "cell_per_line", "pipes")


def _tabbed(t: TableLayout) -> list[str]:
    out = []
    for r, row in enumerate(t.grid()):
        out.append("\t".join(c.text if (c.row == r and c.col == i) else "" for i, c in enumerate(row)))
    return out


def _pipes(t: TableLayout) -> list[str]:
    out = []
    for r, row in enumerate(t.grid()):
        texts = [c.text if (c.row == r and c.col == i) else "" for i, c in enumerate(row)]
        out.append("| " + " | ".join(texts) + " |")
    return out


def _cell_per_line(t: TableLayout) -> list[str]:
    out: list[str] = []
    grid = t.grid()
    for r, row in enumerate(grid):
        if r:
            out.append("")
        for i, c in enumerate(row):
            if c.col != i:
                continue              # covered by a cell merged across columns: written once
            out.append("\t" + (c.text if c.row == r else ""))
    return out


_WRITERS = {"tabbed": _tabbed, "cell_per_line": _cell_per_line, "pipes": _pipes}


def table_lines(t: TableLayout, layout: str = "tabbed") -> list[str]:
    try:
        return _WRITERS[layout](t)
    except KeyError:
        raise ValueError(f"unknown text layout {layout!r}; known: {', '.join(LAYOUTS)}") from None


def to_text(report: dict, layout: str = "tabbed") -> str:
    """The whole report as text: title, preamble, the six sections with their tables."""
    if layout not in _WRITERS:
        raise ValueError(f"unknown text layout {layout!r}; known: {', '.join(LAYOUTS)}")
    lines: list[str] = []
    prev, headings = None, 0
    for kind, item in report_blocks(report):
        if kind == TABLE:
            lines.append("")
            lines.extend(table_lines(item, layout))
            lines.append("")
        else:
            # A blank line after the title and between the preamble and the first heading.
            if prev == TITLE or (kind == HEADING and headings == 0 and prev == PARAGRAPH):
                lines.append("")
            headings += kind == HEADING
            lines.append(item)
        prev = kind
    return "\n".join(lines).rstrip("\n") + "\n"
