"""The three tables: map the item stream onto a table's declaration by labels.

A chain of named steps, each a pure function:

    region (items of one table) → groups (a row label and the values after it)
                                → resolve (values → template cells, never shifted)

Values of a row are the value items after its label: in a real grid, the values to the right
of the label in the same grid row (plus rows that carry no label at all); in a `linear`
table, everything up to the next label. A row with fewer values than columns is never
shifted: its cells are marked missing (and may later be inferred from an identity).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Problem, Where
from ..formats import FORMATS, MONEY, TableSpec
from ..formats.model import COUNT, SIGNED
from ..labels import core, norm, numbering
from ..report import BLANK, INFERRED, MISSING, READ, CellValue, ExtraRow, Report
from . import notes as N
from .items import Item
from .metadata import _org_line
from .numbers import CUT, FRAGMENT, PLUS, WAN, Parsed, clean

_ITEM_MARK = re.compile(r"第[一二三四五六七八九十\d]{1,4}条第（[一二三四五六七八九十\d]{1,3}）项")
ITEM_REF = _ITEM_MARK


# ------------------------------------------------------------------ label knowledge
class RowMatcher:
    """Printed row label → row key of one table spec (exact, then cut-off or annotated labels)."""

    def __init__(self, spec: TableSpec):
        self.spec = spec
        self.exact: dict[str, str] = {}
        self.rows = {r.key: r for r in spec.rows}
        self.entries: list[tuple[str, str]] = []
        for row in spec.rows:
            for lab in row.labels:
                c = core(lab)
                self.exact.setdefault(c, row.key)
                self.entries.append((c, row.key))
        self._cache: dict[str, str | None] = {}

    def match_continued(self, text: str) -> str | None:
        """Exact or cut-off match only (no "label + note"): for labels broken across cells."""
        c = core(text)
        key = self.exact.get(c)
        if key is None and len(c) >= 4:
            for lab, k in self.entries:
                if lab.startswith(c):
                    return k
        return key

    def match(self, text: str) -> str | None:
        try:
            return self._cache[text]
        except KeyError:
            pass
        c = core(text)
        key = self.exact.get(c) if c else None
        if key is None and c:
            best = 0
            for lab, k in self.entries:
                if len(c) >= 4 and lab.startswith(c) and len(c) > best:        # label cut off
                    key, best = k, len(c)
                elif len(lab) >= 4 and c.startswith(lab) and len(lab) > best:  # label + a note
                    key, best = k, len(lab)
        if len(self._cache) >= 4096:         # bounded: a worker reads 100,000 reports
            self._cache.clear()
        self._cache[text] = key
        return key


@lru_cache(maxsize=None)
def _matcher(fmt: str, table: str) -> RowMatcher:
    return RowMatcher(FORMATS[fmt].table(table))


@lru_cache(maxsize=None)
def _column_labels(table: str) -> frozenset[str]:
    out = set()
    for f in FORMATS.values():
        t = f.table(table)
        cols = [c for b in t.blocks for c in b.columns] + list(t.columns)
        for c in cols:
            out.update(core(l) for l in c.labels)
    if table == "t3":
        out.update({"申请人情况", "法人或其他组织"})
    if table == "t4":
        out.update({"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "其他", "结果"})
    return frozenset(out)


@lru_cache(maxsize=16384)
def is_structural(table: str, text: str, header: bool = True) -> bool:
    """A header text (block item, 信息内容, a column label, the 勾稽关系 note)."""
    n = norm(text)
    if _ITEM_MARK.search(n) or "本列数据的勾稽关系" in n or core(text) == "信息内容":
        return True
    return header and core(text) in _column_labels(table)


# ------------------------------------------------------------------ anchors and regions
def is_anchor(table: str, it: Item) -> bool:
    if it.is_value:
        return False
    text = it.text         # labels repeat across reports and are cached; paragraphs are not (memory)
    return (_is_anchor if len(text) <= 100 else _is_anchor.__wrapped__)(table, text, it.is_cell)


@lru_cache(maxsize=4096)
def _is_anchor(table: str, text: str, is_cell: bool) -> bool:
    n = norm(text)
    if len(n) > 60 and table != "t3":
        return False
    if table == "t2":
        return bool(_ITEM_MARK.search(n)) and len(n) < 40 or core(text) == "信息内容"
    if table == "t3":
        return "本列数据的勾稽关系" in n or core(text) in ("申请人情况", "本年新收政府信息公开申请数量")
    if is_cell:
        return core(text) in ("行政复议", "行政诉讼")
    # 表四's header row left as a text line ("行政复议    行政诉讼": a PDF table without rules whose
    # header stayed on the previous page); a heading naming both ("四、…行政复议、行政诉讼情况") is not
    return "行政复议" in n and "行政诉讼" in n and not re.sub(r"行政复议|行政诉讼|[\s、，,]", "", n)


def find_regions(items: list[Item], heading_at: dict[int, int]) -> dict[str, tuple[int, int]]:
    """{table: (start, end)} item ranges; a table that never starts is absent."""
    starts: dict[str, int] = {}
    pos = 0
    for t in ("t2", "t3", "t4"):
        for it in items[pos:]:
            if not it.is_value and is_anchor(t, it):
                starts[t] = it.index
                pos = it.index + 1
                break
    regions = {}
    order = sorted(starts.items(), key=lambda kv: kv[1])
    for k, (t, s) in enumerate(order):
        limit = order[k + 1][1] if k + 1 < len(order) else len(items)
        end = limit
        for i, it in enumerate(items[s + 1:limit], start=s + 1):
            if it.index in heading_at or (not it.is_cell and len(it.text) > 80) or _signature_at(items, i):
                end = it.index
                break
        regions[t] = (s, end)
    return regions


_DATE_LINE = re.compile(r"^\s*[\d〇○零一二三四五六七八九Ｏ０-９]{4}\s*年\s*[\d一二三四五六七八九十０-９]{1,3}\s*月"
                        r"\s*[\d一二三四五六七八九十０-９]{1,3}\s*日\s*$")


def _signature_at(items: list[Item], i: int) -> bool:
    """The 落款 starts at item i: a line (not a table cell) that is a date alone ("2023年1月20日"), or an
    issuing body alone followed by such a date line. A table ends there."""
    it = items[i]
    if it.is_cell:
        return False
    if _DATE_LINE.match(it.text):
        return True
    nxt = items[i + 1] if i + 1 < len(items) else None
    return nxt is not None and not nxt.is_cell and bool(_DATE_LINE.match(nxt.text)) and _org_line(it) is not None


# ------------------------------------------------------------------ grouping
@dataclass(slots=True)
class Group:
    key: str | None                 # template row key, None for a row the format does not have
    labels: list[Item]
    values: list[Item] = field(default_factory=list)
    lead_blanks: int = 0            # blank values right after the label in the label's grid row
    parent: str | None = None
    after: str | None = None
    head: str | None = None         # a heading row of the format ("（六）其他处理") printed with values
    by_position: str | None = None  # the template label when the printed one was matched by numbering

    @property
    def label(self) -> str:
        return "".join(it.text for it in self.labels)

    def nonblank(self) -> int:
        return sum(1 for v in self.values if v.parsed.status != BLANK)


def group_rows(table: str, fmt: str, region: list[Item]) -> list[Group]:
    matcher = _matcher(fmt, table)
    first_label: dict[tuple[int, int], int] = {}
    for it in region:
        if not it.is_value and it.row_id is not None:
            first_label.setdefault(it.row_id, it.index)
    groups: list[Group] = []
    cur: Group | None = None
    header = table != "t2"
    last_template: str | None = None

    def flush() -> None:
        if cur is not None:
            groups.append(cur)

    rows = matcher.rows
    last = len(region) - 1
    for pos, it in enumerate(region):
        if it.is_value and it.parsed.weak and not _weak_is_value(
                it, cur, region[pos + 1] if pos < last else None, matcher):
            pass                                      # "1." / "（5）" numbering a label: a label
        elif it.is_value:
            if cur is None:
                continue
            rid = it.row_id
            if rid is not None:
                fl = first_label.get(rid)
                if fl is not None and it.index < fl:
                    continue                          # a spacer before the row's label
                if it.parsed.status == BLANK and cur.lead_blanks == len(cur.values) \
                        and rid == cur.labels[-1].row_id:
                    cur.lead_blanks += 1
            cur.values.append(it)
            continue
        if header:
            key = matcher.match(it.text)
            if key is None or len(core(rows[key].label)) < 4 or is_structural(table, it.text, False):
                continue                              # still in the header
            header = False
        if is_structural(table, it.text, header=(table == "t2")):
            flush()
            cur = None
            continue
        key = matcher.match(it.text)
        if key is not None and not _numbering_fits(it.text, rows[key]):
            key = None
        if key is not None and cur is not None and cur.key == key and not cur.values:
            cur.labels.append(it)                     # the label printed twice in a row (a line doubled)
            continue
        if key is not None:
            row = rows[key]
            flush()
            cur = None
            if row.has_cells:
                cur = Group(key, [it])
                last_template = key
            else:                                     # a heading row: values printed on it are kept
                cur = Group(None, [it], after=last_template, head=key)
            continue
        if cur is not None and cur.head is not None and not cur.values:
            cur = None                                # (a heading row without values is no group)
        # a label the format does not have
        if cur is not None and not cur.values:
            if cur.key is not None and matcher.match_continued(cur.label + it.text) == cur.key:
                cur.labels.append(it)                 # the label continues in the next cell
                continue
            if cur.key is None and not any(v for v in cur.values):
                if matcher.match(cur.label + it.text) is None and it.row_id is not None \
                        and it.row_id == cur.labels[-1].row_id:
                    cur.labels.append(it)
                    continue
            if cur.key is not None:
                parent = cur.key
                flush()
                cur = Group(None, [it], parent=parent, after=parent)
                continue
        parent = cur.parent if (cur is not None and cur.key is None) else None
        flush()
        cur = Group(None, [it], parent=parent, after=last_template)
    flush()
    return [g for g in groups if g.head is None or g.values]


def match_by_position(groups: list[Group], spec: TableSpec) -> list[Group]:
    """A misspelt row label ("2.其他法律行政止公开") between two rows that were recognised: the
    template row it stands for, by its numbering and position. Only when exactly one template row
    lies between its neighbours, no other printed row claims it, the numbering is the same and
    the printed label keeps at least half of the official label's characters. Returns the groups
    it matched (their `key` and `by_position` set)."""
    order = [r.key for r in spec.cell_rows()]
    at = {k: i for i, k in enumerate(order)}
    seen = {g.key for g in groups if g.key is not None}
    rows = [g for g in groups if g.head is None]
    matched = []
    for i, g in enumerate(rows):
        if g.key is not None or g.parent is not None or not g.values:
            continue
        prev = rows[i - 1] if i > 0 else None
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if (prev is not None and prev.key is None) or (nxt is not None and nxt.key is None) \
                or (prev is None and nxt is None):
            continue                                  # a neighbour is unrecognised too: ambiguous
        lo = at[prev.key] if prev is not None else -1
        hi = at[nxt.key] if nxt is not None else len(order)
        if hi - lo != 2:
            continue
        row = spec.row(order[lo + 1])
        printed = numbering(g.label)
        if row.key in seen or printed is None or printed != numbering(row.label):
            continue
        official = set(core(row.label))
        if len(official & set(core(g.label))) * 2 < len(official):
            continue
        g.key, g.by_position = row.key, row.label
        seen.add(row.key)
        matched.append(g)
    return matched


def _numbering_fits(text: str, row) -> bool:
    """A short generic label ("其他") matches its row only under the row's own number: "2.其他"
    printed in （三）不予公开 is not （六）3.其他."""
    if len(core(row.label)) >= 4:
        return True
    printed, official = numbering(text), numbering(row.label)
    return printed is None or official is None or printed[1] == official[1]


def _weak_is_value(it: Item, cur: Group | None, nxt: Item | None, matcher: RowMatcher) -> bool:
    """"1." or "（5）" alone: a (missing) value where a row still expects one, else numbering.

    In a grid it is a value when it stands after a row's label in the label's grid row. In a
    linear table, when the row still has a column to fill, unless it is the numbering of the
    label that follows ("（1）" ⏎ "属于国家秘密")."""
    if cur is None or cur.key is None:
        return False
    if it.row_id is not None:
        return it.row_id == cur.labels[-1].row_id
    if len(cur.values) >= len(matcher.spec.columns_of(cur.key)):
        return False
    if nxt is not None and not nxt.is_value and numbering(nxt.text) is None \
            and matcher.match(it.text + nxt.text) is not None:
        return False
    return True


# ------------------------------------------------------------------ resolving values
@dataclass(slots=True)
class Resolved:
    values: list[Item] | None       # one item per column, or None when the row is ambiguous
    cut: bool = False                # the row is cut off at the end of the document
    problem: str | None = None       # "short" | "long" | None


def resolve(g: Group, ncols: int, spacer_convention: bool, truncated: bool,
            value_cols: frozenset = frozenset()) -> Resolved:
    vals = list(g.values)
    if len(vals) > ncols and value_cols:
        vals = _in_value_columns(vals, ncols, value_cols)
    if spacer_convention and g.lead_blanks and len(vals) == len(g.values):
        vals = _spacers_dropped(vals, g.lead_blanks, value_cols)
    while len(vals) > ncols and vals[-1].parsed.status == BLANK:
        vals.pop()
    while len(vals) > ncols and vals[0].parsed.status == BLANK:
        vals.pop(0)
    n = len(vals)
    if n == ncols:
        return Resolved(vals)
    if truncated and n < ncols:
        return Resolved(vals, cut=True)
    if n == 0:
        return Resolved([])
    if n < ncols:
        return Resolved(None, problem="short")
    if truncated and all(v.parsed.status != BLANK for v in vals[:ncols]):
        return Resolved(vals[:ncols], problem="long")
    if ncols <= 2 and len({clean(v.text) for v in vals[ncols - 1:]}) == 1:
        return Resolved(vals[:ncols])       # the last value repeated across a merged cell's span
    return Resolved(None, problem="long")


def _grid_col(v: Item) -> tuple | None:
    """(table, grid column) of a value in a grid whose columns line up across rows (DOCX, HTML, PDF:
    spans resolved, the cell's `where` names its column); None in text grids, whose rows under a
    merged cell may print fewer cells."""
    return (v.table, v.where.col) if v.row_id is not None and v.where is not None and v.where.col is not None else None


def value_columns(groups: list[Group], ncols_of) -> frozenset:
    """The grid columns that hold a table's values: those of the rows printing exactly one value per
    column, every one in its own grid cell."""
    out = set()
    for g in groups:
        if g.key is not None and len(g.values) == ncols_of(g) and not g.lead_blanks:
            cols = [_grid_col(v) for v in g.values]
            if None not in cols and len(set(cols)) == len(cols):
                out.update(cols)
    return frozenset(out)


def _in_value_columns(vals: list[Item], ncols: int, value_cols: frozenset) -> list[Item]:
    """A row with more values than columns whose surplus are empty grid cells standing in columns
    that hold no value in any row of its table (the label's empty second column): those cells are
    not values. Otherwise the row is left as it is."""
    tables = {t for t, _ in value_cols}
    kept = [v for v in vals if not (v.parsed.status == BLANK and (gc := _grid_col(v)) is not None
                                    and gc[0] in tables and gc not in value_cols)]
    return kept if len(kept) == ncols else vals


def _spacers_dropped(vals: list[Item], lead: int, value_cols: frozenset) -> list[Item]:
    """The spacer convention: the empty cells right after a label are spacers, not values — except,
    where the grid's columns tell, those standing in a column that holds values in other rows (a
    value printed blank)."""
    tables = {t for t, _ in value_cols}
    cols = [_grid_col(v) for v in vals[:lead]]
    if not cols or any(c is None or c[0] not in tables for c in cols):
        return vals[lead:]
    return [v for v, c in zip(vals[:lead], cols) if c in value_cols] + vals[lead:]


@dataclass(slots=True)
class Doubt:
    """Why (some of) a row's cells cannot be read with certainty. By default every cell of the row
    is missing with `note`, and the report gets a problem `code` (`zh` / `en`; None: the notes say
    it). `start`: only the cells from this column on (the row's values before it are read);
`unread_only`: only the cells the row leaves blank or missing. `cells`: one (status, value,
    note, where, inferable) per column instead (a row the report does not print: group-row-only).
    `then`: a further doubt applied after this one (a row split into sub-rows)."""
    code: str
    note: str
    zh: str | None = None
    en: str | None = None
    inferable: bool = False          # an identity may still give the cells (values were printed)
    where: Where | None = None
    start: int | None = None
    unread_only: bool = False
    cells: list | None = None
    then: Doubt | None = None


@dataclass(slots=True)
class RowContext:
    """What the row-certainty step needs to know about the whole table."""
    table: str
    convention: bool                 # blank spacers before the values (`_spacer_convention`)
    fragments: set                   # rows of wrapped numbers' first parts (`fragment_rows`)
    region: list[Item]
    conflicts: set[str]              # rows printed twice with different values
    split: set[str]                  # rows split into non-standard sub-rows
    stray: Item | None               # a paragraph of digits in or before the table (`stray_number`)


def uncertain_row(g: Group, res: Resolved, ncols: int, rc: RowContext) -> Doubt | None:
    """The one step that decides whether a matched row's cells are certain. Not certain:

    - the row is printed twice with different values (a doubled or damaged line): which is the row's?
    - it prints fewer or more values than it has columns (`resolve`): which value is which column?
    - its values stand on several lines (numbers wrapped in narrow cells): their order is not the columns';
    - its cells are all empty, but a number is printed right at its label (glued to it, or run into
      the next text): that number may be the row's;
    - open end: the source ends inside the row: its cells after the last value printed were not read;
    - it prints no value, but a number stands at its label or a paragraph of digits in the table: missing;
    - it is split into sub-rows the format does not have: the cells it leaves blank are not known.

    Otherwise None: the values are placed one per column (never shifted), an empty row is blank.
    A row the report does not print, under a heading row printed with values, is decided by
    `uncertain_subrow`."""
    table = rc.table
    doubt = _row_doubt(table, g, res, ncols, rc)
    if g.key in rc.split:
        split = Doubt("split-row", SPLIT_NOTE, unread_only=True)
        if doubt is None:
            return split
        doubt.then = split
    return doubt


SPLIT_NOTE = "该行拆分为非标准子行，子行数值另列为非标准行"


def _row_doubt(table: str, g: Group, res: Resolved, ncols: int, rc: RowContext) -> Doubt | None:
    name, where = f"表{_cn(table)}「{g.label}」行", g.labels[0].where
    missing = f"这些单元格标记为缺失，不会错位填入；{N.CHECK}。"
    if g.key in rc.conflicts:
        return Doubt("duplicate-row-differs", N.DUPLICATE_DIFFERS,
                     f"{name}读到不止一次，数值不同，未能确定采用哪一次；{missing}",
                     f"table {table}: row '{g.label}' is printed more than once with different values; which one "
                     "is the row's is unknown, so its cells are marked missing.", True)
    if res.values is None:
        vals = g.values[g.lead_blanks:] if rc.convention else g.values
        n, blanks = len(vals), sum(1 for v in vals if v.parsed.status == BLANK)
        short = res.problem == "short"
        return Doubt("short-row" if short else "long-row", N.columns_unknown(n, blanks, ncols),
                     N.columns_unknown_problem(name, n, blanks, ncols),
                     N.columns_unknown_en(f"table {table}, row '{g.label}'", n, ncols), short)
    if res.values and wrapped_across_lines(g, ncols, rc.fragments):
        return Doubt("wrapped-row", N.WRAPPED,
                     f"{name}的数值分在几行读到（数字可能在单元格内折行），未能确定各数值所在的列；{missing}",
                     f"table {table}: the values of row '{g.label}' were read on several lines (numbers wrapped in "
                     "their cells); nianbao could not tell which value belongs to which column, so its cells are "
                     f"marked missing; {N.CHECK_EN}.", True)
    if res.values and not res.cut and all(v.parsed.status == BLANK for v in res.values) \
            and (odd := numbered_text_cell(g, rc.region)) is not None:
        return Doubt("number-at-label", _stray_note(odd),
                     f"{name}的单元格读到为空，但行标签处读到「{_quote(odd.text)}」，未能确定是否为该行的数值；{missing}",
                     f"table {table}: row '{g.label}' was read with empty cells, but '{_quote(odd.text)}' stands at "
                     f"its label; nianbao could not tell whether it is the row's value, so its cells are marked "
                     f"missing; {N.CHECK_EN}.",
                     where=odd.where)
    nv = len(res.values)
    if nv >= ncols:
        return None
    if res.cut:
        return Doubt("open-end", N.ROW_CUT, start=nv)
    if (odd := numbered_text_cell(g, rc.region) or rc.stray) is not None:
        return Doubt("number-at-label", _stray_note(odd), where=odd.where, start=nv)
    return None


def uncertain_subrow(table: str, g: Group, res: Resolved, key: str, cols: list, fmt: str) -> Doubt:
    """A row the report does not print because it prints the heading row above it with values and
    none of its sub-rows ("（六）其他处理" printed as one row, as in the 2019 format, in a 2021 table).
    In a column where the printed row is 0, every sub-row is 0 (counts are not negative):
    inferred. Elsewhere the split is unknown: missing (the printed row stays in extra_rows)."""
    printed = [res.values[k] if res.values is not None and k < len(res.values) else None
               for k in range(len(cols))]
    spec = FORMATS[fmt].table(table)
    head = spec.row(g.head)
    sub_labels = "、".join(r.label.split(".", 1)[0] for r in spec.cell_rows() if r.group == head.label)
    cells = []
    for it in printed:
        where = it.where if it is not None else g.labels[0].where
        p = it.parsed if it is not None else None
        if p is not None and p.status == READ and p.value == 0 and p.flag is None:
            cells.append((INFERRED, 0, f"原文只印了「{g.label}」一行（该列为0），未分{sub_labels}子行；"
                                       "子行数值不能为负，故均为0", where, False))
        else:
            shown = it.text.strip() if it is not None and it.text.strip() else "空白"
            cells.append((MISSING, None, f"原文只印了「{g.label}」一行（该列为「{shown}」），未分{sub_labels}子行，"
                                         "无法拆分；该行数值另列为非标准行", where, True))
    return Doubt("group-row-only", "", cells=cells)


def apply_doubt(report: Report, table: str, key: str, cols: list, doubt: Doubt, fallback: Where | None) -> None:
    """Set the row's cells as `doubt` decides (its problem, if any, is the caller's)."""
    while doubt is not None:
        if doubt.cells is not None:
            for c, (status, value, note, where, inferable) in zip(cols, doubt.cells):
                cv = report.cells[(table, key, c.key)]
                cv.where, cv.status, cv.value, cv.note = where, status, value, note
                if inferable:
                    cv.inferable = True
        elif doubt.unread_only:
            for c in cols:
                cv = report.cells[(table, key, c.key)]
                if cv.status == MISSING or cv.status == BLANK:
                    cv.status, cv.value, cv.note = MISSING, None, doubt.note
        elif doubt.start is not None:
            for c in cols[doubt.start:]:
                cv = report.cells[(table, key, c.key)]
                if doubt.code == "open-end":
                    cv.note = doubt.note
                else:
                    cv.status, cv.value, cv.where, cv.note = MISSING, None, doubt.where, doubt.note
        else:
            for c in cols:
                cv = report.cells[(table, key, c.key)]
                cv.status, cv.value, cv.inferable = MISSING, None, doubt.inferable
                cv.where = doubt.where or fallback
                cv.note = doubt.note
        doubt = doubt.then


def conflicting_duplicates(groups: list[Group], ncols_of, convention: bool) -> set[str]:
    """Rows printed more than once whose printed values differ (a doubled line, a damaged row)."""
    by_key: dict[str, list[Group]] = {}
    for g in groups:
        if g.key is not None:
            by_key.setdefault(g.key, []).append(g)
    out = set()
    for key, gs in by_key.items():
        if len(gs) > 1:
            printed = set()
            for g in gs:
                res = resolve(g, ncols_of(g), convention, False)
                printed.add(None if res.values is None else tuple(clean(v.text) for v in res.values))
            if len(printed) > 1:
                out.add(key)
    return out


def numbered_text_cell(g: Group, region: list[Item]) -> Item | None:
    """A row that resolves to no value may still print one that was not taken as a value: the item
    right after its label starts with a number followed by a space or nothing ("128 第二十条…": a
    value cell run into the next row's text; "126": a cell a damaged web page left outside its table),
    or its label ends in digits (the row's values glued to it). Such a row is not blank. Numbering ("1.属于国家秘密") is a label, not a value."""
    if not g.labels:
        return None
    if _GLUED_NUMBER.search(g.labels[-1].text):   # "四、结转下年度继续办理72101112": no label ends in a digit
        return g.labels[-1]
    at = g.labels[-1].index
    nxt = next((it for it in region if it.index > at), None)
    if nxt is None or nxt.is_value or any(nxt is it for it in g.labels):
        return None
    if _NUMBER_FIRST.match(nxt.text) and numbering(nxt.text) is None:
        return nxt
    return None


def stray_number(items: list[Item], region: tuple[int, int]) -> Item | None:
    """A paragraph of digits only, in a table's region or just before it ("12627741310187"): a web
    page's damaged row (<ud>, <ur>) whose cells the parser moved out of the table, glued. The rows
    of that table that print no value may be that row: they are not blank."""
    for it in items[max(region[0] - 3, 0):region[1]]:       # a table heading row may stand between
        if not it.is_cell and not it.is_value and _DIGITS_ONLY.fullmatch(it.text.strip()):
            return it
    return None


def _stray_note(odd: Item) -> str:
    return N.stray(_quote(odd.text))


_DIGITS_ONLY = re.compile(r"[0-9０-９][0-9０-９\s]*")
_GLUED_NUMBER = re.compile(r"[0-9０-９]\s*$")
_NUMBER_FIRST = re.compile(r"\s*[0-9０-９][0-9０-９,，.]*(\s|$|\ufffd)")     # "0�": a cut UTF-16 file


def _quote(text: str, n: int = 20) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n] + "…"


def fragment_rows(region: list[Item]) -> set:
    """Rows holding no label, only values, among them a number's wrapped first part ("2,50"):
    a row of cells too narrow for their numbers, the rest of each number on the row below.
    Keys: a grid row's `row_id`, or ("line", n) for a text line outside grids."""
    per_row: dict = {}
    for it in region:
        if it.row_id is not None:
            key = it.row_id
        elif it.where is not None and it.where.line is not None:
            key = ("line", it.where.line)
        else:
            continue
        per_row.setdefault(key, []).append(it)
    return {k for k, its in per_row.items()
            if len(its) >= 2 and all(it.is_value for it in its) and any(it.parsed.flag == FRAGMENT for it in its)}


def wrapped_across_lines(g: Group, ncols: int, fragments: set = frozenset()) -> bool:
    """A row whose numbers wrapped inside narrow cells (a PDF, or `pdftotext -layout` of one): the
    row just above holds the numbers' first parts ("2,50" above "8"), or, in text, the values stand
    partly on the label's line and partly on the lines around it ("2,13" above, "4" below). The
    order of these values is not the column order. In a grid, also when the row's values, taken
    from several grid rows, do not stand in increasing columns: the label row holds the first
    part of a wrapped number ("1,01" in the last column, "7" two rows below) and the other values
    are on the row under it (read in order, they would shift by one column)."""
    lab = g.labels[-1]
    if lab.row_id is not None:
        ti, r = lab.row_id
        return (ti, r - 1) in fragments or not _columns_increase(g.values)
    line = lab.where.line if lab.where is not None else None
    if line is None:
        return False
    if ("line", line - 1) in fragments:
        return True
    on, other = 0, 0
    for v in g.values:
        if v.parsed.status == BLANK or v.where is None:
            continue
        if v.where.line == line:
            on += 1
        else:
            other += 1
    return 0 < on < ncols and other > 0


def _columns_increase(values: list[Item]) -> bool:
    """The non-blank values of a grid row stand left to right in their table's columns (values of
    another table, a row continued after a page break, are not compared)."""
    last: tuple[int | None, int] | None = None
    for v in values:
        w = v.where
        if v.parsed.status == BLANK or w is None or w.col is None:
            continue
        if last is not None and last[0] == v.table and w.col <= last[1]:
            return False
        last = (v.table, w.col)
    return True


def _spacer_convention(groups: list[Group], ncols_of) -> bool:
    for g in groups:
        if g.key is not None and g.lead_blanks and len(g.values) > ncols_of(g):
            trailing = 0
            for v in reversed(g.values):
                if v.parsed.status != BLANK:
                    break
                trailing += 1
            if len(g.values) - trailing > ncols_of(g):
                return True
    return False


# ------------------------------------------------------------------ the tables
_ROW_NAMES = {"zh": "行", "en": "row"}


def _set(report: Report, table: str, row: str, col: str, item: Item | None, unit: str | None,
         kind: str = COUNT) -> None:
    cv = report.cells[(table, row, col)]
    if item is None:
        cv.status = BLANK
        return
    p = item.parsed
    cv.raw = item.text
    cv.where = item.where
    cv.status = p.status            # numbers.READ/BLANK/NOT_APPLICABLE are the report's statuses
    cv.value = p.value
    cv.unit = p.unit or unit
    if p.note is not None or p.flag is not None:
        cell_outcome(cv, p, kind)


def cell_outcome(cv: CellValue, p: Parsed, kind: str) -> None:
    """An odd printed value in its column (numbers.py): read only when the number is certain.

    "+22" is read (with a note unless the column is signed); "12.5万" is read as 万元 in a money
    column and missing elsewhere; the cut-off last value of a file is missing unless it is a
    count printed "0" (no count continues "0…"); everything else keeps the parser's status."""
    flag = p.flag
    cv.status, cv.note = p.status, p.note
    if flag is None:
        if p.status not in (READ, INFERRED):
            cv.value, cv.unit = None, None
        return
    if flag == PLUS:
        if kind != SIGNED:
            cv.note = f"原文印作「{cv.raw.strip()}」（带正号），按{p.value}读取"
        return
    if flag == WAN and kind == MONEY:
        cv.status, cv.value, cv.unit = READ, p.value, "万元"
        cv.note = f"原文印作「{cv.raw.strip()}」，按{p.value}万元读取"
        return
    if flag == CUT and kind == COUNT and p.value == 0 and clean(cv.raw) == "0":
        cv.status, cv.value, cv.note = READ, 0, None
        return
    cv.status, cv.value, cv.unit = MISSING, None, None

@lru_cache(maxsize=None)
def _money_cells(spec: TableSpec) -> tuple:
    return tuple((r, c) for r, c in spec.cells() if c.kind == MONEY)


def _money_unit(labels: list[str], col_label: str, default: str | None) -> str | None:
    """The unit printed in the money column's header ("收费金额（万元）"), else the format's."""
    head = core(col_label)[:4]
    for n in labels:
        if head in n:
            if "万元" in n:
                return "万元"
            if "元" in n:
                return "元"
    return default


def repeated_header(region: list[Item]) -> tuple[int, int] | None:
    """A table's header printed again inside it (its header rows repeated at the top of the next page, in a PDF
    saved as text): the longest run of label items, with no value between them, after the first value, each a
    text of the header (the label items before the first value), that repeats at least 3 and at least three
    fifths of the header's distinct texts. Its (start, end) in `region`, or None."""
    first = next((i for i, it in enumerate(region) if it.is_value), None)
    if first is None:
        return None
    head = {norm(it.text) for it in region[:first] if not it.is_value}
    need = max(3, (3 * len(head) + 4) // 5)
    best: tuple[int, int] | None = None
    start = None
    for i in range(first, len(region) + 1):
        inside = i < len(region) and not region[i].is_value and norm(region[i].text) in head
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            run = {norm(it.text) for it in region[start:i]}
            if len(run) >= need and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
            start = None
    return best


def extract_table(report: Report, table: str, items: list[Item], region: tuple[int, int],
                  at_end: bool) -> None:
    """Fill report.cells for one table from its region of the item stream."""
    spec = FORMATS[report.format].table(table)
    region_items = items[region[0]:region[1]]
    again = repeated_header(region_items) if table != "t4" else None
    if again is not None:
        report.problems.append(Problem(
            "repeated-header", f"表{_cn(table)}的表头在表中再次印出（跨页重复的标题行），已略去。",
            f"table {table}: its header is printed again inside the table (repeated on a new page); skipped.",
            region_items[again[0]].where, "info"))
        region_items = region_items[:again[0]] + region_items[again[1]:]
    report.present.add(table)
    stray = stray_number(items, region)
    if table == "t4":
        _extract_t4(report, spec, region_items, at_end, stray)
        return
    groups = group_rows(table, report.format, region_items)
    for g in match_by_position(groups, spec):
        report.problems.append(Problem(
            "label-by-position",
            f"表{_cn(table)}的行标签「{g.label}」与格式文字不符，按编号和所在位置对应「{g.by_position}」行。",
            f"table {table}: the row label '{g.label}' differs from the format; matched to "
            f"'{g.by_position}' by its numbering and position.", g.labels[0].where, "info"))
    for it in region_items:
        if not it.is_value and table == "t2" and _ITEM_MARK.search(norm(it.text)):
            report.labels.append((table, "item", it.text, it.where))
    for g in groups:
        if g.key is not None:
            report.labels.append((table, g.key, g.label, g.labels[0].where))
    ncols_of = lambda g: len(spec.columns_of(g.key or g.after or g.parent or spec.cell_rows()[0].key))
    convention = _spacer_convention(groups, ncols_of)
    value_cols = value_columns(groups, ncols_of)
    seen: set[str] = set()
    heads: list[tuple[Group, Resolved]] = []
    fragments = fragment_rows(region_items)
    conflicts = conflicting_duplicates(groups, lambda g: len(spec.columns_of(g.key)), convention)
    money = _money_cells(spec)
    if money:
        labels = [norm(it.text) for it in region_items if not it.is_value]
        units = {(r.key, c.key): _money_unit(labels, c.label, c.unit) for r, c in money}
    else:
        units = {}
    cells = report.cells
    split = {g.parent for g in groups if g.key is None and g.parent and g.nonblank()}
    rc = RowContext(table, convention, fragments, region_items, conflicts, split, stray)
    for gi, g in enumerate(groups):
        truncated = at_end and gi == len(groups) - 1
        if g.key is None:
            res = _extra_row(report, spec, g, truncated)
            if g.head is not None and res is not None:
                heads.append((g, res))
            continue
        if g.key in seen:
            if g.key not in conflicts:
                report.problems.append(Problem(
                    "duplicate-row", f"表{_cn(table)}「{g.label}」行重复出现，只采用第一次出现的数值。",
                    f"table {table}: row '{g.label}' appears twice; only the first is used.", g.labels[0].where))
            continue
        seen.add(g.key)
        cols = spec.columns_of(g.key)
        res = resolve(g, len(cols), convention, truncated, value_cols)
        doubt = uncertain_row(g, res, len(cols), rc)
        if doubt is not None and doubt.start is None and not doubt.unread_only:
            apply_doubt(report, table, g.key, cols, doubt, g.labels[0].where)
            if doubt.zh is not None:
                report.problems.append(Problem(doubt.code, doubt.zh, doubt.en, g.labels[0].where))
            continue
        vals, nv, rk = res.values, len(res.values), g.key
        for k, c in enumerate(cols):
            if k < nv:                                # inline _set: the hot loop of extraction
                it = vals[k]
                p = it.parsed
                cv = cells[(table, rk, c.key)]
                cv.raw, cv.where, cv.status, cv.value = it.text, it.where, p.status, p.value
                cv.unit = p.unit or (units.get((rk, c.key)) if units else None)
                if p.note is not None or p.flag is not None:
                    cell_outcome(cv, p, c.kind)
            elif doubt is None or doubt.start is None:
                _set(report, table, g.key, c.key, None, None)
                report.cells[(table, g.key, c.key)].where = g.labels[0].where
                report.cells[(table, g.key, c.key)].note = "该行未填写数值"
        if doubt is not None:
            apply_doubt(report, table, g.key, cols, doubt, g.labels[0].where)
        if res.problem == "long":
            report.problems.append(Problem(
                "extra-values", f"表{_cn(table)}「{g.label}」行后读到未能归入该行各列的内容，已略去；{N.CHECK}。",
                f"table {table}: row '{g.label}' is followed by values nianbao could not place in its columns; "
                f"they were left out; {N.CHECK_EN}.",
                g.values[len(cols)].where if len(g.values) > len(cols) else g.labels[0].where))
    for key in split:                         # (its cells: uncertain_row)
        report.problems.append(Problem(
            "split-row", f"表{_cn(table)}「{spec.row(key).label}」行被拆分为非标准子行，子行数值另列为非标准行，未自行求和。",
            f"table {table}: row '{spec.row(key).label}' is split into non-standard sub-rows (listed as non-standard rows); "
            "no sum was invented.", None, "info"))
    for g in groups:
        if g.by_position and g.key in seen:
            for c in spec.columns_of(g.key):
                cv = report.cells[(table, g.key, c.key)]
                why = f"行标签印作「{g.label}」，按编号和位置对应「{g.by_position}」"
                cv.note = f"{cv.note}；{why}" if cv.note else why
    derived: set[str] = set()
    for g, res in heads:
        derived |= _derive_subrows(report, spec, g, res, seen)
    missing_rows = [r for r in spec.cell_rows() if r.key not in seen and r.key not in split
                    and r.key not in derived]
    for r in missing_rows:
        for c in spec.columns_of(r.key):
            report.cells[(table, r.key, c.key)].note = N.ROW_CUT if at_end else N.NO_ROW
    if missing_rows and not at_end:
        labels = "、".join(r.label for r in missing_rows[:5]) + ("等" if len(missing_rows) > 5 else "")
        report.problems.append(Problem(
            "missing-rows", f"表{_cn(table)}有{len(missing_rows)}行未能读到：{labels}；{N.CHECK}。",
            f"table {table}: {len(missing_rows)} rows were not read: {', '.join(r.key for r in missing_rows)}; "
            f"{N.CHECK_EN}.",
            region_items[0].where if region_items else None))


def _extra_row(report: Report, spec: TableSpec, g: Group, truncated: bool) -> Resolved | None:
    if not g.nonblank():
        return None
    ref = g.parent or g.after
    cols = spec.columns_of(ref) if ref else spec.columns
    res = resolve(g, len(cols), False, truncated)
    values = {}
    if res.values is not None:
        for k, c in enumerate(cols):
            p = res.values[k].parsed if k < len(res.values) else None
            values[c.key] = p.value if p is not None and p.status == READ else None
    report.extra_rows.append(ExtraRow(spec.key, g.label, g.parent, g.after, values,
                                      [v.text for v in g.values], g.labels[0].where))
    return res


def _derive_subrows(report: Report, spec: TableSpec, g: Group, res: Resolved, seen: set[str]) -> set[str]:
    """A heading row printed with values and none of its sub-rows: each sub-row's cells as
    `uncertain_subrow` decides. Returns the sub-rows handled."""
    head = spec.row(g.head)
    subs = [r for r in spec.cell_rows() if r.group == head.label]
    if not subs or any(r.key in seen for r in subs):
        return set()
    table = spec.key
    sub_labels = "、".join(r.label.split(".", 1)[0] for r in subs)
    zero = False
    for r in subs:
        cols = spec.columns_of(r.key)
        doubt = uncertain_subrow(table, g, res, r.key, cols, report.format)
        apply_doubt(report, table, r.key, cols, doubt, g.labels[0].where)
        zero = zero or any(c[0] == INFERRED for c in doubt.cells)
    report.problems.append(Problem(
        "group-row-only",
        f"表{_cn(table)}只印了「{g.label}」一行，没有按{report.format}年格式分{sub_labels}子行；该行数值另列为"
        "非标准行，" + ("各子行在合计为0的列推定为0。" if zero else "子行无法确定，标记为缺失。"),
        f"table {table} prints '{g.label}' as one row, without the {report.format} format's sub-rows; the row is "
        "kept as a non-standard row" + ("; sub-rows are inferred as 0 where it prints 0." if zero
                                else "; the sub-rows cannot be known and are missing."),
        g.labels[0].where, "info"))
    return {r.key for r in subs}


_T4_GROUP_LABELS = {"行政复议": "review", "未经复议直接起诉": "direct", "复议后起诉": "after_review"}
_T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")      # the printed order


def _t4_groups(region: list[Item]) -> tuple[bool, dict[str, list[Item]]] | None:
    """表四 printed as three small tables, each under its group's label (markdown conversions:
    "### 行政复议", "#### 未经复议直接起诉", "#### 复议后起诉", each over 结果维持 … 总计 and one row
    of values). The layout shows itself by a group label printed after a non-blank value (in the
    one-table layout all labels come first). None when it is not this layout; else (usable, group → its
    values): not usable when the groups are out of order or print their columns in another order."""
    found: dict[str, list[Item]] = {}
    heads: dict[str, list[str]] = {}
    cur = None
    seen_value = grouped = False
    for it in region:
        if it.is_value:
            if cur is None:
                return None
            found[cur].append(it)
            seen_value = seen_value or it.parsed.status != BLANK      # blanks are spacers of a header
            continue
        c = core(it.text)
        g = _T4_GROUP_LABELS.get(c)
        if g is not None:
            grouped = grouped or seen_value
            if g in found:
                return (False, found) if grouped or seen_value else None
            found[g], heads[g] = [], []
            cur = g
        elif cur is not None and c in _T4_COLUMNS:
            heads[cur].append(c)
    if not grouped:
        return None
    order = [g for g in _T4_GROUP_LABELS.values() if g in found]
    usable = list(found) == order and all(h == list(_T4_COLUMNS[:len(h)]) for h in heads.values())
    return usable, found


def _extract_t4_groups(report: Report, spec: TableSpec, usable: bool, groups: dict[str, list[Item]],
                       at_end: bool) -> None:
    by_row: dict[str, list[str]] = {}
    for r, c in spec.cells():
        by_row.setdefault(r.key, []).append(c.key)
    last = list(groups)[-1] if groups else None
    for r, cols in by_row.items():
        if not usable:
            for c in cols:
                report.cells[("t4", r, c)].note = N.T4_GROUPS_ORDER
            continue
        if r not in groups:
            for c in cols:
                report.cells[("t4", r, c)].note = N.ROW_CUT if at_end and (
                    last is None or list(by_row).index(r) > list(by_row).index(last)) else N.NO_ROW
            continue
        g = Group(r, [], list(groups[r]))
        res = resolve(g, len(cols), False, at_end and r == last)
        if res.values is None:
            n, blanks = len(g.values), len(g.values) - g.nonblank()
            for c in cols:
                cv = report.cells[("t4", r, c)]
                cv.inferable = res.problem == "short"
                cv.note = N.columns_unknown(n, blanks, len(cols), "该组")
            report.problems.append(Problem(
                "short-row" if res.problem == "short" else "long-row",
                N.columns_unknown_problem(f"表四「{spec.row(r).label}」组", n, blanks, len(cols), "该组"),
                N.columns_unknown_en(f"table t4, group '{spec.row(r).label}'", n, len(cols)),
                groups[r][0].where if groups[r] else None))
            continue
        for k, c in enumerate(cols):
            if k < len(res.values):
                _set(report, "t4", r, c, res.values[k], None)
            elif res.cut:
                report.cells[("t4", r, c)].note = N.ROW_CUT
            else:
                _set(report, "t4", r, c, None, None)
    if not usable:
        report.problems.append(Problem(
            "t4-groups-order", f"表四按组分列打印，未能按格式的组和列的顺序确定各数值所在的列，这些单元格标记为缺失；{N.CHECK}。",
            "table t4 is printed group by group, in an order of groups or columns nianbao could not map to the "
            f"format's; its cells are marked missing; {N.CHECK_EN}.", None))


def _extract_t4(report: Report, spec: TableSpec, region: list[Item], at_end: bool,
                stray: Item | None = None) -> None:
    end = len(region)
    while end and not region[end - 1].is_value and not region[end - 1].is_cell:
        end -= 1                    # prose after 表四's values (the next heading lost): no table text
    if end:
        region = region[:end]
    grouped = _t4_groups(region)
    if grouped is not None:
        _extract_t4_groups(report, spec, *grouped, at_end)
        return
    last_label = max((i for i, it in enumerate(region) if not it.is_value), default=-1)
    g = Group("t4", [region[last_label]] if last_label >= 0 else [], list(region[last_label + 1:]))
    cells = [(r.key, c.key) for r, c in spec.cells()]
    res = resolve(g, len(cells), False, at_end)
    if res.values is None:
        n, blanks = len(g.values), len(g.values) - g.nonblank()
        for r, c in cells:
            cv = report.cells[("t4", r, c)]
            cv.status, cv.inferable = MISSING, res.problem == "short"
            cv.note = N.columns_unknown(n, blanks, len(cells), "表四")
        report.problems.append(Problem(
            "short-row" if res.problem == "short" else "long-row",
            N.columns_unknown_problem("表四", n, blanks, len(cells), "表四"),
            N.columns_unknown_en("table t4", n, len(cells)), region[0].where if region else None))
        return
    for k, (r, c) in enumerate(cells):
        if k < len(res.values):
            _set(report, "t4", r, c, res.values[k], None)
        elif res.cut:
            report.cells[("t4", r, c)].note = N.ROW_CUT
        elif stray is not None:
            report.cells[("t4", r, c)].note = _stray_note(stray)
        else:
            _set(report, "t4", r, c, None, None)


def _cn(table: str) -> str:
    return {"t2": "二", "t3": "三", "t4": "四"}[table]
