"""`nianbao batch`: extract and check many reports in parallel into a store.

Inputs are files, folders (walked in sorted order) and zip archives (members read in place).
The main process hashes each file and skips what the store already has (same sha256); workers
read, extract and check; results are written in chunks, one transaction each. Memory stays
bounded: paths are streamed and at most `2 × workers × chunk` files are in flight.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..cli import REPORT_SUFFIXES  # the suffixes `nianbao extract` walks
from .store import Store, cell

ZIP_SEP = "!/"


def iter_inputs(paths: Iterable[str]) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(display path, loader) for every report file under the given paths, zips opened in place."""
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(root, f)
                    if f.lower().endswith(".zip"):
                        yield from _zip_members(full)
                    elif f.lower().endswith(REPORT_SUFFIXES) and not f.startswith((".", "~$")):
                        yield full, _file_loader(full)
        elif p.lower().endswith(".zip") and os.path.isfile(p):
            yield from _zip_members(p)
        elif os.path.isfile(p) and p.lower().endswith((".lst", ".list")):
            with open(p, encoding="utf-8-sig") as fh:
                yield from iter_inputs([line.strip() for line in fh if line.strip()])
        else:
            yield p, _file_loader(p)


def _file_loader(path: str) -> Callable[[], bytes]:
    def load() -> bytes:
        with open(path, "rb") as fh:
            return fh.read()
    return load


def _zip_members(path: str) -> Iterator[tuple[str, Callable[[], bytes]]]:
    try:
        zf = zipfile.ZipFile(path)
        names = sorted(n for n in zf.namelist() if n.lower().endswith(REPORT_SUFFIXES) and not n.endswith("/"))
    except (zipfile.BadZipFile, OSError):
        yield path, _file_loader(path)      # the reader will report what is wrong with it
        return
    for n in names:
        yield f"{path}{ZIP_SEP}{n}", (lambda n=n: zf.read(n))


def process(path: str, data: bytes, sha: str) -> dict:
    """Worker: bytes → rows for every store table (or a failure row)."""
    from ..checks import run_checks
    from ..errors import NianbaoError
    from ..extract import extract
    from ..readers import read_bytes
    try:
        report = extract(read_bytes(data, path))
    except NianbaoError as e:
        return {"failures": [[sha, path, e.code, e.message]]}
    except Exception as e:   # never stop a batch: record it as a failure with the reason
        return {"failures": [[sha, path, "internal", f"内部错误：{type(e).__name__}: {e}"]]}
    findings = run_checks(report)
    sev = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    from .units import normalise_unit
    out = {
        "reports": [[sha, path, report.source.kind, cell(report.org), cell(normalise_unit(report.org)),
                     cell(report.year), cell(report.format), cell(report.title), sev["error"], sev["warning"],
                     sev["info"], dt.datetime.now().isoformat(timespec="seconds")]],
        "cells": [[sha, t, r, c, cell(cv.value), cell(cv.raw), cv.status, cell(cv.unit),
                   cell(cv.where.to_dict() if cv.where else None)] for (t, r, c), cv in report.cells.items()
                  if t in report.present],
        "findings": [[sha, f.code, f.name, f.severity, f.message, cell(f.table), cell(f.row), cell(f.col),
                      cell(f.where.to_dict() if f.where else None)] for f in findings],
        "sections": [[sha, s.number, s.title, s.text] for s in report.sections],
    }
    return out


def _work(args: tuple[str, bytes, str]) -> dict:
    return process(*args)


@dataclass
class BatchStats:
    seen: int = 0
    skipped: int = 0
    stored: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)     # (path, code, message) of this run


def run_batch(paths: list[str], store_path: str, workers: int | None = None, chunk: int = 64,
              progress: bool = False, client=None, mapping: dict[str, str] | None = None) -> BatchStats:
    """Extract and check every input into the store; `client` is a dask.distributed Client or None."""
    store = Store(store_path)
    known = store.known()
    stats = BatchStats()
    workers = workers or os.cpu_count() or 1
    bar = None
    if progress:
        from tqdm import tqdm
        total = sum(1 for _ in iter_inputs(paths))      # a cheap walk, so that the bar shows an ETA
        bar = tqdm(total=total, unit="份", desc="批量处理", dynamic_ncols=True)

    def jobs() -> Iterator[tuple[str, bytes, str]]:
        for path, load in iter_inputs(paths):
            stats.seen += 1
            try:
                data = load()
            except OSError as e:
                data = b""
                sha = hashlib.sha256(path.encode()).hexdigest()
                pending.append({"failures": [[sha, path, "os-error", f"无法读取文件：{e.strerror}"]]})
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in known:
                stats.skipped += 1
                if bar is not None:
                    bar.update(1)
                continue
            known.add(sha)
            yield path, data, sha

    pending: list[dict] = []

    def flush(force: bool = False) -> None:
        if pending and (force or len(pending) >= chunk):
            if mapping:
                from .units import normalise_unit
                for r in pending:
                    for row in r.get("reports", ()):
                        row[4] = cell(normalise_unit(None if row[3] == "\\N" else row[3], mapping))
            store.write(pending)
            for r in pending:
                if "failures" in r:
                    stats.failed += 1
                    stats.failures.extend((f[1], f[2], f[3]) for f in r["failures"])
                else:
                    stats.stored += 1
            pending.clear()

    try:
        if client is not None:
            _run_dask(client, jobs(), pending, flush, bar, workers * chunk)
        elif workers <= 1:
            for job in jobs():
                pending.append(_work(job))
                if bar is not None:
                    bar.update(1)
                flush()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                inflight = set()
                limit = workers * 4
                for job in jobs():
                    inflight.add(pool.submit(_work, job))
                    if len(inflight) >= limit:
                        done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                        for f in done:
                            pending.append(f.result())
                            if bar is not None:
                                bar.update(1)
                        flush()
                for f in inflight:
                    pending.append(f.result())
                    if bar is not None:
                        bar.update(1)
        flush(force=True)
    finally:
        if bar is not None:
            bar.close()
        store.close()
    return stats


def _run_dask(client, jobs, pending, flush, bar, limit: int) -> None:
    from dask.distributed import as_completed
    it = iter(jobs)
    futures = as_completed()
    n = 0
    for job in it:
        futures.add(client.submit(_work, job, pure=False))
        n += 1
        if n >= limit:
            break
    for fut in futures:
        pending.append(fut.result())
        fut.release()
        if bar is not None:
            bar.update(1)
        flush()
        job = next(it, None)
        if job is not None:
            futures.add(client.submit(_work, job, pure=False))
