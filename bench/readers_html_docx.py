"""Speed check for the HTML and DOCX readers.

Generates a ~7-page report (title, paragraphs, a 30×9 table with row/column merges) as HTML
(in a layout table with a little navigation: once with plain cells, once with the <p><span>
cells of Word-exported pages, once more inside the chrome of a typical portal page: inline
scripts, a mega menu, a sidebar, footer links) and as DOCX, then prints reports/s for each reader and
the ratio of its time to the raw library call (lxml.html.fromstring / docx.Document).

    .venv/bin/python bench/readers_html_docx.py [seconds-per-measurement]
"""
from __future__ import annotations

import io
import sys
import time

import docx
import lxml.html

from nianbao.document import Source
from nianbao.readers import docx as docx_reader
from nianbao.readers import html as html_reader

PARA = ("本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "围绕中心工作，进一步加强政府信息公开工作，主动公开政府信息{n}条，依申请公开办理{m}件，"
        "切实保障人民群众的知情权、参与权、表达权和监督权。")
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
N_ROWS, N_COLS = 30, 9


def _paragraphs() -> list[str]:
    out = ["某某区人民政府2023年政府信息公开工作年度报告"]
    for i, h in enumerate(HEADINGS):
        out.append(h)
        for j in range(4):
            out.append(PARA.format(n=100 + i * 7 + j, m=10 + j))
    return out


def _cell(r: int, c: int) -> str:
    if c < 2:
        return f"项目{r}-{c}"
    return str((r * 7 + c * 3) % 50)


def _portal_chrome() -> tuple[str, str]:
    """Head and tail of a typical portal page: inline scripts, mega menu, sidebar, footer links."""
    script = "<script>" + "".join(f"var cfg{i} = {{id: {i}, url: '/c/{i}.html', title: '栏目{i}'}};\n"
                                  for i in range(150)) + "</script>"
    menu = "".join(f"<li class='menu-item'><a href='/c/{i}.html'>政务公开栏目{i}</a><ul>"
                   + "".join(f"<li><a href='/c/{i}/{j}.html'>子栏目{i}-{j}</a></li>" for j in range(8))
                   + "</ul></li>" for i in range(25))
    head = (f'<link rel="stylesheet" href="/css/a.css">{script}</head><body>'
            f'<div class="topbar">无障碍 | 长者模式 | 登录</div><div class="header">某某区人民政府</div>'
            f'<div class="nav"><ul>{menu}</ul></div>')
    side = "".join(f"<li><a href='/n/{i}.html'>某某区关于印发某某工作方案的通知{i}</a></li>" for i in range(30))
    tail = (f'<div class="sidebar"><ul>{side}</ul></div><div class="share">分享到</div>'
            f'<div class="footer">' + "".join(f"<a href='/l/{i}'>友情链接{i}</a>" for i in range(60))
            + "</div>" + script)
    return head, tail


def make_html(word_cells: bool = False, portal: bool = False) -> bytes:
    def td(text: str, attrs: str = "") -> str:
        if word_cells:
            text = f'<p class="MsoNormal" align="center"><span lang="EN-US" style="font-size:10.5pt">{text}</span></p>'
        return f"<td{attrs}>{text}</td>"
    paras = _paragraphs()
    chrome_head, chrome_tail = _portal_chrome() if portal else ("</head><body>", "")
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title>',
             "<style>body{font-size:14px}</style><script>var a=1;</script>", chrome_head,
             '<div class="header"><div class="nav"><ul>' +
             "".join(f"<li><a href='/c{i}'>栏目{i}</a></li>" for i in range(20)) + "</ul></div></div>",
             '<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年报</div>',
             '<table width="100%"><tr><td><div class="content">',
             f"<h1>{paras[0]}</h1>"]
    for p in paras[1:]:
        parts.append(f'<p style="text-indent:2em">{p}</p>')
    parts.append('<table border="1" cellspacing="0">')
    parts.append("<tr>" + td("申请人情况", ' colspan="9"') + "</tr>")
    parts.append("<tr>" + td("自然人", ' rowspan="2" colspan="2"') + td("法人或其他组织", ' colspan="5"')
                 + td("其他", ' rowspan="2"') + td("总计", ' rowspan="2"') + "</tr>")
    parts.append("<tr>" + "".join(td(x) for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]) + "</tr>")
    for r in range(3, N_ROWS):
        cells = []
        if r % 8 == 3:
            cells.append(td(_cell(r, 0), ' rowspan="8"' if r + 8 <= N_ROWS else f' rowspan="{N_ROWS - r}"'))
        cells += [td(_cell(r, c)) for c in range(1, N_COLS)]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    parts.append("<p>以上为本年度报告内容。</p></div></td></tr></table>")
    parts.append('<div class="footer">主办单位：某某区人民政府办公室 版权所有 联系电话：0000-1234567</div>')
    parts.append(chrome_tail)
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def make_docx() -> bytes:
    d = docx.Document()
    paras = _paragraphs()
    d.add_heading(paras[0], 1)
    for p in paras[1:]:
        d.add_paragraph(p)
    t = d.add_table(rows=N_ROWS, cols=N_COLS)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, N_COLS - 1))
    t.cell(1, 0).merge(t.cell(2, 1))
    t.cell(1, 2).merge(t.cell(1, 6))
    t.cell(1, 7).merge(t.cell(2, 7))
    t.cell(1, 8).merge(t.cell(2, 8))
    for r in range(3, N_ROWS, 8):
        t.cell(r, 0).merge(t.cell(min(r + 7, N_ROWS - 1), 0))
    t.cell(0, 0).text = "申请人情况"
    t.cell(1, 0).text = "自然人"
    t.cell(1, 2).text = "法人或其他组织"
    t.cell(1, 7).text = "其他"
    t.cell(1, 8).text = "总计"
    for c, x in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], start=2):
        t.cell(2, c).text = x
    for r in range(3, N_ROWS):
        for c in range(0 if r % 8 == 3 else 1, N_COLS):
            t.cell(r, c).text = _cell(r, c)
    d.add_paragraph("以上为本年度报告内容。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def per_call(fn, seconds: float) -> float:
    """Seconds per call: the best of several short batches (robust against a busy machine)."""
    fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-6)
    batch = max(1, int(0.1 / one))
    best = float("inf")
    end = time.perf_counter() + seconds
    while True:
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        best = min(best, (time.perf_counter() - t0) / batch)
        if time.perf_counter() > end:
            return best


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    cases = [
        ("html (plain cells)", make_html(False), "html", html_reader.read, lxml.html.fromstring,
         "lxml.html.fromstring"),
        ("html (Word-style cells)", make_html(True), "html", html_reader.read, lxml.html.fromstring,
         "lxml.html.fromstring"),
        ("html (Word cells+portal)", make_html(True, True), "html", html_reader.read, lxml.html.fromstring,
         "lxml.html.fromstring"),
        ("docx", make_docx(), "docx", docx_reader.read, lambda b: docx.Document(io.BytesIO(b)),
         "docx.Document"),
    ]
    for name, data, kind, reader, raw, raw_name in cases:
        doc = reader(data, Source("bench", "", kind, len(data)))
        n_tables = sum(1 for _ in doc.tables())
        n_paras = sum(1 for _ in doc.paragraphs())
        t_reader = t_raw = float("inf")
        for _ in range(3):   # interleave, so both see the same machine load
            t_reader = min(t_reader, per_call(lambda: reader(data, Source("bench", "", kind, len(data))),
                                              seconds / 3))
            t_raw = min(t_raw, per_call(lambda: raw(data), seconds / 3))
        print(f"{name:24s} {len(data) / 1024:6.1f} KB  {n_paras} paragraphs, {n_tables} table(s)  "
              f"reader {1 / t_reader:6.0f} reports/s ({t_reader * 1e3:.2f} ms)   "
              f"{raw_name} {t_raw * 1e3:.2f} ms   ratio {t_reader / t_raw:.2f}x")


if __name__ == "__main__":
    main()
