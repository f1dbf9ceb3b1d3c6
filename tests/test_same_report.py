"""The same report as text (three layouts, GBK and UTF-8 with BOM), HTML, DOCX and PDF (LibreOffice
export of the DOCX) extracts to identical tables. Fixtures: scripts/make_fixtures.py."""
import json
from pathlib import Path

import pytest

from nianbao import extract_path

FIX = Path(__file__).parent / "fixtures" / "same_report"
CASES = [(stem, p) for stem in ("report", "report2019") for p in sorted(FIX.glob(f"{stem}[._]*"))
         if p.suffix != ".json"]


@pytest.mark.parametrize("stem,path", CASES, ids=[p.name for _, p in CASES])
def test_identical_tables_in_every_kind(stem, path):
    expected = json.loads((FIX / f"{stem}.json").read_text(encoding="utf-8"))
    report = extract_path(path)
    assert report.tables() == expected["tables"]
    assert (report.org, report.year, report.format) == (expected["org"], expected["year"], expected["format"])
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert {cv.status for cv in report.cells.values()} == {"read"}
    assert [p.code for p in report.problems if p.severity != "info"] == []


def test_every_kind_is_covered():
    kinds = {extract_path(p).source.kind for _, p in CASES}
    assert kinds == {"text", "html", "docx", "pdf"}


def test_pdf_cells_know_page_and_box():
    report = extract_path(FIX / "report.pdf")
    cv = report.cell("t3", "new_received", "natural")
    assert cv.where.page >= 1 and len(cv.where.bbox) == 4
