"""`nianbao extract … > r.json; nianbao render r.json` gives a clean official-layout report that
extracts back to the same tables."""
import json

from nianbao import extract_path
from nianbao.cli import main

from .conftest import DATA


def test_extract_then_render_docx_and_html_round_trip(capsys, tmp_path):
    src = next((DATA / "seeds").glob("001_*.txt"))
    assert main(["extract", str(src)]) == 0
    rjson = tmp_path / "r.json"
    rjson.write_text(capsys.readouterr().out, encoding="utf-8")
    original = extract_path(src)
    for name in ("r.docx", "r.html", "r.txt"):
        assert main(["render", str(rjson), "-o", str(tmp_path / name)]) == 0
        again = extract_path(tmp_path / name)
        assert again.tables() == original.tables(), name
        assert (again.org, again.year, again.format) == ("景山街道", 2020, "2019")
    assert not list(tmp_path.glob(".nianbao-*"))


def test_render_refuses_what_is_not_a_report(capsys, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["render", str(bad)]) == 2
    assert "不是有效的 JSON" in capsys.readouterr().err
    err = tmp_path / "e.json"
    err.write_text(json.dumps({"source": {"path": "a"}, "error": {"code": "empty"}}), encoding="utf-8")
    assert main(["render", str(err)]) == 2
    assert "不是可编制的报告" in capsys.readouterr().err


def test_markdown_has_headings_and_merged_html_tables_that_read_back(capsys, tmp_path):
    src = next((DATA / "seeds").glob("002_*.txt"))
    assert main(["extract", str(src)]) == 0
    rjson = tmp_path / "r.json"
    rjson.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["render", str(rjson), "-o", str(tmp_path / "r.md")]) == 0
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# 临清市先锋路街道办事处") and "\n## 三、收到和处理政府信息公开申请情况\n" in md
    assert md.count("<table") == 3 and 'colspan="7"' in md
    from .test_render_roundtrip import cells, same
    assert same(cells(extract_path(src).to_dict()), cells(extract_path(tmp_path / "r.md").to_dict())) == []


def _one_sheet_ledger(tmp_path):
    p = tmp_path / "台账.csv"
    p.write_text("编号,收到日期,申请人类型,办理结果,答复日期\nA1,2025-03-03,自然人,予以公开,2025-03-20\n", encoding="utf-8")
    return p


def test_render_from_a_ledger_without_the_other_sheets_is_an_error(capsys, tmp_path):
    led = _one_sheet_ledger(tmp_path)
    assert main(["render", "--ledger", str(led), "--year", "2025", "--org", "某局", "-o", str(tmp_path / "r.docx")]) == 2
    err = capsys.readouterr().err
    assert "「主动公开」（表二）" in err and "「复议诉讼」（表四）" in err and "--allow-missing" in err
    assert not (tmp_path / "r.docx").exists()


def test_allow_missing_prints_unfilled_and_check_reports_it(capsys, tmp_path):
    import os
    led = _one_sheet_ledger(tmp_path)
    out = tmp_path / "r.docx"
    assert main(["render", "--ledger", str(led), "--year", "2025", "--org", "某局", "-o", str(out), "--allow-missing"]) == 0
    assert os.stat(out).st_mode & 0o777 == 0o666 & ~_umask()
    text = "\n".join(s["text"] for s in extract_path(out).to_dict()["sections"])
    assert "主动公开政府信息情况：未填报" in text and "行政复议、行政诉讼情况：未填报" in text
    capsys.readouterr()
    assert main(["check", str(out), "--to", "json"]) == 1
    codes = {(f["code"], f.get("table")) for f in json.loads(capsys.readouterr().out)}
    assert ("M101", "t2") in codes and ("M101", "t4") in codes


def _umask():
    import os
    m = os.umask(0)
    os.umask(m)
    return m
