"""OCR end to end in `nianbao batch`: scanned PDFs among text and DOCX reports, read by 2 worker processes
and by a 2-worker Dask LocalCluster. The stored cells of a scan equal the fixture's printed values, their
provenance carries OCR's confidence, every input is accounted for, and a page over the OCR time limit
(NIANBAO_OCR_PAGE_LIMIT) ends as a reading problem or a failure with its reason — never a hang or a
traceback. Needs the extra nianbao[ocr] (CI installs it: a missing extra fails there)."""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pytest

from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.render.docx import to_docx_bytes
from nianbao.synth import random_report

from .test_ocr import need_ocr

HERE = Path(__file__).parent
SCANNED = HERE / "fixtures" / "scanned"
SEEDS = HERE / "data" / "seeds"
OCR_MODULES = ("cv2", "onnxruntime", "rapidocr_onnxruntime")


def q(store, sql, *params):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def truth(name: str) -> dict:
    return json.loads((SCANNED / f"{name}.truth.json").read_text("utf-8"))


def pages_of(name: str, pages: list[int], out: Path) -> Path:
    """A scanned fixture cut to some of its pages (1-based): a shorter scan, same pixels."""
    import pymupdf
    src = pymupdf.open(SCANNED / f"{name}.pdf")
    dst = pymupdf.open()
    for n in pages:
        dst.insert_pdf(src, from_page=n - 1, to_page=n - 1)
    dst.save(out)
    return out


def text_then_scan(out: Path) -> Path:
    """A PDF with a text layer on page 1 and a scanned page 2 (表三 of random11_150)."""
    import pymupdf
    dst = pymupdf.open(HERE / "fixtures" / "pdf_layouts" / "frame.pdf")
    dst.select([0])
    dst.insert_pdf(pymupdf.open(SCANNED / "random11_150.pdf"), from_page=2, to_page=2)
    dst.save(out)
    return out


def compare(store, path: str, tru: dict) -> tuple[int, int, list, list]:
    """(cells, exact, wrong, locations) of one stored report against the fixture's printed values:
    exact = read or inferred with the printed value, or blank where nothing is printed; wrong = any
    other value not left missing."""
    rows = q(store, "select c.tbl, c.row_key, c.col_key, c.value, c.status, c.location from cells c "
                    "join reports r using (sha256) where r.path = ?", path)
    n = exact = 0
    wrong, where = [], []
    for t, r, c, v, status, loc in rows:
        printed = tru["tables"][t][r][c]
        n += 1
        where.append(json.loads(loc) if loc else {})
        if (status in ("read", "inferred") and v == printed) or (status == "blank" and printed is None):
            exact += 1
        elif status != "missing":
            wrong.append((t, r, c, status, v, printed))
    return n, exact, wrong, where


def mixed_folder(folder: Path, scan: Path) -> Path:
    """Five text seeds, a DOCX report, a copy of a seed (duplicate), an empty PDF (failure), a legacy
    spreadsheet (skipped) and a scan."""
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, folder / p.name)
    (folder / "copy_of_000.txt").write_bytes(next(SEEDS.glob("000_*.txt")).read_bytes())
    (folder / "report.docx").write_bytes(to_docx_bytes(random_report(random.Random(4), "2021")))
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "ledger.xls").write_bytes(b"\xd0\xcf\x11\xe0 not read")
    shutil.copy(scan, folder / "scan.pdf")
    return folder


def test_two_workers_store_a_scanned_report_among_text_and_docx(tmp_path, capsys, monkeypatch):
    need_ocr()
    folder = mixed_folder(tmp_path / "in", SCANNED / "random11_150.pdf")
    store = tmp_path / "s.duckdb"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)        # the progress bar is on
    assert main(["batch", str(folder), "--store", str(store), "--workers", "2"]) == 1
    err = capsys.readouterr().err
    # the bar shows the page a worker is reading, so a long scan does not freeze it silently
    assert "OCR scan.pdf 第1/5页" in err and "OCR scan.pdf 第5/5页" in err
    assert "共找到 10 个文件 = 报告 7 份（新入库 7，已在库中 0） + 重复 1 个 + 无法读取 1 个 + 跳过 1 个。" in err
    assert q(store, "select outcome, count(*) from files group by outcome order by outcome") == [
        ("duplicate", 1), ("failure", 1), ("report", 7), ("skipped", 1)]
    scan = str(folder / "scan.pdf")
    tru = truth("random11_150")
    assert q(store, "select kind, org, year, format from reports where path = ?", scan) == [
        ("pdf", tru["org"], tru["year"], tru["format"])]
    n, exact, wrong, where = compare(store, scan, tru)
    assert wrong == []
    assert n == 200 and exact / n >= 0.99, (exact, n)
    # provenance: every cell of the scan names its page, box and OCR's confidence; text cells have none
    assert all(w.get("page") in (2, 3, 4) and len(w["bbox"]) == 4 and 0 <= w["conf"] <= 1 for w in where)
    assert q(store, "select count(*) from cells c join reports r using (sha256) where r.kind <> 'pdf' "
                    "and c.location like '%conf%'") == [(0,)]
    assert q(store, "select count(*) from reports where kind = 'docx'") == [(1,)]


def _timeout_inputs(folder: Path) -> Path:
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(p, folder / p.name)
    pages_of("seed000_150", [3, 4], folder / "all_scanned.pdf")
    text_then_scan(folder / "text_then_scan.pdf")
    return folder


def _assert_timeouts(stats, store, folder: Path) -> None:
    assert stats.balanced() and (stats.found, stats.reports, stats.failed) == (4, 3, 1)
    (path, code, reason), = stats.failures
    assert path == str(folder / "all_scanned.pdf") and code == "ocr-timeout"
    assert "第1、2页" in reason and "NIANBAO_OCR_PAGE_LIMIT" in reason and "Traceback" not in reason
    assert q(store, "select code from files where path = ?", path) == [("ocr-timeout",)]
    # the text page is stored; the scanned page over the limit is a reading problem, not the report's fault
    msgs = [m for (m,) in q(store, "select f.message from findings f join reports r using (sha256) "
                                   "where r.path = ? and f.code = 'R104'", str(folder / "text_then_scan.pdf"))]
    assert len(msgs) == 1 and "第2页OCR识别超过时间上限" in msgs[0], msgs


def test_a_page_over_the_ocr_time_limit_is_a_reading_problem_with_two_workers(tmp_path, monkeypatch):
    need_ocr()
    monkeypatch.setenv("NIANBAO_OCR_PAGE_LIMIT", "0.001")
    folder = _timeout_inputs(tmp_path / "in")
    store = tmp_path / "s.duckdb"
    _assert_timeouts(run_batch([str(folder)], str(store), workers=2), store, folder)


def test_scans_on_a_local_dask_cluster(tmp_path, capsys):
    need_ocr()
    if os.environ.get("CI") is None:
        pytest.importorskip("distributed")
    from distributed import Client, LocalCluster
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, folder / p.name)
    pages_of("random11_150", [3, 4], folder / "t3t4.pdf")
    late = _timeout_inputs(tmp_path / "late")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        stats = run_batch([str(folder)], str(tmp_path / "s.duckdb"), client=client, progress=True)
        assert stats.balanced() and (stats.found, stats.stored, stats.failed) == (6, 6, 0), stats.failures
        assert "OCR t3t4.pdf 第1/2页" in capsys.readouterr().err      # the workers' pages reach the bar
        n, exact, wrong, where = compare(tmp_path / "s.duckdb", str(folder / "t3t4.pdf"), truth("random11_150"))
        assert wrong == [] and n >= 150 and exact / n >= 0.99, (exact, n)
        assert all("conf" in w for w in where)
        # the same cluster, its workers now given a tiny page limit
        client.run(lambda: os.environ.__setitem__("NIANBAO_OCR_PAGE_LIMIT", "0.001"))   # in each worker
        store = tmp_path / "late.duckdb"
        _assert_timeouts(run_batch([str(late)], str(store), client=client), store, late)


def _ocr_state() -> tuple[list[str], int | None]:
    from nianbao.readers.ocr import engine
    return [m for m in OCR_MODULES if m in sys.modules], (id(engine._engine) if engine._engine else None)


def test_a_worker_loads_the_model_only_for_a_scan_and_only_once(tmp_path):
    need_ocr()
    from nianbao.corpus.batch import _work
    text = [(str(p), p.read_bytes(), f"t{i}") for i, p in enumerate(sorted(SEEDS.glob("*.txt")))]
    one = pages_of("random11_150", [4], tmp_path / "p4.pdf").read_bytes()
    # one fresh worker process (spawned: a fork would inherit the model other tests loaded in this one);
    # every call below runs in it
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_work, text).result()["items"][0][4] is None
        assert pool.submit(_ocr_state).result() == ([], None)     # text only: no OCR module, no model
        first = pool.submit(_work, [("a.pdf", one, "a")]).result()
        modules, model = pool.submit(_ocr_state).result()
        assert first["items"][0][4] is None and model is not None and "onnxruntime" in modules
        pool.submit(_work, [("b.pdf", one, "b")]).result()
        assert pool.submit(_ocr_state).result()[1] == model        # the second scan reuses the model
