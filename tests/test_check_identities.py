"""Identities H1–H4 with blanks counted as 0 (the template asks for 0): a blank where the identity
needs a number is an error naming the blank cells; a cell where broken identities meet is named as
the likely mistype with its implied value; an unfilled table is an error; missing cells never are."""
from openpyxl import load_workbook

from nianbao.checks import run_checks
from nianbao.checks.examples import make_report
from nianbao.checks.output import write_review_xlsx
from nianbao.formats import FORMATS
from nianbao.report import MISSING
from nianbao.extract import notes as N

T3 = FORMATS["2021"].table("t3")
RESULT_ROWS = [r.key for r in T3.cell_rows() if r.key not in ("new_received", "carried_over")]


def errors(rep):
    return [f for f in run_checks(rep) if f.severity == "error"]


def test_blank_total_column_with_one_column_not_adding_up_is_an_error():
    """The real case: 总计 left blank in 11 result rows and one column that does not add up: before,
    only 空白 warnings, exit 0, 通过."""
    blank_rows = RESULT_ROWS[:11]
    rep = make_report(blank=tuple(("t3", r, "total") for r in blank_rows),
                      values={("t3", "granted", "natural"): 4})        # natural column: 3 → 4
    errs = errors(rep)
    assert errs, "blank totals and a broken column must be errors"
    h2 = [f for f in errs if f.code == "H201"]
    assert h2 and any(("t3", "granted", "natural") in f.cells for f in h2)
    # the blank 总计 cells whose row sums are not 0 are named, with the value each should have
    named = {tuple(k) for f in errs for k in f.values.get("blanks", [])}
    assert {("t3", "granted", "total"), ("t3", "partial", "total"), ("t3", "unable_1", "total")} <= named
    grouped = [f for f in errs if f.code == "H301" and "expected_by_cell" in f.values]
    assert len(grouped) == 1 and grouped[0].col == "total" and grouped[0].row is None
    assert grouped[0].values["expected_by_cell"]["t3/granted/total"] == 5
    assert "「总计」列有" in grouped[0].message and "应为 5" in grouped[0].message
    # blanks consistent with 0 are a warning only, and not the cells already named in an error
    m102 = [f for f in run_checks(rep) if f.code == "M102"]
    assert all(not (set(f.cells) & named) for f in m102)


def test_blank_where_a_number_is_needed_names_the_cell_and_its_implied_value():
    rep = make_report(blank=(("t3", "granted", "natural"),))          # printed 3, left blank
    errs = errors(rep)
    assert {f.code for f in errs} == {"H201", "H301"}
    for f in errs:
        assert (f.row, f.col) == ("granted", "natural")
        assert f.values["expected"] == 3 and "空白" in f.message and "应为 3" in f.message


def test_blanks_for_zeros_are_not_errors():
    zeros = tuple(k for k in FORMATS["2021"].template_cells()
                  if k[0] in ("t3", "t4") and make_report().cells[k].value == 0)
    rep = make_report(blank=zeros)
    assert errors(rep) == []
    m102 = [f for f in run_checks(rep) if f.code == "M102"]
    assert {f.table for f in m102} == {"t3", "t4"} and len(m102) == 2      # one finding per table


def test_mistype_where_a_row_and_a_column_meet_is_named_with_its_implied_value(tmp_path):
    rep = make_report(values={("t3", "partial", "natural"): 4})       # printed 1, typed 4
    errs = errors(rep)
    assert {f.code for f in errs} == {"H201", "H301"}
    for f in errs:
        assert (f.row, f.col) == ("partial", "natural") and f.values["expected"] == 1
        assert "最可能填错" in f.message and "应为 1" in f.message
    out = tmp_path / "审查表.xlsx"
    write_review_xlsx([(rep, run_checks(rep), None, rep.source.path)], str(out))
    rows = list(load_workbook(out)["问题清单"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    h301 = next(r for r in rows[1:] if r[col["代码"]] == "H301")
    assert h301[col["填报值"]] == "4" and h301[col["应为"]] == 1 and h301[col["列"]] == "自然人"


def test_mistyped_total_cell_is_located_on_three_identities():
    rep = make_report(values={("t3", "total", "natural"): 7})         # 5 typed as 7
    errs = errors(rep)
    assert {f.code for f in errs} == {"H101", "H201", "H301"}
    assert {(f.row, f.col, f.values["expected"]) for f in errs} == {("total", "natural", 5)}


def test_unfilled_table_is_an_error_and_its_blanks_are_not_repeated():
    rep = make_report(blank=tuple(k for k in FORMATS["2021"].template_cells() if k[0] == "t3"))
    fs = run_checks(rep)
    assert [(f.code, f.table) for f in fs if f.severity == "error"] == [("M105", "t3")]
    assert "表三未填写" in next(f.message for f in fs if f.code == "M105")
    assert not [f for f in fs if f.code == "M102" and f.table == "t3"]


def test_missing_cells_are_not_blanks_and_never_an_error():
    rep = make_report()
    for col in ("natural", "total"):
        cv = rep.cells[("t3", "granted", col)]
        cv.status, cv.value, cv.note = MISSING, None, N.columns_unknown(9, 0, 7)
    fs = run_checks(rep)
    assert [f for f in fs if f.severity == "error"] == []
    assert [(f.code, f.kind) for f in fs if f.row == "granted"] == [("R103", "reading")]


def _unread(rep, *keys):
    for k in keys:
        cv = rep.cells[k]
        cv.status, cv.value, cv.note = MISSING, None, "该行打印的数值多于7列，无法确定对应列"
    return rep


def test_identity_read_in_part_is_an_error_when_the_read_cells_already_exceed_the_other_side():
    """（一）予以公开 自然人 printed 3 → 6 while the 部分公开 row is not read: the 自然人 column's results read
    already sum to more than （七）总计 (5), whatever the unread cell holds: an error naming the cell."""
    rep = _unread(make_report(values={("t3", "granted", "natural"): 6, ("t3", "granted", "total"): 7}),
                  *(("t3", "partial", c) for c in ("natural", "commercial", "total")))
    h2 = [f for f in errors(rep) if f.code == "H201" and f.col == "natural"]
    assert len(h2) == 1 and ("t3", "granted", "natural") in h2[0].cells
    f = h2[0]
    assert f.values["unread"] == [["t3", "partial", "natural"]]
    assert "三（七）总计·自然人（5） = 5" in f.message and "≥ 7" in f.message and "至少相差 2" in f.message
    assert "「（二）部分公开" in f.message and "未能读取" in f.message and "未读取" in f.message
    assert "at least 7" in f.message_en
    assert not [f for f in errors(rep) if f.code == "H301"]          # the mutated row adds up (6 + 1 = 7)


def test_identity_read_in_part_that_may_still_hold_is_not_an_error():
    """Read cells summing to less than the other side: the unread cell may make up the difference."""
    rep = _unread(make_report(values={("t3", "granted", "natural"): 2, ("t3", "granted", "total"): 3}),
                  ("t3", "partial", "natural"), ("t3", "partial", "total"))
    assert [f for f in errors(rep) if f.code.startswith("H")] == []


def test_identity_with_unread_cells_on_both_sides_is_not_evaluated():
    rep = _unread(make_report(values={("t3", "granted", "natural"): 9, ("t3", "granted", "total"): 10}),
                  ("t3", "partial", "natural"), ("t3", "total", "natural"))
    assert not [f for f in errors(rep) if f.code == "H201" and f.col == "natural"]


def test_digits_split_across_two_cells_get_a_hint():
    rep = make_report(values={("t3", "granted", "natural"): 1, ("t3", "granted", "commercial"): 2,
                              ("t3", "granted", "total"): 12})
    h301 = [f for f in errors(rep) if f.code == "H301"]
    assert h301 and "可能是同一个数 12 被拆在相邻两格" in h301[0].message


def test_region_report_against_the_sum_of_its_children(tmp_path, capsys):
    """`check --units` with a region's own report and all its children's: parent = Σ children."""
    from nianbao.cli import main
    from nianbao.render.html import to_html

    a = make_report(org="示例区甲街道办事处")
    b = make_report(org="示例区乙街道办事处")
    parent = make_report(org="示例区人民政府")
    for k, cv in parent.cells.items():
        if k[0] in ("t3", "t4"):
            cv.value = a.cells[k].value + b.cells[k].value
    # one cell of the region's own report is off; its own identities are kept so only A101 sees it
    for key in (("t3", "granted", "natural"), ("t3", "granted", "total"), ("t3", "total", "natural"),
                ("t3", "total", "total"), ("t3", "new_received", "natural"), ("t3", "new_received", "total")):
        parent.cells[key].value += 1
    for name, rep in (("a", a), ("b", b), ("p", parent)):
        (tmp_path / f"{name}.html").write_text(to_html(rep.to_dict()), encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("名称,上级\n示例区,\n示例区甲街道办事处,示例区\n示例区乙街道办事处,示例区\n", encoding="utf-8")
    code = main(["check", str(tmp_path / "a.html"), str(tmp_path / "b.html"), str(tmp_path / "p.html"),
                 "--units", str(units), "--to", "json", "--select", "A101"])
    out = capsys.readouterr().out
    import json
    arr = json.loads(out)
    assert code == 0 and [(f["code"], f["unit"], f["table"]) for f in arr] == [("A101", "示例区人民政府", "t3")]
    assert len(arr[0]["cells"]) == 6 and "下级合计" in arr[0]["message"]


def test_review_sheet_shows_the_implied_values_of_a_blank_column(tmp_path):
    rep = make_report(blank=tuple(("t3", r, "total") for r in ("granted", "partial")))
    out = tmp_path / "审查表.xlsx"
    write_review_xlsx([(rep, run_checks(rep), None, rep.source.path)], str(out))
    rows = list(load_workbook(out)["问题清单"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    grouped = [r for r in rows[1:] if r[col["代码"]] == "H301" and r[col["列"]] == "总计"]
    assert len(grouped) == 1 and "（一）予以公开·总计：4" in grouped[0][col["应为"]]


def test_the_hint_gives_the_implied_value():
    blank = [f for f in errors(make_report(blank=(("t3", "granted", "natural"),))) if f.code == "H301"][0]
    assert "应为 3" in blank.hint and "（现为空白）" in blank.hint
    typo = [f for f in errors(make_report(values={("t3", "partial", "natural"): 4})) if f.code == "H201"][0]
    assert "应为 1（现为4）" in typo.hint
    plain = [f for f in errors(make_report(values={("t3", "granted", "natural"): 4, ("t3", "granted", "total"): 5,
                                                   ("t3", "total", "natural"): 6, ("t3", "total", "total"): 7}))]
    assert plain and all(f.hint for f in plain)
