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

from ..readers.detect import REPORT_SUFFIXES, skip_reason
from ..readers.walk import ARCHIVES, walk
from .store import NULL, Store, cell, csv_text

ZIP_SEP = "!/"


def iter_inputs(paths: Iterable[str]) -> Iterator[tuple]:
    """(display path, loader) for every report file under the given paths, zips opened in place;
    (display path, None, (code, reason)) for what the walk lists but cannot read (.doc, .wps, a
    nested zip, a locked folder): recorded with its reason, never dropped."""
    for found in walk(paths, archives=True):
        p = found.path
        if found.error is not None:
            yield p, None, (found.error.code, found.error.message)
        elif p.lower().endswith(ARCHIVES) and os.path.isfile(p):
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


def _zip_members(path: str) -> Iterator[tuple]:
    try:
        zf = zipfile.ZipFile(path)
        names = sorted(n for n in zf.namelist() if not n.endswith("/"))
    except (zipfile.BadZipFile, OSError):
        yield path, _file_loader(path)      # the reader will report what is wrong with it
        return
    for n in names:
        base = n.rsplit("/", 1)[-1]
        if base.startswith((".", "~$")) or "__MACOSX" in n:
            continue
        display = f"{path}{ZIP_SEP}{n}"
        if n.lower().endswith(REPORT_SUFFIXES):
            yield display, (lambda n=n: zf.read(n))
        elif base.lower().endswith(ARCHIVES):
            yield display, None, ("nested-zip", "压缩包中的压缩包不予展开；请解压后再读取。")
        elif reason := skip_reason(base):
            yield display, None, reason[:2]


def process(path: str, data: bytes, sha: str) -> dict:
    """Worker: bytes → rows for every store table (or a failure).

    The `reports` row leaves unit and match empty (columns 4 and 5): the main process fills them, since
    the units map lives there."""
    from ..checks import run_checks
    from ..errors import NianbaoError
    from ..extract import extract
    from ..readers import read_bytes
    from .. import limits
    try:
        with limits.time_limit():
            report = extract(read_bytes(data, path))
    except NianbaoError as e:
        return {"failure": (e.code, e.message)}
    except Exception as e:   # never stop a batch: record it as a failure with the reason
        return {"failure": ("internal", f"内部错误：{type(e).__name__}: {e}")}
    findings = run_checks(report)
    sev = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    out = {
        "reports": [[sha, path, report.source.kind, cell(report.org), NULL, NULL, cell(report.year),
                     cell(report.format), cell(report.title), sev["error"], sev["warning"], sev["info"],
                     dt.datetime.now().isoformat(timespec="seconds"), NULL]],
        # the bulk of the rows leaves the worker as CSV text: the main process only appends it
        "csv": {"cells": csv_text([sha, t, r, c, cell(cv.value), cell(cv.raw), cv.status, cell(cv.unit),
                                   cell(cv.where.to_dict() if cv.where else None)]
                                  for (t, r, c), cv in report.cells.items() if t in report.present),
                "findings": csv_text([sha, f.code, f.name, f.severity, f.message, cell(f.table), cell(f.row),
                                      cell(f.col), cell(f.where.to_dict() if f.where else None)] for f in findings),
                "sections": csv_text([sha, s.number, s.title, s.text] for s in report.sections)},
    }
    return out


def _orphan_guard(parent: int) -> None:
    """Worker initializer: exit when the main process dies (killed, out of memory), never keep running
    orphaned. Linux: the kernel sends SIGTERM on the parent's death; elsewhere a thread polls the parent."""
    import signal
    import sys
    import threading
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)              # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:                          # died before the guard was set
        os._exit(1)

    def watch() -> None:
        import time
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="nianbao-orphan-guard").start()


def _work(args: tuple[str, bytes, str]) -> dict:
    out = process(*args)
    out["job"] = (args[0], args[2], len(args[1]))
    return out


REPORT, DUPLICATE, FAILURE, SKIPPED = "report", "duplicate", "failure", "skipped"


@dataclass
class BatchStats:
    """One run's accounting: found = reports + duplicates + failures + skipped."""
    found: int = 0
    stored: int = 0          # new reports written by this run
    unchanged: int = 0       # reports already in the store under the same path and content
    duplicates: int = 0      # the same content as another path's report
    failed: int = 0
    skipped: int = 0
    run: int = 0
    failures: list = field(default_factory=list)     # (path, code, message) of this run
    skips: list = field(default_factory=list)        # (path, code, reason)
    dups: list = field(default_factory=list)         # (path, duplicate of)

    @property
    def reports(self) -> int:
        return self.stored + self.unchanged

    @property
    def seen(self) -> int:              # the old name
        return self.found

    def balanced(self) -> bool:
        return self.found == self.reports + self.duplicates + self.failed + self.skipped


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def run_batch(paths: list[str], store_path: str, workers: int | None = None, chunk: int = 64,
              progress: bool = False, client=None, mapping: dict[str, str] | None = None) -> BatchStats:
    """Extract and check every input into the store; `client` is a dask.distributed Client or None.

    Every input ends in exactly one outcome, recorded in `files`: report (new or unchanged),
    duplicate (of the path that holds the same content), failure (code, reason) or skipped (reason)."""
    from .units import match_name
    store = Store(store_path)
    known = store.known()
    stored_sha: dict[str, str] = known["reports"]        # sha → the path its report was first stored from
    failed_sha: dict[str, tuple[str, str]] = known["failed"]
    seen_before: dict[tuple[str, str], str] = known["seen"]
    inflight_sha: dict[str, str] = {}                    # sha → path, dispatched in this run
    run = store.begin_run(_now())
    stats = BatchStats(run=run)
    workers = (os.cpu_count() or 1) if workers is None else workers      # 0: read in this process
    bar = None
    if progress:
        from tqdm import tqdm
        total = sum(1 for _ in iter_inputs(paths))      # a cheap walk, so that the bar shows an ETA
        bar = tqdm(total=total, unit="份", desc="批量处理", dynamic_ncols=True)
    pending: list[dict] = []
    this_run: set[str] = set()

    def file_row(path, sha, size, outcome, duplicate_of=None, code=None, reason=None) -> list:
        now = _now()
        return [path, sha, cell(size), now, now, run, run, outcome, cell(duplicate_of), cell(code), cell(reason)]

    def record(path, sha, size, outcome, duplicate_of=None, code=None, reason=None) -> None:
        pending.append({"files": [file_row(path, sha, size, outcome, duplicate_of, code, reason)],
                        "outcome": outcome})
        if outcome == FAILURE:
            stats.failures.append((path, code, reason))
        elif outcome == SKIPPED:
            stats.skips.append((path, code, reason))
        elif outcome == DUPLICATE:
            stats.dups.append((path, duplicate_of))
        if bar is not None:
            bar.update(1)

    def jobs() -> Iterator[tuple[str, bytes, str]]:
        for item in iter_inputs(paths):
            path, load = item[0], item[1]
            if path in this_run:           # the same file named twice (a folder and a file in it)
                continue
            this_run.add(path)
            stats.found += 1
            if load is None:               # the walk could not open it: (path, None, (code, reason))
                code, reason = item[2]
                record(path, "", None, SKIPPED, code=code, reason=reason)
                continue
            try:
                data = load()
            except OSError as e:
                record(path, "", None, FAILURE, code="os-error", reason=f"无法读取文件：{e.strerror or e}")
                continue
            if not data:
                record(path, "", 0, FAILURE, code="empty", reason="文件是空的（0 字节）；请重新下载或取得原件。")
                continue
            sha = hashlib.sha256(data).hexdigest()
            before = seen_before.get((path, sha))
            if before is not None:             # this path, this content: already accounted
                record(path, sha, len(data), before, code=(failed_sha.get(sha) or (None, None))[0],
                       reason=(failed_sha.get(sha) or (None, None))[1])
                continue
            if sha in stored_sha:
                record(path, sha, len(data), DUPLICATE, duplicate_of=stored_sha[sha])
                continue
            if sha in inflight_sha:
                record(path, sha, len(data), DUPLICATE, duplicate_of=inflight_sha[sha])
                continue
            if sha in failed_sha:
                code, reason = failed_sha[sha]
                record(path, sha, len(data), FAILURE, code=code, reason=reason)
                continue
            inflight_sha[sha] = path
            yield path, data, sha

    def finish(result: dict) -> None:
        """A worker's result → store rows for this run (files row included)."""
        path, sha, size = result.pop("job")
        if "failure" in result:
            code, reason = result.pop("failure")
            failed_sha[sha] = (code, reason)
            result["files"] = [file_row(path, sha, size, FAILURE, code=code, reason=reason)]
            result["outcome"] = FAILURE
            stats.failures.append((path, code, reason))
        else:
            row = result["reports"][0]
            m = match_name(None if row[3] == NULL else row[3], mapping)
            row[4], row[5], row[13] = cell(m.unit), m.how, run
            result["files"] = [file_row(path, sha, size, REPORT)]
            result["outcome"] = "new"
            stored_sha[sha] = path
        pending.append(result)
        if bar is not None:
            bar.update(1)

    def flush(force: bool = False) -> None:
        if pending and (force or len(pending) >= chunk):
            store.write(pending)
            for r in pending:
                o = r["outcome"]
                if o == "new":
                    stats.stored += 1
                elif o == REPORT:
                    stats.unchanged += 1
                elif o == DUPLICATE:
                    stats.duplicates += 1
                elif o == FAILURE:
                    stats.failed += 1
                else:
                    stats.skipped += 1
            pending.clear()

    try:
        if client is not None:
            _run_dask(client, jobs(), finish, flush, workers * chunk)
        elif workers <= 0:
            for job in jobs():
                finish(_work(job))
                flush()
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_orphan_guard,
                                     initargs=(os.getpid(),)) as pool:
                inflight = set()
                limit = workers * 4
                for job in jobs():
                    inflight.add(pool.submit(_work, job))
                    if len(inflight) >= limit:
                        done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                        for f in done:
                            finish(f.result())
                        flush()
                for f in inflight:
                    finish(f.result())
        flush(force=True)
        store.end_run(run, _now(), {"found": stats.found, "reports": stats.reports, "new_reports": stats.stored,
                                    "duplicates": stats.duplicates, "failures": stats.failed,
                                    "skipped": stats.skipped})
    finally:
        if bar is not None:
            bar.close()
        store.close()
    return stats


def _run_dask(client, jobs, finish, flush, limit: int) -> None:
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
        finish(fut.result())
        fut.release()
        flush()
        job = next(it, None)
        if job is not None:
            futures.add(client.submit(_work, job, pure=False))
