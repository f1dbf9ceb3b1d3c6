"""Charts of key figures across units and years, from the store (PNG and SVG, Chinese labels).

- 依申请公开申请数量: 本年新收 (t3 new_received.total) per unit for a year, and the total per year;
- 公开率: (予以公开 + 部分公开) / （七）总计 per unit — units that received fewer than MIN_REQUESTS
  requests are not ranked (a rate of 1 out of 2 says nothing), they are listed under the chart;
- 行政复议纠错率: t4 review.correct / review.total per year over the selection.

Text stays text in the SVG (svg.fonttype = none); a CJK font must be installed (Debian:
fonts-noto-cjk), otherwise the charts are refused with a clear message instead of drawing boxes.

The drawing takes plain rows (`ChartRow`: unit, year and six figures), so the same charts come from the
DuckDB store (`make_charts`) or from the web app's database (`draw`).
"""
from __future__ import annotations

import io
import os
import textwrap
import threading
from typing import NamedTuple

from ..errors import NianbaoError
from .store import Store

MIN_REQUESTS = 30
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
              "Microsoft YaHei", "PingFang SC", "Noto Serif CJK SC")


class ChartRow(NamedTuple):
    """One unit-year: the figures the charts need (None where the report has no value)."""
    unit: str
    year: int
    received: float | None          # t3 new_received.total 本年新收政府信息公开申请数量
    granted: float | None           # t3 granted.total 予以公开
    partial: float | None           # t3 partial.total 部分公开
    processed: float | None         # t3 total.total （七）总计
    review_correct: float | None    # t4 review.correct 行政复议 结果纠正
    review_total: float | None      # t4 review.total 行政复议 总计


# (table, row, col) of each ChartRow figure, in order, as in the data contract
CELLS = (("t3", "new_received", "total"), ("t3", "granted", "total"), ("t3", "partial", "total"),
         ("t3", "total", "total"), ("t4", "review", "correct"), ("t4", "review", "total"))
_lock = threading.Lock()


def _setup() -> None:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    have = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in _CJK_FONTS if f in have]
    if not fonts:
        # matplotlib caches the font list on first use: a font installed after that (e.g. apt-get
        # install fonts-noto-cjk on a running server) is only seen once the cache is rebuilt.
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        have = {f.name for f in font_manager.fontManager.ttflist}
        fonts = [f for f in _CJK_FONTS if f in have]
    if not fonts:
        raise NianbaoError("no-cjk-font", "系统中没有中文字体，图表中的中文无法显示；请安装中文字体（如 Debian 的 fonts-noto-cjk）。",
                           "no CJK font is installed; install one (e.g. Debian fonts-noto-cjk).")
    matplotlib.rcParams.update({"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False,
                                "svg.fonttype": "none", "figure.dpi": 100, "svg.hashsalt": "nianbao"})


def _figure(width: float, height: float):
    from matplotlib.figure import Figure       # no pyplot: no global figure state, safe in a web server
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def requests_chart(rows: list[ChartRow], year: int):
    """Requests received per unit in `year`, largest first."""
    this = sorted((r for r in rows if r.year == year), key=lambda r: -(r.received or 0))
    fig, ax = _figure(8, max(2.5, 0.35 * len(this) + 1))
    ax.barh([r.unit for r in this][::-1], [r.received or 0 for r in this][::-1], color="#4472C4")
    ax.set_title(f"{year}年各单位本年新收政府信息公开申请数量")
    ax.set_xlabel("申请数量（件）")
    return fig


def disclosure_chart(rows: list[ChartRow], year: int):
    """(予以公开 + 部分公开) ÷ （七）总计 per unit; units with fewer than MIN_REQUESTS are listed, not ranked."""
    this = [r for r in rows if r.year == year]
    ranked = [(r.unit, ((r.granted or 0) + (r.partial or 0)) / r.processed) for r in this
              if r.processed and r.processed >= MIN_REQUESTS]
    few = sorted(r.unit for r in this if not r.processed or r.processed < MIN_REQUESTS)
    ranked.sort(key=lambda x: -x[1])
    fig, ax = _figure(8, max(2.5, 0.35 * len(ranked) + 1.5))
    if ranked:
        ax.barh([u for u, _ in ranked][::-1], [v * 100 for _, v in ranked][::-1], color="#70AD47")
        ax.set_xlim(0, 100)
        ax.set_xlabel("公开率（%）")
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, f"没有办理 {MIN_REQUESTS} 件以上的单位，不作排序", ha="center", va="center", fontsize=12,
                transform=ax.transAxes)
    ax.set_title(f"{year}年公开率（予以公开＋部分公开）÷ 办理总数，仅列办理 {MIN_REQUESTS} 件以上的单位")
    if few:
        note = f"办理不足 {MIN_REQUESTS} 件、不参与排序的单位（{len(few)} 个）：" + "、".join(few[:30]) + \
            ("等" if len(few) > 30 else "")
        fig.text(0.01, -0.06 if ranked else 0.02, "\n".join(textwrap.wrap(note, 60)), fontsize=8, va="top")
    return fig


def trend_chart(rows: list[ChartRow], year: int | None = None):
    """Requests received (bars) and the reconsideration correction rate (line) per year."""
    years = sorted({r.year for r in rows})
    total = [sum(r.received or 0 for r in rows if r.year == y) for y in years]
    corr = []
    for y in years:
        t = sum(r.review_total or 0 for r in rows if r.year == y)
        c = sum(r.review_correct or 0 for r in rows if r.year == y)
        corr.append(100 * c / t if t else 0)
    fig, ax = _figure(7, 3.5)
    ax.bar([str(y) for y in years], total, color="#4472C4", label="新收申请（件）")
    ax.set_ylabel("新收申请（件）")
    ax2 = ax.twinx()
    ax2.plot([str(y) for y in years], corr, color="#C00000", marker="o", label="行政复议纠错率（%）")
    ax2.set_ylabel("行政复议纠错率（%）")
    ax.set_title("历年新收申请数量与行政复议纠错率")
    fig.legend(loc="upper left", bbox_to_anchor=(0.1, 0.9), fontsize=8)
    return fig


# name → (draw function, file name stem); the stem takes the year where the chart is for one year
CHARTS = {"requests": (requests_chart, "申请数量_{year}"), "disclosure": (disclosure_chart, "公开率_{year}"),
          "trend": (trend_chart, "历年趋势")}


def draw(name: str, rows: list[ChartRow], year: int, fmt: str = "png") -> bytes:
    """One chart as PNG or SVG bytes, from plain rows (the store's, or a web database's)."""
    if name not in CHARTS or fmt not in ("png", "svg"):
        raise NianbaoError("no-chart", f"没有名为 {name}.{fmt} 的图表。", f"no chart {name}.{fmt}.")
    with _lock:
        _setup()
        fig = CHARTS[name][0]([ChartRow(*r) for r in rows], year)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def _figures(store_path: str, tree=None, root: str | None = None, year: int | None = None) -> dict:
    """One ChartRow per unit and year, from the one current report of that unit and year.

    Without a tree the unit is the store's (the full printed name); with a tree, reports are matched to
    its units (ambiguous and unmatched reports are left out) and, with `root`, limited to its subtree."""
    store = Store(store_path)
    try:
        con = store.con
        if tree is None:
            picked = [(sha, unit, int(y)) for sha, unit, y in con.execute(
                "SELECT sha256, unit, year FROM current_reports WHERE unit IS NOT NULL AND year IS NOT NULL").fetchall()]
        else:
            from .compile import _label, assign, by_unit_year
            scope = {root, *(n.path for n in tree.subtree(root))} if root else set(tree.nodes)
            groups = by_unit_year(assign(con, tree))
            label = _label(tree, sorted({u for u, _ in groups if u in scope}))
            picked = [(hits[0].sha256, label[u], y) for (u, y), hits in groups.items() if u in scope]
        figures = {}
        if picked:
            cases = ", ".join(f"sum(CASE WHEN tbl='{t}' AND row_key='{r}' AND col_key='{c}' THEN value END)"
                              for t, r, c in CELLS)
            where = " OR ".join(f"(tbl='{t}' AND row_key='{r}' AND col_key='{c}')" for t, r, c in CELLS)
            figures = {row[0]: row[1:] for row in con.execute(
                f"SELECT sha256, {cases} FROM cells WHERE sha256 IN (SELECT unnest(?)) AND "
                f"status IN ('read', 'inferred') AND ({where}) GROUP BY sha256", [[p[0] for p in picked]]).fetchall()}
    finally:
        store.close()
    rows = sorted(ChartRow(unit, y, *figures.get(sha, (None,) * len(CELLS))) for sha, unit, y in picked)
    return {"rows": rows, "year": year or max((r.year for r in rows), default=None)}


def make_charts(store_path: str, folder: str, tree=None, root: str | None = None, year: int | None = None,
                csv_too: bool = False) -> list[str]:
    _setup()
    data = _figures(store_path, tree, root, year)
    rows, year = data["rows"], data["year"]
    if not rows:
        raise NianbaoError("no-data", "库中没有可绘图的报告（或所选单位没有报告）。", "no reports to chart.")
    os.makedirs(folder, exist_ok=True)
    written: list[str] = []
    for name, (_, stem) in CHARTS.items():
        for ext in ("png", "svg"):
            p = os.path.join(folder, f"{stem.format(year=year)}.{ext}")
            with open(p, "wb") as fh:
                fh.write(draw(name, rows, year, ext))
            written.append(p)
    return written
