"""A number at the bottom of a page whose row goes on at the top of the next page is never read
as complete unless certain (readers/pdf/cut.py): "11" of a 114 cut by the break is `missing`
with a note, not `read 11` (issue #16, bench/accuracy.py pdf/real_web_print_narrow/big).

Synthetic PDFs drawn with PyMuPDF (every coordinate known): a ruled table ends page 1 with a
row whose label and number both go on at the top of page 2, where the grid has one more (merged,
empty) column on the left, as a browser prints 表三 when the merged 三、本年度办理结果 cell is cut.
"""
from __future__ import annotations

import pymupdf

from nianbao.extract import linearize
from nianbao.report import MISSING, READ

from .test_reader_pdf import CJK, H, W, read, table, text

# page 1: group label, row label (13 characters of 10 pt fill its 130 pt cell: it wraps on),
# three value columns 26 pt wide (two digits of 10 pt fill a line), a total column 40 pt wide
XS1 = [72.0, 112.0, 242.0, 268.0, 294.0, 320.0, 360.0]
XS2 = [42.0] + XS1          # page 2: one more column on the left (the merged 三、 cell, empty)
LABEL = "1.申请人无正当理由逾期不"


def cut_pdf(last: list[tuple[int, str]], first: list[tuple[int, str]], header: bool = True) -> bytes:
    """Page 1: a heading and a ruled table whose last row is `last` ((col, text), cols 0-5 of
    XS1). Page 2: a ruled table with XS2's extra empty left column, its first row `first`
    ((col, text), cols of XS1 + 1), then a new row 2.申请人逾期… with values."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 600, "三、收到和处理政府信息公开申请情况", 12)
    cells = [(0, 0, 1, 2, "信息内容"), (0, 2, 1, 1, "自"), (0, 3, 1, 1, "商"), (0, 4, 1, 1, "科"),
             (0, 5, 1, 1, "总计"), (1, 0, 1, 2, "二、上年结转"), (1, 2, 1, 1, "1"), (1, 3, 1, 1, "0"),
             (1, 4, 1, 1, "0"), (1, 5, 1, 1, "1")]
    table(p1, XS1, [680, 700, 720, 770], cells + [(2, c, 1, 1, t) for c, t in last])
    p2 = doc.new_page(width=W, height=H)
    rows = [(0, 0, 3, 1, "")] + [(0, c, 1, 1, t) for c, t in first] + [
        (1, 1, 1, 1, "其他"), (1, 2, 1, 1, "2.申请人逾期"), (1, 3, 1, 1, "3"), (1, 4, 1, 1, "0"),
        (1, 5, 1, 1, "0"), (1, 6, 1, 1, "3"), (2, 1, 1, 2, "（七）总计"), (2, 3, 1, 1, "5"),
        (2, 4, 1, 1, "2"), (2, 5, 1, 1, "1"), (2, 6, 1, 1, "8")]
    table(p2, XS2, [60, 100, 120, 140], rows)
    text(p2, 72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    return doc.tobytes()


def cells_by_text(doc) -> dict[str, list]:
    out: dict[str, list] = {}
    for t in doc.tables():
        for r in range(t.n_rows):
            for c in t.origin_cells(r):
                out.setdefault(c.text, []).append(c)
    return out


def items_by_text(doc) -> dict[str, list]:
    out: dict[str, list] = {}
    for it in linearize(doc):
        if it.is_cell:
            out.setdefault(it.text, []).append(it)
    return out


# the row of page 1: （六）其他 | 1.申请人无正当理由逾期不 | 11 | 0 | 11 | 22
LAST = [(0, "（六）"), (1, LABEL), (2, "11"), (3, "0"), (4, "11"), (5, "22")]
# its rest on page 2: 处理 | 补正、行政机关不再处理 | 4 | | 4 | 8  (114, 0, 114, 228)
REST = [(1, "处理"), (2, "补正、行政机关"), (3, "4"), (4, ""), (5, "4"), (6, "8")]


def test_a_number_cut_by_the_break_in_a_row_whose_label_goes_on_is_missing_not_read():
    doc = read(cut_pdf(LAST, REST))
    cells = cells_by_text(doc)
    assert [c.where.page for c in cells["11"]] == [1, 1]
    assert all(c.doubt and "第1页" in c.doubt and "「11」" in c.doubt for c in cells["11"])
    assert cells["22"][0].doubt is not None                 # 228: "22" filled its cell too
    assert cells["0"][0].doubt is None                      # nothing printed below it on page 2
    assert all(c.doubt is None for c in cells["1"] + cells["3"] + cells["5"] + cells["8"])
    items = items_by_text(doc)
    for it in items["11"] + items["22"]:
        assert (it.parsed.status, it.parsed.value) == (MISSING, None)
        assert "可能被分页截断" in it.parsed.note
    assert [(it.parsed.status, it.parsed.value) for it in items["0"]] == [(READ, 0)] * len(items["0"])
    assert [(it.parsed.status, it.parsed.value) for it in items["3"]] == [(READ, 3)] * len(items["3"])


def test_numbers_above_a_new_numbered_row_are_read():
    """The first row on page 2 starts with its numbering (2.…): the row on page 1 ended there."""
    first = [(1, ""), (2, "2.申请人逾期"), (3, "4"), (4, "0"), (5, "4"), (6, "8")]
    doc = read(cut_pdf(LAST, first))
    assert all(c.doubt is None for cs in cells_by_text(doc).values() for c in cs)


def test_numbers_that_end_short_of_their_cell_are_read():
    """"5" ends 13 pt short of its 40 pt total cell's right edge: no digit could follow on the
    same line, so nothing of it went on; "11" in a full 26 pt cell is still doubtful."""
    last = [(0, "（六）"), (1, LABEL), (2, "11"), (3, "0"), (4, "0"), (5, "5")]
    doc = read(cut_pdf(last, REST))
    cells = cells_by_text(doc)
    assert cells["5"][0].doubt is None
    assert cells["11"][0].doubt is not None


def test_numbers_under_a_finished_label_are_read():
    """A label that ends short of its cell's edge ended on page 1: the text under it on page 2
    is the next row's label, so the numbers above are complete (表二's 规章 / 行政规范性文件)."""
    last = [(0, "（六）"), (1, "规章"), (2, "11"), (3, "0"), (4, "11"), (5, "22")]
    doc = read(cut_pdf(last, REST))
    assert all(c.doubt is None for cs in cells_by_text(doc).values() for c in cs)


def test_a_label_and_a_number_below_full_ones_make_the_number_doubtful():
    """表二-like, one grid on both pages: a full label and a full number at the bottom of page 1,
    a label without numbering and a number at the top of page 2. The rows stay apart
    (test_reader_pdf_layouts), and the number above may be cut: not read."""
    from .test_reader_pdf_layouts import narrow_two_page_table
    last = [(0, "行政处罚行政处罚行政处罚处"), (1, "57"), (2, ""), (3, "")]
    first = [(0, "行政强制"), (1, "9"), (2, ""), (3, "")]
    doc = read(narrow_two_page_table(last, first))
    cells = cells_by_text(doc)
    assert cells["57"][0].doubt is not None and cells["9"][0].doubt is None
    assert [it.parsed.status for it in items_by_text(doc)["57"]] == [MISSING]


def test_a_wrapped_number_rejoined_over_the_break_is_read_whole():
    """"2" / "6" in a row whose label does not go on: rejoined (26), no doubt."""
    from .test_reader_pdf_layouts import narrow_two_page_table
    last = [(0, "（七）总计"), (1, "12"), (2, "2"), (3, "13")]
    first = [(0, ""), (1, "4"), (2, "6"), (3, "0")]
    doc = read(narrow_two_page_table(last, first))
    cells = cells_by_text(doc)
    assert cells["2\n6"][0].doubt is None
    assert [(it.parsed.status, it.parsed.value) for it in items_by_text(doc)["2\n6"]] == [(READ, 26)]


def test_cell_text_spilling_below_a_table_cut_by_the_break_is_the_cells():
    """A browser prints the lines of a cut cell that do not fit above the break just below the
    table's bottom border ("结果维" in the cell, "持" under it): they are the cell's text, not a
    paragraph, and the table goes on on page 2."""
    doc = pymupdf.open()
    p1 = doc.new_page(width=W, height=H)
    text(p1, 72, 640, "四、政府信息公开行政复议、行政诉讼情况", 12)
    xs = [72.0, 112.0, 152.0, 192.0]
    table(p1, xs, [700, 720, 760], [(0, 0, 1, 3, "行政复议"), (1, 0, 1, 1, "结果维"), (1, 1, 1, 1, "结果纠"),
                                     (1, 2, 1, 1, "总")])
    for x, s in ((80, "持"), (120, "正"), (160, "计")):
        text(p1, x, 762, s)
    p2 = doc.new_page(width=W, height=H)
    table(p2, xs, [60, 80, 100], [(0, 0, 1, 1, ""), (0, 1, 1, 1, ""), (0, 2, 1, 1, ""),
                                  (1, 0, 1, 1, "3"), (1, 1, 1, 1, "1"), (1, 2, 1, 1, "4")])
    text(p2, 72, 140, "五、存在的主要问题及改进情况", 12)
    d = read(doc.tobytes())
    tables = list(d.tables())
    assert len(tables) == 1
    texts = [[c.text for c in tables[0].origin_cells(r)] for r in range(tables[0].n_rows)]
    assert texts[:2] == [["行政复议"], ["结果维\n持", "结果纠\n正", "总\n计"]]
    assert texts[-1] == ["3", "1", "4"]
    assert [p.text for p in d.paragraphs()] == ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
