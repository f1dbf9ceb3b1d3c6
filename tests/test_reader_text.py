"""Text reader: encodings and the layouts of real exports."""
import pytest

from nianbao import extract, read_bytes
from nianbao.document import Table
from nianbao.errors import ReadError

from .conftest import DATA


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
