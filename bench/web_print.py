"""Browser-printed portal pages for bench/accuracy.py (the `pdf/real_web_print*` classes): a
report's portal page (scripts/make_web_print_pdfs.py's `report_html`) saved as PDF by Chromium,
with its default header and footer, as the fixtures in tests/fixtures/web_print are made.

Variants: the plain page (640 px article column), narrow tables (labels and numbers wrap), 表三's
header in <thead> (repeated on every page), and US Letter paper; a random spacer before 表三 per
report puts the page breaks in different rows. All pages are printed by one Playwright-driven
Debian chromium (never a downloaded browser), ~0.3 s a page.
"""
from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_web_print_pdfs as WP  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VARIANTS = {
    "real_web_print": dict(width=640, paper="A4", narrow=False, thead=False),
    "real_web_print_narrow": dict(width=520, paper="A4", narrow=True, thead=False),
    "real_web_print_thead": dict(width=640, paper="A4", narrow=False, thead=True),
    "real_web_print_letter": dict(width=640, paper="letter", narrow=False, thead=True),
}


def page(rep: dict, variant: str, seed: str) -> bytes:
    """The portal page of `rep` as UTF-8 HTML, 表三 pushed down by a spacer chosen by `seed`."""
    spacer = random.Random(seed).uniform(0.0, 700.0)
    return WP.report_html(rep, **VARIANTS[variant], spacer=spacer).encode("utf-8")


def available() -> bool:
    return Path(CHROMIUM).exists()


def print_all(jobs: list[tuple[Path, Path]]) -> int:
    """Print each HTML file to its PDF path; returns how many were printed. The pages' TrueType
    fonts (make_web_print_pdfs: cjk.ttf, latin.ttf) are put beside the HTML files when the
    font files are on this machine (Debian's fonts-droid-fallback, or $NIANBAO_CJK_FONT);
    otherwise Chromium falls back to the system's fonts."""
    if not jobs:
        return 0
    from playwright.sync_api import sync_playwright

    folder = jobs[0][0].parent
    env = os.environ.get("NIANBAO_CJK_FONT")      # a TrueType CJK font file elsewhere
    cjk = Path(env) if env else next((p for p in WP.FONT_PATHS if p.exists()), None)
    if cjk is not None and WP.LATIN.exists():
        shutil.copy(cjk, folder / WP.FONT_FILE)
        shutil.copy(WP.LATIN, folder / WP.LATIN_FILE)
    else:
        print("web_print: no TrueType CJK font (fonts-droid-fallback): the pages use the system fonts",
              file=sys.stderr)
    done = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            for html, pdf in jobs:
                tab.goto(html.as_uri())
                tab.pdf(path=str(pdf), display_header_footer=True, prefer_css_page_size=True,
                        margin={"top": "0.4in", "bottom": "0.4in", "left": "0.4in", "right": "0.4in"})
                done += 1
        finally:
            browser.close()
    return done
