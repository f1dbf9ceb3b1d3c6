"""Property: junk printed in value cells never moves a value into another column.

The story (issue 16): seven typos in one 表三 row used to shift the whole row, every cell `read`;
a cell holding "5 6" was read as 56; "暂无" or "1O" in a cell was taken for a row label, so the
values after it went to a made-up row and the real row came out blank.

Each report below first gets a distinct number in every value cell (so a value found in the wrong
column shows), is extracted once (the base), then one, several, or a whole row of its value
cells are replaced by junk tokens and it is extracted again. Invariants:

- no cell that was not mutated changes its status or value (an `inferred` cell may become
  `missing` when the identity it was inferred from lost a cell);
- a mutated cell is never `blank` and never `read` (except "12.5万" in a money column, read as
  12.5 万元): it is `missing` (or `not_applicable` for 「不适用」) with a note that quotes what
  was printed.

Two levels: the `Document` of real seeds and fixtures (extraction alone, on linear tables and
real grids), and the bytes of random reports written as text (three layouts) and HTML (reader
and extraction together).
"""
import copy
import random
import re
from pathlib import Path

import pytest

from nianbao import extract, read_bytes
from nianbao.document import Paragraph, Table
from nianbao.extract.numbers import parse_value
from nianbao.readers import read
from nianbao.render import to_html, to_text
from nianbao.synth import random_report

HERE = Path(__file__).parent
ROOT = HERE.parent
JUNK = ("5 6", "1 2", "--253", "12.5万", "约5", "（5）", "不适用", "暂无", "见附件", "1O", "l2", "O", "5-6",
        "3余", "50%", "未统计", "(7)")
# junk with one certain reading (in a money column only: "12.5万" is 12.5 万元; elsewhere missing)
CERTAIN = {"12.5万": (12.5, "万元")}
SOURCES = sorted((HERE / "data" / "seeds").glob("*.txt")) + sorted((ROOT / "src/nianbao/examples").glob("*.txt")) + [
    HERE / "fixtures" / "same_report" / name for name in (
        "report.html", "report.docx", "report.pdf", "report2019.html", "report2019.docx", "report2019.pdf",
        "report_cpl.txt", "report_pipes.txt", "report_layout.txt", "report2019_cpl.txt", "report2019_pipes.txt",
        "report2019_layout.txt")] + [HERE / "data" / "real" / "h02_hongze_qzf_2024.pdf"]


def _value_blocks(doc):
    """Every cell or paragraph of the document whose text is a number as printed."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            cands = [b]
        else:
            cands = [c for r, row in enumerate(b.rows) for k, c in enumerate(row)
                     if c is not None and c.row == r and c.col == k]
        for c in cands:
            p = parse_value(c.text.strip())
            if p is not None and p.status == "read":
                out.append(c)
    return out


def _uniquified(path):
    doc = read(path)
    for i, c in enumerate(_value_blocks(doc)):
        c.text = str(7001 + i)
    return doc


def _read_cells(report):
    """value → cell key for the cells read with a distinct value."""
    return {cv.value: k for k, cv in report.cells.items() if cv.status == "read" and isinstance(cv.value, int)
            and cv.value > 7000}


def _check(base, got, mutated: dict) -> list:
    """The invariants above; returns the violations (empty when all hold)."""
    bad = []
    for k, cv in base.cells.items():
        nv = got.cells[k]
        if k in mutated:
            certain = nv.status == "read" and CERTAIN.get(mutated[k]) == (nv.value, nv.unit)
            if (nv.status not in ("missing", "not_applicable") and not certain) or not nv.note \
                    or mutated[k].strip() not in nv.note:
                bad.append(("mutated", k, mutated[k], nv.status, nv.value, nv.note))
            continue
        if (nv.status, nv.value) == (cv.status, cv.value):
            continue
        if cv.status == "inferred" and nv.status == "missing":
            continue
        bad.append(("moved", k, (cv.status, cv.value), (nv.status, nv.value, nv.raw)))
    return bad


def _mutations(rng, keys_by_row, how):
    """The cells to mutate: `how` random value cells, or every cell of one row. Each gets a
    different junk token (the text reader keeps a text repeated across a pipe row's cells once,
    as a merged cell; the row is then short and missing, which is right but not this test)."""
    keys = [k for row in keys_by_row.values() for k in row]
    if how == "row":
        return list(rng.choice([r for r in keys_by_row.values() if len(r) > 1]))
    return rng.sample(keys, min(how, len(keys)))


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_junk_in_value_cells_of_real_documents_never_moves_a_value(path):
    doc0 = _uniquified(path)
    base = extract(copy.deepcopy(doc0))
    by_value = _read_cells(base)
    assert len(by_value) > 100            # the uniquified values are read back in their cells
    rng = random.Random(f"{path.name}-16")
    failures = []
    for trial in range(12):
        doc = copy.deepcopy(doc0)
        blocks = {int(b.text): b for b in _value_blocks(doc) if int(b.text) in by_value}
        keys_by_row: dict = {}
        for v, k in by_value.items():
            keys_by_row.setdefault(k[:2], []).append(k)
        how = (1, 2, 3, "row")[trial % 4]
        chosen = _mutations(rng, keys_by_row, how)
        key_value = {k: v for v, k in by_value.items()}
        mutated = {}
        for k, junk in zip(chosen, rng.sample(JUNK, len(chosen))):
            blocks[key_value[k]].text = junk
            mutated[k] = junk
        failures += _check(base, extract(doc), mutated)
    assert failures == []


def _unique_report(seed: int, fmt: str) -> dict:
    rep = random_report(random.Random(seed), fmt, zero_share=0.3)
    n = 7001
    for rows in rep["tables"].values():
        for cols in rows.values():
            for c in cols:
                cols[c] = n
                n += 1
    return rep


_TOKEN = {
    "text": lambda v: re.compile(rf"(?<=[\t|\n ])\+?{v}(?=[\t|\n ]|$)"),
    "html": lambda v: re.compile(rf"(?<=>)\+?{v}(?=<)"),
}


@pytest.mark.parametrize("kind", ["tabbed", "cell_per_line", "pipes", "html"])
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_junk_in_value_cells_of_written_reports_never_moves_a_value(kind, fmt):
    failures = []
    for seed in range(6):
        rep = _unique_report(seed * 31 + int(fmt), fmt)
        src = to_html(rep) if kind == "html" else to_text(rep, kind)
        name = "r.html" if kind == "html" else "r.txt"
        base = extract(read_bytes(src.encode("utf-8"), name))
        assert base.tables() == rep["tables"]
        by_value = _read_cells(base)
        keys_by_row: dict = {}
        for v, k in by_value.items():
            keys_by_row.setdefault(k[:2], []).append(k)
        key_value = {k: v for v, k in by_value.items()}
        rng = random.Random(seed)
        for how in (1, 3, "row"):
            mutated, text = {}, src
            chosen = _mutations(rng, keys_by_row, how)
            for k, junk in zip(chosen, rng.sample(JUNK, len(chosen))):
                pat = _TOKEN["html" if kind == "html" else "text"](key_value[k])
                text, n = pat.subn(junk.replace("\\", r"\\"), text)
                assert n == 1, (k, key_value[k])
                mutated[k] = junk
            failures += _check(base, extract(read_bytes(text.encode("utf-8"), name)), mutated)
    assert failures == []
