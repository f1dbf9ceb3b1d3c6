"""DOCX reader: merged cells, run text in wrappers, split tables, paragraph numbers, bad files."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from nianbao.document import Paragraph, Source, Table
from nianbao.errors import ReadError
from nianbao.readers import docx as docx_reader
from nianbao.readers import read_bytes

from .grids import kinds, origins, paras, tables, texts

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def read(data: bytes):
    return docx_reader.read(data, Source(path="t.docx", sha256="", kind="docx", size=len(data)))


def append_xml(d, xml: str) -> None:
    """Append a raw body element (before the section properties)."""
    body = d.element.body
    body.insert(len(body) - 1, parse_xml(xml))




def check_consistent(table: Table) -> None:
    seen = set()
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is None or id(cell) in seen:
                continue
            seen.add(id(cell))
            assert (cell.row, cell.col) == (r, c)
            assert cell.where.to_dict() == {"table": table.index, "row": r, "col": c}
            for rr in range(table.n_rows):
                for cc in range(len(table.rows[rr])):
                    inside = r <= rr < r + cell.rowspan and c <= cc < c + cell.colspan
                    assert (table.rows[rr][cc] is cell) == inside, (cell.text, rr, cc)


# --------------------------------------------------------------------------------------------
# merged cells

def test_horizontal_vertical_and_block_merges_share_one_cell():
    d = docx.Document()
    t = d.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3))          # gridSpan = 4
    t.cell(1, 0).merge(t.cell(3, 0))          # vMerge restart + 2 continue
    t.cell(1, 1).merge(t.cell(2, 2))          # gridSpan 2 on two rows, vMerge
    t.cell(0, 0).text = "申请人情况"
    t.cell(1, 0).text = "三、本年度办理结果"
    t.cell(1, 1).text = "法人或其他组织"
    for r, c in [(1, 3), (2, 3), (3, 1), (3, 2), (3, 3)]:
        t.cell(r, c).text = f"{r}{c}"
    doc = read(save(d))
    (tab,) = tables(doc)
    assert (tab.n_rows, tab.n_cols) == (4, 4)
    check_consistent(tab)
    assert origins(tab) == [
        [(0, 0)] * 4,
        [(1, 0), (1, 1), (1, 1), (1, 3)],
        [(1, 0), (1, 1), (1, 1), (2, 3)],
        [(1, 0), (3, 1), (3, 2), (3, 3)],
    ]
    head = tab.rows[0][2]
    assert head is tab.rows[0][0]
    assert (head.text, head.row, head.col, head.rowspan, head.colspan) == ("申请人情况", 0, 0, 1, 4)
    col = tab.rows[3][0]
    assert col is tab.rows[1][0] is tab.rows[2][0]
    assert (col.text, col.row, col.col, col.rowspan, col.colspan) == ("三、本年度办理结果", 1, 0, 3, 1)
    block = tab.rows[2][2]
    assert (block.text, block.row, block.col, block.rowspan, block.colspan) == ("法人或其他组织", 1, 1, 2, 2)
    assert texts(tab)[3] == ["三、本年度办理结果", "31", "32", "33"]
    assert tab.where.table == 0


def test_grid_before_after_hmerge_and_orphan_vmerge():
    append_to = docx.Document()
    append_xml(append_to, f"""<w:tbl {W}>
      <w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
      <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>孤立续格</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr>
      <w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>
            <w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr>
      <w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>旧式合并</w:t></w:r></w:p></w:tc>
            <w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>
            <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>跨两列</w:t></w:r></w:p></w:tc></w:tr>
      <w:tr/>
      <w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>
    </w:tbl>""")
    doc = read(save(append_to))
    (tab,) = tables(doc)
    check_consistent(tab)
    assert texts(tab) == [["孤立续格", "b", "c", "d"],
                          [None, "x", "y", None],
                          ["旧式合并", "旧式合并", "跨两列", "跨两列"],
                          ["1", None, None, None]]
    assert (tab.rows[2][0].colspan, tab.rows[2][2].colspan) == (2, 2)


def test_cell_paragraphs_join_with_newlines_and_one_line_nested_table_is_text():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    cell = t.cell(0, 0)
    cell.text = "第一段"
    cell.add_paragraph("")
    cell.add_paragraph("第二段")
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    for c in range(2):
        inner.cell(0, c).text = f"内{c}"
    doc = read(save(d))
    (tab,) = tables(doc)
    assert texts(tab) == [["第一段\n第二段", "内0 内1"]]


def test_table_holding_a_nested_grid_is_layout_and_the_grid_is_its_own_table():
    """A caption row above the report's table, both in one outer Word table: the outer table
    is layout (its cells are paragraphs), the inner one is read as a table with its own index."""
    d = docx.Document()
    d.add_paragraph("正文")
    outer = d.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "表三：收到和处理政府信息公开申请情况"
    inner = outer.cell(1, 0).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"内{r}{c}"
    after = d.add_table(rows=1, cols=2)
    after.cell(0, 0).text = "后"
    doc = read(save(d))
    assert kinds(doc) == ["正文", "表三：收到和处理政府信息公开申请情况", "T", "T"]
    first, second = tables(doc)
    assert texts(first) == [["内00", "内01"], ["内10", "内11"]]
    check_consistent(first)
    assert (first.index, second.index) == (0, 1)
    assert texts(second) == [["后", ""]]


def test_two_consecutive_tables_stay_two_blocks():
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t1 = d.add_table(rows=2, cols=3)
    t2 = d.add_table(rows=2, cols=3)
    for t, base in ((t1, "上"), (t2, "下")):
        for r in range(2):
            for c in range(3):
                t.cell(r, c).text = f"{base}{r}{c}"
    d.add_paragraph("四、行政复议")
    doc = read(save(d))
    assert kinds(doc) == ["三、收到和处理政府信息公开申请情况", "T", "T", "四、行政复议"]
    a, b = tables(doc)
    assert (a.index, a.where.table, b.index, b.where.table) == (0, 0, 1, 1)
    assert texts(a)[1] == ["上10", "上11", "上12"]
    assert texts(b)[0] == ["下00", "下01", "下02"]
    assert b.rows[1][2].where.to_dict() == {"table": 1, "row": 1, "col": 2}


def test_single_cell_table_is_a_frame_and_its_content_is_read():
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "框内标题"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(1, 1).text = "7"
    cell.add_paragraph("框内结尾")
    doc = read(save(d))
    assert kinds(doc) == ["框内标题", "T", "框内结尾"]
    assert texts(tables(doc)[0]) == [["", ""], ["", "7"]]


# --------------------------------------------------------------------------------------------
# paragraphs

def test_run_text_in_hyperlink_content_control_fields_and_revisions():
    d = docx.Document()
    append_xml(d, f"""<w:p {W} {R}>
      <w:r><w:t xml:space="preserve">请访问 </w:t></w:r>
      <w:hyperlink r:id="rId99"><w:r><w:t>某区政府网站</w:t></w:r></w:hyperlink>
      <w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>2021年度报告</w:t></w:r></w:sdtContent></w:sdt>
      <w:ins w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>
      <w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText><w:tab/></w:r></w:del>
      <w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>
      <w:smartTag w:uri="u" w:element="e"><w:r><w:t>智能</w:t></w:r></w:smartTag>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
      <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>
      <w:r><w:fldChar w:fldCharType="end"/></w:r>
      <w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple>
      <w:r><w:tab/><w:t>制表</w:t><w:br/><w:t>第二行</w:t><w:cr/><w:t>第三行</w:t></w:r>
    </w:p>""")
    append_xml(d, f"""<w:sdt {W}><w:sdtPr/><w:sdtContent>
      <w:p><w:r><w:t>内容控件段落</w:t></w:r></w:p>
    </w:sdtContent></w:sdt>""")
    append_xml(d, f"""<w:p {W} {MC}><w:r><mc:AlternateContent>
      <mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
      <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
    </mc:AlternateContent></w:r><w:r><w:t>之后</w:t></w:r></w:p>""")
    doc = read(save(d))
    assert paras(doc) == ["请访问 某区政府网站2021年度报告新增智能39\t制表", "第二行", "第三行",
                          "内容控件段落", "文本框", "之后"]


def test_paragraph_where_is_the_body_paragraph_number():
    d = docx.Document()
    d.add_paragraph("第一段")
    d.add_paragraph("")
    d.add_paragraph("第三段")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "表内"
    t.cell(0, 1).text = "1"
    p = d.add_paragraph("第四段")
    p.add_run().add_break()
    p.add_run("第四段下半")
    doc = read(save(d))
    got = [(b.text, b.where.line) for b in doc.blocks if isinstance(b, Paragraph)]
    assert got == [("第一段", 1), ("第三段", 3), ("第四段", 4), ("第四段下半", 4)]


# --------------------------------------------------------------------------------------------
# bad files

def _report_docx() -> bytes:
    d = docx.Document()
    for i in range(30):
        d.add_paragraph(f"第{i}段 政府信息公开工作年度报告正文。")
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).text = "x"
    return save(d)


def test_truncated_docx_is_damaged():
    data = _report_docx()
    half = data[: len(data) // 2]
    with pytest.raises(ReadError) as ei:
        read(half)
    err = ei.value
    assert err.code == "docx-damaged"
    assert err.message.startswith("Word 文档已损坏或不完整") and "damaged" in err.message_en
    assert err.__suppress_context__   # no chained traceback from zipfile / lxml
    with pytest.raises(ReadError) as ei:
        read_bytes(half, "report.docx")
    assert ei.value.code == "docx-damaged" and ei.value.path == "report.docx"


@pytest.mark.parametrize("data", [b"PK\x03\x04" + b"\x00" * 100, b"not a zip at all", b""])
def test_junk_is_damaged(data):
    with pytest.raises(ReadError) as ei:
        read(data)
    assert ei.value.code == "docx-damaged"


def test_package_missing_its_document_part_is_damaged():
    src = zipfile.ZipFile(io.BytesIO(_report_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                z.writestr(item, src.read(item.filename))
    with pytest.raises(ReadError) as ei:
        read(out.getvalue())
    assert ei.value.code == "docx-damaged"


def test_empty_document_has_no_text():
    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("   ")
    d.add_table(rows=2, cols=2)
    with pytest.raises(ReadError) as ei:
        read(save(d))
    assert ei.value.code == "no-text"
    assert ei.value.message and ei.value.message_en


def test_read_bytes_dispatches_docx():
    doc = read_bytes(_report_docx(), "report.docx")
    assert doc.source.kind == "docx"
    assert paras(doc)[0] == "第0段 政府信息公开工作年度报告正文。"
    assert len(tables(doc)) == 1


def test_macro_enabled_package_is_reported_as_not_plain_docx():
    src = zipfile.ZipFile(io.BytesIO(_report_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml",
                                    b"ms-word.document.macroEnabled.main+xml")
            z.writestr(item, data)
    with pytest.raises(ReadError) as ei:
        read(out.getvalue())
    assert ei.value.code == "docx-damaged"
    assert "另存为 .docx" in ei.value.message


def _with_alt_chunk(content_type: str, blob: bytes) -> bytes:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document()
    d.add_paragraph("正文之前")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "甲"
    t.cell(0, 1).text = "1"
    part = Part(PackURI("/word/afchunk1.htm"), content_type, blob, d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    append_xml(d, f'<w:altChunk {W} {R} r:id="{rid}"/>')
    d.add_paragraph("正文之后")
    return save(d)


def test_html_alt_chunk_is_read_in_place():
    html = "<html><body><p>嵌入段落</p><table><tr><td>乙</td><td>2</td></tr></table></body></html>"
    doc = read(_with_alt_chunk("text/html", html.encode("utf-8")))
    assert kinds(doc) == ["正文之前", "T", "嵌入段落", "T", "正文之后"]
    _, embedded = tables(doc)
    assert embedded.index == 1 and embedded.where.table == 1
    assert embedded.rows[0][1].where.to_dict() == {"table": 1, "row": 0, "col": 1}
    assert [b.where.line for b in doc.blocks if isinstance(b, Paragraph)] == [1, 1, 2]
    assert doc.problems == []


def test_other_alt_chunk_is_a_problem():
    doc = read(_with_alt_chunk("application/rtf", b"{\\rtf1 x}"))
    assert kinds(doc) == ["正文之前", "T", "正文之后"]
    assert [p.code for p in doc.problems] == ["docx-altchunk"]
