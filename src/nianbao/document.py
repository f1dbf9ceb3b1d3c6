"""The `Document`: what every reader produces and extraction consumes.

An ordered list of blocks (paragraphs and tables). A table is a grid of cells with spans
resolved: a merged cell is one `Cell` object that appears at every grid position it covers,
and `Cell.row`/`Cell.col` give its top-left origin. Every block and cell carries a `Where`
that says where it came from in the source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(slots=True)
class Where:
    """Provenance. Text: line (1-based). HTML/DOCX: table/row/col (0-based). PDF: page (1-based) + bbox.
    Text read by OCR also has `conf`, the recognition confidence (0–1, its least certain character);
    text OCR read from a picture inside a DOCX or web page has `image` (word/media/image2.png, the <img>
    src) and `bbox` (pt on that picture) instead of a page."""
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    conf: float | None = None
    image: str | None = None

    def to_dict(self) -> dict:
        d: dict = {}
        for k in ("line", "table", "row", "col", "page"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.image is not None:
            d["image"] = self.image
        if self.bbox is not None:
            d["bbox"] = [round(x, 1) for x in self.bbox]
        if self.conf is not None:
            d["conf"] = round(self.conf, 3)
        return d

    def describe(self) -> str:
        """Human location in Chinese, e.g. 第3页 表1 第2行第4列."""
        parts = []
        if self.image is not None:
            parts.append(f"图片 {self.image}")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            parts.append(f"表格{self.table + 1}")
            if self.row is not None and self.col is not None:
                parts.append(f"第{self.row + 1}行第{self.col + 1}列")
        return " ".join(parts)


@dataclass(slots=True, eq=False)
class Cell:
    text: str
    row: int                  # origin row in the grid
    col: int                  # origin column in the grid
    rowspan: int = 1
    colspan: int = 1
    where: Where = field(default_factory=Where)
    # a reader's doubt about the cell's number or blank (Chinese; e.g. a PDF number at a page's bottom
    # edge that the break may have cut): extraction reads no value from it, the cell is missing with this note
    doubt: str | None = None


@dataclass(slots=True, eq=False)
class Paragraph:
    text: str
    where: Where = field(default_factory=Where)


@dataclass(slots=True, eq=False)
class Table:
    """A grid: rows[r][c] is the Cell covering (r, c), or None where the source had no cell."""
    rows: list[list[Cell | None]]
    index: int = 0
    where: Where = field(default_factory=Where)
    # True when the reader could not rebuild rows (a text export with one cell per line and no
    # row markers): cells are in reading order, one per grid row; row boundaries mean nothing.
    linear: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def origin_cells(self, r: int) -> list[Cell]:
        """The cells whose origin is in grid row r, left to right (each merged cell once)."""
        out: list[Cell] = []
        for c, cell in enumerate(self.rows[r]):
            if cell is not None and cell.row == r and cell.col == c:
                out.append(cell)
        return out

    @classmethod
    def from_rows(cls, rows: list[list[Cell]], index: int = 0, where: Where | None = None,
                  linear: bool = False) -> "Table":
        """Build a grid from rows of cells whose spans are given; fills covered positions."""
        if all(c.rowspan == 1 and c.colspan == 1 and c.row == r and c.col == k
               for r, cells in enumerate(rows) for k, c in enumerate(cells)):
            return cls([list(cells) for cells in rows], index, where or Where(table=index), linear)
        grid: list[list[Cell | None]] = []
        for cells in rows:
            for cell in cells:
                for dr in range(cell.rowspan):
                    rr = cell.row + dr
                    while len(grid) <= rr:
                        grid.append([])
                    line = grid[rr]
                    for dc in range(cell.colspan):
                        cc = cell.col + dc
                        while len(line) <= cc:
                            line.append(None)
                        line[cc] = cell
        while len(grid) < len(rows):
            grid.append([])
        return cls(grid, index, where or Where(table=index), linear)


Block = Union[Paragraph, Table]


@dataclass(slots=True)
class Source:
    path: str
    sha256: str
    kind: str                 # "text" | "html" | "docx" | "pdf" | "ofd" | "doc" | "rtf" | "odt" | "et" (the last four via LibreOffice)
    size: int = 0
    encoding: str | None = None
    pages: int | None = None
    # the folder of a file read from disk (readers.read): a web page's pictures beside it may be read
    # from there; None for uploads, zip members and bytes
    folder: str | None = None


@dataclass(slots=True)
class Problem:
    """Something a reader or the extractor could not do. Not a rule finding."""
    code: str
    message: str              # Chinese
    message_en: str
    where: Where | None = None
    severity: str = "warning"  # "error" (nothing usable) | "warning" | "info"

    def to_dict(self, lang: str = "zh") -> dict:
        d = {"code": self.code, "severity": self.severity,
             "message": self.message if lang == "zh" else self.message_en}
        if self.where is not None:
            d["where"] = self.where.to_dict()
        return d


@dataclass(slots=True)
class Document:
    source: Source
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the input stops right after its last character with no line end, cell separator or tag
    # after it: the last value may be cut ("12" cut to "1"); extraction does not read it
    open_end: bool = False
    # pages read by OCR: (page, bbox rounded to 0.1 pt) of each table cell → what OCR saw there
    # (readers/ocr/page.OcrCell); extraction then checks the values against the identities
    ocr: dict | None = None

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))

    def paragraphs(self) -> Iterator[Paragraph]:
        return (b for b in self.blocks if isinstance(b, Paragraph))
