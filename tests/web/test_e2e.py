"""End to end, in a real browser against a real server: Debian's chromium driven by Playwright talks HTTP to
`nianbao serve` in a subprocess (waitress, the background worker, SQLite in its own data folder).

A reviewer of 临清市 logs in, uploads seed 000 (2020) and seed 002 (2021, 先锋路街道) through the upload
form, watches the progress page until the worker has processed them, opens the 2021 report, checks that
findings are listed errors and warnings first, clicks one and sees its cells highlighted both in the
extracted tables and in the source view, dismisses one with a reason, then downloads the region's review
workbook from the dashboard and finds seed 002's findings in it with the dismissed one marked.

Also here, against a real server: the upload load test in small (bench/web_upload.py with 8 clients).

Set NIANBAO_SHOTS=folder to keep a screenshot of every step. Without /usr/bin/chromium the test is skipped,
except in CI (env CI set), where it fails.
"""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

from .e2e_site import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SEED_000, SEED_002, TREE, Site

# The report page's containers (src/nianbao/web/templates/web/report.html): the extracted tables and the
# source view. Both hold [data-cell="t|r|c"] elements.
TABLES = "#tables"
SOURCE = "#source"
SEVERITY_RANK = {"sev-error": 0, "sev-warning": 1, "sev-info": 2}
REASON = "该街道本年度无行政复议案件，E2E 测试驳回"
TIMEOUT_MS = 20_000


def _need_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    msg = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium); never `playwright install`."
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _need_chromium()
    s = Site(tmp_path_factory.mktemp("e2e-site"))
    ids = s.prepare_json(TREE)
    s.start()
    s.ids = ids
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


class Steps:
    """Names each step, keeps a screenshot of it (NIANBAO_SHOTS), and on failure says which step failed,
    with the page's URL and the server's log."""

    def __init__(self, page, site):
        self.page, self.site, self.n = page, site, 0
        self.shots = Path(os.environ["NIANBAO_SHOTS"]) if os.environ.get("NIANBAO_SHOTS") else None
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def __call__(self, name: str):
        self.n += 1
        try:
            yield
        except Exception as e:
            self.shot(f"{name}-FAILED")
            raise AssertionError(f"e2e step {self.n} «{name}» failed at {self.page.url}: {e}\n"
                                 f"--- server log ---\n{self.site.log()}") from e
        self.shot(name)

    def shot(self, name: str) -> None:
        if self.shots:
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(self.shots / f"e2e-{self.n:02d}-{name}.png"), full_page=True)


def goto(page, url: str):
    r = page.goto(url)
    assert r is not None and r.status == 200, \
        f"{url} answered {r.status if r else 'nothing'}: {page.locator('main').inner_text()[:300]}"
    return r


def upload_and_wait(page, site, path: Path) -> str:
    """Upload one file through the form; wait on the progress page until the worker is done; return the
    report URL the page links to."""
    goto(page, site.url + "/uploads/")
    page.locator("#upload-form input[name=files]").first.set_input_files(str(path))
    with page.expect_navigation():
        page.locator("#upload-form button[type=submit]").click()
    assert re.search(r"/uploads/\d+/$", page.url), f"after the upload the browser is at {page.url}"
    # the page polls its JSON twin and reloads itself once every file is finished
    link = page.locator(f'#ok-files tr[data-status=done] a[href^="/reports/"]')
    link.first.wait_for(state="visible", timeout=60_000)
    assert page.locator("#p-done").inner_text() == "1" and page.locator("#p-failed").inner_text() == "0"
    assert path.name in page.locator("#ok-files").inner_text()
    return link.first.get_attribute("href")


def test_reviewer_uploads_reviews_and_downloads_workbook(site, browser, tmp_path):
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    step = Steps(page, site)
    city = site.ids["city"]

    with step("login"):
        page.goto(site.url + "/")
        assert "/login/" in page.url                                  # anonymous → the login page
        page.fill("input[name=username]", "reviewer")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()
        assert page.url.rstrip("/").endswith(f"/regions/{city}"), f"reviewer landed on {page.url}"
        assert "退出" in page.locator("header").inner_text()

    with step("upload-seed-000"):
        upload_and_wait(page, site, SEED_000)

    with step("upload-seed-002"):
        report_url = upload_and_wait(page, site, SEED_002)
        assert re.fullmatch(r"/reports/\d+/", report_url)

    with step("report-findings"):
        goto(page, site.url + report_url)
        assert "先锋路" in page.locator("main").inner_text()
        findings = page.locator("li.finding")
        n = findings.count()
        assert n >= 2, f"{n} findings on the report page"
        assert findings.first.is_visible()
        sev = [next((c for c in (li.get_attribute("class") or "").split() if c in SEVERITY_RANK), None)
               for li in findings.all()]
        assert None not in sev, f"a finding without sev-error|sev-warning|sev-info: {sev}"
        ranks = [SEVERITY_RANK[s] for s in sev]
        assert ranks == sorted(ranks), f"findings not errors first: {sev}"
        assert ranks[0] <= 1, "the first finding is neither an error nor a warning"
        keys = [li.get_attribute("data-key") for li in findings.all()]
        codes = {k.split("|")[0] for k in keys}
        assert {"R103", "M102"} <= codes, f"seed 002 is known to have R103 and M102; page has {sorted(codes)}"

    with step("click-finding-highlights-cells"):
        target = page.locator("li.finding[data-cells]:not([data-cells=''])").first
        cells = (target.get_attribute("data-cells") or "").split()
        assert cells, "no finding points at cells"
        assert page.locator(".hl").count() == 0
        target.click()
        page.wait_for_selector("[data-cell].hl")
        assert "active" in (target.get_attribute("class") or "").split()
        in_tables = page.locator(f"{TABLES} [data-cell].hl").count()
        in_source = page.locator(f"{SOURCE} [data-cell].hl").count()
        assert in_tables > 0, f"no highlighted cell in the extracted tables ({TABLES}) for {cells}"
        assert in_source > 0, f"no highlighted cell in the source view ({SOURCE}) for {cells}"
        highlighted = set(page.eval_on_selector_all("[data-cell].hl", "els => els.map(e => e.dataset.cell)"))
        assert highlighted <= set(cells), f"highlighted {highlighted - set(cells)} not in the finding's {cells}"

    with step("dismiss-finding"):
        li = page.locator("li.finding:has(form.decide)").first
        dismissed_key = li.get_attribute("data-key")
        li.locator("form.decide textarea[name=reason]").fill(REASON)
        with page.expect_navigation():
            li.locator("form.decide button[name=status][value=dismissed]").click()
        assert page.url.startswith(site.url + report_url), f"after dismissing the browser is at {page.url}"
        body = page.locator("body").inner_text()
        assert f"已驳回：{REASON}" in body, "the dismissal and its reason are not shown after the reload"
        again = page.locator(f'li.finding[data-key="{dismissed_key}"]')
        assert again.count() == 1 and REASON in again.inner_text()

    with step("dashboard-workbook"):
        goto(page, f"{site.url}/regions/{city}/?year=2021")
        link = page.locator("a#download-workbook")
        href = link.get_attribute("href") or ""
        assert re.match(rf"/regions/{city}/workbook\.xlsx\?year=\d{{4}}", href), href
        with page.expect_download() as dl:
            link.click()
        path = tmp_path / "workbook.xlsx"
        dl.value.save_as(path)

    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    assert {"问题清单", "报告汇总", "提交情况"} <= set(wb.sheetnames), wb.sheetnames
    rows = [[("" if v is None else str(v)) for v in r] for r in wb["问题清单"].iter_rows(values_only=True)]
    mine = [r for r in rows if any("先锋路" in v for v in r)]
    assert mine, "问题清单 has no row of 先锋路街道"
    listed = {v for r in mine for v in r}
    for code in codes:
        assert code in listed, f"finding {code} of seed 002 is missing from 问题清单"
    dcode = dismissed_key.split("|")[0]
    marked = [r for r in mine if any("驳回" in v for v in r)]
    assert len(marked) == 1, f"expected exactly the dismissed finding marked 已驳回 in 问题清单, got {marked}"
    assert dcode in marked[0] and REASON in marked[0], f"{dismissed_key} not marked with its reason: {marked[0]}"
    assert len(mine) == len(keys), f"问题清单 has {len(mine)} rows of 先锋路街道 for the {len(keys)} findings"
    summary = [[("" if v is None else str(v)) for v in r] for r in wb["报告汇总"].iter_rows(values_only=True)]
    assert any("先锋路" in v for r in summary for v in r), "报告汇总 does not list 先锋路街道"
    context.close()


def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch):
    from . import test_e2e
    monkeypatch.setattr(test_e2e, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        _need_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _need_chromium()


def test_concurrent_uploads_lose_nothing(capsys):
    """The load test (bench/web_upload.py) in small: 8 authors and 3 copies of one file uploaded at the same
    moment to a real server; every file ends done or duplicate, 8 reports, none twice, none lost."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("web_upload", Path(__file__).parents[2] / "bench" / "web_upload.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    code = bench.main(["--n", "8", "--dups", "3", "--limit", "120"], hard_exit=False)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "8 reports (expected 8), sha256 twice: 0, files {'done': 8, 'duplicate': 3}" in out
    assert "丢失 lost: 0 · 错误 errors: 0" in out
