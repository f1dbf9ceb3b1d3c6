#!/usr/bin/env python3
"""Write the real-world layout fixtures: the same report as real portals and Word/WPS files print it.

Ground truth: tests/fixtures/same_report/report.json (never modified here). Every variant below holds
exactly that report's tables, so each must extract to exactly its values
(tests/test_reader_html_layouts.py, tests/test_reader_docx_layouts.py).

HTML (tests/fixtures/html_layouts/), built from the render layout (`nianbao.render.layout`, the
layout render/html.py draws) or from render/html.py's page itself:

  word_gb2312.html    Word "另存为网页": charset=gb2312 declared, GBK-only characters in the bytes,
                      MsoNormal, <o:p></o:p>, <!--[if gte mso 9]> and <![if !supportMisc]> conditional
                      comments, a <span> around every digit, label cells in two <p>, &nbsp; padding,
                      <td width=0> spacer cells at row ends and a spacer row, list-numbered headings
  wps_nocharset.html  WPS export: no charset at all (GBK bytes), <colgroup>/<col> widths, quoted
                      attributes, &nbsp;-padded values, empty &nbsp; paragraphs
  portal_trs.html     TRS CMS page, UTF-8 with BOM (and a wrong gb2312 meta): a page-layout table
                      around everything, header/nav tables, the 信息公开 metadata table (索引号, 发布机构,
                      发布日期), the report in <div id="zoom"><div class="TRS_Editor">, <th> header cells,
                      a footer table with digits (telephone, ICP number)
  portal_split.html   大汉/政府网站群 page: 表三 head and body as two <table> elements, 表四 with a caption
                      row spanning all columns and <thead><th>, 表二 with <caption>, no </td></tr>
                      closing tags, cells with <br>
  nested_layout.html  render/html.py's page with each report table nested in a layout table cell
                      (beside text cells)
  images.html         the report with its three tables as <img> only (no text tables)
  word_single_file.doc  word_gb2312.html as Word's 单个文件网页 (MHTML, quoted-printable), named .doc
                      the way OA systems export "Word" files

DOCX (tests/fixtures/docx_layouts/), render/docx.py's output with word/document.xml transformed:

  sdt.docx            tables in content controls at body, row, cell and run level; the title too
  revisions.docx      tracked changes: values in w:ins beside w:del old values, w:moveFrom/w:moveTo,
                      a deleted table row (w:trPr/w:del) with other values
  fields.docx         总计 cells as complex fields (=SUM(LEFT): instruction dropped, result kept) and
                      w:fldSimple; labels in w:smartTag and w:hyperlink
  textbox.docx        the title in a text box (mc:AlternateContent with a VML Fallback copy)
  runs.docx           every digit its own run (with proofErr/bookmark markers between), w:softHyphen
                      and w:br inside labels, w:tab before labels, w:noBreakHyphen in the phone number
  grid.docx           w:gridBefore instead of 表三's corner cell, w:gridAfter and an extra grid column
                      in 表四, 表二 item rows with one un-spanned cell (rows with fewer cells)
  split.docx          表三 split into two Word tables (page break) with the 办理结果 vMerge continuing
                      into the second table; header rows marked w:tblHeader
  nested.docx         表三 nested in a cell of a two-row layout table whose first row is its caption
  wps.docx            WPS quirks: explicit w:vMerge w:val="continue", wpsCustomData namespace, KSO
                      custom properties
  strict.docx         Strict OOXML (http://purl.oclc.org/ooxml/... namespaces)
  legacy.docx         OLE2 bytes (a .doc renamed .docx); legacy.wps likewise

Deterministic: fixed zip timestamps; a file is only rewritten when its content changes.

    .venv/bin/python scripts/make_layout_fixtures.py
"""
from __future__ import annotations

import copy
import html
import io
import json
import re
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from lxml import etree  # noqa: E402

from make_fixtures import fixture_date  # noqa: E402
from nianbao.render.docx import to_docx_bytes  # noqa: E402
from nianbao.render.html import to_html  # noqa: E402
from nianbao.render.layout import HEADING, PARAGRAPH, TABLE, TITLE, report_blocks  # noqa: E402

TRUTH = ROOT / "tests" / "fixtures" / "same_report" / "report.json"
HTML_DIR = ROOT / "tests" / "fixtures" / "html_layouts"
DOCX_DIR = ROOT / "tests" / "fixtures" / "docx_layouts"

# A name with a character outside GB2312 (堃 is GBK only): a page declaring gb2312 holds it.
GBK_ONLY = "联系人：王堃、李喆，电话0794-1234567。"

_NUM = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_TNAMES = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况",
           "t4": "四、政府信息公开行政复议、行政诉讼情况"}


def _write(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def esc(s: str) -> str:
    return html.escape(s, quote=False)


# ============================================================================================ HTML

def _word_digits(text: str) -> str:
    """Word wraps every run of Latin text in its own span; here: every digit."""
    out = []
    for ch in text:
        if ch.isdigit() or ch in "+-.":
            out.append(f"<span lang=EN-US style='font-size:9.0pt;mso-bidi-font-family:宋体'>{ch}</span>")
        else:
            out.append(esc(ch))
    return "".join(out)


def _word_cell(cell) -> str:
    attrs = f" width={40 * cell.colspan} valign=top"
    if cell.colspan > 1:
        attrs += f" colspan={cell.colspan}"
    if cell.rowspan > 1:
        attrs += f" rowspan={cell.rowspan}"
    attrs += " style='border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'"
    text = cell.text
    if _NUM.match(text):
        body = (f"<p class=MsoNormal align=center style='text-align:center'>&nbsp;{_word_digits(text)}"
                f"<span lang=EN-US><o:p></o:p></span></p>")
    elif len(text) > 8 and cell.kind != "value":
        # a long label wraps onto two Word paragraphs
        half = len(text) // 2
        body = "".join(f"<p class=MsoNormal><span style='font-size:9.0pt;font-family:宋体;mso-ascii-font-family:"
                       f"\"Times New Roman\"'>{_word_digits(part)}<o:p></o:p></span></p>\n  "
                       for part in (text[:half], text[half:]))
    else:
        body = (f"<p class=MsoNormal align=center style='text-align:center'><span style='font-size:9.0pt;"
                f"font-family:宋体'>{_word_digits(text)}<o:p></o:p></span></p>")
    return f"  <td{attrs}>\n  {body}\n  </td>\n"


def word_html(report: dict) -> bytes:
    parts = ["""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<link rel=File-List href="report.files/filelist.xml">
<title>政府信息公开工作年度报告</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Administrator</o:Author>
  <o:Pages>7</o:Pages>
  <o:Words>1234</o:Words>
 </o:DocumentProperties>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Print</w:View>
  <w:SpellingState>Clean</w:SpellingState>
 </w:WordDocument>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face {font-family:宋体; panose-1:2 1 6 0 3 1 1 1 1 1;}
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; text-align:justify; font-size:10.5pt;}
@page WordSection1 {size:595.3pt 841.9pt; margin:72.0pt 90.0pt 72.0pt 90.0pt;}
div.WordSection1 {page:WordSection1;}
-->
</style>
<!--[if gte mso 10]>
<style>
 table.MsoNormalTable {mso-style-name:普通表格; mso-tstyle-rowband-size:0;}
</style>
<![endif]-->
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
"""]
    for kind, item in report_blocks(report):
        if kind == TITLE:
            parts.append(f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;"
                         f"font-family:方正小标宋简体'>{_word_digits(item)}</span></b><b><span lang=EN-US "
                         f"style='font-size:22.0pt'><o:p></o:p></span></b></p>\n\n"
                         f"<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n\n")
        elif kind == HEADING:
            num, _, rest = item.partition("、")
            # Word list numbering: the number sits in a downlevel-revealed conditional comment
            parts.append(f"<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;mso-list:l0 level1 lfo1'>"
                         f"<![if !supportLists]><span style='font-family:黑体'>{esc(num)}、<span "
                         f"style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>"
                         f"<span style='font-family:黑体'>{esc(rest)}<o:p></o:p></span></p>\n\n")
        elif kind == PARAGRAPH:
            if item.startswith("2022年，我街道共办理人大代表"):
                item = item + GBK_ONLY
            parts.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span "
                         f"style='font-size:16.0pt;font-family:仿宋_GB2312'>{_word_digits(item)}</span><span "
                         f"lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>\n\n")
        else:
            t = item
            parts.append("<div align=center>\n\n<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
                         "width=604 style='width:453.1pt;border-collapse:collapse;border:none;mso-border-alt:solid "
                         "windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>\n")
            for r, row in enumerate(t.rows):
                parts.append(f" <tr style='mso-yfti-irow:{r};height:20.0pt'>\n")
                parts.extend(_word_cell(c) for c in row)
                parts.append("  <![if !supportMisc]><td style='border:none' width=0 height=27></td><![endif]>\n </tr>\n")
            parts.append(" <![if !supportMisc]>\n <tr height=0>\n")
            parts.extend("  <td width=40 style='border:none'></td>\n" for _ in range(t.n_cols))
            parts.append(" </tr>\n <![endif]>\n</table>\n\n</div>\n\n<p class=MsoNormal><span lang=EN-US>"
                         "<o:p>&nbsp;</o:p></span></p>\n\n")
    parts.append("</div>\n\n</body>\n\n</html>\n")
    page = "".join(parts).replace("\n", "\r\n")
    return page.encode("gbk")


def wps_html(report: dict) -> bytes:
    parts = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" '
             'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n<meta name="ProgId" content="Word.Document">\n'
             '<meta name="Generator" content="WPS Office">\n<meta name="Originator" content="WPS Office">\n'
             '<!--[if gte mso 9]><xml><w:WordDocument><w:BrowserLevel>MicrosoftInternetExplorer4</w:BrowserLevel>'
             '</w:WordDocument></xml><![endif]-->\n<style>\np.MsoNormal{mso-style-name:"正文";margin:0pt;}\n'
             '</style>\n</head>\n<body style="tab-interval:21pt;text-justify-trim:punctuation;">\n'
             '<!--StartFragment-->\n<div class="Section0" style="layout-grid:15.6000pt;">\n']
    for kind, item in report_blocks(report):
        if kind == TITLE:
            parts.append(f'<p class=MsoNormal align=center style="text-align:center;"><b><span style="mso-spacerun:\'yes\';'
                         f'font-family:方正小标宋简体;font-size:22.0000pt;">{esc(item)}</span></b><b><span '
                         f'style="font-size:22.0000pt;"><o:p></o:p></span></b></p>\n'
                         f'<p class=MsoNormal><span style="font-size:16.0000pt;"><o:p>&nbsp;</o:p></span></p>\n')
        elif kind in (HEADING, PARAGRAPH):
            font = "黑体" if kind == HEADING else "仿宋_GB2312"
            parts.append(f'<p class=MsoNormal style="text-indent:32.0000pt;mso-char-indent-count:2.0000;"><span '
                         f'style="mso-spacerun:\'yes\';font-family:{font};font-size:16.0000pt;">{esc(item)}</span>'
                         f'<span style="font-size:16.0000pt;"><o:p></o:p></span></p>\n')
        else:
            t = item
            parts.append('<table class=MsoNormalTable border="1" cellspacing="0" style="border-collapse:collapse;'
                         'width:453.0000pt;mso-table-layout-alt:fixed;border:none;mso-padding-alt:0.0000pt 5.4000pt '
                         '0.0000pt 5.4000pt ;">\n<colgroup>' + "".join('<col width="60"/>' for _ in range(t.n_cols))
                         + "</colgroup>\n<tbody>\n")
            for row in t.rows:
                parts.append('<tr style="height:20.0000pt;">')
                for c in row:
                    attrs = ' width="60" valign="center"'
                    if c.colspan > 1:
                        attrs += f' colspan="{c.colspan}"'
                    if c.rowspan > 1:
                        attrs += f' rowspan="{c.rowspan}"'
                    text = esc(c.text)
                    if _NUM.match(c.text):
                        text = f"&nbsp;&nbsp;{text}&nbsp;"
                    parts.append(f'<td{attrs} style="padding:0.0000pt 5.4000pt 0.0000pt 5.4000pt ;border-left:1.0000pt '
                                 f'solid windowtext;"><p class=MsoNormal align=center style="text-align:center;"><span '
                                 f'style="font-family:宋体;font-size:9.0000pt;">{text}</span><span style="font-family:'
                                 f'宋体;font-size:9.0000pt;"><o:p></o:p></span></p></td>')
                parts.append("</tr>\n")
            parts.append("</tbody>\n</table>\n<p class=MsoNormal><span><o:p>&nbsp;</o:p></span></p>\n")
    parts.append("</div>\n<!--EndFragment-->\n</body>\n</html>\n")
    return "".join(parts).encode("gbk")


def _body_of(page: str) -> tuple[str, str]:
    """render/html.py's page → (title, body HTML without the <h1>)."""
    title = re.search(r"<h1>(.*?)</h1>", page).group(1)
    body = page.split("<body>", 1)[1].split("</body>", 1)[0]
    body = body.replace(f"<h1>{title}</h1>", "", 1)
    return title, body


_NAV = "".join(f'<td><a href="/col/col{i}/index.html">{n}</a></td>' for i, n in enumerate(
    ["首页", "政务公开", "政务服务", "互动交流", "走进临川"], 1))
_META_TABLE = """<table class="xxgk-meta" width="100%" border="0">
<tr><td>索引号：</td><td>11361002MB1234567X/2023-00123</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>{org}</td><td>发文日期：</td><td>2023-01-18</td></tr>
<tr><td>名称：</td><td>{title}</td><td>文号：</td><td>无</td></tr>
</table>"""
_FOOTER = """<table class="foot" width="1000" align="center"><tr><td>
主办单位：临川市人民政府办公室　承办单位：临川市大数据中心<br>
网站标识码：3610000001　赣ICP备12345678号-1　赣公网安备 36100202000123号<br>
联系电话：0794-8221234　技术支持：0794-8225678
</td><td><img src="/images/jiucuo.png" width="110" height="55" alt="政府网站找错"></td></tr></table>"""


def portal_trs(report: dict) -> bytes:
    title, body = _body_of(to_html(report))
    # TRS editors write table headers as <th>: the layout's header cells
    body = re.sub(r'<td class="(header|note)"([^>]*)>(.*?)</td>', r'<th class="\1"\2>\3</th>', body)
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_临川市人民政府</title>
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; var siteid = 3610000001;</script>
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="/images/banner.jpg" width="1000" height="160" /></td></tr>
<tr><td><table class="nav" width="100%"><tr>{_NAV}</tr></table></td></tr>
<tr><td class="position">您当前所在的位置：<a href="/">首页</a> &gt; <a href="/col/col12/">政务公开</a> &gt; 政府信息公开年报</td></tr>
<tr><td>
{_META_TABLE.format(title=title, org=esc(report.get('org') or ''))}
<div class="title" align="center"><h1 style="font-size:22px">{title}</h1></div>
<div class="info">发布时间：2023-01-18 09:30　来源：文化路街道　浏览次数：<span id="count">1024</span>　字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div id="zoom"><div class="TRS_Editor"><style type="text/css">.TRS_Editor P{{line-height:2;font-family:宋体;font-size:12pt;}}</style>
{body}
</div></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</td></tr>
</table>
{_FOOTER}
</body>
</html>
"""
    return b"\xef\xbb\xbf" + page.encode("utf-8")


def portal_split(report: dict) -> bytes:
    parts = []
    for kind, item in report_blocks(report):
        if kind == TITLE:
            parts.append(f'<div class="article-title"><h2>{esc(item)}</h2></div>\n<div class="article-content">\n')
        elif kind in (HEADING, PARAGRAPH):
            parts.append(f'<p style="text-indent:2em">{esc(item)}</p>\n')
        else:
            t = item
            grid_rows = t.rows

            def tr(row, cell_tag="td", close=True):
                cells = []
                for c in row:
                    a = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + \
                        (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
                    text = esc(c.text)
                    if len(c.text) > 10 and c.kind != "value":
                        text = f"{esc(c.text[:6])}<br>{esc(c.text[6:])}"
                    cells.append(f"<{cell_tag}{a}>{text}" + (f"</{cell_tag}>" if close else ""))
                return "<tr>" + "".join(cells) + ("</tr>" if close else "") + "\n"

            if t.key == "t2":
                parts.append('<table border="1" cellspacing="0" width="100%"><caption>' + esc(_TNAMES["t2"])
                             + "</caption>\n")
                parts.extend(tr(row, close=False) for row in grid_rows)   # no </td> </tr>
                parts.append("</table>\n")
            elif t.key == "t3":
                h = t.header_rows
                parts.append('<table border="1" cellspacing="0" width="100%" class="t3-head"><tbody>\n')
                parts.extend(tr(row) for row in grid_rows[:h])
                parts.append("</tbody></table>\n")
                parts.append('<table border="1" cellspacing="0" width="100%" class="t3-body"><tbody>\n')
                parts.extend(tr(row) for row in grid_rows[h:])
                parts.append("</tbody></table>\n")
            else:
                parts.append('<table border="1" cellspacing="0" width="100%">\n<thead>\n')
                parts.append(f'<tr><th colspan="{t.n_cols}">{esc(_TNAMES["t4"])}</th></tr>\n')
                parts.extend(tr(row, "th") for row in grid_rows[:t.header_rows])
                parts.append("</thead>\n<tbody>\n")
                parts.extend(tr(row) for row in grid_rows[t.header_rows:])
                parts.append("</tbody>\n</table>\n")
    page = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>年度报告</title>\n'
            '<link rel="stylesheet" href="/static/css/main.css">\n</head>\n<body>\n'
            '<div class="header"><div class="logo"><img src="/static/logo.png"></div><ul class="menu"><li>首页</li>'
            '<li>政务公开</li></ul></div>\n<div class="main">\n' + "".join(parts) +
            '</div>\n<div class="article-attach">附件：无</div>\n</div>\n'
            '<div class="footer">Copyright 2023 临川市人民政府 版权所有 电话：0794-8221234</div>\n</body>\n</html>\n')
    return page.encode("utf-8")


def nested_layout(report: dict) -> bytes:
    page = to_html(report)
    out = re.sub(r'(<table border="1"[^>]*class="(t[234])">.*?</table>)',
                 lambda m: ('<table width="100%" class="layout"><tr><td width="60">附表</td><td>'
                            f'{m.group(1)}</td><td width="20">&nbsp;</td></tr></table>'),
                 page, flags=re.S)
    assert out.count('class="layout"') == 3
    return out.encode("utf-8")


def mhtml(page: bytes) -> bytes:
    """A single-file web page (MHTML) holding `page` as its quoted-printable HTML part."""
    import quopri
    body = quopri.encodestring(page).decode("ascii")
    return ("MIME-Version: 1.0\r\nX-Document-Type: Word.Document\r\n"
            "Content-Type: multipart/related; boundary=\"----=_NextPart_01D9A1B2.C3D4E5F0\"\r\n\r\n"
            "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n"
            "------=_NextPart_01D9A1B2.C3D4E5F0\r\nContent-Location: file:///C:/D9A1B2C3/report.htm\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\r\n"
            + body + "\r\n------=_NextPart_01D9A1B2.C3D4E5F0--\r\n").encode("gbk")


def images_page(report: dict) -> bytes:
    page = to_html(report)
    n = [0]

    def img(m):
        n[0] += 1
        return f'<p align="center"><img src="/uploadfiles/2023/01/nb_table{n[0]}.png" width="600" height="800" border="0"></p>'
    out = re.sub(r'<table border="1".*?</table>', img, page, flags=re.S)
    assert n[0] == 3
    return out.encode("utf-8")


# ============================================================================================ DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W_NS,
         "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
         "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
         "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
         "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
         "v": "urn:schemas-microsoft-com:vml",
         "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def E(tag: str, *children, **attrs):
    el = etree.Element(w(tag))
    for k, v in attrs.items():
        el.set(w(k), str(v))
    for ch in children:
        el.append(ch)
    return el


def run(text: str, tag: str = "t"):
    t = E(tag)
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return E("r", t)


def _tables(body):
    return [el for el in body if el.tag == w("tbl")]


def _rows(tbl):
    return [el for el in tbl if el.tag == w("tr")]


def _cells(tr):
    return [el for el in tr if el.tag == w("tc")]


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def _runs(tc):
    return list(tc.iter(w("r")))


def _value_cells(tbl):
    return [tc for tr in _rows(tbl) for tc in _cells(tr) if _NUM.match(_text(tc))]


def _wrap(el, tag: str, **attrs):
    """Replace el by <tag>el</tag>."""
    parent = el.getparent()
    new = E(tag, **attrs)
    parent.replace(el, new)
    new.append(el)
    return new


def _sdt(el, alias: str):
    parent = el.getparent()
    i = parent.index(el)
    sdt = E("sdt", E("sdtPr", E("alias", val=alias), E("id", val=str(zlib.crc32(alias.encode()) % 100000))), E("sdtContent"))
    parent.insert(i, sdt)
    sdt[1].append(el)
    return sdt


def tx_sdt(body):
    title = body[0]
    _sdt(title, "标题")
    t2, t3, t4 = _tables(body)
    _sdt(t2, "表二")
    # nested content controls: a body control holding a control holding the table
    _sdt(_sdt(t4, "表四"), "附表")
    rows = _rows(t3)
    # row-level: rows 3..5 of 表三 in one control
    first = rows[3]
    sdt = E("sdt", E("sdtPr", E("alias", val="行")), E("sdtContent"))
    t3.insert(t3.index(first), sdt)
    for tr in rows[3:6]:
        sdt[1].append(tr)
    # cell-level: every cell of row 7 in its own control
    for tc in _cells(rows[7]):
        _sdt(tc, "单元格")
    # run-level: the values of 表四 in run controls
    for tc in _value_cells(t4):
        for r in _runs(tc):
            _sdt(r, "数值")


def tx_revisions(body):
    rev = {"id": "1", "author": "张三", "date": "2023-01-10T09:00:00Z"}
    # a deleted row: a copy of 表三's 予以公开 row with other values, every run deleted
    t3 = _tables(body)[1]
    rows = _rows(t3)
    src = next(tr for tr in rows if "予以公开" in _text(tr))
    dup = copy.deepcopy(src)
    trpr = dup.find(w("trPr"))
    trpr.append(E("del", **rev))
    for r in list(dup.iter(w("r"))):
        t = r.find(w("t"))
        if _NUM.match(t.text or ""):
            t.text = "777"
        t.tag = w("delText")
        _wrap(r, "del", **rev)
    src.addnext(dup)
    n = 0
    for tbl in _tables(body):
        for tc in _value_cells(tbl):
            n += 1
            for r in _runs(tc):
                p = r.getparent()
                i = p.index(r)
                if n % 3 == 0:
                    # moved text: the copy at the old place is gone, the new place counts
                    mf = E("moveFrom", **rev)
                    mf.append(run("999"))
                    p.insert(i, mf)
                    _wrap(r, "moveTo", **rev)
                else:
                    d = E("del", **rev)
                    d.append(run("888", "delText"))
                    p.insert(i, d)
                    _wrap(r, "ins", **rev)
    # a deleted paragraph and an inserted sentence in the preamble
    pre = body[1]
    d = E("del", **rev)
    d.append(run("（草稿，请勿引用）", "delText"))
    pre.insert(1, d)


def tx_fields(body):
    t2, t3, t4 = _tables(body)
    for tbl in (t3,):
        for tr in _rows(tbl):
            tcs = _cells(tr)
            last = tcs[-1]
            if not _NUM.match(_text(last)):
                continue
            (r,) = _runs(last)
            p = r.getparent()
            i = p.index(r)
            begin = E("r", E("fldChar", fldCharType="begin"))
            instr = run(" =SUM(LEFT) ", "instrText")
            sep = E("r", E("fldChar", fldCharType="separate"))
            end = E("r", E("fldChar", fldCharType="end"))
            for k, el in enumerate((begin, instr, sep)):
                p.insert(i + k, el)
            r.addnext(end)
    for tc in _value_cells(t4)[4::5]:       # 表四 totals as simple fields
        (r,) = _runs(tc)
        _wrap(r, "fldSimple", instr=" =SUM(LEFT) ")
    for tbl in (t2, t3):
        for tc in tbl.iter(w("tc")):
            text = _text(tc)
            if text and not _NUM.match(text):
                for r in _runs(tc):
                    _wrap(r, "smartTag", uri="urn:schemas-microsoft-com:office:smarttags", element="chsdate")
    title = body[0]
    for r in _runs(title):
        h = _wrap(r, "hyperlink")
        h.set(f"{{{NSMAP['r']}}}id", "rId3")   # any id: only the text matters
    # a PAGE field in the last paragraph: instruction dropped, result kept
    last = [p for p in body if p.tag == w("p")][-1]
    last.append(E("r", E("fldChar", fldCharType="begin")))
    last.append(run(" PAGE ", "instrText"))
    last.append(E("r", E("fldChar", fldCharType="separate")))
    last.append(run("（第7页）"))
    last.append(E("r", E("fldChar", fldCharType="end")))


def tx_textbox(body):
    title = body[0]
    text = _text(title)
    for r in _runs(title):
        title.remove(r)
    mc = NSMAP["mc"]

    def box_p():
        return E("p", E("pPr", E("jc", val="center")), run(text))
    alt = etree.SubElement(E("r"), f"{{{mc}}}AlternateContent")
    choice = etree.SubElement(alt, f"{{{mc}}}Choice", Requires="wps")
    drawing = etree.SubElement(choice, w("drawing"))
    anchor = etree.SubElement(drawing, f"{{{NSMAP['wp']}}}anchor")
    graphic = etree.SubElement(anchor, f"{{{NSMAP['a']}}}graphic")
    gdata = etree.SubElement(graphic, f"{{{NSMAP['a']}}}graphicData",
                             uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape")
    wsp = etree.SubElement(gdata, f"{{{NSMAP['wps']}}}wsp")
    txbx = etree.SubElement(wsp, f"{{{NSMAP['wps']}}}txbx")
    etree.SubElement(txbx, w("txbxContent")).append(box_p())
    fallback = etree.SubElement(alt, f"{{{mc}}}Fallback")
    pict = etree.SubElement(fallback, w("pict"))
    shape = etree.SubElement(pict, f"{{{NSMAP['v']}}}shape")
    vtb = etree.SubElement(shape, f"{{{NSMAP['v']}}}textbox")
    etree.SubElement(vtb, w("txbxContent")).append(box_p())
    title.append(alt.getparent())


def tx_runs(body):
    for tbl in _tables(body):
        for tc in tbl.iter(w("tc")):
            text = _text(tc)
            if not text:
                continue
            (r,) = _runs(tc)
            p = r.getparent()
            rpr = r.find(w("rPr"))
            if _NUM.match(text):
                new = []
                for k, ch in enumerate(text):
                    nr = run(ch)
                    nr.insert(0, copy.deepcopy(rpr))
                    if k % 2:
                        nr[0].append(E("lang", val="en-US"))
                    new.append(nr)
                    if k == 0:
                        new.append(E("proofErr", type="spellStart"))
                        new.append(E("bookmarkStart", id="9", name="_GoBack"))
                        new.append(E("bookmarkEnd", id="9"))
                i = p.index(r)
                p.remove(r)
                for k, el in enumerate(new):
                    p.insert(i + k, el)
            elif text.startswith("（") and len(text) > 6:
                r.find(w("t")).text = ""
                r.remove(r.find(w("t")))
                r.append(E("tab"))
                t = E("t")
                t.text = text
                r.append(t)
            elif text.startswith(("一、", "二、", "四、")) and len(text) > 10:
                # a long label: a manual line break and a soft hyphen inside it
                r.remove(r.find(w("t")))
                a, b, c = text[:5], text[5:9], text[9:]
                for el in (a, None, b, "soft", c):
                    if el is None:
                        r.append(E("br"))
                    elif el == "soft":
                        r.append(E("softHyphen"))
                    else:
                        t = E("t")
                        t.text = el
                        r.append(t)
    pre = body[1]
    (r,) = _runs(pre)
    t = r.find(w("t"))
    if "0794-" not in t.text:       # a report without the telephone number (e.g. a synth report)
        return
    head, tail = t.text.split("0794-", 1)
    t.text = head + "0794"
    r.append(E("noBreakHyphen"))
    t2 = E("t")
    t2.text = tail
    r.append(t2)


def _tcpr(tc):
    return tc.find(w("tcPr"))


def tx_grid(body):
    t2, t3, t4 = _tables(body)
    # 表三: no corner cell; the header rows start three grid columns in
    for tr in _rows(t3)[:3]:
        tc = _cells(tr)[0]
        assert _tcpr(tc).find(w("gridSpan")).get(w("val")) == "3"
        tr.remove(tc)
        tr.find(w("trPr")).insert(0, E("gridBefore", val="3"))
    # 表四: one more grid column; every row ends one column early, except the values row,
    # which has an empty extra cell
    grid = t4.find(w("tblGrid"))
    grid.append(E("gridCol", w="300"))
    rows = _rows(t4)
    for tr in rows[:-1]:
        tr.find(w("trPr")).append(E("gridAfter", val="1"))
    rows[-1].append(E("tc", E("tcPr", E("tcW", w="300", type="dxa")), E("p")))
    # 表二: item rows (第二十条…) as one un-spanned cell: rows with fewer cells than the grid
    for tr in _rows(t2):
        tcs = _cells(tr)
        if len(tcs) == 1:
            span = _tcpr(tcs[0]).find(w("gridSpan"))
            span.getparent().remove(span)


def tx_split(body):
    t3 = _tables(body)[1]
    rows = _rows(t3)
    for tr in rows[:3]:
        tr.find(w("trPr")).append(E("tblHeader"))
    cut = next(i for i, tr in enumerate(rows) if "保护第三方合法权益" in _text(tr))
    second = E("tbl", copy.deepcopy(t3.find(w("tblPr"))), copy.deepcopy(t3.find(w("tblGrid"))))
    for tr in rows[cut:]:
        second.append(tr)
    # the first cell of the moved row continues the 办理结果 merge of the first table
    assert _tcpr(_cells(rows[cut])[0]).find(w("vMerge")) is not None
    brk = E("p", E("r", E("br", type="page")))
    t3.addnext(brk)
    brk.addnext(second)


def tx_nested(body):
    t3 = _tables(body)[1]
    outer = E("tbl", E("tblPr", E("tblW", w="0", type="auto")), E("tblGrid", E("gridCol", w="9000")))
    cap = E("tr", E("tc", E("p", run("表三：收到和处理政府信息公开申请情况"))))
    holder = E("tc")
    body.replace(t3, outer)
    holder.append(t3)
    holder.append(E("p"))       # Word requires a paragraph after a nested table
    outer.append(cap)
    outer.append(E("tr", holder))


def tx_wps(body):
    for vm in body.iter(w("vMerge")):
        if vm.get(w("val")) is None:
            vm.set(w("val"), "continue")


_STRICT = [
    ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
    ("http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
     "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
]


def _docx(base: bytes, transform=None, *, strict: bool = False, wps: bool = False) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            data = src.read(name)
            if name == "word/document.xml" and transform is not None:
                root = etree.fromstring(data)
                transform(root.find(w("body")))
                if wps:
                    root = _wps_root(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if strict and name.endswith((".xml", ".rels")):
                for a, b in _STRICT:
                    data = data.replace(a.encode(), b.encode())
            if wps and name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            if wps and name == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
        if wps:
            zi = zipfile.ZipInfo("docProps/custom.xml", date_time=(1980, 1, 1, 0, 0, 0))
            dst.writestr(zi, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
                         '"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt='
                         '"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid='
                         '"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>'
                         '2052-11.1.0.12980</vt:lpwstr></property></Properties>')
    return out.getvalue()


def _wps_root(root):
    """Re-declare the root with WPS's extra namespaces (and a wpsCustomData element in the body)."""
    xml = etree.tostring(root, encoding="unicode")
    xml = xml.replace("<w:document ", '<w:document xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/'
                      'wpsCustomData" ', 1)
    xml = xml.replace('mc:Ignorable="w14 wp14"', 'mc:Ignorable="w14 wp14 wpsCustomData"', 1)
    new = etree.fromstring(xml)
    body = new.find(w("body"))
    etree.SubElement(body[-1].getparent(), "{http://www.wps.cn/officeDocument/2013/wpsCustomData}"
                     "docInfo").text = ""
    # keep sectPr last
    sect = body.find(w("sectPr"))
    if sect is not None:
        body.remove(sect)
        body.append(sect)
    return new


def legacy_ole2() -> bytes:
    """The first sector of an OLE2 compound file (what a .doc or .wps starts with)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return head + b"\x00" * (512 - len(head)) + "WordDocument".encode("utf-16-le") + b"\x00" * 1024


# ============================================================================================ main

def main() -> int:
    report = json.loads(TRUTH.read_text(encoding="utf-8"))
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    DOCX_DIR.mkdir(parents=True, exist_ok=True)
    outputs = {
        HTML_DIR / "word_gb2312.html": word_html(report),
        HTML_DIR / "wps_nocharset.html": wps_html(report),
        HTML_DIR / "portal_trs.html": portal_trs(report),
        HTML_DIR / "portal_split.html": portal_split(report),
        HTML_DIR / "nested_layout.html": nested_layout(report),
        HTML_DIR / "images.html": images_page(report),
    }
    outputs[HTML_DIR / "word_single_file.doc"] = mhtml(outputs[HTML_DIR / "word_gb2312.html"])
    base = to_docx_bytes(report, fixture_date(report))
    for name, tx in [("sdt", tx_sdt), ("revisions", tx_revisions), ("fields", tx_fields),
                     ("textbox", tx_textbox), ("runs", tx_runs), ("grid", tx_grid), ("split", tx_split),
                     ("nested", tx_nested)]:
        outputs[DOCX_DIR / f"{name}.docx"] = _docx(base, tx)
    outputs[DOCX_DIR / "wps.docx"] = _docx(base, tx_wps, wps=True)
    outputs[DOCX_DIR / "strict.docx"] = _docx(base, lambda body: None, strict=True)
    outputs[DOCX_DIR / "legacy.docx"] = legacy_ole2()
    outputs[DOCX_DIR / "legacy.wps"] = legacy_ole2()
    for path, data in outputs.items():
        print(f"{path.relative_to(ROOT)}: {'written' if _write(path, data) else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
