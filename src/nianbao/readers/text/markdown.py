"""Markdown conversions of reports (pandoc, html2text, online converters).

Headings ("## 一、总体情况", "###（六）其他处理") become paragraphs; each pipe table is its own grid
without its "|---|" rule; a header of placeholder names ("数据1 … 数据6 | 总计", or empty) is the
converter's and is dropped; a "###" heading right above a table becomes its first row (the
converter lifted the group label out of the table); HTML tables inside markdown go to the HTML
reader; "-" stays a cell (not applicable).
"""
from __future__ import annotations

import html
import re

from ...document import Cell, Paragraph, Source, Table, Where
from ...errors import ReadError
from .common import _is_section_heading, _prose, pipe_cells

# markdown conversions of reports (pandoc, html2text, online converters)
# (converters of Chinese text often leave out the space: "###（六）其他处理")
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]+|(?=[^\s#]))(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_RULE = re.compile(r"^[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_SEP_CELL = re.compile(r"^:?-{3,}:?$|^:-*:?$|^-+:$")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_BR = re.compile(r"<br\s*/?>", re.I)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
# placeholder column names a converter gives a table whose header is not its first row
_PLACEHOLDER = re.compile(r"^(?:数据|数值|列|栏|字段|column|col|data)\s*\d{1,2}$", re.I)
_GENERIC_HEADER = frozenset({"", "项目", "总计", "合计", "内容", "指标", "名称", "序号"})


def _md_separator(cells: list[str] | None) -> bool:
    """"|---|:---:|": the rule under a markdown table's header (a row of "-" cells is values)."""
    return bool(cells) and all(_MD_SEP_CELL.match(c) for c in cells)


def placeholder_row(cells: list[str]) -> bool:
    """"数据1 | … | 数据6 | 总计": column names a converter made up, with at least one placeholder."""
    return any(_PLACEHOLDER.match(c) for c in cells) and all(
        c in _GENERIC_HEADER or _PLACEHOLDER.match(c) for c in cells)


def _numbered(header: list[str]) -> bool:
    """"| 1 | 2 | … | 7 |" or "|  | 0 | 1 | 2 |": columns numbered by the converter, not a row of the
    report (no row of 表三/表四 counts 0, 1, 2 … or 1, 2, 3 …: its 总计 would not add up)."""
    cells = header[1:] if header and header[0] == "" else header
    if len(cells) < 3 or not all(c.isdigit() and len(c) <= 2 for c in cells):
        return False
    first = int(cells[0])
    return first in (0, 1) and [int(c) for c in cells] == list(range(first, first + len(cells)))


def _md_inline(text: str) -> str:
    """Markdown inline markup of a cell or heading removed: bold, <br> (a line break), escapes,
    HTML entities."""
    if "<" in text:
        text = _MD_BR.sub("\n", text)
    if "*" in text or "_" in text:
        text = _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")          # "&nbsp;", "&lt;" from converters
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def looks_like_markdown(raw: list[str], name: str = "") -> bool:
    """A markdown file: by its name, or a pipe table with its "|---|" rule, or several "#" headings."""
    if name.lower().endswith((".md", ".markdown")):
        return True
    headings = 0
    for k, line in enumerate(raw):
        if line.startswith("#") and _MD_HEADING.match(line):
            headings += 1
            if headings >= 3:
                return True
        elif "|" in line and "-" in line and k and "|" in raw[k - 1] \
                and _md_separator(pipe_cells(line)):
            return True
    return False


def _markdown_lines(raw: list[str], blank: list[bool]) -> set[int]:
    """In place, keeping line numbers: "## 一、总体情况" → "一、总体情况", "**…**" → "…", horizontal
    rules → blank lines. Returns the heading lines. Pipe tables are left to the builder."""
    headings: set[int] = set()
    for k, line in enumerate(raw):
        if blank[k]:
            continue
        if line.lstrip().startswith("#"):
            m = _MD_HEADING.match(line)
            if m:
                raw[k] = _md_inline(m.group(1))
                blank[k] = not raw[k]
                if raw[k]:
                    headings.add(k)
                continue
        if _MD_RULE.match(line):
            raw[k] = ""
            blank[k] = True
        elif "|" not in line and ("*" in line or "_" in line or "<" in line or "\\" in line):
            raw[k] = _md_inline(line)
            blank[k] = not raw[k].strip()
    return headings


class MarkdownTables:
    """Builder mixin: markdown pipe tables and HTML tables."""

    # -- markdown pipe tables -------------------------------------------------------------------
    def _lifted_heading(self, k: int, table: int) -> bool:
        """A "###" heading right above a table (blank lines between) that names the table's row or
        group ("### （六）其他处理", "### 行政复议"): the converter lifted it out of the table."""
        t = self.raw[k].strip()
        if _is_section_heading(t) or _prose(t) or len(t) > 60:
            return False
        return all(self.blank[x] for x in range(k + 1, table))

    def _markdown_table(self, start: int, head: int | None) -> int:
        """A header line, its "|---|" rule, then body lines with pipes. A header of placeholder
        names ("数据1 | … | 数据6 | 总计", or empty) is the converter's, not the report's: it is
        dropped (single placeholders in a real header are emptied). A heading lifted out of the
        table (`head`) is its first row."""
        raw, blank, n = self.raw, self.blank, len(self.raw)
        rows: list[list[Cell]] = []
        if head is not None:
            rows.append([Cell(raw[head].strip(), 0, 0, where=Where(line=head + 1))])
        header = [_md_inline(c) for c in pipe_cells(raw[start]) or []]
        if any(c not in _GENERIC_HEADER and not _PLACEHOLDER.match(c) for c in header) \
                and not _numbered(header):
            rows.append([Cell("" if _PLACEHOLDER.match(c) else c, 0, 0, where=Where(line=start + 1))
                         for c in header])
        i = start + 2
        while i < n and not blank[i] and "|" in raw[i]:
            cells = pipe_cells(raw[i]) or []
            if not _md_separator(cells):
                rows.append([Cell(c, 0, 0, where=Where(line=i + 1))
                             for c in self._spans_once([_md_inline(c) for c in cells])])
            i += 1
        self._add_table(rows)
        return i

    def _html_table(self, start: int) -> int:
        """An HTML table inside markdown (pandoc and nianbao's own render write tables with merged
        cells this way): read by the HTML reader, its cells located by the line of "<table" and
        their grid row and column. Ends at the matching "</table>" (or a markdown heading)."""
        from ..html import read as read_html
        raw, n = self.raw, len(self.raw)
        depth, i = 0, start
        while i < n and not (i > start and i in self.md_headings):
            low = raw[i].lower()
            depth += low.count("<table") - low.count("</table")
            i += 1
            if depth <= 0:
                break
        src = self.doc.source
        try:
            sub = read_html("\n".join(raw[start:i]).encode("utf-8"), Source(src.path, src.sha256, "html"))
        except ReadError:
            for k in range(start, i):
                self._para(k)
            return i
        for b in sub.blocks:
            if isinstance(b, Table):
                for row in b.rows:
                    for cell in row:
                        if cell is not None:
                            cell.where = Where(line=start + 1, table=self.n_tables, row=cell.row, col=cell.col)
                b.index, b.where = self.n_tables, Where(line=start + 1, table=self.n_tables)
                self.n_tables += 1
                self.doc.blocks.append(b)
            elif b.text.strip():
                self.doc.blocks.append(Paragraph(b.text.strip(), Where(start + 1)))
        return i
