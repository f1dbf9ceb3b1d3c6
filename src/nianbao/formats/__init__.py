"""The official formats, declared once. Everything that knows the layout of a report reads these."""
from __future__ import annotations

from .f2019 import FORMAT_2019
from .f2021 import FORMAT_2021
from .model import COUNT, MONEY, SIGNED, Block, Column, Format, Identity, Row, Section, TableSpec

FORMATS: dict[str, Format] = {"2019": FORMAT_2019, "2021": FORMAT_2021}
SECTIONS = FORMAT_2019.sections


def format_for_year(year: int | None) -> Format | None:
    """The format a report of this (statistics) year must use."""
    if year is None:
        return None
    for f in FORMATS.values():
        if f.applies_to(year):
            return f
    return None


def get(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"unknown format {key!r}; known: {', '.join(FORMATS)}") from None


__all__ = ["FORMATS", "SECTIONS", "FORMAT_2019", "FORMAT_2021", "format_for_year", "get",
           "Format", "TableSpec", "Row", "Column", "Block", "Identity", "Section",
           "COUNT", "MONEY", "SIGNED"]
