"""Extraction: a `Document` → a `Report`, by labels, never by fixed positions.

    extract(document) -> Report
    extract_path(path) -> Report        # read + extract
"""
from __future__ import annotations

import os
from itertools import starmap

from .. import limits
from ..document import Document, Problem
from ..formats import FORMATS
from ..readers import read
from ..report import BLANK, MISSING, READ, CellValue, Report
from .formatdetect import detect_format
from .infer import infer
from .items import Item, linearize
from .metadata import find_org, find_title, find_year
from .numbers import CUT, Parsed
from .sections import buried_headings, find_headings, heading_candidates, misplaced, split_sections
from .notes import CELL_CUT, CHECK, CHECK_EN, NO_TABLE, value_cut
from .tables import extract_table, find_regions


def extract(doc: Document) -> Report:
    limits.check_time()
    items = linearize(doc)
    report = Report(source=doc.source, problems=list(doc.problems))
    title, title_org, title_year = find_title(items)
    report.title = title
    report.org = find_org(items, title_org)
    report.year = find_year(items, title_year)
    if report.org is None:
        report.problems.append(Problem(
            "no-org", "未找到发布机关：标题、首段和落款中都没有印出机关名称，发布机关留空（org 为 null）。",
            "no issuing body found: neither the title, the opening paragraph nor the signature names one; "
            "org is null.", None, "warning"))
    if doc.open_end:
        mark_cut_end(items)
    candidates = heading_candidates(items)
    headings = find_headings(items, candidates)
    heading_at = dict(headings)
    report.misplaced = misplaced(items, headings, candidates)
    report.buried = buried_headings(items, headings, set(heading_at.values()) | {n for n, _, _ in report.misplaced})
    regions = find_regions(items, heading_at)
    if regions:
        in_tables = [it for s, e in regions.values() for it in items[s:e]]
        report.format, _ = detect_format(in_tables, report.year)
        if report.format is None:
            from ..formats import format_for_year
            f = format_for_year(report.year)
            report.format = f.key if f else "2021"
    consumed: set[int] = set()
    if report.format:
        spec = FORMATS[report.format]
        keys = spec.template_cells()
        report.cells.update(zip(keys, starmap(CellValue, keys)))     # all MISSING until read
        for t in ("t2", "t3", "t4"):
            limits.check_time()
            if t in regions:
                s, e = regions[t]
                extract_table(report, t, items, (s, e), at_end=runs_to_cut_end(doc, items, e, heading_at))
                consumed.update(range(s, e))
            else:
                for (tt, r, c), cv in report.cells.items():
                    if tt == t:
                        cv.note = NO_TABLE
        infer(report)
        if doc.ocr:
            from ..readers.ocr.trust import verify
            verify(report, doc.ocr)
        absent = [t for t in ("t2", "t3", "t4") if t not in regions]
        for t in absent:
            report.problems.append(Problem(
                "missing-table", f"未能读到表{'二三四'[int(t[1]) - 2]}（{spec.table(t).title}）；{CHECK}。",
                f"table {t} ({spec.table(t).key}) was not read; {CHECK_EN}.", None, "warning"))
    else:
        report.problems.append(Problem(
            "no-tables", f"未能读到任何统计表（表二、表三、表四）；请确认文件是完整的年度报告，并{CHECK}。",
            "none of the statistics tables (t2, t3, t4) was read; check that the file is a complete annual report "
            "and look at the original by hand.",
            None, "error"))
    report.preamble, report.sections = split_sections(items, headings, consumed)
    if report.title and report.preamble.startswith(report.title):
        report.preamble = report.preamble[len(report.title):].lstrip("\n")
    return report


def runs_to_cut_end(doc: Document, items: list[Item], end: int, heading_at: dict[int, int]) -> bool:
    """A table region reaches the end of the document: it runs to the last item, or the file is cut
    (`Document.open_end`) and only header lines follow it — no heading and no value (a long header
    line such as "维持 纠正 … 总计" ends the region): the cells after the cut are then missing, not blank."""
    if end >= len(items):
        return True
    return doc.open_end and not any(it.is_value or it.index in heading_at for it in items[end:])


def mark_cut_end(items: list[Item]) -> None:
    """The file ends right after its last item, with no line end or cell end after it ("…| 1"):
    when that item is a value, its number may be cut ("12" cut to "1"), so it is not read
    (a count printed "0" stays: no count goes on "0…"; tables.cell_outcome decides)."""
    if not items or not items[-1].is_value:
        return
    it = items[-1]
    p = it.parsed
    if p.status == BLANK:       # "…\n\t": the last cell's line begun, its content cut off
        it.parsed = Parsed(None, MISSING, None, flag=CUT, note=CELL_CUT)
        return
    if p.status != READ:
        return
    it.parsed = Parsed(p.value, MISSING, p.unit, flag=CUT,
                       note=value_cut(it.text.strip()))


def extract_path(path: str | os.PathLike, kind: str | None = None) -> Report:
    return extract(read(path, kind))


__all__ = ["extract", "extract_path", "linearize", "Item"]
