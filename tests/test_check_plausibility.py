"""Impossible values are errors; magnitudes and deadlines follow the unit's level, read from the org."""
import datetime as dt

from nianbao.checks import run_checks
from nianbao.checks.examples import make_report
from nianbao.checks.unit_level import CITY, COUNTY, DEPARTMENT, GOVERNMENT, PROVINCE, TOWNSHIP, unit_level
from nianbao.report import ExtraRow


def codes(rep, severity="error"):
    return sorted((f.code, f.table, f.row, f.col) for f in run_checks(rep) if f.severity == severity)


def test_negative_amounts_and_counts_anywhere_are_errors():
    assert codes(make_report(values={("t2", "fees", "amount"): -2.5})) == [("H501", "t2", "fees", "amount")]
    assert codes(make_report(fmt="2019", values={("t2", "procurement", "amount"): -100})) == \
        [("H501", "t2", "procurement", "amount")]
    assert codes(make_report(values={("t2", "licensing", "decisions"): -1})) == [("H501", "t2", "licensing", "decisions")]
    rep = make_report(fmt="2019")
    rep.extra_rows.append(ExtraRow("t2", "行政检查", "other_services", None,
                                   {"previous": 2, "change": -5, "decisions": -1}, ["2", "-5", "-1"]))
    found = [f for f in run_checks(rep) if f.code == "H501"]
    assert len(found) == 1 and "行政检查" in found[0].message      # 本年增/减 may be negative; decisions not


def test_previous_plus_change_below_zero_is_an_error():
    rep = make_report(fmt="2019", values={("t2", "coercion", "previous"): 0, ("t2", "coercion", "change"): -3})
    assert codes(rep) == [("P105", "t2", "coercion", "change")]
    ok = make_report(fmt="2019", values={("t2", "coercion", "previous"): 3, ("t2", "coercion", "change"): -3})
    assert codes(ok) == []


def test_published_more_than_total_is_an_error():
    rep = make_report(fmt="2019", values={("t2", "normative", "published"): 4, ("t2", "normative", "total"): 2})
    assert codes(rep) == [("P106", "t2", "normative", "published")]


def test_township_with_many_normative_documents_is_a_warning():
    rep = make_report(values={("t2", "normative", "made"): 30, ("t2", "normative", "valid"): 80})
    p107 = [f for f in run_checks(rep) if f.code == "P107"]
    assert len(p107) == 1 and p107[0].severity == "warning" and set(p107[0].values) == {"made", "valid"}
    assert not [f for f in run_checks(make_report(org="示例市司法局", values={("t2", "normative", "made"): 30}))
                if f.code == "P107"]


def test_levels_read_from_the_org():
    assert unit_level("广州市人民政府") == unit_level("广州市人民政府")
    assert (unit_level("广州市人民政府").kind, unit_level("广州市人民政府").level) == (GOVERNMENT, CITY)
    assert unit_level("山东省人民政府").level == PROVINCE and unit_level("北京市人民政府").level == PROVINCE
    assert unit_level("北京市朝阳区人民政府").level == COUNTY
    assert (unit_level("深圳市龙岗区发展和改革局").kind, unit_level("深圳市龙岗区发展和改革局").level) == (DEPARTMENT, COUNTY)
    assert unit_level("大竹县周家镇").kind == TOWNSHIP and unit_level("临清市先锋路街道办事处").kind == TOWNSHIP


def test_fee_magnitude_is_judged_by_the_units_level():
    """96,171.6 万元 of fees is normal for a prefecture-level city (a false finding before)."""
    city = make_report(org="某某市人民政府", values={("t2", "fees", "amount"): 96171.6})
    assert [f for f in run_checks(city) if f.code == "P103"] == []
    town = make_report(org="某某县某某镇人民政府", values={("t2", "fees", "amount"): 96171.6})
    assert [f.code for f in run_checks(town) if f.code == "P103"] == ["P103"]
    in_yuan = make_report(org="某某市人民政府", values={("t2", "fees", "amount"): 961716000})
    assert [f.code for f in run_checks(in_yuan) if f.code == "P103"] == ["P103"]


def test_deadline_by_level_and_date_read_from_the_document():
    late_dept = make_report(org="某某市生态环境局", year=2022, sections={6: "无。\n某某市生态环境局\n2023年2月20日"})
    f102 = [f for f in run_checks(late_dept) if f.code == "F102"]
    assert len(f102) == 1 and f102[0].values["deadline"] == "2023-01-31" and "落款日期" in f102[0].message
    gov = make_report(org="某某市人民政府", year=2022, sections={6: "无。\n二〇二三年二月二十日"})
    assert [f for f in run_checks(gov) if f.code == "F102"] == []          # governments: by 3月31日
    gov_late = make_report(org="某某市人民政府", year=2022)
    gov_late.preamble = "发布时间：2023-04-03  浏览次数："
    f = [f for f in run_checks(gov_late) if f.code == "F102"]
    assert f and f[0].values["published"] == dt.date(2023, 4, 3).isoformat()
    town = make_report(year=2022, sections={6: "无。\n2023年5月20日"})
    assert [f for f in run_checks(town) if f.code == "F102"] == []         # townships: set locally
