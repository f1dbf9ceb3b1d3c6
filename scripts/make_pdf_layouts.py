#!/usr/bin/env python3
"""Render the PDF layout fixtures: one report, the table layouts real Word/WPS exports produce.

Starts from `nianbao.render.docx.to_docx_bytes` on tests/fixtures/same_report/report.json (or
report2019.json; the ground truth: every variant must extract to exactly its tables), post-processes the DOCX XML and
converts it to PDF with LibreOffice headless, into tests/fixtures/pdf_layouts/:

  three_line.pdf       三线表: every table ruled only above the header, below the header and
                       below the last row (no vertical rules, no rules between body rows)
  no_vertical.pdf      every horizontal rule, no vertical rule
  no_rules.pdf         no rules at all: columns only aligned by the text positions
  split_row.pdf        表三 rows may break across pages ("允许跨页断行"), and a spacer before the
                       table puts the page break inside the three-line label of （六）1
  repeat_header.pdf    表三's three header rows repeat on the next page (Word "标题行重复"), the
                       table pushed down so that it runs over the page break
  header_footer.pdf    a running page header (the report title) and a footer "第 X 页 共 Y 页" on
                       every page; 表三 runs over the page break between them
  header_at_bottom.pdf 表三 starts at the very bottom of a page with only its header rows there
  landscape.pdf        landscape A4 pages
  three_line_split.pdf a 三线表 whose 表三 runs over a page break and whose rows may split
  three_line_2019.pdf  三线表 of the 2019-format report (report2019.json)
  no_rules_right.pdf   no rules, the numbers right-aligned in their cells
  frame.pdf            only the outer border of each table
  no_horizontal.pdf    vertical rules and the outer border, no rule between rows
  three_line_header_at_bottom.pdf  a 三线表 whose header alone ends a page
  split_row_repeat_header.pdf      split_row with 表三's header rows repeated on the next page
  no_vertical_blank_column.pdf     no vertical rules, 表三's 科研机构 blank in every row (and
                                   表三 over a page break), 规章's 本年废止件数 blank

The vertical spacer is measured, not guessed: the variant is converted once without it, the
position of the target row is read from that probe PDF, and the spacer height is computed so
the page break falls where wanted; the final PDF is then checked for the intended layout (the
script fails loudly if LibreOffice laid it out differently).

Idempotent: the DOCX is byte-for-byte deterministic (fixed zip timestamps) and a PDF is only
regenerated when its DOCX changed or it is missing (LibreOffice stamps dates into PDFs), or
with --force.

Usage:
  .venv/bin/python scripts/make_pdf_layouts.py [--force] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import docx  # noqa: E402
import pymupdf  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from make_fixtures import _soffice, _write, docx_to_pdf, fixture_date  # noqa: E402
from nianbao.render.docx import _deterministic_zip, to_docx_bytes  # noqa: E402

SOURCE = ROOT / "tests" / "fixtures" / "same_report" / "report.json"
OUT = ROOT / "tests" / "fixtures" / "pdf_layouts"
SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


# ---------------------------------------------------------------- DOCX helpers
def _zip(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic_zip(buf.getvalue())


def _border_el(parent, side: str, on: bool, sz: int = 4) -> None:
    e = parent.find(qn(f"w:{side}"))
    if e is None:
        e = OxmlElement(f"w:{side}")
        parent.append(e)
    for k in list(e.attrib):
        del e.attrib[k]
    if on:
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), str(sz))
        e.set(qn("w:space"), "0")
        e.set(qn("w:color"), "000000")
    else:
        e.set(qn("w:val"), "nil")


def _table_borders_off(tbl) -> None:
    """Override the "Table Grid" style's borders on the table itself."""
    tblPr = tbl._tbl.tblPr
    b = tblPr.find(qn("w:tblBorders"))
    if b is None:
        b = OxmlElement("w:tblBorders")
        tblPr.append(b)
    for side in SIDES:
        _border_el(b, side, False)


def _tc_borders(tc, **sides: int) -> None:
    """Set every side of a cell: a side given as a size is ruled, the others are not."""
    tcPr = tc.get_or_add_tcPr()
    b = tcPr.find(qn("w:tcBorders"))
    if b is None:
        b = OxmlElement("w:tcBorders")
        tcPr.append(b)
    for side in ("top", "left", "bottom", "right"):
        _border_el(b, side, side in sides, sides.get(side, 4))


def _header_rows(tbl) -> int:
    """Rows before the first one holding a number (the table's header)."""
    for r, tr in enumerate(tbl._tbl.tr_lst):
        for tc in tr.tc_lst:
            t = "".join(x.text or "" for x in tc.iter(qn("w:t"))).strip()
            if t and t.replace(".", "").isdigit():
                return r
    return 1


def rules(doc, style: str) -> None:
    """style: 'three_line' | 'no_vertical' | 'none' | 'frame' (outer border only) |
    'no_horizontal' (vertical rules and the outer border, no rule between rows)."""
    for tbl in doc.tables:
        _table_borders_off(tbl)
        trs = tbl._tbl.tr_lst
        head = _header_rows(tbl)
        for r, tr in enumerate(trs):
            for tc in tr.tc_lst:
                sides: dict[str, int] = {}
                if style == "three_line":
                    if r == 0:
                        sides["top"] = 12
                    if r == head - 1:
                        sides["bottom"] = 4
                    if r == len(trs) - 1:
                        sides["bottom"] = 12
                elif style == "no_vertical":
                    sides = {"top": 4, "bottom": 4}
                elif style == "frame":
                    if r == 0:
                        sides["top"] = 8
                    if r == len(trs) - 1:
                        sides["bottom"] = 8
                    if tc is tr.tc_lst[0]:
                        sides["left"] = 8
                    if tc is tr.tc_lst[-1]:
                        sides["right"] = 8
                elif style == "no_horizontal":
                    sides = {"left": 4, "right": 4}
                    if r == 0:
                        sides["top"] = 4
                    if r == len(trs) - 1:
                        sides["bottom"] = 4
                _tc_borders(tc, **sides)


def right_align_values(doc) -> None:
    """Numbers right-aligned in their cells (as many WPS templates do)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    for tbl in doc.tables:
        for row in tbl.rows:
            for cell in row.cells:
                t = cell.text.strip()
                if t and t.replace(".", "").isdigit():
                    for para in cell.paragraphs:
                        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def allow_row_split(tbl) -> None:
    for tr in tbl._tbl.tr_lst:
        trPr = tr.get_or_add_trPr()
        for e in trPr.findall(qn("w:cantSplit")):
            trPr.remove(e)


def repeat_header(tbl, n: int) -> None:
    for tr in tbl._tbl.tr_lst[:n]:
        trPr = tr.get_or_add_trPr()
        if trPr.find(qn("w:tblHeader")) is None:
            trPr.append(OxmlElement("w:tblHeader"))


def spacer_before(tbl, height_pt: float) -> None:
    """An empty paragraph of exactly this height right before the table."""
    p = OxmlElement("w:p")
    pPr = OxmlElement("w:pPr")
    sp = OxmlElement("w:spacing")
    sp.set(qn("w:before"), "0")
    sp.set(qn("w:after"), "0")
    sp.set(qn("w:line"), str(max(int(round(height_pt * 20)), 20)))
    sp.set(qn("w:lineRule"), "exact")
    pPr.append(sp)
    p.append(pPr)
    tbl._tbl.addprevious(p)


def landscape(doc) -> None:
    for sec in doc.sections:
        w, h = sec.page_width, sec.page_height
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = h, w


def _field(run_parent, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    run_parent._p.append(fld)


def header_footer(doc, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = title
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("第 ")
    _field(fp, " PAGE ")
    fp.add_run(" 页 共 ")
    _field(fp, " NUMPAGES ")
    fp.add_run(" 页")


# ---------------------------------------------------------------- measuring the probe PDF
def _text_lines(pdf: bytes) -> list[tuple[int, float, float, float, str]]:
    """(page, x0, y0, y1, text) of every text line."""
    out = []
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for pno, page in enumerate(doc, 1):
            for b in page.get_text("dict")["blocks"]:
                for ln in b.get("lines", ()):
                    t = "".join(s["text"] for s in ln["spans"]).strip()
                    if t:
                        x0, y0, x1, y1 = ln["bbox"]
                        out.append((pno, x0, y0, y1, t))
    return out


def _page_bottom(pdf: bytes) -> float:
    """Bottom of the text area: page height minus the DOCX bottom margin (3.5 cm)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return doc[0].rect.height - 3.5 / 2.54 * 72


def _find(lines, prefix: str) -> tuple[int, float, float, float, str]:
    for ln in lines:
        if ln[4].startswith(prefix):
            return ln
    raise SystemExit(f"probe: no line starting with {prefix!r}")


def _following(lines, first, n: int):
    """The n lines of a wrapped label cell: same page, same x, below `first`."""
    pno, x0, y0 = first[0], first[1], first[2]
    cand = sorted((ln for ln in lines if ln[0] == pno and abs(ln[1] - x0) < 2 and ln[2] >= y0 - 0.5),
                  key=lambda ln: ln[2])
    return cand[:n]


# ---------------------------------------------------------------- variants
def _convert(data: bytes, soffice: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nianbao-layouts-") as tmp:
        d = Path(tmp) / "v.docx"
        d.write_bytes(data)
        p = Path(tmp) / "v.pdf"
        docx_to_pdf(d, p, soffice)
        return p.read_bytes()


def blank_column(report: dict) -> dict:
    """The report with 表三's 科研机构 column left blank in every row and 规章's 本年废止件数
    blank (a blank is not a zero): what no_vertical_blank_column.pdf must extract to."""
    out = copy.deepcopy(report)
    for row in out["tables"]["t3"].values():
        row["research"] = None
    out["tables"]["t2"]["regulations"]["repealed"] = None
    return out


def base(report: dict):
    return docx.Document(io.BytesIO(to_docx_bytes(report, fixture_date(report))))


SPLIT_LABEL = "1.申请人无正当"    # 表三 （六）1: a label that wraps over three lines


def build(name: str, report: dict, soffice: str) -> tuple[bytes, callable]:
    """DOCX bytes of a variant and a check(pdf_bytes) -> error or None for its layout."""
    title = report.get("title") or ""
    d = base(report)
    t3 = d.tables[1]
    check = None
    if name in ("three_line", "no_vertical", "no_rules", "frame", "no_horizontal"):
        rules(d, {"no_rules": "none"}.get(name, name))
    elif name == "no_vertical_blank_column":
        rules(d, "no_vertical")
    elif name == "landscape":
        landscape(d)
    elif name == "three_line_2019":
        rules(d, "three_line")
    elif name == "no_rules_right":
        rules(d, "none")
        right_align_values(d)
    elif name in ("split_row", "three_line_split", "split_row_repeat_header"):
        if name == "three_line_split":
            rules(d, "three_line")
        if name == "split_row_repeat_header":
            repeat_header(t3, 3)
        allow_row_split(t3)
        probe = _convert(_zip(d), soffice)
        lines = _text_lines(probe)
        first = _find(lines, SPLIT_LABEL)
        cell = _following(lines, first, 3)
        bottom = _page_bottom(probe)
        # break between the first and the second line of the label
        h = bottom - (cell[0][3] + cell[1][3]) / 2
        d = base(report)
        t3 = d.tables[1]
        if name == "three_line_split":
            rules(d, "three_line")
        if name == "split_row_repeat_header":
            repeat_header(t3, 3)
        allow_row_split(t3)
        spacer_before(t3, h)

        def check(pdf: bytes) -> str | None:
            ls = _text_lines(pdf)
            a = _find(ls, SPLIT_LABEL)
            nxt = [ln for ln in ls if ln[0] == a[0] + 1]
            if not nxt:
                return "no next page"
            # the rest of the label must be at the top of the next page's table
            if not any(ln[4].startswith("补正、行政机关") for ln in nxt):
                return f"label not split across pages ({a[4]!r} on page {a[0]})"
            return None
    elif name in ("repeat_header", "header_footer"):
        repeat_header(t3, 3) if name == "repeat_header" else header_footer(d, title)
        probe = _convert(_zip(d), soffice)
        lines = _text_lines(probe)
        first = _find(lines, "（本列数据")
        bottom = _page_bottom(probe)
        # push the table down by half the page: it runs over the break
        h = (bottom - first[2]) / 2
        spacer_before(t3, h)

        def check(pdf: bytes) -> str | None:
            ls = _text_lines(pdf)
            a = _find(ls, "一、本年新收")
            b = _find(ls, "四、结转下年度")
            return None if b[0] == a[0] + 1 else "表三 does not run over a page break"
    elif name in ("header_at_bottom", "three_line_header_at_bottom"):
        if name != "header_at_bottom":
            rules(d, "three_line")
        probe = _convert(_zip(d), soffice)
        lines = _text_lines(probe)
        top = _find(lines, "（本列数据")
        row3 = _find(lines, "一、本年新收")
        row4 = _find(lines, "二、上年结转")
        bottom = _page_bottom(probe)
        # the header fits, the first data row does not
        h = bottom - (row3[2] + row4[2]) / 2 + 2 - (top[2] - top[2])
        spacer_before(t3, h)

        def check(pdf: bytes) -> str | None:
            ls = _text_lines(pdf)
            a = _find(ls, "（本列数据")
            b = _find(ls, "一、本年新收")
            return None if b[0] == a[0] + 1 else "表三's header is not alone at the bottom of a page"
    else:
        raise SystemExit(f"unknown variant {name}")
    return _zip(d), check


VARIANTS = ["three_line", "no_vertical", "no_rules", "split_row", "repeat_header", "header_footer",
            "header_at_bottom", "landscape", "three_line_split", "three_line_2019", "no_rules_right",
            "frame", "no_horizontal", "three_line_header_at_bottom", "split_row_repeat_header",
            "no_vertical_blank_column"]
SOURCES = {"three_line_2019": SOURCE.with_name("report2019.json")}   # default: report.json


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render the PDF layout fixtures (see the module docstring).")
    ap.add_argument("--force", action="store_true", help="regenerate PDFs even if their DOCX did not change")
    ap.add_argument("--only", nargs="*", choices=VARIANTS, help="only these variants")
    args = ap.parse_args(argv)
    soffice = _soffice()
    if soffice is None:
        print("LibreOffice (soffice) not found", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for name in args.only or VARIANTS:
        report = json.loads(SOURCES.get(name, SOURCE).read_text(encoding="utf-8"))
        if name == "no_vertical_blank_column":
            report = blank_column(report)
        data, check = build(name, report, soffice)
        docx_path = OUT / f"{name}.docx"
        pdf_path = OUT / f"{name}.pdf"
        changed = _write(docx_path, data)
        if changed or args.force or not pdf_path.exists():
            pdf = _convert(data, soffice)
            err = check(pdf) if check else None
            if err:
                raise SystemExit(f"{name}: LibreOffice laid it out differently: {err}")
            pdf_path.write_bytes(pdf)
            print(f"{name}: updated")
        else:
            print(f"{name}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
