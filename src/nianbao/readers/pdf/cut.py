"""PDF stage 4, at each page break — numbers at the bottom of a page whose row may go on at the
top of the next page: not read as complete unless certain.

    last row of the table ending page p ──┐
    first rows of the table starting p+1 ─┴─ doubtful() ─▶ the numbers on p that may be cut
                                                           (Cell.doubt / GCell.doubt = CUT_NOTE)

A page break can cut a row in two ("允许跨页断行" in Word, any row in a browser): a number wrapped
in its narrow cell loses its last digits to the next page ("11" on page p, "4" on page p+1 for
114). `continuation.rejoin_cut_row` joins such a row when the evidence is clear; when it does not
(a label goes on in the same row, the two pages' grids differ by a merged column, the parts are
not joined), this rule decides whether the numbers on page p are complete:

  * it applies where a table ends page p and a table starts page p+1 with no text between them
    (`continuation.adjacent`), joined into one table or not;
  * the first row of page p+1 that holds a digit is the row looked at (the rows above it hold no
    number: a repeated header, a label's last line); every number on page p is complete when a
    new row certainly begins there: a text (not a number) of that row or of a row above it starts
    like a row label (一、 （一） 1.), or a text of that row stands under a text of page p that
    ends short of its cell's right edge (that label ended on page p; the text below is the next
    row's);
  * otherwise a number of the last row on page p whose last line reaches its cell's right edge
    (it may go on: `ruled._open_end`) is doubtful when a number stands below it on page p+1
    (their boxes overlap horizontally by half the narrower one). A number that ends short of its
    cell's edge, or that has no number below it, is complete.

A doubtful cell keeps its text; extraction does not read a value from it: the cell is `missing`
with CUT_NOTE (`extract/items.py`). A wrong value is worse than a missing one.
"""
from __future__ import annotations

from typing import NamedTuple

from .layer import _NUMERIC, _ROW_START

CUT_NOTE = ("未能确定完整数值：第{page}页底部读到「{text}」，所在的行在下一页接续，该数值可能被分页截断"
            "（其余数字在下一页），请人工核对原文")


class Piece(NamedTuple):
    """A cell as this rule sees it: horizontal extent, text, whether its last line reaches the
    cell's right edge, and the cell object to mark."""
    x0: float
    x1: float
    text: str
    open: bool
    obj: object


def _number(text: str) -> bool:
    return bool(text) and bool(_NUMERIC.match(text)) and any(ch.isdigit() for ch in text)


def _label(text: str) -> bool:
    return bool(text.strip()) and not _NUMERIC.match(text)


def _over(a: Piece, b: Piece) -> bool:
    ov = min(a.x1, b.x1) - max(a.x0, b.x0)
    return ov > 0 and ov >= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def doubtful(last: list[Piece], rows: list[list[Piece]]) -> list[object]:
    """The cells of `last` (the last row on page p) whose number may be cut, given the rows of
    page p+1 from the top (see the module docstring)."""
    below = None
    for row in rows:
        if any(_label(b.text) and _ROW_START.match(b.text) for b in row):
            return []           # a new row: nothing of the row on page p went on
        if any(_number(b.text) for b in row):
            below = row
            break
    if below is None or any(_label(b.text) and any(_over(a, b) and _label(a.text) and not a.open for a in last)
                            for b in below):
        return []               # none below, or the next row's label under a label that ended
    return [a.obj for a in last if a.open and _number(a.text)
            and any(_number(b.text) and _over(a, b) for b in below)]


def note(page: int, text: str) -> str:
    return CUT_NOTE.format(page=page, text=text.replace("\n", ""))
