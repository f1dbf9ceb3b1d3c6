"""Types of the format declaration.

A format (2019 or 2021) is plain data: sections, tables, rows, columns, printed labels
with their common variants, and the identities that bind the cells. Extraction, checks,
rendering and forms read these objects; nothing else knows the layout of a report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

# Value kinds of a cell.
COUNT = "count"      # non-negative integer (H5)
SIGNED = "signed"    # 2019 本年增/减: may be negative, printed "+10"
MONEY = "money"      # money: decimals allowed, unit as printed


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    kind: str = COUNT
    unit: str | None = None  # unit fixed by the format itself (e.g. 万元 in 2021 表二)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    key: str
    label: str                       # printed label, numbering included, as in the format
    variants: tuple[str, ...] = ()
    group: str | None = None         # printed group label (e.g. "（三）不予公开")
    block: str | None = None         # 表二 block key ("item1", …)
    has_cells: bool = True           # False for heading rows such as "三、本年度办理结果"

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Block:
    """One stacked block of 表二 (a 第二十条 item) with its own column header."""
    key: str
    item: str                         # "第二十条第（一）项"
    columns: tuple[Column, ...]
    rows: tuple[str, ...]             # row keys


@dataclass(frozen=True)
class TableSpec:
    key: str                          # "t2" | "t3" | "t4"
    title: str
    section: int                      # the section the table stands in
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()  # shared columns (t3, t4); t2 uses blocks
    blocks: tuple[Block, ...] = ()
    anchors: tuple[str, ...] = ()     # printed texts that mark the start of the table
    note: str | None = None           # the printed note in the corner cell (t3)

    def _index(self) -> tuple[dict[str, Row], dict[str, tuple[Column, ...]]]:
        """{row key: Row}, {row key: its columns}: built once (extraction asks per label)."""
        cached = self.__dict__.get("_idx")
        if cached is None:
            cols = {key: b.columns for b in self.blocks for key in b.rows}
            if not self.blocks:
                cols = {r.key: self.columns for r in self.rows}
            cached = ({r.key: r for r in self.rows}, cols)
            object.__setattr__(self, "_idx", cached)
        return cached

    def row(self, key: str) -> Row:
        try:
            return self._index()[0][key]
        except KeyError:
            raise KeyError(f"{self.key}: no row {key!r}") from None

    def columns_of(self, row_key: str) -> tuple[Column, ...]:
        cols = self._index()[1].get(row_key)
        if cols is None:
            if not self.blocks:
                return self.columns
            raise KeyError(f"{self.key}: row {row_key!r} is in no block")
        return cols

    def column(self, row_key: str, col_key: str) -> Column:
        for c in self.columns_of(row_key):
            if c.key == col_key:
                return c
        raise KeyError(f"{self.key}.{row_key}: no column {col_key!r}")

    def cell_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.has_cells)

    def cells(self) -> tuple[tuple[Row, Column], ...]:
        """Every template cell in printed order."""
        cached = self.__dict__.get("_cells")
        if cached is None:
            cached = tuple((r, c) for r in self.cell_rows() for c in self.columns_of(r.key))
            object.__setattr__(self, "_cells", cached)
        return cached


@dataclass(frozen=True)
class Identity:
    """A hard identity: sum(lhs) == sum(rhs). Cells are (table, row, col)."""
    code: str                         # "H1" … "H4"
    name: str                         # short Chinese description
    lhs: tuple[tuple[str, str, str], ...]
    rhs: tuple[tuple[str, str, str], ...]
    along: str                        # "col" or "row" or "group": what the identity runs along
    key: str                          # the column / row / group it is about

    def cells(self) -> tuple[tuple[str, str, str], ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Section:
    number: int
    title: str                        # "一、总体情况"
    variants: tuple[str, ...]         # reworded titles seen in real reports (numbering stripped)
    keywords: tuple[tuple[str, ...], ...]  # any tuple whose words all occur → a match


@dataclass(frozen=True)
class Format:
    key: str                          # "2019" | "2021"
    name: str
    document: str                     # the notice that set it
    years: tuple[int, int | None]     # first and last report year it applies to
    sections: tuple[Section, ...]
    tables: tuple[TableSpec, ...]
    identities: tuple[Identity, ...] = field(default=())

    def table(self, key: str) -> TableSpec:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def applies_to(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    def template_cells(self) -> tuple[tuple[str, str, str], ...]:
        cached = self.__dict__.get("_template_cells")
        if cached is None:
            cached = tuple((t.key, r.key, c.key) for t in self.tables for r, c in t.cells())
            object.__setattr__(self, "_template_cells", cached)
        return cached
