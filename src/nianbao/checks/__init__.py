"""The rule catalogue and the checker.

    run_checks(report, previous=None, published=None) -> list[Finding]   # errors first
    RULES: {code: Rule}

Families: reading (R: what nianbao could not read reliably — not the report's defect), arithmetic (H),
completeness (M), structure (S), plausibility (P), text_vs_table (T), cross_year (X), fees (F). One
function per rule, registered with `@rule` in its family module. Findings come back reading problems
first, then errors, warnings, info.
"""
from __future__ import annotations

import traceback

from ..report import Report
from . import reading  # noqa: F401  (first: reading problems lead the output)
from . import arithmetic, completeness, cross_year, fees, plausibility, reading_text, region, structure, text_vs_table  # noqa: F401
from .model import DEFECT, ERROR, INFO, READING, RULES, SEVERITY_ORDER, WARNING, Context, Finding, Rule
from .waivers import Waiver, apply_waivers, load_waivers

_TABLE_ORDER = {None: 9, "t2": 2, "t3": 3, "t4": 4}


def run_checks(report: Report, previous: Report | None = None, published: str | None = None,
               select: set[str] | None = None, children: list[Report] | None = None) -> list[Finding]:
    ctx = Context(report, previous, published, children or [])
    out: list[Finding] = []
    for code, r in RULES.items():
        if select is not None and code not in select:
            continue
        try:
            out.extend(r.check(ctx))
        except Exception as e:  # a broken rule reports itself instead of stopping the review
            out.append(Finding("E001", "rule-crashed", ERROR,
                               f"规则 {code} 执行出错：{type(e).__name__}: {e}（这是 nianbao 的缺陷，请报告）。",
                               f"rule {code} failed: {type(e).__name__}: {e} (a nianbao bug; please report).",
                               "请把 nianbao debug 的输出附在问题报告中。", source=report.source.path,
                               values={"trace": traceback.format_exc(limit=3)}))
    for f in out:
        f.unit, f.year = report.org, report.year
    out.sort(key=lambda f: (f.kind != READING, SEVERITY_ORDER[f.severity], _TABLE_ORDER.get(f.table, 9), f.code))
    return out


__all__ = ["run_checks", "RULES", "Rule", "Finding", "Context", "ERROR", "WARNING", "INFO", "READING", "DEFECT",
           "Waiver", "apply_waivers", "load_waivers"]
