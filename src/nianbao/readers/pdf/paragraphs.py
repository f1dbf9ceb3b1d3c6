"""PDF stage 5 — paragraphs: the text lines kept outside tables, top to bottom per page.

    TLines of every page ─ _make_paragraphs() ─▶ (top y, Paragraph) per page
        a line joins the previous one only when the previous fills the text width, the next
        starts at the left margin (not indented), has the same size, follows at normal line
        pitch on the same page and does not start like a heading (一、 / （一） / 1.);
        otherwise each visual line is its own paragraph.

`Where.line` is the running number (1-based, whole document) of the paragraph's first visual
line among the lines kept outside tables.
"""
from __future__ import annotations

from ...document import Paragraph, Where
from .layer import _HEADING, TLine
from .page import PageResult

def _make_paragraphs(pages: list[PageResult]) -> dict[int, list[tuple[float, Paragraph]]]:
    """Paragraphs per page as (top y, Paragraph), joining soft-wrapped lines (module docstring)."""
    all_lines = [ln for p in pages for ln in p.lines]
    out: dict[int, list[tuple[float, Paragraph]]] = {}
    if not all_lines:
        return out
    x1s = sorted((ln.x1 for ln in all_lines), reverse=True)
    x0s = sorted(ln.x0 for ln in all_lines)
    right = x1s[min(2, len(x1s) - 1)]
    left = x0s[min(2, len(x0s) - 1)]
    number = 0
    for p in pages:
        paras: list[tuple[float, Paragraph]] = []
        cur: list[TLine] = []
        cur_no = 0
        for ln in p.lines:
            number += 1
            if cur:
                prev = cur[-1]
                if (prev.x1 >= right - max(1.2 * prev.size, 4.0)
                        and ln.x0 <= left + 0.5 * ln.size
                        and abs(ln.size - prev.size) <= 0.6
                        and 0 < ln.y0 - prev.y0 <= 2.0 * prev.size
                        and not _HEADING.match(ln.text)):
                    cur.append(ln)
                    continue
                paras.append(_paragraph(cur, p.number, cur_no))
            cur = [ln]
            cur_no = number
        if cur:
            paras.append(_paragraph(cur, p.number, cur_no))
        out[p.number] = paras
    return out


def _paragraph(lines: list[TLine], page: int, number: int) -> tuple[float, Paragraph]:
    text = lines[0].text
    for ln in lines[1:]:
        if text and ln.text and text[-1].isascii() and text[-1].isalnum() and ln.text[0].isascii() \
                and ln.text[0].isalnum():
            text += " "
        text += ln.text
    bbox = (min(l.x0 for l in lines), lines[0].y0, max(l.x1 for l in lines), lines[-1].y1)
    return lines[0].y0, Paragraph(text, Where(page=page, bbox=bbox, line=number))
