"""Linter trust on real layouts: one printed number of 表三/表四 changed in the file itself (text line,
DOCX/HTML text node, PDF words), read again, checked (tests/real_mutation.py; `bench/mutation.py
--real` prints the rates over more mutations).

Every mutation that breaks an identity evaluable on the unmutated file must be reported at error
level on the mutated cell, per layout class, and reading the mutated file must never give a wrong
value (the mutated cell read as another number, or another cell changing). Unmutated files have no
H error except the ones they really print."""
import pytest

from nianbao.checks import run_checks
from nianbao.extract import extract_path
from tests.real_mutation import GENERATED, ROOT, SOURCES, generated, run_all, run_data

PDF = {"real_pdf", "pdf_layouts_pdf", "web_print_pdf", "pdf_bench"}
# H errors the unmutated files really print, read by hand: the fixture's 表三 科研机构 column is
# blank in every row while its 总计 column counts them (scripts/make_pdf_layouts.py).
REAL_H_ERRORS = {("no_vertical_blank_column.docx", "H301", "t3", None, "research"),
                 ("no_vertical_blank_column.pdf", "H301", "t3", None, "research")}

# Text grids whose rows do not keep every empty cell in place (tab rows drop trailing empty cells, a
# markdown conversion prints fewer cells under a merged one): a blanked first or last value leaves the
# row short, and the reader rightly leaves it unread (R103) rather than guess (bench: 91 % and 95 %).
UNSURE_BLANKS = {"gen_text", "gen_markdownify"}


@pytest.fixture(scope="module")
def results():
    out = run_all(per_kind=2, seed=20261204, classes=[c for c in SOURCES if c not in PDF])
    out.update(run_all(per_kind=1, seed=20261204, classes=sorted(PDF - {"real_pdf"})))
    out.update(run_all(per_kind=5, seed=20261204, classes=["real_pdf"]))      # one real PDF: more of it
    out.update(run_all(per_kind=2, seed=20261204, classes=GENERATED, n_generated=4))
    return out


@pytest.mark.parametrize("cls", sorted(SOURCES) + list(GENERATED))
def test_mutations_on_real_layouts_are_errors(results, cls):
    s = results[cls]
    if cls == "real_docx":                  # the real Word file is the blank template: nothing to mutate
        assert s.n == 0 and s.files == 1
        return
    assert s.n >= 10, (cls, s.n)
    assert s.misread == 0 and s.collateral == 0, s.wrong[:5]         # never a wrong value
    assert s.caught >= s.read, s.misses[:5]                           # what is read back is reported
    assert s.caught / s.n >= (0.85 if cls in UNSURE_BLANKS else 0.95), (cls, s.caught, s.n, s.misses[:5])
    assert set(s.false_errors) <= REAL_H_ERRORS, s.false_errors


def test_every_kind_is_exercised(results):
    n = sum(s.n for s in results.values())
    assert n >= 600


# ------------------------------------------------------------------ the seeds, read by hand
# Every non-zero 表三/表四 number printed in the seeds (one cell per line), as read from the text:
# 001 (景山街道 2020): 一 自然人 8, 总计 8; （一）予以公开 自然人 7, 总计 7; （三）2.其他法律行政法规禁止公开
# 自然人 1, 总计 1; （七）总计 自然人 8, 总计 8 — every column and row adds up (8 = 7 + 1, 8 + 0 = 8 + 0).
# 000, 003, 004: every cell printed 0. 002: every cell printed 0 except 表四 行政复议, printed blank; its
# （二）部分公开 and （三）1.属于国家秘密 rows print six 0s for seven columns (not read, inferred 0).
# So no seed breaks an identity: `check` must report no H error on any of them.
SEED_NONZERO = {
    "001": {("t3", "new_received", "natural"): 8, ("t3", "new_received", "total"): 8,
            ("t3", "granted", "natural"): 7, ("t3", "granted", "total"): 7,
            ("t3", "denied_2", "natural"): 1, ("t3", "denied_2", "total"): 1,
            ("t3", "total", "natural"): 8, ("t3", "total", "total"): 8},
}


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seeds_arithmetic_as_read_by_hand(seed):
    path = next((ROOT / "data/seeds").glob(f"{seed}_*.txt"))
    rep = extract_path(path)
    nonzero = {k: cv.value for k, cv in rep.cells.items() if k[0] in ("t3", "t4") and cv.value}
    assert nonzero == SEED_NONZERO.get(seed, {})
    assert [f.code for f in run_checks(rep) if f.code.startswith("H")] == []


# ------------------------------------------------------------------ regressions the bench found
@pytest.mark.parametrize("key", [("t3", "total", "total"), ("t3", "granted", "natural")])
def test_blank_first_or_last_cell_of_a_ruled_row_is_not_shifted(key):
    """h02 (ruled WPS PDF): 表三 rows print an empty cell between the label and 自然人. With a value
    printed blank at the row's end ((七)总计·总计) the values were shifted one column right (95 read
    as 商业企业); with the first value blank ((一)予以公开·自然人) the blank was taken for the spacer and
    the row was left unread. The spacer column holds no value in any row: only it is dropped."""
    from tests.real_mutation import PdfFile, read_report
    path = ROOT / "data/real/h02_hongze_qzf_2024.pdf"
    base = read_report(path.read_bytes(), path.name)
    ed = PdfFile(path.read_bytes(), path.name)
    rep = read_report(ed.apply(ed.locate(base)[key], ""), path.name)
    row = {c: (cv.status, cv.value) for (t, r, c), cv in rep.cells.items() if (t, r) == key[:2]}
    want = {c: (cv.status, cv.value) for (t, r, c), cv in base.cells.items() if (t, r) == key[:2]}
    want[key[2]] = ("blank", None)
    assert row == want
    assert any(key in f.cells for f in run_checks(rep) if f.severity == "error")


def test_text_grid_rows_under_merged_cells_are_not_shifted():
    """A markdown conversion prints fewer cells in rows under a merged cell, so a text grid's column
    numbers do not line up across rows: they never decide which empty cell is a spacer (blanking 表三
    「四、结转下年度继续办理·总计」 once shifted that row one column right). Every mutation of two such
    files: no wrong value."""
    for name, data in generated("gen_markdownify", 2, 1):
        s = run_data(name, data, per_kind=40, seed=1)
        assert s.n > 40
        assert s.misread == 0 and s.collateral == 0, s.wrong[:3]
