"""What the text layouts share: value and heading patterns, section headings, prose, pipe cells."""
from __future__ import annotations

import re

from ...formats import SECTIONS
from ...labels import strip_numbering

_VALUE = re.compile(r"^[\s\u3000]*(?:[+\-－]?[0-9０-９][0-9０-９,，.．]*\s*(?:元|万元|件|条|个|项)?|[/／\\—–\-－]+|无)[\s\u3000]*$")
# a cell that holds no number where one belongs and is never a sentence or a label: question
# marks, asterisks, a spreadsheet's error code (extract/numbers.py reads it as missing)
NO_NUMBER = re.compile(r"^[\s\u3000]*(?:[?？*＊×…]+|#(?:REF!|VALUE!|DIV/0!|N/A|NAME\?|NUM!|NULL!))[\s\u3000]*$", re.I)
_HEADING = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]+、")
_SENTENCE_END = ("。", "；", ";", "！", "？")


def _is_section_heading(text: str) -> bool:
    """"三、收到和处理政府信息公开申请情况": one of the six section headings (not a 表三 row label
    such as "三、本年度办理结果", which also starts with "三、")."""
    if not _HEADING.match(text) or len(text) > 60:
        return False
    body = strip_numbering(text).rstrip("：:。")
    for sec in SECTIONS:
        if body in sec.variants or strip_numbering(sec.title) == body or (
                len(body) <= 30 and any(all(k in body for k in kw) for kw in sec.keywords)):
            return True
    return False


def _prose(text: str) -> bool:
    """A sentence of the text, not a cell: long, or ending like a sentence."""
    return len(text) > 80 or text.endswith(("。", "！", "？")) and not NO_NUMBER.match(text)


def pipe_cells(raw: str) -> list[str] | None:
    """The cells of a line with pipes ("| a | b |", "a | b |"); [] for a lone "|"; None without a pipe."""
    s = raw.strip()
    if "|" not in s:
        return None
    if s == "|":
        return []
    parts = s.split("|")
    if s.endswith("|"):
        parts = parts[:-1]
    if s.startswith("|") and len(parts) > 1:
        parts = parts[1:]
    return [p.strip() for p in parts]
