"""PDFs from bench/accuracy.py runs that once read printed values as blank (tests/fixtures/pdf_bench;
NAME.json is the report each was made from, so every expected value is known):

  * no_rules_right_header — LibreOffice PDF of a table without rules and with right-aligned
    values (scripts/make_pdf_layouts.py no_rules_right): 表三 over a page break with its header
    repeated, the header's lines rebuilt into other row bands on page 4. Its 「其他」 and 「总计」
    column headers were taken for the rows （六）3.其他 and （七）总计, read blank 「该行未填写数值」.
  * no_rules_right_big — the same with large numbers: on page 4 a number wrapped over two lines
    ("2,23" / "1") split a value column in two, so the two pages were not joined and the header
    was read as rows again.
  * web_letter_spill — a portal page printed to US Letter by Chromium (bench/web_print.py), large
    numbers: 表四's header cells are cut by the break and their last characters printed just below
    the table ("持 正 果 结 计"); the table was not joined and all of 表四 came out blank.
  * header_footer_page_numbers — LibreOffice PDF with a running header and a footer of two page
    numbers on one line ("— 3 —第3页共5页"): the footer was kept as text below 表三 on page 3, so
    表三 was not joined over the break and its repeated header read as rows (blank again).
  * three_line_big_straddle — 三线表 with large numbers: 表三 （五）3's total "1,530" wraps into
    "1,53" above the row's line and "0" below it; the reader made a blank cell there, read blank
    (then missing; now the two parts are joined and read).
  * no_rules_right_2019 — 2019 表二 without rules, values right-aligned: a centred header
    (本年增/减) names the grid column left of its values, and signed values ("+8", centred) and
    unsigned ones ("0", right-aligned) of one column fall into two grid columns; the reader made
    blank cells beside them and the rows read missing 「该行打印的数值多于3列」.
  * no_rules_right_big_t2_offsets — 2021 表二 without rules, large numbers: numbers with a
    thousands separator stand centred, the others right-aligned (make_pdf_layouts right-aligns only
    plain digits), so the columns found from the gaps cut through "6,979"; the table was not built
    and 表二 read missing. The boundary through the value now moves beside it.
  * no_rules_right_2019_wrapped_label — 2019 表三, right-aligned: the label 「（三）不予公开」 wraps over
    two rows, so the blank position left of a one-digit 自然人 value in row 4. seemed reached by the
    "16" of the row above (missing, 「读到8个数」). A row's height is now its line of values.
  * no_rules_right_big_t4_wrap — 2021 表四, large numbers: 「1,071」 printed as "1,07" above the row's
    line and "1" below it, in a narrow cell without rules; 表四 read missing (40 values for 15 cells).
    The two parts are joined now (readers/pdf/wrapped.py).
"""
import json
from pathlib import Path

import pytest

from nianbao import extract_path

FIX = Path(__file__).parent / "fixtures" / "pdf_bench"
NEW = ["no_rules_right_big_t2_offsets", "no_rules_right_2019_wrapped_label", "no_rules_right_big_t4_wrap"]
NAMES = ["no_rules_right_header", "no_rules_right_big", "web_letter_spill", "header_footer_page_numbers",
         "three_line_big_straddle", "no_rules_right_2019", *NEW]


def outcome(name: str):
    truth = json.loads((FIX / f"{name}.json").read_text(encoding="utf-8"))
    report = extract_path(FIX / f"{name}.pdf")
    cells = {}
    for t, rows in truth["tables"].items():
        for r, cols in rows.items():
            for c, want in cols.items():
                cv = report.cells.get((t, r, c))
                cells[(t, r, c)] = (want, None if cv is None else cv.status, None if cv is None else cv.value)
    return truth, report, cells


@pytest.mark.parametrize("name", NAMES)
def test_no_value_is_wrong_and_no_printed_value_is_blank(name):
    truth, report, cells = outcome(name)
    assert {k: v for k, v in cells.items() if v[1] == "read" and v[2] != v[0]} == {}
    assert {k: v for k, v in cells.items() if v[0] is not None and v[1] == "blank"} == {}
    assert (report.org, report.year, report.format) == (truth["org"], truth["year"], truth["format"])


@pytest.mark.parametrize("name", ["no_rules_right_header", "web_letter_spill", "header_footer_page_numbers",
                                  "no_rules_right_2019", "three_line_big_straddle", "no_rules_right_big", *NEW])
def test_every_printed_value_is_read(name):
    _, _, cells = outcome(name)
    assert {k: v for k, v in cells.items() if (v[1], v[2]) != ("read", v[0])} == {}


def test_rows_after_a_repeated_header_split_by_a_wrapped_number_are_read():
    """no_rules_right_big: the rows of 表三 on page 4 — below the repeated header, around the
    wrapped numbers of （七）总计 — are read exactly, and so are （六）3 and （七）总计 themselves:
    their wrapped numbers ("2,23" over "1", centred on the row's line) are joined (readers/pdf/wrapped.py).
    Before that they were missing (`wrapped-row`)."""
    _, _, cells = outcome("no_rules_right_big")
    for row in ("other_2", "carried_forward", "other_3", "total"):
        got = {k: v for k, v in cells.items() if k[0] == "t3" and k[1] == row}
        assert got and all((s, v) == ("read", w) for w, s, v in got.values()), row


def test_a_number_wrapped_around_its_rows_line_is_read_whole():
    """three_line_big_straddle: （五）3's total "1,530" printed as "1,53" above the row's line and "0"
    below it, at the page's foot (the "0" is not a page number: it touches the line above), and
    （七）总计's numbers as "4,48" above the label's line and "8" on it. Before: the total was missing
    (a blank position a wrapped number reaches into) and （七）总计 missing (wrapped-row); the parts are
    joined now (readers/pdf/wrapped.py) and every 表三 value is read."""
    _, _, cells = outcome("three_line_big_straddle")
    assert cells[("t3", "not_processed_3", "total")] == (1530, "read", 1530)
    assert cells[("t3", "total", "natural")] == (4488, "read", 4488)
    assert all((s, v) == ("read", w) for k, (w, s, v) in cells.items() if k[0] == "t3")
