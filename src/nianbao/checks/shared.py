"""Intermediate results several rules share, computed once per report (see Context.memo)."""
from __future__ import annotations

from ..formats import FORMATS
from .model import Context


def cells_by_status(c: Context) -> dict[str, list]:
    """{status: [(table spec, row, column, CellValue)]} for the tables present — one pass, shared."""
    out: dict[str, list] = {}
    rep = c.report
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return out
    cells = rep.cells
    for t in spec.tables:
        if t.key not in rep.present:
            continue
        tk = t.key
        for r, col in t.cells():
            cv = cells[(tk, r.key, col.key)]
            out.setdefault(cv.status, []).append((t, r, col, cv))
    return out
