"""Parquet export benchmark: a store of N synthetic reports (200 cells, 6 section texts of ~2.5 kB and 3
findings each, written directly in SQL), exported with the batch's own store settings (48 MB DuckDB memory
limit, one thread).

    python bench/export.py [--n 10000] [--dir /tmp/nianbao-export]

Prints the fill time (not part of the target), the export wall time, the peak RSS of the exporting process and the
Parquet size. Goal (issue 11): the 10,000- and 100,000-report stores export without running out of memory.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from nianbao.corpus.store import Store  # noqa: E402
from tests.test_export import fill  # noqa: E402  (the same synthetic store the test exports)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/nianbao-export"))
    args = ap.parse_args()
    if args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.mkdir(parents=True)
    path = str(args.dir / "store.duckdb")
    t0 = time.perf_counter()
    import multiprocessing
    filler = multiprocessing.get_context("spawn").Process(target=fill, args=(path, args.n))   # its memory apart
    filler.start()
    filler.join()
    t1 = time.perf_counter()
    store = Store(path)
    try:
        store.con.execute("SET enable_progress_bar = false")
        files = store.export_parquet(str(args.dir / "parquet"))
    finally:
        store.close()
    t2 = time.perf_counter()
    size = sum(Path(f).stat().st_size for f in files) / 1048576
    print(f"reports        {args.n}")
    print(f"filled in      {t1 - t0:.1f} s (not part of the target)")
    print(f"export wall    {t2 - t1:.1f} s, {len(files)} files, {size:.0f} MB of Parquet")
    print(f"peak RSS       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (the exporting process; the fill ran in a child)")
    shutil.rmtree(args.dir)


if __name__ == "__main__":
    main()
