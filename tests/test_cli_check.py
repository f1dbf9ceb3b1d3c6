"""`nianbao check` as a reviewer runs it: text, JSON per the contract, the XLSX review sheet,
waivers, exit codes."""
import json

from openpyxl import load_workbook

from nianbao.cli import main

from .conftest import DATA

SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_groups_by_table_with_hints(capsys):
    code, out, err = run(capsys, "check", SEEDS[4])
    assert code == 0                      # 004 has warnings only
    assert "表二 主动公开" in out and "警告 S103" in out and "第二十六条" in out and "→ 把条款改为" in out
    assert "合计：错误 0，警告 3" in out


def test_error_level_findings_exit_1(capsys):
    code, out, _ = run(capsys, "check", SEEDS[3])
    assert code == 1 and "错误 S101" in out


def test_json_is_the_contract_array(capsys):
    code, out, _ = run(capsys, "check", SEEDS[2], "--previous", SEEDS[0], "--to", "json")
    arr = json.loads(out)
    assert isinstance(arr, list) and arr
    for f in arr:
        assert {"code", "name", "severity", "message", "table", "row", "col", "where", "source"} <= set(f)
        assert f["severity"] in ("error", "warning", "info")
    assert {f["code"] for f in arr} >= {"M102", "R103", "X104"}
    assert {(f["unit"], f["year"]) for f in arr} == {("临清市先锋路街道办事处", 2021)}
    assert {f["kind"] for f in arr if f["code"].startswith("R")} == {"reading"}
    assert {f["kind"] for f in arr if not f["code"].startswith("R")} == {"defect"}
    review = [f for f in arr if f["code"] == "M102"][0]
    assert (review["table"], review["row"], review["where"]) == ("t4", "review", {"line": 78})


def test_review_workbook_has_findings_and_reports(capsys, tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    out = tmp_path / "审查表.xlsx"
    code, _, err = run(capsys, "check", *SEEDS, bad, "--to", "xlsx", "-o", out)
    assert code == 1
    wb = load_workbook(out)
    findings, reports = wb["问题清单"], wb["报告汇总"]
    rows = list(findings.iter_rows(values_only=True))
    assert rows[0][:6] == ("单位", "年度", "文件", "严重程度", "代码", "名称")
    s103 = [r for r in rows if r[4] == "S103"][0]
    assert s103[0] == "剑光街道办事处" and s103[1] == 2020 and s103[6] == "表二 主动公开"
    summary = {r[0].rsplit("/", 1)[-1]: r for r in reports.iter_rows(min_row=2, values_only=True)}
    assert summary[SEEDS[3].name][8] == "不通过" and summary[SEEDS[0].name][8] == "通过"
    assert any(r[8] == "无法读取" for r in summary.values())
    # seed 002's short rows are reading problems: counted apart, the verdict asks for a look
    assert summary[SEEDS[2].name][10] == 2 and summary[SEEDS[2].name][8].startswith("待核对")
    # one sheet per unit, each with a 单位答复 column to send back
    assert "剑光街道办事处" in wb.sheetnames and "临清市先锋路街道办事处" in wb.sheetnames
    unit = list(wb["剑光街道办事处"].iter_rows(values_only=True))
    assert unit[0][-1] == "单位答复" and {r[4] for r in unit[1:]} == {"S103", "P102", "S104", "T104"}


def test_per_unit_workbooks(capsys, tmp_path):
    code, _, err = run(capsys, "check", SEEDS[2], SEEDS[4], "--per-unit", tmp_path / "units")
    assert code == 0 and "2 个单位" in err
    names = sorted(p.name for p in (tmp_path / "units").iterdir())
    assert names == ["临清市先锋路街道办事处.xlsx", "剑光街道办事处.xlsx"]
    rows = list(load_workbook(tmp_path / "units" / "临清市先锋路街道办事处.xlsx").active.iter_rows(values_only=True))
    assert rows[0][-2:] == ("类别", "单位答复")
    assert [r[15] for r in rows[1:3]] == ["读取问题", "读取问题"] and rows[3][15] == "报告问题"


def test_waiver_dismisses_a_finding_and_unused_waivers_are_reported(capsys, tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[3].read_bytes())
    (tmp_path / "r.txt.waivers.json").write_text(json.dumps([
        {"code": "S101", "reason": "第六部分在附件中", "by": "李审核"},
        {"code": "H301", "table": "t3", "row": "granted", "reason": "旧豁免"},
    ], ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "check", report)
    assert code == 0                                  # the only error is waived
    assert "已豁免：第六部分在附件中（李审核）" in out
    assert "W001" in out and "旧豁免" in out


def test_bad_waiver_file_is_a_usage_error(capsys, tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "r.txt.waivers.json").write_text("[{\"code\": \"S101\"}]", encoding="utf-8")
    code, _, err = run(capsys, "check", report)
    assert code == 2 and "豁免文件" in err and "reason" in err
