"""Charts of key figures across units and years, from the store (PNG and SVG, Chinese labels).

- 依申请公开申请数量: 本年新收 (t3 new_received.total) per unit for a year, and the total per year;
- 公开率: (予以公开 + 部分公开) / （七）总计 per unit — units that received fewer than MIN_REQUESTS
  requests are not ranked (a rate of 1 out of 2 says nothing), they are listed under the chart;
- 行政复议纠错率: t4 review.correct / review.total per year over the selection.

Every figure is a sum over current reports (one per unit and year, see store.py), never a max. A rate
carries its case count and is not computed on fewer than MIN_REQUESTS cases; bar axes start at 0 and
rate axes span 0–100 %. `charts --to csv` writes each chart's numbers (the `*_data` functions the
drawing uses) next to it.

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
    own = os.environ.get("NIANBAO_FONT")
    if own:                            # a font file of the user's choice (e.g. a TTF copied onto the machine)
        try:
            font_manager.fontManager.addfont(own)
            fonts = [font_manager.FontProperties(fname=own).get_name(), *fonts]
        except (OSError, RuntimeError, ValueError) as e:
            raise NianbaoError("bad-font", f"环境变量 NIANBAO_FONT 指定的字体文件 {own} 无法使用（{e}）；请给出 .ttf/.otf/.ttc 字体文件的路径。",
                               f"NIANBAO_FONT={own} cannot be used ({e}).") from None
    if not fonts:
        # matplotlib caches the font list on first use: a font installed after that (e.g. apt-get
        # install fonts-noto-cjk on a running server) is only seen once the system fonts are scanned
        # again. They are added to the one FontManager in place — the backends and text layout hold
        # that object from their import, so a new FontManager would be seen by nobody but us.
        fm = font_manager.fontManager
        known = {f.fname for f in fm.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue                  # an unreadable font file is not our problem here
        have = {f.name for f in fm.ttflist}
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


TOP_N = 30          # per-unit charts: the largest units, the rest summed in one bar


def _pct(num: float, den: float) -> float:
    return round(100 * num / den, 1)


def requests_data(rows: list[ChartRow], year: int) -> tuple[list[str], list[list]]:
    """Requests received per unit in `year`, largest first (a blank cell counts as no value, not 0)."""
    this = sorted((r for r in rows if r.year == year), key=lambda r: (-(r.received or 0), r.unit))
    return (["单位", "年度", "本年新收申请（件）"],
            [[r.unit, year, _num(r.received)] for r in this])


def requests_chart(rows: list[ChartRow], year: int):
    """Requests received per unit in `year`: the TOP_N largest, the rest in one bar, values on the bars."""
    _, data = requests_data(rows, year)
    shown = [(u, v or 0) for u, _, v in data[:TOP_N]]
    rest = data[TOP_N:]
    if rest:
        shown.append((f"其余 {len(rest)} 个单位合计", sum(v or 0 for _, _, v in rest)))
    fig, ax = _figure(8, max(2.5, 0.35 * len(shown) + 1))
    bars = ax.barh([u for u, _ in shown][::-1], [v for _, v in shown][::-1], color="#4472C4")
    ax.bar_label(bars, labels=[f"{v:,.0f}" for _, v in shown][::-1], padding=3, fontsize=8)
    _from_zero(ax, "x", max((v for _, v in shown), default=0))
    ax.set_title(f"{year}年各单位本年新收政府信息公开申请数量")
    ax.set_xlabel("申请数量（件）")
    return fig


def disclosure_data(rows: list[ChartRow], year: int) -> tuple[list[str], list[list]]:
    """(予以公开 + 部分公开) ÷ （七）总计 per unit with its case count; no rate under MIN_REQUESTS cases."""
    out = []
    for r in sorted((r for r in rows if r.year == year), key=lambda r: r.unit):
        n = r.processed or 0
        rate = _pct((r.granted or 0) + (r.partial or 0), n) if n >= MIN_REQUESTS else None
        out.append([r.unit, year, _num(r.granted), _num(r.partial), _num(r.processed), rate])
    out.sort(key=lambda x: (x[5] is None, -(x[5] or 0), x[0]))
    return ["单位", "年度", "予以公开", "部分公开", "办理总数（件）", "公开率（%）"], out


def disclosure_chart(rows: list[ChartRow], year: int):
    """Disclosure rate per unit with its case count; units with fewer than MIN_REQUESTS are listed, not ranked."""
    _, data = disclosure_data(rows, year)
    ranked = [(u, rate, n) for u, _, _, _, n, rate in data if rate is not None][:TOP_N]
    few = [u for u, _, _, _, _, rate in data if rate is None]
    more = sum(1 for x in data if x[5] is not None) - len(ranked)
    fig, ax = _figure(8, max(2.5, 0.35 * len(ranked) + 1.5))
    if ranked:
        bars = ax.barh([u for u, _, _ in ranked][::-1], [v for _, v, _ in ranked][::-1], color="#70AD47")
        ax.bar_label(bars, labels=[f"{v:.1f}%（{n:,.0f}件）" for _, v, n in ranked][::-1], padding=3, fontsize=8)
        ax.set_xlim(0, 115)            # the whole 0–100 % scale, room for the labels
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel("公开率（%），括号内为办理件数")
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, f"没有办理 {MIN_REQUESTS} 件以上的单位，不作排序", ha="center", va="center", fontsize=12,
                transform=ax.transAxes)
    ax.set_title(f"{year}年公开率（予以公开＋部分公开）÷ 办理总数，仅列办理 {MIN_REQUESTS} 件以上的单位"
                 + (f"（前 {TOP_N} 个，另有 {more} 个）" if more > 0 else ""))
    if few:
        note = f"办理不足 {MIN_REQUESTS} 件、不参与排序的单位（{len(few)} 个）：" + "、".join(few[:30]) + \
            ("等" if len(few) > 30 else "")
        fig.text(0.01, -0.06 if ranked else 0.02, "\n".join(textwrap.wrap(note, 60)), fontsize=8, va="top")
    return fig


def trend_data(rows: list[ChartRow], year: int | None = None) -> tuple[list[str], list[list]]:
    """Per year: sums over the current reports — requests received, reconsideration cases corrected and
    concluded, and the correction rate only where at least MIN_REQUESTS cases were concluded."""
    out = []
    for y in sorted({r.year for r in rows}):
        this = [r for r in rows if r.year == y]
        received = sum(r.received or 0 for r in this)
        total = sum(r.review_total or 0 for r in this)
        correct = sum(r.review_correct or 0 for r in this)
        out.append([y, len(this), sum(1 for r in this if r.received is not None), _num(received), _num(correct),
                    _num(total), _pct(correct, total) if total >= MIN_REQUESTS else None])
    return ["年度", "报告数", "有新收申请数的报告数", "新收申请合计（件）", "行政复议纠错（件）", "行政复议审结（件）",
            "行政复议纠错率（%）"], out


def trend_chart(rows: list[ChartRow], year: int | None = None):
    """Requests received (bars, sums over current reports) and the reconsideration correction rate
    (line on a 0–100 % axis, each point with its case count; none under MIN_REQUESTS cases) per year."""
    _, data = trend_data(rows, year)
    years = [str(d[0]) for d in data]
    totals = [d[3] for d in data]
    fig, ax = _figure(7, 3.8)
    bars = ax.bar(years, totals, color="#4472C4", label="新收申请（件）")
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in totals], padding=2, fontsize=8)
    _from_zero(ax, "y", max(totals, default=0))
    ax.set_ylabel("新收申请（件）")
    ax2 = ax.twinx()
    pts = [(str(d[0]), d[6], d[5]) for d in data if d[6] is not None]
    if pts:
        ax2.plot([p[0] for p in pts], [p[1] for p in pts], color="#C00000", marker="o", label="行政复议纠错率（%）")
        for x, v, n in pts:
            ax2.annotate(f"{v:.1f}%（{n:,.0f}件）", (x, v), textcoords="offset points", xytext=(0, 6), ha="center",
                         fontsize=8, color="#C00000")
    ax2.set_ylim(0, 100)               # a rate is never magnified
    ax2.set_ylabel("行政复议纠错率（%）")
    few = [str(d[0]) for d in data if d[6] is None]
    ax.set_title("历年新收申请数量与行政复议纠错率（当前报告合计）")
    if few:
        fig.text(0.01, -0.06, f"行政复议审结不足 {MIN_REQUESTS} 件的年度不计算纠错率：{'、'.join(few)}", fontsize=8, va="top")
    fig.legend(loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=2, fontsize=8, frameon=False)
    return fig


def _from_zero(ax, axis: str, top: float) -> None:
    """Bars start at 0; an all-zero chart gets a 0–1 axis instead of matplotlib's −0.05…0.05."""
    hi = top * 1.15 if top > 0 else 1
    (ax.set_xlim if axis == "x" else ax.set_ylim)(0, hi)


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


# name → (draw function, file name stem, numbers); the stem takes the year where the chart is for one year
CHARTS = {"requests": (requests_chart, "申请数量_{year}", requests_data),
          "disclosure": (disclosure_chart, "公开率_{year}", disclosure_data),
          "trend": (trend_chart, "历年趋势", trend_data)}


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
    store = Store(store_path, read_only=True)
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
    for name, (_, stem, numbers) in CHARTS.items():
        for ext in ("png", "svg"):
            p = os.path.join(folder, f"{stem.format(year=year)}.{ext}")
            with open(p, "wb") as fh:
                fh.write(draw(name, rows, year, ext))
            written.append(p)
        if csv_too:
            import csv
            p = os.path.join(folder, f"{stem.format(year=year)}.csv")
            head, data = numbers(rows, year)
            with open(p, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(head)
                w.writerows(["" if v is None else v for v in row] for row in data)
            written.append(p)
    return written
