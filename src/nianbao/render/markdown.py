"""Markdown: headings and paragraphs as Markdown, the tables as embedded HTML (Markdown tables cannot
merge cells, and the official tables need merged cells)."""
from __future__ import annotations

from .html import table_html
from .layout import HEADING, PARAGRAPH, TABLE, TITLE, report_blocks


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]#<>|" else ch for ch in text)


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
            out.append(table_html(item))
    return "\n\n".join(out) + "\n"
