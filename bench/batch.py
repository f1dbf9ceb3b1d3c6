"""Batch benchmark: generate N varied reports (text in three layouts and HTML, both formats, values,
orgs and years varied by the synthetic generator) and run `nianbao batch` over them on this machine.

    python bench/batch.py [--n 100000] [--dir /tmp/nianbao-bench] [--workers 2] [--dask] [--reuse] [--keep]

Prints generation time (not part of the target), batch wall time, reports/s, peak resident memory
of the main process and of the largest worker, the CPU time of the main process against the workers'
(and per report: the main process caps the batch at 1000 / that many reports per second), and the store's
size. `--dask` runs the batch on a local Dask cluster of `--workers` worker processes (one thread each);
the scheduler and the workers' nannies then run in the main process and their CPU counts there. Their
background polling (event-loop tick every 20 ms, nanny memory checks every 100 ms, system monitor every
0.5 s) alone costs the main process about 0.05 s of CPU per second of wall time, so the bench slows it to
`DASK_QUIET` (`--dask-defaults` keeps Dask's defaults). `--reuse` keeps the generated
corpus between runs (it is regenerated when the count differs). Targets (issue 11): 100,000 reports in
under 5 minutes and under 300 MB summed PSS on the 2-core machine; the main process (hashing, writing)
must not cap the throughput.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nianbao.corpus import run_batch  # noqa: E402
from nianbao.render import to_html, to_text  # noqa: E402
from nianbao.synth import random_report  # noqa: E402


def generate(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        r = random_report(rng, rng.choice(["2019", "2021"]), zero_share=rng.choice([0.0, 0.5, 0.9]))
        kind = rng.random()
        if kind < 0.25:
            (sub / f"r{i:06d}.html").write_text(to_html(r), encoding="utf-8")
        else:
            layout = rng.choice(["tabbed", "cell_per_line", "pipes"])
            enc = rng.choice(["utf-8", "gb18030"])
            (sub / f"r{i:06d}.txt").write_bytes(to_text(r, layout).encode(enc))


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


class MemorySampler:
    """Peak of the summed PSS (proportional set size: shared pages counted once) of this process and
    its children, sampled every 0.25 s — the memory the whole batch really holds."""

    def __init__(self):
        import threading
        self.peak_kb = 0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = os.getpid()
        while not self._stop.wait(0.25):
            total = sum(_pss_kb(p) for p in [me, *_children(me)])
            self.peak_kb = max(self.peak_kb, total)
        self.cpu = time.thread_time()      # reading smaps costs CPU: not the batch's, subtracted from the main's

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


DASK_QUIET = {"distributed.admin.tick.interval": "1s", "distributed.worker.memory.monitor-interval": "1s",
              "distributed.admin.system-monitor.interval": "2s"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/nianbao-bench"))
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--keep", action="store_true", help="keep the generated files and the store")
    ap.add_argument("--reuse", action="store_true", help="reuse the generated corpus of an earlier run")
    ap.add_argument("--dask", action="store_true", help="run on a local Dask cluster of --workers processes")
    ap.add_argument("--dask-defaults", action="store_true", help="the Dask cluster with Dask's default polling")
    ap.add_argument("--chunk", type=int, default=500, help="files per transaction")
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    corpus, store = args.dir / "corpus", args.dir / "store.duckdb"
    if args.generate_only:
        generate(corpus, args.n)
        (args.dir / "count").write_text(str(args.n))
        return
    count = args.dir / "count"
    reuse = args.reuse and count.exists() and count.read_text() == str(args.n)
    gen = 0.0
    if reuse:
        for p in (store, Path(f"{store}.wal")):
            if p.exists():
                p.unlink()
    else:
        if args.dir.exists():
            shutil.rmtree(args.dir)
        corpus.mkdir(parents=True)
        t0 = time.perf_counter()
        # generate in a child process so that its memory does not count against the batch
        import subprocess
        subprocess.run([sys.executable, __file__, "--generate-only", "--n", str(args.n), "--dir", str(args.dir)],
                       check=True)
        gen = time.perf_counter() - t0
    cluster = client = None
    if args.dask:
        import dask
        from distributed import Client, LocalCluster
        if not args.dask_defaults:
            dask.config.set(DASK_QUIET)
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    t1 = time.perf_counter()
    me0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with MemorySampler() as mem:
        stats = run_batch([str(corpus)], str(store), workers=args.workers, chunk=args.chunk, client=client)
    wall = time.perf_counter() - t1
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    dask_cpu = 0.0
    if cluster is not None:          # worker CPU of a Dask cluster: read before the workers exit
        dask_cpu = sum(client.run(lambda: sum(__import__("os").times()[:2])).values())
        client.close()
        cluster.close()
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    main_cpu = (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime) - mem.cpu
    worker_cpu = dask_cpu or (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    main_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # includes the generator
    size = store.stat().st_size / 1048576
    load = os.getloadavg()
    print(f"reports        {args.n}")
    print(f"generated in   {gen:.1f} s (not part of the target)" if gen else "generated in   (reused)")
    print(f"batch wall     {wall:.1f} s  ({args.n / wall:.0f} reports/s, {args.workers} "
          f"{'Dask LocalCluster ' if args.dask else ''}workers, chunk {args.chunk})")
    print(f"stored/failed  {stats.stored}/{stats.failed}")
    print(f"CPU            main {main_cpu:.1f} s, workers {worker_cpu:.1f} s: the main process is "
          f"{100 * main_cpu / max(main_cpu + worker_cpu, 1e-9):.0f} % of the batch's CPU "
          f"({100 * main_cpu / wall / (os.cpu_count() or 1):.0f} % of the machine's)")
    print(f"per report     main {1000 * main_cpu / args.n:.2f} ms, workers {1000 * worker_cpu / args.n:.2f} ms: "
          f"the main process alone could write {args.n / max(main_cpu, 1e-9):.0f} reports/s")
    print(f"peak RSS       main {main_rss:.0f} MB, largest worker {child_rss:.0f} MB")
    print(f"peak PSS total {mem.peak_kb / 1024:.0f} MB (main + workers, shared pages counted once; sampling it "
          f"cost {mem.cpu:.1f} s of CPU, not counted above)")
    print(f"store size     {size:.0f} MB")
    print(f"machine        {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          "(1 / 5 / 15 min) at the end")
    if not args.keep and not args.reuse:
        shutil.rmtree(args.dir)


if __name__ == "__main__":
    main()
