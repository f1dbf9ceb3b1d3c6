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
  so sentences that end in a number stay paragraphs. A short label printed on a values line to
  the left of a pending wrapped row label (the second half of "（四）无法提供") is moved before it.

Where the layout gives no row boundaries the table is ``linear``: its cells are in reading
order, one per grid row, and extraction reads them by their labels.
"""
from __future__ import annotations

import re

from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError
from ..formats import SECTIONS
from ..labels import strip_numbering

# export artefacts: Word bookmarks in text exports, zero-width characters and soft hyphens
# (two patterns: an alternation would defeat the regex engine's literal scan)
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")
_VALUE = re.compile(r"^[\s\u3000]*(?:[+\-－]?[0-9０-９][0-9０-９,，.．]*\s*(?:元|万元|件|条|个|项)?|[/／\\—–\-－]+|无)[\s\u3000]*$")
_HEADING = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]+、")
# space-aligned columns (text saved from a PDF with its layout, e.g. `pdftotext -layout`)
_GAP = re.compile(r"[ \u3000\u00a0]{2,}|\u3000")
_VALUE_TOKEN = re.compile(r"^(?:[+\-－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?|[/／—–－]+)$")
_BRACKETED = re.compile(r"[（(][^）)]*(?:[）)]|$)")
_SEGMENT = re.compile(r"\S+(?:[ \u00a0]\S+)*")          # text between wide gaps
_SENTENCE_END = ("。", "；", ";", "！", "？")
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


def _is_section_heading(text: str) -> bool:
    """"三、收到和处理政府信息公开申请情况": one of the six section headings (not a 表三 row label
    such as "三、本年度办理结果", which also starts with "三、")."""
    if not _HEADING.match(text) or len(text) > 60:
        return False
    body = strip_numbering(text).rstrip("：:。")
    for sec in SECTIONS:
        if body in sec.variants or strip_numbering(sec.title) == body or (
                len(body) <= 30 and any(all(k in body for k in kw) for kw in sec.keywords)):
            return True
    return False


def _md_separator(cells: list[str] | None) -> bool:
    """"|---|:---:|": the rule under a markdown table's header (a row of "-" cells is values)."""
    return bool(cells) and all(_MD_SEP_CELL.match(c) for c in cells)


def _md_inline(text: str) -> str:
    """Markdown inline markup of a cell or heading removed: bold, <br> (a line break), escapes."""
    if "<" in text:
        text = _MD_BR.sub("\n", text)
    if "*" in text or "_" in text:
        text = _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
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
                and _md_separator(_Builder._pipe_cells(line)):
            return True
    return False


def _prose(text: str) -> bool:
    """A sentence of the text, not a cell: long, or ending like a sentence."""
    return len(text) > 80 or text.endswith(("。", "！", "？"))


_VALUE_END = frozenset("0123456789０１２３４５６７８９/／—–－")
_TOKENS: dict[str, bool] = {}          # token → is a value (tokens repeat: "0", "1", "/")


def _is_value_token(tok: str) -> bool:
    v = _TOKENS.get(tok)
    if v is None:
        if len(_TOKENS) > 20000:
            _TOKENS.clear()
        v = _TOKENS[tok] = _VALUE_TOKEN.match(tok) is not None
    return v


def _value_tail(line: str) -> tuple[int, int, int] | None:
    """(end of the label, column of the first value, number of values) when the line ends in
    whitespace-separated values ("规章      0   0   0" → (2, 8, 3)), else None."""
    s = line.rstrip()
    if not s or s[-1] not in _VALUE_END:
        return None
    tokens = s.split()
    n = len(tokens)
    k = n
    while k and _is_value_token(tokens[k - 1]):
        k -= 1
    if k == n:
        return None
    if k == 0:
        return 0, len(s) - len(s.lstrip()), n
    label_end = len(s.rsplit(None, n - k)[0])
    rest = s[label_end:]
    return label_end, label_end + len(rest) - len(rest.lstrip()), n - k


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""
    text, encoding, _ = decode_checked(data, name)
    return text, encoding


def decode_checked(data: bytes, name: str = "") -> tuple[str, str, int]:
    """(text, encoding, damaged): `damaged` counts the byte sequences that could not be decoded and
    were replaced by U+FFFD (a UTF-16 file of odd length, a lone surrogate, a bad UTF-8 byte after a
    BOM). A file damaged throughout is refused with a ReadError instead."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _replacing(data[3:], "utf-8", "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _replacing(data, "utf-16", "utf-16", name)
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030", 0
    except UnicodeDecodeError:
        pass
    return _replacing(data, "gb18030", "gb18030", name)


def _replacing(data: bytes, codec: str, encoding: str, name: str) -> tuple[str, str, int]:
    try:
        return data.decode(codec), encoding, 0
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(10, len(text) // 100):
        if codec == "utf-16":
            raise ReadError("encoding",
                            f"文件开头标明是 UTF-16 编码，但有{bad}处字节无法解码（文件可能已损坏或被截断）；"
                            "请用记事本或 WPS 重新另存为 UTF-8 后再读取。",
                            f"the file is marked as UTF-16 but {bad} byte sequences cannot be decoded (it may be "
                            "damaged or truncated); save it again as UTF-8 and try again.", name)
        raise ReadError("encoding",
                        "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）；请用记事本或 WPS 另存为 UTF-8 后再读取。",
                        "cannot tell the text encoding (neither UTF-8 nor GBK/GB18030); save the file as UTF-8 "
                        "and try again.", name)
    return text, encoding, bad


def _damage_problem(text: str, encoding: str, bad: int) -> Problem:
    """Where the undecodable bytes are (the first lines), and what that means for the values there."""
    lines = [no for no, s in enumerate(text.split("\n"), 1) if "\ufffd" in s]
    shown = "、".join(f"第{no}行" for no in lines[:5]) + ("等" if len(lines) > 5 else "")
    name = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8", "gb18030": "GB18030"}.get(encoding, encoding)
    return Problem(
        "encoding-damaged",
        f"文件中有{bad}处字节无法按 {name} 解码（{shown}），已替换为「\ufffd」；这些位置的文字和数值不会被读取，"
        "请核对原文件是否完整。",
        f"{bad} byte sequence(s) cannot be decoded as {name} (lines {', '.join(map(str, lines[:5]))}); they were "
        "replaced by U+FFFD and no value is read there; check that the file is complete.",
        Where(line=lines[0]) if lines else None, "warning")


def normalize_lines(text: str) -> str:
    """Line ends as "\n", export artefacts removed: the text whose lines `Where.line` counts."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "[bookmark: " in text:
        text = _BOOKMARK.sub("", text)
    return text


def read(data: bytes, source: Source) -> Document:
    text, encoding, damaged = decode_checked(data, source.path)
    source.encoding = encoding
    text = normalize_lines(text)
    raw = text.split("\n")
    # a blank line: only whitespace and no tab (a tab marks an empty cell)
    blank = [not s.strip() and "\t" not in s for s in raw]
    if raw and not text.endswith("\n") and blank[-1] and raw[-1]:
        raw.pop()     # an unterminated whitespace-only last line is the cut start of a cell, not a blank
        blank.pop()
    doc = Document(source=source)
    if all(blank):
        raise ReadError("no-text", "文件中没有文字内容。", "the file contains no text.", source.path)
    if damaged:
        doc.problems.append(_damage_problem(text, encoding, damaged))
    headings = _markdown_lines(raw, blank) if looks_like_markdown(raw, source.path) else None
    _Builder(raw, blank, doc, headings).run()
    if not any(isinstance(b, Table) for b in doc.blocks):
        doc.problems.append(Problem(
            "no-table-grid", "文本中没有找到表格结构（制表符、竖线或逐行单元格），将按标签逐行识别表格内容。",
            "no table structure (tabs, pipes or one cell per line) was found in the text; tables will be "
            "read label by label.", severity="info"))
    return doc


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


class _Builder:
    """Lines are indices into `raw` (text) and `blank`; a line's number is its index + 1."""

    def __init__(self, raw: list[str], blank: list[bool], doc: Document, md_headings: set[int] | None = None):
        self.raw = raw
        self.blank = blank
        self.doc = doc
        self.markdown = md_headings is not None      # a markdown file: its "#" headings, else None
        self.md_headings = md_headings or set()
        self.n_tables = 0
        self._tails: dict[int, tuple[int, int, int] | None] = {}     # line → _value_tail(line)
        self._separators = False        # a table with "|" lines between its cells was seen

    # -- driver -----------------------------------------------------------------------------
    def run(self) -> None:
        raw, i, n = self.raw, 0, len(self.raw)
        pending: list[int] = []  # plain lines not yet placed
        while i < n:
            line = raw[i]
            if "\t" in line:
                self._plain(pending)
                pending = []
                i = self._tab_region(i)
            elif self.markdown and line.lstrip()[:6].lower() == "<table":
                self._plain(pending)
                pending = []
                i = self._html_table(i)
            elif "|" in line and i + 1 < n and "-" in raw[i + 1] and _md_separator(self._pipe_cells(raw[i + 1])):
                head = next((k for k in reversed(pending) if not self.blank[k]), None)
                if head is not None and (head not in self.md_headings or not self._lifted_heading(head, i)):
                    head = None
                self._plain([k for k in pending if k != head])
                pending = []
                i = self._markdown_table(i, head)
            elif line.strip() == "|" and self._separator_layout(i):
                first = pending.pop() if pending and pending[-1] == i - 1 and self._cell_line(i - 1) else None
                self._plain(pending)
                pending = []
                i = self._separator_region(i, first)
            elif "|" in line and self._pipe_cells(line) is not None:
                self._plain(pending)
                pending = []
                i = self._pipe_region(i)
            else:
                pending.append(i)
                i += 1
        self._plain(pending)

    def _add_table(self, rows: list[list[Cell]], linear: bool = False, numbered: bool = False) -> None:
        """`numbered`: the caller built no empty row and set every cell's row/col already."""
        if not numbered:
            rows = [r for r in rows if r]
            # every cell of a text table is its own origin: number rows/cols, the rows are the grid
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    cell.row = r
                    cell.col = c
        if not rows:
            return
        first = rows[0][0].where.line
        self.doc.blocks.append(Table(rows, self.n_tables, Where(line=first, table=self.n_tables), linear))
        self.n_tables += 1

    def _para(self, i: int) -> None:
        t = self.raw[i].strip()
        if t:
            self.doc.blocks.append(Paragraph(t, Where(i + 1)))

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

    @staticmethod
    def _pipe_cells(raw: str) -> list[str] | None:
        s = raw.strip()
        if "|" not in s:
            return None
        if s == "|":
            return []
        parts = s.split("|")
        if s.endswith("|"):
            parts = parts[:-1]
        if s.startswith("|") and len(parts) > 1:
            parts = parts[1:]
        return [p.strip() for p in parts]

    def _pipe_region(self, start: int) -> int:
        raw, blank, n = self.raw, self.blank, len(self.raw)
        i = start
        region: list[tuple[int, list[str] | None]] = []
        while i < n:
            line = raw[i]
            cells = self._pipe_cells(line)
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
                if _md_separator(cells):
                    continue                       # a "|---|" rule pasted with the table
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
        header = [_md_inline(c) for c in self._pipe_cells(raw[start]) or []]
        if any(c not in _GENERIC_HEADER and not _PLACEHOLDER.match(c) for c in header):
            rows.append([Cell("" if _PLACEHOLDER.match(c) else c, 0, 0, where=Where(line=start + 1))
                         for c in header])
        i = start + 2
        while i < n and not blank[i] and "|" in raw[i]:
            cells = self._pipe_cells(raw[i]) or []
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
        from .html import read as read_html
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

    # -- separator lines: one cell per line, a line holding only "|" between cells -------------------
    def _separator_layout(self, start: int) -> bool:
        """From a lone "|" line: the next separators come between pipe-free lines (no pipe in
        any cell: that is the row-marker layout of ``_pipe_region``)."""
        raw, blank = self.raw, self.blank
        seps = free = 0
        for k in range(start, min(len(raw), start + 40)):
            s = raw[k].strip()
            if s == "|":
                seps += 1
            elif "|" in s:
                return False
            elif not blank[k]:
                free += 1
        return seps >= (1 if self._separators else 2) and free >= 1

    def _cell_line(self, k: int) -> bool:
        """A line that can be a cell of a separator table: not blank, not a section heading, not prose."""
        t = self.raw[k].strip()
        return bool(t) and "|" not in t and not _is_section_heading(t) and not _prose(t)

    def _separator_region(self, start: int, first: int | None) -> int:
        """Cells between lone "|" lines, as one linear table. A cell may span several lines (a
        label broken by the export). A stretch between two separators that holds a section
        heading or prose is where the table ends: its first line is the table's last cell, and
        the rest is read again from its second line (headings, paragraphs, the next table).
        After the last separator, only the next line is a cell."""
        raw, blank, n = self.raw, self.blank, len(self.raw)
        self._separators = True
        cells: list[Cell] = []
        problems = 0

        def emit(lines: list[int], sep_line: int) -> None:
            nonlocal problems
            if not lines:                       # "|" right after "|": an empty cell
                cells.append(Cell("", 0, 0, where=Where(line=sep_line)))
                return
            values = [k for k in lines if _VALUE.match(raw[k])]
            if len(lines) > 1 and values:
                # two cells with no separator between them: each line is its own cell, never
                # joined into one number ("0" + "0" is not "00")
                problems += 1
                cells.extend(Cell(raw[k].strip(), 0, 0, where=Where(line=k + 1)) for k in lines)
                return
            cells.append(Cell("\n".join(raw[k].strip() for k in lines), 0, 0, where=Where(line=lines[0] + 1)))

        chunk: list[int] = [first] if first is not None else []
        opened = first is not None          # a leading "|" with no cell before it separates nothing
        i = start
        while i < n:
            s = raw[i].strip()
            if s == "|":
                if opened or chunk:
                    emit(chunk, i + 1)
                opened = True
                chunk = []
                i += 1
                continue
            if blank[i]:
                i += 1
                continue
            if "|" in s or not self._cell_line(i) or len(chunk) >= 6:
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
            self.doc.problems.append(Problem(
                "missing-separator",
                f"竖线分隔的逐行单元格中有{problems}处两个单元格之间缺少分隔线「|」，已按每行一个单元格读取。",
                f"{problems} place(s) in the one-cell-per-line table lack the \"|\" line between two cells; "
                "each line was read as its own cell.", Where(line=start + 1), "info"))
        return end

    # -- plain lines --------------------------------------------------------------------------------
    def _plain(self, lines: list[int]) -> None:
        if not lines:
            return
        start = 0
        for b0, b1 in self._aligned_blocks(lines):
            self._chunks(lines[start:b0])
            self._aligned_table(lines[b0:b1])
            start = b1
        self._chunks(lines[start:])

    # -- space-aligned columns ------------------------------------------------------------------
    @staticmethod
    def _aligned_row(line: str, tail: tuple[int, int, int] | None) -> bool:
        """A table row laid out with spaces: a label (or nothing), a wide gap, then values only.
        `tail` is `_value_tail(line)`."""
        if tail is None:
            return False
        label = line[:tail[0]].strip()
        if not label:
            return True
        # a label has no sentence punctuation (outside its brackets: "（区分处理的，只计这一情形）")
        bare = _BRACKETED.sub("", label) if "（" in label or "(" in label else label
        return bool(_GAP.match(line, tail[0])) and len(label) <= 40 and not any(
            ch in bare for ch in "。，；：,;:")

    @staticmethod
    def _aligned_fragment(line: str) -> bool:
        """A header or label piece inside a space-aligned table (not a sentence of the text)."""
        t = line.strip()
        if not t or "。" in t or (_HEADING.match(line) and len(t) > 8 and not _GAP.search(t)):
            return False
        return bool(_GAP.search(t)) or len(t) <= 20

    def _aligned_blocks(self, lines: list[int]) -> list[tuple[int, int]]:
        """[(start, end)] positions in `lines` of runs with at least 3 space-aligned rows."""
        raw, blank = self.raw, self.blank
        if not any("  " in raw[k] or "\u3000" in raw[k] for k in lines):
            return []
        out: list[tuple[int, int]] = []
        tails = [_value_tail(raw[k]) for k in lines]
        self._tails = dict(zip(lines, tails))
        is_row = [self._aligned_row(raw[k], t) for k, t in zip(lines, tails)]
        i, n = 0, len(lines)
        while i < n:
            if not is_row[i]:
                i += 1
                continue
            j, rows, last_row, n_values = i, 0, i, 0
            while j < n:
                line = raw[lines[j]]
                if is_row[j]:
                    rows += 1
                    last_row = j
                    n_values += tails[j][2]
                elif not (blank[lines[j]] or self._aligned_fragment(line)):
                    break
                j += 1
            if rows >= 3 or n_values >= 8:
                b0 = i                          # the table's header: gapped fragments just above
                while b0 > 0 and not blank[lines[b0 - 1]] and _GAP.search(raw[lines[b0 - 1]].strip()) \
                        and self._aligned_fragment(raw[lines[b0 - 1]]) and (not out or b0 > out[-1][1]):
                    b0 -= 1
                end = last_row + 1
                while end < j and self._aligned_fragment(raw[lines[end]]) and _GAP.search(raw[lines[end]].strip()):
                    end += 1                    # label pieces printed below the last values
                out.append((b0, end))
                i = end
            else:
                i = j + 1
        return out

    def _aligned_table(self, lines: list[int]) -> None:
        """One linear table: each line's label and value tokens in reading order.

        A label centred beside a wrapped label of the next column is printed on the line of that
        row's values ("（四）无" / "法提供  6 2 0" beside "2.没有现成信息需要另行制"): a line holding a
        single short label left of the pending row label (a label-only line's last label, left of
        the value columns), then values, has that label moved before the pending one, so the values
        follow the label they belong to.
        """
        raw = self.raw
        rows: list[list[Cell]] = []
        pending: tuple[int, int] | None = None      # (index in rows, column) of a label-only line's label
        # the left edge of the value columns: labels left of it are row labels, not column headers
        tails = self._tails             # (_aligned_blocks computed them for these lines)
        value_col = min((t[1] for k in lines
                         if (t := tails[k] if k in tails else _value_tail(raw[k])) is not None), default=0)
        for k in lines:
            w = Where(k + 1)
            line = raw[k]
            labels: list[tuple[int, str]] = []
            values: list[str] = []
            for m in _SEGMENT.finditer(line):
                tokens = m.group().split()
                n = len(tokens)
                while n and _is_value_token(tokens[n - 1]):
                    n -= 1
                if n:
                    if values:                  # a label after values: flush what came before
                        pending = self._emit(rows, labels, values, w, pending, value_col)
                        labels, values = [], []
                    labels.append((m.start(), " ".join(tokens[:n])))
                values.extend(tokens[n:])
            pending = self._emit(rows, labels, values, w, pending, value_col)
        self._add_table(rows, linear=True)

    @staticmethod
    def _emit(rows: list[list[Cell]], labels: list[tuple[int, str]], values: list[str], w: Where,
              pending: tuple[int, int] | None, value_col: int) -> tuple[int, int] | None:
        if labels and pending is not None and labels[0][0] < pending[1] and len(labels[0][1]) <= 6 \
                and (len(labels) == 1 or not values):
            rows.insert(pending[0], [Cell(labels[0][1], 0, 0, 1, 1, w)])
            labels = labels[1:]
            if not values:
                # a piece of the left column's label on a line inside a wrapped row label, alone
                # ("2.申请人逾期未按收费通知" / "他处理" / "要求缴纳费用…  0 1 0") or beside the
                # label's next piece ("他处理  知要求缴纳费用、行政机关"): it goes before the row label,
                # which stays pending (one position later) unless the line continues it
                if not labels:
                    return (pending[0] + 1, pending[1])
        for col, text in labels:
            rows.append([Cell(text, 0, 0, 1, 1, w)])
        rows.extend([Cell(t, 0, 0, 1, 1, w)] for t in values)
        if values:
            return None
        if labels:
            return (len(rows) - 1, labels[-1][0]) if labels[-1][0] < value_col else None
        return pending

    # -- plain lines: paragraphs, or blank-separated cells ------------------------------------
    def _chunks(self, lines: list[int]) -> None:
        if not lines:
            return
        raw, blank = self.raw, self.blank
        # chunks: runs of consecutive non-blank lines, with the number of blank lines before each
        chunks: list[tuple[int, list[int]]] = []
        blanks = 0
        for k in lines:
            if blank[k]:
                blanks += 1
                continue
            if blanks == 0 and chunks:
                chunks[-1][1].append(k)
            else:
                chunks.append((blanks, [k]))
            blanks = 0
        trailing_blanks = blanks
        if self.markdown:          # markdown separates every paragraph by a blank line: no cells here
            chunks = [(0, [k]) for _, ls in chunks for k in ls]
        i = 0
        while i < len(chunks):
            j = i
            while j < len(chunks) and self._cell_like(chunks[j][1]) and (j == i or chunks[j][0] >= 1):
                j += 1
            run = chunks[i:j]
            values = sum(1 for _, ls in run if len(ls) == 1 and _VALUE.match(raw[ls[0]]))
            if j - i >= 4 and values >= 2:
                rows: list[list[Cell]] = []
                for k, (nb, ls) in enumerate(run):
                    if k > 0:
                        for _ in range(nb - 1):
                            rows.append([Cell("", 0, 0, where=Where(line=ls[0]))])
                    rows.append([Cell("\n".join(raw[x].strip() for x in ls), 0, 0,
                                      where=Where(line=ls[0] + 1))])
                if j == len(chunks) and trailing_blanks > 1:
                    last = run[-1][1][-1] + 1
                    for k in range(trailing_blanks - 1):
                        rows.append([Cell("", 0, 0, where=Where(line=last + 2 + k))])
                self._add_table(rows, linear=True)
                i = j
            else:
                for k in chunks[i][1]:
                    self._para(k)
                i += 1

    def _cell_like(self, ls: list[int]) -> bool:
        if len(ls) > 3:
            return False
        raw = self.raw
        text = "".join(raw[x].strip() for x in ls)
        if _VALUE.match(text):
            return True
        return len(text) <= 60 and not text.endswith(_SENTENCE_END)
