#!/usr/bin/env python3
"""Render the browser-printed PDF fixtures: a government portal's report page saved as PDF by a
browser (Chromium's "打印 → 另存为 PDF"), into tests/fixtures/web_print/.

Each variant is a portal article page (site banner, breadcrumb, the 信息公开 metadata table, the
report, the site footer) built from a report JSON (the ground truth, written beside the PDF as
NAME.json), styled like real portal CSS (`word-break:break-all`, a fixed-width article column),
and printed by headless Chromium with its default header and footer (date and page title at the
top, the page's address and "2/5" at the bottom). The page's 宋体/微软雅黑 is a TrueType CJK font
put beside it (Debian's Droid Sans Fallback, or --font; digits from DejaVu Sans), so the PDF embeds
TrueType subsets as a browser on Windows does with SimSun; the HTML kept beside each PDF refers to
them as cjk.ttf and latin.ttf.

  narrow            the article column 520 px wide, 表三/表四 with fixed narrow value columns: labels
                    wrap over several lines and the wider numbers wrap ("126" → "12" / "6")
  narrow_big        narrow, 表三/表四 counts ×37: four-digit numbers printed a digit or two a line
                    (a cell stacking lines of digits is one wrapped number, not several rows)
  t3_repeat_header  表三's three header rows in <thead> (the browser repeats them on every page),
                    the table pushed down so that it runs over a page break
  t3_no_header      the same break, the header rows in <tbody> (not repeated)
  value_on_next     narrow, and the page break falls inside the merged （六）其他处理 cell: the row
                    2.申请人逾期… and its values are printed at the top of the next page, the
                    merged label's first part on the page before (Chromium moves a table row that does not fit
                    to the next page whole; only a merged cell is cut)
  letter_2019       the 2019-format report on US Letter paper (Chromium's default size)

The page breaks are placed by measurement, not guessed: each variant is printed once without
its spacer, the target row is located in that probe PDF, a spacer before 表三 is sized so that
the row starts the next page, and the PDF is checked for the intended layout (printed again with
a corrected spacer, and the script fails loudly when Chromium laid it out differently).

Idempotent: a PDF is only printed again when it is missing (Chromium stamps the date into every
page), or with --force (after changing this script). Needs /usr/bin/chromium (Debian's chromium package).

Usage:
  .venv/bin/python scripts/make_web_print_pdfs.py [--force] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pymupdf  # noqa: E402

from nianbao.render.html import table_html  # noqa: E402
from nianbao.render.layout import HEADING, PARAGRAPH, TITLE, report_blocks  # noqa: E402

SAME = ROOT / "tests" / "fixtures" / "same_report"
OUT = ROOT / "tests" / "fixtures" / "web_print"
WORK = Path("/tmp/nianbao-web-print")      # the address printed in the footer: file:///tmp/nianbao-web-print/…
PAGE_NAME = "t20230118_4821937.html"        # a portal article's file name
CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking"]
PX = 0.75                                   # PDF points per CSS pixel
FONT: Path | None = None

# the page's fonts: a TrueType CJK font put beside the page (Chromium embeds a TrueType subset, as a
# browser on Windows does with 宋体/微软雅黑; the system's CFF Noto CJK fonts would come out as
# Type3 fonts of a few glyphs each, which no real portal PDF has)
# (digits and Latin letters from a TrueType Latin font: the CJK fallback font has none)
FONT_FILE, LATIN_FILE = "cjk.ttf", "latin.ttf"
FONT_CSS = "".join(f'@font-face{{font-family:"{name}";src:url("{LATIN_FILE}");unicode-range:U+0000-024F;font-weight:100 900}}\n'
                   f'@font-face{{font-family:"{name}";src:url("{FONT_FILE}");font-weight:100 900}}\n'
                   for name in ("宋体", "SimSun", "微软雅黑", "Microsoft YaHei"))
FONT_PATHS = [Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")]
LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

SITE_CSS = FONT_CSS + """
body{margin:0;font-family:"Microsoft YaHei","微软雅黑","Noto Sans CJK SC",sans-serif;font-size:14px;
     color:#333;word-break:break-all;word-wrap:break-word}
.top{background:#1565c0;color:#fff;font-size:26px;padding:18px 0;text-align:center}
.nav{background:#0d47a1;color:#fff;text-align:center;padding:6px 0}
.nav span{margin:0 14px}
.wrap{width:%(width)dpx;margin:0 auto}
.pos{font-size:12px;color:#666;padding:8px 0;border-bottom:1px solid #ddd}
table.meta{width:100%%;border-collapse:collapse;font-size:12px;margin:10px 0;background:#f7f7f7}
table.meta td{padding:3px 6px;border:0;text-align:left}
h1{font-size:20px;text-align:center;font-weight:bold;color:#000;margin:14px 0 6px}
.info{font-size:12px;color:#888;text-align:center;margin-bottom:10px}
.content p{text-indent:2em;line-height:1.8;margin:4px 0;font-family:"宋体","SimSun","Noto Serif CJK SC",serif;
           font-size:15px}
.content table.report{border-collapse:collapse;margin:8px auto;font-family:"宋体","SimSun","Noto Serif CJK SC",serif;
           font-size:13px;line-height:1.35}
.content table.report td{border:1px solid #000;padding:2px 3px;text-align:center;vertical-align:middle}
.content table.report td.label{text-align:left}
.content table.report td.note{font-size:12px}
.foot{margin-top:20px;border-top:2px solid #1565c0;text-align:center;font-size:12px;color:#666;padding:10px 0;
      line-height:1.8}
@page{size:%(paper)s}
"""

# narrow value columns: the wider numbers wrap (break-all splits digits too)
NARROW_CSS = """
.content table.report{table-layout:fixed}
.content table.t2{width:100%%}
.content table.t3{width:%(t3)dpx}
.content table.t4{width:%(t4)dpx}
"""


def _cols(widths: list[int]) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{w}px">' for w in widths) + "</colgroup>\n"


# column widths (px) of the narrow tables: 表三 3 label columns + 7 values, 表四 15 values
T3_NARROW = [30, 44, 90] + [24, 17, 17, 17, 17, 17, 26]
T4_NARROW = [33] * 15


def report_html(report: dict, *, width: int, paper: str, narrow: bool, thead: bool,
                spacer: float = 0.0, extra_css: str = "") -> str:
    """The portal page for a report; `spacer` px of empty space before 表三."""
    parts: list[str] = []
    title = ""
    for kind, item in report_blocks(report):
        if kind == TITLE:
            title = item
        elif kind == HEADING:
            parts.append(f"<p><strong>{escape(item)}</strong></p>")
        elif kind == PARAGRAPH:
            parts.append(f"<p>{escape(item)}</p>")
        else:
            html = table_html(item).replace('class="', 'class="report ', 1)
            if narrow and item.key in ("t3", "t4"):
                cols = _cols(T3_NARROW if item.key == "t3" else T4_NARROW)
                html = html.replace(">\n", ">\n" + cols, 1)
            if item.key == "t3":
                if thead:
                    rows = html.split("\n")
                    h = item.header_rows
                    body_start = 1 + (1 if narrow else 0)
                    rows.insert(body_start, "<thead>")
                    rows.insert(body_start + 1 + h, "</thead><tbody>")
                    rows.insert(len(rows) - 1, "</tbody>")
                    html = "\n".join(rows)
                if spacer:
                    parts.append(f'<div class="spacer" style="height:{spacer:.1f}px"></div>')
            parts.append(html)
    org = escape(report.get("org") or "")
    css = SITE_CSS % {"width": width, "paper": paper} + extra_css
    if narrow:
        css += NARROW_CSS % {"t3": sum(T3_NARROW), "t4": sum(T4_NARROW)}
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}_临川市人民政府</title>
<style>{css}</style>
</head>
<body>
<div class="top">临川市人民政府</div>
<div class="nav"><span>首页</span><span>政务公开</span><span>政务服务</span><span>互动交流</span><span>走进临川</span></div>
<div class="wrap">
<div class="pos">您当前所在的位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<table class="meta">
<tr><td>索引号：11361002MB1234567X/2023-00123</td><td>分类：政府信息公开年报</td></tr>
<tr><td>发布机构：{org}</td><td>发文日期：2023-01-18</td></tr>
<tr><td colspan="2">名称：{escape(title)}</td></tr>
</table>
<h1>{escape(title)}</h1>
<div class="info">发布时间：2023-01-18 09:30　来源：{org}　浏览次数：1024　字号：[大 中 小]　【打印本页】</div>
<div class="content">
{chr(10).join(parts)}
</div>
<div class="foot">主办单位：临川市人民政府办公室　承办单位：临川市大数据中心<br>
网站标识码：3610000001　赣ICP备12345678号-1　联系电话：0794-8221234</div>
</div>
</body>
</html>
"""


def print_pdf(html: str) -> bytes:
    """Headless Chromium's "save as PDF" of the page, with its default header and footer."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / FONT_FILE).exists():
        shutil.copy(FONT, WORK / FONT_FILE)
        shutil.copy(LATIN, WORK / LATIN_FILE)
    src = WORK / PAGE_NAME
    out = WORK / "out.pdf"
    src.write_text(html, encoding="utf-8")
    out.unlink(missing_ok=True)
    subprocess.run([*CHROMIUM, f"--print-to-pdf={out}", src.as_uri()], capture_output=True, timeout=120,
                   check=False)
    if not out.exists():
        raise SystemExit(f"chromium did not print {src}")
    return out.read_bytes()


# ---------------------------------------------------------------- measuring a printed PDF
def words(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, text) of every span."""
    out = []
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for pno, page in enumerate(doc):
            for b in page.get_text("dict")["blocks"]:
                for ln in b.get("lines", ()):
                    for sp in ln["spans"]:
                        if sp["text"].strip():
                            x0, y0, x1, y1 = sp["bbox"]
                            out.append((pno, x0, y0, x1, y1, sp["text"].strip()))
    return out


def page_size(pdf: bytes) -> tuple[float, float]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        r = doc[0].rect
        return r.width, r.height


def content_bottom(pdf: bytes) -> float:
    """The lowest y of any table rule or body text on a page that is not the last: where the
    printable area ends (the footer line below it is Chromium's)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        h = doc[0].rect.height
        ys = []
        for page in list(doc)[:-1]:
            for d in page.get_drawings():
                if d["rect"].y1 < h - 30:
                    ys.append(d["rect"].y1)
        return max(ys)


def find(ws, text: str, after: tuple[int, float] = (-1, 0.0)):
    for w in ws:
        if w[5] == text and (w[0], w[2]) > after:
            return w
    raise SystemExit(f"'{text}' not found in the probe PDF")


def row_of(ws, label_start: str):
    """The first span of the label starting with `label_start` (spans next to each other on one
    line are read together: digits and CJK text come in different fonts)."""
    for i, w in enumerate(ws):
        text, last = w[5], w
        for v in ws[i + 1:i + 4]:
            if v[0] == w[0] and abs(v[2] - w[2]) < 2 and 0 <= v[1] - last[3] < 2:
                text, last = text + v[5], v
        if text.startswith(label_start):
            return w
    raise SystemExit(f"row '{label_start}' not found")


# ---------------------------------------------------------------- variants
def load(name: str) -> dict:
    return json.loads((SAME / name).read_text(encoding="utf-8"))


def scaled(report: dict, k: int) -> dict:
    """The report with 表三 and 表四 counts multiplied by k (the identities are linear, so they
    hold): four-digit numbers, printed one or two digits a line in the narrow columns."""
    out = copy.deepcopy(report)
    for t in ("t3", "t4"):
        for row in out["tables"][t].values():
            for c, v in row.items():
                if isinstance(v, int):
                    row[c] = v * k
    return out


def variants() -> dict:
    """name → (report, page options, label of the 表三 row that must start a new page, or None)."""
    r21 = load("report.json")
    r19 = load("report2019.json")
    a4 = dict(width=640, paper="A4", narrow=False, thead=False)
    narrow = dict(width=520, paper="A4", narrow=True, thead=False)
    return {
        "narrow": (r21, narrow, None),
        "narrow_big": (scaled(r21, 37), narrow, None),
        "t3_repeat_header": (r21, {**a4, "thead": True}, "（四）无"),
        "t3_no_header": (r21, a4, "（四）无"),
        "value_on_next": (r21, narrow, "2.申请人逾期"),
        "letter_2019": (r19, dict(width=640, paper="letter", narrow=False, thead=False), None),
    }


def spacer_for(probe: bytes, label: str) -> float:
    """More spacer (px) before 表三 to push the row labelled `label` (its first line) to the top
    of the next page."""
    ws = words(probe)
    lab = row_of(ws, label)
    return max((content_bottom(probe) - (lab[2] - 3.0)) / PX, 1.0)


def check(pdf: bytes, label: str | None, thead: bool) -> str | None:
    """None when the printed PDF has the intended layout: 表三 starts on an earlier page and the
    row `label` is the first one on its page; 表三's header printed on both pages when in <thead>."""
    if label is None:
        return None
    ws = words(pdf)
    lab = row_of(ws, label)
    first = row_of(ws, "一、本年新收")
    if first[0] >= lab[0]:
        return f"表三 does not run over a page break before '{label}'"
    # nothing above it in its label column on its page (below Chromium's page header)
    if any(w[0] == lab[0] and 40 < w[2] < lab[2] - 1 and abs(w[1] - lab[1]) < 1.5 for w in ws):
        return f"'{label}' is not the first row on page {lab[0] + 1}"
    head = [w for w in ws if w[5] == "申请人情况"]
    if len(head) != (2 if thead else 1):
        return f"表三's header printed {len(head)} times"
    return None


def build(name: str, force: bool) -> bool:
    report, opts, label = variants()[name]
    OUT.mkdir(parents=True, exist_ok=True)
    hp, pp, jp = OUT / f"{name}.html", OUT / f"{name}.pdf", OUT / f"{name}.json"
    jp.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not force and pp.exists() and hp.exists():
        return False
    spacer = 0.0
    for _ in range(4):   # a spacer moves the rows on; rows re-flowed over an earlier break need another go
        html = report_html(report, **opts, spacer=spacer)
        pdf = print_pdf(html)
        err = check(pdf, label, opts["thead"])
        if err is None:
            break
        spacer += spacer_for(pdf, label)
    else:
        raise SystemExit(f"{name}: {err}")
    hp.write_text(html, encoding="utf-8")
    pp.write_bytes(pdf)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--font", type=Path, help="a TrueType CJK font (default: Debian's Droid Sans Fallback)")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM[0]).exists():
        raise SystemExit("chromium not found: apt-get install chromium")
    global FONT
    FONT = args.font or next((p for p in FONT_PATHS if p.exists()), None)
    if not LATIN.exists():
        raise SystemExit(f"{LATIN} not found: apt-get install fonts-dejavu-core")
    if FONT is None or not FONT.exists():
        raise SystemExit("no TrueType CJK font: apt-get install fonts-droid-fallback, or give --font FILE.ttf "
                         "(`apt-get download fonts-droid-fallback && dpkg -x fonts-droid-fallback_*.deb DIR` "
                         "gets the file without installing it)")
    for name in variants():
        if args.only and name not in args.only:
            continue
        changed = build(name, args.force)
        print(f"{name}: {'printed' if changed else 'unchanged'}")
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
