"""Every real defect in the five seeds is found with the right code and location, and nothing
false is reported at error level."""
from pathlib import Path

import pytest

from nianbao import extract_path
from nianbao.checks import run_checks

SEEDS = Path(__file__).parent / "data" / "seeds"


def seed(prefix):
    return extract_path(next(SEEDS.glob(f"{prefix}_*.txt")))


def flat(findings, min_severity="warning"):
    keep = ("error",) if min_severity == "error" else ("error", "warning")
    return sorted((f.code, f.table, f.row, f.col) for f in findings if f.severity in keep)


def reading(findings):
    return sorted((f.code, f.table, f.row) for f in findings if f.kind == "reading")


def test_seed_000_is_clean():
    assert flat(run_checks(seed("000"))) == []


def test_seed_001_split_row_and_nothing_else():
    """001 splits 其他对外管理服务事项 into 行政检查/行政确认: the row cannot be read as the format."""
    findings = run_checks(seed("001"))
    assert flat(findings) == [("M103", "t2", "other_services", None)]
    m103 = [f for f in findings if f.code == "M103"][0]
    assert "行政检查" in m103.message and "extra_rows" not in m103.message


def test_seed_002_short_rows_blank_review_cells_and_copied_section():
    findings = run_checks(seed("002"), previous=seed("000"))
    assert flat(findings) == [
        ("M102", "t4", "review", None),          # 行政复议 cells left empty
        ("R103", "t3", "denied_1", None),        # printed 6 values for 7 columns: a reading problem
        ("R103", "t3", "partial", None),
        ("X104", None, None, None),              # the preamble: 000's overview paragraph, year changed
        ("X104", None, None, None),              # section 五 copied from 2020 (seed 000)
    ]
    assert sorted(f.values["section"] for f in findings if f.code == "X104") == [0, 5]
    assert reading(findings) == [("R103", "t3", "denied_1"), ("R103", "t3", "partial")]
    copied = [f for f in findings if f.code == "X104" and f.values["section"] == 5][0]
    assert copied.values["section"] == 5 and copied.values["share"] > 0.9
    assert "回顾 2021 年政府信息公开工作" in copied.message      # quoted as printed, digits kept
    assert {f.code for f in findings if f.severity == "info"} == {"S104"}   # 规范性文件 in the 2021 format


def test_seed_002_carry_over_continues_from_000():
    assert [f for f in run_checks(seed("002"), previous=seed("000")) if f.code == "X101"] == []


def test_seed_003_missing_section_six():
    findings = run_checks(seed("003"))
    assert flat(findings) == [("S101", None, None, None)]
    assert [f.values["section"] for f in findings if f.code == "S101"] == [6]


def test_seed_004_item_reference_and_normative_equal_to_all_items():
    findings = run_checks(seed("004"))
    assert flat(findings) == [("P102", "t2", "normative", "made"), ("S103", "t2", None, None),
                              ("T104", None, None, None)]      # a 街道 report saying “2020年我镇…”: copied text
    s103 = [f for f in findings if f.code == "S103"][0]
    assert "第二十六条第（六）项" in s103.message and s103.where.line == 58


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_arithmetic_error_on_seeds(prefix):
    assert [f for f in run_checks(seed(prefix)) if f.code.startswith("H")] == []


def test_sections_out_of_order_are_reported_as_such_not_as_missing(tmp_path):
    """A report that puts section 六 before 五 has all six sections; it is in the wrong order."""
    text = (SEEDS / next(p.name for p in SEEDS.glob("000_*.txt"))).read_text(encoding="utf-8")
    five = text.index("五、存在的主要问题及改进情况")
    six = text.index("六、其他需要报告的事项")
    swapped = text[:five] + text[six:] + "\n" + text[five:six]
    path = tmp_path / "swapped.txt"
    path.write_text(swapped, encoding="utf-8")
    findings = run_checks(extract_path(path))
    assert [(f.code, f.values.get("section")) for f in findings if f.code.startswith("S10")] == [("S106", 5)]
