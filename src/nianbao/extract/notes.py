"""How extraction words what it could not read: the notes on missing cells and their problems.

A cell is `missing` because nianbao could not read or place a printed value with certainty. That is a
limit of the reading (a layout it does not understand, numbers wrapped in narrow cells, a file that
stops early), never a defect of the report: every note says what nianbao read and what it could not
decide, and asks for a check by hand. R103 quotes the note (without the closing request, which it
says itself).

    TRUNCATED, NO_TABLE                 markers the reading checks look for (checks.shared)
    ROW_CUT, CELL_CUT, value_cut()      the file ends inside the table, a cell, a number
    NO_ROW                              a row of the format that was not read
    columns_unknown(n, blanks, ncols)   a row whose values could not be placed in its columns
    WRAPPED, DUPLICATE_DIFFERS          values on several lines; a row read twice, differently
    stray(text), straddled(text)        a number beside a row / a blank position, not placed
    bare(note)                          the note without its closing request (for R103)
"""
from __future__ import annotations

CHECK = "请人工核对原文"
CHECK_EN = "check the original by hand"

TRUNCATED = "文件在此处结束"          # the source ends inside the table: what follows was not read
NO_TABLE = f"未能读到该表，{CHECK}"
NO_ROW = f"未能读到该行，{CHECK}"
ROW_CUT = f"{TRUNCATED}，未能读到该行的数值（文件可能不完整），{CHECK}"
CELL_CUT = f"{TRUNCATED}（停在该单元格），未能读取（文件可能不完整），{CHECK}"


def value_cut(text: str) -> str:
    return f"{TRUNCATED}（停在数值「{text}」之后，该数值可能不完整），未能读取，{CHECK}"


def _read(n: int, blanks: int) -> str:
    return f"读到{n}个数值格，其中{blanks}个为空" if blanks else f"读到{n}个数"


def columns_unknown(n: int, blanks: int, ncols: int, what: str = "该行") -> str:
    """A row (group, table) whose `n` printed values (`blanks` of them empty) could not be placed in
    its `ncols` columns."""
    return f"未能确定{what}各数值所在的列（{_read(n, blanks)}，{what}有{ncols}列），{CHECK}"


def columns_unknown_problem(name: str, n: int, blanks: int, ncols: int, what: str = "该行") -> str:
    return f"{name}：{bare(columns_unknown(n, blanks, ncols, what))}，这些单元格标记为缺失，不会错位填入；{CHECK}。"


def columns_unknown_en(name: str, n: int, ncols: int) -> str:
    return (f"{name}: nianbao could not tell which column each value belongs to ({n} values read for "
            f"{ncols} columns); the cells are marked missing rather than shifted; {CHECK_EN}.")


WRAPPED = f"未能确定该行各数值所在的列（数值分在几行读到，数字可能在单元格内折行），{CHECK}"
DUPLICATE_DIFFERS = f"该行读到不止一次，数值不同，未能确定哪一次是该行的数值，{CHECK}"


def stray(text: str) -> str:
    """A number read next to a row whose cells are empty: glued to other text, or outside the table."""
    return f"该行附近读到「{text}」（数字紧挨其他文字或在表格之外），未能确定是否为该行的数值，{CHECK}"


def straddled(text: str) -> str:
    """A blank position that a wrapped number of another row reaches into."""
    return f"未能确定该单元格是否空白：旁边读到跨行的数字「{text}」（数字可能在单元格中折行），{CHECK}"


T4_GROUPS_ORDER = f"表四分组打印，未能按格式的组和列的顺序确定各数值所在的列，{CHECK}"


def bare(note: str) -> str:
    """The note without its closing request to check the original (R103 says it itself)."""
    return note.removesuffix(f"，{CHECK}")
