"""Usable: display names everywhere (pages, JSON, workbook, correction notes), charts that start at 0
and never refuse while a CJK font is installed, PDF line links that reach their page."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from nianbao.web.models import Profile

from .conftest import SEED_000, SEED_002, upload


def svg_numbers(svg: str) -> list[float]:
    """The numbers printed as text in an SVG chart (tick labels, bar labels)."""
    out = []
    for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg):
        t = t.strip().replace(",", "").replace("−", "-")
        if re.fullmatch(r"-?\d+(\.\d+)?", t):
            out.append(float(t))
    return out


def test_all_zero_charts_have_no_negative_axis(clients, tree, monkeypatch, cjk_font):
    from nianbao.web.views import region
    zero = [("临清市先锋路街道办事处", 2020, 0, 0, 0, 0, 0, 0), ("临清市先锋路街道办事处", 2021, 0, 0, 0, 0, 0, 0)]
    monkeypatch.setattr(region, "chart_rows", lambda user, root, year: zero)
    base = f"/regions/{tree['city'].pk}/charts/"
    for name in ("requests", "trend", "disclosure"):
        r = clients["city"].get(base + f"{name}.svg?year=2021")
        assert r.status_code == 200, (name, r.content[:300])
        nums = svg_numbers(r.content.decode())
        assert all(n >= 0 for n in nums), (name, nums)
        assert name == "disclosure" or min(nums) == 0, (name, nums)    # disclosure: no unit ranked, no axis


def test_charts_rescan_fonts_installed_after_the_cache(clients, tree, seed002, monkeypatch, cjk_font):
    """matplotlib's cached font list predates the CJK font (installed on a running server): the chart is
    drawn, not refused with 503, and drawn with the CJK font by the backend itself."""
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg

    from nianbao.corpus.charts import _CJK_FONTS
    fm = font_manager.fontManager
    cjk_files = {f.fname for f in fm.ttflist if f.name in _CJK_FONTS}
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if f.fname not in cjk_files])
    fm._findfont_cached.cache_clear()
    r = clients["city"].get(f"/regions/{tree['city'].pk}/charts/requests.png?year=2021")
    assert r.status_code == 200 and r.content[:4] == b"\x89PNG", r.content[:300]
    assert backend_agg._fontManager is font_manager.fontManager
    assert {f.name for f in backend_agg._fontManager.ttflist} & set(_CJK_FONTS)
    used = font_manager.fontManager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert any(f.fname == used and f.name in _CJK_FONTS for f in font_manager.fontManager.ttflist), used


def test_display_names_everywhere(clients, users, tree):
    """Pages, JSON, the workbook and correction notes name people by their 姓名, not their user name."""
    Profile.objects.filter(user=users["city"]).update(display_name="张审核")
    upload(users["city"], SEED_000)
    up = upload(users["city"], SEED_002)
    rep = up.files.get().report
    c = clients["city"]
    c.post(f"/reports/{rep.pk}/findings/decide", {"key": "M102|t4|review|", "status": "dismissed", "reason": "不适用"})
    cell = "t3|new_received|natural"
    value = rep.current.data["tables"]["t3"]["new_received"]["natural"]
    r = c.post(f"/reports/{rep.pk}/correct", {"cell": cell, "value": str((value or 0) + 1), "reason": "核对原件"})
    assert r.status_code == 302
    pages = {
        "uploads": c.get("/uploads/").content.decode(),
        "report": c.get(f"/reports/{rep.pk}/").content.decode(),
        "list": c.get("/reports/").content.decode(),
        "versions": c.get(f"/reports/{rep.pk}/versions/").content.decode(),
    }
    for name, html in pages.items():
        assert "张审核" in html, name
        assert not re.search(r">\s*city\s*[<（(，]", html), name           # the user name is not shown
    assert c.get("/uploads/?format=json").json()["uploads"][0]["user"] == "张审核"
    assert c.get(f"/reports/{rep.pk}/?format=json").json()["report"]["uploaded_by"] == "张审核"
    notes = [x.get("note") or "" for x in rep.current.data["cells"]]
    assert any("人工更正：张审核" in n for n in notes)
    wb = load_workbook(io.BytesIO(c.get(f"/regions/{tree['city'].pk}/workbook.xlsx?year=2021").content))
    cells = [str(v) for row in wb["问题清单"].iter_rows(values_only=True) for v in row if v is not None]
    assert "张审核" in cells and "city" not in cells


def test_pdf_findings_link_to_their_page(users, tree, clients):
    """A PDF has no numbered lines: a finding placed by page and box links to that page's image (where
    the script draws the box), never to a line anchor the PDF view does not have."""
    from pathlib import Path
    pdf = Path(__file__).parents[1] / "fixtures" / "web_print" / "narrow_big.pdf"
    up = upload(users["city"], pdf, unit=tree["qnl"])
    rep = up.files.get().report
    assert rep.kind == "pdf"
    html = clients["city"].get(f"/reports/{rep.pk}/").content.decode()
    assert '<a href="#src-page-2">原文第 2 页</a>' in html
    assert 'data-page="2" data-bbox="125.2,300.3,316.5,315.0"' in html
    assert re.search(r'<figure class="src-page" id="src-page-2" data-w="[\d.]+" data-h="[\d.]+"', html)
    assert "#src-L" not in html
