"""Plain-text exports of reports: decode, then rebuild table grids where the layout allows.

Layouts seen in real exports (see tests/data):

* ``tab-cells``  one cell per line, each line starting with a tab; a blank line ends a row;
  a line without a tab right after a cell continues that cell (a label broken across lines).
* ``tab-rows``   one row per line, cells separated by tabs, empty cells kept.
* ``pipes``      cells separated by ``|``: one row per line, or one cell per line with a lone
  ``|`` line starting each row, or one cell per line with no row markers at all.
* ``separator``  one cell per line with a line holding only ``|`` between cells (a web page
  saved as text): a stretch between two such lines is one cell; a section heading or prose
  between two cells ends the table (the line before it is its last cell).
* ``markdown``  a conversion to markdown (``.md``, or ``|---|`` rules, or ``#`` headings):
  headings become paragraphs; each pipe table is its own grid without its ``|---|`` rule; a
  header of placeholder names (``数据1 … 数据6 | 总计``) is dropped; a ``###`` heading right
  above a table becomes its first row (the converter lifted the group label out of the table).
  In every pipe layout a merged cell repeated across its span is kept once (labels only).
* ``blank-separated``  every cell on its own line, cells separated by one blank line; each
  further blank line is an empty cell; a cell may span several lines.
* ``space-aligned``  a PDF saved as text with its layout (``pdftotext -layout``, copy from a
  viewer): columns aligned by runs of spaces. A run of lines holding at least three rows of the
  form "label, a wide gap, values only" (or one line with eight values or more, 表四), with the
  header and label pieces between them, becomes a linear table: each line's labels and values in
  reading order. A line is a row only when its label has no sentence punctuation outside brackets,
  so sentences that end in a number stay paragraphs. What stands in a value's place instead of a
  number ("约5", "（5）", "不适用", "？", "#REF!") is a value token, so its line stays a row. A short label printed on a values line to
  the left of a pending wrapped row label (the second half of "（四）无法提供") is moved before it.

Where the layout gives no row boundaries the table is ``linear``: its cells are in reading
order, one per grid row, and extraction reads them by their labels.

Modules: ``encoding`` (bytes → text), ``builder`` (one pass over the lines, handing each stretch
to a layout), one module per layout family (``tabs``, ``pipes``, ``separator``, ``markdown``,
``aligned``, ``blank_separated``), ``common`` (patterns they share).
"""
from __future__ import annotations

from ...document import Document, Problem, Source, Table
from ...errors import ReadError
from .builder import Builder
from .encoding import _damage_problem, decode, decode_checked, normalize_lines
from .markdown import _markdown_lines, looks_like_markdown


def read(data: bytes, source: Source) -> Document:
    text, encoding, damaged = decode_checked(data, source.path)
    source.encoding = encoding
    text = normalize_lines(text)
    raw = text.split("\n")
    if text.endswith("\n"):
        raw.pop()     # the file's last line end starts no line (it would read as one more blank line)
    # a blank line: only whitespace and no tab (a tab marks an empty cell)
    blank = [not s.strip() and "\t" not in s for s in raw]
    if raw and blank[-1] and raw[-1]:
        raw.pop()     # a last line of spaces only is the cut start of a cell, not a blank (line end or not)
        blank.pop()
    doc = Document(source=source)
    if all(blank):
        raise ReadError("no-text", "文件中没有文字内容。", "the file contains no text.", source.path)
    if damaged:
        doc.problems.append(_damage_problem(text, encoding, damaged))
    headings = _markdown_lines(raw, blank) if looks_like_markdown(raw, source.path) else None
    Builder(raw, blank, doc, headings).run()
    if not any(isinstance(b, Table) for b in doc.blocks):
        doc.problems.append(Problem(
            "no-table-grid", "文本中没有找到表格结构（制表符、竖线或逐行单元格），将按标签逐行识别表格内容。",
            "no table structure (tabs, pipes or one cell per line) was found in the text; tables will be "
            "read label by label.", severity="info"))
    return doc


__all__ = ["read", "decode", "decode_checked", "normalize_lines", "looks_like_markdown"]
