"""The corpus store: one DuckDB file. docs/data.md (or `nianbao schema`) describes every table and column.

Tables: `reports` (one row per distinct file content, every version kept), `cells` (long format),
`findings`, `sections`, `files` (every input ever seen: path, sha256, size, first/last seen, outcome) and
`runs` (one row per batch, with its accounting). Views: `current_files` (the latest content of each
path), `report_versions` (every report, `current` or `superseded` and by what), `current_reports`
(one per path and one per unit and year), `failures` (current failures only: a fixed file drops out),
`unit_years` and `unit_year_conflicts` (two different files claiming the same unit and year).

Rows of one chunk are written in one transaction, so a run killed halfway leaves whole reports or
nothing; a re-run skips file contents already stored (sha256).
"""
from __future__ import annotations

import csv
import json
import os
import tempfile

SCHEMA_VERSION = 3

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS reports (
    sha256 VARCHAR PRIMARY KEY, path VARCHAR, kind VARCHAR, org VARCHAR, unit VARCHAR, match VARCHAR,
    year INTEGER, format VARCHAR, title VARCHAR, errors INTEGER, warnings INTEGER, infos INTEGER,
    stored_at TIMESTAMP, run INTEGER);
CREATE TABLE IF NOT EXISTS cells (
    sha256 VARCHAR, tbl VARCHAR, row_key VARCHAR, col_key VARCHAR, value DOUBLE, raw VARCHAR,
    status VARCHAR, measure_unit VARCHAR, location VARCHAR);
CREATE TABLE IF NOT EXISTS findings (
    sha256 VARCHAR, code VARCHAR, name VARCHAR, severity VARCHAR, message VARCHAR, tbl VARCHAR,
    row_key VARCHAR, col_key VARCHAR, location VARCHAR);
CREATE TABLE IF NOT EXISTS sections (sha256 VARCHAR, number INTEGER, title VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS files (
    path VARCHAR, sha256 VARCHAR, size BIGINT, first_seen TIMESTAMP, last_seen TIMESTAMP, first_run INTEGER,
    last_run INTEGER, outcome VARCHAR, duplicate_of VARCHAR, code VARCHAR, reason VARCHAR, needs VARCHAR,
    PRIMARY KEY (path, sha256));
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, found INTEGER, reports INTEGER,
    new_reports INTEGER, duplicates INTEGER, failures INTEGER, skipped INTEGER);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
"""

VIEWS_SQL = """
CREATE OR REPLACE VIEW current_files AS
    SELECT * FROM files QUALIFY row_number() OVER (PARTITION BY path ORDER BY last_run DESC, last_seen DESC) = 1;
CREATE OR REPLACE VIEW report_versions AS
    WITH live AS (
        SELECT sha256, max(last_run) AS live_run, max(path) AS live_path FROM current_files
        WHERE outcome IN ('report', 'duplicate') GROUP BY sha256),
    ranked AS (
        SELECT r.*, live.live_run, live.live_path,
               CASE WHEN r.unit IS NULL OR r.year IS NULL THEN r.sha256 ELSE r.unit || '|' || r.year END AS unit_year,
               row_number() OVER (
                   PARTITION BY live.sha256 IS NULL,
                                CASE WHEN r.unit IS NULL OR r.year IS NULL THEN r.sha256 ELSE r.unit || '|' || r.year END
                   ORDER BY live.live_run DESC, live.live_path DESC) AS unit_year_rank
        FROM reports r LEFT JOIN live USING (sha256)),
    winners AS (SELECT unit_year, sha256 AS winner FROM ranked WHERE live_run IS NOT NULL AND unit_year_rank = 1),
    replaced AS (
        SELECT f.sha256, min(c.sha256) AS by_sha FROM files f JOIN current_files c USING (path)
        WHERE c.sha256 <> f.sha256 AND c.outcome IN ('report', 'duplicate') GROUP BY f.sha256)
    SELECT ranked.* EXCLUDE (live_run, live_path, unit_year, unit_year_rank),
           CASE WHEN live_run IS NOT NULL AND unit_year_rank = 1 THEN 'current' ELSE 'superseded' END AS version,
           CASE WHEN live_run IS NULL THEN replaced.by_sha
                WHEN unit_year_rank > 1 THEN winners.winner END AS superseded_by,
           CASE WHEN live_run IS NULL THEN 'path' WHEN unit_year_rank > 1 THEN 'unit_year' END AS superseded_because
    FROM ranked LEFT JOIN winners USING (unit_year) LEFT JOIN replaced USING (sha256);
CREATE OR REPLACE VIEW current_reports AS
    SELECT * EXCLUDE (version, superseded_by, superseded_because) FROM report_versions WHERE version = 'current';
CREATE OR REPLACE VIEW failures AS
    SELECT sha256, path, code, reason AS message, needs FROM current_files WHERE outcome = 'failure';
CREATE OR REPLACE VIEW unit_years AS
    SELECT unit, year, count(*) AS reports, list(path ORDER BY path) AS paths, list(sha256 ORDER BY path) AS sha256s
    FROM current_reports WHERE unit IS NOT NULL GROUP BY unit, year;
CREATE OR REPLACE VIEW unit_year_conflicts AS
    SELECT w.unit, w.year, w.sha256 AS current_sha256, w.path AS current_path, s.sha256 AS other_sha256,
           s.path AS other_path
    FROM report_versions s JOIN report_versions w ON w.sha256 = s.superseded_by
    WHERE s.superseded_because = 'unit_year';
"""
MAX_ROW_BYTES = 8_000_000     # one CSV row (a section's text); DuckDB reads the chunk in buffers of twice that
_SQL_HASH = __import__("hashlib").sha256((TABLES_SQL + VIEWS_SQL).encode()).hexdigest()[:16]
TABLES = ("reports", "cells", "findings", "sections", "files")
EXPORTS = ("reports", "cells", "findings", "sections", "files", "runs", "report_versions", "failures")


class Store:
    """One connection to the store.

    DuckDB lets one process write, or several read, at a time. `nianbao batch` holds the store only while it
    writes a chunk (see `Writer`), so a reader opening it `read_only=True` (compile, charts, the batch
    summary) waits at most for the chunk being written: it retries for `wait` seconds (default 60, or
    `NIANBAO_STORE_WAIT`) before a clear Chinese message; a writer waits for readers the same way."""

    def __init__(self, path: str, read_only: bool = False, memory_limit: str = "48MB", wait: float | None = None,
                 setup: bool = True):
        self.path = path
        self._tmp: str | None = None
        if read_only and not _current_schema(path, memory_limit, wait):
            Store(path, memory_limit=memory_limit, wait=wait).close()   # create or migrate once, then read
        self.con = _connect(path, read_only, memory_limit, wait)
        if read_only or not setup:
            return
        _migrate(self.con)
        self.con.execute(TABLES_SQL)
        self.con.execute(VIEWS_SQL)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('sql', ?)",
                         [str(SCHEMA_VERSION), _SQL_HASH])

    def close(self) -> None:
        self.con.close()
        if self._tmp is not None:
            for name in os.listdir(self._tmp):
                os.unlink(os.path.join(self._tmp, name))
            os.rmdir(self._tmp)
            self._tmp = None

    def begin_run(self, started: str) -> int:
        run = self.con.execute("SELECT coalesce(max(run), 0) + 1 FROM runs").fetchone()[0]
        self.con.execute("INSERT INTO runs (run, started) VALUES (?, ?)", [run, started])
        return run

    def end_run(self, run: int, finished: str, counts: dict) -> None:
        self.con.execute("UPDATE runs SET finished = ?, found = ?, reports = ?, new_reports = ?, duplicates = ?, "
                         "failures = ?, skipped = ? WHERE run = ?",
                         [finished, counts["found"], counts["reports"], counts["new_reports"], counts["duplicates"],
                          counts["failures"], counts["skipped"], run])

    def known(self) -> dict:
        """What a new run needs to skip: stored report contents (sha → first path), failed contents not
        stored since (sha → (code, reason, needs) of the latest attempt) and the (path, sha) pairs already
        recorded."""
        reports = dict(self.con.execute("SELECT sha256, path FROM reports").fetchall())
        failed = {s: (c, r, n) for s, c, r, n in self.con.execute(
            "SELECT sha256, arg_max(code, last_run), arg_max(reason, last_run), arg_max(needs, last_run) FROM files "
            "WHERE outcome = 'failure' AND sha256 <> '' AND sha256 NOT IN (SELECT sha256 FROM reports) "
            "GROUP BY sha256").fetchall()}
        seen = {(p, s): o for p, s, o in self.con.execute("SELECT path, sha256, outcome FROM files").fetchall()}
        return {"reports": reports, "failed": failed, "seen": seen}

    def write(self, rows: dict[str, list[list]], blobs: dict[str, list[bytes]] | None = None) -> None:
        """One transaction for a chunk: `rows` are short row lists per table (reports, files), `blobs` the
        UTF-8 CSV a worker already made of its reports' cells, findings and sections. Each table is appended
        in one statement (DuckDB reads the CSV in bulk); `files` rows already recorded are updated in place
        (last seen, last run, and the outcome: a failure read again may now be a report)."""
        blobs = blobs or {}
        if not any(rows.values()) and not any(blobs.values()):
            return
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="nianbao-chunk-")
        self.con.execute("BEGIN TRANSACTION")
        try:
            for t in TABLES:
                r, b = rows.get(t) or [], blobs.get(t) or []
                if not r and not b:
                    continue
                f = os.path.join(self._tmp, f"{t}.csv")
                with open(f, "wb") as fh:
                    if r:
                        fh.write(csv_text(r).encode("utf-8"))
                    fh.writelines(b)
                src = (f"SELECT * FROM read_csv(?, header=false, auto_detect=false, delim=',', quote='\"', "
                       f"escape='\"', new_line='\\n', nullstr='\\N', max_line_size={MAX_ROW_BYTES}, "
                       f"buffer_size={2 * MAX_ROW_BYTES}, columns={_columns(t)})")
                if t == "files":
                    self.con.execute(f"INSERT INTO files {src} ON CONFLICT (path, sha256) DO UPDATE SET "
                                     "last_seen = excluded.last_seen, last_run = excluded.last_run, "
                                     "outcome = excluded.outcome, duplicate_of = excluded.duplicate_of, "
                                     "code = excluded.code, reason = excluded.reason, needs = excluded.needs", [f])
                elif t == "reports":
                    self.con.execute(f"INSERT OR IGNORE INTO reports {src}", [f])
                else:
                    self.con.execute(f"INSERT INTO {t} {src}", [f])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def counts(self) -> dict[str, int]:
        out = {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        out["current_reports"] = self.con.execute("SELECT count(*) FROM current_reports").fetchone()[0]
        out["failures"] = self.con.execute("SELECT count(*) FROM failures").fetchone()[0]
        return out

    def conflicts(self, limit: int = 20) -> list[tuple]:
        """(unit, year, current path, other path): two different files claiming the same unit and year."""
        return self.con.execute("SELECT unit, year, current_path, other_path FROM unit_year_conflicts "
                                "ORDER BY unit, year, other_path LIMIT ?", [limit]).fetchall()

    def export_parquet(self, folder: str) -> list[str]:
        """Every table (and the versions and failures views) as Parquet, streamed: row groups of at most
        20,000 rows and 8 MB are written as they fill (the whole table in one row group needed more than
        the store's 48 MB for the section texts of 10,000 reports); DuckDB spills to <store>.tmp if needed."""
        os.makedirs(folder, exist_ok=True)
        out = []
        for t in EXPORTS:
            p = os.path.join(folder, f"{t}.parquet")
            tmp = p + ".tmp"
            self.con.execute(f"COPY (SELECT * FROM {t}) TO '{_sql_str(tmp)}' "
                             "(FORMAT PARQUET, ROW_GROUP_SIZE 20000, ROW_GROUP_SIZE_BYTES 8000000)")
            os.replace(tmp, p)
            out.append(p)
        return out


class Writer:
    """The batch's hold on the store: `with writer as store:` opens it for one chunk and closes it after, so
    that readers (compile, charts, a `duckdb -readonly` session) get in between chunks. Closing checkpoints
    the chunk into the file, so a reader always sees whole chunks."""

    def __init__(self, path: str, wait: float | None = None):
        self.path, self.wait = path, wait
        self.store: Store | None = None

    def __enter__(self) -> "Store":
        self.store = Store(self.path, wait=self.wait, setup=False)
        return self.store

    def __exit__(self, *exc) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()


def store_wait(wait: float | None = None) -> float:
    """Seconds to wait for another process's hold on the store (NIANBAO_STORE_WAIT, default 60)."""
    if wait is not None:
        return wait
    try:
        return max(0.0, float(os.environ.get("NIANBAO_STORE_WAIT", "60")))
    except ValueError:
        return 60.0


def _connect(path: str, read_only: bool, memory_limit: str, wait: float | None):
    """A DuckDB connection, retried while another process holds the store (a batch writing a chunk, or a
    reader while the batch wants to write) for up to `store_wait(wait)` seconds."""
    import random
    import time

    import duckdb
    from ..errors import NianbaoError
    config = {"memory_limit": memory_limit, "threads": 1, "preserve_insertion_order": False}
    limit = store_wait(wait)
    deadline = time.monotonic() + limit
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise NianbaoError("store-unreadable", f"库文件 {path} 无法打开：{e}。",
                                   f"cannot open {path}: {e}.") from None
            if time.monotonic() >= deadline:
                raise NianbaoError(
                    "store-locked",
                    f"库文件 {path} 被另一个进程占用，等待 {limit:g} 秒后仍未释放。nianbao batch 只在写入每一批报告时"
                    "短暂占用库文件，可以同时查询；长时间占用的是别的程序（如未关闭的 duckdb 会话或旧版 nianbao）："
                    "请关闭它后再试，或用环境变量 NIANBAO_STORE_WAIT=秒数 延长等待，或查询上次 --parquet 导出的快照。",
                    f"the store {path} is held by another process for more than {limit:g} s; close it and retry, "
                    "raise NIANBAO_STORE_WAIT, or query the last --parquet export.") from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.5, 0.25)


def _current_schema(path: str, memory_limit: str, wait: float | None) -> bool:
    """Does the store exist with this schema (so that it can be opened read-only as it is)?"""
    if not os.path.exists(path):
        return False
    import duckdb
    con = _connect(path, True, memory_limit, wait)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        return False
    finally:
        con.close()
    return meta.get("schema_version") == str(SCHEMA_VERSION) and meta.get("sql") == _SQL_HASH


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


_COLS = {
    "reports": ["sha256", "path", "kind", "org", "unit", "match", "year", "format", "title", "errors", "warnings",
                "infos", "stored_at", "run"],
    "cells": ["sha256", "tbl", "row_key", "col_key", "value", "raw", "status", "measure_unit", "location"],
    "findings": ["sha256", "code", "name", "severity", "message", "tbl", "row_key", "col_key", "location"],
    "sections": ["sha256", "number", "title", "text"],
    "files": ["path", "sha256", "size", "first_seen", "last_seen", "first_run", "last_run", "outcome",
              "duplicate_of", "code", "reason", "needs"],
}


def _columns(table: str) -> str:
    return "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in _COLS[table]) + "}"


NULL = "\\N"


def csv_text(rows) -> str:
    """Rows as the chunk CSV text (written by a worker, appended by the main process)."""
    import io
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def cell(v) -> str:
    """A value as written to the chunk CSV (None → NULL marker)."""
    if v is None:
        return NULL
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _migrate(con) -> None:
    """Bring a store written by an earlier nianbao (schema 1) to this schema, in one transaction:
    full-name units, renamed columns, a files table from the reports and failures."""
    tables = {r[0]: r[1] for r in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "files" in tables:
        cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'files'").fetchall()}
        if "needs" not in cols:       # schema 2: failures without what they depended on (tried again once)
            con.execute("ALTER TABLE files ADD COLUMN needs VARCHAR")
        return
    if "reports" not in tables:
        return
    from .units import match_name
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DROP VIEW IF EXISTS unit_years")
        cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'cells'").fetchall()}
        if "unit" in cols:
            con.execute("ALTER TABLE cells RENAME COLUMN unit TO measure_unit")
            con.execute('ALTER TABLE cells RENAME COLUMN "where" TO location')
            con.execute('ALTER TABLE findings RENAME COLUMN "where" TO location')
        con.execute("ALTER TABLE reports ADD COLUMN match VARCHAR")
        con.execute("ALTER TABLE reports ADD COLUMN run INTEGER DEFAULT 0")
        for sha, org in con.execute("SELECT sha256, org FROM reports").fetchall():
            m = match_name(org)
            con.execute("UPDATE reports SET unit = ?, match = ? WHERE sha256 = ?", [m.unit, m.how, sha])
        # the old reports table had no fixed column order for the new ones: rebuild in schema order
        con.execute("CREATE TABLE reports_v2 AS SELECT sha256, path, kind, org, unit, match, year, format, title, "
                    "errors, warnings, infos, stored_at, run FROM reports")
        con.execute("DROP TABLE reports")
        con.execute(TABLES_SQL)
        con.execute("INSERT INTO reports SELECT * FROM reports_v2")
        con.execute("DROP TABLE reports_v2")
        con.execute("INSERT OR IGNORE INTO files SELECT path, sha256, NULL, stored_at, stored_at, 0, 0, 'report', "
                    "NULL, NULL, NULL, NULL FROM reports")
        if tables.get("failures") == "BASE TABLE":
            con.execute("INSERT OR IGNORE INTO files SELECT path, sha256, NULL, NULL, NULL, 0, 0, 'failure', NULL, "
                        "code, message, NULL FROM failures")
            con.execute("DROP TABLE failures")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
