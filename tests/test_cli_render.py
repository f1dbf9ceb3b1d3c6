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


def test_markdown_has_headings_and_pipe_tables_that_read_back(capsys, tmp_path):
    src = next((DATA / "seeds").glob("002_*.txt"))
    assert main(["extract", str(src)]) == 0
    rjson = tmp_path / "r.json"
    rjson.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["render", str(rjson), "-o", str(tmp_path / "r.md")]) == 0
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# 临清市先锋路街道办事处") and "\n## 三、收到和处理政府信息公开申请情况\n" in md
    assert "<table" not in md and md.count("\n|---|") == 3
    from .test_render_roundtrip import cells, same
    assert same(cells(extract_path(src).to_dict()), cells(extract_path(tmp_path / "r.md").to_dict())) == []
