"""The five seeds and eleven real excerpts against golden files written by hand from the sources
(tests/golden/_build.py records, per source, the lines each value was read from)."""
import json
from pathlib import Path

import pytest

from nianbao import extract_path
from nianbao.labels import core

HERE = Path(__file__).parent
GOLDEN = sorted((HERE / "golden").glob("*.json"))


@pytest.fixture(scope="module", params=GOLDEN, ids=[p.stem for p in GOLDEN])
def case(request):
    golden = json.loads(request.param.read_text(encoding="utf-8"))
    report = extract_path(HERE / "data" / golden["source"])
    return golden, report


def test_metadata(case):
    golden, report = case
    assert (report.org, report.year, report.format) == (golden["org"], golden["year"], golden["format"])


def test_sections_found(case):
    golden, report = case
    assert [s.number for s in report.sections] == golden["sections"]


def test_every_table_value(case):
    golden, report = case
    assert report.tables() == golden["tables"]


def test_every_cell_status(case):
    golden, report = case
    got = {f"{t}.{r}.{c}": cv.status for (t, r, c), cv in report.cells.items()
           if t in report.present and cv.status != "read"}
    assert got == golden["status"]


def test_extra_rows(case):
    golden, report = case
    got = [(e.table, e.parent, e.values) for e in report.extra_rows]
    assert got == [(e["table"], e["parent"], e["values"]) for e in golden["extra_rows"]]
    for e, g in zip(report.extra_rows, golden["extra_rows"]):
        assert core(e.label).startswith(core(g["label"]))


def test_read_cells_know_their_line(case):
    _, report = case
    for cv in report.cells.values():
        if cv.status == "read":
            assert cv.where is not None and cv.where.line >= 1 and cv.raw is not None
