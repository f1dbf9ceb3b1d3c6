"""In a real browser against a real server (Debian's chromium, `nianbao serve`): the top navigation at a
phone's 390 px, 原文第 N 页 links on a PDF report reaching their page, and the upload form refusing an
oversized selection before sending it. Screenshots go to NIANBAO_SHOTS when set (and the narrow one
always to the test's folder, where the test checks it)."""
from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from .e2e_site import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TREE, HttpClient, Site

PDF = Path(__file__).parents[1] / "fixtures" / "web_print" / "narrow_big.pdf"     # 3 pages, T101 per page
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        msg = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)."
        pytest.fail(msg) if os.environ.get("CI") else pytest.skip(msg)
    s = Site(tmp_path_factory.mktemp("e2e-usable"), env={"NIANBAO_MAX_UPLOAD_MB": "1"})
    s.ids = s.prepare_json(TREE.replace('user("reviewer"', 'user("admin", superuser=True)\nuser("reviewer"'))
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield b
    b.close()
    pw.stop()


def shot(page, name: str, full_page: bool = True) -> None:
    if os.environ.get("NIANBAO_SHOTS"):
        folder = Path(os.environ["NIANBAO_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"usable-{name}.png"), full_page=full_page)


def login(browser, site, username: str, width: int, height: int = 900):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(site.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert "/login/" not in page.url, page.locator("main").inner_text()[:300]
    return context, page


def test_navigation_works_at_390px(site, browser, tmp_path):
    context, page = login(browser, site, "admin", 390, 844)
    try:
        header = page.locator("header.nb-top")
        links = page.locator("header .nb-nav a")
        labels = [a.inner_text().strip() for a in links.all()]
        assert labels == ["辖区总览", "报告", "上传", "编制年报", "单位与账号"], labels
        for a in [*links.all(), page.locator("header .nb-user a"), page.locator("header .nb-user button")]:
            box = a.bounding_box()
            assert a.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (a.inner_text(), box)
        assert page.evaluate("document.querySelector('header').scrollWidth") <= 390
        path = tmp_path / "nav-390.png"
        page.screenshot(path=str(path))
        width, height = struct.unpack(">II", path.read_bytes()[16:24])          # the PNG's IHDR
        assert (width, height) == (390, 844)
        shot(page, "nav-390")
        for label, target in (("单位与账号", "/manage/"), ("上传", "/uploads/"), ("报告", "/reports/")):
            with page.expect_navigation():
                page.locator("header .nb-nav a", has_text=label).click()
            assert page.url.endswith(target), (label, page.url)
            assert header.locator("a.on").inner_text().strip() == label
    finally:
        context.close()


def test_pdf_page_links_reach_their_page(site, browser):
    c = HttpClient(site.url)
    c.login("reviewer")
    up = c.upload([(PDF.name, PDF.read_bytes())], unit=site.ids["qnl"])
    done = c.wait_upload(up["url"])
    report = done["files"][0]["report"]["url"]
    context, page = login(browser, site, "reviewer", 1400)
    try:
        page.goto(site.url + report)
        link = page.locator("li.finding a[href='#src-page-3']").first
        assert link.inner_text() == "原文第 3 页"
        pane = page.locator("#source")
        fig = page.locator("#src-page-3")
        link.click()
        box = page.locator("#src-page-3 .src-where.hl")
        box.wait_for(state="visible")
        page.wait_for_timeout(800)                                  # smooth scrolling settles
        b, p = box.bounding_box(), pane.bounding_box()
        view = page.viewport_size
        top, bottom = max(p["y"], 0), min(p["y"] + p["height"], view["height"])
        assert top <= b["y"] and b["y"] + b["height"] <= bottom, (b, p)      # the box is in sight
        img = page.locator("#src-page-3 img")
        for _ in range(200):                                        # the page image itself (rendered on demand)
            if img.evaluate("i => i.complete && i.naturalWidth > 0"):
                break
            page.wait_for_timeout(100)
        assert img.evaluate("i => i.naturalWidth") > 0
        f = fig.bounding_box()
        assert f["y"] < b["y"] < f["y"] + f["height"]                         # on page 3's image
        shot(page, "pdf-page-link", full_page=False)          # what the reviewer sees
        page.locator("li.finding a[href='#src-page-1']").first.click()
        page.locator("#src-page-1 .src-where.hl").wait_for(state="visible")
        assert page.locator(".src-where").count() == 1                        # the previous box is gone
    finally:
        context.close()


def test_upload_form_refuses_oversized_selection_before_sending(site, browser, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1536 * 1024))                                     # 1.5 MB, the limit is 1 MB
    context, page = login(browser, site, "reviewer", 1200)
    try:
        page.goto(site.url + "/uploads/")
        assert "单次上传不超过 1 MB" in page.locator("main").inner_text()
        page.locator("#upload-form input[name=files]").first.set_input_files(str(big))
        requests = []
        page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
        page.locator("#upload-form button[type=submit]").click()
        msg = page.locator("#upload-too-large")
        msg.wait_for(state="visible")
        assert "超过单次上传上限 1 MB" in msg.inner_text() and "2 MB" in msg.inner_text()
        assert page.url.endswith("/uploads/") and requests == []
        shot(page, "upload-too-large")
    finally:
        context.close()
