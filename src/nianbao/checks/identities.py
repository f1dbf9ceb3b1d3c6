"""The hard identities H1–H4 evaluated on a report, blanks counted as 0.

The official template asks units to fill 0, so a blank cell is 0 for the arithmetic: an identity that
fails with its blanks as 0 is an error, and the blanks it involves are named. A missing cell (the
reader could not read it) is not a blank: its value is unknown. An identity with a missing cell is
still broken for certain when one side is read in full and the cells read on the other side already
sum to more (counts are not negative, so the unread cells can only add to it): the part that was read
does not add up, whatever the unread cells hold. Otherwise it is not evaluated.

When one cell lies on two or more broken identities (a row and a column), every identity through it is
broken and all of them agree on the value it should have, that cell is the likely mistype ("suspect").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import FORMATS, Identity
from ..report import BLANK, INFERRED, NOT_APPLICABLE, READ, Report
from .model import Context

_KNOWN = (READ, INFERRED)
_ZERO = (BLANK, NOT_APPLICABLE)
Key = tuple[str, str, str]


@dataclass
class Broken:
    ident: Identity
    lhs: int | float
    rhs: int | float
    blanks: list[Key] = field(default_factory=list)       # blank cells counted as 0
    suspect: Key | None = None                            # the likely mistyped cell
    expected: int | float | None = None                   # the value the identities imply for it
    split: tuple[Key, Key, int] | None = None             # digits of one number split across two cells
    unread: list[Key] = field(default_factory=list)       # cells not read: their side's sum is at least lhs/rhs

    def implied(self, report: Report, key: Key) -> int | float:
        """The value `key` must have for this identity to hold (the others unchanged)."""
        v = value0(report, key)
        return v + (self.rhs - self.lhs) if key in self.ident.lhs else v + (self.lhs - self.rhs)


def value0(report: Report, key: Key) -> int | float:
    cv = report.cells[key]
    return cv.value if cv.status in _KNOWN and cv.value is not None else 0


NO_VALUES = "该行未填写数值"      # the extractor's note: a label followed by no value


def unfilled(report: Report, table: str, unsure: frozenset = frozenset()) -> bool:
    """Every cell of the table that was found is blank (none read, none printed “/”), and the table
    was read soundly (in a table with rows not read, a row "without values" may have lost them)."""
    if table in unsure:
        return False
    statuses = [cv.status for k, cv in report.cells.items() if k[0] == table]
    return BLANK in statuses and not any(s in (READ, INFERRED, NOT_APPLICABLE) for s in statuses)


def unsure_tables(c: Context) -> frozenset:
    """Tables with rows that could not be read (R103): there a blank from a label with no values after
    it may be values the reader attached to another row, so it is not taken as a printed blank."""
    from .shared import reading_state
    return frozenset(c.memo("reading_state", reading_state).unread_rows)


def certain(report: Report, k: Key, unsure: frozenset = frozenset()) -> bool:
    """The cell's value is known for the arithmetic: read or inferred, or blank/“/” (counted as 0)."""
    cv = report.cells[k]
    if cv.status in _KNOWN and cv.value is not None:
        return True
    return cv.status in _ZERO and not (k[0] in unsure and cv.note and NO_VALUES in cv.note)


def evaluable(report: Report, ident: Identity, unsure: frozenset = frozenset()) -> bool:
    return all(certain(report, k, unsure) for k in ident.cells())


def broken_in_part(report: Report, ident: Identity, unsure: frozenset = frozenset()) -> Broken | None:
    """An identity with unread cells on one side only, whose cells read on that side already sum to
    more than the other side (read in full): broken whatever the unread cells hold (none is negative)."""
    lu = [k for k in ident.lhs if not certain(report, k, unsure)]
    ru = [k for k in ident.rhs if not certain(report, k, unsure)]
    if bool(lu) == bool(ru):
        return None
    lhs = sum(value0(report, k) for k in ident.lhs if k not in lu)
    rhs = sum(value0(report, k) for k in ident.rhs if k not in ru)
    if (ru and rhs > lhs) or (lu and lhs > rhs):
        blanks = [k for k in ident.cells() if report.cells[k].status in _ZERO and k not in lu + ru]
        return Broken(ident, lhs, rhs, blanks, unread=lu + ru)
    return None


def broken_identities(c: Context) -> list[Broken]:
    rep = c.report
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return []
    out: list[Broken] = []
    partial: list[Broken] = []                  # broken for certain though not read in full
    ok: dict[Key, list[Identity]] = {}          # cell → the evaluable identities through it
    unsure = unsure_tables(c)
    blank_tables = {t: unfilled(rep, t) for t in rep.present}     # once per table, not per identity
    for ident in spec.identities:
        table = ident.lhs[0][0]
        if table not in rep.present or blank_tables[table]:
            continue
        if not evaluable(rep, ident, unsure):
            if (b := broken_in_part(rep, ident, unsure)) is not None:
                partial.append(b)
            continue
        for k in ident.cells():
            ok.setdefault(k, []).append(ident)
        lhs = sum(value0(rep, k) for k in ident.lhs)
        rhs = sum(value0(rep, k) for k in ident.rhs)
        if lhs != rhs:
            out.append(Broken(ident, lhs, rhs, [k for k in ident.cells() if rep.cells[k].status in _ZERO]))
    _locate(rep, out, ok)
    for b in out:
        if b.suspect is None and len(b.blanks) == 1 and b.implied(rep, b.blanks[0]) >= 0:
            b.expected = b.implied(rep, b.blanks[0])
        if b.suspect is None:
            b.split = _split_digits(rep, b)
    return out + partial


def _locate(rep: Report, broken: list[Broken], through: dict[Key, list[Identity]]) -> None:
    by_ident = {id(b.ident): b for b in broken}
    for key in {k for b in broken for k in b.ident.cells()}:
        idents = through.get(key, [])
        if len(idents) < 2 or any(id(i) not in by_ident for i in idents):
            continue
        bs = [by_ident[id(i)] for i in idents]
        if any(b.blanks and key not in b.blanks for b in bs):
            continue                  # a blank on the same identity explains it as well
        values = {b.implied(rep, key) for b in bs}
        if len(values) != 1:
            continue
        v = values.pop()
        if v < 0:
            continue
        for b in bs:
            if b.suspect is None:
                b.suspect, b.expected = key, v


def _split_digits(rep: Report, b: Broken) -> tuple[Key, Key, int] | None:
    """Two neighbouring cells whose digits joined make the identity hold (“1” “2” printed for 12)."""
    side = b.ident.rhs if len(b.ident.rhs) > 1 else b.ident.lhs
    for a, n in zip(side, side[1:]):
        va, vn = rep.cells[a], rep.cells[n]
        if va.status != READ or vn.status != READ or not isinstance(va.value, int) or not isinstance(vn.value, int):
            continue
        if va.value <= 0 or vn.value < 0:
            continue
        joined = int(f"{va.value}{vn.value}")
        delta = joined - va.value - vn.value
        lhs, rhs = (b.lhs, b.rhs + delta) if a in b.ident.rhs else (b.lhs + delta, b.rhs)
        if lhs == rhs:
            return a, n, joined
    return None
