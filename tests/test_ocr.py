"""OCR of scanned reports (optional extra nianbao[ocr]; .ci/run installs it, so in CI a missing extra
fails instead of skipping). The scans in tests/fixtures/scanned are made by
scripts/make_scanned_fixtures.py: rendered reports rasterised at 150/300 dpi with noise, a slight
rotation and a red seal over 表三. Every cell must be exact or missing — never read wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.document import Problem, Source, Where
from nianbao.errors import ReadError
from nianbao.readers import ocr, read
from nianbao.report import INFERRED, MISSING, READ

from .conftest import require

SCANNED = Path(__file__).parent / "fixtures" / "scanned"


@pytest.fixture(autouse=True)
def no_page_limit(monkeypatch):
    # the per-page OCR limit is wall-clock time: on a machine shared by many (load 15 on 2 cores) a page
    # of 6 CPU-s takes over 60 s and is cut, and what these tests check is the reading
    monkeypatch.setenv("NIANBAO_OCR_PAGE_LIMIT", "0")


def need_ocr() -> None:
    require(None if ocr.available() else "the OCR extra is not installed (pip install 'nianbao[ocr]')")


def truth(name: str) -> dict:
    return json.loads((SCANNED / f"{name}.truth.json").read_text("utf-8"))


_cache: dict[str, dict] = {}


def extracted(name: str, suffix: str = ".pdf") -> dict:
    from nianbao.extract import extract_path
    key = name + suffix
    if key not in _cache:
        with ocr.switched(True):
            _cache[key] = extract_path(SCANNED / key).to_dict()
    return _cache[key]


def outcome(rep: dict, tru: dict, tables=("t3", "t4")) -> tuple[int, int, list]:
    """(cells, exact, wrong): exact = the printed value, read or inferred; wrong = any other value
    that is not missing (a value read or inferred wrong)."""
    n = exact = 0
    wrong = []
    for c in rep["cells"]:
        if c["table"] not in tables:
            continue
        t = tru["tables"][c["table"]][c["row"]][c["col"]]
        n += 1
        if c["status"] in (READ, INFERRED) and c["value"] == t:
            exact += 1
        elif c["status"] != MISSING:
            wrong.append((c["table"], c["row"], c["col"], c["status"], c["value"], t))
    return n, exact, wrong


@pytest.mark.parametrize("name", ["seed000_150", "random7_300", "random11_150"])
def test_scanned_report_is_exact_or_missing(name):
    need_ocr()
    rep, tru = extracted(name), truth(name)
    assert (rep["org"], rep["year"], rep["format"]) == (tru["org"], tru["year"], tru["format"])
    n, exact, wrong = outcome(rep, tru)
    assert wrong == []
    assert n >= 150 and exact / n >= 0.99, (exact, n)
    # 表二 has no identity: whatever is read there is right too
    assert outcome(rep, tru, ("t2",))[2] == []
    codes = [p["code"] for p in rep["problems"]]
    assert "ocr" in codes and "ocr-verified" in codes and "needs-ocr" not in codes


def test_ocr_cells_carry_confidence_and_box():
    need_ocr()
    rep = extracted("random7_300")
    cells = [c for c in rep["cells"] if c["table"] == "t3" and c["status"] == READ]
    assert cells and all(0.0 <= c["where"]["conf"] <= 1.0 and len(c["where"]["bbox"]) == 4
                         and c["where"]["page"] >= 1 for c in cells)
    notes = [c["note"] for c in rep["cells"] if c["status"] == INFERRED and c.get("note")]
    assert all(n.startswith("OCR识别为") or "推定" in n for n in notes)


def test_png_picture_of_a_table():
    # 表三's first page alone, as a PNG: the rows on it are exact, never wrong; only the rows below the
    # picture's edge are missing (cut). The full stops of 「3.危及…」「7.属于…」「1.本机关…」 are 3 pixels
    # at 150 dpi: once dropped as specks, those rows were not recognised and counted as cut.
    need_ocr()
    rep, tru = extracted("random11_150", ".png"), truth("random11_150")
    n, exact, wrong = outcome(rep, tru)
    assert wrong == []
    assert {c["row"] for c in rep["cells"] if c["table"] == "t3" and c["status"] == MISSING} == {
        "other_2", "other_3", "total", "carried_forward"}
    assert exact == 21 * 7


def test_scan_without_ocr_names_the_way_out(monkeypatch):
    with pytest.raises(ReadError) as e:
        read(SCANNED / "seed000_150.pdf")
    assert e.value.code == "needs-ocr"
    if ocr.available():
        assert "nianbao extract --ocr" in e.value.message
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReadError) as e:
        read(SCANNED / "seed000_150.pdf")
    assert "pip install 'nianbao[ocr]'" in e.value.message
    with pytest.raises(ReadError) as e:
        read(SCANNED / "random11_150.png")
    assert e.value.code == "needs-ocr" and "pip install 'nianbao[ocr]'" in e.value.message


# ------------------------------------------------------------------ trust (no OCR engine needed)

def _report(values: dict[tuple, int], fmt: str = "2021"):
    """A report whose t3/t4 cells are all read from an 'OCR' page, with an OcrCell record."""
    from nianbao.formats import FORMATS
    from nianbao.readers.ocr import cell_key
    from nianbao.readers.ocr.engine import Reading
    from nianbao.readers.ocr.page import OcrCell
    from nianbao.report import CellValue, Report
    from nianbao.synth import random_report
    import random
    base = random_report(random.Random(5), fmt)
    rep = Report(Source("x.pdf", "0", "pdf"), format=fmt)
    rep.present = {"t2", "t3", "t4"}
    record = {}
    for i, (t, r, c) in enumerate(FORMATS[fmt].template_cells()):
        v = values.get((t, r, c), base["tables"][t][r][c])
        bbox = (float(i), 0.0, float(i) + 1, 1.0)
        text = str(v)
        conf = 0.999
        reading = Reading(text, conf, [conf] * len(text), [{ch: conf} for ch in text])
        oc = OcrCell(1, bbox, text, conf, [reading])
        record[cell_key(1, bbox)] = oc
        rep.cells[(t, r, c)] = CellValue(t, r, c, v, text, READ, None, Where(page=1, bbox=bbox, conf=conf))
    return rep, record, base


def test_consistent_confident_values_are_read():
    from nianbao.readers.ocr.trust import verify
    rep, record, base = _report({})
    verify(rep, record)
    assert all(cv.status == READ for cv in rep.cells.values())


def test_a_misread_digit_is_inferred_when_one_confusion_fixes_every_identity():
    from nianbao.readers.ocr.trust import verify
    rep0, _, base = _report({})
    true = base["tables"]["t3"]["granted"]["natural"]
    wrong = {"1": 7, "7": 1, "3": 8, "8": 3, "0": 6, "6": 0}.get(str(true)[-1])
    if wrong is None:
        pytest.skip("seeded value has no listed confusion")   # pragma: no cover - seed fixed
    misread = int(str(true)[:-1] + str(wrong)) if len(str(true)) > 1 else wrong
    rep, record, _ = _report({("t3", "granted", "natural"): misread})
    verify(rep, record)
    cv = rep.cells[("t3", "granted", "natural")]
    assert (cv.status, cv.value) == (INFERRED, true)
    assert cv.note.startswith(f"OCR识别为「{misread}」") and "唯一确定" in cv.note
    others = [c for k, c in rep.cells.items() if k != ("t3", "granted", "natural")]
    assert all(c.status == READ for c in others)


def test_two_compensating_misreads_outside_the_confusions_leave_cells_missing_not_wrong():
    from nianbao.readers.ocr.trust import verify
    rep0, _, base = _report({})
    t3 = base["tables"]["t3"]
    # +2 in one outcome row and -2 in another of the same column keep H2 but break two H3s
    a, b = ("t3", "granted", "natural"), ("t3", "partial", "natural")
    if t3["partial"]["natural"] < 2:
        pytest.skip("seeded value too small")   # pragma: no cover - seed fixed
    rep, record, _ = _report({a: t3["granted"]["natural"] + 2, b: t3["partial"]["natural"] - 2})
    verify(rep, record)
    for k in (a, b):
        assert rep.cells[k].status in (MISSING, INFERRED)
        if rep.cells[k].status == INFERRED:
            assert rep.cells[k].value == t3[k[1]][k[2]]
        else:
            assert "OCR识别为" in rep.cells[k].note
    assert not any(cv.status == READ and cv.value != base["tables"][t][r][c]
                   for (t, r, c), cv in rep.cells.items())


def test_candidates_use_model_alternatives_and_confusions():
    from nianbao.readers.ocr.engine import Reading
    from nianbao.readers.ocr.page import OcrCell
    from nianbao.readers.ocr.trust import candidates
    r = Reading("17", 0.6, [0.99, 0.6], [{"1": 0.99}, {"7": 0.6, "1": 0.3}])
    c = candidates(OcrCell(1, (0, 0, 1, 1), "17", 0.6, [r]))
    assert c[0] == 17 and 11 in c and 71 in c
    r = Reading("0.", 0.8, [0.9, 0.8], [{"0": 0.9}, {}])
    assert candidates(OcrCell(1, (0, 0, 1, 1), "0.", 0.8, [r]))[0] == 0
    r = Reading("春", 0.4, [0.4], [{}])
    assert candidates(OcrCell(1, (0, 0, 1, 1), "春", 0.4, [r])) == []
