"""The `Report`: one annual report as data — the official tables, sections, metadata, and for
every template cell where it came from and what happened to it. `to_dict()` is the JSON of
the data contract (../shared/spec/data-contract.md); its shape is pinned by tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Problem, Source, Where
from .formats import FORMATS, Format

CONTRACT_VERSION = 1

# Cell statuses of the contract.
READ = "read"
BLANK = "blank"
NOT_APPLICABLE = "not_applicable"
INFERRED = "inferred"
MISSING = "missing"
STATUSES = (READ, BLANK, NOT_APPLICABLE, INFERRED, MISSING)


@dataclass(slots=True)
class CellValue:
    table: str
    row: str
    col: str
    value: int | float | None = None
    raw: str | None = None
    status: str = MISSING
    unit: str | None = None
    where: Where | None = None
    note: str | None = None          # why a cell is missing or how it was inferred (Chinese)
    inferable: bool = False          # missing only because a short row was ambiguous

    @property
    def key(self) -> tuple[str, str, str]:
        return self.table, self.row, self.col

    def to_dict(self) -> dict:
        d = {"table": self.table, "row": self.row, "col": self.col, "value": self.value,
             "raw": self.raw, "status": self.status, "unit": self.unit,
             "where": self.where.to_dict() if self.where else {}}
        if self.note:
            d["note"] = self.note
        return d


@dataclass(slots=True)
class ExtraRow:
    """A row printed in a table that the format does not have (a sub-row, an added row)."""
    table: str
    label: str
    parent: str | None               # template row it splits, or None for an added row
    after: str | None                # template row it follows
    values: dict[str, int | float | None]
    raw: list[str]
    where: Where | None = None

    def to_dict(self) -> dict:
        return {"table": self.table, "label": self.label, "parent": self.parent, "after": self.after,
                "values": self.values, "raw": self.raw,
                "where": self.where.to_dict() if self.where else {}}


@dataclass(slots=True)
class SectionText:
    number: int
    title: str
    text: str
    where: Where | None = None

    def to_dict(self) -> dict:
        d = {"number": self.number, "title": self.title, "text": self.text}
        if self.where:
            d["where"] = self.where.to_dict()
        return d


@dataclass(slots=True)
class Report:
    source: Source
    org: str | None = None
    year: int | None = None
    format: str | None = None
    preamble: str = ""
    title: str | None = None
    sections: list[SectionText] = field(default_factory=list)
    present: set[str] = field(default_factory=set)        # tables found in the source
    cells: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # section headings found out of order: (number, printed title, where) — not in `sections`
    misplaced: list[tuple[int, str, Where | None]] = field(default_factory=list)
    # section titles standing inside another line or a table cell, not found as headings:
    # (number, the text from the title on, where) — a reading problem, not a missing section
    buried: list[tuple[int, str, Where | None]] = field(default_factory=list)
    # printed labels as found: (table, row key or "item", printed text, where) — for label rules
    labels: list[tuple[str, str, str, Where | None]] = field(default_factory=list)

    @property
    def spec(self) -> Format | None:
        return FORMATS.get(self.format) if self.format else None

    def value(self, table: str, row: str, col: str) -> int | float | None:
        c = self.cells.get((table, row, col))
        return c.value if c else None

    def cell(self, table: str, row: str, col: str) -> CellValue | None:
        return self.cells.get((table, row, col))

    def section(self, number: int) -> SectionText | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    def tables(self) -> dict[str, dict | None]:
        out: dict[str, dict | None] = {"t2": None, "t3": None, "t4": None}
        spec = self.spec
        if spec is None:
            return out
        for t in spec.tables:
            if t.key not in self.present:
                continue
            rows: dict[str, dict] = {}
            for r, c in t.cells():
                cv = self.cells.get((t.key, r.key, c.key))
                rows.setdefault(r.key, {})[c.key] = cv.value if cv else None
            out[t.key] = rows
        return out

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "contract": CONTRACT_VERSION,
            "source": {"path": self.source.path, "sha256": self.source.sha256, "kind": self.source.kind},
            "org": self.org,
            "year": self.year,
            "format": self.format,
            "title": self.title,
            "preamble": self.preamble,
            "sections": [s.to_dict() for s in self.sections],
            "tables": self.tables(),
            "cells": [c.to_dict() for c in self.cells.values()],
            "extra_rows": [e.to_dict() for e in self.extra_rows],
            "problems": [p.to_dict(lang) for p in self.problems],
        }


def from_contract(d: dict) -> Report:
    """A Report from the contract's JSON (e.g. `nianbao extract` output or a synthetic report).

    Cells come from `cells` when present, else from `tables` (every non-null value read)."""
    src = d.get("source") or {}
    rep = Report(Source(src.get("path", "<json>"), src.get("sha256", ""), src.get("kind", "json")),
                 org=d.get("org"), year=d.get("year"), format=d.get("format"), title=d.get("title"),
                 preamble=d.get("preamble") or "")
    for s in d.get("sections") or []:
        w = s.get("where") or {}
        rep.sections.append(SectionText(s["number"], s.get("title") or "", s.get("text") or "",
                                        Where(**w) if w else None))
    fmt = FORMATS.get(rep.format or "")
    if fmt is None:
        return rep
    tables = d.get("tables") or {}
    by_key = {(c["table"], c["row"], c["col"]): c for c in d.get("cells") or []}
    for t, r, c in fmt.template_cells():
        if tables.get(t) is not None:
            rep.present.add(t)
        if (t, r, c) in by_key:
            x = by_key[(t, r, c)]
            w = x.get("where") or {}
            if "bbox" in w:
                w = {**w, "bbox": tuple(w["bbox"])}
            rep.cells[(t, r, c)] = CellValue(t, r, c, x.get("value"), x.get("raw"), x.get("status", MISSING),
                                             x.get("unit"), Where(**w) if w else None, x.get("note"))
            continue
        v = (tables.get(t) or {}).get(r, {}).get(c)
        rep.cells[(t, r, c)] = CellValue(t, r, c, v, None if v is None else str(v),
                                         READ if v is not None else (BLANK if tables.get(t) else MISSING))
    return rep
