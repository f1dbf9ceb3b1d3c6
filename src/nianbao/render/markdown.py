"""Markdown: headings as `#`/`##`, paragraphs, the tables as pipe tables (`| a | b |` with a `|---|` rule under
the first row). A pipe table cannot merge cells: a merged cell is written once, in its top-left position, and
the positions it covers are empty, as in the text export — the form the text reader reads back (readers/text.py,
markdown conversions), so a rendered `.md` extracts to the same tables."""
from __future__ import annotations

from .layout import HEADING, MISSING_MARK, PARAGRAPH, TABLE, TITLE, TableLayout, report_blocks


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]#<>|" else ch for ch in text)


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


# A pipe export repeats a merged cell's text across its span, so a reader keeps a repeated non-number once:
# two markers side by side are printed in two spellings that read the same (missing; not applicable).
_TWIN = {MISSING_MARK: "未填", "/": "—"}


def _untwin(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        out.append(_TWIN[t] if t in _TWIN and out and out[-1] == t else t)
    return out


def table_markdown(t: TableLayout) -> str:
    lines = []
    for r, row in enumerate(t.grid()):
        texts = _untwin([_cell(c.text) if (c.row == r and c.col == i) else "" for i, c in enumerate(row)])
        lines.append("| " + " | ".join(texts) + " |")
        if r == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


def to_markdown(report: dict) -> str:
    out: list[str] = []
    for kind, item in report_blocks(report):
        if kind == TITLE:
            out.append(f"# {_md_escape(item)}")
        elif kind == HEADING:
            out.append(f"## {_md_escape(item)}")
        elif kind == PARAGRAPH:
            out.append(_md_escape(item))
        elif kind == TABLE:
            out.append(table_markdown(item))
    return "\n\n".join(out) + "\n"
