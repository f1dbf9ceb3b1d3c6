"""PDF reader: ruled tables rebuilt from vector lines (merged cells, page breaks), paragraphs in
reading order, page-number footers, scans, encrypted and truncated files.

The PDFs are drawn here with PyMuPDF ("china-s" is MuPDF's built-in CJK font, one em per
character), so every coordinate is known; one test converts a python-docx document with
LibreOffice when `soffice` is installed, and one reads the LibreOffice-exported fixture.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest

from nianbao.document import Paragraph, Source, Table
from nianbao.errors import ReadError
from nianbao.readers import pdf as pdf_reader
from nianbao.readers import read_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "same_report"
W, H = 595.0, 842.0
CJK = "china-s"


def read(data: bytes):
    return pdf_reader.read(data, Source(path="t.pdf", sha256="", kind="pdf", size=len(data)))


def text(page, x: float, y: float, s: str, size: float = 10.0, font: str = CJK) -> None:
    """Text whose top is at y (insert_text takes the baseline)."""
    page.insert_text((x, y + size * 0.88), s, fontname=font, fontsize=size)


def borders(page, x0, y0, x1, y1, style: str) -> None:
    if style == "lines":          # stroked line segments (LibreOffice)
        for a, b in (((x0, y0), (x1, y0)), ((x0, y1), (x1, y1)), ((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))):
            page.draw_line(a, b, color=(0, 0, 0), width=0.5)
    elif style == "filled":       # thin filled rectangles (Word)
        for r in ((x0, y0 - 0.25, x1, y0 + 0.25), (x0, y1 - 0.25, x1, y1 + 0.25),
                  (x0 - 0.25, y0, x0 + 0.25, y1), (x1 - 0.25, y0, x1 + 0.25, y1)):
            page.draw_rect(pymupdf.Rect(r), color=None, fill=(0, 0, 0), width=0)
    elif style == "outline":      # one stroked rectangle per cell
        page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=(0, 0, 0), width=0.5)
    elif style == "polyline":     # two L-shaped paths per cell: not rectangles, needs exact paths
        page.draw_polyline([(x0, y0), (x1, y0), (x1, y1)], color=(0, 0, 0), width=0.5)
        page.draw_polyline([(x1, y1), (x0, y1), (x0, y0)], color=(0, 0, 0), width=0.5)
    else:
        raise ValueError(style)


def table(page, xs, ys, cells, style: str = "lines", size: float = 10.0) -> None:
    """cells: (row, col, rowspan, colspan, text); text lines separated by \\n."""
    for r, c, rs, cs, t in cells:
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        borders(page, x0, y0, x1, y1, style)
        for k, line in enumerate(t.split("\n") if t else []):
            text(page, x0 + 3, y0 + 3 + k * (size + 3), line, size)


def grid_texts(t: Table) -> list[list[str | None]]:
    """Texts by grid position, '^' where a cell continues from above, '<' from the left."""
    out = []
    for r, row in enumerate(t.rows):
        line = []
        for c, cell in enumerate(row):
            if cell is None:
                line.append(None)
            elif cell.row == r and cell.col == c:
                line.append(cell.text)
            else:
                line.append("^" if cell.row < r else "<")
        out.append(line)
    return out


def blocks(doc) -> list[str]:
    return [f"T{b.index}" if isinstance(b, Table) else b.text for b in doc.blocks]


# 表三-like header: a vertically merged corner cell, a horizontally merged group header,
# a vertically merged 自然人/总计, then two data rows.
XS = [72.0, 172.0, 222.0, 272.0, 322.0, 372.0]
YS = [100.0, 118.0, 136.0, 154.0, 172.0]
CELLS = [
    (0, 0, 2, 1, "申请人情况"), (0, 1, 1, 4, "法人或其他组织"),
    (1, 1, 1, 1, "商业企业"), (1, 2, 1, 1, "科研机构"), (1, 3, 1, 1, "其他"), (1, 4, 1, 1, "总计"),
    (2, 0, 1, 1, "一、本年新收"), (2, 1, 1, 1, "3"), (2, 2, 1, 1, "0"), (2, 3, 1, 1, "12"), (2, 4, 1, 1, "15"),
    (3, 0, 1, 1, "二、上年结转"), (3, 1, 1, 1, "1"), (3, 2, 1, 1, ""), (3, 3, 1, 1, "2"), (3, 4, 1, 1, "3"),
]
EXPECTED = [
    ["申请人情况", "法人或其他组织", "<", "<", "<"],
    ["^", "商业企业", "科研机构", "其他", "总计"],
    ["一、本年新收", "3", "0", "12", "15"],
    ["二、上年结转", "1", "", "2", "3"],
]


def one_table_pdf(style: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 60, "三、收到和处理政府信息公开申请情况", 12)
    table(page, XS, YS, CELLS, style)
    text(page, 72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    return doc.tobytes()


@pytest.mark.parametrize("style", ["lines", "filled", "outline", "polyline"])
def test_merged_cells_grid(style):
    doc = read(one_table_pdf(style))
    assert doc.source.pages == 1
    assert doc.problems == []
    assert blocks(doc) == ["三、收到和处理政府信息公开申请情况", "T0", "四、政府信息公开行政复议、行政诉讼情况"]
    t = next(doc.tables())
    assert grid_texts(t) == EXPECTED
    corner, group = t.rows[0][0], t.rows[0][1]
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 2, 1)
    assert (group.row, group.col, group.rowspan, group.colspan) == (0, 1, 1, 4)
    assert t.rows[1][0] is corner
    assert t.rows[0][2] is group and t.rows[0][3] is group and t.rows[0][4] is group
    assert t.origin_cells(0) == [corner, group]
    assert len(t.origin_cells(1)) == 4
    # provenance
    assert t.index == 0 and t.where.table == 0 and t.where.page == 1
    assert (group.where.page, group.where.table, group.where.row, group.where.col) == (1, 0, 0, 1)
    assert group.where.bbox == pytest.approx((172, 100, 372, 118), abs=1.0)
    cell = t.rows[3][3]
    assert (cell.text, cell.where.row, cell.where.col) == ("2", 3, 3)
    assert cell.where.bbox == pytest.approx((272, 154, 322, 172), abs=1.0)


def test_diagonal_header_line_and_vector_seal_do_not_disturb_the_grid():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 60, "三、收到和处理政府信息公开申请情况", 12)
    table(page, XS, YS, CELLS, "filled")
    page.draw_line((72, 100), (172, 136), color=(0, 0, 0), width=0.5)         # 斜线表头
    page.draw_circle((300, 400), 60, color=(1, 0, 0), width=2)                 # a seal drawn as a path
    text(page, 72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    data = doc.tobytes()
    d = read(data)
    assert grid_texts(next(d.tables())) == EXPECTED
    assert len(list(d.tables())) == 1
    # the non-rectangular paths sent this page through the exact-path fallback
    assert pdf_reader.page_stages(pymupdf.open(stream=data, filetype="pdf")[0])["exact_fallback"]


def test_multiline_cell_and_mixed_fonts_on_one_line():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    table(page, [72, 240, 320], [100, 140, 160], [
        (0, 0, 1, 1, "（二）部分公开（区分处理的，\n只计这一情形）"), (0, 1, 1, 1, "16"),
        (1, 0, 1, 1, ""), (1, 1, 1, 1, "3"),
    ])
    # "2022" in Helvetica and "年" in the CJK font, as separate runs on one line in one cell
    text(page, 75, 143, "2022", 10, "helv")
    text(page, 75 + pymupdf.get_text_length("2022", "helv", 10) + 2, 143, "年", 10)
    t = next(read(doc.tobytes()).tables())
    assert grid_texts(t) == [["（二）部分公开（区分处理的，\n只计这一情形）", "16"], ["2022年", "3"]]


def test_text_run_across_a_ruling_is_split_by_characters():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    table(page, [72, 112, 152], [100, 120, 140], [
        (0, 0, 1, 1, ""), (0, 1, 1, 1, ""), (1, 0, 1, 1, "甲"), (1, 1, 1, 1, "乙"),
    ])
    # one run of four characters, 10 pt each, starting at 92: 甲乙 left of x=112, 丙丁 right of it
    text(page, 92, 103, "甲乙丙丁", 10)
    t = next(read(doc.tobytes()).tables())
    assert grid_texts(t) == [["甲乙", "丙丁"], ["甲", "乙"]]


def continued_table_pdf(between: str | None = None, shift: float = 0.0) -> bytes:
    """表三-like table: header + a label cell spanning 3 rows on page 1 (ending at the bottom)
    and 2 more rows of it on page 2, then the last row."""
    doc = pymupdf.open()
    xs = [72.0, 132.0, 252.0, 302.0, 352.0, 402.0]
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 600, "三、收到和处理政府信息公开申请情况", 12)
    ys = [640, 680, 700, 720, 740, 760]
    table(p1, xs, ys, [
        (0, 0, 1, 2, "（本列数据的勾稽关系）"), (0, 2, 1, 1, "自然人"), (0, 3, 1, 1, "法人"), (0, 4, 1, 1, "总计"),
        (1, 0, 1, 2, "一、本年新收"), (1, 2, 1, 1, "5"), (1, 3, 1, 1, "1"), (1, 4, 1, 1, "6"),
        (2, 0, 3, 1, "三、本年度\n办理结果"), (2, 1, 1, 1, "（一）予以公开"), (2, 2, 1, 1, "2"), (2, 3, 1, 1, "0"),
        (2, 4, 1, 1, "2"),
    ] + [(r, c, 1, 1, str(r)) for r in (3, 4) for c in (2, 3, 4)]
      + [(3, 1, 1, 1, "（二）部分公开"), (4, 1, 1, 1, "（三）不予公开")])
    text(p1, W / 2 - 10, 800, "- 1 -", 9, "helv")
    p2 = doc.new_page(width=W, height=H)
    top = 72.0
    if between:
        text(p2, 72, 72, between, 12)
        top = 100.0
    xs2 = [x + shift for x in xs]
    ys2 = [top, top + 20, top + 40, top + 60]
    table(p2, xs2, ys2, [
        (0, 0, 2, 1, ""), (0, 1, 1, 1, "（四）无法提供"), (1, 1, 1, 1, "（五）不予处理"),
        (2, 0, 1, 2, "四、结转下年度继续办理"),
    ] + [(r, c, 1, 1, str(10 + r)) for r in (0, 1, 2) for c in (2, 3, 4)])
    text(p2, 72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    text(p2, W / 2 - 10, 800, "- 2 -", 9, "helv")
    return doc.tobytes()


def test_table_continuing_on_next_page_is_one_table():
    doc = read(continued_table_pdf())
    assert blocks(doc) == ["三、收到和处理政府信息公开申请情况", "T0", "四、政府信息公开行政复议、行政诉讼情况"]
    t = next(doc.tables())
    assert grid_texts(t) == [
        ["（本列数据的勾稽关系）", "<", "自然人", "法人", "总计"],
        ["一、本年新收", "<", "5", "1", "6"],
        ["三、本年度\n办理结果", "（一）予以公开", "2", "0", "2"],
        ["^", "（二）部分公开", "3", "3", "3"],
        ["^", "（三）不予公开", "4", "4", "4"],
        ["^", "（四）无法提供", "10", "10", "10"],
        ["^", "（五）不予处理", "11", "11", "11"],
        ["四、结转下年度继续办理", "<", "12", "12", "12"],
    ]
    label = t.rows[2][0]
    # the label cell cut by the page break is rejoined: one cell over 5 rows, from page 1
    assert (label.row, label.col, label.rowspan, label.colspan) == (2, 0, 5, 1)
    assert all(t.rows[r][0] is label for r in range(2, 7))
    assert label.where.page == 1
    last = t.rows[7][0]
    assert (last.row, last.colspan, last.where.page, last.where.row, last.where.table) == (7, 2, 2, 7, 0)
    assert t.rows[5][1].where.page == 2 and t.rows[5][1].where.row == 5
    assert t.where.page == 1 and t.where.table == 0


def test_text_between_tables_keeps_them_apart():
    doc = read(continued_table_pdf(between="（续表）"))
    assert blocks(doc) == ["三、收到和处理政府信息公开申请情况", "T0", "（续表）", "T1",
                           "四、政府信息公开行政复议、行政诉讼情况"]
    t0, t1 = doc.tables()
    assert (t0.n_rows, t1.n_rows, t1.index, t1.where.page) == (5, 3, 1, 2)
    assert t1.rows[0][0].text == "" and t1.rows[0][0].rowspan == 2


def test_different_columns_keep_tables_apart():
    doc = read(continued_table_pdf(shift=20.0))
    assert [t.n_rows for t in doc.tables()] == [5, 3]


def test_repeated_header_row_on_continuation_is_dropped():
    doc = pymupdf.open()
    xs = [72.0, 200.0, 260.0, 320.0]
    head = [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "本年新收"), (0, 2, 1, 1, "总计")]
    p1 = doc.new_page(width=W, height=H)
    table(p1, xs, [700, 720, 740, 760], head + [(1, 0, 1, 1, "行政许可"), (1, 1, 1, 1, "1"), (1, 2, 1, 1, "2"),
                                                (2, 0, 1, 1, "行政处罚"), (2, 1, 1, 1, "3"), (2, 2, 1, 1, "4")])
    p2 = doc.new_page(width=W, height=H)
    table(p2, xs, [72, 92, 112], head + [(1, 0, 1, 1, "行政强制"), (1, 1, 1, 1, "5"), (1, 2, 1, 1, "6")])
    t = next(read(doc.tobytes()).tables())
    assert grid_texts(t) == [["信息内容", "本年新收", "总计"], ["行政许可", "1", "2"], ["行政处罚", "3", "4"],
                             ["行政强制", "5", "6"]]
    assert t.rows[3][0].where.page == 2 and t.rows[3][0].row == 3


def test_empty_remainder_of_a_row_cut_by_the_page_break_is_dropped():
    doc = pymupdf.open()
    xs = [72.0, 200.0, 260.0, 320.0]
    p1 = doc.new_page(width=W, height=H)
    table(p1, xs, [720, 740, 760], [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "本年新收"), (0, 2, 1, 1, "总计"),
                                    (1, 0, 1, 1, "第二十条第（五）项"), (1, 1, 1, 2, "")])
    p2 = doc.new_page(width=W, height=H)
    table(p2, xs, [72, 84, 104], [(0, 0, 1, 1, ""), (0, 1, 1, 2, ""),
                                  (1, 0, 1, 1, "行政许可"), (1, 1, 1, 1, "5"), (1, 2, 1, 1, "6")])
    t = next(read(doc.tobytes()).tables())
    assert grid_texts(t) == [["信息内容", "本年新收", "总计"], ["第二十条第（五）项", "", "<"], ["行政许可", "5", "6"]]
    assert (t.rows[2][0].row, t.rows[2][0].where.row, t.rows[2][0].where.page) == (2, 2, 2)


@pytest.mark.parametrize("prefix,raw_calls", [("", 0), ("1.", 1)])
def test_glyph_drawn_into_a_gap_of_another_run(monkeypatch, prefix, raw_calls):
    """LibreOffice draws a quote mark of a Latin font into a gap of a CJK run ("及三" + "“"):
    the characters are interleaved by position, computed from the em width for a run of CJK
    characters, else taken from MuPDF's character boxes."""
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    w = pymupdf.get_text_length(prefix + "危及", CJK, 12)
    g = pymupdf.get_text_length("(", "helv", 12)
    text(page, 72, 100, prefix + "危及", 12)
    text(page, 72 + w + g, 100, "三安全", 12)
    text(page, 72 + w, 100, "(", 12, "helv")
    calls = []
    original = pymupdf.TextPage.extractRAWDICT
    monkeypatch.setattr(pymupdf.TextPage, "extractRAWDICT",
                        lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    assert [p.text for p in read(doc.tobytes()).paragraphs()] == [prefix + "危及(三安全"]
    assert len(calls) == raw_calls


def test_paragraphs_in_reading_order_with_wrapped_lines_joined_and_page_numbers_dropped():
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 30, "临川市城东区人民政府办公室", 9)                # running header: kept
    line = "本报告根据条例要求编制全文包括总体情况主动公开政府信息情况等内容"  # 32 chars = full width
    # a paragraph: indented first line (30 chars, fills the width), a full line, a short last line
    text(p1, 96, 100, line[:30], 12)
    text(p1, 72, 120, line, 12)
    text(p1, 72, 140, "数据统计期限为本年度。", 12)
    # the next paragraph starts indented after a short line: separate
    text(p1, 96, 160, "二段。", 12)
    # a full line followed by a heading at the margin: not joined
    text(p1, 72, 180, line, 12)
    text(p1, 72, 200, "一、总体情况", 12)
    # a full line followed by an indented line: not joined
    text(p1, 72, 220, line, 12)
    text(p1, 96, 240, "（一）主动公开。", 12)
    # drawn out of order: the lower line first
    text(p1, 72, 300, "第二段在下。", 12)
    text(p1, 72, 270, "第一段在上。", 12)
    text(p1, W / 2 - 10, 800, "- 1 -", 9, "helv")
    p2 = doc.new_page(width=W, height=H)
    text(p2, 72, 72, line, 12)                                     # full, but the next line is far below
    text(p2, 72, 300, "六、其他需要报告的事项", 12)
    text(p2, 480, 30, "2", 9, "helv")                             # page number in the header
    text(p2, W / 2 - 20, 800, "第 2 页", 9)
    d = read(doc.tobytes())
    paras = list(d.paragraphs())
    assert [p.text for p in paras] == [
        "临川市城东区人民政府办公室",
        line[:30] + line + "数据统计期限为本年度。",
        "二段。",
        line,
        "一、总体情况",
        line,
        "（一）主动公开。",
        "第一段在上。",
        "第二段在下。",
        line,
        "六、其他需要报告的事项",
    ]
    assert [p.where.page for p in paras] == [1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2]
    assert [p.where.line for p in paras] == [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert paras[1].where.bbox == pytest.approx((72, 100, 72 + 32 * 12, 152), abs=1.5)
    assert d.problems == []


def test_mixed_latin_and_cjk_runs_on_a_line():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 100, "网址：", 12)
    text(page, 72 + 36 + 1, 100, "www.gov.cn", 12, "helv")
    x = 72 + 36 + 1 + pymupdf.get_text_length("www.gov.cn", "helv", 12) + 8
    text(page, x, 100, "Annual", 12, "helv")
    x += pymupdf.get_text_length("Annual", "helv", 12) + 6
    text(page, x, 100, "Report", 12, "helv")
    assert [p.text for p in read(doc.tobytes()).paragraphs()] == ["网址：www.gov.cn Annual Report"]


def test_spaces_next_to_cjk():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 100, "2022 年，共收到申请 12 件。", 12)      # single typed spaces: dropped
    text(page, 72, 130, "行政许可", 12)                         # far apart on one line: one space
    text(page, 300, 130, "12", 12)
    text(page, 72, 160, "规章    0    0", 12)                   # alignment by runs of spaces: kept
    assert [p.text for p in read(doc.tobytes()).paragraphs()] == [
        "2022年，共收到申请12件。", "行政许可 12", "规章    0    0"]


def test_diagonal_watermark_is_ignored():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 100, "正文第一行。", 12)
    page.insert_text((200, 500), "内部资料", fontname=CJK, fontsize=40,
                     morph=(pymupdf.Point(200, 500), pymupdf.Matrix(45)))
    assert [p.text for p in read(doc.tobytes()).paragraphs()] == ["正文第一行。"]


def image_page(doc) -> None:
    page = doc.new_page(width=W, height=H)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 72, 520, 760), pixmap=pix)


def test_scanned_page_is_a_needs_ocr_problem(monkeypatch):
    # without the OCR extra: the message names the install; with it (and OCR not switched on): --ocr
    import nianbao.readers.ocr as ocr
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    text(page, 72, 100, "一、总体情况", 12)
    image_page(doc)
    text(doc[1], W / 2 - 10, 800, "- 2 -", 9, "helv")   # a page number alone is not a text layer
    d = read(doc.tobytes())
    assert [p.text for p in d.paragraphs()] == ["一、总体情况"]
    assert [p.to_dict("zh") for p in d.problems] == [{
        "code": "needs-ocr", "severity": "warning",
        "message": "第2页没有文字层（扫描件），需要OCR识别后才能读取；请安装OCR扩展（pip install 'nianbao[ocr]'）"
                   "后用 nianbao extract --ocr 读取。", "where": {"page": 2}}]
    assert d.problems[0].message_en == ("page 2 has no text layer (a scan); it needs OCR before it can be read; "
                                        "install the OCR extra (pip install 'nianbao[ocr]') and read it with "
                                        "nianbao extract --ocr.")
    monkeypatch.setattr(ocr, "available", lambda: True)
    assert read(doc.tobytes()).problems[0].message == ("第2页没有文字层（扫描件），需要OCR识别后才能读取；"
                                                       "请用 nianbao extract --ocr 读取（已安装OCR扩展）。")


@pytest.mark.parametrize("kind", ["image", "blank"])
def test_no_text_at_all_is_a_read_error(kind, monkeypatch):
    import nianbao.readers.ocr as ocr
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = pymupdf.open()
    if kind == "image":
        image_page(doc)
        image_page(doc)
    else:
        doc.new_page(width=W, height=H)
    with pytest.raises(ReadError) as e:
        read(doc.tobytes())
    assert e.value.code == "needs-ocr"
    assert e.value.message == ("PDF 没有文字层（扫描件），需要OCR识别后才能读取；请安装OCR扩展（pip install "
                               "'nianbao[ocr]'）后用 nianbao extract --ocr 读取，或提供可复制文字的 PDF 或 Word 原件。")


def raw_pdf(*contents: bytes, glyph_a: bytes = b"Qzq") -> bytes:
    """A hand-written PDF, one page per content stream, whose font F1 has glyph names without
    any Unicode meaning (no ToUnicode): MuPDF extracts them as U+FFFD. F2 is Helvetica."""
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/Differences [65 /" + glyph_a + b" /Qzr /Qzs /Qzt /Qzu /Qzv /Qzw /Qzx] >> >>")
    n = len(contents)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)), n),
            font]
    for i, c in enumerate(contents):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                    b"/F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents %d 0 R >>"
                    % (5 + 2 * i))
        objs.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_unreadable_glyphs_are_not_emitted():
    good = b"BT /F2 12 Tf 72 700 Td (Section one) Tj ET"
    bad = b"BT /F1 12 Tf 72 700 Td (ABCDEFGH) Tj ET BT /F2 12 Tf 72 680 Td (x) Tj ET"
    d = read(raw_pdf(good, bad))
    assert d.problems[0].where.page == 2
    assert [p.text for p in d.paragraphs()] == ["Section one"]
    assert [(p.code, p.where.page) for p in d.problems] == [("needs-ocr", 2)]
    assert d.problems[0].message.startswith("第2页的文字编码无法识别（字体缺少字符映射），需要OCR识别后才能读取；请")
    # a page of nothing but such glyphs: the whole file is unreadable
    with pytest.raises(ReadError) as e:
        read(raw_pdf(bad))
    assert e.value.code == "needs-ocr"
    # a few such glyphs among readable text: kept as U+FFFD (never silently dropped), with a warning
    few = b"BT /F2 12 Tf 72 700 Td (Total: 12 items) Tj ET BT /F1 12 Tf 200 700 Td (A) Tj ET"
    d = read(raw_pdf(few))
    assert [p.text for p in d.paragraphs()] == ["Total: 12 items \ufffd"]
    assert [(p.code, p.where.page) for p in d.problems] == [("pdf-unmapped-glyphs", 1)]
    assert d.problems[0].message == "第1页有 1 个字符无法识别（字体缺少字符映射），显示为 �。"


def test_private_use_bullet_is_dropped_quietly():
    bullet = b"BT /F1 12 Tf 72 700 Td (A) Tj ET BT /F2 12 Tf 90 700 Td (Item one) Tj ET"
    d = read(raw_pdf(bullet, glyph_a=b"uniF0B7"))   # a Symbol-font bullet mapped to U+F0B7
    assert [p.text for p in d.paragraphs()] == ["Item one"]
    assert d.problems == []


def test_encrypted_pdf():
    doc = pymupdf.open()
    text(doc.new_page(width=W, height=H), 72, 100, "一、总体情况", 12)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x", owner_pw="y")
    with pytest.raises(ReadError) as e:
        read(data)
    assert e.value.code == "pdf-encrypted"
    assert e.value.message == "PDF 已加密（设有打开密码），无法读取；请提供未加密的版本。"
    # an owner password alone (no open password) does not stop reading
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="y", user_pw="")
    assert [p.text for p in read(data).paragraphs()] == ["一、总体情况"]


def test_truncated_pdf():
    """MuPDF rebuilds a truncated file from the objects it can find and would show whatever
    survived: half a table whose missing values look like empty cells. A file whose end (%%EOF)
    is missing and that needed repair is refused as pdf-damaged; no cut point gives a traceback."""
    data = one_table_pdf("lines")
    with pytest.raises(ReadError) as e:
        read(data[: len(data) // 2])
    assert e.value.code == "pdf-damaged"
    assert e.value.message == "PDF 文件已损坏或不完整（可能下载中断），无法读取；请重新导出或下载。"
    for cut in range(0, len(data) - 5, max(len(data) // 50, 1)):
        with pytest.raises(ReadError) as e:
            read(data[:cut] or b"%PDF")
        assert e.value.code == "pdf-damaged"
    # complete, but with a wrong xref offset: repaired and read, with an info note
    broken = data.replace(b"startxref\n", b"startxref\n1", 1)
    d = read(broken)
    assert grid_texts(next(d.tables())) == EXPECTED
    assert [(p.code, p.severity) for p in d.problems] == [("pdf-repaired", "info")]
    # bytes appended after the end (a portal's footer) do not matter
    assert grid_texts(next(read(data + b"\n<html>footer</html>\n").tables())) == EXPECTED


def test_garbage_bytes_are_pdf_damaged():
    with pytest.raises(ReadError) as e:
        read(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert e.value.code == "pdf-damaged"


def test_read_bytes_dispatches_pdf_and_sets_pages():
    doc = read_bytes(one_table_pdf("filled"), "report.pdf")
    assert doc.source.kind == "pdf" and doc.source.pages == 1
    assert grid_texts(next(doc.tables())) == EXPECTED


def test_page_stages_debug_view():
    page = pymupdf.open(stream=one_table_pdf("lines"), filetype="pdf")[0]
    st = pdf_reader.page_stages(page)
    hedges, vedges = st["edges"]
    assert sorted(round(e[0]) for e in hedges) == YS
    assert sorted(round(e[0]) for e in vedges) == XS
    assert len(st["regions"]) == 1
    grid = st["grids"][0]
    assert [round(x) for x in grid.xs] == XS and [round(y) for y in grid.ys] == YS
    cells, owner = st["cells"][0]
    assert len(cells) == 16 and owner[1][0] == owner[0][0] and owner[0][4] == owner[0][1]


def test_frame_around_text_is_not_a_table():
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    page.draw_rect(pymupdf.Rect(60, 60, 535, 780), color=(0, 0, 0), width=1)
    text(page, 72, 100, "一、总体情况", 12)
    d = read(doc.tobytes())
    assert blocks(d) == ["一、总体情况"]


def test_libreoffice_export_fixture():
    """The same-report fixture exported by LibreOffice: three tables, 表三 with merged cells."""
    d = read((FIXTURES / "report.pdf").read_bytes())
    t2, t3, t4 = d.tables()
    assert [(t.n_rows, t.n_cols) for t in (t2, t3, t4)] == [(14, 4), (28, 10), (4, 15)]
    assert grid_texts(t3)[:5] == [
        ["（本列数据的勾稽关系为：第一项加第二项之\n和，等于第三项加第四项之和）", "<", "<", "申请人情况", "<", "<", "<", "<", "<", "<"],
        ["^", "^", "^", "自然\n人", "法人或其他组织", "<", "<", "<", "<", "总计"],
        ["^", "^", "^", "^", "商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他", "^"],
        ["一、本年新收政府信息公开申请数量", "<", "<", "126", "27", "7", "4", "13", "10", "187"],
        ["二、上年结转政府信息公开申请数量", "<", "<", "5", "1", "0", "1", "0", "1", "8"],
    ]
    outcome = t3.rows[5][0]
    assert (outcome.text, outcome.rowspan) == ("三、\n本年\n度办\n理结\n果", 22)
    assert t3.rows[9][2].text == "3.危及“三安全一稳定”"
    assert grid_texts(t3)[27] == ["四、结转下年度继续办理", "<", "<", "7", "2", "1", "0", "1", "1", "12"]
    assert grid_texts(t4)[3] == ["3", "1", "2", "1", "7", "2", "1", "1", "1", "5", "1", "1", "0", "2", "4"]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) not installed; .ci/run installs it, and in CI this test never skips")
def test_word_style_export_through_libreoffice(tmp_path):
    """python-docx → LibreOffice PDF: a 表三-like table with merged cells, split over two pages.
    (One-line rows; a wrapped row cut by the page break is in test_reader_pdf_layouts.py.)"""
    import docx

    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=0, cols=5)
    t.style = "Table Grid"

    def row(values):
        cells = t.add_row().cells
        for cell, v in zip(cells, values):
            cell.text = v
        return cells

    h0 = row(["（本列数据的勾稽关系）", "", "申请人情况", "", ""])
    h1 = row(["", "", "自然人", "法人", "总计"])
    h0[0].merge(h1[1])
    h0[2].merge(h0[4])
    a = row(["一、本年新收政府信息公开申请数量", "", "5", "1", "6"])
    a[0].merge(a[1])
    first = None
    for k in range(40):
        r = row(["三、本年度办理结果" if k == 0 else "", f"第{k + 1}项", str(k), "0", str(k)])
        first = first or r
    first[0].merge(r[0])
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    src = tmp_path / "t3.docx"
    d.save(src)
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    doc = read((tmp_path / "t3.pdf").read_bytes())
    assert doc.source.pages == 2
    tables = list(doc.tables())
    assert len(tables) == 1
    g = [[c.replace("\n", "") if c else c for c in row] for row in grid_texts(tables[0])]
    assert g[:3] == [
        ["（本列数据的勾稽关系）", "<", "申请人情况", "<", "<"],
        ["^", "^", "自然人", "法人", "总计"],
        ["一、本年新收政府信息公开申请数量", "<", "5", "1", "6"],
    ]
    assert len(g) == 43
    assert [r[1:] for r in g[3:]] == [[f"第{k + 1}项", str(k), "0", str(k)] for k in range(40)]
    label = tables[0].rows[3][0]
    assert label.text.replace("\n", "") == "三、本年度办理结果" and label.rowspan == 40
    assert {tables[0].rows[r][1].where.page for r in range(3, 43)} == {1, 2}
    assert blocks(doc) == ["三、收到和处理政府信息公开申请情况", "T0", "四、政府信息公开行政复议、行政诉讼情况"]
