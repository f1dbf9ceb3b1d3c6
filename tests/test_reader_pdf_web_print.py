"""Golden tests: a portal's report page saved as PDF by a browser (tests/fixtures/web_print, made
by scripts/make_web_print_pdfs.py with headless Chromium; NAME.json beside each PDF is the report
the page was built from, so every expected value is known from the HTML source).

Narrow columns with wrapped labels and wrapped numbers ("12" / "6" in one cell), 表三 over a page
break with its header repeated (<thead>) or not, a merged label cut by the break with the next
row's values at the top of the next page, US Letter paper, and the browser's own header (date,
title) and footer (address, "2/5") on every page.
"""
import json
from pathlib import Path

import pytest

from nianbao import extract_path
from nianbao.readers import read_bytes

WEB = Path(__file__).parent / "fixtures" / "web_print"
NAMES = sorted(p.stem for p in WEB.glob("*.pdf"))


def _truth(name: str) -> dict:
    return json.loads((WEB / f"{name}.json").read_text(encoding="utf-8"))


def test_the_fixtures_are_there():
    assert set(NAMES) >= {"narrow", "t3_repeat_header", "t3_no_header", "value_on_next", "letter_2019"}


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_value_is_read(name):
    """Every template cell: the printed value, status read (or blank where the source is blank);
    none missing, none wrong."""
    truth = _truth(name)
    report = extract_path(WEB / f"{name}.pdf")
    wrong = {}
    for t, rows in truth["tables"].items():
        for r, cols in rows.items():
            for c, want in cols.items():
                cv = report.cells.get((t, r, c))
                ok = cv is not None and cv.value == want and cv.status == ("blank" if want is None else "read")
                if not ok:
                    wrong[f"{t}.{r}.{c}"] = (want, None if cv is None else (cv.status, cv.value, cv.raw))
    assert wrong == {}
    assert (report.org, report.year, report.format) == (truth["org"], truth["year"], truth["format"])
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert [p.code for p in report.problems if p.severity != "info"] == []


@pytest.mark.parametrize("name", ["t3_repeat_header", "t3_no_header", "value_on_next"])
def test_table_three_over_the_page_break_is_one_table(name):
    doc = read_bytes((WEB / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    tables = list(doc.tables())
    assert len(tables) == 3
    t3 = tables[1]
    cells = [c for r in range(t3.n_rows) for c in t3.origin_cells(r)]
    assert sum(1 for c in cells if c.text == "申请人情况") == 1          # a repeated header is dropped
    assert len({c.where.page for c in cells}) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_the_browser_header_and_footer_are_not_paragraphs(name):
    doc = read_bytes((WEB / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    paras = [p.text for p in doc.paragraphs()]
    assert not any(p.startswith("file://") for p in paras)
    assert not any(p.endswith("AM") or p.endswith("PM") for p in paras)


def test_narrow_cells_wrap_numbers_and_they_are_read_whole():
    """In the narrow page 表三's 124 / 26 / 183 are printed over two lines in their cells."""
    doc = read_bytes((WEB / "narrow.pdf").read_bytes(), "narrow.pdf")
    t3 = list(doc.tables())[1]
    texts = [c.text for r in range(t3.n_rows) for c in t3.origin_cells(r)]
    assert "12\n4" in texts and "2\n6" in texts
    report = extract_path(WEB / "narrow.pdf")
    assert report.cells[("t3", "total", "commercial")].value == 26
