"""Charts: PNG and SVG with Chinese labels as text; units with fewer than 30 requests are not ranked."""
import random

import pytest

from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.render import to_text
from nianbao.synth import random_report


def test_charts_have_chinese_text_and_do_not_rank_small_units(tmp_path, capsys, cjk_font):
    rng = random.Random(3)
    corpus = tmp_path / "c"
    corpus.mkdir()
    orgs = {"大户街道办事处": 0.0, "小户街道办事处": 1.0}       # zero_share 1.0 → 0 requests
    for year in (2021, 2022):
        for org, zeros in orgs.items():
            r = random_report(rng, "2021", zero_share=zeros, year=year, org=org)
            (corpus / f"{org}{year}.txt").write_text(to_text(r), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    run_batch([str(corpus)], str(store), workers=1)
    out = tmp_path / "charts"
    assert main(["charts", "--store", str(store), "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["公开率_2022.png", "公开率_2022.svg", "历年趋势.png", "历年趋势.svg", "申请数量_2022.png",
                     "申请数量_2022.svg"]
    requests = (out / "申请数量_2022.svg").read_text(encoding="utf-8")
    assert "大户街道" in requests and "小户街道" in requests and "申请数量" in requests
    rate = (out / "公开率_2022.svg").read_text(encoding="utf-8")
    assert "不参与排序" in rate and rate.count("小户街道") == 1       # named once, under the chart, not ranked
    assert rate.count("大户街道") == 1                                 # ranked: a bar label
    assert all(p.stat().st_size > 1000 for p in out.iterdir())


def test_font_installed_after_matplotlib_cached_its_list_is_found(monkeypatch, cjk_font):
    """A CJK font installed after matplotlib built its font cache (apt-get on a running server) made
    charts refuse with 「没有中文字体」: the list is rebuilt once before refusing."""
    import copy

    from matplotlib import font_manager

    from nianbao.corpus import charts

    stale = copy.copy(font_manager.fontManager)
    cjk_files = {f.fname for f in stale.ttflist if f.name in charts._CJK_FONTS}     # every face of those files
    stale.ttflist = [f for f in stale.ttflist if f.fname not in cjk_files]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    charts._setup()
    assert any(f.name in charts._CJK_FONTS for f in font_manager.fontManager.ttflist)


def test_chart_numbers_are_sums_over_current_reports(tmp_path, capsys, cjk_font):
    """The 历年趋势 figures equal SQL sums over the current reports: two street offices of the same name in
    two cities both count, a superseded version does not (the old chart took a max per short name)."""
    import csv

    import duckdb
    rng = random.Random(11)
    corpus = tmp_path / "c"
    corpus.mkdir()
    orgs = ["石门市长安区先锋路街道办事处", "临清市先锋路街道办事处", "剑光街道办事处"]
    for year in (2021, 2022):
        for i, org in enumerate(orgs):
            r = random_report(rng, "2021", zero_share=0.0, year=year, org=org)
            (corpus / f"{i}_{year}.txt").write_text(to_text(r), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    run_batch([str(corpus)], str(store), workers=1)
    changed = random_report(rng, "2021", zero_share=0.0, year=2022, org=orgs[0])
    (corpus / "0_2022.txt").write_text(to_text(changed), encoding="utf-8")       # a corrected file
    run_batch([str(corpus)], str(store), workers=1)
    out = tmp_path / "charts"
    assert main(["charts", "--store", str(store), "-o", str(out), "--to", "csv"]) == 0
    with open(out / "历年趋势.csv", encoding="utf-8-sig") as fh:
        trend = list(csv.reader(fh))
    con = duckdb.connect(str(store), read_only=True)
    try:
        sql = con.execute("""
            SELECT r.year, count(DISTINCT r.sha256),
                   sum(CASE WHEN c.tbl='t3' AND c.row_key='new_received' AND c.col_key='total' THEN c.value END)
            FROM current_reports r JOIN cells c USING (sha256) WHERE c.status IN ('read', 'inferred')
            GROUP BY r.year ORDER BY r.year""").fetchall()
        every_version = con.execute("""
            SELECT sum(value) FROM reports r JOIN cells c USING (sha256) WHERE r.year = 2022 AND c.tbl='t3'
            AND c.row_key='new_received' AND c.col_key='total'""").fetchone()[0]
    finally:
        con.close()
    assert [(int(r[0]), int(r[1]), float(r[3])) for r in trend[1:]] == [(y, n, float(v)) for y, n, v in sql]
    assert sql[1][1] == 3 and float(trend[2][3]) != every_version         # the old version is not summed
    with open(out / "申请数量_2022.csv", encoding="utf-8-sig") as fh:
        per_unit = {r[0]: float(r[2]) for r in list(csv.reader(fh))[1:]}
    assert set(per_unit) == {"石门市长安区先锋路街道", "临清市先锋路街道", "剑光街道"}
    assert per_unit["石门市长安区先锋路街道"] == changed["tables"]["t3"]["new_received"]["total"]


def test_rates_need_30_cases_and_axes_are_honest(cjk_font):
    from nianbao.corpus.charts import ChartRow, _setup, disclosure_data, requests_chart, trend_chart, trend_data
    _setup()
    rows = [ChartRow("甲", 2021, 100, 60, 10, 100, 3, 10), ChartRow("乙", 2021, 5, 1, 1, 5, 20, 25),
            ChartRow("甲", 2022, 90, 50, 0, 80, 10, 40)]
    _, trend = trend_data(rows)
    assert [(y, received, correct, total, rate) for y, _, _, received, correct, total, rate in trend] == [
        (2021, 105, 23, 35, 65.7), (2022, 90, 10, 40, 25.0)]
    _, rates = disclosure_data(rows, 2021)
    assert rates == [["甲", 2021, 60, 10, 100, 70.0], ["乙", 2021, 1, 1, 5, None]]      # 5 cases: no rate
    fig = trend_chart(rows)
    bars, line = fig.axes
    assert bars.get_ylim()[0] == 0 and line.get_ylim() == (0, 100)
    assert "25.0%（40件）" in [t.get_text() for t in line.texts]
    few = trend_data([ChartRow("甲", 2021, 10, 1, 1, 10, 1, 29)])[1]
    assert few[0][-1] is None                                                # 29 cases: no rate
    zero = requests_chart([ChartRow("甲", 2021, 0, 0, 0, 0, 0, 0)], 2021)
    assert zero.axes[0].get_xlim() == (0, 1)                                 # never a negative axis


def test_a_missing_tool_skips_outside_ci_and_fails_in_ci(monkeypatch):
    import pytest

    from .conftest import require
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception):
        require("no CJK font")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require("no CJK font")
    require(None)                      # present: nothing happens


def test_nianbao_font_names_a_font_file(monkeypatch, cjk_font):
    from matplotlib import font_manager

    from nianbao.corpus import charts
    path = next(f.fname for f in font_manager.fontManager.ttflist if f.name in charts._CJK_FONTS)
    monkeypatch.setenv("NIANBAO_FONT", path)
    charts._setup()
    import matplotlib
    assert matplotlib.rcParams["font.sans-serif"][0] == font_manager.FontProperties(fname=path).get_name()
    monkeypatch.setenv("NIANBAO_FONT", "/nonexistent/font.ttf")
    with pytest.raises(charts.NianbaoError, match="NIANBAO_FONT"):
        charts._setup()
