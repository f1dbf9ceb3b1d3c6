"""Rules and findings. A rule is one small unit with a stable code, a name that describes the
problem, a severity, a Chinese message template with the actual values, a fix hint, a rationale
citing the 条例 or the format, and a failing and a passing example that the tests run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..document import Where
from ..report import Report

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# Two kinds of finding. A report defect is the unit's to fix; a reading problem is nianbao's: the
# source could not be read reliably (a table not split into cells, a cut-off file, a scan), so a
# person must look at the original. Reading problems are the rule family "reading" (codes R1xx for
# tables, R2xx for sections and text); they are printed first, in their own group, counted apart,
# and never claim that the report lacks something.
DEFECT, READING = "defect", "reading"
READING_FAMILY = "reading"


@dataclass(slots=True)
class Context:
    report: Report
    previous: Report | None = None
    published: str | None = None          # publication date YYYY-MM-DD when known
    children: list[Report] = field(default_factory=list)   # the region's child units' reports, same year
    cache: dict = field(default_factory=dict)   # per-report intermediate results shared by rules

    def memo(self, key: str, compute):
        if key not in self.cache:
            self.cache[key] = compute(self)
        return self.cache[key]


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str                          # Chinese, with the values
    message_en: str
    hint: str
    table: str | None = None
    row: str | None = None
    col: str | None = None
    cells: list[tuple[str, str, str]] = field(default_factory=list)   # every cell the finding involves
    values: dict = field(default_factory=dict)
    where: Where | None = None
    source: str | None = None
    waived: str | None = None             # reason, when a reviewer dismissed it
    kind: str = DEFECT                    # DEFECT | READING (set from the rule's family)
    unit: str | None = None               # the report's issuing body (org), set by run_checks
    year: int | None = None               # the report year, set by run_checks

    @property
    def is_reading(self) -> bool:
        return self.kind == READING

    def to_dict(self, lang: str = "zh") -> dict:
        return {
            "code": self.code, "name": self.name, "severity": self.severity, "kind": self.kind,
            "unit": self.unit, "year": self.year,
            "message": self.message if lang == "zh" else self.message_en,
            "table": self.table, "row": self.row, "col": self.col,
            "where": self.where.to_dict() if self.where else None,
            "source": self.source,
            "cells": [list(c) for c in self.cells],
            "values": self.values,
            "hint": self.hint,
            **({"waived": self.waived} if self.waived else {}),
        }


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    family: str
    title: str                            # what the rule checks (Chinese, one line)
    rationale: str                        # why it matters: 条例 / format reference
    hint: str                             # imperative fix hint (Chinese)
    check: Callable[[Context], Iterable[Finding]]
    failing: Callable[[], Context]        # an example the rule must flag
    passing: Callable[[], Context]        # an example the rule must not flag

    def finding(self, message: str, message_en: str, hint: str | None = None, **kw) -> Finding:
        """A finding of this rule; `hint` replaces the rule's fix hint when the finding knows more."""
        if self.family == READING_FAMILY:
            kw.setdefault("kind", READING)
        return Finding(self.code, self.name, self.severity, message, message_en, hint or self.hint, **kw)


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, family: str, title: str, rationale: str, hint: str,
         failing: Callable[[], Context], passing: Callable[[], Context]):
    """Register a check function as a rule of the catalogue."""
    def deco(fn: Callable[[Rule, Context], Iterable[Finding]]):
        if code in RULES:
            raise ValueError(f"rule code {code} is used twice")
        r = Rule(code, name, severity, family, title, rationale, hint,
                 lambda ctx, _fn=fn: _fn(RULES[code], ctx), failing, passing)
        RULES[code] = r
        return fn
    return deco
