"""DOCX reader on what real Word and WPS files contain: content controls, tracked changes, fields,
text boxes, split runs, grid quirks, split and nested tables, WPS and Strict OOXML packages,
legacy .doc/.wps bytes, tables given as pictures.

Fixtures: scripts/make_layout_fixtures.py transforms render/docx.py's output of the ground truth
tests/fixtures/same_report/report.json into tests/fixtures/docx_layouts/; every variant holds exactly
that report's tables.
"""
from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import docx
import pytest

from nianbao import extract
from nianbao.document import Source, Table
from nianbao.errors import ReadError
from nianbao.readers import docx as docx_reader
from nianbao.readers import read, read_bytes

from .grids import assert_ground_truth, kinds, paras, tables, texts

FIX = Path(__file__).parent / "fixtures"
LAYOUTS = FIX / "docx_layouts"
BASE = FIX / "same_report" / "report.docx"
TRUTH = json.loads((FIX / "same_report" / "report.json").read_text(encoding="utf-8"))
VARIANTS = ["sdt", "revisions", "fields", "textbox", "runs", "grid", "split", "nested", "wps", "strict"]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_extracts_to_the_ground_truth(name):
    d = extract(read(LAYOUTS / f"{name}.docx")).to_dict()
    assert_ground_truth(d, TRUTH)


def test_every_layout_fixture_is_tested():
    assert sorted(p.name for p in LAYOUTS.iterdir()) == sorted([f"{n}.docx" for n in VARIANTS]
                                                               + ["legacy.docx", "legacy.wps"])


def base_doc():
    return read(BASE)


def all_text(doc) -> str:
    out = list(paras(doc))
    for t in tables(doc):
        out.extend(c.text for row in t.rows for c in row if c is not None)
    return "\n".join(out)


def grids(doc) -> list[list[list[str | None]]]:
    return [texts(t) for t in tables(doc)]


# --------------------------------------------------------------------------------------------
# the variants read to the same blocks as the plain file

@pytest.mark.parametrize("name", ["sdt", "fields", "wps", "strict"])
def test_wrappers_give_the_same_blocks_as_the_plain_file(name):
    """Content controls (body, row, cell, run level), smart tags, hyperlinks, field results, WPS
    namespaces and Strict OOXML change nothing the reader emits (a field's instruction is dropped)."""
    doc, base = read(LAYOUTS / f"{name}.docx"), base_doc()
    got = kinds(doc)
    if name == "fields":
        assert got[-1] == kinds(base)[-1] + "（第7页）"     # the PAGE field's result, not " PAGE "
        got = got[:-1] + kinds(base)[-1:]
    assert got == kinds(base)
    assert grids(doc) == grids(base)
    assert "SUM" not in all_text(doc) and "PAGE" not in all_text(doc)


def test_tracked_changes_keep_insertions_and_drop_deletions_and_moved_away_text():
    doc, base = read(LAYOUTS / "revisions.docx"), base_doc()
    assert grids(doc) == grids(base)          # the deleted row (w:trPr/w:del) is gone too
    text = all_text(doc)
    assert "888" not in text and "999" not in text and "777" not in text and "草稿" not in text


def test_text_box_title_is_read_once():
    doc = read(LAYOUTS / "textbox.docx")
    assert paras(doc).count(TRUTH["title"]) == 1
    assert doc.blocks[0].text == TRUTH["title"] and doc.blocks[0].where.line == 1


def test_split_runs_breaks_tabs_and_hyphens():
    doc, base = read(LAYOUTS / "runs.docx"), base_doc()
    t3 = tables(doc)[1]
    b3 = tables(base)[1]
    values = [(c.text, b.text) for row, brow in zip(t3.rows, b3.rows) for c, b in zip(row, brow)
              if b is not None and b.text.isdigit()]
    assert values and all(a == b for a, b in values)       # one run per digit → one number
    label = next(c.text for row in t3.rows for c in row if c is not None and c.text.startswith("一、"))
    assert label == "一、本年新\n收政府信息公开申请数量"          # w:br splits, w:softHyphen is invisible
    assert "0794-1234567" in paras(doc)[1]                   # w:noBreakHyphen
    tabbed = [c.text for row in t3.rows for c in row if c is not None and c.text.startswith("\t")]
    assert tabbed == []                                      # a cell's lines are stripped


def test_grid_before_after_and_short_rows():
    doc = read(LAYOUTS / "grid.docx")
    t2, t3, t4 = tables(doc)
    assert [row[:3] for row in texts(t3)[:3]] == [[None] * 3] * 3
    assert texts(t3)[0][3] == "申请人情况"
    assert t4.n_cols == 16 and texts(t4)[0][15] is None and texts(t4)[-1][15] == ""
    assert texts(t2)[0] == ["第二十条第（一）项", None, None, None]


def test_table_split_across_pages_is_two_tables_and_the_orphan_merge_is_a_cell():
    doc, base = read(LAYOUTS / "split.docx"), base_doc()
    t2, t3a, t3b, t4 = tables(doc)
    b3 = tables(base)[1]
    cut = t3a.n_rows
    assert texts(t3a) == texts(b3)[:cut]
    # cells merged from above the page break are empty cells in the second table (Word draws them
    # empty); every other cell is as before
    assert texts(t3b) == [["" if c.row < cut else c.text for c in row] for row in b3.rows[cut:]]
    assert texts(t3b)[0][:3] == ["", "", "4.保护第三方合法权益"]
    assert [t.index for t in (t2, t3a, t3b, t4)] == [0, 1, 2, 3]


def test_nested_report_table_is_its_own_table():
    doc, base = read(LAYOUTS / "nested.docx"), base_doc()
    assert grids(doc) == grids(base)
    assert "表三：收到和处理政府信息公开申请情况" in paras(doc)


# --------------------------------------------------------------------------------------------
# focused reader cases

def _docx(*body_xml: str) -> bytes:
    from docx.oxml import parse_xml
    d = docx.Document()
    body = d.element.body
    for xml in body_xml:
        body.insert(len(body) - 1, parse_xml(xml))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _read(data: bytes):
    return docx_reader.read(data, Source(path="t.docx", sha256="", kind="docx", size=len(data)))


def test_placeholder_content_controls_are_blank():
    """A template's cell control still showing its prompt (w:showingPlcHdr) holds no value."""
    prompt = (f'<w:sdt {W}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
              '<w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:sdtContent></w:sdt>')
    cell_prompt = (f'<w:sdt {W}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:tc><w:p><w:r>'
                   '<w:t>单击此处输入</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>')
    data = _docx(f'<w:p {W}><w:r><w:t>填写：</w:t></w:r>{prompt}</w:p>',
                 f'<w:tbl {W}><w:tr><w:tc><w:p><w:r><w:t>予以公开</w:t></w:r></w:p></w:tc>'
                 f'<w:tc><w:p>{prompt}</w:p></w:tc>{cell_prompt}'
                 '<w:tc><w:p><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>5</w:t></w:r></w:sdtContent></w:sdt>'
                 '</w:p></w:tc></w:tr>'
                 '<w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>'
                 '<w:tc><w:p/></w:tc></w:tr></w:tbl>')
    doc = _read(data)
    assert paras(doc) == ["填写："]
    assert texts(tables(doc)[0]) == [["予以公开", "", "5"], ["a", "", ""]]


def test_complex_field_keeps_result_drops_instruction():
    data = _docx(f'<w:p {W}><w:r><w:t>合计</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                 '<w:r><w:instrText xml:space="preserve"> =SUM(ABOVE) \\# "0" </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:t>87</w:t></w:r>'
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>件</w:t></w:r></w:p>')
    assert paras(_read(data)) == ["合计187件"]


def test_one_line_box_inside_a_cell_stays_cell_text_but_a_grid_is_hoisted():
    inner_line = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc>'
                  '<w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    row = '<w:tr><w:tc><w:p><w:r><w:t>{0}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{1}</w:t></w:r></w:p></w:tc></w:tr>'
    inner_grid = f'<w:tbl>{row.format("a", "1")}{row.format("b", "2")}</w:tbl>'
    data = _docx(f'<w:tbl {W}><w:tr><w:tc>{inner_line}<w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>'
                 '</w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>',
                 f'<w:tbl {W}><w:tr><w:tc><w:p><w:r><w:t>附表</w:t></w:r></w:p></w:tc>'
                 f'<w:tc>{inner_grid}<w:p/></w:tc></w:tr></w:tbl>')
    doc = _read(data)
    assert kinds(doc) == ["T", "附表", "T"]
    first, second = tables(doc)
    assert texts(first) == [["甲 乙", "x"], ["y", ""]]
    assert texts(second) == [["a", "1"], ["b", "2"]] and second.index == 1


def test_strict_ooxml_package_reads_like_the_transitional_one():
    doc = read(LAYOUTS / "strict.docx")
    assert doc.source.kind == "docx"
    assert kinds(doc) == kinds(base_doc())


@pytest.mark.parametrize("name,hint", [("legacy.docx", "旧版 Word（.doc）文件（文件名是 .docx"),
                                       ("legacy.wps", "WPS 文字（.wps）")])
def test_legacy_bytes_ask_to_save_as_docx(name, hint, monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "")          # without LibreOffice (with it: tests/test_reader_legacy.py)
    with pytest.raises(ReadError) as ei:
        read(LAYOUTS / name)
    e = ei.value
    assert e.code == "doc-legacy" and hint in e.message and "另存为 .docx" in e.message


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_tables_given_as_pictures_are_a_clear_problem():
    d = docx.Document()
    d.add_paragraph("某某区2022年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.add_picture(io.BytesIO(_png()))
    d.add_picture(io.BytesIO(_png()))
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(buf.getvalue(), "report.docx")
    (p,) = doc.problems
    assert (p.code, p.severity) == ("tables-as-images", "warning")
    assert "表格为图片，需要OCR或另找文字版" in p.message and "2 张图片" in p.message
    assert "tables-as-images" in [x.code for x in extract(doc).problems]


def test_text_boxes_are_not_pictures():
    doc = read(LAYOUTS / "textbox.docx")
    assert doc.problems == []
    assert all(isinstance(t, Table) for t in tables(doc)) and len(tables(doc)) == 3


def test_xml_over_the_unpacked_limit_is_too_complex(monkeypatch):
    from nianbao import limits
    monkeypatch.setattr(limits, "MAX_XML_BYTES", 1000)
    with pytest.raises(ReadError) as ei:
        read(BASE)
    assert ei.value.code == "too-complex" and "文件过大/过于复杂" in ei.value.message


def test_package_without_content_types_is_damaged():
    import zipfile
    src = zipfile.ZipFile(BASE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            if item.filename != "[Content_Types].xml":
                z.writestr(item, src.read(item.filename))
    with pytest.raises(ReadError) as ei:
        _read(out.getvalue())
    assert ei.value.code == "docx-damaged" and ei.value.__suppress_context__


def test_external_entities_are_not_resolved(tmp_path):
    import zipfile
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE", encoding="utf-8")
    src = zipfile.ZipFile(BASE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:document ", f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
                                    "<w:document ".encode(), 1).replace("临川市城东区".encode(), b"&x;", 1)
            z.writestr(item, data)
    try:
        doc = _read(out.getvalue())
    except ReadError:
        return
    assert "SECRET-VALUE" not in all_text(doc)
