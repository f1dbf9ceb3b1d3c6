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
