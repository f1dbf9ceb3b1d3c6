"""Plain-text exports of reports: decode, then rebuild table grids where the layout allows.

Layouts seen in real exports (see tests/data):

* ``tab-cells``  one cell per line, each line starting with a tab; a blank line ends a row;
  a line without a tab right after a cell continues that cell (a label broken across lines).
* ``tab-rows``   one row per line, cells separated by tabs, empty cells kept.
* ``pipes``      cells separated by ``|``: one row per line, or one cell per line with a lone
  ``|`` line starting each row, or one cell per line with no row markers at all.
* ``blank-separated``  every cell on its own line, cells separated by one blank line; each
  further blank line is an empty cell; a cell may span several lines.

Where the layout gives no row boundaries the table is ``linear``: its cells are in reading
order, one per grid row, and extraction reads them by their labels.
"""
from __future__ import annotations

import re

from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError

_ARTEFACTS = re.compile(r"\[bookmark: [^\]]*\]|[\u200b\u200c\u200d\ufeff\u00ad]")
_VALUE = re.compile(r"^[\s\u3000]*(?:[+\-－]?[0-9０-９][0-9０-９,，.．]*\s*(?:元|万元|件|条|个|项)?|[/／\\—–\-－]+|无)[\s\u3000]*$")
_HEADING = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]+、")
_SENTENCE_END = ("。", "；", ";", "！", "？")


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise ReadError("encoding",
                        "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）；请用记事本或 WPS 另存为 UTF-8 后再读取。",
                        "cannot tell the text encoding (neither UTF-8 nor GBK/GB18030); save the file as UTF-8 "
                        "and try again.", name)
    return text, "gb18030"


class _Line:
    __slots__ = ("no", "raw", "blank")

    def __init__(self, no: int, raw: str):
        self.no = no            # 1-based line number
        self.raw = raw
        self.blank = not raw.strip() and "\t" not in raw


def read(data: bytes, source: Source) -> Document:
    text, encoding = decode(data, source.path)
    source.encoding = encoding
    text = _ARTEFACTS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_Line(i + 1, s) for i, s in enumerate(text.split("\n"))]
    if lines and not text.endswith("\n") and lines[-1].blank and lines[-1].raw:
        lines.pop()   # an unterminated whitespace-only last line is the cut start of a cell, not a blank
    doc = Document(source=source)
    if not any(not ln.blank for ln in lines):
        raise ReadError("no-text", "文件中没有文字内容。", "the file contains no text.", source.path)
    _Builder(lines, doc).run()
    if not any(isinstance(b, Table) for b in doc.blocks):
        doc.problems.append(Problem(
            "no-table-grid", "文本中没有找到表格结构（制表符、竖线或逐行单元格），将按标签逐行识别表格内容。",
            "no table structure (tabs, pipes or one cell per line) was found in the text; tables will be "
            "read label by label.", severity="info"))
    return doc


class _Builder:
    def __init__(self, lines: list[_Line], doc: Document):
        self.lines = lines
        self.doc = doc
        self.n_tables = 0

    # -- driver -----------------------------------------------------------------------------
    def run(self) -> None:
        lines, i, n = self.lines, 0, len(self.lines)
        pending: list[_Line] = []  # plain lines not yet placed
        while i < n:
            ln = lines[i]
            if "\t" in ln.raw:
                self._plain(pending)
                pending = []
                i = self._tab_region(i)
            elif "|" in ln.raw and self._pipe_cells(ln.raw) is not None:
                self._plain(pending)
                pending = []
                i = self._pipe_region(i)
            else:
                pending.append(ln)
                i += 1
        self._plain(pending)

    def _add_table(self, rows: list[list[Cell]], linear: bool = False) -> None:
        rows = [r for r in rows if r]
        if not rows:
            return
        # every cell of a text table is its own origin: number rows/cols and use the rows as the grid
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                cell.row = r
                cell.col = c
        first = rows[0][0].where.line
        self.doc.blocks.append(Table(rows, self.n_tables, Where(line=first, table=self.n_tables), linear))
        self.n_tables += 1

    def _para(self, ln: _Line) -> None:
        t = ln.raw.strip()
        if t:
            self.doc.blocks.append(Paragraph(t, Where(line=ln.no)))

    # -- tab layouts ------------------------------------------------------------------------
    def _tab_region(self, start: int) -> int:
        lines, n = self.lines, len(self.lines)
        i = start
        region: list[_Line] = []
        while i < n:
            ln = lines[i]
            if "\t" in ln.raw:
                region.append(ln)
            elif ln.blank:
                region.append(ln)
            elif region and not region[-1].blank:
                # a line without a tab right after a cell: the cell's text continues
                if _HEADING.match(ln.raw) and len(ln.raw.strip()) > 8:
                    break
                region.append(ln)
            else:
                break
            i += 1
        while region and region[-1].blank:
            region.pop()
            i -= 1
        single = multi = 0
        for ln in region:
            raw = ln.raw
            if raw.startswith("\t") and raw.find("\t", 1) == -1:
                single += 1
            elif "\t" in raw:
                multi += 1
        if single >= multi:
            self._tab_cells(region)
        else:
            self._tab_rows(region)
        return i

    def _tab_cells(self, region: list[_Line]) -> None:
        rows: list[list[Cell]] = []
        row: list[Cell] = []
        for ln in region:
            if ln.blank:
                if row:
                    rows.append(row)
                    row = []
                continue
            raw = ln.raw
            if raw[0] == "\t" and raw.find("\t", 1) == -1:          # the common case: one cell
                row.append(Cell(raw[1:].strip(), 0, 0, 1, 1, Where(ln.no)))
            elif "\t" in raw:
                w = Where(ln.no)
                for part in raw.split("\t")[1:] if raw[0] == "\t" else raw.split("\t"):
                    row.append(Cell(part.strip(), 0, 0, 1, 1, w))
            elif row:
                last = row[-1]
                last.text = (last.text + "\n" + raw.strip()).strip("\n")
            else:
                self._para(ln)
        if row:
            rows.append(row)
        self._add_table(rows)

    def _tab_rows(self, region: list[_Line]) -> None:
        rows: list[list[Cell]] = []
        for ln in region:
            if ln.blank:
                continue
            if "\t" not in ln.raw and rows:
                last = rows[-1][-1]
                last.text = (last.text + "\n" + ln.raw.strip()).strip("\n")
                continue
            parts = ln.raw.split("\t")
            while len(parts) > 1 and not parts[-1].strip():
                parts.pop()
            rows.append([Cell(p.strip(), 0, 0, where=Where(line=ln.no)) for p in parts])
        self._add_table(rows)

    # -- pipes ------------------------------------------------------------------------------
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
        lines, n = self.lines, len(self.lines)
        i = start
        region: list[tuple[_Line, list[str] | None]] = []
        while i < n:
            ln = lines[i]
            cells = self._pipe_cells(ln.raw)
            if cells is not None:
                region.append((ln, cells))
            elif ln.blank:
                pass
            elif (region and region[-1][1] == [] and len(ln.raw.strip()) < 80) or (
                    i + 1 < n and lines[i + 1].raw.strip().startswith("|") and len(ln.raw.strip()) < 80
                    and region):
                # a cell whose text runs onto the next line, before its closing pipe
                region.append((ln, None))
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
            for ln, cells in region:
                if cells == []:
                    rows.append([])
                    continue
                if not rows:
                    rows.append([])
                if cells is None:
                    carry.append(ln.raw.strip())
                    carry_line = carry_line or ln.no
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                for t in cells:
                    rows[-1].append(cell(t, carry_line or ln.no))
                carry_line = None
            self._add_table(rows)
        elif multi >= singles:
            for ln, cells in region:
                if cells is None:
                    carry.append(ln.raw.strip())
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                rows.append([cell(t, ln.no) for t in cells])
            self._add_table(rows)
        else:
            flat: list[Cell] = []
            for ln, cells in region:
                if cells is None:
                    carry.append(ln.raw.strip())
                    continue
                if carry:
                    cells = ["\n".join(carry + [cells[0]]).strip()] + cells[1:]
                    carry = []
                flat.extend(cell(t, ln.no) for t in cells)
            self._add_table([[c] for c in flat], linear=True)
        return i

    # -- plain lines: paragraphs, or blank-separated cells ------------------------------------
    def _plain(self, lines: list[_Line]) -> None:
        if not lines:
            return
        # chunks: runs of consecutive non-blank lines, with the number of blank lines before each
        chunks: list[tuple[int, list[_Line]]] = []
        blanks = 0
        for ln in lines:
            if ln.blank:
                blanks += 1
                continue
            if blanks == 0 and chunks:
                chunks[-1][1].append(ln)
            else:
                chunks.append((blanks, [ln]))
            blanks = 0
        trailing_blanks = blanks
        i = 0
        while i < len(chunks):
            j = i
            while j < len(chunks) and self._cell_like(chunks[j][1]) and (j == i or chunks[j][0] >= 1):
                j += 1
            run = chunks[i:j]
            values = sum(1 for _, ls in run if len(ls) == 1 and _VALUE.match(ls[0].raw))
            if j - i >= 4 and values >= 2:
                rows: list[list[Cell]] = []
                for k, (nb, ls) in enumerate(run):
                    if k > 0:
                        for _ in range(nb - 1):
                            rows.append([Cell("", 0, 0, where=Where(line=ls[0].no - 1))])
                    rows.append([Cell("\n".join(x.raw.strip() for x in ls), 0, 0,
                                      where=Where(line=ls[0].no))])
                if j == len(chunks) and trailing_blanks > 1:
                    last = run[-1][1][-1].no
                    for k in range(trailing_blanks - 1):
                        rows.append([Cell("", 0, 0, where=Where(line=last + 2 + k))])
                self._add_table(rows, linear=True)
                i = j
            else:
                for ln in chunks[i][1]:
                    self._para(ln)
                i += 1

    @staticmethod
    def _cell_like(ls: list[_Line]) -> bool:
        if len(ls) > 3:
            return False
        text = "".join(x.raw.strip() for x in ls)
        if _VALUE.match(text):
            return True
        return len(text) <= 60 and not text.endswith(_SENTENCE_END)
