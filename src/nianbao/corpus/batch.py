"""`nianbao batch`: extract and check many reports in parallel into a store.

Inputs are files, folders (walked in sorted order) and zip archives (members read in place).
The main process walks, reads and hashes each file and skips what the store already has (same sha256);
workers read, extract, check and build every row, a group of files at a time, and return the rows as UTF-8
CSV; the main process appends them in chunks, one transaction each, opening the store only for that (so
that readers get in between). Memory stays bounded: paths are streamed and at most `2 × workers` groups
(16 files, 2 MB each) are in flight, plus one chunk of rows waiting to be written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..readers.detect import REPORT_SUFFIXES, skip_reason
from ..readers.walk import ARCHIVES, walk
from .progress import Status, dask_work, worker_init
from .store import MAX_ROW_BYTES, NULL, Store, Writer, cell, csv_text

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
    load.plain = True          # a file of its own (not a zip member): a Dask worker may read it by path
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
    the units map lives there. Cells, findings and sections leave the worker as UTF-8 CSV (bytes): the
    main process only hands them to DuckDB."""
    from ..checks import run_checks
    from ..errors import NianbaoError
    from ..extract import extract
    from ..readers import read_bytes
    from .. import limits
    try:
        with limits.time_limit():
            # a file on disk: a web page's pictures beside it can be read (not for zip members)
            folder = os.path.dirname(os.path.abspath(path)) if ZIP_SEP not in path else None
            report = extract(read_bytes(data, path, folder=folder))
    except NianbaoError as e:
        return {"failure": (e.code, e.message)}
    except Exception as e:   # never stop a batch: record it as a failure with the reason
        return {"failure": ("internal", f"内部错误：{type(e).__name__}: {e}")}
    longest = max((len(s.text) for s in report.sections), default=0)
    if 4 * longest > MAX_ROW_BYTES - 100_000:          # UTF-8 is at most 4 bytes a character: measure it
        longest = max((len(b) + b.count(b'"') for b in (s.text.encode("utf-8") for s in report.sections)),
                      default=0)
    if longest > MAX_ROW_BYTES - 100_000:
        return {"failure": ("section-too-long", f"正文中有一部分长达 {longest / 1e6:.1f} MB，超过库中单个正文部分的上限 "
                            f"{(MAX_ROW_BYTES - 100_000) / 1e6:.1f} MB（多为分部失败、整篇成了一部分）；未入库，可用 nianbao extract "
                            "单独读取该文件。")}
    findings = run_checks(report)
    sev = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    return {
        "reports": [[sha, path, report.source.kind, cell(report.org), NULL, NULL, cell(report.year),
                     cell(report.format), cell(report.title), sev["error"], sev["warning"], sev["info"],
                     dt.datetime.now().isoformat(timespec="seconds"), NULL]],
        "csv": {"cells": csv_text(cell_rows(sha, report)).encode("utf-8"),
                "findings": csv_text([sha, f.code, f.name, f.severity, f.message, cell(f.table), cell(f.row),
                                      cell(f.col), where_json(f.where)]
                                     for f in findings).encode("utf-8"),
                "sections": csv_text([sha, s.number, s.title, s.text] for s in report.sections).encode("utf-8")},
    }


def cell_rows(sha: str, report) -> list[tuple]:
    """The `cells` rows of a report's tables found in the source (the hot loop of a worker: ~200 per
    report). The same text as `cell()` of each field, without its calls: csv writes an int or float as
    `str()` does, a string as it is."""
    present = report.present
    rows = []
    add = rows.append
    for (t, r, c), cv in report.cells.items():
        if t in present:
            v, raw, unit = cv.value, cv.raw, cv.unit
            add((sha, t, r, c, NULL if v is None else v if type(v) in (int, float) else cell(v),
                 NULL if raw is None else raw if type(raw) is str else cell(raw), cv.status,
                 NULL if unit is None else unit if type(unit) is str else cell(unit), where_json(cv.where)))
    return rows


_WHERE_INTS = ("line", "table", "row", "col", "page")


def where_json(w) -> str:
    """`cell(w.to_dict())` (the place as JSON, NULL for none), built directly for the common place of
    whole numbers only; anything else goes through json."""
    if w is None:
        return NULL
    line, table, row, col = w.line, w.table, w.row, w.col
    if w.page is None and w.bbox is None and w.conf is None:      # the two common places, directly
        if table is None and row is None and col is None and type(line) is int:
            return f'{{"line": {line}}}'
        if line is None and type(table) is int and type(row) is int and type(col) is int:
            return f'{{"table": {table}, "row": {row}, "col": {col}}}'
    if w.bbox is None and w.conf is None:
        parts = []
        for k in _WHERE_INTS:
            v = getattr(w, k)
            if v is not None:
                if type(v) is not int:
                    return cell(w.to_dict())
                parts.append(f'"{k}": {v}')
        return "{" + ", ".join(parts) + "}"
    return cell(w.to_dict())


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
    _worker_gc()


def _worker_gc() -> None:
    """A worker's objects live for one report and hold no reference cycles worth collecting: keep what it
    inherited out of the collector's way (never scanned, so its pages stay shared with the main process) and
    collect young objects less often (up to 10 % of a worker's CPU went to collections that found nothing)."""
    import gc
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _work(jobs: list[tuple[str, bytes, str]]) -> dict:
    """Worker: a group of files → one result: per file (path, sha, size, report row or failure (code, reason,
    needs)), and the group's cells, findings and sections as one CSV blob each. Groups, not single files, so
    that the main process handles one message and one future per group."""
    items, blobs = [], {"cells": [], "findings": [], "sections": []}
    from ..readers import ocr
    from .needs import needs
    for path, data, sha in jobs:
        if data is None:              # a Dask worker that sees the main process's files reads them itself
            data = _reread(path, sha)
            if isinstance(data, tuple):
                items.append((path, sha, None, None, data))
                continue
        with ocr.switched(True):      # scanned pages are read by OCR whenever the extra is installed
            out = process(path, data, sha)
        if "failure" in out:          # with what it depended on, so that a later batch knows when to retry
            items.append((path, sha, len(data), None, (*out["failure"], needs(data, path))))
            continue
        items.append((path, sha, len(data), out["reports"][0], None))
        for t, blob in out["csv"].items():
            blobs[t].append(blob)
    return {"items": items, "csv": {t: b"".join(parts) for t, parts in blobs.items()}}


def _reread(path: str, sha: str) -> bytes | tuple:
    """Worker: the file's bytes as the main process hashed them, or a failure (code, reason, needs None: tried
    again by the next batch)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return ("os-error", f"Dask 工作进程无法读取此文件：{e.strerror or e}（工作进程与主进程看到的文件不同？）；"
                            "请确认各工作进程挂载了相同的文件夹，然后重新运行 nianbao batch。", None)
    if hashlib.sha256(data).hexdigest() != sha:
        return ("changed", "文件在读取过程中被改动（或 Dask 工作进程看到的是另一份文件）；请重新运行 nianbao batch。", None)
    return data


def _shared_files(client, paths: list[str]) -> bool:
    """Do all the Dask workers see the inputs as this process does (a LocalCluster, a shared file system)?
    Then they read the files by path and the bytes do not travel through the scheduler."""
    probe = [(p, os.path.isdir(p), None if os.path.isdir(p) else os.path.getsize(p)) for p in paths if os.path.exists(p)]
    if not probe:
        return False
    try:
        seen = client.run(_sees, probe)
    except Exception:      # a worker gone or unreachable: ship the bytes, as before
        return False
    return bool(seen) and all(seen.values())


def _sees(probe: list[tuple]) -> bool:
    """Dask worker: every probed input exists here as a folder, or as a file of the same size."""
    for p, isdir, size in probe:
        if not os.path.exists(p) or os.path.isdir(p) != isdir or not isdir and os.path.getsize(p) != size:
            return False
    return True


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


GROUP_FILES, GROUP_BYTES = 16, 2_000_000     # a worker task: up to 16 files, closed once it holds 2 MB
DASK_GROUP_FILES = 64                        # a Dask task reading by path: fewer, larger tasks for the scheduler
CHUNK_BYTES = 24_000_000                     # a chunk also closes once its cells or sections CSV holds 24 MB


def run_batch(paths: list[str], store_path: str, workers: int | None = None, chunk: int = 500,
              progress: bool = False, client=None, mapping: dict[str, str] | None = None,
              wait: float | None = None, retry_failures: bool = False) -> BatchStats:
    """Extract and check every input into the store; `client` is a dask.distributed Client or None.

    Every input ends in exactly one outcome, recorded in `files`: report (new or unchanged),
    duplicate (of the path that holds the same content), failure (code, reason) or skipped (reason).
    The main process walks, reads and hashes the inputs, sends them to the workers in groups and appends
    each chunk of `chunk` files in one transaction; it holds the store only while it writes (readers get
    in between), waiting up to `wait` seconds (NIANBAO_STORE_WAIT) for a reader to let go.

    A content that failed before is read again when what its failure depended on has changed (LibreOffice
    or the OCR extra installed since, another nianbao version: see needs.py), or always with
    `retry_failures`; its `files` row then takes the new outcome."""
    from .needs import current, stale
    from .units import match_name
    store = Store(store_path, wait=wait)
    try:
        known = store.known()
        run = store.begin_run(_now())
    finally:
        store.close()
    writer = Writer(store_path, wait)
    stored_sha: dict[str, str] = known["reports"]        # sha → the path its report was first stored from
    failed_sha: dict[str, tuple[str, str, str | None]] = known["failed"]     # sha → (code, reason, needs)
    able = current()

    failed_now: set[str] = set()                         # contents that failed in this run: not tried twice

    def retry(sha: str) -> bool:
        return sha not in failed_now and (retry_failures or stale(failed_sha[sha][2], able))
    seen_before: dict[tuple[str, str], str] = known["seen"]
    del known
    inflight_sha: dict[str, str] = {}                    # sha → path, dispatched in this run
    waiting: dict[str, list[tuple[str, int]]] = {}       # sha → (path, size) of the same content, until it is read
    stats = BatchStats(run=run)
    workers = (os.cpu_count() or 1) if workers is None else workers      # 0: read in this process
    bar = None
    if progress:
        from tqdm import tqdm
        total = sum(1 for _ in iter_inputs(paths))      # a cheap walk, so that the bar shows an ETA
        bar = tqdm(total=total, unit="份", desc="批量处理", dynamic_ncols=True)
    rows: dict[str, list] = {"files": [], "reports": []}
    blobs: dict[str, list[bytes]] = {"cells": [], "findings": [], "sections": []}
    outcomes: list[str] = []
    this_run: set[str] = set()
    now = _now()                          # first/last seen: the time of the chunk, set at each write

    def file_row(path, sha, size, outcome, duplicate_of=None, code=None, reason=None, needs=None) -> list:
        return [path, sha, cell(size), now, now, run, run, outcome, cell(duplicate_of), cell(code), cell(reason),
                cell(needs)]

    def record(path, sha, size, outcome, duplicate_of=None, code=None, reason=None, new=False, needs=None) -> None:
        rows["files"].append(file_row(path, sha, size, outcome, duplicate_of, code, reason, needs))
        outcomes.append("new" if new else outcome)
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
            if sha in inflight_sha:            # being read: a duplicate, or a failure like the first
                waiting.setdefault(sha, []).append((path, len(data)))
                continue
            before = seen_before.get((path, sha))
            if before == FAILURE and sha not in failed_sha:     # a report elsewhere since
                before = None
            if before is not None and not (before == FAILURE and retry(sha)):
                # this path, this content: already accounted
                code, reason, needs = failed_sha[sha] if before == FAILURE else (None, None, None)
                record(path, sha, len(data), before, code=code, reason=reason, needs=needs)
                continue
            if sha in stored_sha:
                record(path, sha, len(data), DUPLICATE, duplicate_of=stored_sha[sha])
                continue
            if sha in failed_sha and not retry(sha):
                code, reason, needs = failed_sha[sha]
                record(path, sha, len(data), FAILURE, code=code, reason=reason, needs=needs)
                continue
            inflight_sha[sha] = path
            yield path, data, sha, getattr(load, "plain", False)

    by_path, group_files = False, GROUP_FILES

    def groups() -> Iterator[list]:
        group, size = [], 0
        for path, data, sha, plain in jobs():
            group.append((path, None if by_path and plain else data, sha))
            size += len(data)
            if len(group) >= group_files or size >= GROUP_BYTES:
                yield group
                group, size = [], 0
            elif len(outcomes) >= chunk:       # many files accounted without work: write them first
                flush()
        if group:
            yield group

    def finish(result: dict) -> None:
        """A worker's group result → store rows for this run (files rows included)."""
        for path, sha, size, row, failure in result["items"]:
            path = inflight_sha.pop(sha)       # the walk's own string, not the worker's copy (memory)
            if failure is not None:
                code, reason, needs = failure
                failed_sha[sha] = failure
                failed_now.add(sha)
                for p, n in [(path, size), *waiting.pop(sha, ())]:
                    record(p, sha, n, FAILURE, code=code, reason=reason, needs=needs)
                continue
            m = match_name(None if row[3] == NULL else row[3], mapping)
            row[4], row[5], row[13] = cell(m.unit), m.how, run
            rows["reports"].append(row)
            stored_sha[sha] = path
            failed_sha.pop(sha, None)
            record(path, sha, size, REPORT, new=True)
            for p, n in waiting.pop(sha, ()):
                record(p, sha, n, DUPLICATE, duplicate_of=path)
        for t, blob in result["csv"].items():
            if blob:
                blobs[t].append(blob)

    def flush(force: bool = False) -> None:
        nonlocal now
        if outcomes and (force or len(outcomes) >= chunk or sum(map(len, blobs["cells"])) > CHUNK_BYTES
                         or sum(map(len, blobs["sections"])) > CHUNK_BYTES):
            now = _now()
            for r in rows["files"]:
                r[3] = r[4] = now
            with writer as st:
                st.write(rows, blobs)
            for o in outcomes:
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
            for v in (*rows.values(), *blobs.values(), outcomes):
                v.clear()

    status = Status(bar)         # the OCR page each worker is on, beside the bar (corpus/progress.py)
    try:
        if client is not None:
            if _shared_files(client, paths):
                by_path, group_files = True, DASK_GROUP_FILES
            with status.subscribe(client):
                _run_dask(client, groups(), finish, flush, max(2 * workers, 4), direct=by_path,
                          progress=bar is not None)
        elif workers <= 0:
            with status.local():
                for group in groups():
                    finish(_work(group))
                    flush()
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=worker_init,
                                     initargs=(os.getpid(), status.queue)) as pool:
                inflight = set()
                limit = workers * 4          # enough queued that workers never wait while a chunk is written
                for group in groups():
                    inflight.add(pool.submit(_work, group))
                    if len(inflight) >= limit:
                        done, inflight = status.wait(inflight)
                        for f in done:
                            finish(f.result())
                        flush()
                while inflight:
                    done, inflight = status.wait(inflight)
                    for f in done:
                        finish(f.result())
        flush(force=True)
        with writer as st:
            st.end_run(run, _now(), {"found": stats.found, "reports": stats.reports, "new_reports": stats.stored,
                                     "duplicates": stats.duplicates, "failures": stats.failed,
                                     "skipped": stats.skipped})
    finally:
        status.close()
        if bar is not None:
            bar.close()
    return stats


def _run_dask(client, groups, finish, flush, limit: int, direct: bool = False, progress: bool = False) -> None:
    """At most `limit` tasks in flight. With `direct` (workers that see this machine's files, so reachable
    from it) results are fetched from the workers themselves, not through the scheduler. With `progress`
    the workers log their OCR pages for the bar (corpus/progress.py)."""
    from dask.distributed import as_completed
    it = iter(groups)
    futures = as_completed()
    n = 0
    for group in it:
        futures.add(client.submit(dask_work, group, progress, pure=False))
        n += 1
        if n >= limit:
            break
    for fut in futures:
        finish(client.gather(fut, direct=True) if direct else fut.result())
        fut.release()
        flush()
        group = next(it, None)
        if group is not None:
            futures.add(client.submit(dask_work, group, progress, pure=False))
