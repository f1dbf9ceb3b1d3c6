"""Bounded cost (size, unpacked XML, elements, time) and folder walks that never drop a file."""
import io
import json
import os
import threading
import zipfile

import pytest

from nianbao import limits
from nianbao.cli import main
from nianbao.corpus.batch import run_batch
from nianbao.errors import ReadError
from nianbao.extract import extract
from nianbao.readers import read_bytes

from .conftest import DATA
from .fuzzing import memory_bound, run_isolated

FIX = DATA.parent / "fixtures" / "same_report"
SEED = sorted((DATA / "seeds").glob("*.txt"))[0]
MB = 1024 * 1024


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------------------- size and memory
def _bomb(pad: int) -> bytes:
    src = zipfile.ZipFile(FIX / "report.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p><w:r><w:t>" + b"1" * pad + b"</w:t></w:r></w:p></w:body>")
            z.writestr(info.filename, data)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_before_parsing_within_the_memory_bound():
    data = _bomb(300 * MB)
    assert len(data) < 1 * MB
    got = run_isolated(data, "bomb.docx")
    assert got.get("error") == "too-complex" and "压缩" in got["message"] and "100 倍" in got["message"]
    assert got["grew"] < memory_bound(len(data)) - 100 * MB


def test_docx_over_the_unpacked_total_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_RATIO", 10 ** 9)
    with pytest.raises(ReadError) as ei:
        read_bytes(_bomb(9 * MB), "big.docx")
    assert ei.value.code == "too-complex" and "8 MB" in ei.value.message
    assert "文件过大/过于复杂" in ei.value.message


def test_text_over_its_limit_is_refused_with_the_limit_and_memory_stays_bounded():
    data = SEED.read_bytes() + b"1\t2\t3\t4\t5\t6\t7\n" * (4 * MB // 14)
    got = run_isolated(data, "huge.txt")
    assert got.get("error") == "too-large" and "1 MB" in got["message"] and "文件过大/过于复杂" in got["message"]
    just_under = SEED.read_bytes() + b"1\t2\t3\t4\t5\t6\t7\n" * ((limits.MAX_BYTES["text"] - 20000) // 14)
    got = run_isolated(just_under, "big.txt")
    assert "cells" in got and got["grew"] < memory_bound(len(just_under))


def test_html_with_too_many_elements_is_refused():
    page = b"<html><body>" + b"<p>1</p>" * (limits.MAX_HTML_ELEMENTS + 10) + b"</body></html>"
    with pytest.raises(ReadError) as ei:
        read_bytes(page, "many.html")
    assert ei.value.code == "too-complex" and str(limits.MAX_HTML_ELEMENTS) in ei.value.message


# ----------------------------------------------------------------------------------------- time
def test_time_limit_stops_reading_with_a_clean_error():
    data = (FIX / "report.html").read_bytes()
    with limits.time_limit(1e-9):
        with pytest.raises(ReadError) as ei:
            extract(read_bytes(data, "r.html"))
    assert ei.value.code == "too-complex" and "时间上限" in ei.value.message


def test_time_limit_is_per_thread():
    data = (FIX / "report.html").read_bytes()
    got = {}

    def slow_limit():
        with limits.time_limit(1e-9):
            try:
                extract(read_bytes(data, "r.html"))
                got["limited"] = "read"
            except ReadError as e:
                got["limited"] = e.code

    def free():
        with limits.time_limit(60):
            got["free"] = extract(read_bytes(data, "r.html")).org

    ts = [threading.Thread(target=slow_limit), threading.Thread(target=free)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got == {"limited": "too-complex", "free": "临川市城东区文化路街道办事处"}


def test_cli_applies_the_time_limit(capsys, monkeypatch):
    monkeypatch.setenv("NIANBAO_TIME_LIMIT", "0.000000001")
    code, out, err = run(capsys, "extract", SEED)
    assert code == 2 and json.loads(out)["error"]["code"] == "too-complex" and "NIANBAO_TIME_LIMIT" in err


# ----------------------------------------------------------------------------------------- folder walks
@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "")    # without LibreOffice; with it: tests/test_reader_legacy.py
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0old word")
    (tmp_path / "c.wps").write_bytes(b"\xd0\xcf\x11\xe0wps")
    (tmp_path / "d.et").write_bytes(b"\xd0\xcf\x11\xe0et")
    (tmp_path / "e.rtf").write_bytes(b"{\\rtf1 x}")
    (tmp_path / "notes.md").write_text("not a report")
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    sub = tmp_path / "sub"
    sub.mkdir()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("x.txt", SEED.read_bytes())
    with zipfile.ZipFile(sub / "f.zip", "w") as z:
        z.writestr("r.txt", SEED.read_bytes())
        z.writestr("inner.zip", inner.getvalue())
        z.writestr("old.doc", b"\xd0\xcf\x11\xe0")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "g.txt").write_bytes(SEED.read_bytes())
    return tmp_path


@pytest.fixture()
def locked(monkeypatch, folder):
    """A sub-folder the user may not open (tests run as root, where chmod does not lock)."""
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    return folder / "locked"


def test_extract_folder_lists_every_unreadable_file_with_a_reason(capsys, folder, locked):
    code, out, err = run(capsys, "extract", folder)
    lines = {os.path.relpath(d["source"]["path"], folder): d for d in map(json.loads, out.splitlines())}
    assert sorted(lines) == ["a.txt", "b.doc", "c.wps", "d.et", "e.rtf", "locked", "sub/f.zip"]
    assert lines["a.txt"]["year"] == 2020
    assert {k: d["error"]["code"] for k, d in lines.items() if "error" in d} == {
        "b.doc": "doc-legacy", "c.wps": "doc-legacy", "d.et": "doc-legacy", "e.rtf": "rtf",
        "locked": "permission", "sub/f.zip": "archive"}
    assert "权限不足" in lines["locked"]["error"]["message"] and "另存为 .docx" in lines["c.wps"]["error"]["message"]
    assert code == 1 and "Traceback" not in err


def test_extract_of_a_locked_folder_says_permission_not_no_reports(capsys, locked):
    code, out, err = run(capsys, "extract", locked)
    assert "权限不足" in err and "没有找到" not in err
    assert json.loads(out)["error"]["code"] == "permission" and code == 2


def test_check_folder_lists_them_as_unreadable(capsys, folder, locked):
    code, out, err = run(capsys, "check", folder, "--to", "json")
    sources = sorted(os.path.relpath(f["source"], folder) for f in json.loads(out) if f["code"] == "E000")
    assert sources == ["b.doc", "c.wps", "d.et", "e.rtf", "locked", "sub/f.zip"]
    assert code == 1


def test_batch_records_every_unreadable_file_with_its_reason(tmp_path, folder, locked):
    (folder / "sub" / "empty.pdf").write_bytes(b"")
    store = tmp_path / "store" / "s.duckdb"
    store.parent.mkdir()
    stats = run_batch([str(folder)], str(store), workers=1)
    listed = {os.path.relpath(p, folder): code for p, code, _ in stats.failures + stats.skips}
    assert all(reason for _, _, reason in stats.skips)
    assert listed == {"b.doc": "doc-legacy", "c.wps": "doc-legacy", "d.et": "doc-legacy", "e.rtf": "rtf",
                      "locked": "permission", "sub/f.zip!/inner.zip": "nested-zip",
                      "sub/f.zip!/old.doc": "doc-legacy", "sub/empty.pdf": "empty"}
    assert stats.stored == 1 and stats.duplicates == 1    # a.txt and the zip's r.txt: the same file
    assert stats.balanced() and stats.found == 10
    # every path is in the store's files table with its outcome, and the run's accounting adds up there too
    import duckdb
    con = duckdb.connect(str(store), read_only=True)
    try:
        files = {os.path.relpath(p, folder): o for p, o in con.execute("select path, outcome from files").fetchall()}
        run = con.execute("select found, reports, duplicates, failures, skipped from runs").fetchone()
    finally:
        con.close()
    assert files == {"a.txt": "report", "sub/f.zip!/r.txt": "duplicate", "b.doc": "failure", "c.wps": "failure",
                     "d.et": "failure", "e.rtf": "failure", "sub/f.zip!/old.doc": "failure",
                     "sub/empty.pdf": "failure", "locked": "skipped", "sub/f.zip!/inner.zip": "skipped"}
    assert run == (10, 1, 1, 6, 2) and run[0] == sum(run[1:])


def test_one_file_crashing_never_aborts_a_multi_file_run(capsys, monkeypatch, tmp_path):
    import sys
    ex = sys.modules["nianbao.extract"]
    real = ex.extract_path

    def flaky(path, kind=None):
        if str(path).endswith("bad.txt"):
            raise RuntimeError("boom")
        return real(path, kind)
    monkeypatch.setattr(ex, "extract_path", flaky)
    (tmp_path / "bad.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "good.txt").write_bytes(SEED.read_bytes())
    code, out, err = run(capsys, "extract", tmp_path)
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[0]["error"]["code"] == "internal" and lines[1]["year"] == 2020 and code == 1
    code, out, err = run(capsys, "check", tmp_path, "--to", "json")
    assert code == 1 and any(f["code"] == "E000" and "boom" in f["message"] for f in json.loads(out))
    assert "Traceback" not in err


def test_report_suffixes_live_with_the_readers():
    import nianbao.cli as cli
    from nianbao.readers import REPORT_SUFFIXES
    assert not hasattr(cli, "REPORT_SUFFIXES") and ".docx" in REPORT_SUFFIXES


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.html", "report_cpl.txt"])
def test_time_limit_applies_to_every_kind(name):
    data = (FIX / name).read_bytes()
    with limits.time_limit(1e-9):
        with pytest.raises(ReadError) as ei:
            read_bytes(data, name)
    assert ei.value.code == "too-complex"
