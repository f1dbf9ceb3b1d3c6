"""Waivers narrowed to a place, --select/--ignore, --previous and explain (issue 15, item 6)."""
import json

import pytest

from nianbao import extract_path
from nianbao.checks import RULES, apply_waivers, run_checks
from nianbao.checks.cross_year import copied_share
from nianbao.checks.waivers import load_waivers
from nianbao.cli import main

from .conftest import DATA

SEEDS = sorted((DATA / "seeds").glob("*.txt"))
SEED003 = SEEDS[3]              # 平湖街道 2020: lacks section 六 (one S101 error)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def without_five(tmp_path):
    """Seed 003 with section 五 removed too: two S101, for 五 and 六."""
    text = SEED003.read_text(encoding="utf-8")
    five = text.index("五、政府信息公开工作存在的主要问题及改进情况")
    path = tmp_path / "r.txt"
    path.write_text(text[:five], encoding="utf-8")
    return path


def waive(path, *waivers):
    path.with_name(path.name + ".waivers.json").write_text(json.dumps(list(waivers), ensure_ascii=False),
                                                         encoding="utf-8")


def test_a_waiver_for_section_six_does_not_waive_a_new_missing_five(capsys, tmp_path):
    path = without_five(tmp_path)
    waive(path, {"code": "s101", "section": "六", "reason": "第六部分在附件中"})
    code, out, _ = run(capsys, "check", path, "--to", "json")
    arr = json.loads(out)
    s101 = {f["values"]["section"]: f for f in arr if f["code"] == "S101"}
    assert sorted(s101) == [5, 6]
    assert s101[6]["waived"] == "第六部分在附件中" and "waived" not in s101[5]
    assert code == 1                                      # the new missing 五 still fails the report


def test_a_waiver_without_a_place_waives_nothing_when_the_code_is_in_two_places(capsys, tmp_path):
    path = without_five(tmp_path)
    waive(path, {"code": "S101", "reason": "第六部分在附件中"})
    code, out, _ = run(capsys, "check", path, "--to", "json")
    arr = json.loads(out)
    assert code == 1 and not any(f.get("waived") for f in arr)
    w002 = [f for f in arr if f["code"] == "W002"]
    assert len(w002) == 1 and "2 处" in w002[0]["message"] and "第五部分、第六部分" in w002[0]["message"]


def test_a_waiver_without_a_place_still_waives_a_single_finding(capsys, tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SEED003.read_bytes())
    waive(path, {"code": "S101", "reason": "第六部分在附件中"})
    code, out, _ = run(capsys, "check", path)
    assert code == 0 and "已豁免：第六部分在附件中" in out and "W00" not in out


@pytest.mark.parametrize("section", [6, "6", "六", "第六部分"])
def test_waiver_section_spellings(tmp_path, section):
    path = tmp_path / "w.json"
    path.write_text(json.dumps([{"code": "S101", "section": section, "reason": "附件"}], ensure_ascii=False),
                    encoding="utf-8")
    findings = apply_waivers(run_checks(extract_path(SEED003)), load_waivers(str(path)))
    assert [f.waived for f in findings if f.code == "S101"] == ["附件"]


def test_a_waiver_naming_an_unknown_rule_or_section_is_a_usage_error(capsys, tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SEED003.read_bytes())
    waive(path, {"code": "Z999", "reason": "x"})
    code, _, err = run(capsys, "check", path)
    assert code == 2 and "Z999 不是已知的规则" in err
    waive(path, {"code": "S101", "section": "七", "reason": "x"})
    code, _, err = run(capsys, "check", path)
    assert code == 2 and "section" in err


# ------------------------------------------------------------------------------ --select / --ignore
def test_select_accepts_lower_case_and_prefixes(capsys):
    code, out, _ = run(capsys, "check", SEED003, "--select", "s101", "--to", "json")
    assert code == 1 and {f["code"] for f in json.loads(out)} == {"S101"}
    code, out, _ = run(capsys, "check", SEED003, "--select", "s", "--to", "json")
    assert {f["code"] for f in json.loads(out)} == {"S101", "S105"}


def test_ignore_drops_rules(capsys):
    code, out, _ = run(capsys, "check", SEED003, "--ignore", "S101,s105", "--to", "json")
    assert code == 0 and not {"S101", "S105"} & {f["code"] for f in json.loads(out)}


@pytest.mark.parametrize("opt", ["--select", "--ignore"])
def test_unknown_codes_are_refused(capsys, opt):
    code, out, err = run(capsys, "check", SEED003, opt, "h999")
    assert code == 2 and out == "" and "h999 不是已知的规则代码" in err and "nianbao rules" in err


# ------------------------------------------------------------------------------ --previous
def test_previous_of_a_later_year_is_reported_and_not_compared(capsys):
    code, out, _ = run(capsys, "check", SEEDS[0], "--previous", SEEDS[2], "--to", "json")   # 2020 vs 2021
    arr = json.loads(out)
    x105 = [f for f in arr if f["code"] == "X105"]
    assert len(x105) == 1 and "2021 年度" in x105[0]["message"] and "不早于" in x105[0]["message"]
    assert not [f for f in arr if f["code"] in ("X101", "X102", "X103", "X104")]


def test_previous_that_is_the_same_file_is_reported(capsys):
    code, out, _ = run(capsys, "check", SEEDS[2], "--previous", SEEDS[2], "--to", "json")
    arr = json.loads(out)
    assert [f["code"] for f in arr if f["code"].startswith("X")] == ["X105"]
    assert "同一份文件" in arr[[f["code"] for f in arr].index("X105")]["message"]


def test_previous_two_years_back_skips_continuity_but_still_finds_copied_text():
    cur, prev = extract_path(SEEDS[2]), extract_path(SEEDS[0])
    prev.year = 2019
    codes = [f.code for f in run_checks(cur, previous=prev) if f.code.startswith("X")]
    assert "X105" in codes and "X104" in codes and "X101" not in codes


def test_the_year_before_gives_no_x105():
    assert not [f for f in run_checks(extract_path(SEEDS[2]), previous=extract_path(SEEDS[0])) if f.code == "X105"]


# ------------------------------------------------------------------------------ copied text
def test_quoted_passages_keep_their_digits():
    share, passages = copied_share("回顾2021年政府信息公开工作，主要存在以下问题：一是公开不够全面。",
                                   "回顾2020年政府信息公开工作，主要存在以下问题：一是公开不够全面。")
    assert share > 0.9 and passages[0].startswith("回顾2021年政府信息公开工作")


def test_the_preamble_is_compared_too():
    findings = run_checks(extract_path(SEEDS[2]), previous=extract_path(SEEDS[0]))
    pre = [f for f in findings if f.code == "X104" and f.values["section"] == 0]
    assert len(pre) == 1 and pre[0].message.startswith("前言") and "2021 年，先锋路街道" in pre[0].message


# ------------------------------------------------------------------------------ explain
@pytest.mark.parametrize("code", ["W001", "w002", "E000", "E001", "x105", "R201"])
def test_explain_knows_every_code(capsys, code):
    c, out, _ = run(capsys, "explain", code)
    assert c == 0 and out.startswith(code.upper())


def test_every_rule_is_explained(capsys):
    for code in RULES:
        assert main(["explain", code.lower()]) == 0
    capsys.readouterr()
