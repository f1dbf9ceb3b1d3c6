"""Regressions found by bench/accuracy.py (random reports in every input kind): one test per failure
pattern, each on a small input that reproduces it; expected values are what the input prints."""
from nianbao import extract, read_bytes

# 表三 of a 2021-format report as `pdftotext -layout` prints it (LibreOffice PDF of render/docx.py;
# the table runs over a page break after 5.要求行政机关确认…). The group label （六）其他处理 is
# centred in its merged cell, so its second half "他处理" stands on a line of its own between the
# two halves of the wrapped row label "2.申请人逾期未按收费通知 / 要求缴纳费用、行政机关不 / …".
T3_LAYOUT = """三、收到和处理政府信息公开申请情况
    和，等于第三项加第四项之和）              商业   科研                     总计
                            人              公益     服务   其他
                                企业   机构
                                           组织     机构
一、本年新收政府信息公开申请数量           22   10   9      16     8   13   78
二、上年结转政府信息公开申请数量           1    0    1      1     0    0    3
三、  （一）予以公开                1    0    0      0     0    1    2
本年  （二）部分公开（区分处理的，只计这
                           2    0    1      1     0    1    5
度办  一情形，不计其他情形）
理结        1.属于国家秘密         1    0    1      0     1    1    4
 果        2.其他法律行政法规禁止公
                           0    1    0      2     0    0    3
           开
           3.危及“三安全一稳定”    0    1    0      1     0    0    2
    （三）不
           4.保护第三方合法权益     1    1    0      0     0    0    2
    予公开
           5.属于三类内部事务信息    3    0    0      1     0    1    5
           6.属于四类过程性信息     0    0    1      0     1    1    3
           7.属于行政执法案卷      0    0    0      1     1    0    2
           8.属于行政查询事项      1    0    1      0     1    1    4
           1.本机关不掌握相关政府信
                           4    1    0      0     0    0    5
           息
    （四）无
           2.没有现成信息需要另行制
    法提供                    0    0    1      1     0    1    3
           作
           3.补正后申请内容仍不明确   0    1    2      2     0    1    6
    （五）不   1.信访举报投诉类申请     0    1    1      1     0    0    3
    予处理    2.重复申请          0    1    1      0     0    1    3
           3.要求提供公开出版物     1    1    0      0     0    0    2
           4.无正当理由大量反复申请   1    0    0      1     1    1    4
           5.要求行政机关确认或重新   2    0    0      1     0    0    3
           出具已获取信息
                 1.申请人无正当理由逾期不
                 补正、行政机关不再处理其         6   0         1        1       2   0     10
                 政府信息公开申请
     （六）其
                 2.申请人逾期未按收费通知
     他处理
                 要求缴纳费用、行政机关不         0   1         0        1       0   0     2
                 再处理其政府信息公开申请
                 3.其他                 0   1         0         1      0    1     3
     （七）总计                           23   10       10        15      7   11    76
四、结转下年度继续办理                           0   0         0        2       1   2     5
"""


def test_left_label_piece_inside_a_wrapped_row_label_does_not_split_the_row():
    """Before: "他处理" ended the pending label, so "要求缴纳费用、行政机关不" and its values became a
    non-standard sub-row of （六）2 (status missing, listed in extra_rows)."""
    rep = extract(read_bytes(T3_LAYOUT.encode("utf-8"), "layout.txt"))
    assert rep.format == "2021"
    cols = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
    printed = {"other_1": (6, 0, 1, 1, 2, 0, 10), "other_2": (0, 1, 0, 1, 0, 0, 2),
               "other_3": (0, 1, 0, 1, 0, 1, 3), "total": (23, 10, 10, 15, 7, 11, 76),
               "not_processed_5": (2, 0, 0, 1, 0, 0, 3), "unable_2": (0, 0, 1, 1, 0, 1, 3)}
    for row, values in printed.items():
        got = [(rep.cell("t3", row, c).value, rep.cell("t3", row, c).status) for c in cols]
        assert got == [(v, "read") for v in values], row
    assert not [x for x in rep.extra_rows if x.table == "t3"]


# The same report's 表三 with its labels reworded ("1、" numbering, "四，结转…"), in a slightly wider
# layout: "（六）其" stands beside the first piece of the row label and "他处理" beside the second.
T3_LAYOUT_BESIDE = """三、收到和处理政府信息公开申请情况
                                         申请人情况
                                     法人或其他组织
 （本列数据的勾稽关系为：第一项加第二项之
                          自然              社会     法律
    和，等于第三项加第四项之和）             商业   科研                     总计
                           人              公益     服务   其他
                               企业   机构
                                          组织     机构
一，本年新收政府信息公开申请数量          22   10   9      16     8   13   78
二，上年结转政府信息公开申请数量          1    0    1      1     0    0    3
三、  （一）予以公开               1    0    0      0     0    1    2
本年  （二）部分公开（区分处理的，只计这
                          2    0    1      1     0    1    5
度办  一情形，不计其他情形）
理结        1、属于国家秘密        1    0    1      0     1    1    4
 果        2、其他法律行政法规禁止
                          0    1    0      2     0    0    3
           公开
           3、危及三安全一稳定     0    1    0      1     0    0    2
    （三）不   4、保护第三方合法权益    1    1    0      0     0    0    2
    予公开    5、属于第三类内部事务信
                          3    0    0      1     0    1    5
           息
           6、属于四类过程性信息    0    0    1      0     1    1    3
           7、属于行政执法案卷     0    0    0      1     1    0    2
           8、属于行政查询事项     1    0    1      0     1    1    4
           1、本机关不掌握相关政府
                          4    1    0      0     0    0    5
           信息
    （四）无   2、没有现成信息需要另行
                          0    0    1      1     0    1    3
    法提供    制作
           3、补正后申请内容仍不明
                          0    1    2      2     0    1    6
           确
    （五）不   1、信访举报类申请      0    1    1      1     0    0    3
    予处理    2、重复申请         0    1    1      0     0    1    3
           3、要求提供公开出版物    1    1    0      0     0    0    2
           4、无正当理由大量反复申   1    0    0      1     1    1    4
           请
                 5、要求行政机关确认或重
                                      2    0         0        1         0    0    3
                 新出具已获取信息
                 1、申请人无正当理由逾期
                 不补正、行政机关不再处理         6    0         1        1         2    0    10
                 其政府信息公开申请
     （六）其        2、申请人逾期未按收费通
     他处理         知要求缴纳费用、行政机关
                                      0    1         0        1         0    0    2
                 不再处理其政府信息公开申
                 请
                 3、其他                 0    1         0        1         0    1    3
    （七）总计                            23    10       10        15        7    11   76
四，结转下年度继续办理                           0    0         0         2        1     2    5
"""


def test_left_label_piece_beside_the_next_piece_of_a_wrapped_row_label():
    """Before: the line "他处理  知要求缴纳费用、行政机关" ended the pending row label "2、申请人逾期未按收费通",
    so "知要求缴纳费用、行政机关" and its values became a sub-row of （六）2 (status missing)."""
    rep = extract(read_bytes(T3_LAYOUT_BESIDE.encode("utf-8"), "layout.txt"))
    cols = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
    printed = {"other_1": (6, 0, 1, 1, 2, 0, 10), "other_2": (0, 1, 0, 1, 0, 0, 2),
               "other_3": (0, 1, 0, 1, 0, 1, 3), "total": (23, 10, 10, 15, 7, 11, 76),
               "carried_forward": (0, 0, 0, 2, 1, 2, 5), "not_processed_5": (2, 0, 0, 1, 0, 0, 3)}
    for row, values in printed.items():
        got = [(rep.cell("t3", row, c).value, rep.cell("t3", row, c).status) for c in cols]
        assert got == [(v, "read") for v in values], row
    assert not [x for x in rep.extra_rows if x.table == "t3"]


# --------------------------------------------------------------------------- reworded reports
import random  # noqa: E402
import re  # noqa: E402

from nianbao.labels import strip_numbering  # noqa: E402
from nianbao.render import to_text  # noqa: E402
from nianbao.synth import random_report  # noqa: E402


def _report(seed: int, fmt: str) -> dict:
    return random_report(random.Random(seed), fmt)


def _extract_text(text: str):
    return extract(read_bytes(text.encode("utf-8"), "r.txt"))


def test_comma_printed_for_the_enumeration_comma_in_row_labels():
    """formats.md: "，" is printed for "、". Before: "一，本年新收…", "二，上年结转…", "四，结转下年度…" and
    "1，属于国家秘密" were not recognised as row labels (the numbering was not stripped): 表三 rows missing."""
    for seed, fmt in ((3, "2021"), (4, "2019")):
        report = _report(seed, fmt)
        text = to_text(report, "tabbed")
        text = re.sub(r"(?m)^([一二四])、(本年新收|上年结转|结转下年度)", r"\1，\2", text)
        text = re.sub(r"(?m)(^|\t)([1-8])\.(?=\D)", r"\1\2，", text)
        assert "一，本年新收" in text and "\t1，属于国家秘密" in text
        got = _extract_text(text)
        assert got.tables() == report["tables"]


def test_comma_inside_a_number_is_not_numbering():
    assert strip_numbering("1，234") == "1，234"
    assert strip_numbering("一，本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert strip_numbering("3，危及三安全一稳定") == "危及三安全一稳定"


def test_sections_numbered_with_bracketed_chinese_numerals():
    """formats.md accepts section numbering "(一)". Before: "（一）总体情况" … "（六）其他需要报告的事项" were
    all taken for sub-headings: no section found, and 表四 (whose end is bounded by 五's heading) lost."""
    for seed, fmt in ((5, "2021"), (6, "2019")):
        report = _report(seed, fmt)
        for sec in report["sections"]:
            sec["title"] = "（" + sec["title"].replace("、", "）", 1)
        text = to_text(report, "tabbed")
        assert "（四）政府信息公开行政复议、行政诉讼情况" in text
        got = _extract_text(text)
        assert [s.number for s in got.sections] == [1, 2, 3, 4, 5, 6]
        assert [s.title for s in got.sections] == [s["title"] for s in report["sections"]]
        assert got.tables() == report["tables"]


def test_sub_headings_in_brackets_stay_sub_headings():
    """Section 一 of a report numbered 一、… has "（一）主动公开" paragraphs: they must not become sections."""
    report = _report(7, "2021")
    report["sections"][0]["text"] += "\n（二）主动公开情况\n（四）其他需要报告的事项"
    got = _extract_text(to_text(report, "tabbed"))
    assert [(s.number, s.title) for s in got.sections] == [(s["number"], s["title"]) for s in report["sections"]]


def test_org_read_from_a_title_with_guanyu():
    """Before: "临川市教育局关于2021年政府信息公开工作的年度报告" gave the org "临川市教育局关于", refused
    (no organisation suffix), and no org when the text did not name it elsewhere."""
    report = random_report(random.Random(8), "2021", org="临川市教育局", year=2021)
    report["title"] = "临川市教育局关于2021年政府信息公开工作的年度报告"
    report["preamble"] = "本报告根据《中华人民共和国政府信息公开条例》要求编制。"
    for sec in report["sections"]:
        sec["text"] = sec["text"].replace("临川市教育局", "本机关")
    got = _extract_text(to_text(report, "tabbed"))
    assert (got.org, got.year) == ("临川市教育局", 2021)


# -- 表四's header row left as a text line ------------------------------------------------------------
def test_t4_header_printed_as_a_line_still_starts_the_table():
    """A PDF table without rules whose header row stayed behind as a text line: the line
    "行政复议    行政诉讼" starts 表四 (the heading that names both does not)."""
    import json
    from pathlib import Path

    from nianbao import extract, read_bytes
    from nianbao.document import Paragraph, Table
    from nianbao.extract.tables import _is_anchor

    fix = Path(__file__).parent / "fixtures" / "same_report"
    expected = json.loads((fix / "report.json").read_text(encoding="utf-8"))
    doc = read_bytes((fix / "report.html").read_bytes(), "report.html")
    k, t4 = [(k, b) for k, b in enumerate(doc.blocks) if isinstance(b, Table)][-1]
    for row in t4.rows:
        for cell in row:
            if cell is not None and cell.text.strip() in ("行政复议", "行政诉讼"):
                cell.text = ""
    doc.blocks.insert(k, Paragraph("行政复议　　　　行政诉讼"))
    assert extract(doc).tables()["t4"] == expected["tables"]["t4"]
    assert not _is_anchor("t4", "四、政府信息公开行政复议、行政诉讼情况", False)


def test_wrapped_number_keeps_its_column_and_is_missing():
    import json
    from pathlib import Path

    from nianbao import extract, read_bytes

    fix = Path(__file__).parent / "fixtures" / "same_report"
    expected = json.loads((fix / "report.json").read_text(encoding="utf-8"))["tables"]["t3"]["new_received"]
    text = (fix / "report_pipes.txt").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "本年新收" in ln)
    assert "| 27 |" in line
    report = extract(read_bytes(text.replace(line, line.replace("| 27 |", "| 2,7 |")).encode("utf-8"), "p.txt"))
    cv = report.cell("t3", "new_received", "commercial")
    assert (cv.status, cv.value, cv.raw) == ("missing", None, "2,7") and "2,7" in cv.note
    got = report.tables()["t3"]["new_received"]
    assert {k: v for k, v in got.items() if k != "commercial"} == \
        {k: v for k, v in expected.items() if k != "commercial"}
    from nianbao.checks import run_checks
    assert [f.code for f in run_checks(report) if f.table == "t3"] == ["R103"]     # the reviewer is told
