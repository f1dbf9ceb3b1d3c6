"""Charts of key figures across units and years, from the store (PNG and SVG, Chinese labels).

- 依申请公开申请数量: 本年新收 (t3 new_received.total) per unit for a year, and the total per year;
- 公开率: (予以公开 + 部分公开) / （七）总计 per unit — units that received fewer than MIN_REQUESTS
  requests are not ranked (a rate of 1 out of 2 says nothing), they are listed under the chart;
- 行政复议纠错率: t4 review.correct / review.total per year over the selection.

Text stays text in the SVG (svg.fonttype = none); a CJK font must be installed (Debian:
fonts-noto-cjk), otherwise the charts are refused with a clear message instead of drawing boxes.
"""
from __future__ import annotations

import os

from ..errors import NianbaoError
from .store import Store

MIN_REQUESTS = 30
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
              "Microsoft YaHei", "PingFang SC", "Noto Serif CJK SC")


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    import matplotlib.pyplot as plt
    have = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in _CJK_FONTS if f in have]
    if not fonts:
        raise NianbaoError("no-cjk-font", "系统中没有中文字体，图表中的中文无法显示；请安装中文字体（如 Debian 的 fonts-noto-cjk）。",
                           "no CJK font is installed; install one (e.g. Debian fonts-noto-cjk).")
    plt.rcParams.update({"font.family": "sans-serif", "font.sans-serif": fonts, "axes.unicode_minus": False,
                         "svg.fonttype": "none", "figure.dpi": 100})
    return plt


def _figures(store_path: str, units: set[str] | None, year: int | None) -> dict:
    store = Store(store_path)
    try:
        rows = store.con.execute("""
            SELECT r.unit, r.year,
                   max(CASE WHEN c.tbl='t3' AND c.row_key='new_received' AND c.col_key='total' THEN c.value END),
                   max(CASE WHEN c.tbl='t3' AND c.row_key='granted' AND c.col_key='total' THEN c.value END),
                   max(CASE WHEN c.tbl='t3' AND c.row_key='partial' AND c.col_key='total' THEN c.value END),
                   max(CASE WHEN c.tbl='t3' AND c.row_key='total' AND c.col_key='total' THEN c.value END),
                   max(CASE WHEN c.tbl='t4' AND c.row_key='review' AND c.col_key='correct' THEN c.value END),
                   max(CASE WHEN c.tbl='t4' AND c.row_key='review' AND c.col_key='total' THEN c.value END)
            FROM reports r JOIN cells c USING (sha256)
            WHERE c.status IN ('read', 'inferred') AND r.unit IS NOT NULL AND r.year IS NOT NULL
            GROUP BY r.unit, r.year ORDER BY r.unit, r.year""").fetchall()
    finally:
        store.close()
    if units is not None:
        rows = [r for r in rows if r[0] in units]
    return {"rows": rows, "year": year or max((r[1] for r in rows), default=None)}


def make_charts(store_path: str, folder: str, units: set[str] | None = None, year: int | None = None) -> list[str]:
    plt = _pyplot()
    data = _figures(store_path, units, year)
    rows, year = data["rows"], data["year"]
    if not rows:
        raise NianbaoError("no-data", "库中没有可绘图的报告（或所选单位没有报告）。", "no reports to chart.")
    os.makedirs(folder, exist_ok=True)
    written: list[str] = []

    def save(fig, name: str) -> None:
        for ext in ("png", "svg"):
            p = os.path.join(folder, f"{name}.{ext}")
            fig.savefig(p, bbox_inches="tight")
            written.append(p)
        plt.close(fig)

    this = [r for r in rows if r[1] == year]
    # 1. requests received per unit, this year
    this_sorted = sorted(this, key=lambda r: -(r[2] or 0))
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(this_sorted) + 1)))
    ax.barh([r[0] for r in this_sorted][::-1], [r[2] or 0 for r in this_sorted][::-1], color="#4472C4")
    ax.set_title(f"{year}年各单位本年新收政府信息公开申请数量")
    ax.set_xlabel("申请数量（件）")
    save(fig, f"申请数量_{year}")
    # 2. disclosure rate, ranked only where there are enough requests
    ranked = [(r[0], ((r[3] or 0) + (r[4] or 0)) / r[5]) for r in this if r[5] and r[5] >= MIN_REQUESTS]
    few = sorted(r[0] for r in this if not r[5] or r[5] < MIN_REQUESTS)
    ranked.sort(key=lambda x: -x[1])
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(ranked) + 1.5)))
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
        import textwrap
        note = f"办理不足 {MIN_REQUESTS} 件、不参与排序的单位（{len(few)} 个）：" + "、".join(few[:30]) + \
            ("等" if len(few) > 30 else "")
        fig.text(0.01, -0.06 if ranked else 0.02, "\n".join(textwrap.wrap(note, 60)), fontsize=8, va="top")
    save(fig, f"公开率_{year}")
    # 3. across years: requests and the reconsideration correction rate
    years = sorted({r[1] for r in rows})
    total = [sum(r[2] or 0 for r in rows if r[1] == y) for y in years]
    corr = []
    for y in years:
        t = sum(r[7] or 0 for r in rows if r[1] == y)
        c = sum(r[6] or 0 for r in rows if r[1] == y)
        corr.append(100 * c / t if t else 0)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar([str(y) for y in years], total, color="#4472C4", label="新收申请（件）")
    ax.set_ylabel("新收申请（件）")
    ax2 = ax.twinx()
    ax2.plot([str(y) for y in years], corr, color="#C00000", marker="o", label="行政复议纠错率（%）")
    ax2.set_ylabel("行政复议纠错率（%）")
    ax.set_title("历年新收申请数量与行政复议纠错率")
    fig.legend(loc="upper left", bbox_to_anchor=(0.1, 0.9), fontsize=8)
    save(fig, "历年趋势")
    return written
