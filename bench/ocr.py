#!/usr/bin/env python3
"""OCR accuracy and speed on scanned reports (needs the extra: pip install 'nianbao[ocr]').

Makes scans with scripts/make_scanned_fixtures.py's functions (seeds and random reports rendered,
rasterised at 150 and 300 dpi, with noise, a slight rotation and a red seal over 表三), and reports whose
表三/表四 are pasted as pictures into a DOCX and a web page (scripts/make_picture_fixtures.py), reads them
with `nianbao extract --ocr`'s code on one core, and prints per file and in total:

  * exact: cells of 表二/表三/表四 whose value is the printed one (read or inferred);
  * wrong but read: cells `read` with another value (the goal is 0: the identities catch misreads);
  * inferred / missing: cells the identities determined, and cells left missing;
  * seconds per page (CPU time of the reading process, one thread); for a DOCX or web page, per picture
    of a table read by OCR.

Usage:
  python bench/ocr.py [--n 2] [--dpi 150 300] [--committed] [--show]
  --committed reads the fixtures in tests/fixtures/scanned instead of making new ones.

  python bench/ocr.py --batch [--workers 2] [--copies 1] [--dask]
  the OCR in `nianbao batch`: (1) one worker process's memory (RSS and PSS) when it has read only text,
  after loading the model alone, after one scanned PDF and after a second one; (2) a batch of the
  committed scanned PDFs (× --copies, each copy a new file) among the text seeds with --workers
  processes (or a Dask LocalCluster): wall seconds per scanned page, CPU seconds per page (all
  processes), and the peak RSS/PSS of each worker.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))


def score(report: dict, truth: dict) -> dict:
    """Compare an extracted report (contract JSON) with the ground truth's tables."""
    out = {"cells": 0, "exact": 0, "wrong_read": 0, "inferred": 0, "missing": 0, "wrong": []}
    for c in report["cells"]:
        t = (truth["tables"].get(c["table"]) or {}).get(c["row"], {}).get(c["col"], "absent")
        if t == "absent":
            continue
        out["cells"] += 1
        v = c["value"]
        ok = (v == t) or (t is None and c["status"] == "blank")
        if ok and c["status"] in ("read", "inferred", "blank"):
            out["exact"] += 1
        if c["status"] == "read" and not ok:
            out["wrong_read"] += 1
            out["wrong"].append((c["table"], c["row"], c["col"], v, t, c.get("note")))
        if c["status"] == "inferred":
            out["inferred"] += 1
        if c["status"] == "missing":
            out["missing"] += 1
    return out


def read_scan(path: Path) -> tuple[dict, float, int]:
    from nianbao.extract import extract_path
    from nianbao.readers import ocr
    t = time.process_time()
    with ocr.switched(True):
        rep = extract_path(path)
    d = rep.to_dict()
    pictures = {c["where"]["image"] for c in d["cells"] if c.get("where") and "image" in c["where"]}
    return d, time.process_time() - t, len(pictures) or rep.source.pages or 1


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in kB; PSS counts pages shared with other processes in part."""
    out = {"Rss:": 0, "Pss:": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                k = line.split(":")[0] + ":"
                if k in out:
                    out[k] = int(line.split()[1])
    except OSError:
        pass
    return out["Rss:"], out["Pss:"]


def _descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _descendants(k)]


def _load_model() -> None:
    from nianbao.readers.ocr import engine
    engine.engine()


def _scanned_copy(src: Path, dst: Path, n: int) -> Path:
    """The same scan as a new file (another sha256, so not a duplicate): a comment appended."""
    dst.write_bytes(src.read_bytes() + f"\n% copy {n}\n".encode())
    return dst


def batch_bench(a) -> int:
    import resource
    import shutil
    import threading
    from concurrent.futures import ProcessPoolExecutor

    import pymupdf

    from nianbao.corpus import run_batch
    from nianbao.corpus.batch import _work
    os.environ["NIANBAO_TIME_LIMIT"] = "0"
    scans = sorted((ROOT / "tests" / "fixtures" / "scanned").glob("*.pdf"))
    seeds = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-ocr-batch-"))
    try:
        text = [(str(p), p.read_bytes(), f"text{i}") for i, p in enumerate(seeds)]
        scan = [(str(p), p.read_bytes(), f"scan{i}") for i, p in enumerate(scans)]
        print("one worker process (kB)               RSS      PSS")
        with ProcessPoolExecutor(1) as pool:
            pid = pool.submit(os.getpid).result()
            print(f"  started                         {_mem_kb(pid)[0]:8d} {_mem_kb(pid)[1]:8d}")
            pool.submit(_work, text).result()
            print(f"  read {len(text)} text reports            {_mem_kb(pid)[0]:8d} {_mem_kb(pid)[1]:8d}")
            pool.submit(_load_model).result()
            print(f"  OCR model loaded                {_mem_kb(pid)[0]:8d} {_mem_kb(pid)[1]:8d}")
            for i, job in enumerate(scan[:2]):
                pool.submit(_work, [job]).result()
                rss, pss = _mem_kb(pid)
                print(f"  after scanned PDF {i + 1} ({Path(job[0]).name[:12]}) {rss:8d} {pss:8d}")
        folder = tmp / "in"
        folder.mkdir()
        for p in seeds:
            shutil.copy(p, folder / p.name)
        pages = 0
        for c in range(a.copies):
            for p in scans:
                _scanned_copy(p, folder / f"{p.stem}_{c}.pdf", c)
                pages += pymupdf.open(p).page_count
        peak: dict[int, tuple[int, int]] = {}
        stop = threading.Event()

        def sample() -> None:
            me = os.getpid()
            while not stop.wait(0.25):
                for k in _descendants(me):
                    rss, pss = _mem_kb(k)
                    r0, p0 = peak.get(k, (0, 0))
                    peak[k] = (max(r0, rss), max(p0, pss))
        cluster = client = None
        if a.dask:
            from distributed import Client, LocalCluster
            cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        th = threading.Thread(target=sample, daemon=True)
        th.start()
        kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        me0 = resource.getrusage(resource.RUSAGE_SELF)
        cpu_workers0 = sum(_cpu_s(k) for k in _descendants(os.getpid()))
        t = time.perf_counter()
        stats = run_batch([str(folder)], str(tmp / "s.duckdb"), workers=a.workers, client=client)
        wall = time.perf_counter() - t
        cpu_workers1 = sum(_cpu_s(k) for k in _descendants(os.getpid()))     # Dask workers still alive
        stop.set()
        th.join()
        kids1, me1 = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        if client is not None:
            client.close()
            cluster.close()
        cpu = (kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime + me1.ru_utime + me1.ru_stime
               - me0.ru_utime - me0.ru_stime + cpu_workers1 - cpu_workers0)
        mode = f"Dask LocalCluster of {a.workers}" if a.dask else f"{a.workers} worker processes"
        print(f"\nbatch, {mode}: {len(scans) * a.copies} scanned PDFs ({pages} pages) + {len(seeds)} text reports")
        print(f"  {stats.found} found = {stats.reports} reports + {stats.duplicates} duplicates + {stats.failed} "
              f"failures + {stats.skipped} skipped; failures: {stats.failures}")
        print(f"  {wall:.1f} s wall, {wall / pages:.1f} s per scanned page; {cpu:.1f} CPU s in all, "
              f"{cpu / pages:.1f} CPU s per page (load average {os.getloadavg()[0]:.1f})")
        big = sorted(peak.items(), key=lambda kv: -kv[1][0])[:max(a.workers, 1) + (a.workers if a.dask else 0)]
        for k, (rss, pss) in big:
            print(f"  process {k}: peak RSS {rss / 1024:.0f} MB, peak PSS {pss / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2, help="random reports per resolution (plus one seed)")
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    ap.add_argument("--committed", action="store_true")
    ap.add_argument("--show", action="store_true", help="list the cells that are not exact")
    ap.add_argument("--batch", action="store_true", help="memory and speed of OCR in nianbao batch")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--copies", type=int, default=1, help="--batch: copies of each committed scan")
    ap.add_argument("--dask", action="store_true", help="--batch on a Dask LocalCluster")
    a = ap.parse_args()
    from nianbao.readers import ocr
    if not ocr.available():
        print("the OCR extra is not installed: pip install 'nianbao[ocr]'", file=sys.stderr)
        return 2
    if a.batch:
        return batch_bench(a)
    os.environ["NIANBAO_TIME_LIMIT"] = "0"
    tmp = None
    if a.committed:
        files = sorted((ROOT / "tests" / "fixtures" / "scanned").glob("*.pdf")) + \
            sorted((ROOT / "tests" / "fixtures" / "scanned").glob("*.png")) + \
            sorted((ROOT / "tests" / "fixtures" / "pictures").glob("*.docx")) + \
            sorted((ROOT / "tests" / "fixtures" / "pictures").glob("*.html"))
    else:
        import make_scanned_fixtures as m
        soffice = m._soffice()
        if soffice is None:
            print("LibreOffice (soffice) is needed to render the reports", file=sys.stderr)
            return 2
        tmp = Path(tempfile.mkdtemp(prefix="nianbao-ocr-bench-"))
        files = []
        seeds = ["000_ca8a2528f0fad91b", "003_74ac7cc249356a73", "004_ad88d0bc66619eac"]
        for dpi in a.dpi:
            jobs = [(f"seed{seeds[dpi % 3][:3]}_{dpi}", m.seed_report(seeds[dpi % 3]))]
            jobs += [(f"random{100 + i}_{dpi}", m.random_report(100 + i, "2021" if i % 3 else "2019"))
                     for i in range(a.n)]
            for k, (name, rep) in enumerate(jobs):
                files += [p for p in m.make(name, rep, dpi, 1000 + dpi + k, soffice, tmp, picture=(k == 1))
                          if p.suffix in (".pdf", ".png")]
        import make_picture_fixtures as mp       # tables pasted as pictures (150 dpi) into DOCX and HTML
        for i in range(a.n):
            seed, fmt, kind = 200 + i, "2021" if i % 2 else "2019", ("docx", "html")[i % 2]
            files += [p for p in mp.make(f"pictures{seed}_{kind}", seed, fmt, kind, soffice, tmp)
                      if p.suffix in (".docx", ".html")]
    total = {"cells": 0, "exact": 0, "wrong_read": 0, "inferred": 0, "missing": 0}
    t3t4 = {"cells": 0, "exact": 0, "wrong_read": 0}
    secs = pages = 0.0
    print(f"{'file':28} {'pages':>5} {'s/page':>7} {'cells':>6} {'exact':>7} {'wrong read':>10} {'inferred':>8} {'missing':>7}")
    for f in files:
        truth = json.loads(f.with_name(f.name.split(".")[0] + ".truth.json").read_text("utf-8"))
        rep, s, n = read_scan(f)
        sc = score(rep, truth)
        sub = score({"cells": [c for c in rep["cells"] if c["table"] in ("t3", "t4")]}, truth)
        for k in total:
            total[k] += sc[k]
        for k in t3t4:
            t3t4[k] += sub[k]
        secs += s
        pages += n
        print(f"{f.name:28} {n:5d} {s / n:7.1f} {sc['cells']:6d} {sc['exact'] / max(1, sc['cells']):7.2%} "
              f"{sc['wrong_read']:10d} {sc['inferred']:8d} {sc['missing']:7d}")
        if a.show:
            for c in rep["cells"]:
                t = (truth["tables"].get(c["table"]) or {}).get(c["row"], {}).get(c["col"])
                if c["value"] != t or c["status"] not in ("read", "blank"):
                    print(f"    {c['table']}.{c['row']}.{c['col']}: {c['status']} {c['value']!r} (printed {t!r}) "
                          f"{c.get('note') or ''}")
        for w in sc["wrong"]:
            print("    WRONG BUT READ:", w)
    print(f"\nall tables: {total['cells']} cells, {total['exact'] / max(1, total['cells']):.2%} exact, "
          f"{total['wrong_read']} wrong but read, {total['inferred']} inferred, {total['missing']} missing")
    print(f"表三/表四: {t3t4['cells']} cells, {t3t4['exact'] / max(1, t3t4['cells']):.2%} exact, "
          f"{t3t4['wrong_read']} wrong but read")
    print(f"{pages:.0f} pages or pictures, {secs / max(1, pages):.1f} CPU s per page or picture (one thread)")
    if tmp is not None:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
