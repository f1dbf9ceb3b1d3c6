"""表三 from the ledger, for one year, correct by construction.

For year Y: 一 new_received = received in Y; 二 carried_over = received before Y and not answered
before Y; 三 outcomes = answered in Y (by outcome); 四 carried_forward = received by 31 Dec Y and not
answered by then. Each request is counted in one outcome row, so H1–H3 hold by construction.
The 2019 format is used for 2019–2020 reports, the 2021 format after.
"""
from __future__ import annotations

import datetime as dt

from ..formats import FORMATS, format_for_year
from .ledger import OUTCOMES, Ledger

_APPLICANT_COLS = ("natural", "commercial", "research", "social", "legal", "other_org")


def t3_from_ledger(ledger: Ledger, year: int) -> tuple[str, dict]:
    """(format key, t3 as the contract's {row: {col: int}})."""
    fmt = format_for_year(year)
    if fmt is None:
        raise ValueError(f"no official format for {year}")
    spec = fmt.table("t3")
    t3 = {r.key: {c.key: 0 for c in spec.columns_of(r.key)} for r in spec.cell_rows()}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    which = 0 if fmt.key == "2019" else 1
    for req in ledger.requests:
        if req.received > last or (req.answered is not None and req.answered < first):
            continue
        col = req.applicant_type
        if req.received >= first:
            t3["new_received"][col] += 1
        else:
            t3["carried_over"][col] += 1
        if req.answered is not None and req.answered <= last:
            t3[OUTCOMES[req.outcome][which]][col] += 1
        else:
            t3["carried_forward"][col] += 1
    outcome_rows = [r.key for r in spec.cell_rows() if r.key not in ("new_received", "carried_over", "total",
                                                                     "carried_forward")]
    for col in _APPLICANT_COLS:
        t3["total"][col] = sum(t3[r][col] for r in outcome_rows)
    for row in t3.values():
        row["total"] = sum(row[c] for c in _APPLICANT_COLS)
    return fmt.key, t3
