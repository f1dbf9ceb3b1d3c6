"""Notes on cells nianbao could not read say what nianbao read and could not decide — a limit of the
reading, never a fault of the report (extract/notes.py). R103 quotes them without repeating its request."""
import random

from nianbao import extract, read_bytes
from nianbao.checks import run_checks
from nianbao.extract import notes as N
from nianbao.render import to_text
from nianbao.synth import random_report

# wordings that put the blame on the report ("the row prints more values than columns")
BLAMING = ("打印了", "多于", "少于", "应有", "缺少", "原文在此处截断", "未找到该")


def _report():
    rep = random_report(random.Random(7), "2021", zero_share=0.2)
    for k, row in enumerate(rep["tables"]["t3"].values()):
        for c in row:
            row[c] = 100 + k
    return rep


def _long_row_text():
    rep = _report()
    src = to_text(rep, "cell_per_line")
    start = src.index("2.其他法律行政法规禁止公开")
    v = rep["tables"]["t3"]["denied_2"]["research"]
    at = src.index(f"\t{v}\n", start)
    return src[:at] + f"\t{v}\n" + src[at:]


def test_a_row_that_cannot_be_placed_says_what_was_read_and_asks_for_a_check():
    got = extract(read_bytes(_long_row_text().encode("utf-8"), "r.txt"))
    cv = got.cell("t3", "denied_2", "natural")
    assert cv.status == "missing"
    assert cv.note == "未能确定该行各数值所在的列（读到8个数，该行有7列），请人工核对原文"
    prob = next(p for p in got.problems if p.code == "long-row")
    assert "未能确定该行各数值所在的列（读到8个数，该行有7列）" in prob.message
    assert "could not tell which column" in prob.message_en
    r103 = [f for f in run_checks(got) if f.code == "R103" and f.row == "denied_2"]
    assert len(r103) == 1
    assert "（未能确定该行各数值所在的列（读到8个数，该行有7列））" in r103[0].message
    assert r103[0].message.count("请人工核对原文") == 1


def test_no_note_or_problem_of_a_damaged_reading_blames_the_report():
    """A long row, a table cut off, a table not found, a file ending inside a number."""
    long_row = _long_row_text()
    cut_t4 = long_row[:long_row.index("\n", long_row.rindex("尚未审结"))]
    no_t2 = long_row.replace("第二十条第（一）项", "第二十条").replace("信息内容", "内容")
    cut_value = long_row[:long_row.index("\t", long_row.index("（一）予以公开")) + 3]
    for text in (long_row, cut_t4, no_t2, cut_value):
        got = extract(read_bytes(text.encode("utf-8"), "r.txt"))
        notes = {cv.note for cv in got.cells.values() if cv.status == "missing" and cv.note}
        assert notes
        said = list(notes) + [p.message for p in got.problems]
        assert not [s for s in said for w in BLAMING if w in s]
        assert all("请人工核对原文" in n or n.startswith("原文印作") for n in notes), notes


def test_a_cut_table_keeps_its_marker_for_the_reading_checks():
    text = _long_row_text()
    got = extract(read_bytes(text[:text.index("\n", text.rindex("尚未审结"))].encode("utf-8"), "r.txt"))
    t4 = [cv for (t, _, _), cv in got.cells.items() if t == "t4"]
    assert t4 and all(cv.status == "missing" and N.TRUNCATED in cv.note for cv in t4)
    assert [f.code for f in run_checks(got) if f.code.startswith("R10")].count("R102") == 1
