"""One page image → the PDF reader's `PageResult` (tables with cell texts, text lines outside).

    image ─ image.clean / deskew ─▶ level grey page and its ink
          ─ image.rulings ─▶ ruling segments (pt) ─ pdf.ruled.find_tables ─▶ grids and merged cells
            (the PDF reader's own grid logic: one rule for both)
          ─ per cell: ink inside the cell (rules erased, specks of noise dropped) grouped into text
            lines by height ─ engine.recognize (one batch) ─▶ cell text, one line per text line
          ─ outside the tables: engine.detect_lines ─▶ TLines (page numbers in the margins dropped)
          ═▶ PageResult, and for every cell an `OcrCell` (text, confidence, bbox, digit alternatives)

Coordinates are points (1/72 inch) from the page image's resolution, so the PDF stages' tolerances
hold. The caller passes `deadline` (time.thread_time(): CPU seconds of this thread): past it the page stops
with OcrTimeout, checked between stages and between recognition batches.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..pdf.layer import _PAGE_NO, Frag, TLine, _join, _tidy, _visual_lines
from ..pdf.page import PageResult
from ..pdf.ruled import find_tables
from . import engine, image


class OcrTimeout(Exception):
    pass


@dataclass(slots=True)
class OcrCell:
    """What OCR saw in one table cell (provenance of its value)."""
    page: int
    bbox: tuple[float, float, float, float]     # pt, on the levelled page
    text: str
    conf: float                                  # lowest character probability (1.0 for an empty cell)
    readings: list[engine.Reading] = field(default_factory=list)   # one per text line


@dataclass(slots=True)
class OcrPage:
    result: PageResult
    cells: list[OcrCell]
    angle: float                                 # skew corrected, degrees


def read_page(img, number: int, dpi: float, deadline: float | None = None) -> OcrPage:
    k = dpi / 72.0                                # pixels per point
    grey, mask, angle = image.deskew(image.clean(img), k)
    _check(deadline)
    hs, vs, rule_mask = image.rulings(grey, k)
    h_px, w_px = grey.shape
    tables = find_tables([(p / k, a / k, b / k) for p, a, b in hs],
                         [(p / k, a / k, b / k) for p, a, b in vs], number)
    content = _despeckle(cv2.bitwise_and(mask, cv2.bitwise_not(cv2.dilate(rule_mask, np.ones((3, 3), np.uint8)))), image.print_ink(grey), k)
    # what the recogniser sees: the grey page where ink was kept (rules, specks and seals gone)
    clear = np.where(cv2.dilate(content, np.ones((5, 5), np.uint8)) > 0, grey, 255).astype(np.uint8)
    # cells: ink → text lines → one recognition batch
    jobs: list[tuple[object, int]] = []       # (GCell, line number)
    crops = []
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    cell_groups = []
    for t in tables:
        for gc in t.cells:
            x0, y0, x1, y1 = gc.bbox
            m = max(2, int(1.5 * k))      # inside the cell's rules (and what blurs along them)
            groups = _ink_lines(content, int(x0 * k) + m, int(y0 * k) + m, int(x1 * k) - m + 1, int(y1 * k) - m + 1, k)
            cell_groups.append((gc, groups))
    height = _line_height([g for _, gs in cell_groups for g in gs])
    for gc, groups in cell_groups:
        lines = _split_by_height(groups, height)
        boxes[id(gc)] = []
        for n, (lx0, ly0, lx1, ly1) in enumerate(lines):
            pad_x, pad_y = int(0.3 * (ly1 - ly0)) + 2, int(0.2 * (ly1 - ly0)) + 2
            crop = clear[max(0, ly0 - pad_y):min(h_px, ly1 + pad_y), max(0, lx0 - pad_x):min(w_px, lx1 + pad_x)]
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
            jobs.append((gc, n))
            boxes[id(gc)].append((lx0 / k, ly0 / k, lx1 / k, ly1 / k))
    _check(deadline)
    readings = engine.recognize(crops, lambda: _check(deadline))
    per_cell: dict[int, list[engine.Reading]] = {}
    for (gc, _), r in zip(jobs, readings):
        per_cell.setdefault(id(gc), []).append(r)
    ocr_cells: list[OcrCell] = []
    for t in tables:
        for gc in t.cells:
            rs = per_cell.get(id(gc), [])
            texts = [_tidy(r.text) for r in rs]
            gc.text = "\n".join(s for s in texts if s)
            gc.frags = [Frag(b[0], b[1], b[2], b[3], s, b[3] - b[1]) for b, s in zip(boxes[id(gc)], texts)]
            ocr_cells.append(OcrCell(number, gc.bbox, gc.text, min((r.conf for r in rs), default=1.0), rs))
    _check(deadline)
    lines = _text_lines(grey, tables, k, h_px / k)
    has_text = bool(lines) or any(c.text for t in tables for c in t.cells)
    return OcrPage(PageResult(number, h_px / k, lines, tables, has_text, False, 0), ocr_cells, angle)


def _check(deadline: float | None) -> None:
    if deadline is not None and time.thread_time() > deadline:
        raise OcrTimeout


def _despeckle(content, cores, k: float):
    """Drop specks of noise (components smaller than a full stop of 6 pt print) and what has no
    dark core (`cores`: image.print_ink) — the grey rim a seal leaves after `clean`. A speck that sits
    like a full stop — on the baseline of a character beside it — is kept: at 150 dpi the stop of
    「3.危及」 is 3 pixels, and without it the row label is not recognised."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(content, connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    small = area < max(4, int(0.8 * k * k))
    cored = np.zeros(n, bool)
    cored[np.unique(labels[cores > 0])] = True
    drop = small | ~cored
    drop[0] = False
    drop[_full_stops(labels, stats, np.flatnonzero(small & cored & (area >= max(3, int(0.5 * k * k)))), ~drop, k)] = False
    if drop.any():
        content = content.copy()
        content[drop[labels]] = 0
    return content


def _full_stops(labels, stats, candidates, kept, k: float) -> list[int]:
    """Those of the small components `candidates` that end on the baseline of a kept, character-sized
    component at most 2.5 pt to their left or right (a narrow 「1」 stands in the middle of its width) (its bottom within 0.8 pt of theirs)."""
    out = []
    h_img, w_img = labels.shape
    reach, tol, tall = int(2.5 * k) + 1, max(1.0, 0.8 * k), 2.5 * k
    for i in candidates:
        x, y, w, h = (int(v) for v in stats[i, :4])
        bottom = y + h
        win = labels[max(0, int(bottom - 4 * k)):min(h_img, bottom + int(tol) + 1),
                     max(0, x - reach):min(w_img, x + w + reach)]
        for j in np.unique(win):
            if j == i or not kept[j]:
                continue
            jy, jh = int(stats[j, 1]), int(stats[j, 3])
            if jh >= tall and abs(jy + jh - bottom) <= tol:
                out.append(int(i))
                break
    return out


def _ink_lines(content, x0: int, y0: int, x1: int, y1: int, k: float) -> list[tuple[int, int, int, int]]:
    """Ink of one cell as groups of vertically overlapping components (pixels, page coordinates);
    specks smaller than noise are dropped."""
    if x1 - x0 < 3 or y1 - y0 < 3:
        return []
    sub = content[y0:y1, x0:x1]
    if not sub.any():
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    spans = []
    sh, sw = sub.shape
    thin = 1.2 * k
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if (w <= thin and (x == 0 or x + w >= sw)) or (h <= thin and (y == 0 or y + h >= sh) and w >= 0.3 * sw):
            continue          # what is left of a ruling line along the cell's edge
        spans.append((y0 + y, y0 + y + h, x0 + x, x0 + x + w))
    spans.sort()
    groups: list[list[int]] = []
    for a, b, l, r in spans:
        if groups and a <= groups[-1][3] + 0.8 * k:
            g = groups[-1]
            g[0], g[2], g[3] = min(g[0], l), max(g[2], r), max(g[3], b)
        else:
            groups.append([l, a, r, b])
    return [tuple(g) for g in groups if (g[3] - g[1]) >= 2.5 * k or (g[2] - g[0]) >= 2.5 * k]


def _line_height(groups) -> float:
    hs = sorted(g[3] - g[1] for g in groups)
    if not hs:
        return 0.0
    return float(hs[int(0.9 * (len(hs) - 1))])


def _split_by_height(groups, height: float) -> list[tuple[int, int, int, int]]:
    """Join the pieces of one text line (the strokes of 三 lie apart) while the joined height stays
    within a text line's height."""
    out: list[list[int]] = []
    for g in groups:
        if out and height and max(g[3], out[-1][3]) - out[-1][1] <= 1.25 * height:
            o = out[-1]
            o[0], o[2], o[3] = min(o[0], g[0]), max(o[2], g[2]), max(o[3], g[3])
        else:
            out.append(list(g))
    return [tuple(o) for o in out]


def _text_lines(grey, tables, k: float, page_h: float) -> list[TLine]:
    """Text outside the tables, detected and recognised line by line."""
    img = grey.copy()
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        img[max(0, int(y0 * k) - 2):int(y1 * k) + 3, max(0, int(x0 * k) - 2):int(x1 * k) + 3] = 255
    if not (img < 128).any():
        return []
    found = engine.detect_lines(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR))
    frags = []
    for box, text, conf in found:
        text = _tidy(text)
        if not text:
            continue
        xs = [p[0] / k for p in box]
        ys = [p[1] / k for p in box]
        y0, y1 = min(ys), max(ys)
        frags.append(Frag(min(xs), y0, max(xs), y1, text, 0.8 * (y1 - y0)))
    lines = []
    for ln in (_visual_lines(frags) if frags else []):
        ln.sort(key=lambda f: f.x0)
        text = _tidy(_join(ln, True))
        x0, y0 = min(f.x0 for f in ln), min(f.y0 for f in ln)
        x1, y1 = max(f.x1 for f in ln), max(f.y1 for f in ln)
        if not text or ((y1 <= 0.12 * page_h or y0 >= 0.85 * page_h) and _PAGE_NO.match(text)):
            continue
        lines.append(TLine(x0, y0, x1, y1, text, max(f.size for f in ln), ln))
    return lines
