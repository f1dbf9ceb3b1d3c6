"""`nianbao batch`: seeds into a store, re-runs skip, unreadable files listed, zips, kill-and-resume, Dask."""
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.render import to_text
from nianbao.synth import random_report

DATA = Path(__file__).parent / "data"


def q(store, sql):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_seeds_batch_into_a_store_and_rerun_skips(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 broken")
    assert main(["batch", str(DATA / "seeds"), str(tmp_path / "bad.docx"), "--store", str(store),
                 "--workers", "2", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "共找到 6 个文件 = 报告 5 份（新入库 5，已在库中 0） + 重复 0 个 + 无法读取 1 个 + 跳过 0 个。" in err
    assert "bad.docx" in err
    # units keep their full printed name: 临清市先锋路街道办事处 is not 先锋路街道
    assert q(store, "select unit, match, year, format from reports order by path") == [
        ("先锋路街道", "exact", 2020, "2019"), ("景山街道", "exact", 2020, "2019"),
        ("临清市先锋路街道", "rule", 2021, "2021"), ("平湖街道", "rule", 2020, "2019"),
        ("剑光街道", "rule", 2020, "2019")]
    assert q(store, "select count(*) from cells")[0][0] == 4 * 198 + 200
    assert q(store, "select value, raw, status from cells where tbl='t2' and row_key='procurement' "
                    "and col_key='amount' and value > 1000000 order by value") == [
        (1072991.52, "1072991.52", "read"), (10268898.0, "10268898元", "read")]
    assert q(store, "select code from failures") == [("docx-damaged",)]
    assert ("S103",) in q(store, "select code from findings")
    assert main(["batch", str(DATA / "seeds"), "--store", str(store), "--quiet", "--parquet",
                 str(tmp_path / "pq")]) == 0
    assert "报告 5 份（新入库 0，已在库中 5）" in capsys.readouterr().err
    assert q(store, "select count(*) from reports")[0][0] == 5
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == [
        "cells.parquet", "failures.parquet", "files.parquet", "findings.parquet", "report_versions.parquet",
        "reports.parquet", "runs.parquet", "sections.parquet"]


def test_zip_members_are_read_in_place(tmp_path):
    z = tmp_path / "reports.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted((DATA / "seeds").glob("*.txt"))[:2]:
            zf.write(p, f"folder/{p.name}")
        zf.writestr("notes/readme.md", "not a report")
    stats = run_batch([str(z)], str(tmp_path / "s.duckdb"), workers=1)
    assert (stats.stored, stats.failed) == (2, 0)
    assert all("!/folder/" in p for (p,) in q(tmp_path / "s.duckdb", "select path from reports"))


def make_corpus(folder: Path, n: int) -> None:
    rng = random.Random(9)
    folder.mkdir()
    for i in range(n):
        r = random_report(rng, rng.choice(["2019", "2021"]))
        (folder / f"r{i:04d}.txt").write_text(to_text(r, rng.choice(["tabbed", "cell_per_line", "pipes"])),
                                             encoding="utf-8")


def test_a_run_killed_halfway_and_restarted_ends_with_no_duplicate_and_nothing_lost(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 1200)
    store = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-m", "nianbao", "batch", str(corpus), "--store", str(store), "--workers", "1",
           "--chunk", "16", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(2.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = q(store, "select count(*) from reports")[0][0] if store.exists() else 0
    assert partial < 1200                    # the kill did interrupt the run
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    (n, distinct), = q(store, "select count(*), count(distinct sha256) from reports")
    assert n == distinct == 1200
    per_report = q(store, "select count(*) from cells group by sha256 having count(*) not in (198, 200)")
    assert per_report == []                  # every stored report has all its cells, once
    assert q(store, "select count(distinct path) from reports")[0][0] == 1200


@pytest.mark.parametrize("shared", [True, False])
def test_batch_on_a_local_dask_cluster(tmp_path, monkeypatch, shared):
    """Workers that see the same files read them by path; otherwise the main process sends the bytes."""
    distributed = pytest.importorskip("distributed") if os.environ.get("CI") is None else __import__("distributed")
    from distributed import Client, LocalCluster
    from nianbao.corpus import batch
    seen = []
    real = batch._shared_files
    monkeypatch.setattr(batch, "_shared_files", lambda c, p: seen.append(real(c, p)) or (seen[-1] and shared))
    (tmp_path / "in").mkdir()
    for f in (DATA / "seeds").iterdir():
        (tmp_path / "in" / f.name).write_bytes(f.read_bytes())
    z = tmp_path / "in" / "more.zip"
    with zipfile.ZipFile(z, "w") as zf:        # zip members travel as bytes either way
        zf.writestr("a.txt", to_text(random_report(random.Random(7), "2021", year=2021, org="甲市乙区丙街道办事处")))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        stats = run_batch([str(tmp_path / "in")], str(tmp_path / "s.duckdb"), client=client)
    assert seen == [True]                        # a LocalCluster sees this machine's files
    assert (stats.found, stats.stored, stats.failed) == (6, 6, 0)
    assert q(tmp_path / "s.duckdb", "select count(*) from cells where sha256 in (select sha256 from reports "
                                    "where path not like '%.zip!/%')")[0][0] == 4 * 198 + 200


def test_a_worker_reading_by_path_fails_clearly_when_the_file_changed_or_is_gone(tmp_path):
    from nianbao.corpus.batch import _work
    p = tmp_path / "a.txt"
    p.write_text(to_text(random_report(random.Random(8), "2021", year=2021, org="甲市乙区丁街道办事处")), encoding="utf-8")
    import hashlib
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    out = _work([(str(p), None, sha), (str(p), None, "0" * 64), (str(tmp_path / "gone.txt"), None, sha)])
    (ok, _, size, row, failure), changed, gone = out["items"]
    assert failure is None and row[0] == sha and size == p.stat().st_size
    assert changed[4][0] == "changed" and "被改动" in changed[4][1] and changed[4][2] is None
    assert gone[4][0] == "os-error" and "Dask 工作进程无法读取" in gone[4][1]


def test_units_link_reports_across_years_with_a_mapping(tmp_path):
    store = tmp_path / "s.duckdb"
    mapping = tmp_path / "map.csv"
    # the 2020 report printed only 先锋路街道: the map says which one it is
    mapping.write_text("名称,单位\n先锋路街道,临清市先锋路街道\n", encoding="utf-8")
    assert main(["batch", str(DATA / "seeds"), "--store", str(store), "--quiet", "--units-map", str(mapping)]) == 0
    rows = q(store, "select unit, year, reports from unit_years order by unit, year")
    assert rows == [("临清市先锋路街道", 2020, 1), ("临清市先锋路街道", 2021, 1), ("剑光街道", 2020, 1),
                    ("平湖街道", 2020, 1), ("景山街道", 2020, 1)]
    assert q(store, "select match from reports where year = 2020 and org = '先锋路街道'") == [("map",)]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker pids from /proc (Linux)")
def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 600)
    cmd = [sys.executable, "-m", "nianbao", "batch", str(corpus), "--store", str(tmp_path / "s.duckdb"),
           "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the batch did not start its workers"
        os.kill(proc.pid, signal.SIGKILL)          # the main process only, as the OOM killer would
        proc.wait()
        deadline = time.time() + 15
        while time.time() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "workers kept running after the main process died"
    finally:
        for w in workers + _children(proc.pid):      # never leave orphans behind when the test fails
            if _alive(w):
                os.kill(w, signal.SIGKILL)
