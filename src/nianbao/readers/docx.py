"""DOCX reader: a Word (.docx) report → `Document`.

The file is opened with python-docx; the body XML is then walked directly with lxml (python-docx's
per-cell proxy objects are far too slow for batches).

Body content in order:

* ``w:p`` → `Paragraph` blocks. Text is every ``w:t`` in the paragraph, including hyperlinks,
  insertions (``w:ins``), content controls (``w:sdt``), smart tags, custom XML and field results;
  deleted text (``w:del``, ``w:moveFrom``) and the ``mc:Fallback`` copy of drawings are skipped.
  ``w:tab`` / ``w:ptab`` → "\\t"; ``w:br`` / ``w:cr`` (and a paragraph nested in a text box)
  split the paragraph into several `Paragraph` blocks, like ``<br>`` in HTML. Each line is
  stripped; empty lines are dropped; inner whitespace is kept as written.
  ``Where.line`` is the 1-BASED NUMBER OF THE PARAGRAPH IN THE BODY: every body-level ``w:p``
  counts (empty ones too, and those inside body-level content controls and single-cell frame
  tables), paragraphs inside table cells do not. Lines split from one paragraph share its number.
* ``w:tbl`` → `Table`. ``w:gridSpan`` and the legacy ``w:hMerge`` merge horizontally; a
  ``w:vMerge`` continue cell belongs to the cell above it in the same grid column (when the two
  cover the same columns); ``w:gridBefore`` / ``w:gridAfter`` leave None at their positions. The
  width comes from ``w:tblGrid`` (widened if rows need more). Cell text is the cell's paragraphs
  joined with "\\n" (empty lines dropped); a table nested in a cell is appended to the cell's
  text, one line per row, its cells separated by a space. Rows with no cells are skipped; a
  table whose cells are all empty is not emitted. A table with a single cell is a frame around
  content: its content is read as body content (paragraphs and tables). Consecutive Word tables
  are NOT merged (a report's table is often split by a page break): each is its own `Table`.
* ``w:sdt`` / ``w:customXml`` at body level → their content is walked.
* ``w:altChunk`` (an embedded document; web systems generate .docx files this way): an HTML
  chunk is read with the HTML reader and its blocks are spliced in (its paragraphs get the
  number of the last body paragraph before it; its tables continue the table count); any
  other kind is reported as a `Problem` ("docx-altchunk").
"""
from __future__ import annotations

import io
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError

W_P = qn("w:p")
W_TBL = qn("w:tbl")
W_TR = qn("w:tr")
W_TC = qn("w:tc")
W_T = qn("w:t")
W_TAB = qn("w:tab")
W_PTAB = qn("w:ptab")
W_BR = qn("w:br")
W_CR = qn("w:cr")
W_NBH = qn("w:noBreakHyphen")
W_DEL = qn("w:del")
W_MOVEFROM = qn("w:moveFrom")
W_SDT = qn("w:sdt")
W_SDTCONTENT = qn("w:sdtContent")
W_CUSTOMXML = qn("w:customXml")
W_SMARTTAG = qn("w:smartTag")
W_ALTCHUNK = qn("w:altChunk")
W_TBLGRID = qn("w:tblGrid")
W_GRIDCOL = qn("w:gridCol")
W_TRPR = qn("w:trPr")
W_TCPR = qn("w:tcPr")
W_GRIDSPAN = qn("w:gridSpan")
W_VMERGE = qn("w:vMerge")
W_HMERGE = qn("w:hMerge")
W_GRIDBEFORE = qn("w:gridBefore")
W_GRIDAFTER = qn("w:gridAfter")
W_VAL = qn("w:val")
R_ID = qn("r:id")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_TEXT_TAGS = (W_T, W_TAB, W_PTAB, W_BR, W_CR, W_NBH, W_P, W_DEL, W_MOVEFROM, MC_FALLBACK)
_WRAPPERS = frozenset({W_SDT, W_SDTCONTENT, W_CUSTOMXML, W_SMARTTAG})
_MAX_SPAN = 1000

_DAMAGED_ZH = "Word 文档已损坏或不完整（可能下载中断），无法打开；请重新导出或下载。"
_DAMAGED_EN = ("the Word document is damaged or incomplete (the download may have been cut off) and "
               "cannot be opened; export or download it again.")


def _p_text(p) -> str:
    """All visible text of a paragraph; "\\n" where it breaks."""
    parts: list[str] = []
    skip: set | None = None
    first = True
    for el in p.iter(*_TEXT_TAGS):
        if first:          # p.iter yields p itself first
            first = False
            if el is p:
                continue
        if skip is not None and el in skip:
            continue
        tag = el.tag
        if tag == W_T:
            t = el.text
            if t:
                parts.append(t)
        elif tag == W_TAB or tag == W_PTAB:
            parts.append("\t")
        elif tag == W_BR or tag == W_CR:
            parts.append("\n")
        elif tag == W_NBH:
            parts.append("-")
        else:
            if tag == W_P:   # a paragraph in a text box: its own line(s)
                parts.append(f"\n{_p_text(el)}\n")
            # else deleted / moved-away text, drawing fallback: nothing inside counts
            if skip is None:
                skip = set()
            skip.update(el.iter(*_TEXT_TAGS))
    return "".join(parts)


def _lines(text: str) -> list[str]:
    if "\n" not in text:
        s = text.strip()
        return [s] if s else []
    return [s for s in (x.strip() for x in text.split("\n")) if s]


def _val(el, default: int = 1) -> int:
    v = el.get(W_VAL)
    if v is None:
        return default
    try:
        n = int(v)
    except ValueError:
        return default
    return max(0, min(n, _MAX_SPAN))


def _children(el):
    """Children of `el`, looking through content controls and custom-XML wrappers."""
    for ch in el.iterchildren():
        if ch.tag in _WRAPPERS:
            yield from _children(ch)
        else:
            yield ch


def _cell_text(tc) -> str:
    out: list[str] = []
    for el in _children(tc):
        tag = el.tag
        if tag == W_P:
            out.extend(_lines(_p_text(el)))
        elif tag == W_TBL:
            for tr in _children(el):
                if tr.tag != W_TR:
                    continue
                row = [t for t in (_cell_text(c) for c in _children(tr) if c.tag == W_TC) if t]
                if row:
                    out.append(" ".join(t.replace("\n", " ") for t in row))
    return "\n".join(out)


class _Reader:
    def __init__(self, part=None) -> None:
        self.part = part              # the main document part (to resolve altChunk relationships)
        self.blocks: list = []
        self.problems: list[Problem] = []
        self.n_par = 0
        self.n_tables = 0

    def body(self, parent) -> None:
        for el in parent.iterchildren():
            tag = el.tag
            if tag == W_P:
                self.n_par += 1
                text = _p_text(el)
                if text:
                    for s in _lines(text):
                        self.blocks.append(Paragraph(s, Where(line=self.n_par)))
            elif tag == W_TBL:
                self.table(el)
            elif tag in _WRAPPERS:
                self.body(el)
            elif tag == W_ALTCHUNK:
                self.alt_chunk(el)

    def alt_chunk(self, el) -> None:
        """An embedded HTML document (web systems generate .docx this way): read it as HTML."""
        part = None
        if self.part is not None:
            try:
                part = self.part.related_parts[el.get(R_ID)]
            except (KeyError, AttributeError):
                part = None
        if part is not None and part.content_type in ("text/html", "application/xhtml+xml"):
            from . import html as html_reader
            try:
                sub = html_reader.read(part.blob, Source(path="altChunk", sha256="", kind="html"))
            except ReadError:
                return
            here = Where(line=self.n_par)
            for b in sub.blocks:
                if isinstance(b, Table):
                    i = self.n_tables
                    b.index = i
                    b.where = Where(table=i)
                    seen = set()
                    for row in b.rows:
                        for cell in row:
                            if cell is not None and id(cell) not in seen:
                                seen.add(id(cell))
                                cell.where = Where(table=i, row=cell.row, col=cell.col)
                    self.n_tables += 1
                else:
                    b.where = here
                self.blocks.append(b)
            return
        kind = part.content_type if part is not None else "?"
        self.problems.append(Problem(
            "docx-altchunk",
            f"文档中嵌入了另一份文档（altChunk，{kind}），其内容无法读取；请在 Word 中另存为 .docx 后再读取。",
            f"the document embeds another document (altChunk, {kind}) whose content cannot be read; "
            "re-save it as .docx in Word and try again.",
            Where(line=self.n_par)))

    def table(self, tbl) -> None:
        n_grid = 0
        trs = []
        for el in _children(tbl):
            tag = el.tag
            if tag == W_TR:
                tcs = [c for c in _children(el) if c.tag == W_TC]
                if tcs:
                    trs.append((el, tcs))
            elif tag == W_TBLGRID:
                n_grid = sum(1 for g in el.iterchildren(W_GRIDCOL))
        if not trs:
            return
        if len(trs) == 1 and len(trs[0][1]) == 1:
            # a one-cell table is a frame around content: read its content as body content
            self.body_of_cell(trs[0][1][0])
            return
        index = self.n_tables
        grid: list[list[Cell | None]] = []
        any_text = False
        for r, (tr, tcs) in enumerate(trs):
            line: list[Cell | None] = []
            before = after = 0
            trpr = tr.find(W_TRPR)
            if trpr is not None:
                g = trpr.find(W_GRIDBEFORE)
                if g is not None:
                    before = _val(g, 0)
                g = trpr.find(W_GRIDAFTER)
                if g is not None:
                    after = _val(g, 0)
            line.extend([None] * before)
            above = grid[r - 1] if r else None
            for tc in tcs:
                c = len(line)
                span = 1
                vmerge = hmerge = None
                tcpr = tc.find(W_TCPR)
                if tcpr is not None:
                    for p in tcpr.iterchildren(W_GRIDSPAN, W_VMERGE, W_HMERGE):
                        if p.tag == W_GRIDSPAN:
                            span = _val(p) or 1
                        elif p.tag == W_VMERGE:
                            vmerge = p.get(W_VAL) or "continue"
                        else:
                            hmerge = p.get(W_VAL) or "continue"
                text = _cell_text(tc)
                if vmerge == "continue" and above is not None and c < len(above):
                    up = above[c]
                    if up is not None and up.col == c and up.colspan == span and up.row + up.rowspan == r:
                        up.rowspan += 1
                        if text:
                            up.text = f"{up.text}\n{text}" if up.text else text
                        line.extend([up] * span)
                        continue
                if hmerge == "continue" and c > 0:
                    left = line[c - 1]
                    if left is not None and left.row == r and left.rowspan == 1:
                        left.colspan += span
                        if text:
                            left.text = f"{left.text}\n{text}" if left.text else text
                        line.extend([left] * span)
                        continue
                if text:
                    any_text = True
                cell = Cell(text, r, c, 1, span, Where(table=index, row=r, col=c))
                line.extend([cell] * span)
            line.extend([None] * after)
            grid.append(line)
        if not any_text:
            return
        width = max(n_grid, max(len(x) for x in grid))
        for line in grid:
            if len(line) < width:
                line.extend([None] * (width - len(line)))
        self.blocks.append(Table(grid, index, Where(table=index)))
        self.n_tables += 1

    def body_of_cell(self, tc) -> None:
        for el in _children(tc):
            if el.tag == W_P:
                self.n_par += 1
                text = _p_text(el)
                if text:
                    for s in _lines(text):
                        self.blocks.append(Paragraph(s, Where(line=self.n_par)))
            elif el.tag == W_TBL:
                self.table(el)


def _damaged(zh: str = _DAMAGED_ZH, en: str = _DAMAGED_EN) -> ReadError:
    return ReadError("docx-damaged", zh, en)


def read(data: bytes, source: Source) -> Document:
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except ValueError as e:
        if "not a Word file" in str(e):
            raise _damaged("这个文件不是普通的 Word 文档（.docx）：可能是 Excel、PowerPoint、模板或启用宏的 "
                           "Word 文件改了扩展名，无法读取；请在 Word 或 WPS 中另存为 .docx 后再读取。",
                           "this file is not a plain Word document (.docx): it may be an Excel, PowerPoint, "
                           "template or macro-enabled Word file renamed to .docx; save it as .docx in Word "
                           "or WPS and try again.") from None
        raise _damaged() from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, etree.XMLSyntaxError,
            PackageNotFoundError, EOFError, zlib.error, OSError, NotImplementedError,
            AttributeError, TypeError, IndexError, RuntimeError) as e:
        if isinstance(e, RecursionError):
            raise
        raise _damaged() from None
    if body is None:
        raise _damaged()
    r = _Reader(getattr(document, "part", None))
    r.body(body)
    if not r.blocks:
        raise ReadError("no-text", "Word 文档中没有可读取的文字（可能是空白文档，或正文是图片/扫描件）；"
                        "请提供含文字的版本。",
                        "the Word document has no readable text (it is blank, or the content is "
                        "images or scans); provide a version with text.")
    return Document(source, r.blocks, r.problems)
