"""Charts: PNG and SVG with Chinese labels as text; units with fewer than 30 requests are not ranked."""
import random

from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.render import to_text
from nianbao.synth import random_report


def test_charts_have_chinese_text_and_do_not_rank_small_units(tmp_path, capsys):
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


def test_font_installed_after_matplotlib_cached_its_list_is_found(monkeypatch):
    """A CJK font installed after matplotlib built its font cache (apt-get on a running server) made
    charts refuse with 「没有中文字体」: the list is rebuilt once before refusing."""
    import copy

    from matplotlib import font_manager

    from nianbao.corpus import charts

    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [f for f in stale.ttflist if f.name not in charts._CJK_FONTS]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    charts._setup()
    assert any(f.name in charts._CJK_FONTS for f in font_manager.fontManager.ttflist)
