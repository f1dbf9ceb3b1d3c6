"""Compiling seeds 000, 001, 003, 004 (2020 reports) as units of one region."""
import json

from nianbao import extract_path
from nianbao.cli import main
from nianbao.corpus import run_batch

from .conftest import DATA

SEEDS = {p.name[:3]: p for p in (DATA / "seeds").glob("*.txt")}


def test_compile_sums_the_units_and_lists_who_is_missing(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    run_batch([str(SEEDS[k]) for k in ("000", "001", "002", "003", "004")], str(store), workers=1)
    units = tmp_path / "units.csv"
    units.write_text("名称,上级,层级\n示例区,,县级\n先锋路街道办事处,示例区,街道\n景山街道,示例区,街道\n"
                     "平湖街道办事处,示例区,街道\n剑光街道办事处,示例区,街道\n东风镇人民政府,示例区,乡镇\n", encoding="utf-8")
    out = tmp_path / "region.json"
    assert main(["compile", "示例区", "--year", "2020", "--units", str(units), "--store", str(store), "-o", str(out)]) == 0
    d = json.loads(out.read_text(encoding="utf-8"))
    reports = [extract_path(SEEDS[k]) for k in ("000", "001", "003", "004")]
    for t, r, c in (("t3", "new_received", "natural"), ("t3", "granted", "total"), ("t2", "procurement", "count"),
                    ("t2", "punishment", "change"), ("t2", "normative", "made"), ("t4", "review", "total")):
        assert d["tables"][t][r][c] == sum(x.value(t, r, c) or 0 for x in reports), (t, r, c)
    assert d["tables"]["t2"]["procurement"]["count"] == 26 + 2 + 69
    assert d["compiled"]["missing"] == ["东风镇人民政府"]
    assert sorted(d["compiled"]["included"]) == sorted(["先锋路街道办事处", "景山街道", "平湖街道办事处", "剑光街道办事处"])
    assert d["compiled"]["matrix"]["先锋路街道办事处"] == {"2020": True, "2021": True}
    assert d["compiled"]["matrix"]["景山街道"] == {"2020": True, "2021": False}
    assert "东风镇人民政府" in capsys.readouterr().err
    assert main(["render", str(out), "-o", str(tmp_path / "region.docx")]) == 0


def test_region_review_workbook(tmp_path, capsys):
    from openpyxl import load_workbook
    store = tmp_path / "s.duckdb"
    run_batch([str(SEEDS[k]) for k in ("000", "002", "003", "004")], str(store), workers=1)
    units = tmp_path / "units.csv"
    units.write_text("名称,上级,层级\n示例区,,县级\n先锋路街道办事处,示例区,街道\n平湖街道办事处,示例区,街道\n"
                     "剑光街道办事处,示例区,街道\n东风镇人民政府,示例区,乡镇\n", encoding="utf-8")
    book = tmp_path / "book.xlsx"
    assert main(["compile", "示例区", "--year", "2020", "--units", str(units), "--store", str(store),
                 "-o", str(tmp_path / "r.json"), "--workbook", str(book)]) == 0
    wb = load_workbook(book)
    assert wb.sheetnames == ["问题清单", "报告汇总", "提交情况"]
    findings = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert ("平湖街道办事处", 2020, "错误", "S101") == findings[0][:4]
    matrix = {r[0]: r[2:] for r in wb["提交情况"].iter_rows(min_row=2, values_only=True)}
    assert matrix["先锋路街道办事处"] == ("已提交", "已提交") and matrix["东风镇人民政府"] == ("未提交", "未提交")
    summary = {r[0]: r[6] for r in wb["报告汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary == {"先锋路街道办事处": "通过", "平湖街道办事处": "不通过", "剑光街道办事处": "通过"}
