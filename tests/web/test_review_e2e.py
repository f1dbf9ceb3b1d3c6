"""The review cycle end to end in a real browser (Debian's chromium via Playwright) against `nianbao serve`.

An author of 先锋路街道 writes the first section of the report, then submits the report composed from the
ledger and narrative. The reviewer of 临清市 sees it 已提交 on the dashboard, takes it into review and returns
it with two findings to fix (the missing sections 五 and 六). The author fixes one (writes section 五), comments
on the other, and submits again. The reviewer sees section 五 fixed and the author's comment, and approves.
The dashboard shows 通过, and the history page shows every step with who and why.

Screenshots of every step: NIANBAO_SHOTS=folder (the README's set lives in docs/screenshots/review/,
made with `NIANBAO_SHOTS=docs/screenshots/review pytest tests/web/test_review_e2e.py`).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from .e2e_site import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TREE, Site
from .test_e2e import _need_chromium, browser, goto  # noqa: F401  (browser: the shared chromium fixture)

TIMEOUT_MS = 30_000
YEAR = dt.date.today().year - 1            # the report being written (the author pages' default year)
AUTHOR = """
xfl = Unit.objects.get(key="先锋路街道")
user("author", Profile.AUTHOR, xfl)
Profile.objects.filter(user__username="author").update(display_name="王编制")
Profile.objects.filter(user__username="reviewer").update(display_name="刘审核")
"""
FIX_5, FIX_6 = "S101||||§5", "S101||||§6"
SECTION_1 = "本年度，本街道认真贯彻《中华人民共和国政府信息公开条例》，主动公开各类政府信息。"
SECTION_5 = "存在的主要问题：公开内容不够全面。改进情况：已建立台账，逐月更新。"
RETURN_REASON = "第五、六部分缺失，请补充后重新提交"
COMMENT = "本单位本年度未收取信息处理费，也没有其他需要报告的事项；第六部分是否可以不写？"
APPROVE_REASON = "第五部分已补充；第六部分经核实无事项，同意"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _need_chromium()
    s = Site(tmp_path_factory.mktemp("review-site"))
    ids = s.prepare_json(TREE)
    s.prepare(AUTHOR)
    s.start()
    s.ids = ids
    yield s
    s.stop()


class Steps:
    """Names each step; keeps a screenshot of the page in front (NIANBAO_SHOTS); on failure says which step."""

    def __init__(self, site):
        self.site, self.n, self.page = site, 0, None
        self.shots = Path(os.environ["NIANBAO_SHOTS"]) if os.environ.get("NIANBAO_SHOTS") else None
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def __call__(self, name: str, page, focus: str | None = None):
        self.n += 1
        self.page = page
        try:
            yield
        except Exception as e:
            self.shot(f"{name}-FAILED")
            raise AssertionError(f"review e2e step {self.n} «{name}» failed at {page.url}: {e}\n"
                                 f"--- server log ---\n{self.site.log()}") from e
        if focus:
            with contextlib.suppress(Exception):
                page.locator(focus).first.scroll_into_view_if_needed()
        self.shot(name)

    def shot(self, name: str) -> None:
        if self.shots and self.page is not None:
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(self.shots / f"review-{self.n:02d}-{name}.png"))


def login(browser, site, username):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(site.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    return ctx, page


def submit_composed(page, site, note: str) -> str:
    goto(page, site.url + "/author/")
    card = page.locator(f"#review-{YEAR}")
    card.locator("input[name=note]").fill(note)
    with page.expect_navigation():
        card.locator("form.au-submit button[type=submit]").click()
    assert re.search(r"/reports/\d+/$", page.url), f"after submitting the browser is at {page.url}"
    assert page.locator("#review-state").inner_text() == "已提交"
    return page.url.replace(site.url, "")


def finding(page, key: str):
    li = page.locator(f'li.finding[data-key="{key}"]')
    assert li.count() == 1, f"finding {key}: {li.count()} on the page"
    return li


def write_section(page, site, n: int, text: str) -> None:
    goto(page, f"{site.url}/author/{YEAR}/narrative")
    page.fill(f"#s{n}", text)
    with page.expect_navigation():
        page.locator("#narrative-form button[type=submit]").click()
    assert page.locator(f"#s{n}").input_value() == text


def test_review_cycle_in_the_browser(site, browser):
    step = Steps(site)
    city, xfl = site.ids["city"], site.ids["xfl"]
    actx, author = login(browser, site, "author")
    rctx, reviewer = login(browser, site, "reviewer")

    with step("author-writes-section-1", author, "#s1"):
        write_section(author, site, 1, SECTION_1)

    with step("author-submits", author, "#review"):
        first = submit_composed(author, site, "请审核")
        codes = {k.split("|")[0] for k in author.locator("li.finding").evaluate_all("els => els.map(e => e.dataset.key)")}
        assert "S101" in codes, codes
        finding(author, FIX_5), finding(author, FIX_6)
        assert author.locator("#submit-form").count() == 0 and "等待审核人审核" in author.locator("#review").inner_text()

    with step("dashboard-submitted", reviewer, "#matrix"):
        goto(reviewer, f"{site.url}/regions/{city}/?year={YEAR}")
        cell = reviewer.locator(f'td.rg-state[data-unit="{xfl}"]')
        assert cell.locator(".state-badge").inner_text() == "已提交"
        assert "尚未提交" in reviewer.locator("#deadline-banner").inner_text()

    with step("reviewer-returns-two-findings", reviewer, "#review"):
        with reviewer.expect_navigation():
            cell.locator("a").click()
        assert reviewer.url.endswith(first)
        with reviewer.expect_navigation():
            reviewer.locator("#start-form button").click()
        assert reviewer.locator("#review-state").inner_text() == "审核中"
        for key in (FIX_5, FIX_6):
            finding(reviewer, key).locator("input[name=fix]").check()
        assert reviewer.locator("#fix-count").inner_text() == "2"
        reviewer.locator("#return-form textarea[name=reason]").fill(RETURN_REASON)
        with reviewer.expect_navigation():
            reviewer.locator("#return-form button[type=submit]").click()
        assert reviewer.locator("#review-state").inner_text() == "退回修改"
        assert sorted(reviewer.locator("#to-fix li").evaluate_all("els => els.map(e => e.dataset.key)")) == [FIX_5, FIX_6]

    with step("author-sees-return", author, "#review"):
        goto(author, site.url + first)
        assert author.locator("#review-state").inner_text() == "退回修改"
        assert author.locator("li.finding.to-fix").count() == 2
        assert RETURN_REASON in author.locator("#history").inner_text()

    with step("author-comments-on-section-6", author, f'li.finding[data-key="{FIX_6}"]'):
        li = finding(author, FIX_6)
        li.locator("form.comment textarea[name=text]").fill(COMMENT)
        with author.expect_navigation():
            li.locator("form.comment button[type=submit]").click()
        assert COMMENT in finding(author, FIX_6).locator(".f-comments").inner_text()

    with step("author-fixes-section-5", author, "#s5"):
        write_section(author, site, 5, SECTION_5)

    with step("author-resubmits", author, "#review"):
        second = submit_composed(author, site, "已补充第五部分；第六部分见留言")
        assert second != first
        assert author.locator(f'li.finding[data-key="{FIX_5}"]').count() == 0      # fixed
        fixed = {li.get_attribute("data-key"): li.get_attribute("class") for li in author.locator("#to-fix li").all()}
        assert fixed == {FIX_5: "fixed", FIX_6: "open"}, fixed
        assert COMMENT in finding(author, FIX_6).inner_text()                        # the thread follows the finding

    with step("reviewer-approves", reviewer, "#review"):
        goto(reviewer, f"{site.url}/regions/{city}/?year={YEAR}")
        with reviewer.expect_navigation():
            reviewer.locator(f'td.rg-state[data-unit="{xfl}"] a').click()
        assert reviewer.url.endswith(second)
        assert "本版已不再出现" in reviewer.locator("#to-fix").inner_text()
        assert COMMENT in finding(reviewer, FIX_6).inner_text()
        with reviewer.expect_navigation():
            reviewer.locator("#start-form button").click()
        reviewer.locator("#approve-form input[name=reason]").fill(APPROVE_REASON)
        with reviewer.expect_navigation():
            reviewer.locator("#approve-form button[type=submit]").click()
        assert reviewer.locator("#review-state").inner_text() == "通过"

    with step("dashboard-approved", reviewer, "#matrix"):
        goto(reviewer, f"{site.url}/regions/{city}/?year={YEAR}")
        assert reviewer.locator(f'td.rg-state[data-unit="{xfl}"] .state-badge').inner_text() == "通过"
        assert "通过" in reviewer.locator("#review-counts").inner_text()

    with step("history", reviewer, "#history"):
        with reviewer.expect_navigation():
            reviewer.goto(f"{site.url}{second}history/")
        items = reviewer.locator("#history li.hist-item")
        kinds = items.evaluate_all("els => els.map(e => e.dataset.kind)")
        assert kinds == ["submit", "review", "return", "comment", "submit", "review", "approve"], kinds
        text = reviewer.locator("#history").inner_text()
        for s in ("王编制", "刘审核", "请审核", RETURN_REASON, COMMENT, APPROVE_REASON,
                  "草稿 → 已提交", "已提交 → 审核中", "审核中 → 退回修改", "退回修改 → 已提交", "审核中 → 通过"):
            assert s in text, f"history lacks «{s}»"
    actx.close()
    rctx.close()
