"""Benchmark of the PDF reader against reading the text layer alone.

    python bench/reader_pdf.py [report.pdf ...] [--n 50] [--save /tmp/bench.pdf]

Without a path it generates a 6-page report with three ruled tables (merged header cells,
merged label cells, 表三 running over a page break, Word-style borders drawn as thin filled
rectangles, page-number footers); `--rules three_line|none` draws the same tables as 三线表 or
without rules (rebuilt from text positions). Prints reports/s, ms/page and the ratio of the full read
(text + tables + paragraphs) to `page.get_text("dict")` for every page, which is the cheapest
call that gives lines with positions; the ratio is split into MuPDF's own extraction with vector
collection and the Python work of rebuilding tables and paragraphs.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import pymupdf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from nianbao.document import Source  # noqa: E402
from nianbao.readers import pdf as pdf_reader  # noqa: E402
from nianbao.readers.pdf.layer import FLAGS  # noqa: E402

W, H = 595.0, 842.0          # A4
LEFT, RIGHT, TOP, BOTTOM = 90.0, 505.0, 72.0, 770.0
SIZE = 12.0
PITCH = 20.0


class Writer:
    """A tiny flowing layout: paragraphs wrapped by characters, ruled tables split between rows."""

    def __init__(self, rules: str = "grid") -> None:
        self.rules = rules          # grid | three_line | none
        self.doc = pymupdf.open()
        self.page = None
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=W, height=H)
        n = self.doc.page_count
        self.page.insert_text((W / 2 - 12, H - 40), f"- {n} -", fontname="helv", fontsize=10)
        self.y = TOP

    def para(self, text: str, indent: bool = True) -> None:
        per_line = int((RIGHT - LEFT) // SIZE)
        first = True
        while text:
            x = LEFT + (2 * SIZE if first and indent else 0)
            n = per_line - (2 if first and indent else 0)
            chunk, text = text[:n], text[n:]
            if self.y + PITCH > BOTTOM:
                self.new_page()
            self.page.insert_text((x, self.y + SIZE), chunk, fontname="china-s", fontsize=SIZE)
            self.y += PITCH
            first = False
        self.y += 6

    def table(self, widths: list[float], cells: list[tuple[int, int, int, int, str]], heights: list[float],
              head: int = 1) -> None:
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        r = 0
        n_rows = len(heights)
        while r < n_rows:
            if self.y + heights[r] > BOTTOM:
                self.new_page()
            top = self.y
            ys = {r: top}
            r2 = r
            while r2 < n_rows and ys[r2] + heights[r2] <= BOTTOM:
                ys[r2 + 1] = ys[r2] + heights[r2]
                r2 += 1
            if self.rules == "three_line":   # 三线表: above and below the header, below the last row
                for k in {r, head, r2} if r < head else {r, r2}:
                    if k in ys and (k != r2 or r2 == n_rows or k == head):
                        self.page.draw_rect(pymupdf.Rect(xs[0], ys[k], xs[-1], ys[k] + 0.75), color=None,
                                            fill=(0, 0, 0), width=0)
            for (cr, cc, rs, cs, text) in cells:
                a, b = max(cr, r), min(cr + rs, r2)
                if a >= b:
                    continue
                x0, x1 = xs[cc], xs[cc + cs]
                y0, y1 = ys[a], ys[b]
                if self.rules == "grid":
                    for rect in ((x0, y0, x1, y0 + 0.5), (x0, y1, x1, y1 + 0.5), (x0, y0, x0 + 0.5, y1 + 0.5),
                                 (x1, y0, x1 + 0.5, y1 + 0.5)):
                        self.page.draw_rect(pymupdf.Rect(rect), color=None, fill=(0, 0, 0), width=0)
                if text and a == cr:
                    per = max(int((x1 - x0 - 6) // 10.5), 1)
                    for k in range(0, len(text), per):
                        self.page.insert_text((x0 + 3, y0 + 13 + (k // per) * 13), text[k:k + per],
                                              fontname="china-s", fontsize=10.5)
            self.y = ys[r2] + 10
            r = r2


BODY = ("本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "围绕中心工作，扎实推进政府信息公开工作，进一步提高行政工作透明度，保障公民、法人和其他组织依法获取政府信息。")


def generate(rules: str = "grid") -> bytes:
    w = Writer(rules)
    w.para("某某街道办事处2022年政府信息公开工作年度报告", indent=False)
    w.para("一、总体情况")
    for k, head in enumerate(["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]):
        w.para(head)
        for _ in range(2 if k else 3):
            w.para(BODY * 2)
    w.para("二、主动公开政府信息情况")
    t1 = [(0, 0, 1, 4, "第二十条第（一）项"), (1, 0, 1, 1, "信息内容"), (1, 1, 1, 1, "本年制发件数"),
          (1, 2, 1, 1, "本年废止件数"), (1, 3, 1, 1, "现行有效件数"), (2, 0, 1, 1, "规章"),
          (3, 0, 1, 1, "行政规范性文件"), (4, 0, 1, 4, "第二十条第（五）项"), (5, 0, 1, 1, "信息内容"),
          (5, 1, 1, 3, "本年处理决定数量"), (6, 0, 1, 1, "行政许可"), (6, 1, 1, 3, "12"),
          (7, 0, 1, 1, "行政处罚"), (7, 1, 1, 3, "3")]
    t1 += [(r, c, 1, 1, str(r + c)) for r in (2, 3) for c in (1, 2, 3)]
    w.table([130, 95, 95, 95], t1, [22] * 8, head=2)
    w.para("三、收到和处理政府信息公开申请情况")
    labels = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
              "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
              "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
              "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
              "5.要求行政机关确认或重新出具已获取信息"]
    cells = [(0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
             (0, 3, 1, 7, "申请人情况"), (1, 3, 2, 1, "自然人"), (1, 4, 1, 5, "法人或其他组织"),
             (1, 9, 2, 1, "总计")]
    cells += [(2, 4 + k, 1, 1, t) for k, t in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    cells += [(3, 0, 1, 3, "一、本年新收政府信息公开申请数量"), (4, 0, 1, 3, "二、上年结转政府信息公开申请数量"),
              (5, 0, 20, 1, "三、本年度办理结果"), (5, 1, 1, 2, "（一）予以公开"), (6, 1, 1, 2, "（二）部分公开"),
              (7, 1, 8, 1, "（三）不予公开"), (15, 1, 3, 1, "（四）无法提供"), (18, 1, 5, 1, "（五）不予处理"),
              (23, 1, 1, 2, "（六）其他处理"), (24, 1, 1, 2, "（七）总计"), (25, 0, 1, 3, "四、结转下年度继续办理")]
    cells += [(7 + k, 2, 1, 1, t) for k, t in enumerate(labels)]
    cells += [(r, c, 1, 1, str((r * c) % 7)) for r in range(3, 26) for c in range(3, 10)]
    w.table([40, 60, 125] + [27.0] * 7, cells, [20, 30, 40] + [28] * 23, head=3)
    w.para("四、政府信息公开行政复议、行政诉讼情况")
    t3 = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼"), (1, 5, 1, 5, "未经复议直接起诉"),
          (1, 10, 1, 5, "复议后起诉")]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t3 += [(1, k, 2, 1, h) for k, h in enumerate(heads)]
    t3 += [(2, 5 + k, 1, 1, h) for k, h in enumerate(heads * 2)]
    t3 += [(3, k, 1, 1, "0") for k in range(15)]
    w.table([415 / 15] * 15, t3, [20, 20, 56, 20], head=3)
    w.para("五、存在的主要问题及改进情况")
    for _ in range(6):
        w.para(BODY * 2)
    w.para("六、其他需要报告的事项")
    w.para("本年度未收取信息处理费。")
    data = w.doc.tobytes()
    w.doc.close()
    return data


def text_only(data: bytes) -> None:
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        page.get_text("dict")
    doc.close()


def extraction_only(data: bytes) -> None:
    """The MuPDF part of the reader: text and vector paths of every page, nothing built."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        page.get_textpage(flags=FLAGS).extractDICT()
    doc.close()


def full(data: bytes) -> None:
    pdf_reader.read(data, Source(path="bench.pdf", sha256="", kind="pdf", size=len(data)))


def timeit(fn, data: bytes, n: int) -> float:
    fn(data)  # warm up
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n):
            fn(data)
        best = min(best, (time.perf_counter() - t) / n)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--n", type=int, default=30, help="reads per timing round (best of 3 rounds)")
    ap.add_argument("--save", help="write the generated PDF here")
    ap.add_argument("--rules", choices=["grid", "three_line", "none"], default="grid",
                    help="how the generated report's tables are ruled (三线表 and unruled tables are "
                         "rebuilt from text positions)")
    args = ap.parse_args()
    inputs = [(p, open(p, "rb").read()) for p in args.paths] or [
        (f"<generated 6-page report, {args.rules} rules>", generate(args.rules))]
    if args.save and not args.paths:
        with open(args.save, "wb") as fh:
            fh.write(inputs[0][1])
    for name, data in inputs:
        doc = pdf_reader.read(data, Source(path=name, sha256="", kind="pdf", size=len(data)))
        tables = list(doc.tables())
        t_full = timeit(full, data, args.n)
        t_text = timeit(text_only, data, args.n)
        t_extract = timeit(extraction_only, data, args.n)
        pages = doc.source.pages or 1
        print(f"{name}: {pages} pages, {len(tables)} tables "
              f"({', '.join(f'{t.n_rows}x{t.n_cols}' for t in tables)}), {len(list(doc.paragraphs()))} paragraphs")
        print(f"  full read:       {1 / t_full:7.1f} reports/s  {t_full * 1000 / pages:6.2f} ms/page")
        print(f"  text layer only: {1 / t_text:7.1f} reports/s  {t_text * 1000 / pages:6.2f} ms/page")
        print(f"  ratio full/text: {t_full / t_text:.2f}  (MuPDF text+vectors alone: "
              f"{t_extract / t_text:.2f}; Python table/paragraph building: {(t_full - t_extract) / t_text:.2f})")


if __name__ == "__main__":
    main()
