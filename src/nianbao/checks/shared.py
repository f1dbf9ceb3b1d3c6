"""Intermediate results several rules share, computed once per report (see Context.memo)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Problem, Where
from ..extract.notes import NO_TABLE, TRUNCATED  # noqa: F401  (markers in cell notes)
from ..formats import FORMATS
from ..labels import norm
from ..report import BLANK, INFERRED, MISSING, NOT_APPLICABLE, READ
from .model import Context

CN = {"t2": "二", "t3": "三", "t4": "四"}
SPLIT_ROW = "该行拆分为非标准子行"
GROUP_ROW_ONLY = "原文只印了"    # a 2021 group row printed without its sub-rows (S110): not a reading problem
# reader problems that mean part of the source has no readable text
READER_PROBLEMS = ("needs-ocr", "tables-as-images", "html-truncated", "docx-altchunk", "pdf-unmapped-glyphs",
                   "image-too-large", "image-damaged", "image-unsupported", "ocr-timeout")
# printed texts that only a table carries: found in the narrative, the table is there but was not recognised
# (every word of one tuple must occur)
_TABLE_MARKS = {
    "t2": (("第二十条第（一）项",), ("本年制发件数", "本年废止件数"), ("本年新制作数量", "本年新公开数量")),
    "t3": (("本列数据的勾稽关系",), ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量")),
    "t4": (("结果维持", "结果纠正", "尚未审结"),),
}


def table_name(report, t: str, short: bool = False) -> str:
    spec = FORMATS.get(report.format or "")
    if short or spec is None:
        return f"表{CN[t]}"
    return f"表{CN[t]}（{spec.table(t).title}）"


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


@dataclass
class ReadingState:
    """What could not be read reliably — the reading rules report it, the others stay silent on it."""
    unsplit: list[str] = field(default_factory=list)            # present tables without one usable cell
    in_text: dict[str, str] = field(default_factory=dict)       # absent tables whose content is in the text
    cut: tuple[str, str | None, Where | None] | None = None      # (table, first row cut off, where)
    after_cut: list[str] = field(default_factory=list)          # absent tables after the cut
    unread_rows: dict[str, list[tuple[str, str, Where | None]]] = field(default_factory=dict)
    reader_problems: list[Problem] = field(default_factory=list)
    where: dict[str, Where | None] = field(default_factory=dict)

    @property
    def unreliable(self) -> bool:
        """The reading itself is in doubt: absence of a table or section proves nothing."""
        return bool(self.unsplit or self.in_text or self.cut or self.reader_problems)

    def explains_absence(self, table: str) -> bool:
        return self.unreliable


def reading_state(c: Context) -> ReadingState:
    rep = c.report
    st = ReadingState(reader_problems=[p for p in rep.problems if p.code in READER_PROBLEMS])
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return st
    order = [t.key for t in spec.tables]
    cells = rep.cells
    for t in spec.tables:
        tk = t.key
        if tk not in rep.present:
            continue
        tcells = [cells[(tk, r.key, col.key)] for r, col in t.cells()]
        if not any(cv.status in (READ, BLANK, NOT_APPLICABLE, INFERRED) for cv in tcells):
            later = [sec.number for sec in rep.sections if sec.number > t.section] + \
                [m[0] for m in list(rep.misplaced) + list(getattr(rep, "buried", ())) if m[0] > t.section]
            if st.cut is None and not later and all(cv.note and TRUNCATED in cv.note for cv in tcells):
                st.cut = (tk, "", next((cv.where for cv in tcells if cv.where), None))   # cut in its header
                continue
            st.unsplit.append(tk)
            st.where[tk] = next((cv.where for cv in tcells if cv.where), None)
            continue
        for r in t.cell_rows():
            row = [cells[(tk, r.key, col.key)] for col in t.columns_of(r.key)]
            if st.cut is None and any(cv.status == MISSING and cv.note and TRUNCATED in cv.note for cv in row):
                st.cut = (tk, r.label, next((cv.where for cv in row if cv.where), None))
            if any(cv.note and cv.note.startswith(GROUP_ROW_ONLY) for cv in row):
                continue                       # the report's own layout (S110), read as printed
            if any(cv.status == INFERRED for cv in row):
                note = next(cv.note for cv in row if cv.status == INFERRED)
                st.unread_rows.setdefault(tk, []).append(
                    (r.key, f"数值未能直接读出，只能由勾稽关系推定：{note}", row[0].where))
                continue
            bad = [cv for cv in row if cv.status == MISSING and not (
                cv.note and (TRUNCATED in cv.note or SPLIT_ROW in cv.note or NO_TABLE in cv.note))]
            if bad:
                st.unread_rows.setdefault(tk, []).append((r.key, bad[0].note or "未找到", bad[0].where))
    present = [t for t in order if t in rep.present]
    if present and st.cut is None:
        last = present[-1]
        later_sections = [s for s in rep.sections if s.number > spec.table(last).section] + \
            [m for m in list(rep.misplaced) + list(getattr(rep, "buried", ())) if m[0] > spec.table(last).section]
        if any(order.index(t) > order.index(last) for t in order if t not in rep.present) and not later_sections:
            st.cut = (last, None, None)
    if st.cut is not None:
        st.after_cut = [t for t in order[order.index(st.cut[0]) + 1:] if t not in rep.present]
    text = [("前言", rep.preamble)] + [(f"第{s.number}部分", s.text) for s in rep.sections]
    for tk in order:
        if tk in rep.present or tk in st.after_cut:
            continue
        for where, body in text:
            n = norm(body)
            if any(all(w in n for w in words) for words in _TABLE_MARKS[tk]):
                st.in_text[tk] = where
                break
    return st
