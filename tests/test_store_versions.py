"""Every input accounted for, every version kept: a changed file supersedes its old report, a fixed file
drops its old failure, empty files are failures, the same content twice is a duplicate, two files for one
unit and year are a conflict, and each batch prints found = reports + duplicates + failures + skipped."""
import random
import re
import subprocess
import sys

import duckdb

from nianbao.cli import main
from nianbao.corpus.store import Store
from nianbao.render import to_text
from nianbao.synth import random_report


def q(store, sql):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def report_text(seed: int, org: str, year: int = 2021) -> str:
    return to_text(random_report(random.Random(seed), "2021", zero_share=0.0, year=year, org=org))


def batch(store, *paths, capsys) -> tuple[int, str]:
    code = main(["batch", *map(str, paths), "--store", str(store), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    m = re.search(r"共找到 (\d+) 个文件 = 报告 (\d+) 份（新入库 (\d+)，已在库中 (\d+)） \+ 重复 (\d+) 个 \+ "
                  r"无法读取 (\d+) 个 \+ 跳过 (\d+) 个。", err)
    assert m, err
    found, reports, new, old, dups, failed, skipped = map(int, m.groups())
    assert found == reports + dups + failed + skipped and reports == new + old
    return code, err, (found, new, old, dups, failed, skipped)


def test_a_changed_file_supersedes_its_old_report(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    a = folder / "a.txt"
    a.write_text(report_text(1, "临清市先锋路街道办事处"), encoding="utf-8")
    store = tmp_path / "s.duckdb"
    assert batch(store, folder, capsys=capsys)[2] == (1, 1, 0, 0, 0, 0)
    (old_sha, old_value), = q(store, "select r.sha256, c.value from reports r join cells c using (sha256) "
                                     "where c.tbl='t3' and c.row_key='new_received' and c.col_key='total'")
    a.write_text(report_text(2, "临清市先锋路街道办事处"), encoding="utf-8")       # corrected and re-published
    assert batch(store, folder, capsys=capsys)[2] == (1, 1, 0, 0, 0, 0)
    versions = dict(q(store, "select sha256, version from report_versions"))
    (new_sha,) = [s for s in versions if s != old_sha]
    assert versions == {old_sha: "superseded", new_sha: "current"}
    assert q(store, f"select superseded_by, superseded_because from report_versions where sha256 = '{old_sha}'") == [
        (new_sha, "path")]
    assert q(store, "select sha256 from current_reports") == [(new_sha,)]
    assert q(store, "select unit, year, reports from unit_years") == [("临清市先锋路街道", 2021, 1)]
    files = q(store, "select sha256, first_run, last_run, outcome from files order by first_run")
    assert files == [(old_sha, 1, 1, "report"), (new_sha, 2, 2, "report")]
    # a third run with nothing changed: the report is already stored, its file row is seen again
    assert batch(store, folder, capsys=capsys)[2] == (1, 0, 1, 0, 0, 0)
    assert q(store, f"select first_run, last_run from files where sha256 = '{new_sha}'") == [(2, 3)]
    (new_value,), = q(store, "select c.value from current_reports r join cells c using (sha256) "
                             "where c.tbl='t3' and c.row_key='new_received' and c.col_key='total'")
    assert new_value != old_value or new_sha != old_sha


def test_empty_files_fail_and_a_fixed_file_drops_its_failure(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty1.docx").write_bytes(b"")
    (folder / "empty2.pdf").write_bytes(b"")
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)        # binary: not a report
    store = tmp_path / "s.duckdb"
    code, err, counts = batch(store, folder, capsys=capsys)
    assert code == 2 and counts == (3, 0, 0, 0, 3, 0)
    assert "empty1.docx: 文件是空的" in err and "empty2.pdf: 文件是空的" in err
    assert sorted(c for (c,) in q(store, "select code from failures")) == ["binary", "empty", "empty"]
    # run again: empty files are still failures, never "already stored"
    code, err, counts = batch(store, folder, capsys=capsys)
    assert counts == (3, 0, 0, 0, 3, 0)
    (folder / "broken.txt").write_text(report_text(3, "剑光街道办事处"), encoding="utf-8")     # fixed
    code, err, counts = batch(store, folder, capsys=capsys)
    assert code == 1 and counts == (3, 1, 0, 0, 2, 0)
    assert sorted(p.rsplit("/", 1)[1] for (p,) in q(store, "select path from failures")) == ["empty1.docx", "empty2.pdf"]
    assert q(store, "select count(*) from files where path like '%broken.txt'") == [(2,)]      # history kept


def test_the_same_content_twice_is_a_duplicate_and_two_files_for_one_unit_year_conflict(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    text = report_text(4, "平湖街道办事处")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    (folder / "c.txt").write_text(report_text(5, "平湖街道办事处"), encoding="utf-8")      # another file, same unit-year
    store = tmp_path / "s.duckdb"
    code, err, counts = batch(store, folder, capsys=capsys)
    assert counts == (3, 2, 0, 1, 0, 0)
    assert re.search(r"重复 \S+/b\.txt: 与 \S+/a\.txt 内容相同", err)
    assert re.search(r"警告 平湖街道 2021 年有两份不同的报告：当前使用 \S+/c\.txt，另一份 \S+/a\.txt", err)
    assert q(store, "select outcome, duplicate_of like '%a.txt' from files where path like '%b.txt'") == [
        ("duplicate", True)]
    assert [p.rsplit("/", 1)[1] for (p,) in q(store, "select path from current_reports")] == ["c.txt"]
    (cur, other), = q(store, "select current_path, other_path from unit_year_conflicts")
    assert (cur.rsplit("/", 1)[1], other.rsplit("/", 1)[1]) == ("c.txt", "a.txt")


def test_a_store_written_by_the_previous_schema_is_migrated(tmp_path):
    path = str(tmp_path / "old.duckdb")
    con = duckdb.connect(path)
    con.execute("""
        CREATE TABLE reports (sha256 VARCHAR PRIMARY KEY, path VARCHAR, kind VARCHAR, org VARCHAR, unit VARCHAR,
            year INTEGER, format VARCHAR, title VARCHAR, errors INTEGER, warnings INTEGER, infos INTEGER,
            stored_at TIMESTAMP);
        CREATE TABLE cells (sha256 VARCHAR, tbl VARCHAR, row_key VARCHAR, col_key VARCHAR, value DOUBLE, raw VARCHAR,
            status VARCHAR, unit VARCHAR, "where" VARCHAR);
        CREATE TABLE findings (sha256 VARCHAR, code VARCHAR, name VARCHAR, severity VARCHAR, message VARCHAR,
            tbl VARCHAR, row_key VARCHAR, col_key VARCHAR, "where" VARCHAR);
        CREATE TABLE sections (sha256 VARCHAR, number INTEGER, title VARCHAR, text VARCHAR);
        CREATE TABLE failures (sha256 VARCHAR PRIMARY KEY, path VARCHAR, code VARCHAR, message VARCHAR);
        INSERT INTO reports VALUES ('s1', 'a.txt', 'text', '石门市长安区先锋路街道办事处', '先锋路街道', 2021, '2021', 't',
            0, 0, 0, '2025-01-01 00:00:00');
        INSERT INTO cells VALUES ('s1', 't3', 'new_received', 'total', 5, '5', 'read', '件', NULL);
        INSERT INTO failures VALUES ('s2', 'b.pdf', 'pdf-encrypted', '加密');""")
    con.close()
    store = Store(path)
    try:
        assert store.con.execute("select unit, match from reports").fetchall() == [("石门市长安区先锋路街道", "rule")]
        assert store.con.execute("select measure_unit from cells").fetchall() == [("件",)]
        assert store.con.execute("select path, code from failures").fetchall() == [("b.pdf", "pdf-encrypted")]
        assert store.con.execute("select count(*) from current_reports").fetchall() == [(1,)]
    finally:
        store.close()


def test_a_store_in_use_is_a_clear_message_not_an_internal_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NIANBAO_STORE_WAIT", "1")     # a reader waits this long for another process's hold
    store = tmp_path / "s.duckdb"
    Store(str(store)).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(store)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert main(["charts", "--store", str(store), "-o", str(tmp_path / "c")]) == 2
        err = capsys.readouterr().err
        assert "被另一个进程占用，等待 1 秒后仍未释放" in err and "NIANBAO_STORE_WAIT" in err and "内部错误" not in err
    finally:
        holder.kill()
        holder.wait()


def test_a_symlink_loop_is_skipped_with_its_reason_and_a_linked_file_read(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(report_text(5, "甲市乙区丙街道办事处"), encoding="utf-8")
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)       # in/sub/loop → in: a loop
    (folder / "b.txt").symlink_to(folder / "a.txt")                               # a link to a file: read
    code, err, counts = batch(tmp_path / "s.duckdb", folder, capsys=capsys)
    assert counts == (3, 1, 0, 1, 0, 1)           # found 3 = 1 new + 1 duplicate + 1 skipped
    assert "跳过" in err and "loop" in err and "符号链接" in err
    assert q(tmp_path / "s.duckdb", "select code from files where outcome = 'skipped'") == [("symlink",)]
