"""The batch's hot paths give exactly what the general code gives (speed work must not change a byte)."""
import math

from nianbao.checks.text_vs_table import stated_counts
from nianbao.corpus.batch import cell_rows, where_json
from nianbao.corpus.store import cell, csv_text
from nianbao.document import Where
from nianbao.extract import extract
from nianbao.readers import read_bytes
from nianbao.render import to_text
from nianbao.report import CellValue
from nianbao.synth import random_report

import random


def test_where_json_is_the_json_of_the_place():
    places = [None, Where(), Where(line=3), Where(table=0, row=2, col=5), Where(line=1, table=2, row=0, col=0, page=4),
              Where(page=2, bbox=(1.04, 2.25, 300.0, 4.0)), Where(line=7, conf=0.98765), Where(row=True),
              Where(page=1, bbox=(math.inf, 0.0, 1.0, 2.0)), Where(line=2.0), Where(line=4, table=1),
              Where(table=1, row=2), Where(table=1, row=2, col=3, page=1), Where(table=True, row=1, col=1),
              Where(line=-1), Where(table=0, row=0, col=0, conf=0.5)]
    for w in places:
        assert where_json(w) == cell(w.to_dict() if w else None), w


def test_cell_rows_are_the_rows_of_every_present_cell():
    rng = random.Random(3)
    report = extract(read_bytes(to_text(random_report(rng, "2021"), "tabbed").encode(), "r.txt"))
    report.cells[("t3", "odd", "total")] = CellValue("t3", "odd", "total", 1.5, "1.5", "read", "万元", Where(line=1))
    report.cells[("t4", "odd", "total")] = CellValue("t4", "odd", "total", None, 'a,"b"\nc', "missing", None, None)
    report.cells[("t9", "odd", "total")] = CellValue("t9", "odd", "total", 7, "7", "read")    # not present
    general = csv_text([["s", t, r, c, cell(cv.value), cell(cv.raw), cv.status, cell(cv.unit),
                         cell(cv.where.to_dict() if cv.where else None)]
                        for (t, r, c), cv in report.cells.items() if t in report.present])
    assert csv_text(cell_rows("s", report)) == general
    assert general.count("\n") > 100


def _said(text):
    rng = random.Random(1)
    report = extract(read_bytes(to_text(random_report(rng, "2021"), "tabbed").encode(), "r.txt"))
    report.sections[0].text = text
    report.preamble = ""
    for s in report.sections[1:]:
        s.text = ""
    return [(name, n) for name, _, _, _, _, n, _, _ in stated_counts(report)]


def test_stated_counts_of_none_and_of_counts():
    assert _said("本年度无行政复议、行政诉讼案件。") == [("行政复议", 0), ("行政诉讼", 0)]
    assert _said("本年度没有收到政府信息公开申请。") == [("本年新收申请", 0)]
    assert _said("全年未发生行政复议。") == [("行政复议", 0)]
    assert _said("全年共收到政府信息公开申请9件，予以公开3件。") == [("本年新收申请", 9), ("予以公开", 3)]
    assert _said("全年工作平稳有序。") == []
