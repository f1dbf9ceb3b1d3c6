"""The store can be read while a batch writes: the batch holds DuckDB's lock only while it writes a chunk,
readers (compile, charts, Store(read_only=True)) wait for that chunk, and the batch waits for readers."""
import os
import random
import subprocess
import sys
import time

from nianbao.corpus.store import Store
from nianbao.render import to_text
from nianbao.synth import random_report


def make_corpus(folder, n: int) -> None:
    rng = random.Random(11)
    folder.mkdir()
    for i in range(n):
        r = random_report(rng, rng.choice(["2019", "2021"]))
        (folder / f"r{i:04d}.txt").write_text(to_text(r, "tabbed"), encoding="utf-8")


def read_count(store) -> int:
    s = Store(str(store), read_only=True, wait=30)
    try:
        return s.con.execute("SELECT count(*) FROM reports").fetchone()[0]
    finally:
        s.close()


def test_readers_query_the_store_while_a_batch_writes_and_the_batch_waits_for_them(tmp_path):
    corpus, store = tmp_path / "corpus", tmp_path / "s.duckdb"
    make_corpus(corpus, 800)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "nianbao", "batch", str(corpus), "--store", str(store), "--workers", "1",
           "--chunk", "20", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seen: list[int] = []
    held = False
    try:
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline:
            if not store.exists():
                time.sleep(0.1)
                continue
            n = read_count(store)                      # never a lock error: waits for the chunk being written
            if proc.poll() is None:
                seen.append(n)
            if not held and n >= 100:                  # a long reader: the batch must wait, then go on
                s = Store(str(store), read_only=True, wait=30)
                time.sleep(2.0)
                s.close()
                held = True
            time.sleep(0.2)
        err = proc.communicate(timeout=300)[1].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert held, "the batch finished before a reader could hold the store"
    running = [n for n in seen if 0 < n < 800]
    assert len(set(running)) >= 3, f"readers saw too few states while the batch ran: {seen}"
    assert seen == sorted(seen)                        # whole chunks only, never going back
    assert read_count(store) == 800


def test_a_chunk_larger_than_the_memory_limit_is_read_in_buffers(tmp_path):
    """60 MB of cells in one chunk, under the store's 48 MB DuckDB limit (read_csv used to take the file whole)."""
    path = str(tmp_path / "s.duckdb")
    row = ("%064x,t3,row,col,1,1,read,件,\"{\"\"table\"\": 1}\"\n")
    blob = "".join(row % i for i in range(600_000)).encode()
    assert len(blob) > 60_000_000
    s = Store(path)
    try:
        s.write({}, {"cells": [blob]})
        assert s.con.execute("SELECT count(*), count(DISTINCT sha256) FROM cells").fetchone() == (600_000, 600_000)
    finally:
        s.close()


def test_a_section_longer_than_a_store_row_is_a_failure_with_its_reason(tmp_path, monkeypatch):
    from nianbao.corpus import batch
    folder = tmp_path / "in"
    make_corpus(folder, 2)
    monkeypatch.setattr(batch, "MAX_ROW_BYTES", 400_000)     # a section may hold 300 kB; theirs hold 1-3 kB
    long = folder / "r0000.txt"
    text = long.read_text(encoding="utf-8")
    long.write_text(text.replace("一、总体情况\n", "一、总体情况\n" + "政府信息公开。" * 20_000 + "\n", 1), encoding="utf-8")
    stats = batch.run_batch([str(folder)], str(tmp_path / "s.duckdb"), workers=0)
    assert (stats.stored, stats.failed) == (1, 1) and stats.balanced()
    (path, code, reason), = stats.failures
    assert path.endswith("r0000.txt") and code == "section-too-long" and "MB" in reason
