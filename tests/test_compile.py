"""Compiling seeds 000, 001, 003, 004 (2020 reports) as units of one region; unit identity: two street
offices of the same name in two cities stay two units, a name that fits both is never summed."""
import json
import random

from nianbao import extract_path
from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.render import to_text
from nianbao.synth import random_report

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
    # 002 is 临清市先锋路街道办事处 (2021): 临清市 is not 示例区, so it is not this region's 先锋路街道办事处
    assert d["compiled"]["matrix"]["先锋路街道办事处"] == {"2020": True}
    assert d["compiled"]["matrix"]["景山街道"] == {"2020": True}
    assert {s["unit"]: s["match"] for s in d["compiled"]["summed"]} == {
        "先锋路街道办事处": "rule", "景山街道": "exact", "平湖街道办事处": "exact", "剑光街道办事处": "exact"}
    err = capsys.readouterr().err
    assert "东风镇人民政府" in err and "汇总 景山街道 ← " in err and "001_" in err
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
    assert wb.sheetnames == ["问题清单", "报告汇总", "提交情况", "待核对"]
    findings = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert ("平湖街道办事处", 2020, "错误", "S101") == findings[0][:4]
    matrix = {r[0]: r[2:] for r in wb["提交情况"].iter_rows(min_row=2, values_only=True)}
    assert matrix["先锋路街道办事处"] == ("已提交",) and matrix["东风镇人民政府"] == ("未提交",)
    summary = {r[0]: r[7] for r in wb["报告汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary == {"先锋路街道办事处": "通过", "平湖街道办事处": "不通过", "剑光街道办事处": "通过"}


UNITS = ("名称,上级,层级\n示例省,,省级\n石门市,示例省,市级\n长安区,石门市,县级\n先锋路街道办事处,长安区,街道\n"
         "临清市,示例省,县级\n先锋路街道办事处,临清市,街道\n")


def _two_cities(folder):
    """2021 reports: 石门市长安区先锋路街道办事处 (requests received), 临清市先锋路街道办事处 (none) and
    one printed only as 先锋路街道办事处 (fits both)."""
    rng = random.Random(5)
    folder.mkdir()
    files = {}
    for name, org, zeros in (("a_shimen.txt", "石门市长安区先锋路街道办事处", 0.0), ("b_linqing.txt", "临清市先锋路街道办事处", 1.0),
                             ("c_bare.txt", "先锋路街道办事处", 0.0)):
        (folder / name).write_text(to_text(random_report(rng, "2021", zero_share=zeros, year=2021, org=org)),
                                   encoding="utf-8")
        files[name] = folder / name
    return files


def test_same_named_street_offices_in_two_cities_stay_two_units(tmp_path, capsys):
    files = _two_cities(tmp_path / "in")
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    results = {}
    for workers, order in ((1, ["a_shimen.txt", "b_linqing.txt", "c_bare.txt"]),
                           (2, ["c_bare.txt", "b_linqing.txt", "a_shimen.txt"])):
        store = tmp_path / f"s{workers}.duckdb"
        run_batch([str(files[n]) for n in order], str(store), workers=workers)
        out = tmp_path / f"linqing{workers}.json"
        assert main(["compile", "临清市", "--year", "2021", "--units", str(units), "--store", str(store),
                     "-o", str(out)]) == 1                       # a report was left out: exit 1
        results[workers] = json.loads(out.read_text(encoding="utf-8"))
        err = capsys.readouterr().err
        assert "汇总 先锋路街道办事处 ← " in err and "b_linqing.txt" in err
        assert "未汇总 " in err and "c_bare.txt" in err and "对应多个单位" in err
    assert results[1] == results[2]          # the same whatever the worker count and input order
    d = results[1]
    linqing = extract_path(files["b_linqing.txt"])
    assert d["tables"]["t3"]["new_received"]["total"] == linqing.value("t3", "new_received", "total") == 0
    c = d["compiled"]
    assert [(s["unit"], s["file"].rsplit("/", 1)[1], s["match"]) for s in c["summed"]] == [
        ("先锋路街道办事处", "b_linqing.txt", "exact")]
    assert [(x["file"].rsplit("/", 1)[1], x["reason"], x["candidates"]) for x in c["left_out"]] == [
        ("c_bare.txt", "ambiguous", ["示例省/临清市/先锋路街道办事处", "示例省/石门市/长安区/先锋路街道办事处"])]
    # the other city's office sums its own report only
    d2 = _compile(tmp_path, "长安区", units, tmp_path / "s1.duckdb")
    shimen = extract_path(files["a_shimen.txt"])
    assert d2["tables"]["t3"]["new_received"]["total"] == shimen.value("t3", "new_received", "total") > 0
    assert [s["file"].rsplit("/", 1)[1] for s in d2["compiled"]["summed"]] == ["a_shimen.txt"]


def _compile(tmp_path, region, units, store, *extra):
    out = tmp_path / "out.json"
    main(["compile", region, "--year", "2021", "--units", str(units), "--store", str(store), "-o", str(out), *extra])
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_units_map_settles_an_ambiguous_name_and_two_files_for_one_unit_year_are_a_warning(tmp_path, capsys):
    from openpyxl import load_workbook
    files = _two_cities(tmp_path / "in")
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    run_batch([str(tmp_path / "in")], str(store), workers=1)
    mapping = tmp_path / "map.csv"
    mapping.write_text("名称,单位\n先锋路街道办事处,示例省/临清市/先锋路街道办事处\n", encoding="utf-8")
    book = tmp_path / "book.xlsx"
    d = _compile(tmp_path, "临清市", units, store, "--units-map", str(mapping), "--workbook", str(book))
    c = d["compiled"]
    assert c["left_out"] == []
    # two different files now claim 临清市/先锋路街道办事处 2021: one is used, both are named
    assert [(x["used"].rsplit("/", 1)[1], x["other"].rsplit("/", 1)[1]) for x in c["conflicts"]] == [
        ("c_bare.txt", "b_linqing.txt")]
    assert "两份不同的报告" in capsys.readouterr().err
    used = extract_path(files["c_bare.txt"])
    assert d["tables"]["t3"]["new_received"]["total"] == used.value("t3", "new_received", "total")
    todo = list(load_workbook(book)["待核对"].iter_rows(min_row=2, values_only=True))
    assert len(todo) == 1 and "c_bare.txt" in todo[0][3] and "b_linqing.txt" in todo[0][3]
