"""Cases `bench/fuzz.py --n 5000 --seed 16` found in the real text exports (tests/data/real) and the
fixtures, each reduced to the one edit that caused it. A printed value whose cell cannot be certain
is `missing` with a note, never `blank` and never a neighbour's value."""
from pathlib import Path

from nianbao import extract, read_bytes
from nianbao.extract import notes as N

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "data" / "real"


def _edit(name: str, old: str, new: str, count: int = 1):
    text = (REAL / name).read_text(encoding="utf-8") if (REAL / name).exists() else \
        (ROOT / name).read_text(encoding="utf-8")
    assert old in text
    return extract(read_bytes(text.replace(old, new, count).encode("utf-8"), name)), \
        extract(read_bytes(text.encode("utf-8"), name))


def _missing_with_note(cv, quote: str | None = None) -> bool:
    return cv.status == "missing" and cv.value is None and bool(cv.note) and (quote is None or quote in cv.note)


def test_a_question_mark_in_a_pipe_row_is_missing_not_blank():
    """p17 junk: "行政处罚 | ？ |" — the "？" stands where the number was."""
    got, base = _edit("p17_haizhu_guanzhou_2023.txt", "行政处罚 | 1472 |", "行政处罚 | ？ |")
    assert base.cell("t2", "punishment", "decisions").value == 1472
    assert _missing_with_note(got.cell("t2", "punishment", "decisions"), "？")


def test_a_question_mark_cell_in_a_blank_separated_table_keeps_the_table_going():
    """p01 junk: a cell line "？" in the blank-line-separated layout looked like the end of a sentence and
    ended the table, so the row before it read blank."""
    got, base = _edit("p01_yuyang_tuofenglu_2020.txt", "政府集中采购\n\n0\n\n0\n", "政府集中采购\n\n？\n\n（5）\n")
    assert base.cell("t2", "procurement", "count").status == "read"
    for col in ("count", "amount"):
        assert _missing_with_note(got.cell("t2", "procurement", col)), col
    assert got.cell("t3", "total", "total").status == base.cell("t3", "total", "total").status


FIX = ROOT / "fixtures" / "same_report"


def test_junk_in_the_values_line_of_a_space_aligned_table_keeps_the_line_a_row():
    """report_layout.txt: "约5" as the last value of 表四's one values line made the line prose, and all
    of 表四 read blank. The line stays the table's row; only the junk cell is missing."""
    text = (FIX / "report_layout.txt").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.split() == "3 1 2 1 7 2 1 1 1 5 1 1 0 2 4".split())
    for junk in ("约5", "（5）", "见附件", "？", "5、6"):
        got = extract(read_bytes(text.replace(line, line[:line.rindex("4")] + junk).encode("utf-8"), "r.txt"))
        assert (got.cell("t4", "review", "maintain").status, got.cell("t4", "review", "maintain").value) == ("read", 3)
        assert got.cell("t4", "after_review", "pending").value == 2, junk
        assert _missing_with_note(got.cell("t4", "after_review", "total")), junk


def test_a_label_line_doubled_in_a_pipe_export_is_one_label():
    """p05 dup-line:17: the 规范性文件 label line printed twice made the first copy a row without values
    (blank) and dropped the second, which had them."""
    text = (REAL / "p05_huangpi_sanliqiao_2020.txt").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines(keepends=True) if l.startswith("规范性文件("))
    got = extract(read_bytes(text.replace(line, line + line, 1).encode("utf-8"), "p05.txt"))
    assert [got.cell("t2", "normative", c).value for c in ("made", "published", "total")] == [87, 0, 0]


def test_a_row_printed_twice_with_different_values_is_missing():
    """The same row printed twice (a doubled line, a damaged row) with different values: which is the
    row's cannot be known, so neither is taken."""
    text = (FIX / "report_pipes.txt").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines(keepends=True) if l.startswith("| 规章 |"))
    assert line == "| 规章 | 0 | 0 | 0 |\n"
    other = "| 规章 | 9 | 0 | 0 |\n"
    got = extract(read_bytes(text.replace(line, line + other, 1).encode("utf-8"), "r.txt"))
    cv = got.cell("t2", "regulations", "made")
    assert _missing_with_note(cv, "不止一次")
    assert any(p.code == "duplicate-row-differs" for p in got.problems)
    same = extract(read_bytes(text.replace(line, line + line, 1).encode("utf-8"), "r.txt"))
    assert same.cell("t2", "regulations", "made").status == "read"


def test_a_cell_separator_flipped_into_text_glues_the_value_to_the_label_row_missing_not_blank():
    """p07 flip: " 行政许可  | " became " 行政许可  } ", so the export glued the value line to the label
    ("行政许可  }\\n0") and the row's own cells were empty: the row is missing, never blank."""
    got, base = _edit("p07_cqsdj_ytz_2022.txt", " 行政许可  | \n", " 行政许可  } \n")
    assert base.cell("t2", "licensing", "decisions").status == "read"
    assert _missing_with_note(got.cell("t2", "licensing", "decisions"), "请人工核对原文")


def test_a_control_character_before_a_value_is_not_text():
    """p21 flip: the line end before "0" became \\x02; the cell "\\x020" shows as 0 (read), and a cell
    holding only a control character is missing, not blank."""
    got, _ = _edit("p21_beichen_jiarongli_2021.txt", "行政强制 |\n0 | ||", "行政强制 |\x020 | ||")
    assert (got.cell("t2", "coercion", "decisions").status, got.cell("t2", "coercion", "decisions").value) == ("read", 0)
    got, _ = _edit("p21_beichen_jiarongli_2021.txt", "行政强制 |\n0 | ||", "行政强制 |\n\x10 | ||")
    assert _missing_with_note(got.cell("t2", "coercion", "decisions"), "控制字符")


def test_a_utf16_text_cut_after_a_values_half_character_is_not_blank():
    """p15 truncate:1263: a UTF-16 file cut in the byte after "规章\\n\\n0" decodes to "0\\ufffd": the row
    is missing with a note (the undecodable byte), not blank."""
    text = (REAL / "p15_tongyu_tuanjie_2020.txt").read_text(encoding="utf-8")
    data = text.encode("utf-16")
    at = data.index("规章\n\n0".encode("utf-16-le")) + len("规章\n\n0".encode("utf-16-le")) + 1
    got = extract(read_bytes(data[:at], "p15.txt"))
    for c in ("made", "published", "total"):
        cv = got.cell("t2", "regulations", c)
        assert cv.status == "missing" and cv.note, c


def test_a_web_page_cut_in_an_open_cell_reads_that_cell_cut_not_blank():
    """report.html cut right after '<td class="value">' (truncate:4965): the opened cell is cut off."""
    src = (FIX / "report.html").read_bytes()
    row = src.index("二、上年结转".encode())
    at = src.index(b'<td class="value">', src.index(b'<td class="value">', row) + 1) + len(b'<td class="value">')
    got = extract(read_bytes(src[:at], "report.html"))
    assert got.cell("t3", "carried_over", "natural").status == "read"
    cv = got.cell("t3", "carried_over", "commercial")
    assert cv.status == "missing" and N.TRUNCATED in cv.note


def test_a_web_page_cut_inside_a_closing_tag_reads_the_cut_number_missing():
    """word_gb2312.html truncate:23132: cut in "…>1</span>…>.</span>…>2</": the cell shows "1.2" and the
    cut tag; the number may go on, so it is missing, never blank or 1.2."""
    src = (ROOT / "fixtures" / "html_layouts" / "word_gb2312.html").read_bytes()
    at = src.index(b">2</", src.index("行政事业性收费".encode("gb18030"), src.index(b"<table"))) + 4
    got = extract(read_bytes(src[:at], "w.html"))
    cv = got.cell("t2", "fees", "amount")
    assert cv.status == "missing" and cv.value is None and cv.note


def test_trailing_spaces_change_no_cell_of_a_text_cut_in_a_table():
    """p01 whitespace (the last OPEN fuzz item): p01 ends inside 表三 with blank lines and a last line of
    one space. Spaces at the end of every line and a final line end made the last cut cell blank."""
    text = (REAL / "p01_yuyang_tuofenglu_2020.txt").read_text(encoding="utf-8")
    spaced = "".join(line + "  \n" for line in text.splitlines())
    a = extract(read_bytes(text.encode("utf-8"), "p01.txt"))
    b = extract(read_bytes(spaced.encode("utf-8"), "p01.txt"))
    assert a.cell("t3", "granted", "total").status == "missing"
    assert {k: (cv.status, cv.value) for k, cv in b.cells.items()} == {k: (cv.status, cv.value) for k, cv in a.cells.items()}


def test_a_final_line_end_makes_no_empty_cell():
    """A blank-line-separated table at the end of a file that ends "0\\n\\n": the file's last line end
    starts no line, so no empty cell follows the last value."""
    text = (REAL / "p01_yuyang_tuofenglu_2020.txt").read_text(encoding="utf-8")
    head = text[:text.index("(一)予以公开")] + "(一)予以公开\n\n5\n\n"
    cv = extract(read_bytes(head.encode("utf-8"), "p01.txt")).cell("t3", "granted", "commercial")
    assert cv.status == "missing" and N.TRUNCATED in cv.note


def test_prose_after_table_four_when_the_next_heading_is_lost_is_not_its_label():
    """report_layout.txt del-line: without the 「五、…」 heading, the short prose lines of section 五 joined
    表四's region and the last of them was taken as the label its values follow: all of 表四 read blank."""
    text = (FIX / "report_layout.txt").read_text(encoding="utf-8")
    heading = next(l for l in text.splitlines(keepends=True) if l.strip().startswith("五、"))
    got = extract(read_bytes(text.replace(heading, "", 1).encode("utf-8"), "r.txt"))
    assert (got.cell("t4", "review", "maintain").status, got.cell("t4", "review", "maintain").value) == ("read", 3)
    assert got.cell("t4", "after_review", "total").value == 4
