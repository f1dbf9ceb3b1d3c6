"""A report as a Word document (python-docx) in government document typography.

A4; title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 with a first-line indent of two
characters; section headings 黑体 三号; tables 宋体 (五号 for 表二, 小五 for the wide 表三/表四)
with borders on every cell and real merged cells (`cell.merge`). Chinese fonts are set as
east-Asian fonts (``w:eastAsia``); the document default east-Asian font is 宋体, and the font
table names 宋体 as the alternative of the fonts a machine may lack.

The tables come from `layout.table_layout`, the same layout the HTML and text writers draw.
The document ends with the 落款 (issuing body and date, right-aligned as GB/T 9704-2012 7.3.5.2 sets
them; see `signature.py`). The output is byte-for-byte deterministic for a given report and 落款 date
(fixed zip timestamps and document properties).
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import zipfile
from typing import IO, Union

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from .layout import (HEADING, LABEL, PARAGRAPH, TITLE, LCell, TableLayout, paragraphs, report_blocks,
                     report_sections, report_title)
from .signature import Signature, right_indents, signature

# Chinese type sizes.
ERHAO = Pt(22)      # 二号
SANHAO = Pt(16)     # 三号
WUHAO = Pt(10.5)    # 五号
XIAOWU = Pt(9)      # 小五

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_TABLE = "宋体"
FONT_FALLBACK = "宋体"
FONT_LATIN = "Times New Roman"

PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_W = PAGE_W - MARGINS["left"] - MARGINS["right"]

STYLE_TITLE = "报告标题"
STYLE_HEADING = "报告一级标题"
STYLE_BODY = "报告正文"
STYLE_TABLE = "报告表格文字"

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- fonts and styles
def _rfonts(rpr, east_asia: str, latin: str = FONT_LATIN):
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = OxmlElement("w:rFonts")
        rpr.insert(0, rf)
    for k in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rf.get(qn(k)) is not None:
            del rf.attrib[qn(k)]
    rf.set(qn("w:ascii"), latin)
    rf.set(qn("w:hAnsi"), latin)
    rf.set(qn("w:eastAsia"), east_asia)
    rf.set(qn("w:cs"), latin)
    rf.set(qn("w:hint"), "eastAsia")
    return rf


def _style(doc, name: str, east_asia: str, size, *, bold=False, align=None,
           first_line_chars: int | None = 2, line=None):
    from docx.enum.style import WD_STYLE_TYPE
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.quick_style = True
    st.font.size = size
    st.font.bold = bold
    _rfonts(st.element.get_or_add_rPr(), east_asia)
    pf = st.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = line
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if align is not None:
        pf.alignment = align
    if first_line_chars:
        pf.first_line_indent = Emu(int(size) * first_line_chars)
        ind = st.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    return st


def _doc_defaults(doc) -> None:
    """Document default east-Asian font 宋体; Normal is the body font."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _rfonts(rpr, FONT_FALLBACK)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = SANHAO
    _rfonts(normal.element.get_or_add_rPr(), FONT_BODY)


def _font_table(doc) -> None:
    """Declare the Chinese fonts in the font table with 宋体 as their alternative name."""
    part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
    if part is None:  # pragma: no cover - the default template has one
        return
    from lxml import etree
    root = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt, family in ((FONT_BODY, FONT_FALLBACK, "modern"), (FONT_TITLE, FONT_FALLBACK, "script"),
                              (FONT_HEADING, FONT_FALLBACK, "modern"), (FONT_TABLE, "SimSun", "auto")):
        if name in have:
            continue
        f = etree.SubElement(root, qn("w:font"))
        f.set(qn("w:name"), name)
        a = etree.SubElement(f, qn("w:altName"))
        a.set(qn("w:val"), alt)
        c = etree.SubElement(f, qn("w:charset"))
        c.set(qn("w:val"), "86")
        fam = etree.SubElement(f, qn("w:family"))
        fam.set(qn("w:val"), family)
        p = etree.SubElement(f, qn("w:pitch"))
        p.set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- tables
def _borders(tc) -> None:
    tcPr = tc.get_or_add_tcPr()
    b = tcPr.find(qn("w:tcBorders"))
    if b is None:
        b = OxmlElement("w:tcBorders")
        tcPr.append(b)
    for side in ("top", "left", "bottom", "right"):
        e = b.find(qn(f"w:{side}"))
        if e is None:
            e = OxmlElement(f"w:{side}")
            b.append(e)
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:space"), "0")
        e.set(qn("w:color"), "000000")


def _col_widths(t: TableLayout) -> list[int]:
    """Column widths (EMU) over the text width: label columns wider than value columns."""
    total = int(TEXT_W)
    n = t.n_cols
    if t.label_cols == 0:
        return [total // n] * n
    if t.label_cols == 1:
        first = total * 32 // 100
        return [first] + [(total - first) // (n - 1)] * (n - 1)
    share = (8, 12, 27)[: t.label_cols] if t.label_cols <= 3 else (10,) * t.label_cols
    labels = total * 47 // 100
    lw = [labels * s // sum(share) for s in share]
    rest = (total - sum(lw)) // (n - t.label_cols)
    return lw + [rest] * (n - t.label_cols)


def _table_size(t: TableLayout):
    return WUHAO if t.n_cols <= 5 else XIAOWU


def _write_table(doc, t: TableLayout) -> None:
    table = doc.add_table(rows=t.n_rows, cols=t.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _col_widths(t)
    for gc, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        gc.set(qn("w:w"), str(int(Emu(w).twips)))
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Emu(widths[i])
    # Merge first, then write: a merge concatenates the merged cells' paragraphs. The spans
    # are disjoint, so the corner cells looked up before any merge stay valid.
    n = t.n_cols
    before = table._cells
    pairs = [(before[lc.row * n + lc.col], before[(lc.row + lc.rowspan - 1) * n + lc.col + lc.colspan - 1])
             for lc in t.cells() if lc.rowspan > 1 or lc.colspan > 1]
    for a, b in pairs:
        a.merge(b)
    size = _table_size(t)
    after = table._cells
    for lc in t.cells():
        _cell_text(after[lc.row * n + lc.col], lc, size)
    for k, tr in enumerate(table._tbl.tr_lst):
        for tc in tr.tc_lst:
            _borders(tc)
            tc.get_or_add_tcPr()
        trPr = tr.get_or_add_trPr()
        if trPr.find(qn("w:cantSplit")) is None:
            trPr.append(OxmlElement("w:cantSplit"))
        if k < t.header_rows:                 # the header rows repeat at the top of the next page
            trPr.append(OxmlElement("w:tblHeader"))


def _page_numbers(sec) -> None:
    """公文 page numbers in the footer, centred: — 1 — (a PAGE field between two dashes)."""
    p = sec.footer.paragraphs[0] if sec.footer.paragraphs else sec.footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    p.add_run(" —")
    for run in p.runs:
        run.font.size = Pt(14)            # 四号


def _cell_text(cell, lc: LCell, size) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paras = cell.paragraphs
    for extra in paras[1:]:
        extra._p.getparent().remove(extra._p)
    p = paras[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.style = STYLE_TABLE
    # Row labels read left-aligned; headers, values and labels spanning rows are centred.
    left = lc.kind == LABEL and lc.rowspan == 1
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(lc.text)
    run.font.size = size


def _signature_block(doc, sig: Signature) -> None:
    """The 落款 below the text (GB/T 9704-2012 7.3.5.2): a blank line, the issuing body, the date."""
    doc.add_paragraph("", style=STYLE_BODY)
    org_right, date_right = right_indents(sig.org, sig.date_text)
    lines = ([(sig.org, org_right)] if sig.org else []) + [(sig.date_text, date_right)]
    for text, right in lines:
        p = doc.add_paragraph(text, style=STYLE_BODY)
        pf = p.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        pf.first_line_indent = Emu(0)
        pf.right_indent = Emu(int(SANHAO * right))
        ind = p._p.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:rightChars"), str(int(right * 100)))


def _without_printed_signature(report: dict, sig: Signature) -> dict:
    """The report without the 落款 lines its last section ends with (they are printed as the 落款 block)."""
    if not sig.drop:
        return report
    secs = [dict(s) for s in report_sections(report)]
    secs[-1]["text"] = "\n".join(paragraphs(secs[-1].get("text"))[:-sig.drop])
    return {**report, "sections": secs}


# ---------------------------------------------------------------- the document
def _build(report: dict, date: _dt.date | None = None):
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = PAGE_W, PAGE_H
    sec.top_margin, sec.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    sec.left_margin, sec.right_margin = MARGINS["left"], MARGINS["right"]
    _doc_defaults(doc)
    _font_table(doc)
    _style(doc, STYLE_TITLE, FONT_TITLE, ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=None)
    _style(doc, STYLE_HEADING, FONT_HEADING, SANHAO, line=Pt(28)).paragraph_format.keep_with_next = True
    _style(doc, STYLE_BODY, FONT_BODY, SANHAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=Pt(28))
    _style(doc, STYLE_TABLE, FONT_TABLE, WUHAO, first_line_chars=None)
    title_style = doc.styles[STYLE_TITLE]
    title_style.paragraph_format.space_after = Pt(16)

    _page_numbers(sec)
    title = report_title(report)
    secs = report_sections(report)
    sig = signature(report, paragraphs(secs[-1].get("text")) if secs else [], date)
    for kind, item in report_blocks(_without_printed_signature(report, sig)):
        if kind == TITLE:
            doc.add_paragraph(item, style=STYLE_TITLE)
        elif kind == HEADING:
            doc.add_paragraph(item, style=STYLE_HEADING)
        elif kind == PARAGRAPH:
            doc.add_paragraph(item, style=STYLE_BODY)
        else:
            _write_table(doc, item)
            doc.add_paragraph("", style=STYLE_BODY)
    _signature_block(doc, sig)

    # Deterministic properties.
    cp = doc.core_properties
    cp.title = title
    cp.author = report.get("org") or ""
    cp.last_modified_by = report.get("org") or ""
    cp.subject = "政府信息公开工作年度报告"
    cp.revision = 1
    year = report.get("year")
    when = _dt.datetime(int(year) + 1 if year else 2000, 1, 15, 9, 0, 0)
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    return doc


def _deterministic_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def to_docx_bytes(report: dict, date: _dt.date | None = None) -> bytes:
    """The .docx; `date` is the 落款 date (default: the report's own printed date, else today)."""
    buf = io.BytesIO()
    _build(report, date).save(buf)
    return _deterministic_zip(buf.getvalue())


def to_docx(report: dict, path_or_stream: Union[str, "os.PathLike[str]", IO[bytes]],
            date: _dt.date | None = None) -> None:
    """Write the report as a .docx to a path or a binary stream (`date`: the 落款 date, see to_docx_bytes)."""
    data = to_docx_bytes(report, date)
    if hasattr(path_or_stream, "write"):
        path_or_stream.write(data)  # type: ignore[union-attr]
    else:
        with open(path_or_stream, "wb") as fh:  # type: ignore[arg-type]
            fh.write(data)

