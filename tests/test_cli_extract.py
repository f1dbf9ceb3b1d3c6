"""`nianbao extract` and `nianbao debug` as a user runs them: outputs, exit codes, bad input."""
import csv
import json

import pytest
from openpyxl import load_workbook

from nianbao.cli import main

from .conftest import DATA

SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_file_prints_one_contract_object(capsys):
    code, out, err = run(capsys, "extract", SEEDS[2])
    d = json.loads(out)
    assert code == 0 and err == ""
    assert d["contract"] == 1 and d["source"]["kind"] == "text" and len(d["source"]["sha256"]) == 64
    assert d["tables"]["t4"]["review"] == {"maintain": None, "correct": None, "other": None, "pending": None,
                                           "total": None}
    assert len(d["cells"]) == 10 + 175 + 15
    assert {c["status"] for c in d["cells"]} == {"read", "inferred", "blank"}


def test_folder_gives_json_lines_in_sorted_order_and_errors_do_not_stop_the_run(capsys, tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_seed.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "c_junk.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "notes.md").write_text("ignored")
    code, out, err = run(capsys, "extract", tmp_path, SEEDS[1])
    lines = [json.loads(x) for x in out.splitlines()]
    assert [l["source"]["path"].rsplit("/", 1)[-1] for l in lines] == \
        ["a_empty.txt", "b_seed.txt", "c_junk.pdf", SEEDS[1].name]
    assert lines[0]["error"]["code"] == "empty" and "为空" in lines[0]["error"]["message"]
    assert lines[2]["error"]["code"] == "bad-signature"
    assert lines[1]["year"] == 2020 and lines[3]["org"] == "景山街道"
    assert code == 1
    assert "a_empty.txt" in err and "Traceback" not in err


def test_nothing_readable_exits_2(capsys, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"")
    code, out, err = run(capsys, "extract", tmp_path / "x.txt")
    assert code == 2 and json.loads(out)["error"]["code"] == "empty"


def test_huge_file_is_refused_without_reading_it(capsys, tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)   # sparse: 200 MB on paper, nothing on disk
    code, out, err = run(capsys, "extract", big)
    assert code == 2 and json.loads(out)["error"]["code"] == "too-large" and "过大" in err


def test_missing_path_and_usage_errors(capsys, tmp_path):
    code, out, err = run(capsys, "extract", tmp_path / "nope.txt")
    assert code == 2 and json.loads(out)["error"]["code"] == "not-found"
    with pytest.raises(SystemExit) as e:
        main(["extract"])
    assert e.value.code == 2 and "用法错误" in capsys.readouterr().err
    code, out, err = run(capsys, "extract", SEEDS[0], "--to", "csv")
    assert code == 2 and "-o" in err


def test_english_messages(capsys, tmp_path):
    (tmp_path / "x.txt").write_bytes(b"")
    code, out, err = run(capsys, "--lang", "en", "extract", tmp_path / "x.txt")
    assert json.loads(out)["error"]["message"].startswith("the file is empty")


def test_csv_long_table_one_row_per_cell(capsys, tmp_path):
    out_csv = tmp_path / "cells.csv"
    code, _, err = run(capsys, "extract", *SEEDS, "--to", "csv", "-o", out_csv)
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig")))
    assert code == 0 and len(rows) == 4 * 198 + 200
    r = [x for x in rows if x["path"].endswith(SEEDS[1].name) and x["table"] == "t2"
         and x["row"] == "procurement" and x["col"] == "amount"][0]
    assert (r["value"], r["raw"], r["unit"], r["status"]) == ("183.2867", "183.2867", "万元", "read")
    assert not list(tmp_path.glob(".nianbao-*"))


def test_xlsx_long_table(capsys, tmp_path):
    out = tmp_path / "cells.xlsx"
    code, _, _ = run(capsys, "extract", SEEDS[3], "--to", "xlsx", "-o", out)
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "文件" and rows[1][0] == "path" and len(rows) == 2 + 198
    amount = [r for r in rows[2:] if r[7] == "procurement" and r[8] == "amount"][0]
    assert (amount[9], amount[10], amount[12]) == (10268898, "10268898元", "元")


def test_debug_shows_grid_and_mapping(capsys):
    code, out, err = run(capsys, "debug", SEEDS[2])
    assert code == 0
    assert "▦ 表格 2" in out and "partial" in out and "inferred" in out and "由H2" in out
