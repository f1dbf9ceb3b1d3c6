"""Screenshots of every page of the web app, for review of the look and for the documentation.

    python scripts/screenshots.py [--out shots/] [--data DIR] [--width 1400]

Starts a real `nianbao serve` on 127.0.0.1 with demo data in a new data folder (or --data): a region tree
(示范市 → 临清市 → four street offices, 东城区 → three), an administrator `admin`, a reviewer `reviewer` of
示范市 and an author `author` of 临清市先锋路街道办事处 (password Nianbao-2026!); seeds 000–004 uploaded,
a few synthetic reports (one with a broken total), two files that cannot be read, one finding dismissed
and one value corrected. Then it logs in as each role with Playwright (Debian's chromium) and saves a
full-page PNG of every page into --out. A page that does not exist yet is saved as the 404 page it
answers; the list printed at the end gives each file with its URL and HTTP status.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "web"))

from e2e_site import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SEEDS, HttpClient, Site  # noqa: E402

YEAR = 2025        # the author's report year (the example ledger is for 2025)

DEMO = """
import json
root = unit("示范市", "示范市", level="地级市")
lq = unit("临清市", "临清市", root, "县级市")
dc = unit("东城区", "东城区", root, "区")
ids = {"root": root.pk, "lq": lq.pk, "dc": dc.pk}
for name, key, parent in [
        ("临清市先锋路街道办事处", "先锋路街道", lq), ("临清市青年路街道办事处", "青年路街道", lq),
        ("临清市新华路街道办事处", "新华路街道", lq), ("临清市大辛庄街道办事处", "大辛庄街道", lq),
        ("景山街道办事处", "景山街道", dc), ("平湖街道办事处", "平湖街道", dc), ("剑光街道办事处", "剑光街道", dc)]:
    ids[key] = unit(name, key, parent, "街道").pk
user("admin", superuser=True)
user("reviewer", Profile.REVIEWER, root)
user("author", Profile.AUTHOR, Unit.objects.get(pk=ids["先锋路街道"]))
Profile.objects.filter(user__username="reviewer").update(display_name="刘审核")
Profile.objects.filter(user__username="author").update(display_name="王编制")
print(json.dumps(ids))
"""


def synthetic() -> list[tuple[str, bytes]]:
    from nianbao.render.text import to_text
    from nianbao.synth import random_report
    out = []
    for i, (street, year) in enumerate([("新华路", 2021), ("新华路", 2022), ("新华路", 2023), ("大辛庄", 2021),
                                        ("青年路", 2022), ("大辛庄", 2023)]):
        r = random_report(random.Random(i), "2021", year=year, org=f"临清市{street}街道办事处")
        if i == 3:                                       # a total that does not add up: an error finding
            t3 = r["tables"]["t3"]
            row = next(iter(t3))
            col = next(iter(t3[row]))
            if isinstance(t3[row][col], int):
                t3[row][col] += 7
        out.append((f"{street}街道{year}年报告.txt", to_text(r).encode("utf-8")))
    return out


def prepare_demo(site: Site) -> dict:
    ids = site.prepare_json(DEMO)
    c = HttpClient(site.url)
    c.login("reviewer")
    seeds = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("00[0-4]_*.txt"))]
    first = c.wait_upload(c.upload(seeds)["url"])
    mixed = c.wait_upload(c.upload(synthetic() + [
        ("旧版报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ("扫描件.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"),
        ("先锋路街道2021年报（重复）.txt", (SEEDS / "002_4db7ac69ce8a2181.txt").read_bytes())])["url"])
    reports = {f["name"]: f["report"]["id"] for f in first["files"] if f.get("report")}
    seed002 = next(v for k, v in reports.items() if k.startswith("002_"))
    ids.update(seed002=seed002, upload_seeds=first["id"], upload_mixed=mixed["id"])
    # a dismissed finding and a corrected value (best effort: the pages may not exist yet)
    try:
        d = c.get_json(f"/reports/{seed002}/?format=json")
        key = next(f["key"] for f in d.get("findings", []) if f.get("code") == "M102")
        c.post_form(f"/reports/{seed002}/findings/decide", {"key": key, "status": "dismissed",
                                                            "reason": "本年度无行政复议案件，此项不适用"})
        c.post_form(f"/reports/{seed002}/correct", {"cell": "t2|licensing|decisions", "value": "12",
                                                    "reason": "原件表二行政许可处理决定数量为 12，读取时遗漏"})
    except Exception as e:         # noqa: BLE001 - the screenshots go on without it
        print(f"(demo decision/correction skipped: {type(e).__name__}: {e})")
    return ids


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="shots", help="folder for the PNG files (default shots/)")
    ap.add_argument("--data", help="data folder (default: a new temporary folder, removed afterwards)")
    ap.add_argument("--width", type=int, default=1400)
    a = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.stderr.write(f"没有找到 {CHROMIUM}；请安装 Debian 的 chromium（apt-get install chromium）。\n")
        return 2
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(a.data) if a.data else Path(tempfile.mkdtemp(prefix="nianbao-shots-"))
    site = Site(data)
    try:
        with site:
            ids = prepare_demo(site)
            shots = take(site, ids, out, a.width)
    finally:
        if not a.data:
            shutil.rmtree(data, ignore_errors=True)
    width = max(len(s[0]) for s in shots)
    for name, url, status, note in shots:
        print(f"{name:<{width}}  {status}  {url}{('  ' + note) if note else ''}")
    print(f"{len(shots)} screenshots in {out}/")
    return 0


def take(site: Site, ids: dict, out: Path, width: int) -> list[tuple[str, str, int, str]]:
    from playwright.sync_api import sync_playwright
    shots: list[tuple[str, str, int, str]] = []
    rid, root = ids["seed002"], ids["root"]
    pages = {
        None: [("01-login", "/login/", None)],
        "reviewer": [
            ("02-region-dashboard", f"/regions/{root}/", None),
            ("03-region-lq", f"/regions/{ids['lq']}/?year=2021", None),
            ("04-reports-list", "/reports/", None),
            ("05-report-finding-clicked", f"/reports/{rid}/", "click-finding"),
            ("06-report-versions", f"/reports/{rid}/versions/", None),
            ("07-uploads", "/uploads/", None),
            ("08-upload-progress", f"/uploads/{ids['upload_mixed']}/", None),
            ("09-upload-failed-files", "/uploads/failed/", None),
            ("10-error-404", "/reports/999999/", None),
        ],
        "admin": [
            ("11-manage", "/manage/", None),
            ("12-regions-admin", "/regions/", None),
        ],
        "author": [
            ("14-author-ledger", f"/author/{YEAR}/ledger", "import-ledger"),
            ("15-author-narrative", f"/author/{YEAR}/narrative", "import-narrative"),
            ("16-author-deadlines", f"/author/{YEAR}/deadlines", None),
            ("17-author-tables", f"/author/{YEAR}/tables", None),
            ("18-author-check", f"/author/{YEAR}/check", None),
            ("13-author-home", "/author/", None),
            ("19-author-report-page", f"/reports/{rid}/", None),
            ("20-error-403-manage", "/manage/", None),
        ],
    }
    pw = sync_playwright().start()
    # --lang: the browser's own widgets (file pickers) in Chinese, as a Chinese user's browser shows them
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=zh-CN"])
    try:
        for role, items in pages.items():
            ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
            page = ctx.new_page()
            page.set_default_timeout(15_000)
            if role:
                page.goto(site.url + "/login/")
                page.fill("input[name=username]", role)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation():
                    page.locator("form button[type=submit]").click()
            for name, path, action in items:
                note = ""
                if action == "import-ledger":
                    note = import_file(page, site.url + path, ROOT / "examples" / "台账示例.xlsx")
                if action == "import-narrative":
                    note = import_file(page, site.url + path, ROOT / "examples" / "年报正文示例.txt")
                r = page.goto(site.url + path)
                status = r.status if r else 0
                if action == "click-finding":
                    note = click_finding(page)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                shots.append((f"{name}.png", path, status, note))
            ctx.close()
    finally:
        browser.close()
        pw.stop()
    return shots


def click_finding(page) -> str:
    li = page.locator("li.finding[data-cells]:not([data-cells=''])")
    if li.count() == 0:
        return "(no finding with cells to click)"
    li.first.click()
    page.wait_for_timeout(300)
    return f"clicked {li.first.get_attribute('data-key')}, {page.locator('[data-cell].hl').count()} cells highlighted"


def import_file(page, url: str, path: Path) -> str:
    """Import an example file through the author's own import form on `url` (the ledger: preview, then
    确认导入; the narrative: split into sections), if the page has one."""
    try:
        r = page.goto(url)
        if not r or r.status != 200:
            return "(page missing)"
        inp = page.locator("form input[type=file]")
        if inp.count() == 0:
            return "(no import form)"
        details = inp.first.locator("xpath=ancestor::details")
        if details.count():
            details.first.locator("summary").click()
        inp.first.set_input_files(str(path))
        with page.expect_navigation():
            inp.first.locator("xpath=ancestor::form").locator("button[type=submit], button:not([type])").first.click()
        confirm = page.locator("button:has-text('确认导入')")
        if confirm.count():
            with page.expect_navigation():
                confirm.first.click()
        return f"{path.name} imported"
    except Exception as e:         # noqa: BLE001
        return f"(import of {path.name} failed: {type(e).__name__})"


if __name__ == "__main__":
    sys.exit(main())
