"""HTML reader on real-world page layouts: Word/WPS "save as web page", TRS and 大汉 portal pages,
split and nested tables, tables given as pictures.

Fixtures: scripts/make_layout_fixtures.py writes tests/fixtures/html_layouts/ from the ground truth
tests/fixtures/same_report/report.json; every page below holds exactly that report's tables.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao import extract
from nianbao.document import Paragraph, Source
from nianbao.readers import html as html_reader
from nianbao.readers import read, read_bytes

from .grids import assert_ground_truth, paras, tables, texts

FIX = Path(__file__).parent / "fixtures"
LAYOUTS = FIX / "html_layouts"
TRUTH = json.loads((FIX / "same_report" / "report.json").read_text(encoding="utf-8"))
PAGES = ["word_gb2312.html", "wps_nocharset.html", "portal_trs.html", "portal_split.html", "nested_layout.html",
         "word_single_file.doc"]


@pytest.mark.parametrize("name", PAGES)
def test_page_extracts_to_the_ground_truth(name):
    d = extract(read(LAYOUTS / name)).to_dict()
    assert_ground_truth(d, TRUTH)


def test_every_layout_fixture_is_tested():
    assert sorted(p.name for p in LAYOUTS.iterdir()) == sorted(PAGES + ["images.html"])


def _truth_grid(key: str) -> list[list[str]]:
    from nianbao.render.layout import report_layouts
    for layouts in report_layouts(TRUTH).values():
        for t in layouts:
            if t.key == key:
                return [[c.text for c in row] for row in t.grid()]
    raise KeyError(key)


def _origin_texts(table) -> list[list[str]]:
    """Each row's cells that start in it, texts with line breaks removed (labels wrap in cells)."""
    return [[c.text.replace("\n", "") for c in table.origin_cells(r)] for r in range(table.n_rows)]


def _layout_rows(key: str) -> list[list[str]]:
    from nianbao.render.layout import report_layouts
    for layouts in report_layouts(TRUTH).values():
        for t in layouts:
            if t.key == key:
                return [[c.text for c in row] for row in t.rows]
    raise KeyError(key)


# --------------------------------------------------------------------------------------------
# Word / WPS pages

def test_word_page_grids_are_the_official_grids_without_spacers():
    """Word's spacer cells (<td width=0>) and width row (<tr height=0>) add no column and no row;
    a value whose every digit is its own <span> is one cell text; labels in two <p> are one cell."""
    doc = read(LAYOUTS / "word_gb2312.html")
    assert doc.source.encoding == "gb18030"
    t2, t3, t4 = tables(doc)
    for table, key in ((t2, "t2"), (t3, "t3"), (t4, "t4")):
        assert [len(r) for r in table.rows] == [len(r) for r in _truth_grid(key)]
        assert _origin_texts(table) == _layout_rows(key)


def test_word_page_declared_gb2312_keeps_gbk_only_characters():
    doc = read(LAYOUTS / "word_gb2312.html")
    text = "\n".join(paras(doc))
    assert "王堃、李喆" in text and "\ufffd" not in text


def test_word_list_numbers_in_downlevel_conditional_comments_are_kept():
    """<![if !supportLists]>一、<![endif]>: the heading number is content browsers show."""
    doc = read(LAYOUTS / "word_gb2312.html")
    heads = [p for p in paras(doc) if p.replace(" ", "") in {s["title"] for s in TRUTH["sections"]}]
    assert len(heads) == 6


def test_word_conditional_xml_blocks_give_no_text():
    doc = read(LAYOUTS / "word_gb2312.html")
    text = "\n".join(paras(doc))
    assert "Administrator" not in text and "Print" not in text and "font-family" not in text


def test_single_file_web_page_named_doc_reads_like_the_page_it_holds():
    """OA systems export "Word" files as MHTML named .doc: the quoted-printable HTML part is read."""
    doc = read(LAYOUTS / "word_single_file.doc")
    page = read(LAYOUTS / "word_gb2312.html")
    assert doc.source.kind == "html"
    assert paras(doc) == paras(page) and [texts(t) for t in tables(doc)] == [texts(t) for t in tables(page)]


def test_mhtml_without_an_html_part_is_a_read_error():
    from nianbao.errors import ReadError
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
            b"Content-Type: image/png\r\n\r\nxx\r\n--b--\r\n")
    with pytest.raises(ReadError) as ei:
        read_bytes(data, "report.doc")
    assert ei.value.code == "no-text" and "MHT" in ei.value.message


def test_wps_page_without_charset_is_gbk_and_padding_is_stripped():
    doc = read(LAYOUTS / "wps_nocharset.html")
    assert doc.source.encoding == "gb18030"
    t2, t3, t4 = tables(doc)
    assert _origin_texts(t3) == _layout_rows("t3")
    assert _origin_texts(t4)[-1] == _layout_rows("t4")[-1]


# --------------------------------------------------------------------------------------------
# portal pages

def test_trs_page_bom_wins_and_report_tables_are_read_inside_the_layout_table():
    doc = read(LAYOUTS / "portal_trs.html")
    assert doc.source.encoding == "utf-8"
    found = [t for t in tables(doc) if _origin_texts(t) in (_layout_rows("t2"), _layout_rows("t3"),
                                                            _layout_rows("t4"))]
    assert len(found) == 3
    # the page-layout table swallowed nothing: the report's tables are tables, in order
    assert [_origin_texts(t) for t in found] == [_layout_rows("t2"), _layout_rows("t3"), _layout_rows("t4")]
    text = "\n".join(paras(doc))
    assert TRUTH["title"] in paras(doc)
    assert "var siteid" not in text and "line-height" not in text


def test_trs_th_header_cells_are_cells():
    doc = read(LAYOUTS / "portal_trs.html")
    t3 = next(t for t in tables(doc) if t.n_cols == 10)
    assert t3.rows[0][3].text == "申请人情况" and t3.rows[1][3].text == "自然人"


def test_split_table_unclosed_cells_caption_row_and_thead():
    doc = read(LAYOUTS / "portal_split.html")
    t2, t3_head, t3_body, t4 = tables(doc)
    # no </td></tr> at all: lxml closes them where the next one starts
    assert _origin_texts(t2) == _layout_rows("t2")
    # 表三 as two tables: head and body, each exactly as printed
    rows = _layout_rows("t3")
    assert _origin_texts(t3_head) == rows[:3]
    assert _origin_texts(t3_body) == rows[3:]
    # 表四: a caption row spanning all columns, then the <th> header and the values
    assert t4.rows[0][0].colspan == t4.n_cols == 15
    assert _origin_texts(t4)[1:] == _layout_rows("t4")
    # <caption> is a paragraph right before its table
    i = next(i for i, b in enumerate(doc.blocks) if b is t2)
    assert isinstance(doc.blocks[i - 1], Paragraph) and doc.blocks[i - 1].text == "二、主动公开政府信息情况"


def test_nested_report_tables_are_their_own_tables_and_layout_cells_are_paragraphs():
    doc = read(LAYOUTS / "nested_layout.html")
    assert [_origin_texts(t) for t in tables(doc)] == [_layout_rows("t2"), _layout_rows("t3"), _layout_rows("t4")]
    assert [t.index for t in tables(doc)] == [0, 1, 2]
    assert paras(doc).count("附表") == 3


def _read(html: str | bytes):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return html_reader.read(data, Source(path="t.html", sha256="", kind="html", size=len(data)))


def test_title_inside_an_article_header_is_kept():
    """CMS article headers (class "…header…") are chrome, but the title they hold is the report's."""
    page = ('<html><body><div class="nav"><a href="/">首页</a></div>'
            '<div class="detail-header"><div class="detail-tit">某某区人民政府2022年政府信息公开工作年度报告</div>'
            '<div class="info">发布日期：2023-01-18</div></div>'
            '<div class="article-header"><h2>某某区2022年政府信息公开工作年度报告（解读）</h2></div>'
            '<div class="content"><p>正文。</p></div></body></html>')
    assert paras(_read(page)) == ["某某区人民政府2022年政府信息公开工作年度报告",
                                  "某某区2022年政府信息公开工作年度报告（解读）", "正文。"]


def test_navigation_items_naming_reports_are_not_titles():
    page = ('<html><body><div class="menu"><ul><li><a href="/nb/">政府信息公开年度报告</a></li></ul></div>'
            '<p>正文。</p></body></html>')
    assert paras(_read(page)) == ["正文。"]


def test_utf8_bytes_with_a_gb2312_meta_are_utf8():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>' \
           '<body><p>政府信息公开工作年度报告，收到申请187件。</p></body></html>'
    doc = _read(page.encode("utf-8"))
    assert doc.source.encoding == "utf-8"
    assert paras(doc) == ["政府信息公开工作年度报告，收到申请187件。"]
    gbk = _read(page.encode("gbk"))
    assert gbk.source.encoding == "gb18030" and paras(gbk) == paras(doc)


# --------------------------------------------------------------------------------------------
# tables as pictures

def test_tables_given_as_pictures_are_a_clear_problem():
    doc = read(LAYOUTS / "images.html")
    assert tables(doc) == []
    (p,) = doc.problems
    assert (p.code, p.severity) == ("tables-as-images", "warning")
    assert "表格为图片，需要OCR或另找文字版" in p.message and "3 张图片" in p.message
    report = extract(doc)
    codes = [x.code for x in report.problems]
    assert "tables-as-images" in codes and "no-tables" in codes
    # the text is still read
    assert (report.org, report.year) == (TRUTH["org"], TRUTH["year"])


def test_icons_and_chrome_images_are_not_table_pictures():
    page = ('<html><body><div class="header"><img src="logo.png" width="600" height="120"></div>'
            '<p>正文<img src="dot.gif" width="16" height="16"></p></body></html>')
    assert _read(page).problems == []


def test_some_tables_as_pictures_is_a_hint():
    page = ('<html><body><p>正文</p><table><tr><td>表二</td><td>1</td></tr><tr><td>a</td><td>2</td></tr></table>'
            '<p><img src="t3.jpg"></p><p><img src="t4.jpg"></p></body></html>')
    (p,) = _read(page).problems
    assert (p.code, p.severity) == ("tables-as-images", "info")
    assert "1 个文字表格" in p.message and "2 张图片" in p.message


def test_a_page_with_three_tables_and_pictures_has_no_problem():
    table = '<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>'
    page = f'<html><body><p>正文</p>{table * 3}<img src="seal.png"></body></html>'
    assert _read(page).problems == []
    assert [texts(t) for t in tables(_read(page))] == [[["a", "1"], ["b", "2"]]] * 3
