"""Writers: a contract-shaped report dict → text, HTML or DOCX in the official layout.

All three draw their tables from `layout.table_layout`, computed once from the format
declaration, so they cannot drift apart.
"""
from __future__ import annotations

from .docx import to_docx
from .html import to_html
from .markdown import to_markdown
from .text import to_text

__all__ = ["to_text", "to_html", "to_docx", "to_markdown"]
