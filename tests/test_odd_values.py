"""Odd things printed where a number belongs, and a file cut in the middle of a number.

Each odd value keeps its column; it is read only when the number is certain, else its cell is
missing with a note that quotes the print (never blank, never a neighbour's value). The table
of cases is the one in the README (输出 / What extraction gives)."""
import random

import pytest

from nianbao import extract, read_bytes
from nianbao.extract.numbers import parse_value
from nianbao.render import to_html, to_text
from nianbao.synth import random_report
from nianbao.extract import notes as N

# printed → (status, value, unit) in a count column of 表三; None unit = as the parser says
COUNT_CASES = {
    "+22": ("read", 22),
    "--253": ("missing", None),
    "12.5万": ("missing", None),
    "约5": ("missing", None),
    "（5）": ("missing", None),
    "(5)": ("missing", None),
    "5 6": ("missing", None),
    "1 2": ("missing", None),
    "1O": ("missing", None),
    "l2": ("missing", None),
    "O": ("missing", None),
    "5-6": ("missing", None),
    "50%": ("missing", None),
    "3余": ("missing", None),
    "不适用": ("not_applicable", None),
    "不涉及": ("not_applicable", None),
    "暂无": ("missing", None),
    "见附件": ("missing", None),
    "未统计": ("missing", None),
    "２ ３": ("missing", None),
    "？": ("missing", None),          # a typo with no digit: never a label, never blank (fuzz p17, p01)
    "#REF!": ("missing", None),      # a spreadsheet's error code (fuzz portal_split.html, p21)
}


def _report(fmt="2021", seed=3):
    rep = random_report(random.Random(seed), fmt, zero_share=0.2)
    n = 101
    for rows in rep["tables"].values():
        for cols in rows.values():
            for c in cols:
                cols[c] = n                      # every value distinct: a shift would show
                n += 1
    return rep


def _extract(rep, kind):
    if kind == "html":
        return extract(read_bytes(to_html(rep).encode("utf-8"), "r.html"))
    return extract(read_bytes(to_text(rep, kind).encode("utf-8"), "r.txt"))


@pytest.mark.parametrize("kind", ["tabbed", "cell_per_line", "pipes", "html"])
@pytest.mark.parametrize("printed", list(COUNT_CASES))
def test_odd_value_in_a_count_cell(printed, kind):
    rep = _report()
    want = rep["tables"]["t3"]["partial"].copy()
    rep["tables"]["t3"]["partial"]["research"] = printed
    got = _extract(rep, kind)
    cv = got.cell("t3", "partial", "research")
    status, value = COUNT_CASES[printed]
    assert (cv.status, cv.value) == (status, value)
    assert cv.note and printed.strip() in cv.note          # the note quotes the print
    others = {k: v for k, v in got.tables()["t3"]["partial"].items() if k != "research"}
    assert others == {k: v for k, v in want.items() if k != "research"}
    assert all(got.cell("t3", "partial", c).status == "read" for c in others)


def test_a_plus_sign_in_a_signed_column_is_normal():
    """2019 本年增/减 prints "+22": read, no note."""
    rep = _report("2019")
    rep["tables"]["t2"]["licensing"]["change"] = "+22"
    cv = _extract(rep, "tabbed").cell("t2", "licensing", "change")
    assert (cv.status, cv.value, cv.note) == ("read", 22, None)


def test_wan_in_a_money_column_is_read_in_wan_yuan():
    rep = _report("2021")
    rep["tables"]["t2"]["fees"]["amount"] = "12.5万"
    cv = _extract(rep, "tabbed").cell("t2", "fees", "amount")
    assert (cv.status, cv.value, cv.unit) == ("read", 12.5, "万元") and "12.5万" in cv.note


def test_seven_typos_in_one_row_never_shift_it():
    """Before: seven junk cells in one 表三 row shifted the row, every cell `read`."""
    rep = _report()
    junk = ["1O", "5 6", "暂无", "--253", "约5", "（5）", "见附件"]
    want = {r: dict(v) for r, v in rep["tables"]["t3"].items()}
    for c, j in zip(list(rep["tables"]["t3"]["denied_4"]), junk):
        rep["tables"]["t3"]["denied_4"][c] = j
    for kind in ("tabbed", "cell_per_line", "pipes", "html"):
        got = _extract(rep, kind)
        for (t, r, c), cv in got.cells.items():
            if t != "t3":
                continue
            if r == "denied_4":
                assert cv.status == "missing" and cv.value is None and cv.raw in junk, (kind, c)
            else:
                assert (cv.status, cv.value) == ("read", want[r][c]), (kind, r, c)


def test_parser_keeps_labels_labels():
    for raw in ("1.属于国家秘密", "2020年", "第3页", "- 3 -", "第二十条第（一）项", "（一）予以公开", "规章",
                "0.5万元以上的项目", "3/5"):
        assert parse_value(raw) is None, raw
    for raw in ("1.", "（5）", "(12)"):
        p = parse_value(raw)
        assert p.weak and p.status == "missing", raw
    assert parse_value("12\n3").value == 123          # a number wrapped in a narrow cell


# -- a file cut in the middle of a number -------------------------------------------------------------
def _cut_after(text: str, token: str, keep: int) -> str:
    """The text up to the first `keep` characters of the last cell printing `token`."""
    at = text.rindex(token)
    return text[:at + keep]


@pytest.mark.parametrize("kind", ["tabbed", "cell_per_line", "pipes", "html"])
def test_a_number_cut_at_the_end_of_the_file_is_not_read(kind):
    rep = _report()
    rep["tables"]["t3"]["denied_2"]["research"] = 12
    src = to_html(rep) if kind == "html" else to_text(rep, kind)
    name = "r.html" if kind == "html" else "r.txt"
    marker = ">12<" if kind == "html" else "12"
    lines_before = src[:src.index("（三）不予公开") if kind != "html" else src.index("2.其他法律行政法规禁止公开")]
    cut = src[:src.index(marker, len(lines_before)) + (2 if kind == "html" else 1)]       # "12" → "1"
    got = extract(read_bytes(cut.encode("utf-8"), name))
    cv = got.cell("t3", "denied_2", "research")
    assert (cv.status, cv.value) == ("missing", None) and N.TRUNCATED in cv.note
    assert got.cell("t3", "denied_2", "commercial").value == rep["tables"]["t3"]["denied_2"]["commercial"]
    assert got.cell("t3", "denied_2", "social").status == "missing"       # not printed at all
    # the same text with a line end after the "1": the cell is complete as far as anyone can tell
    if kind != "html":
        whole = extract(read_bytes((cut + "\n").encode("utf-8"), name)).cell("t3", "denied_2", "research")
        assert (whole.status, whole.value) == ("read", 1)


def test_a_count_printed_0_at_the_cut_is_still_read():
    """No count goes on "0…", so a cut right after a 0 keeps it (as tests/golden/p17 expects)."""
    rep = _report()
    rep["tables"]["t3"]["denied_2"]["research"] = 0
    src = to_text(rep, "pipes")
    start = src.index("2.其他法律行政法规禁止公开")
    line = src[start:src.index("\n", start)]
    cells = [c.strip() for c in line.split("|")]
    k = cells.index("0")
    cut = src[:start] + "|".join(line.split("|")[:k]) + "| 0"
    cv = extract(read_bytes(cut.encode("utf-8"), "r.txt")).cell("t3", "denied_2", "research")
    assert (cv.status, cv.value) == ("read", 0)


def test_utf16_text_cut_in_a_number():
    rep = _report()
    rep["tables"]["t3"]["denied_2"]["research"] = 12
    src = to_text(rep, "cell_per_line")
    cut = src[:src.index("\t12\n", src.index("2.其他法律行政法规禁止公开")) + 2]
    cv = extract(read_bytes(cut.encode("utf-16"), "r.txt")).cell("t3", "denied_2", "research")
    assert (cv.status, cv.value) == ("missing", None)


# -- numbers wrapped in narrow cells (a PDF, `pdftotext -layout`) --------------------------------------
FIX = __import__("pathlib").Path(__file__).parent / "fixtures" / "same_report"
ROW = "一、本年新收政府信息公开申请数量"


def _check_wrapped(got):
    """Before: the label row's last digits ("8 … 0") were read as the row, every cell `read`."""
    import json
    want = json.loads((FIX / "report.json").read_text(encoding="utf-8"))["tables"]["t3"]
    for c, v in want["new_received"].items():
        cv = got.cell("t3", "new_received", c)
        assert (cv.status, cv.value) in (("missing", None), ("inferred", v)), c   # never a wrong value
    assert "wrapped-row" in [p.code for p in got.problems]
    rest = {r: v for r, v in got.tables()["t3"].items() if r != "new_received"}
    assert rest == {r: v for r, v in want.items() if r != "new_received"}


def test_numbers_wrapped_above_the_label_line_of_a_text_layout():
    text = (FIX / "report_layout.txt").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith(ROW))
    assert line.split()[1:] == ["126", "27", "7", "4", "13", "10", "187"]
    # 1,268 and 1,870 too wide for their cells: the first parts stand on the line above
    wrapped = (" " * 40 + "1,26" + " " * 30 + "1,87\n"
               + line.replace(" 126 ", "   8 ").replace(" 187", "   0"))
    _check_wrapped(extract(read_bytes(text.replace(line, wrapped).encode("utf-8"), "r.txt")))


def test_numbers_wrapped_into_a_grid_row_above_the_label_row():
    """A PDF table rebuilt from text positions puts the first parts in a row of their own."""
    src = (FIX / "report.html").read_text(encoding="utf-8")
    i = src.index(ROW)
    a, b = src.rindex("<tr", 0, i), src.index("</tr>", i) + 5
    row = src[a:b]
    frag = ("<tr><td colspan=\"3\"></td><td>1,26</td><td></td><td></td><td></td><td></td><td></td>"
            "<td>1,87</td></tr>")
    new = row.replace(">126<", ">8<").replace(">187<", ">0<")
    _check_wrapped(extract(read_bytes((src[:a] + frag + new + src[b:]).encode("utf-8"), "r.html")))


def test_a_number_wrapped_on_the_label_row_over_the_values_row():
    """A PDF table without rules, a narrow 总计 column (r005 of bench/accuracy.py, `*/big`): the
    label row holds only the total's first digits, the other values stand on the row under it and
    the total's last digit on the row after, beside the label's last character. Before: the row's
    values were read in item order, "18" in 自然人 and every other value one column to the right."""
    src = (FIX / "report.html").read_text(encoding="utf-8")
    i = src.index(ROW)
    a, b = src.rindex("<tr", 0, i), src.index("</tr>", i) + 5
    vals = "".join(f"<td>{v}</td>" for v in (126, 27, 7, 4, 13, 10))
    rows = (f"<tr><td colspan=\"3\" rowspan=\"2\">{ROW[:-1]}</td>" + "<td></td>" * 6 + "<td>18</td></tr>"
            f"<tr>{vals}<td></td></tr>"
            f"<tr><td colspan=\"3\">{ROW[-1]}</td>" + "<td></td>" * 6 + "<td>7</td></tr>")
    _check_wrapped(extract(read_bytes((src[:a] + rows + src[b:]).encode("utf-8"), "r.html")))


def test_a_row_with_more_values_than_columns_is_missing_not_cut_to_fit():
    """A value line printed twice in one-cell-per-line text (8 values for 7 columns): which one is
    extra is unknown. Before: the first seven were read, shifting the last columns."""
    rep = _report()
    src = to_text(rep, "cell_per_line")
    start = src.index("2.其他法律行政法规禁止公开")
    v = rep["tables"]["t3"]["denied_2"]["research"]
    at = src.index(f"\t{v}\n", start)
    src = src[:at] + f"\t{v}\n" + src[at:]
    got = extract(read_bytes(src.encode("utf-8"), "r.txt"))
    for c in rep["tables"]["t3"]["denied_2"]:
        cv = got.cell("t3", "denied_2", c)
        assert cv.status != "read" and cv.value in (None, rep["tables"]["t3"]["denied_2"][c]), c
    assert "long-row" in [p.code for p in got.problems]


def test_a_text_cut_inside_the_header_of_a_table_reads_its_cells_missing_not_blank():
    """report_layout.txt cut right after 表四's last header line ("… 总计", no line end): the long header
    line ends the table's region, yet nothing follows it, so every 表四 cell is cut, not printed blank."""
    text = (FIX / "report_layout.txt").read_text(encoding="utf-8")
    header = text.index("\n", text.index("维持   纠正    结果    审结"))
    cut = extract(read_bytes(text[:header].encode("utf-8"), "r.txt"))
    t4 = [cv for (t, _, _), cv in cut.cells.items() if t == "t4"]
    assert t4 and all((cv.status, cv.note) == ("missing", N.ROW_CUT) for cv in t4)
    assert cut.cell("t3", "total", "total").status == "read"
    whole = extract(read_bytes(text.encode("utf-8"), "r.txt"))
    assert all(cv.status == "read" for (t, _, _), cv in whole.cells.items() if t == "t4")


def test_a_text_cut_after_the_indent_of_a_cell_line_reads_that_cell_missing_not_blank():
    """A cell-per-line text ("\\t0" a line) cut after the tab of a line: that line's cell is cut off,
    not printed blank; the cells before it are read."""
    seed = (FIX.parent.parent / "data" / "seeds" / "001_31451f56acce7a8f.txt").read_bytes()
    at = seed.index("8.属于行政查询事项".encode())
    cut = seed[:at]
    for _ in range(6):                                   # the label line and five value lines
        cut = seed[:seed.index(b"\n", len(cut) + 1)]
    cut += b"\n\t"
    got = extract(read_bytes(cut, "r.txt"))
    assert [got.cell("t3", "denied_8", c).status for c in ("natural", "legal", "other_org", "total")] == \
        ["read", "read", "missing", "missing"]
    assert N.TRUNCATED in got.cell("t3", "denied_8", "other_org").note
    whole = extract(read_bytes(cut + b"0\n", "r.txt")).cell("t3", "denied_8", "other_org")
    assert (whole.status, whole.value) == ("read", 0)


_PORTAL = FIX.parent / "html_layouts" / "portal_split.html"


@pytest.mark.parametrize("row,to,cell", [
    ("<tr><td colspan=\"4\">第二十条第（六）项", "<ur", ("t2", "licensing", "decisions")),   # "128 第二十条…"
    ("<td>126</td>", "<ud", ("t3", "new_received", "natural")),         # cells moved before the table
    ("<tr><td colspan=\"3\">四、结转下年", "<ur", ("t3", "carried_forward", "natural")),  # "…继续办理72101112"
    ("<tr><td>3</td><td>1</td><td>2</td>", "<ur", ("t4", "review", "maintain")),          # t4's values row
])
def test_a_web_row_whose_tag_is_damaged_is_missing_not_blank(row, to, cell):
    """One <tr>/<td> flipped to <ur>/<ud>: the parser runs the row's values into other text or out of
    the table. The row's cells are missing with a note quoting what is printed, never blank."""
    src = _PORTAL.read_text(encoding="utf-8")
    at = src.index(row)
    damaged = src[:at] + to + src[at + len(to):]
    assert extract(read_bytes(src.encode("utf-8"), "r.html")).cell(*cell).status == "read"
    cv = extract(read_bytes(damaged.encode("utf-8"), "r.html")).cell(*cell)
    assert cv.status == "missing" and cv.value is None and "请人工核对原文" in cv.note
