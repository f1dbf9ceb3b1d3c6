"""Text reader: encodings and the layouts of real exports."""
import pytest

from nianbao import extract, read_bytes
from nianbao.document import Table
from nianbao.errors import ReadError

from .conftest import DATA
from nianbao.extract import notes as N


def seed(name: str) -> bytes:
    return next((DATA / "seeds").glob(f"{name}_*.txt")).read_bytes()


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_encodings_give_identical_tables(encoding):
    raw = seed("002")
    utf8 = extract(read_bytes(raw, "a.txt"))
    other = read_bytes(raw.decode("utf-8").encode(encoding), "b.txt")
    assert other.source.encoding in (encoding, "gb18030", "utf-8-sig", "utf-16")
    assert extract(other).tables() == utf8.tables()
    assert extract(other).org == "临清市先锋路街道办事处"


def test_crlf_line_endings_change_nothing():
    raw = seed("000")
    assert extract(read_bytes(raw.replace(b"\n", b"\r\n"), "a.txt")).tables() == \
        extract(read_bytes(raw, "b.txt")).tables()


def test_tab_rows_keep_empty_cells():
    """Seed 002's 表四 prints five empty 行政复议 cells before ten zeros; the grid keeps them."""
    doc = read_bytes(seed("002"), "002.txt")
    t4 = [b for b in doc.blocks if isinstance(b, Table)][-1]
    assert [c.text for c in t4.origin_cells(3)] == [""] * 5 + ["0"] * 10


def test_label_broken_across_lines_joins_the_cell():
    doc = read_bytes(seed("001"), "001.txt")
    texts = [c.text for t in doc.tables() for r in range(t.n_rows) for c in t.origin_cells(r)]
    assert "结\n果\n维\n持" in texts
    assert not any("bookmark" in t for t in texts)


def test_blank_separated_cells_count_extra_blank_lines_as_empty_cells():
    text = "表\n\n一、本年新收政府信息公开申请数量\n\n\n\n\n\n\n\n 0\n\n二、上年结转\n\n1\n\n2\n"
    doc = read_bytes(text.encode(), "c.txt")
    (t,) = list(doc.tables())
    assert t.linear
    cells = [t.rows[r][0].text for r in range(t.n_rows)]
    assert cells[:9] == ["表", "一、本年新收政府信息公开申请数量", "", "", "", "", "", "", "0"]


def test_undecodable_bytes_are_refused_with_a_chinese_message():
    junk = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(ReadError) as e:
        read_bytes(junk, "x.txt", kind="text")
    assert e.value.code == "encoding" and "编码" in e.value.message


def test_text_without_tables_says_so():
    r = extract(read_bytes("一、总体情况\n本年度我单位未收到申请。\n".encode(), "n.txt"))
    assert r.tables() == {"t2": None, "t3": None, "t4": None}
    assert [p.code for p in r.problems if p.severity == "error"] == ["no-tables"]


# -- space-aligned columns (a PDF saved as text with its layout) -----------------------------------
def _cells(text: str) -> list[str]:
    doc = read_bytes(text.encode("utf-8"), "layout.txt")
    return [c.text for t in doc.tables() for r in range(t.n_rows) for c in t.origin_cells(r)]


def _paragraphs(text: str) -> list[str]:
    from nianbao.document import Paragraph
    doc = read_bytes(text.encode("utf-8"), "layout.txt")
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


ALIGNED = (
    "二、主动公开政府信息情况\n"
    "  2022 年，我街道制发行政规范性文件 7 件，废止 3 件，现行有效 46 件。\n"
    "               第二十条第（一）项\n"
    "       信息内容   本年制发件数   本年废止件数       现行有效件数\n"
    "规章               0        0            0\n"
    "行政规范性文件          7        3           46\n"
    "               第二十条第（八）项\n"
    "    信息内容            本年收费金额（单位：万元）\n"
    "行政事业性收费                  1.2345\n"
    "   三、收到和处理政府信息公开申请情况\n"
)


def test_space_aligned_rows_become_label_and_value_cells():
    cells = _cells(ALIGNED)
    assert cells[cells.index("规章"):cells.index("规章") + 8] == ["规章", "0", "0", "0", "行政规范性文件", "7", "3", "46"]
    assert "本年制发件数" in cells and cells[-2:] == ["行政事业性收费", "1.2345"]
    # the sentences around the table stay paragraphs, numbers and all
    paras = _paragraphs(ALIGNED)
    assert paras[1].startswith("2022 年，我街道制发") and paras[-1] == "三、收到和处理政府信息公开申请情况"


def test_label_beside_a_wrapped_label_is_moved_before_it():
    """pdftotext centres "（四）无法提供" beside "2.没有现成信息需要另行制作": its second half is printed
    on the values line; the values must follow "2.没有…", not "法提供"."""
    text = (
        "                 自然   商业   科研                总计\n"
        "           8.属于行政查询事项       5    1    0    7\n"
        "           1.本机关不掌握相关政府信\n"
        "                           17    4    1   27\n"
        "           息\n"
        "    （四）无\n"
        "           2.没有现成信息需要另行制\n"
        "    法提供                     6    2    0    9\n"
        "           作\n"
    )
    cells = _cells(text)
    i = cells.index("2.没有现成信息需要另行制")
    assert cells[i - 1] == "法提供" and cells[i + 1:i + 5] == ["6", "2", "0", "9"]
    assert cells[:4] == ["自然", "商业", "科研", "总计"]            # column headers are never moved


def test_sentences_ending_in_numbers_are_not_a_table():
    text = ("本年度共收到申请，总数为  12\n" "其中，办结  10\n" "结转下年度，  2\n" "我们将继续努力，争取  3\n")
    doc = read_bytes(text.encode("utf-8"), "p.txt")
    assert list(doc.tables()) == [] and len(_paragraphs(text)) == 4
    # the same lines with labels that are not sentences are a table
    assert len(list(read_bytes("规章  12\n办结  10\n结转  2\n其他  3\n".encode("utf-8"), "t.txt").tables())) == 1


# -- one cell per line with a line holding only "|" between cells (h05) ----------------------------
def _sep(*cells: str) -> str:
    return "\n|\n".join(cells) + "\n"


def _blocks(text: str) -> list:
    from nianbao.document import Paragraph
    doc = read_bytes(text.encode("utf-8"), "sep.txt")
    return [b.text if isinstance(b, Paragraph) else [r[0].text for r in b.rows] for b in doc.blocks]


def test_separator_lines_keep_every_cell_after_the_first_separator():
    text = "二、主动公开政府信息情况\n" + _sep("第二十条第（一）项", "信息内容", "本年新制作数量", "规章", "0", "12")
    assert _blocks(text) == ["二、主动公开政府信息情况", ["第二十条第（一）项", "信息内容", "本年新制作数量", "规章", "0", "12"]]


def test_separator_table_ends_at_a_section_heading_and_the_next_one_starts():
    text = (_sep("政府集中采购", "8", "160.5964万元") + "|\n三、收到和处理政府信息公开申请情况\n本年共收到申请3件。\n"
            + _sep("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人"))
    assert _blocks(text) == [
        ["政府集中采购", "8", "160.5964万元"], "三、收到和处理政府信息公开申请情况", "本年共收到申请3件。",
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人"]]


def test_separator_table_ends_where_the_last_cell_is_followed_by_text():
    text = _sep("行政复议", "0", "1") + "五、存在的主要问题及改进情况\n一是公开不够及时。\n"
    assert _blocks(text) == [["行政复议", "0", "1"], "五、存在的主要问题及改进情况", "一是公开不够及时。"]


def test_separator_cells_broken_over_lines_join_but_values_never_do():
    # "|" right after "|" is an empty cell; a label broken over two lines is one cell; a label and a
    # value with no separator between them are two cells; two values with no separator between them
    # are one cell that is no number ("0" and "5" is neither "05" nor two cells that shift the row)
    text = _sep("信息内容", "规范性文件\n（含行政机关制定的公文）", "", "0\n5", "3\n规章", "1")
    doc = read_bytes(text.encode("utf-8"), "sep.txt")
    (t,) = list(doc.tables())
    assert [r[0].text for r in t.rows] == ["信息内容", "规范性文件\n（含行政机关制定的公文）", "", "0 / 5", "3", "规章", "1"]
    (p,) = doc.problems
    assert p.code == "missing-separator" and "2处" in p.message and "其中1处" in p.message


def test_a_value_printed_twice_without_a_separator_never_shifts_its_row():
    data = (DATA.parent / "fixtures" / "text_layouts" / "separator_ankang_2019.txt").read_text(encoding="utf-8")
    lines = data.split("\n")
    assert lines[333] == "2" and lines[331] == "1.本机关不掌握相关政府信息"
    lines.insert(333, "2")                                    # the 自然人 value twice, no "|" between
    r = extract(read_bytes("\n".join(lines).encode("utf-8"), "dup.txt"))
    assert {r.cells[("t3", "unable_1", c)].status for c in ("natural", "commercial", "total")} == {"missing"}
    assert r.cells[("t3", "unable_2", "natural")].value == 0


def test_a_lone_pipe_starting_each_row_is_not_a_separator_table():
    """p05's layout: a lone "|" line starts a row whose cells end in " |"."""
    text = "|\n规章 |\n0 |\n1 |\n|\n规范性文件 |\n2 |\n3 |\n|\n行政许可 |\n4 |\n5 |\n"
    (t,) = list(read_bytes(text.encode("utf-8"), "rows.txt").tables())
    assert not t.linear and [[c.text for c in t.origin_cells(r)] for r in range(t.n_rows)][0] == ["规章", "0", "1"]


# -- damaged UTF-16 -----------------------------------------------------------------------------------
def test_utf16_of_odd_length_is_read_with_the_damage_reported():
    raw = seed("002").decode("utf-8").encode("utf-16")
    r = extract(read_bytes(raw[:-1], "cut.txt"))          # the last character's second byte is gone
    assert r.tables() == extract(read_bytes(seed("002"), "a.txt")).tables()
    (p,) = [p for p in r.problems if p.code == "encoding-damaged"]
    assert "UTF-16" in p.message and "1处" in p.message and p.where.line >= 1


def test_utf16_lone_surrogate_never_becomes_a_value():
    text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1X\t0\t0\n"
    raw = text.encode("utf-16-le")
    at = raw.index("X".encode("utf-16-le"))
    raw = b"\xff\xfe" + raw[:at] + b"\x00\xd8" + raw[at + 2:]        # "1X" → "1" + a lone high surrogate
    doc = read_bytes(raw, "s.txt")
    (p,) = [p for p in doc.problems if p.code == "encoding-damaged"]
    assert p.where.line == 4 and "第4行" in p.message
    r = extract(doc)
    assert r.cells[("t2", "regulations", "made")].status != "read"


def test_utf16_damaged_throughout_is_refused_with_a_chinese_message():
    raw = b"\xff\xfe" + "规章".encode("utf-16-le") + b"\x00\xd8" * 50 + "0".encode("utf-16-le")
    with pytest.raises(ReadError) as e:
        read_bytes(raw, "bad.txt")
    assert e.value.code == "encoding" and "UTF-16" in e.value.message and "另存为" in e.value.message


# -- markdown conversions -------------------------------------------------------------------------
MD = """# 某街道办事处2022年政府信息公开工作年度报告

## 一、总体情况

本年度共收到申请2件。

## 三、收到和处理政府信息公开申请情况

（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）

### （一）予以公开

| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |

###（三）不予公开

| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
| :--- | :---: | :---: | :---: | :---: | :---: | :---: | ---: |
| 1.属于**国家秘密** | - | - | - | - | - | - | - |
"""


def test_markdown_headings_are_paragraphs_and_placeholder_headers_are_dropped():
    blocks = _blocks(MD)
    assert blocks[:3] == ["某街道办事处2022年政府信息公开工作年度报告", "一、总体情况", "本年度共收到申请2件。"]
    # the "###" heading right above a table is the table's first row (the converter lifted it out);
    # "数据1 … 总计" headers and "|---|" rules are not rows; a row of "-" cells is a row of values
    assert blocks[5:] == [["（一）予以公开", "1"], ["（三）不予公开", "1.属于国家秘密"]]
    doc = read_bytes(MD.encode("utf-8"), "r.md")
    tables = list(doc.tables())
    assert [[c.text for c in t.origin_cells(r)] for t in tables for r in range(t.n_rows)] == [
        ["（一）予以公开"], ["1", "0", "0", "0", "0", "0", "1"],
        ["（三）不予公开"], ["1.属于国家秘密", "-", "-", "-", "-", "-", "-", "-"]]


def test_markdown_sections_and_title_are_found():
    r = extract(read_bytes(MD.encode("utf-8"), "r.md"))
    assert [s.number for s in r.sections] == [1, 3] and r.title.startswith("某街道办事处2022年")
    assert r.cells[("t3", "granted", "total")].value == 1
    assert r.cells[("t3", "denied_1", "natural")].status == "not_applicable"


def test_markdown_header_with_real_labels_keeps_them_and_empties_placeholders():
    text = "| 信息内容 | 数据1 |\n|---|---|\n| 行政许可 | 36 |\n| &nbsp; | &lt;b&gt; |\n"
    (t,) = list(read_bytes(text.encode("utf-8"), "h.md").tables())
    assert [[c.text for c in t.origin_cells(r)] for r in range(t.n_rows)] == [
        ["信息内容", ""], ["行政许可", "36"], ["", "<b>"]]


def test_markdown_header_numbering_the_columns_is_not_a_row_of_values():
    text = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\n### （一）予以公开\n\n"
            "| 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n|---|---|---|---|---|---|---|\n| 3 | 0 | 0 | 0 | 1 | 0 | 4 |\n")
    r = extract(read_bytes(text.encode("utf-8"), "n.md"))
    assert [r.cells[("t3", "granted", c)].value for c in ("natural", "legal", "total")] == [3, 1, 4]


def test_markdown_money_unit_in_a_header_broken_by_br():
    r = extract(read_bytes((DATA.parent / "fixtures" / "text_layouts" / "md_qingshuiqiao_2020.md").read_bytes(),
                           "q.md"))
    cv = r.cells[("t2", "procurement", "amount")]
    assert (cv.status, cv.value, cv.unit) == ("read", 87.352, "万元")


def test_md_files_are_text():
    from nianbao.readers.detect import _EXT, detect_kind
    assert detect_kind(b"# title\n", "r.md") == "text" and _EXT[".md"] == _EXT[".markdown"] == "text"


def test_markdown_with_html_tables_reads_the_tables_and_the_sections():
    """pandoc, and `nianbao render` to .md, write tables with merged cells as HTML inside markdown."""
    from nianbao.render import to_markdown
    r = extract(read_bytes(seed("002"), "002.txt"))
    md = extract(read_bytes(to_markdown(r.to_dict()).encode("utf-8"), "002.md"))
    inferred = {k for k, cv in r.cells.items() if cv.status == "inferred"}    # rendered 「未填报」: never printed
    assert inferred and all(md.cells[k].status in ("missing", "inferred") for k in inferred)
    assert ({k: (cv.status, cv.value) for k, cv in md.cells.items() if k not in inferred}
            == {k: (cv.status, cv.value) for k, cv in r.cells.items() if k not in inferred})
    assert [s.number for s in md.sections] == [1, 2, 3, 4, 5, 6]
    cv = md.cells[("t3", "new_received", "total")]
    assert cv.where.line >= 1 and cv.where.row is not None


def test_separator_cells_split_at_blank_lines_and_full_width_separators_count():
    text = "信息内容\n｜\n规章\n\n行政规范性文件\n｜\n0\n｜\n1\n"
    assert _blocks(text) == [["信息内容", "规章", "行政规范性文件", "0", "1"]]


def test_markdown_t4_groups_cut_after_the_second_group_keep_each_group_in_place():
    data = (DATA.parent / "fixtures" / "text_layouts" / "md_heping_2022.md").read_bytes()
    cut = data[:data.index("#### 复议后起诉".encode("utf-8"))]
    r = extract(read_bytes(cut, "cut.md"))
    t4 = r.tables()["t4"]
    assert t4["review"] == {"maintain": 1, "correct": 0, "other": 0, "pending": 0, "total": 1}
    assert t4["direct"] == {"maintain": 0, "correct": 0, "other": 0, "pending": 0, "total": 0}
    assert {(cv.status, cv.note) for (t, g, c), cv in r.cells.items() if t == "t4" and g == "after_review"} == {
        ("missing", N.ROW_CUT)}


def test_a_file_ending_inside_a_number_never_reads_the_cut_number():
    data = (DATA.parent / "fixtures" / "text_layouts" / "pipes_longgang_2024.txt").read_bytes()
    line = "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 16 |".encode("utf-8")
    cut = data[:data.index(line) + len(line) - 3]                 # "… | 1": "16" cut to "1"
    r = extract(read_bytes(cut, "cut.txt"))
    cv = r.cells[("t3", "partial", "natural")]
    assert (cv.status, cv.value) == ("missing", None) and cv.note.startswith(N.TRUNCATED)
    # a file ending on a lone "0" keeps it: no count continues after a leading 0
    r0 = extract(read_bytes(data[:data.index(line)] + "(二)部分公开 | 0".encode("utf-8"), "zero.txt"))
    assert r0.cells[("t3", "partial", "natural")].status == "read"


def test_placeholder_column_names_without_a_rule_are_not_cells():
    text = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n（一）予以公开\n"
            "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n| 3 | 0 | 0 | 0 | 1 | 0 | 4 |\n")
    r = extract(read_bytes(text.encode("utf-8"), "p.txt"))
    assert [r.cells[("t3", "granted", c)].value for c in ("natural", "legal", "total")] == [3, 1, 4]
