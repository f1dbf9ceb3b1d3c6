"""`batch --parquet` streams: a 10,000-report store (2 million cells, long section texts) exports under the
store's 48 MB DuckDB memory limit, every row of every table."""
import duckdb

from nianbao.corpus.store import Store


def fill(path: str, n: int) -> None:
    """A store of n synthetic reports written directly in SQL (200 cells, 6 sections of ~3 kB, 3 findings each)."""
    Store(path).close()
    con = duckdb.connect(path)
    try:
        con.execute(f"""
            INSERT INTO reports SELECT 'sha' || i, 'dir/r' || i || '.txt', 'text', '某某市某某区第' || i || '街道办事处',
                '某某市某某区第' || i || '街道', 'exact', 2020 + i % 4, '2021', '标题' || i, i % 3, i % 5, 1,
                TIMESTAMP '2026-01-01', 1 FROM range({n}) t(i);
            INSERT INTO files SELECT path, sha256, 1000, stored_at, stored_at, 1, 1, 'report', NULL, NULL, NULL, NULL
                FROM reports;
            INSERT INTO cells SELECT 'sha' || i, 't3', 'row' || (j // 8), 'col' || (j % 8), j, CAST(j AS VARCHAR),
                'read', '件', '{{"line": ' || j || '}}' FROM range({n}) a(i), range(200) b(j);
            INSERT INTO sections SELECT 'sha' || i, k, '第' || k || '部分', repeat(md5(i || '-' || k) || '政府信息公开工作情况。', 60)
                FROM range({n}) a(i), range(1, 7) b(k);
            INSERT INTO findings SELECT 'sha' || i, 'S10' || k, 'rule', 'warning', repeat('说明', 40), 't3', 'row1',
                'col1', NULL FROM range({n}) a(i), range(3) b(k);""")
    finally:
        con.close()


def test_a_10000_report_store_exports_to_parquet_under_the_memory_limit(tmp_path):
    path = str(tmp_path / "big.duckdb")
    fill(path, 10_000)
    store = Store(path)                         # the batch's own settings: 48 MB, one thread
    try:
        files = store.export_parquet(str(tmp_path / "pq"))
        expected = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                    ("reports", "cells", "sections", "findings", "files", "report_versions")}
    finally:
        store.close()
    assert expected["cells"] == 2_000_000 and expected["report_versions"] == 10_000
    con = duckdb.connect()
    try:
        for t, n in expected.items():
            p = next(f for f in files if f.endswith(f"/{t}.parquet"))
            assert con.execute(f"SELECT count(*) FROM '{p}'").fetchone()[0] == n, t
    finally:
        con.close()
