"""Reading problems are their own family: never blamed on the report, never 「缺少表」."""
from nianbao.checks import run_checks
from nianbao.checks.examples import make_report
from nianbao.document import Problem
from nianbao.report import MISSING
from nianbao.extract import notes as N


def drop(rep, table, note=N.NO_TABLE):
    rep.present.discard(table)
    for k, cv in rep.cells.items():
        if k[0] == table:
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, note


def unsplit(rep, table):
    for k, cv in rep.cells.items():
        if k[0] == table:
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, N.ROW_CUT


def kinds(fs):
    return sorted((f.code, f.kind, f.table) for f in fs if f.severity != "info")


def test_tables_not_split_are_reading_problems_not_missing_tables():
    """A run-together source: 表三's region found but not split, 表二 and 表四 not found. Before:
    「缺少表二/表四」 errors and nothing about 表三."""
    rep = make_report()
    drop(rep, "t2")
    drop(rep, "t4")
    unsplit(rep, "t3")
    fs = run_checks(rep)
    assert kinds(fs) == [("R101", "reading", "t3")]
    assert "未能可靠读取表三" in fs[0].message and "请人工核对原文或提供 Word/PDF 原件" in fs[0].message
    assert [f for f in fs if f.severity == "error"] == []


def test_cut_off_source_is_a_reading_problem():
    rep = make_report(sections={5: "", 6: ""})
    rep.sections = [s for s in rep.sections if s.number <= 2]
    drop(rep, "t3")
    drop(rep, "t4")
    fs = run_checks(rep)
    r102 = [f for f in fs if f.code == "R102"]
    assert r102 and r102[0].values["after"] == ["t3", "t4"] and "表二之后" in r102[0].message
    assert not [f for f in fs if f.code == "M101"]


def test_table_content_in_the_text_is_not_a_missing_table():
    rep = make_report(sections={3: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况 自然人 …"})
    drop(rep, "t3")
    fs = run_checks(rep)
    assert [(f.code, f.table) for f in fs if f.code in ("R101", "M101")] == [("R101", "t3")]
    assert "第3部分" in next(f.message for f in fs if f.code == "R101")


def test_scanned_pages_are_reading_problems_and_explain_absent_tables():
    rep = make_report()
    drop(rep, "t4")
    rep.problems.append(Problem("needs-ocr", "第4页没有文字层（扫描件），需要OCR识别后才能读取。",
                                "page 4 has no text layer."))
    fs = run_checks(rep)
    assert [(f.code, f.kind) for f in fs if f.code in ("R104", "M101")] == [("R104", "reading")]


def test_a_table_really_absent_from_a_soundly_read_report_is_still_an_error():
    rep = make_report()
    drop(rep, "t4")
    assert [(f.code, f.table) for f in run_checks(rep) if f.severity == "error"] == [("M101", "t4")]


def test_rows_without_values_in_a_table_not_read_soundly_are_not_blamed():
    """A run-together source: 一's values were attached to another row (too many values → not read),
    so 一 looks like a row printed without values. That is not a blank of the report: no H101, no
    M102, no 「表三未填写」; the reading problem says it."""
    from nianbao.report import BLANK
    rep = make_report()
    for k, cv in rep.cells.items():
        if k[:2] == ("t3", "new_received"):
            cv.status, cv.value, cv.raw, cv.note = BLANK, None, None, "该行未填写数值"
        if k[:2] == ("t3", "partial"):
            cv.status, cv.value, cv.raw, cv.note = MISSING, None, None, N.columns_unknown(9, 0, 7)
    fs = run_checks(rep)
    assert [f for f in fs if f.severity == "error"] == []
    assert [(f.code, f.row) for f in fs if f.table == "t3"] == [("R103", "partial")]


def test_a_report_run_together_on_one_line_gets_reading_problems_and_no_error(tmp_path):
    """Seed 000 with every line run together (a broken conversion): 表三 is there but cannot be split,
    the section titles stand inside the run. Before: 「缺少表」「缺少第…部分」 errors and nothing about 表三."""
    from pathlib import Path

    from nianbao import extract_path
    seed = next((Path(__file__).parent / "data" / "seeds").glob("000_*.txt"))
    path = tmp_path / "run_together.txt"
    path.write_text(" ".join(seed.read_text(encoding="utf-8").split()), encoding="utf-8")
    fs = run_checks(extract_path(path))
    assert [f for f in fs if f.severity == "error"] == []
    assert ("R101", "t3") in {(f.code, f.table) for f in fs if f.kind == "reading"}
