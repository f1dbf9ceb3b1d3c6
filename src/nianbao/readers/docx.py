"""DOCX reader: a Word (.docx) report → `Document`.

The package is opened directly (zipfile + lxml; python-docx parses every part and is five times
slower): ``[Content_Types].xml`` and ``_rels/.rels`` name the main part, which must have the
WordprocessingML document content type (a macro-enabled, template, Excel or PowerPoint package is
refused with a "save as .docx" message). Strict OOXML packages (``http://purl.oclc.org/ooxml/…``
namespaces) are read like transitional ones. XML is parsed without entity resolution or network
access; a part larger than 256 MB unpacked is refused as damaged.

Body content in order:

* ``w:p`` → `Paragraph` blocks. Text is every ``w:t`` in the paragraph, including hyperlinks,
  insertions (``w:ins``), content controls (``w:sdt``), smart tags, custom XML and field results;
  deleted text (``w:del``, ``w:moveFrom``), field instructions (``w:instrText``), the
  ``mc:Fallback`` copy of drawings and content controls still showing their placeholder prompt
  (``w:showingPlcHdr``, also at row and cell level) are skipped.
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
  joined with "\\n" (empty lines dropped); a one-line table nested in a cell is appended to the
  cell's text, its cells separated by a space. Rows with no cells and rows deleted with tracked
  changes (``w:trPr/w:del``) are skipped; a table whose cells are all empty is not emitted. A
  table with a single cell is a frame around content, and a table with a cell holding a nested
  grid (two or more rows of two or more cells) is a layout table: their cells' content is read
  as body content (paragraphs and tables, in order). Consecutive Word tables
  are NOT merged (a report's table is often split by a page break): each is its own `Table`.
* ``w:sdt`` / ``w:customXml`` at body level → their content is walked.
* ``w:altChunk`` (an embedded document; web systems generate .docx files this way): an HTML
  chunk is read with the HTML reader and its blocks are spliced in (its paragraphs get the
  number of the last body paragraph before it; its tables continue the table count); any
  other kind is reported as a `Problem` ("docx-altchunk").

Pictures (``w:drawing`` ``a:blip``, VML ``v:imagedata`` of ``w:pict``/``w:object``; not the Fallback
copies) are noted where they stand. When a statistics table (表二/表三/表四) is in no text table and OCR
is on (readers/ocr), the pictures (``word/media/…``) are read by OCR and what holds a table is put where
the picture stood (readers/ocr/picture.py: provenance `image` + `bbox`, the OCR trust rules; the
resolution from the picture's drawn width). Otherwise, with fewer than three tables or a statistics
table missing, and some pictures or embedded objects (text boxes do not count), a `Problem`
"tables-as-images" says the tables are pictures that need OCR (naming how to get it) or the original
(a warning with no table at all or a statistics table missing, a hint otherwise).
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from .. import limits
from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError

_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def qn(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


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
W_SDTPR = qn("w:sdtPr")
W_PLACEHOLDER = qn("w:showingPlcHdr")
W_DRAWING = qn("w:drawing")
W_PICT = qn("w:pict")
W_OBJECT = qn("w:object")
W_TXBX = qn("w:txbxContent")
W_BODY = qn("w:body")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
R_EMBED = qn("r:embed")
WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
EMU_PER_INCH = 914400

_TEXT_TAGS = (W_T, W_TAB, W_PTAB, W_BR, W_CR, W_NBH, W_P, W_DEL, W_MOVEFROM, MC_FALLBACK, W_SDT)
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
        elif tag == W_SDT and not _placeholder(el):
            continue      # an inline content control: its runs count
        else:
            if tag == W_P:   # a paragraph in a text box: its own line(s)
                parts.append(f"\n{_p_text(el)}\n")
            # else deleted / moved-away text, drawing fallback, a content control showing its
            # placeholder prompt (单击或点击此处输入文字): nothing inside counts
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


def _placeholder(sdt) -> bool:
    """A content control that shows its placeholder prompt, not content."""
    pr = sdt.find(W_SDTPR)
    return pr is not None and pr.find(W_PLACEHOLDER) is not None


def _children(el):
    """Children of `el`, looking through content controls and custom-XML wrappers."""
    for ch in el.iterchildren():
        if ch.tag in _WRAPPERS:
            if ch.tag == W_SDT and _placeholder(ch):
                continue
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


def _is_grid(tbl) -> bool:
    """A table with at least two rows of at least two cells (not a one-line box)."""
    if tbl is None:
        return False
    n = 0
    for tr in tbl.iterchildren(W_TR):
        if len(tr.findall(W_TC)) >= 2:
            n += 1
            if n == 2:
                return True
    return False


def _images(body) -> int:
    """Pictures and embedded objects (an Excel table pasted as an object prints as a picture);
    text boxes do not count."""
    n = 0
    for el in body.iter(W_DRAWING, W_PICT, W_OBJECT):
        if (el.tag == W_OBJECT or next(el.iter(W_TXBX), None) is None) \
                and next(el.iterancestors(MC_FALLBACK), None) is None:   # not the Fallback copy
            n += 1
    return n


def _pictures(el) -> list[tuple[str, float | None]]:
    """(relationship id, drawn width in inches or None) of the pictures in an element, in order."""
    out: list[tuple[str, float | None]] = []
    for d in el.iter(W_DRAWING, W_PICT, W_OBJECT):
        if next(d.iterancestors(MC_FALLBACK), None) is not None or \
                (d.tag != W_DRAWING and next(d.iterancestors(W_OBJECT, W_PICT), None) is not None):
            continue
        if d.tag == W_DRAWING:
            ext = next(d.iter(WP_EXTENT), None)
            cx = ext.get("cx") if ext is not None else None
            width = int(cx) / EMU_PER_INCH if cx and cx.isdigit() and int(cx) > 0 else None
            rid = next((b.get(R_EMBED) for b in d.iter(A_BLIP) if b.get(R_EMBED)), None)
        else:
            im = next(d.iter(V_IMAGEDATA), None)
            rid = im.get(R_ID) if im is not None else None
            width = _vml_width(im.getparent().get("style") or "") if im is not None else None
        if rid:
            out.append((rid, width))
    return out


_UNIT_INCH = {"pt": 1 / 72, "in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "px": 1 / 96}


def _vml_width(style: str) -> float | None:
    for part in style.split(";"):
        k, _, v = part.partition(":")
        if k.strip().lower() == "width":
            v = v.strip().lower()
            for unit, f in _UNIT_INCH.items():
                if v.endswith(unit):
                    try:
                        return float(v[:-len(unit)]) * f or None
                    except ValueError:
                        return None
    return None


def pictures_wanted(missing: list[str], n_tables: int) -> bool:
    """OCR the pictures: a statistics table is in no text table, and either some are in text or there
    are fewer than three text tables (three text tables none of which is a statistics table are some
    other layout, not tables pasted as pictures)."""
    return bool(missing) and (n_tables < 3 or len(missing) < 3)


def images_problem(n_images: int, n_tables: int, page: bool = False, missing: list[str] | None = None,
                   ocr_ran: bool = False) -> Problem | None:
    """The statistics tables given as pictures: say so, and what to do (shared with the HTML reader).

    `missing`: statistics tables in no text table (readers/ocr/picture.missing_tables). Some of them in
    text and others not, or no text table at all: a warning naming the missing ones and how to read
    pictures (OCR) or the original; else fewer than three text tables: a hint (info). `ocr_ran`: the
    pictures were read by OCR (pictures_wanted) and still hold no such table: a warning."""
    if not n_images:
        return None
    named = bool(missing) and (n_tables == 0 or len(missing) < 3)
    if not named and not (ocr_ran and missing and n_tables < 3) and n_tables >= 3:
        return None
    what, pics = ("网页", "张图片") if page else ("文档", "张图片（或嵌入对象）")
    what_en, pics_en = ("page", "picture(s)") if page else ("document", "picture(s) or embedded object(s)")
    if missing and (named or ocr_ran):
        from .ocr import hint
        names = "、".join(_TABLE_NAMES[k] for k in missing)
        if ocr_ran:
            return Problem(
                "tables-as-images",
                f"{what}中的文字表格里没有{names}，另有 {n_images} {pics}，OCR未能从中识别出这些表格；请提供原件或文字版。",
                f"the {what_en}'s text tables lack {', '.join(missing)}; it has {n_images} {pics_en}, in which OCR "
                "found no such table; provide the original or a text version.", None, "warning")
        zh, en = hint()
        return Problem(
            "tables-as-images",
            f"{what}中的文字表格里没有{names}，另有 {n_images} {pics}：表格为图片，需要OCR或另找文字版；请{zh}，或提供原件。",
            f"the {what_en}'s text tables lack {', '.join(missing)}; it has {n_images} {pics_en}: the tables are "
            f"images; they need OCR, or find a text version; {en}, or provide the original.", None, "warning")
    if n_tables == 0:
        return Problem(
            "tables-as-images",
            f"{what}中没有文字表格，只有 {n_images} {pics}：表格为图片，需要OCR或另找文字版。",
            f"the {what_en} has no text tables, only {n_images} {pics_en}: the tables are images; "
            "they need OCR, or find a text version.", None, "warning")
    return Problem(
        "tables-as-images",
        f"{what}中只有 {n_tables} 个文字表格，另有 {n_images} {pics}：部分表格可能为图片，需要OCR或另找文字版。",
        f"the {what_en} has only {n_tables} text table(s) and {n_images} {pics_en}: some tables may be "
        "images; they need OCR, or find a text version.", None, "info")


_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


class _Reader:
    def __init__(self, pkg: "_Package | None" = None) -> None:
        self.pkg = pkg                # the package (to resolve altChunk relationships)
        self.blocks: list = []
        self.problems: list[Problem] = []
        self.n_par = 0
        self.n_tables = 0
        self.pics: list[tuple[int, str, float | None, int]] = []   # (blocks index, rId, width in, paragraph)
        self.ocr_record: dict = {}      # cells OCR read (from an altChunk's pictures, then the document's)

    def note_pictures(self, el) -> None:
        if el.find(".//" + W_DRAWING) is None and el.find(".//" + W_PICT) is None and \
                el.find(".//" + W_OBJECT) is None:
            return
        for rid, width in _pictures(el):
            self.pics.append((len(self.blocks), rid, width, self.n_par))

    def body(self, parent) -> None:
        for el in parent.iterchildren():
            tag = el.tag
            if tag == W_P:
                self.n_par += 1
                text = _p_text(el)
                if text:
                    for s in _lines(text):
                        self.blocks.append(Paragraph(s, Where(line=self.n_par)))
                self.note_pictures(el)
            elif tag == W_TBL:
                limits.check_time()
                self.table(el)
            elif tag in _WRAPPERS:
                self.body(el)
            elif tag == W_ALTCHUNK:
                self.alt_chunk(el)

    def alt_chunk(self, el) -> None:
        """An embedded HTML document (web systems generate .docx this way): read it as HTML."""
        part = self.pkg.related(el.get(R_ID)) if self.pkg is not None else None
        if part is not None and part[0] in ("text/html", "application/xhtml+xml"):
            from . import html as html_reader
            try:
                sub = html_reader.read(part[1], Source(path="altChunk", sha256="", kind="html"))
            except ReadError:
                return
            here = Where(line=self.n_par)
            if sub.ocr:                  # tables OCR read from the chunk's pictures: their trust record
                self.ocr_record.update(sub.ocr)
            for b in sub.blocks:
                if isinstance(b, Table):
                    i = self.n_tables
                    b.index = i
                    b.where = Where(table=i, image=b.where.image, bbox=b.where.bbox)
                    seen = set()
                    for row in b.rows:
                        for cell in row:
                            if cell is not None and id(cell) not in seen:
                                seen.add(id(cell))
                                w = cell.where
                                # a cell OCR read keeps its picture, box and confidence (the trust rules
                                # find it by them)
                                cell.where = Where(table=i, row=cell.row, col=cell.col, image=w.image,
                                                   bbox=w.bbox if w.image else None, conf=w.conf)
                    self.n_tables += 1
                else:
                    b.where = here
                self.blocks.append(b)
            return
        kind = (part[0] or "?") if part is not None else "?"
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
                trpr = el.find(W_TRPR)
                if trpr is not None and trpr.find(W_DEL) is not None:
                    continue      # a row deleted with tracked changes on
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
        if any(_is_grid(tc.find(W_TBL)) for _, tcs in trs for tc in tcs):
            # a layout table around a real table (a caption row above the report's 表三, a label
            # column beside it): every cell's content is body content, the inner table a table
            for _, tcs in trs:
                for tc in tcs:
                    self.body_of_cell(tc)
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
            self.note_pictures(tbl)          # a grid of pictures (a table pasted in pieces)
            return
        width = max(n_grid, max(len(x) for x in grid))
        for line in grid:
            if len(line) < width:
                line.extend([None] * (width - len(line)))
        self.blocks.append(Table(grid, index, Where(table=index)))
        self.n_tables += 1
        self.note_pictures(tbl)              # pictures inside the table's cells: after it

    def body_of_cell(self, tc) -> None:
        for el in _children(tc):
            if el.tag == W_P:
                self.n_par += 1
                text = _p_text(el)
                if text:
                    for s in _lines(text):
                        self.blocks.append(Paragraph(s, Where(line=self.n_par)))
                self.note_pictures(el)
            elif el.tag == W_TBL:
                self.table(el)


def _damaged(zh: str = _DAMAGED_ZH, en: str = _DAMAGED_EN) -> ReadError:
    return ReadError("docx-damaged", zh, en)


# --------------------------------------------------------------------------------------------
# the package (read directly: python-docx parses every part, five times slower than we need)

_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_RT_OFFICE_DOCUMENT = "/officeDocument"
# Strict OOXML (Word: "Strict Open XML 文档") names the same vocabulary with other namespaces
_STRICT = tuple((a.encode(), b.encode()) for a, b in (
    ("http://purl.oclc.org/ooxml/wordprocessingml/main",
     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("http://purl.oclc.org/ooxml/officeDocument/relationships",
     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("http://purl.oclc.org/ooxml/drawingml/main", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("http://purl.oclc.org/ooxml/officeDocument/math",
     "http://schemas.openxmlformats.org/officeDocument/2006/math"),
))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_NOT_WORD_ZH = ("这个文件不是普通的 Word 文档（.docx）：可能是 Excel、PowerPoint、模板或启用宏的 Word 文件改了扩展名，"
                "无法读取；请在 Word 或 WPS 中另存为 .docx 后再读取。")
_NOT_WORD_EN = ("this file is not a plain Word document (.docx): it may be an Excel, PowerPoint, template or "
                "macro-enabled Word file renamed to .docx; save it as .docx in Word or WPS and try again.")


class _Package:
    """The parts of an OPC package that the reader needs: the main document and its relationships."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.unpacked = 0               # XML bytes unpacked so far (limits.MAX_XML_BYTES in total)
        self.names = {n.lower(): n for n in self.zip.namelist()}
        types = self.xml("[Content_Types].xml")
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for el in types:
            tag = el.tag
            if tag.__class__ is not str:
                continue
            if tag.endswith("}Default") and el.get("Extension"):
                self.defaults[el.get("Extension").lower()] = el.get("ContentType") or ""
            elif tag.endswith("}Override") and el.get("PartName"):
                self.overrides[el.get("PartName").lower()] = el.get("ContentType") or ""
        main = next((t for t, typ, ext in self.rels("/").values()
                     if typ.endswith(_RT_OFFICE_DOCUMENT) and not ext), None)
        if main is None:
            raise _damaged()
        kind = self.content_type(main)
        if kind != _CT_MAIN:
            if kind:
                raise _damaged(_NOT_WORD_ZH, _NOT_WORD_EN)
            raise _damaged()
        self.main = main
        self._main_rels: dict | None = None

    def blob(self, partname: str) -> bytes:
        name = self.names.get(partname.lstrip("/").lower())
        if name is None:
            raise KeyError(partname)
        info = self.zip.getinfo(name)
        self._budget(info.file_size, info.compress_size, partname)
        with self.zip.open(info) as fh:          # never trust the header: read at most the budget
            data = fh.read(limits.MAX_XML_BYTES - self.unpacked + 1)
        self._budget(len(data), info.compress_size, partname)
        self.unpacked += len(data)
        return data

    def _budget(self, size: int, packed: int, partname: str) -> None:
        """Refuse a part before it is unpacked or parsed: over the total, or a zip bomb's ratio."""
        if size > limits.MB and size > limits.MAX_XML_RATIO * max(packed, 1):
            raise limits.too_complex(
                f"Word 文档中的 {partname.lstrip('/')} 压缩比异常（{size // max(packed, 1)} 倍，上限 "
                f"{limits.MAX_XML_RATIO} 倍），疑似“压缩炸弹”",
                f"{partname.lstrip('/')} in the Word document has an abnormal compression ratio "
                f"({size // max(packed, 1)}×, limit {limits.MAX_XML_RATIO}×): a zip bomb")
        if self.unpacked + size > limits.MAX_XML_BYTES:
            raise limits.too_complex(
                f"Word 文档的内容（XML）解压后超过 {limits.MAX_XML_BYTES // limits.MB} MB 的上限",
                f"the Word document's XML unpacks to more than {limits.MAX_XML_BYTES // limits.MB} MB")

    def xml(self, partname: str):
        data = self.blob(partname)
        if b"purl.oclc.org/ooxml/" in data:
            for a, b in _STRICT:
                data = data.replace(a, b)
        return etree.fromstring(data, _PARSER)

    def content_type(self, partname: str) -> str | None:
        ct = self.overrides.get(partname.lower())
        if ct is None:
            ct = self.defaults.get(posixpath.splitext(partname)[1][1:].lower())
        return ct

    def rels(self, partname: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id → (target part name, type, external) of a part ("/" = the package)."""
        base, name = posixpath.split(partname)
        try:
            root = self.xml(posixpath.join(base, "_rels", f"{name}.rels"))
        except KeyError:
            return {}
        out = {}
        for el in root:
            target = el.get("Target")
            if not target:
                continue
            external = (el.get("TargetMode") or "").lower() == "external"
            if not external:
                target = posixpath.normpath(target if target.startswith("/") else posixpath.join(base or "/", target))
            out[el.get("Id") or ""] = (target, el.get("Type") or "", external)
        return out

    def media(self, rid: str) -> tuple[str, object, tuple[str, str] | None]:
        """A picture of the main part: (its part name, a loader of its bytes or None, why not)."""
        if self._main_rels is None:
            self._main_rels = self.rels(self.main)
        rel = self._main_rels.get(rid)
        if rel is None:
            return rid, None, ("文档中的一张图片缺失（关系不存在），无法识别；请提供原件。",
                               "a picture of the document is missing (no such relationship); provide the original.")
        target, _, external = rel
        if external:
            return target, None, (f"文档中的图片是外部链接（{target}），未随文档保存，无法识别；请提供含图片的原件。",
                                  f"a picture is an external link ({target}), not saved in the document; provide "
                                  "the original with its pictures.")
        name = self.names.get(target.lstrip("/").lower())
        if name is None:
            return target.lstrip("/"), None, (f"文档中的图片 {target.lstrip('/')} 缺失，无法识别；请提供原件。",
                                              f"the picture {target.lstrip('/')} is missing from the document; "
                                              "provide the original.")

        def load() -> bytes:
            info = self.zip.getinfo(name)
            if info.file_size > limits.MAX_BYTES["image"]:
                raise limits.too_large(info.file_size, "image", name)
            try:
                with self.zip.open(info) as fh:      # never trust the header: read at most the limit
                    data = fh.read(limits.MAX_BYTES["image"] + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
                raise ReadError("image-damaged", f"文档中的图片 {name} 已损坏，无法读取。",
                                f"the picture {name} in the document is damaged.") from None
            if len(data) > limits.MAX_BYTES["image"]:
                raise limits.too_large(len(data), "image", name)
            return data
        return name, load, None

    def related(self, rid: str | None) -> tuple[str | None, bytes] | None:
        """(content type, bytes) of the part a relationship of the main part points to, or None."""
        rel = self.rels(self.main).get(rid or "")
        if rel is None or rel[2]:
            return None
        try:
            return self.content_type(rel[0]), self.blob(rel[0])
        except KeyError:
            return None


def read(data: bytes, source: Source) -> Document:
    try:
        pkg = _Package(data)
        root = pkg.xml(pkg.main)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, etree.XMLSyntaxError, EOFError, zlib.error,
            OSError, NotImplementedError, RuntimeError, ValueError, TypeError, IndexError) as e:
        if isinstance(e, RecursionError):
            raise
        raise _damaged() from None
    body = root.find(W_BODY)
    if body is None:
        raise _damaged()
    r = _Reader(pkg)
    r.body(body)
    record = r.ocr_record
    from .ocr.picture import missing_tables
    missing = missing_tables(r.blocks) if r.pics else []
    ocr_ran = False
    if pictures_wanted(missing, r.n_tables):
        from . import ocr
        if ocr.enabled():
            from .ocr.picture import Pic, splice
            pics = []
            for at, rid, width, line in r.pics:
                name, load, why_not = pkg.media(rid)
                pics.append(Pic(name, load, at, Where(line=line), width, why_not))
            r.blocks, more_record, more = splice(r.blocks, pics)
            record.update(more_record)
            r.problems.extend(more)
            ocr_ran = True
            missing = missing_tables(r.blocks)
    if r.n_tables < 3 or pictures_wanted(missing, r.n_tables):
        p = images_problem(_images(body), sum(1 for b in r.blocks if b.__class__ is Table), missing=missing,
                           ocr_ran=ocr_ran)
        if p is not None:
            r.problems.append(p)
    if not r.blocks:
        raise ReadError("no-text", "Word 文档中没有可读取的文字（可能是空白文档，或正文是图片/扫描件）；"
                        "请提供含文字的版本。",
                        "the Word document has no readable text (it is blank, or the content is "
                        "images or scans); provide a version with text.")
    doc = Document(source, r.blocks, r.problems)
    doc.ocr = record or None
    return doc
