"""A failure is tried again once what it depended on changes: a .doc read once LibreOffice is there, any
failure after a nianbao upgrade or with --retry-failures; the file's outcome is then updated, the old
failure no longer counts, and each batch's accounting stays exact."""
import re
import shutil

import duckdb
import pytest

import nianbao
from nianbao.cli import main
from nianbao.corpus import batch as batch_mod
from nianbao.corpus.needs import current, needs, stale
from nianbao.readers import legacy

from .conftest import DATA, require
from .test_store_versions import report_text

LEG = DATA.parent / "fixtures" / "legacy"


def q(store, sql):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def batch(store, *paths, capsys, workers="1", extra=()) -> tuple:
    main(["batch", *map(str, paths), "--store", str(store), "--workers", workers, "--quiet", *extra])
    err = capsys.readouterr().err
    m = re.search(r"共找到 (\d+) 个文件 = 报告 (\d+) 份（新入库 (\d+)，已在库中 (\d+)） \+ 重复 (\d+) 个 \+ "
                  r"无法读取 (\d+) 个 \+ 跳过 (\d+) 个。", err)
    assert m, err
    found, reports, new, old, dups, failed, skipped = map(int, m.groups())
    assert found == reports + dups + failed + skipped and reports == new + old
    return found, new, old, dups, failed, skipped


def name(p: str) -> str:
    return p.rsplit("/", 1)[1]


def test_a_doc_that_failed_without_libreoffice_is_read_once_it_is_there(tmp_path, capsys, monkeypatch):
    require(None if legacy.soffice() else "LibreOffice (soffice) not installed")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(LEG / "report.doc", folder / "a.doc")
    shutil.copy(LEG / "report.doc", folder / "b.doc")          # the same content under another name
    (folder / "c.txt").write_text(report_text(1, "甲市乙区丙街道办事处"), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    monkeypatch.setenv("NIANBAO_SOFFICE", "")                   # no LibreOffice on this machine
    assert batch(store, folder, capsys=capsys) == (3, 1, 0, 0, 2, 0)     # b.doc fails like a.doc, no duplicate
    assert q(store, "select code, needs from failures order by path") == [
        ("doc-legacy", f"nianbao={nianbao.__version__};soffice=0;ocr={current()['ocr']}")] * 2
    assert batch(store, folder, capsys=capsys) == (3, 0, 1, 0, 2, 0)     # nothing changed: still failures
    monkeypatch.delenv("NIANBAO_SOFFICE")                       # LibreOffice installed
    assert batch(store, folder, capsys=capsys) == (3, 1, 1, 1, 0, 0)
    assert q(store, "select count(*) from failures") == [(0,)]
    files = [(name(p), o, name(d) if d else None, c) for p, o, d, c in
             q(store, "select path, outcome, duplicate_of, code from current_files order by path")]
    assert files == [("a.doc", "report", None, None), ("b.doc", "duplicate", "a.doc", None),
                     ("c.txt", "report", None, None)]
    assert q(store, "select count(*) from files") == [(3,)]      # the rows were updated, not added
    assert q(store, "select found, reports, new_reports, duplicates, failures, skipped from runs order by run") == [
        (3, 1, 1, 0, 2, 0), (3, 1, 0, 0, 2, 0), (3, 2, 1, 1, 0, 0)]
    assert sorted(name(p) for (p,) in q(store, "select path from current_reports")) == ["a.doc", "c.txt"]
    assert batch(store, folder, capsys=capsys) == (3, 0, 2, 1, 0, 0)


class Calls:
    def __init__(self, monkeypatch):
        self.paths = []
        real = batch_mod.process

        def counted(path, data, sha):
            self.paths.append(name(path))
            return real(path, data, sha)
        monkeypatch.setattr(batch_mod, "process", counted)

    def take(self) -> list:
        out, self.paths = self.paths, []
        return out


def test_failures_are_read_again_after_an_upgrade_or_when_asked(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "ok.txt").write_text(report_text(2, "甲市乙区丁街道办事处"), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    calls = Calls(monkeypatch)                          # workers 0: read in this process, so calls are seen
    assert batch(store, folder, capsys=capsys, workers="0") == (2, 1, 0, 0, 1, 0)
    assert calls.take() == ["broken.txt", "ok.txt"]
    assert batch(store, folder, capsys=capsys, workers="0") == (2, 0, 1, 0, 1, 0)
    assert calls.take() == []                           # nothing it depended on changed: not read again
    assert batch(store, folder, capsys=capsys, workers="0", extra=["--retry-failures"]) == (2, 0, 1, 0, 1, 0)
    assert calls.take() == ["broken.txt"]
    monkeypatch.setattr(nianbao, "__version__", "99.0")  # an upgraded nianbao
    assert batch(store, folder, capsys=capsys, workers="0") == (2, 0, 1, 0, 1, 0)
    assert calls.take() == ["broken.txt"]
    assert q(store, "select code, needs from failures") == [("binary", f"nianbao=99.0;ocr={current()['ocr']}")]
    assert batch(store, folder, capsys=capsys, workers="0") == (2, 0, 1, 0, 1, 0)
    assert calls.take() == []
    (folder / "broken.txt").write_text(report_text(3, "甲市乙区戊街道办事处"), encoding="utf-8")    # fixed on disk
    assert batch(store, folder, capsys=capsys, workers="0") == (2, 1, 1, 0, 0, 0)
    assert calls.take() == ["broken.txt"]
    assert q(store, "select count(*) from failures") == [(0,)]
    assert q(store, "select outcome, count(*) from files where path like '%broken.txt' group by outcome "
                    "order by outcome") == [("failure", 1), ("report", 1)]       # the old failure: history


def test_a_store_of_schema_2_gets_needs_and_its_failures_are_read_again(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)
    store = tmp_path / "s.duckdb"
    calls = Calls(monkeypatch)
    batch(store, folder, capsys=capsys, workers="0")
    con = duckdb.connect(str(store))                    # as nianbao with schema 2 left it
    con.execute("DROP VIEW failures; DROP VIEW unit_year_conflicts; DROP VIEW unit_years; DROP VIEW current_reports; "
                "DROP VIEW report_versions; DROP VIEW current_files; ALTER TABLE files DROP COLUMN needs; "
                "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    calls.take()
    assert batch(store, folder, capsys=capsys, workers="0") == (1, 0, 0, 0, 1, 0)
    assert calls.take() == ["broken.txt"]               # recorded without what it depended on: read again
    assert q(store, "select needs is not null from failures") == [(True,)]


@pytest.mark.parametrize("data,file,parts", [
    (b"\xd0\xcf\x11\xe0 a word file", "a.doc", ["nianbao", "soffice", "ocr"]),
    (b"%PDF-1.7", "a.pdf", ["nianbao", "ocr"]),
    ("甲乙丙".encode(), "a.txt", ["nianbao"]),
    (bytes(range(256)), "x.bin", ["nianbao", "ocr"]),
])
def test_a_failure_records_what_its_kind_depends_on(data, file, parts):
    now = {"nianbao": "1.0", "soffice": "0", "ocr": "0"}
    key = needs(data, file, now)
    assert [p.split("=")[0] for p in key.split(";")] == parts
    assert not stale(key, now)
    assert stale(key, {**now, "nianbao": "1.1"})
    assert stale(key, {**now, "soffice": "1"}) == ("soffice" in parts)
    assert stale(key, {**now, "ocr": "1"}) == ("ocr" in parts)
    assert stale(None, now) and stale("", now)
