"""HTML reader: encodings, chrome, paragraphs, tables with spans, layout tables, bad input."""
from __future__ import annotations

import pytest
from lxml import etree

from nianbao.document import Paragraph, Source, Table
from nianbao.errors import ReadError
from nianbao.readers import html as html_reader
from nianbao.readers import read_bytes

from .grids import kinds, origins, paras, tables, texts


def read(data: bytes | str, encoding: str = "utf-8"):
    if isinstance(data, str):
        data = data.encode(encoding)
    source = Source(path="t.html", sha256="", kind="html", size=len(data))
    return html_reader.read(data, source)




def check_consistent(table: Table) -> None:
    """Every cell sits exactly on the positions its origin and spans say, and nowhere else."""
    seen = set()
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is None or id(cell) in seen:
                continue
            seen.add(id(cell))
            assert (cell.row, cell.col) == (r, c), "first position of a cell is its origin"
            assert cell.where.table == table.index
            assert (cell.where.row, cell.where.col) == (cell.row, cell.col)
            for rr in range(table.n_rows):
                for cc in range(len(table.rows[rr])):
                    inside = r <= rr < r + cell.rowspan and c <= cc < c + cell.colspan
                    assert (table.rows[rr][cc] is cell) == inside, (cell.text, rr, cc)


# --------------------------------------------------------------------------------------------
# tables

TABLE3 = """<html><body><table border="1">
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
    <td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>10</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>11</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="8">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td colspan="2">（二）部分公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td rowspan="6">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3.危及“三安全一稳定”</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>4.保护第三方合法权益</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>5.属于三类内部事务信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>6.属于四类过程性信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table></body></html>"""


def test_table3_header_spans_resolve_to_exact_grid():
    doc = read(TABLE3)
    (t,) = tables(doc)
    assert (t.n_rows, t.n_cols) == (13, 10)
    assert all(len(row) == 10 for row in t.rows)
    check_consistent(t)
    corner = (0, 0)
    assert origins(t)[:3] == [
        [corner] * 3 + [(0, 3)] * 7,
        [corner] * 3 + [(1, 3)] + [(1, 4)] * 5 + [(1, 9)],
        [corner] * 3 + [(1, 3)] + [(2, 4), (2, 5), (2, 6), (2, 7), (2, 8)] + [(1, 9)],
    ]
    head = t.rows[0][3]
    assert (head.text, head.rowspan, head.colspan) == ("申请人情况", 1, 7)
    legal = t.rows[1][4]
    assert (legal.text, legal.row, legal.col, legal.rowspan, legal.colspan) == ("法人或其他组织", 1, 4, 1, 5)
    assert t.rows[1][3] is t.rows[2][3] and t.rows[2][3].text == "自然人"
    assert t.rows[1][9] is t.rows[2][9] and t.rows[2][9].text == "总计"
    assert texts(t)[3] == ["一、本年新收政府信息公开申请数量"] * 3 + ["10", "1", "0", "0", "0", "0", "11"]
    result = t.rows[5][0]
    assert (result.text, result.row, result.col, result.rowspan, result.colspan) == ("三、本年度办理结果", 5, 0, 8, 1)
    assert all(t.rows[r][0] is result for r in range(5, 13))
    refuse = t.rows[7][1]
    assert (refuse.text, refuse.rowspan) == ("（三）不予公开", 6)
    assert [t.rows[r][2].text for r in range(7, 13)][0] == "1.属于国家秘密"
    assert texts(t)[12] == ["三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"] + ["0"] * 7
    assert t.rows[3][3].where.to_dict() == {"table": 0, "row": 3, "col": 3}
    assert t.where.table == 0 and t.index == 0


def test_br_and_p_inside_cells_become_newlines_and_whitespace_collapses():
    doc = read("""<table>
      <tr><td>（一）予以<br>公开</td><td><p>第一段</p><p>第二段  文字</p></td></tr>
      <tr><td>  多个   空格&nbsp;&nbsp;和\u3000\u3000全角  </td><td><span>12</span><br/><br/></td></tr>
    </table>""")
    (t,) = tables(doc)
    assert texts(t) == [["（一）予以\n公开", "第一段\n第二段 文字"], ["多个 空格 和 全角", "12"]]


def test_word_exported_cells():
    doc = read("""<table class=MsoNormalTable>
      <tr><td><p class=MsoNormal align=center><span lang=EN-US>12<o:p></o:p></span></p></td>
          <td><p class=MsoNormal><span>（三）不予</span><span>公开<o:p>&nbsp;</o:p></span></p></td></tr>
      <tr><td><p class=MsoNormal><span>上行</span></p><p class=MsoNormal><span>下行<o:p></o:p></span></p></td>
          <td> <p><b> 加粗 </b></p> </td></tr>
    </table>""")
    assert texts(tables(doc)[0]) == [["12", "（三）不予公开"], ["上行\n下行", "加粗"]]


def test_absurd_spans_are_clamped_to_the_table():
    doc = read("""<table>
      <tr><td colspan="1000">标题</td></tr>
      <tr><td rowspan="0">项目</td><td>a</td><td>1</td></tr>
      <tr><td>b</td><td rowspan="1000">2</td></tr>
      <tr><td colspan="x">c</td></tr>
      <tr><td colspan="-3">d</td></tr>
    </table>""")
    (t,) = tables(doc)
    assert (t.n_rows, t.n_cols) == (5, 3)
    check_consistent(t)
    assert t.rows[0][0].colspan == 3
    assert t.rows[1][0].rowspan == 4 and t.rows[4][0].text == "项目"
    assert t.rows[2][2].rowspan == 3
    assert texts(t) == [["标题"] * 3, ["项目", "a", "1"], ["项目", "b", "2"], ["项目", "c", "2"],
                        ["项目", "d", "2"]]


def test_empty_rows_are_skipped_and_spans_over_them_shrink():
    doc = read("""<table>
      <tr><th>项目</th><th>数量</th></tr>
      <tr></tr>
      <tr><td rowspan="3">规章</td><td>1</td></tr>
      <tr></tr>
      <tr><td>2</td></tr>
    </table>""")
    (t,) = tables(doc)
    assert texts(t) == [["项目", "数量"], ["规章", "1"], ["规章", "2"]]
    assert (t.rows[1][0].row, t.rows[1][0].rowspan) == (1, 2)
    check_consistent(t)


def test_rows_in_thead_tbody_and_caption():
    doc = read("""<table><caption>表一 主动公开情况</caption>
      <thead><tr><th>信息内容</th><th>本年制发件数</th></tr></thead>
      <tbody><tr><td>规章</td><td>0</td></tr></tbody>
      <tfoot><tr><td>合计</td><td>0</td></tr></tfoot></table>""")
    assert kinds(doc) == ["表一 主动公开情况", "T"]
    assert texts(tables(doc)[0]) == [["信息内容", "本年制发件数"], ["规章", "0"], ["合计", "0"]]


def test_table_indexes_count_tables_in_order_and_empty_tables_are_dropped():
    doc = read("""<p>前言</p>
      <table><tr><td>a</td><td>1</td></tr></table>
      <table><tr><td> </td><td></td></tr></table>
      <p>中间</p>
      <table><tr><td>b</td><td>2</td></tr></table>""")
    assert kinds(doc) == ["前言", "T", "中间", "T"]
    t0, t1 = tables(doc)
    assert (t0.index, t0.where.table, t1.index, t1.where.table) == (0, 0, 1, 1)
    assert t1.rows[0][1].where.to_dict() == {"table": 1, "row": 0, "col": 1}


# --------------------------------------------------------------------------------------------
# paragraphs

def test_paragraphs_br_nbsp_and_source_lines():
    doc = read("<html><body>\n<h1>某区2020年政府信息公开\n工作年度报告</h1>\n"
               "<p>&nbsp;&nbsp;本报告根据《条例》<b>编制</b>。<br>第二行\u3000\u3000内容</p>\n"
               "<div>一、总体情况<div>（一）主动公开</div>尾部文字</div>\n"
               "<p>   </p><ul><li>第一项</li><li>第 二 项</li></ul>\n"
               "<p>Annual   report\n  line</p></body></html>")
    assert paras(doc) == ["某区2020年政府信息公开工作年度报告", "本报告根据《条例》编制。", "第二行 内容",
                          "一、总体情况", "（一）主动公开", "尾部文字", "第一项", "第 二 项",
                          "Annual report line"]
    lines = [b.where.line for b in doc.blocks]
    assert lines == [2, 4, 4, 5, 5, 5, 6, 6, 7]


def test_scripts_styles_comments_and_head_give_no_text():
    doc = read("""<html><head><title>标题栏文字</title><style>.a{color:red}</style>
      <script>var x = "脚本文字";</script></head><body>
      <noscript>请启用脚本</noscript><!-- 注释文字 --><p>正文<!-- 内部注释 -->继续</p>
      <template><p>模板文字</p></template><script>document.write("脚本2")</script></body></html>""")
    assert paras(doc) == ["正文继续"]


def test_zero_width_characters_are_dropped():
    doc = read("<p>政府\u200b信息\ufeff公开 2020\u200b年</p>")
    assert paras(doc) == ["政府信息公开 2020年"]


# --------------------------------------------------------------------------------------------
# portal pages

PORTAL = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某区人民政府门户网站</title>
<script>var nav = "菜单脚本";</script><style>body{}</style></head>
<body>
<header class="top"><a>网站首页</a><a>无障碍浏览</a></header>
<div id="mainNav"><ul><li>首页</li><li>政务公开</li><li>政务服务</li></ul></div>
<div class="Breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>
<table width="1000" align="center"><tr><td>
  <table width="100%"><tr>
    <td class="leftMenu">栏目导航 信息公开指南</td>
    <td>
      <div class="content-header"><h1>某区2021年政府信息公开工作年度报告</h1><span>发布日期：2022-01-20</span></div>
      <p>本报告由某区人民政府办公室编制。</p>
      <p>一、总体情况</p>
      <table border="1">
        <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
        <tr><td>规章</td><td>0</td><td>0</td><td>3</td></tr>
      </table>
      <p>二、存在的主要问题</p>
      <div class="share-bar">分享到：微信 微博</div>
    </td>
  </tr></table>
</td></tr></table>
<div class="sidebar"><table><tr><td>相关链接</td><td>往年年报</td></tr><tr><td>x</td><td>y</td></tr></table></div>
<div class="footer">版权所有：某区人民政府 ICP备12345号</div>
<footer>网站标识码</footer>
</body></html>"""


def test_portal_page_keeps_report_in_order_and_drops_chrome():
    doc = read(PORTAL)
    assert kinds(doc) == ["某区2021年政府信息公开工作年度报告", "本报告由某区人民政府办公室编制。", "一、总体情况",
                          "T", "二、存在的主要问题"]
    (t,) = tables(doc)
    assert texts(t) == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "3"]]
    assert t.index == 0
    alltext = " ".join(paras(doc))
    for chrome in ("首页", "政务服务", "当前位置", "栏目导航", "分享到", "版权所有", "网站标识码", "菜单脚本", "相关链接"):
        assert chrome not in alltext


def test_chrome_holding_a_table_with_digits_is_kept():
    doc = read("""<div class="nav">导航</div>
      <div class="main-header"><p>报告正文</p>
        <table><tr><td>项目</td><td>数量</td></tr><tr><td>申请</td><td>12</td></tr></table></div>""")
    assert kinds(doc) == ["报告正文", "T"]
    assert texts(tables(doc)[0])[1] == ["申请", "12"]


def test_single_cell_table_is_layout():
    doc = read("""<table><tr><td><p>第一段</p><p>第二段</p></td></tr></table>
      <table><tr><td>只有一格<table><tr><td>a</td><td>1</td></tr></table></td></tr></table>""")
    assert kinds(doc) == ["第一段", "第二段", "只有一格", "T"]
    assert tables(doc)[0].index == 0


def test_layout_table_cells_become_paragraphs_in_order():
    doc = read("""<table>
      <tr><td>左栏文字</td><td><table><tr><td>x</td><td>1</td></tr></table></td></tr>
      <tr><td>下方文字</td><td>更多</td></tr></table>""")
    assert kinds(doc) == ["左栏文字", "T", "下方文字", "更多"]


# --------------------------------------------------------------------------------------------
# encodings

def test_gbk_page_with_meta_charset():
    page = '<html><head><meta charset="gbk"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(page.encode("gbk"), source)
    assert paras(doc) == ["政府信息公开工作年度报告"]
    assert source.encoding == "gb18030"


def test_gb2312_http_equiv_declaration():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312"></head>'
            '<body><p>依申请公开</p></body></html>')
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(page.encode("gb2312"), source)
    assert paras(doc) == ["依申请公开"] and source.encoding == "gb18030"


def test_gb18030_page_without_meta():
    # 䶮 is in GB18030 but not in GBK: proves the fallback is GB18030 itself
    page = "<html><body><p>刘䶮区政府信息公开年报</p><p>第二段</p></body></html>"
    data = page.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(data, source)
    assert paras(doc) == ["刘䶮区政府信息公开年报", "第二段"]
    assert source.encoding == "gb18030"


def test_wrong_meta_falls_back_to_utf8():
    page = '<html><head><meta charset="gb2312"></head><body><p>年度报告“引号”</p></body></html>'
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(page.encode("utf-8"), source)
    assert paras(doc) == ["年度报告“引号”"]
    assert source.encoding == "utf-8"


def test_utf8_cut_mid_character_stays_utf8():
    data = "<html><body><p>政府信息公开工作年度报告</p><p>第二段文字很长很长</p></body></html>".encode()
    data = data[: data.index("二".encode()) + 2]      # cut inside a three-byte character
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(data, source)
    assert source.encoding == "utf-8"
    first, second = paras(doc)
    assert first == "政府信息公开工作年度报告" and second.rstrip("\ufffd") == "第"


def test_utf8_bom_wins():
    source = Source(path="g.html", sha256="", kind="html")
    doc = html_reader.read(b"\xef\xbb\xbf" + '<meta charset="gbk"><p>年报</p>'.encode("utf-8"), source)
    assert paras(doc) == ["年报"] and source.encoding == "utf-8"


def test_read_bytes_dispatches_html():
    doc = read_bytes('<!DOCTYPE html><html><body><p>年报</p></body></html>'.encode(), "page.html")
    assert doc.source.kind == "html" and doc.source.encoding == "utf-8"
    assert paras(doc) == ["年报"]


# --------------------------------------------------------------------------------------------
# bad input

@pytest.mark.parametrize("data", [
    b"",
    b"   \r\n\t ",
    b"<html><head><title>x</title></head><body>  <script>var a=1</script> </body></html>",
    b"<html><body><table><tr><td></td></tr></table><p>&nbsp;</p></body></html>",
    bytes(range(256)) * 8,
])
def test_no_text(data):
    with pytest.raises(ReadError) as ei:
        read(data)
    assert ei.value.code == "no-text"
    assert ei.value.message and ei.value.message_en


def test_parser_error_is_html_damaged(monkeypatch):
    def boom(*args, **kwargs):
        raise etree.XMLSyntaxError("broken", None, 1, 1)
    monkeypatch.setattr(html_reader.etree, "fromstring", boom)
    with pytest.raises(ReadError) as ei:
        read("<p>年报</p>")
    assert ei.value.code == "html-damaged"
    assert "网页" in ei.value.message


def test_deep_nesting_and_unclosed_tags_do_not_crash():
    doc = read("<div>" * 1500 + "深处文字" + "<table><tr><td>a<td>1<tr><td>b<td>2" + "<p>未闭合")
    assert paras(doc) == ["深处文字"]
    assert texts(tables(doc)[0]) == [["a", "1"], ["b", "2\n未闭合"]]   # libxml2 puts the <p> in the cell
    assert doc.problems == []


def test_nesting_beyond_the_parser_limit_is_reported():
    doc = read("<p>前文</p>" + "<div>" * 5000 + "深处文字")
    assert paras(doc) == ["前文"]
    assert [p.code for p in doc.problems] == ["html-truncated"]
    assert doc.problems[0].where.line == 1
    with pytest.raises(ReadError) as ei:
        read("<div>" * 5000 + "深处文字")
    assert ei.value.code == "html-damaged"


# --------------------------------------------------------------------------------------------
# additions beyond the basics

def test_pre_keeps_one_paragraph_per_line_with_its_source_line():
    doc = read("<body>\n<p>前文</p>\n<pre>\n一、总体情况\n  规章   0  0\n\n<b>二、</b>主动公开</pre></body>")
    assert [(b.text, b.where.line) for b in doc.blocks] == [
        ("前文", 2), ("一、总体情况", 4), ("规章 0 0", 5), ("二、主动公开", 7)]


def test_xml_declaration_encoding_is_used():
    page = '<?xml version="1.0" encoding="gb2312"?><html><body><p>信息公开</p></body></html>'
    source = Source(path="x.xhtml", sha256="", kind="html")
    assert paras(html_reader.read(page.encode("gb2312"), source)) == ["信息公开"]
    assert source.encoding == "gb18030"


def test_table_with_a_page_long_cell_is_layout():
    body = "".join(f"<p>第{i}段：本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。</p>"
                   for i in range(40))
    doc = read(f"<table><tr><td>栏目</td></tr><tr><td>{body}</td></tr></table>"
               "<table><tr><td>项目</td><td>说明</td></tr><tr><td>备注</td><td>" + "长" * 900 + "</td></tr></table>")
    assert kinds(doc)[:3] == ["栏目", "第0段：本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。",
                              "第1段：本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。"]
    assert kinds(doc)[-1] == "T" and len(doc.blocks) == 42   # a 900-character cell is still a cell
    assert tables(doc)[0].index == 0


def test_caption_and_stray_text_come_after_preceding_text():
    doc = read("<div>前面的文字<table><caption>表二</caption><tr><td>a</td><td>1</td></tr></table>后面</div>")
    assert kinds(doc) == ["前面的文字", "表二", "T", "后面"]
