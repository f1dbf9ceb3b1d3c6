"""Helpers shared by the reader tests: a Document's paragraphs and tables as plain data."""
from nianbao.document import Paragraph, Table


def paras(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def kinds(doc) -> list[str]:
    return ["T" if isinstance(b, Table) else b.text for b in doc.blocks]


def texts(table: Table) -> list[list[str | None]]:
    return [[None if c is None else c.text for c in row] for row in table.rows]


def origins(table: Table) -> list[list[tuple[int, int] | None]]:
    return [[None if c is None else (c.row, c.col) for c in row] for row in table.rows]


def table_diffs(got: dict, expected: dict) -> list[str]:
    """Every template value of `expected` compared with `got`, cell by cell."""
    out = []
    for t, rows in expected.items():
        for rk, cols in rows.items():
            for ck, v in cols.items():
                g = ((got.get(t) or {}).get(rk) or {}).get(ck, "<absent>")
                if g != v or type(g) is not type(v):
                    out.append(f"{t}.{rk}.{ck}: {g!r} != {v!r}")
    return out


def assert_ground_truth(d: dict, truth: dict) -> None:
    """An extracted report (contract JSON) is exactly the ground truth: every table value, org,
    year, format, the six sections, every cell read, no warning or error."""
    assert table_diffs(d["tables"], truth["tables"]) == []
    assert (d["org"], d["year"], d["format"]) == (truth["org"], truth["year"], truth["format"])
    assert [s["number"] for s in d["sections"]] == [1, 2, 3, 4, 5, 6]
    assert {c["status"] for c in d["cells"]} == {"read"}
    assert [p["code"] for p in d["problems"] if p["severity"] != "info"] == []
