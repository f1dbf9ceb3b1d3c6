"""Cases `bench/fuzz.py --n 5000 --seed 16` found in the real text exports (tests/data/real) and the
fixtures, each reduced to the one edit that caused it. A printed value whose cell cannot be certain
is `missing` with a note, never `blank` and never a neighbour's value."""
from pathlib import Path

from nianbao import extract, read_bytes

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
