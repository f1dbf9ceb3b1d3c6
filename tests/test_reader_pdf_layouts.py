"""PDF reader on the layouts real Word/WPS exports produce: rows cut by a page break, tables drawn
with horizontal rules only (三线表), with every horizontal rule but no vertical one, with no rules
at all, repeated header rows, running page headers and footers, a table whose header alone ends a
page, landscape pages.

Fixtures: tests/fixtures/pdf_layouts/*.pdf, made by scripts/make_pdf_layouts.py from
tests/fixtures/same_report/report.json (the ground truth) through python-docx and LibreOffice;
the DOCX each PDF came from is kept beside it. The synthetic PDFs below are drawn with PyMuPDF so
that every coordinate is known.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import docx
import pymupdf
import pytest

from nianbao import extract_path
from nianbao.document import Table
from nianbao.readers import pdf as pdf_reader
from nianbao.readers.pdf import continuation, layer, positions
from nianbao.readers.pdf import page as pdf_page

from .test_reader_pdf import CJK, H, W, blocks, grid_texts, read, table, text

FIX = Path(__file__).parent / "fixtures" / "pdf_layouts"
SAME = Path(__file__).parent / "fixtures" / "same_report"
TRUTH = json.loads((SAME / "report.json").read_text(encoding="utf-8"))
TRUTH_2019 = json.loads((SAME / "report2019.json").read_text(encoding="utf-8"))
VARIANTS = ["three_line", "no_vertical", "no_rules", "split_row", "repeat_header", "header_footer",
            "header_at_bottom", "landscape", "three_line_split", "three_line_2019", "no_rules_right",
            "frame", "no_horizontal", "three_line_header_at_bottom", "split_row_repeat_header"]
RULED = ["split_row", "repeat_header", "header_footer", "header_at_bottom", "landscape", "split_row_repeat_header"]
T3_COLS = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
_NUM = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


def flat(tables: dict) -> dict[tuple[str, str, str], object]:
    return {(t, r, c): v for t, rows in tables.items() for r, cols in rows.items() for c, v in cols.items()}


def truth(name: str) -> dict:
    return TRUTH_2019 if name.endswith("_2019") else TRUTH


def read_fixture(name: str):
    data = (FIX / f"{name}.pdf").read_bytes()
    return read(data)


def docx_rows(name: str) -> list[int]:
    """Rows of each table in the DOCX the PDF was converted from."""
    return [len(t.rows) for t in docx.Document(str(FIX / f"{name}.docx")).tables]


def row_values(t: Table) -> list[tuple[str, ...]]:
    """Per grid row, the texts of its number cells left to right."""
    return [tuple(c.text for c in t.origin_cells(r) if _NUM.match(c.text)) for r in range(t.n_rows)]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_layout_extracts_the_report(name):
    report = extract_path(FIX / f"{name}.pdf")
    exp = truth(name)
    got, want = flat(report.tables()), flat(exp["tables"])
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert wrong == {}
    assert set(got) == set(want)
    assert {cv.status for cv in report.cells.values()} == {"read"}
    assert [p.code for p in report.problems if p.severity != "info"] == []
    assert (report.org, report.year, report.format) == (exp["org"], exp["year"], exp["format"])
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("name", VARIANTS)
def test_every_row_of_table_three_is_one_grid_row(name):
    """The seven values of each 表三 row stand together in one grid row, in column order: no row
    is split between two grid rows (a cut row, a label wrapped around centred values)."""
    doc = read_fixture(name)
    tables = list(doc.tables())
    assert len(tables) == 3
    exp = truth(name)["tables"]
    have = Counter(row_values(tables[1]))
    want = Counter(tuple(str(exp["t3"][r][c]) for c in T3_COLS) for r in exp["t3"])
    assert want - have == Counter()
    t4 = exp["t4"]
    assert tuple(str(t4[g][c]) for g in ("review", "direct", "after_review")
                 for c in ("maintain", "correct", "other", "pending", "total")) in row_values(tables[2])


@pytest.mark.parametrize("name", RULED)
def test_ruled_layouts_keep_the_rows_of_the_word_table(name):
    """One table per Word table, with Word's rows: repeated header rows dropped, the table
    continuing over the break (also below a running page header) joined, a cut row rejoined."""
    doc = read_fixture(name)
    assert [t.n_rows for t in doc.tables()] == docx_rows(name)
    t3 = list(doc.tables())[1]
    assert sum(1 for r in range(t3.n_rows) for c in t3.origin_cells(r) if c.text == "申请人情况") == 1


@pytest.mark.parametrize("name", ["split_row", "split_row_repeat_header"])
def test_row_cut_by_the_page_break_is_one_row(name):
    doc = read_fixture(name)
    t3 = list(doc.tables())[1]
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    hits = [(r, c) for r in range(t3.n_rows) for c in t3.origin_cells(r) if c.text.replace("\n", "") == label]
    assert len(hits) == 1
    r, cell = hits[0]
    want = tuple(str(TRUTH["tables"]["t3"]["other_1"][c]) for c in T3_COLS)
    assert row_values(t3)[r] == want
    pages = {c.where.page for c in t3.origin_cells(r)}
    assert cell.where.page in pages and len(pages) == 1          # the row starts on one page
    # the merged （六）其他处理 cell cut in the middle of its text is one cell again
    assert any(c.text.replace("\n", "") == "（六）其他处理" for c in t3.origin_cells(r))


def test_running_header_is_not_a_paragraph():
    doc = read_fixture("header_footer")
    title = TRUTH["title"]
    paras = [b.text for b in doc.paragraphs()]
    assert not any(p.startswith(title[:10]) and p != title.replace("\n", "") for p in paras[1:])
    assert not any("第" in p and "页" in p and "共" in p for p in paras)
    assert blocks(doc)[0].startswith(title[:10])


def test_header_of_a_table_without_rules_alone_at_the_bottom_of_a_page_joins_its_table():
    doc = read_fixture("three_line_header_at_bottom")
    t3 = list(doc.tables())[1]
    cells = [c for r in range(t3.n_rows) for c in t3.origin_cells(r)]
    head = next(c for c in cells if c.text == "申请人情况")
    first = next(c for c in cells if c.text.startswith("一、本年新收"))
    assert head.where.page == first.where.page - 1 and head.row < first.row
    assert not any("申请人情况" in p.text for p in doc.paragraphs())


def test_landscape_pages_are_read():
    with pymupdf.open(FIX / "landscape.pdf") as d:
        assert d[0].rect.width > d[0].rect.height


# ───────────────────────────── synthetic: rows cut by the page break ─────────────────────────────

XS = [72.0, 202.0, 252.0, 302.0, 352.0]
HEAD = [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "自然人"), (0, 2, 1, 1, "法人"), (0, 3, 1, 1, "总计")]


def two_page_table(last: list, first: list, more: list) -> bytes:
    """A ruled table whose last row on page 1 is `last` and whose rows on page 2 are `first`
    then `more` (cells as (row, col, rowspan, colspan, text))."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 640, "三、收到和处理政府信息公开申请情况", 12)
    table(p1, XS, [680, 700, 720, 760], HEAD + [(1, 0, 1, 1, "一、本年新收"), (1, 1, 1, 1, "5"), (1, 2, 1, 1, "1"),
                                                 (1, 3, 1, 1, "6")] + last)
    p2 = doc.new_page(width=W, height=H)
    table(p2, XS, [72, 92, 112], first + more)
    text(p2, 72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    return doc.tobytes()


NEXT = [(1, 0, 1, 1, "（三）不予公开"), (1, 1, 1, 1, "4"), (1, 2, 1, 1, "4"), (1, 3, 1, 1, "8")]


def test_wrapped_label_cut_by_the_break_is_rejoined():
    # 13 characters of 10 pt fill the 130 pt label cell: the label wraps on the next page
    last = [(2, 0, 1, 1, "（二）部分公开（区分处理\n的，只计这一情形，不计其"), (2, 1, 1, 1, "2"),
            (2, 2, 1, 1, "1"), (2, 3, 1, 1, "3")]
    first = [(0, 0, 1, 1, "他情形）"), (0, 1, 1, 1, ""), (0, 2, 1, 1, ""), (0, 3, 1, 1, "")]
    t = next(read(two_page_table(last, first, NEXT)).tables())
    assert grid_texts(t) == [
        ["信息内容", "自然人", "法人", "总计"],
        ["一、本年新收", "5", "1", "6"],
        ["（二）部分公开（区分处理\n的，只计这一情形，不计其\n他情形）", "2", "1", "3"],
        ["（三）不予公开", "4", "4", "8"],
    ]
    assert t.rows[3][0].row == 3 and t.rows[3][0].where.row == 3 and t.rows[3][0].where.page == 2
    assert t.rows[2][0].where.page == 1


def test_values_of_a_cut_row_drawn_on_the_next_page_join_its_label():
    last = [(2, 0, 1, 1, "（二）部分公开"), (2, 1, 1, 1, ""), (2, 2, 1, 1, ""), (2, 3, 1, 1, "")]
    first = [(0, 0, 1, 1, ""), (0, 1, 1, 1, "2"), (0, 2, 1, 1, "1"), (0, 3, 1, 1, "3")]
    t = next(read(two_page_table(last, first, NEXT)).tables())
    assert grid_texts(t)[2:] == [["（二）部分公开", "2", "1", "3"], ["（三）不予公开", "4", "4", "8"]]
    assert t.rows[2][1].where.page == 2 and t.rows[2][1].where.row == 2


@pytest.mark.parametrize("last_label,first_label", [
    ("规章", "行政规范性文件"),                       # short label above: not wrapped
    ("（二）部分公开（区分处理的", "2.其他法律行政法规禁止公"),  # full label above, but a new numbered row below
])
def test_genuine_rows_at_the_break_stay_apart(last_label, first_label):
    last = [(2, 0, 1, 1, last_label), (2, 1, 1, 1, ""), (2, 2, 1, 1, ""), (2, 3, 1, 1, "")]
    first = [(0, 0, 1, 1, first_label), (0, 1, 1, 1, "7"), (0, 2, 1, 1, "3"), (0, 3, 1, 1, "10")]
    t = next(read(two_page_table(last, first, NEXT)).tables())
    assert grid_texts(t)[2:] == [[last_label, "", "", ""], [first_label, "7", "3", "10"],
                                 ["（三）不予公开", "4", "4", "8"]]


XN = [72.0, 202.0, 228.0, 254.0, 280.0]    # value columns 26 pt wide: two digits (10 pt each) fill a line


def narrow_two_page_table(last: list, first: list) -> bytes:
    """A ruled table with narrow value columns, its row `last` at the bottom of page 1 and `first`
    at the top of page 2 (cells as (col, text); one row each), then a row （三）不予公开."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    table(p1, XN, [700, 720, 760], [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "自"), (0, 2, 1, 1, "法"),
                                     (0, 3, 1, 1, "总")] + [(1, c, 1, 1, t) for c, t in last])
    p2 = doc.new_page(width=W, height=H)
    table(p2, XN, [72, 92, 112], [(0, c, 1, 1, t) for c, t in first]
          + [(1, 0, 1, 1, "（三）不予公开"), (1, 1, 1, 1, "4"), (1, 2, 1, 1, "4"), (1, 3, 1, 1, "8")])
    return doc.tobytes()


def test_a_number_wrapped_in_its_cell_and_cut_by_the_break_is_read_whole():
    """"26" wrapped in a narrow cell: "2" ends page 1, "6" starts page 2 in the rest of the cut
    row. The row is one row and the cell's text is both lines (26), never "2" (issue #16)."""
    last = [(0, "（七）总计"), (1, "12"), (2, "2"), (3, "13")]
    first = [(0, ""), (1, "4"), (2, "6"), (3, "0")]
    t = next(read(narrow_two_page_table(last, first)).tables())
    assert grid_texts(t) == [["信息内容", "自", "法", "总"], ["（七）总计", "12\n4", "2\n6", "13\n0"],
                             ["（三）不予公开", "4", "4", "8"]]
    assert t.rows[1][2].where.page == 1


def test_a_number_under_a_number_with_a_label_going_on_is_not_joined():
    """表二-like: a full label and a full number above, a label without numbering and a number
    below. The second may be the next row (行政处罚 57 / 行政强制 9): the rows stay apart."""
    last = [(0, "行政处罚行政处罚行政处罚处"), (1, "57"), (2, ""), (3, "")]
    first = [(0, "行政强制"), (1, "9"), (2, ""), (3, "")]
    t = next(read(narrow_two_page_table(last, first)).tables())
    assert [r[:2] for r in grid_texts(t)] == [["信息内容", "自"], ["行政处罚行政处罚行政处罚处", "57"],
                                              ["行政强制", "9"], ["（三）不予公开", "4"]]


def test_rows_with_values_on_both_sides_of_the_break_stay_apart():
    last = [(2, 0, 1, 1, "（二）部分公开（区分处理的"), (2, 1, 1, 1, "2"), (2, 2, 1, 1, "1"), (2, 3, 1, 1, "3")]
    first = [(0, 0, 1, 1, "行政处罚"), (0, 1, 1, 1, ""), (0, 2, 1, 1, "9"), (0, 3, 1, 1, "")]
    t = next(read(two_page_table(last, first, NEXT)).tables())
    assert t.n_rows == 5


# ───────────────────────────── synthetic: tables without rules ─────────────────────────────

BODY = "本年度共收到申请12件，办结10件，结转2件。我单位认真落实条例要求，依法依规答复每一件申请，做到件件有回音。"


def rule(page, y: float, x0: float = 72.0, x1: float = 420.0) -> None:
    page.draw_line((x0, y), (x1, y), color=(0, 0, 0), width=0.75)


def unruled_pdf(rules: str = "none", heading: float = 14) -> bytes:
    """Heading, a paragraph with numbers, then a table placed by text positions only: a header,
    a label wrapped over two lines with its values centred between them, a blank value, a
    right-aligned money value; then a paragraph. rules: none | three_line."""
    doc = pymupdf.open()
    p = doc.new_page(width=W, height=H)
    text(p, 72, 60, "三、收到和处理政府信息公开申请情况", heading)
    for k in range(3):
        text(p, 72, 90 + 20 * k, BODY[k * 28:(k + 1) * 28], 12)
    cols = [262.0, 312.0, 362.0]      # value columns: left edges (numbers drawn centred)

    def num(y, k, s):
        text(p, cols[k] + 25 - 2.75 * len(s), y, s, 10, "helv")
    y = 170.0
    if heading == 10:   # a heading of the table's size right above it
        text(p, 72, 152, "（三）依申请公开情况", 10)
    if rules == "three_line":
        rule(p, y - 4)
    text(p, 72, y, "信息内容", 10)
    for k, h in enumerate(["自然人", "法人", "总计"]):
        text(p, cols[k] + 10, y, h, 10)
    y += 16
    if rules == "three_line":
        rule(p, y - 3)
    rows = [("一、本年新收申请", ["5", "1", "6"]), ("（一）予以公开", ["3", "", "3"]),
            (("（二）部分公开（区分处理", "的，只计这一情形）"), ["1", "1", "2"]), ("（七）总计", ["4", "1", "5"])]
    for label, vals in rows:
        if isinstance(label, tuple):
            text(p, 72, y, label[0], 10)
            text(p, 72, y + 13, label[1], 10)
            vy = y + 6.5
            y += 26
        else:
            text(p, 72, y, label, 10)
            vy = y
            y += 16
        for k, v in enumerate(vals):
            if v:
                num(vy, k, v)
    if rules == "three_line":
        rule(p, y - 2)
    text(p, 72, y + (4 if heading == 10 else 30), "四、政府信息公开行政复议、行政诉讼情况", heading)
    return doc.tobytes()


@pytest.mark.parametrize("rules", ["none", "three_line"])
def test_table_without_rules_is_rebuilt_from_text_positions(rules):
    doc = read(unruled_pdf(rules))
    assert blocks(doc) == ["三、收到和处理政府信息公开申请情况", BODY, "T0", "四、政府信息公开行政复议、行政诉讼情况"]
    t = next(doc.tables())
    assert grid_texts(t) == [
        ["信息内容", "自然人", "法人", "总计"],
        ["一、本年新收申请", "5", "1", "6"],
        ["（一）予以公开", "3", "", "3"],
        ["（二）部分公开（区分处理\n的，只计这一情形）", "1", "1", "2"],
        ["（七）总计", "4", "1", "5"],
    ]
    blank = t.rows[2][2]
    assert blank.text == "" and blank.where.page == 1
    assert t.rows[1][1].where.bbox[0] > 262


def test_headings_of_the_table_size_next_to_a_table_stay_paragraphs():
    doc = read(unruled_pdf("none", heading=10))
    assert blocks(doc)[-3:] == ["（三）依申请公开情况", "T0", "四、政府信息公开行政复议、行政诉讼情况"]
    assert next(doc.tables()).n_rows == 5


def test_paragraphs_with_numbers_and_lists_are_not_a_table():
    doc = pymupdf.open()
    p = doc.new_page(width=W, height=H)
    lines = ["一、总体情况", "本年度共收到申请12件，办结10件。", "1. 予以公开 3 件；", "2. 部分公开 1 件；",
             "3. 不予公开 2 件。", "二、主动公开政府信息情况", "共发布信息 287 条，其中政策文件 12 件。"]
    for k, s in enumerate(lines):
        text(p, 72, 72 + 20 * k, s, 12)
    # a short two-column list: label and number far apart, but one line only
    text(p, 72, 240, "行政许可", 12)
    text(p, 300, 240, "12", 12, "helv")
    out = read(doc.tobytes())
    assert list(out.tables()) == []
    assert len(list(out.paragraphs())) == len(lines) + 1


def test_justified_prose_with_figures_set_apart_is_not_a_table():
    """Justified lines where a figure stands apart from the words (stretched spaces) look like
    rows of a label and a value; the figures do not line up in a column, so no table."""
    doc = pymupdf.open()
    p = doc.new_page(width=W, height=H)
    for k, (x, n) in enumerate([(150, "187"), (158, "126"), (166, "61"), (174, "55")]):
        y = 100 + 18 * k
        text(p, 72, y, "共收到申请", 12)
        text(p, x, y, n, 12, "helv")
        text(p, x + 40, y, "件，其中自然人申请较上年有所增加。", 12)
    out = read(doc.tobytes())
    assert list(out.tables()) == []
    prose = "".join(b.text for b in out.paragraphs())
    assert all(n in prose for n in ("187", "126", "61", "55"))


def test_line_runs_split_at_wide_gaps_only():
    f = layer.Frag
    parts = [f(72, 100, 112, 110, "信息内容", 10), f(112, 100, 132, 110, "合计", 10),
             f(262, 100, 268, 110, "12", 10), f(312, 100, 318, 110, "/", 10)]
    runs = positions.line_runs(parts)
    assert [(r.text, r.value) for r in runs] == [("信息内容合计", False), ("12", True), ("/", True)]


def test_column_bounds_from_gaps_and_label_starts():
    Run = positions.Run

    def line(*cells):
        return [Run(x0, 0, x1, 10, t, 10, bool(re.match(r"^[0-9]+$", t))) for x0, x1, t in cells]
    lines = [line((72, 172, "一、本年新收政府信息公开"), (262, 268, "5"), (312, 318, "6")),
             line((120, 160, "1.国家秘密"), (262, 268, "1"), (312, 318, "2")),
             line((120, 170, "2.其他法律"), (262, 268, "3"), (312, 318, "4")),
             line((120, 150, "3.危及"), (262, 268, "7"), (312, 318, "8")),
             line((72, 90, "三、"), (120, 140, "4.保护"), (262, 268, "0"), (312, 318, "0"))]
    b = positions.column_bounds(lines)
    assert len(b) == 5                               # label, sub-label, two value columns
    assert b[0] < 72 and 172 < b[2] < 262 and 268 < b[3] < 312 and b[4] > 318
    assert 90 < b[1] < 120


def test_blank_cells_only_in_the_value_columns_of_their_block():
    """表二-like: a block with three value columns (one value blank), then a block whose single
    value sits in the middle column: its row gets no blank cells beside the value."""
    Run, Piece = positions.Run, positions._Piece

    def pc(c, t, value=None):
        v = bool(re.match(r"^[0-9]+$", t)) if value is None else value
        return Piece(c, c, [Run(0, 0, 1, 1, t, 10, v)])
    rows = [[pc(0, "信息内容"), pc(1, "本年制发件数"), pc(2, "本年废止件数"), pc(3, "现行有效件数")],
            [pc(0, "规章"), pc(1, "0"), pc(3, "0")],
            [pc(0, "行政规范性文件"), pc(1, "7"), pc(2, "3"), pc(3, "46")],
            [pc(0, "信息内容"), pc(2, "本年处理决定数量")],
            [pc(0, "行政许可"), pc(2, "128")]]
    assert positions._live_columns(rows, 4) == [[], [1, 2, 3], [1, 2, 3], [], [2]]


def test_running_header_and_footer_lines_are_dropped():
    TL, PR = layer.TLine, pdf_page.PageResult

    def page(n, body):
        return PR(n, 842.0, [TL(200, 40, 400, 52, "某某街道2022年政府信息公开工作年度报告", 10),
                             TL(90, 100, 500, 116, body, 16),
                             TL(250, 800, 350, 810, "某某街道办事处", 9)], [], True, False, 0)
    pages = [page(1, "一、总体情况"), page(2, "二、主动公开"), page(3, "三、依申请公开")]
    pages[0].lines.insert(1, TL(90, 60, 500, 80, "某某街道办事处", 9))  # same text in the body: kept
    continuation.drop_running_lines(pages)
    assert [[ln.text for ln in p.lines] for p in pages] == [["某某街道办事处", "一、总体情况"], ["二、主动公开"],
                                                           ["三、依申请公开"]]


def test_one_page_keeps_its_header_line():
    TL, PR = layer.TLine, pdf_page.PageResult
    pages = [PR(1, 842.0, [TL(200, 40, 400, 52, "标题", 10)], [], True, False, 0)]
    continuation.drop_running_lines(pages)
    assert [ln.text for ln in pages[0].lines] == ["标题"]


def test_page_stages_show_the_table_without_rules():
    with pymupdf.open(FIX / "three_line.pdf") as d:
        page = next(p for p in d if "本列数据" in p.get_text())
        st = pdf_reader.page_stages(page)
        first = next(p for p in d)
        assert pdf_reader.page_stages(first)["text_spans"] == []
    assert len(st["text_spans"]) == 1
    i, j, weak = st["text_spans"][0]
    assert not weak
    assert any("本列数据" in r.text for rs in st["runs"][i:j] for r in rs)
    assert len(st["text_bounds"][0]) - 1 >= 8        # seven value columns and the label column(s)


# ───────────────────────────── property: nothing lost, nothing raised ─────────────────────────────

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXTS = st.sampled_from(["12", "0", "/", "无", "3.5", "自然人", "（一）予以公开", "1.属于国家秘密",
                          "商业", "企业", "其他", "总计", "补正后申请", "内容仍不明确", "一、本年新收"])


@st.composite
def run_lines(draw):
    n = draw(st.integers(1, 14))
    lines = []
    y = 100.0
    size = draw(st.sampled_from([9.0, 10.5]))
    for _ in range(n):
        y += draw(st.sampled_from([6.5, 13.0, 13.0, 13.0, 16.0, 30.0]))
        # mostly on a few column positions (so that tables form), sometimes anywhere
        xs = sorted(set(draw(st.lists(st.one_of(st.sampled_from([0, 8, 12, 16, 20, 24]), st.integers(0, 30)),
                                      min_size=1, max_size=9))))
        runs = []
        for k in xs:
            t = draw(_TEXTS)
            x0 = 72.0 + 15.0 * k
            runs.append(positions.Run(x0, y, x0 + size * len(t) * 0.9, y + size, t, size,
                                      bool(layer._VALUE.match(t))))
        # runs of one line must not overlap
        kept = [runs[0]]
        for r in runs[1:]:
            if r.x0 > kept[-1].x1 + 1:
                kept.append(r)
        lines.append(kept)
    return lines


@settings(max_examples=300, deadline=None, derandomize=True)
@given(run_lines(), st.lists(st.floats(100, 400), max_size=3))
def test_text_table_keeps_every_run_once(lines, rules):
    for i, j, _ in positions.text_table_spans(lines, 72.0, 520.0, top=200.0):
        part = lines[i:j]
        t = positions.text_table(part, rules, 1)
        if t is None:
            continue
        got = Counter(s for c in t.cells for s in c.text.split("\n") if s)
        assert got == Counter(r.text for rs in part for r in rs)
        nc = len(t.grid.xs) - 1
        assert all(len(row) == nc for row in t.owner) and len(t.owner) == len(t.grid.ys) - 1
        assert all(t.grid.ys[k] < t.grid.ys[k + 1] for k in range(len(t.grid.ys) - 1))


def _bench_generator():
    import importlib.util
    path = Path(__file__).parent.parent / "bench" / "reader_pdf.py"
    spec = importlib.util.spec_from_file_location("bench_reader_pdf", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.generate


@pytest.mark.parametrize("rules", ["three_line", "none"])
def test_benchmark_report_without_rules_reads_like_the_ruled_one(rules, tmp_path):
    """bench/reader_pdf.py draws cells with only 3 pt padding (6 pt between the texts of two
    cells), a tall header row in 表四 and 表三 over a page break: the same tables either way."""
    generate = _bench_generator()
    ruled, bare = tmp_path / "grid.pdf", tmp_path / f"{rules}.pdf"
    ruled.write_bytes(generate("grid"))
    bare.write_bytes(generate(rules))
    want, got = extract_path(ruled), extract_path(bare)
    assert got.tables() == want.tables()
    assert {k: cv.status for k, cv in got.cells.items()} == {k: cv.status for k, cv in want.cells.items()}
    assert len(list(read(bare.read_bytes()).tables())) == 3


def test_a_column_left_blank_in_every_row_keeps_its_blank_cells():
    """No rules; the column 其他 holds no value in any row, only its header names it: its empty
    positions are blank cells (not a gap between two columns), so no row comes out short."""
    doc = pymupdf.open()
    p = doc.new_page(width=W, height=H)
    text(p, 72, 60, "三、收到和处理政府信息公开申请情况", 14)
    cols = [232.0, 282.0, 332.0, 382.0]
    y = 100.0
    text(p, 72, y, "信息内容", 10)
    for k, h in enumerate(["自然人", "法人", "其他", "总计"]):
        text(p, cols[k] + 25 - 5 * len(h), y, h, 10)
    rows = [("一、本年新收申请", ["5", "1", "", "6"]), ("二、上年结转申请", ["1", "0", "", "1"]),
            ("（一）予以公开", ["3", "1", "", "4"]), ("（七）总计", ["4", "1", "", "5"])]
    for label, vals in rows:
        y += 16
        text(p, 72, y, label, 10)
        for k, v in enumerate(vals):
            if v:
                text(p, cols[k] + 25 - 2.75 * len(v), y, v, 10, "helv")
    t = next(read(doc.tobytes()).tables())
    assert grid_texts(t) == [["信息内容", "自然人", "法人", "其他", "总计"]] + [
        [label] + vals for label, vals in rows]


def test_column_left_blank_over_a_page_break_reads_as_blank():
    """no_vertical_blank_column.pdf: the report with 表三's 科研机构 blank in every row (the
    table running over a page break, the header only on the first page) and 规章's 本年废止件数
    blank, as scripts/make_pdf_layouts.py wrote it. Blank cells are blank, not zero, not missing."""
    report = extract_path(FIX / "no_vertical_blank_column.pdf")
    blanks = {("t3", r, "research") for r in TRUTH["tables"]["t3"]} | {("t2", "regulations", "repealed")}
    want = {k: (None if k in blanks else v) for k, v in flat(TRUTH["tables"]).items()}
    assert flat(report.tables()) == want
    status = {(cv.table, cv.row, cv.col): cv.status for cv in report.cells.values()}
    assert {k for k, s in status.items() if s != "read"} == blanks
    assert {status[k] for k in blanks} == {"blank"}
    t3 = list(read_fixture("no_vertical_blank_column").tables())[1]
    assert len({c.where.page for r in range(t3.n_rows) for c in t3.origin_cells(r)}) == 2


def _unruled_rows(p, y: float, rows) -> float:
    cols = [262.0, 312.0, 362.0]
    for label, vals in rows:
        text(p, 72, y, label, 10)
        for k, v in enumerate(vals):
            text(p, cols[k] + 25 - 2.75 * len(v), y, v, 10, "helv")
        y += 16
    return y


@pytest.mark.parametrize("first_page", [True, False])
def test_two_rows_at_the_top_of_a_page_continue_a_table_without_rules(first_page):
    """The last two rows of a table without rules alone at the top of page 2 join the table of
    page 1; the same two lines with nothing to continue stay paragraphs."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 60, "三、收到和处理政府信息公开申请情况", 14)
    if first_page:
        text(p1, 72, 660, "信息内容", 10)
        for k, h in enumerate(["自然人", "法人", "总计"]):
            text(p1, 262.0 + k * 50 + 10, 660, h, 10)
        _unruled_rows(p1, 676, [("一、本年新收申请", ["5", "1", "6"]), ("二、上年结转申请", ["1", "0", "1"]),
                                ("（一）予以公开", ["3", "1", "4"]), ("（二）部分公开", ["1", "0", "1"])])
    p2 = doc.new_page(width=W, height=H)
    _unruled_rows(p2, 72, [("（七）总计", ["4", "1", "5"]), ("四、结转下年度继续办理", ["2", "0", "2"])])
    text(p2, 72, 130, "四、政府信息公开行政复议、行政诉讼情况", 14)
    out = read(doc.tobytes())
    tables = list(out.tables())
    if first_page:
        assert len(tables) == 1 and tables[0].n_rows == 7
        assert grid_texts(tables[0])[-2:] == [["（七）总计", "4", "1", "5"], ["四、结转下年度继续办理", "2", "0", "2"]]
        assert tables[0].rows[-1][0].where.page == 2
    else:
        assert tables == []
        assert [b.text for b in out.paragraphs()][-3:-1] == ["（七）总计 4 1 5", "四、结转下年度继续办理 2 0 2"]


@pytest.mark.parametrize("centred", [True, False])
def test_header_line_ending_the_page_before_the_last_row_keeps_the_table_together(centred):
    """2019 表二 without rules: the header line "第二十条第（九）项" over the value columns ends
    page 1, its column header and last row ("政府集中采购") open page 2: one table. The same line
    at the table's left edge starts like a heading: a paragraph, and page 2 continues nothing."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 60, "二、主动公开政府信息情况", 14)

    def head(p, y, section, names):
        if section:
            text(p, 280, y, section, 10)
            y += 16
        text(p, 72, y, "信息内容", 10)
        for k, h in enumerate(names):
            text(p, 262.0 + k * 50 + 10, y, h, 10)
        return y + 16
    y = head(p1, 640, "第二十条第（六）项", ["上年", "增减", "决定"])
    y = _unruled_rows(p1, y, [("行政处罚", ["0", "+12", "28"]), ("行政强制", ["2", "+3", "18"])])
    y = head(p1, y, "第二十条第（八）项", ["上年", "增减"])
    y = _unruled_rows(p1, y, [("行政事业性收费", ["0", "+15"])])
    text(p1, 280 if centred else 72, y, "第二十条第（九）项", 10)
    p2 = doc.new_page(width=W, height=H)
    y = head(p2, 72, None, ["数量", "金额"])
    _unruled_rows(p2, y, [("政府集中采购", ["6", "268.3"])])
    text(p2, 72, 130, "三、收到和处理政府信息公开申请情况", 14)
    out = read(doc.tobytes())
    tables = list(out.tables())
    paras = [b.text for b in out.paragraphs()]
    assert len(tables) == 1
    rows = [[c.text for c in tables[0].origin_cells(r) if c.text] for r in range(tables[0].n_rows)]
    assert ["行政事业性收费", "0", "+15"] in rows
    if centred:
        assert rows[-3:] == [["第二十条第（九）项"], ["信息内容", "数量", "金额"], ["政府集中采购", "6", "268.3"]]
        assert tables[0].origin_cells(tables[0].n_rows - 1)[0].where.page == 2
        assert paras == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    else:
        assert rows[-1] == ["行政事业性收费", "0", "+15"]
        assert paras[1] == "第二十条第（九）项" and "政府集中采购 6 268.3" in "".join(paras)
