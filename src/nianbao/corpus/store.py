"""The corpus store: a DuckDB file with reports, cells (long format), findings, section texts and
the files that could not be read. Rows of one chunk of reports are written in one transaction, so
a run killed halfway leaves whole reports or nothing; the sha256 of the file is the key that lets a
re-run skip what is already stored.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    sha256 VARCHAR PRIMARY KEY, path VARCHAR, kind VARCHAR, org VARCHAR, unit VARCHAR, year INTEGER,
    format VARCHAR, title VARCHAR, errors INTEGER, warnings INTEGER, infos INTEGER, stored_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS cells (
    sha256 VARCHAR, tbl VARCHAR, row_key VARCHAR, col_key VARCHAR, value DOUBLE, raw VARCHAR,
    status VARCHAR, unit VARCHAR, "where" VARCHAR);
CREATE TABLE IF NOT EXISTS findings (
    sha256 VARCHAR, code VARCHAR, name VARCHAR, severity VARCHAR, message VARCHAR, tbl VARCHAR,
    row_key VARCHAR, col_key VARCHAR, "where" VARCHAR);
CREATE TABLE IF NOT EXISTS sections (sha256 VARCHAR, number INTEGER, title VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS failures (sha256 VARCHAR PRIMARY KEY, path VARCHAR, code VARCHAR, message VARCHAR);
CREATE OR REPLACE VIEW unit_years AS
    SELECT unit, year, count(*) AS reports, list(path ORDER BY path) AS paths, list(sha256 ORDER BY path) AS sha256s
    FROM reports WHERE unit IS NOT NULL GROUP BY unit, year;
"""
TABLES = ("reports", "cells", "findings", "sections", "failures")


class Store:
    def __init__(self, path: str):
        import duckdb
        self.path = path
        self.con = duckdb.connect(path, config={"memory_limit": "48MB", "threads": 1,
                                                "preserve_insertion_order": False})
        self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def known(self) -> set[str]:
        rows = self.con.execute("SELECT sha256 FROM reports UNION SELECT sha256 FROM failures").fetchall()
        return {r[0] for r in rows}

    def write(self, results: list[dict]) -> None:
        """One transaction for a chunk of worker results (see batch.process)."""
        if not results:
            return
        buffers = {t: [] for t in TABLES}
        for r in results:
            for t in TABLES:
                buffers[t].extend(r.get(t, ()))
        folder = tempfile.mkdtemp(prefix="nianbao-chunk-")
        try:
            self.con.execute("BEGIN TRANSACTION")
            for t, rows in buffers.items():
                if not rows:
                    continue
                f = os.path.join(folder, f"{t}.csv")
                with open(f, "w", newline="", encoding="utf-8") as fh:
                    csv.writer(fh, lineterminator="\n").writerows(rows)
                cols = len(rows[0])
                verb = "INSERT OR IGNORE" if t in ("reports", "failures") else "INSERT"
                self.con.execute(f"{verb} INTO {t} SELECT * FROM read_csv(?, header=false, auto_detect=false, "
                                 f"delim=',', quote='\"', escape='\"', new_line='\\n', nullstr='\\N', max_line_size=100000000, "
                                 f"columns={_columns(t, cols)})", [f])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            for name in os.listdir(folder):
                os.unlink(os.path.join(folder, name))
            os.rmdir(folder)

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def export_parquet(self, folder: str) -> list[str]:
        os.makedirs(folder, exist_ok=True)
        out = []
        for t in TABLES:
            p = os.path.join(folder, f"{t}.parquet")
            self.con.execute(f"COPY {t} TO '{p}' (FORMAT PARQUET)")
            out.append(p)
        return out


_COLS = {
    "reports": ["sha256", "path", "kind", "org", "unit", "year", "format", "title", "errors", "warnings", "infos",
                "stored_at"],
    "cells": ["sha256", "tbl", "row_key", "col_key", "value", "raw", "status", "unit", "where"],
    "findings": ["sha256", "code", "name", "severity", "message", "tbl", "row_key", "col_key", "where"],
    "sections": ["sha256", "number", "title", "text"],
    "failures": ["sha256", "path", "code", "message"],
}


def _columns(table: str, n: int) -> str:
    names = _COLS[table][:n]
    return "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in names) + "}"


NULL = "\\N"


def cell(v) -> str:
    """A value as written to the chunk CSV (None → NULL marker)."""
    if v is None:
        return NULL
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)
