"""Tables given as pictures inside a Word document or a web page: read by OCR where the text lacks them.

    Pic(name, load, at, where, width_in, why_not)
                                        a picture a reader found: its name (word/media/image2.png, an <img>
                                        src), a loader of its bytes (None: not reachable, `why_not` says
                                        why), where it stands (index into the reader's blocks), its
                                        provenance (paragraph line) and its drawn width in the document
    missing_tables(blocks) -> [key]     statistics tables (t2/t3/t4) none of whose words is in a text table
    splice(blocks, pics) -> (blocks, record, problems)

`splice` OCRs the pictures (each as a page: readers/ocr/page.py; pictures standing together, with no
text between them, are assembled like a PDF's pages, so a table pasted as two pictures is joined),
keeps what holds a table and puts it where the picture stood; tables are numbered again in document
order. A cell OCR read has `where.image` (the picture), `bbox` (pt on the picture at its resolution)
and `conf`; its record entry (key: picture, bbox) lets trust.verify apply the OCR trust rules. A
picture that cannot be read (too large, damaged, an unsupported format, a link to the web) is a
warning naming it: a reading problem, never blamed on the report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...document import Paragraph, Problem, Table, Where
from ...errors import ReadError

# words only the statistics tables' own cells have (表二's row, 表三's first row, 表四's group)
TABLE_WORDS = {"t2": "规范性文件", "t3": "本年新收", "t4": "行政复议"}
MAX_PICTURES = 20        # OCR'd per document (each has its own time limit)
MIN_SIDE = 100           # pixels: smaller pictures are icons, not tables
DEFAULT_DPI = 150.0


@dataclass
class Pic:
    name: str
    load: Callable[[], bytes] | None
    at: int                                   # index into the reader's blocks: the picture stands before it
    where: Where = field(default_factory=Where)
    width_in: float | None = None             # its drawn width in the document (inches), when known
    why_not: tuple[str, str] | None = None    # (Chinese, English) reason it cannot be loaded


def missing_tables(blocks) -> list[str]:
    """Statistics tables whose words are in no text table's cells."""
    seen = set()
    for b in blocks:
        if b.__class__ is Table:
            text = "".join(c.text for row in b.rows for c in row if c is not None)
            seen.update(k for k, w in TABLE_WORDS.items() if w in text)
    return [k for k in TABLE_WORDS if k not in seen]


def _problem(code: str, zh: str, en: str, where: Where) -> Problem:
    return Problem(code, zh, en, where, "warning")


def splice(blocks: list, pics: list[Pic]) -> tuple[list, dict, list[Problem]]:
    """OCR the pictures; their tables and text go where they stood. → (blocks, OCR record, problems)."""
    from . import cell_key, decode, recognise
    from ..pdf import assemble

    problems: list[Problem] = []
    names = _unique([p.name for p in pics])
    groups: dict[int, list[tuple[Pic, str, int]]] = {}     # blocks index → pictures standing there
    jobs = []
    number = 0
    for pic, name in zip(pics[:MAX_PICTURES], names):
        if pic.load is None:
            if pic.why_not:
                problems.append(_problem("tables-as-images", pic.why_not[0], pic.why_not[1], pic.where))
            continue
        what_zh, what_en = f"图片 {name} ", f"the picture {name}"
        try:
            data = pic.load()
            p = decode.probe(data, what_zh, what_en)
        except ReadError as e:
            problems.append(_problem(e.code, e.message, e.message_en, pic.where))
            continue
        if min(p.width, p.height) < MIN_SIDE:
            continue
        # the resolution: from the drawn width (the table as printed), else as the file declares, else
        # estimated from the print (for_ocr)
        drawn = p.width / pic.width_in if pic.width_in else 0.0
        dpi = drawn if 36 <= drawn <= 1200 else (p.dpi or None)
        number += 1
        groups.setdefault(pic.at, []).append((pic, name, number))
        jobs.append(((lambda p=p, w=what_zh, e=what_en, d=dpi: for_ocr(decode.frame(p, 0, w, e), d)), number,
                     dpi or DEFAULT_DPI))
    if len(pics) > MAX_PICTURES:
        problems.append(Problem(
            "tables-as-images", f"文档中有 {len(pics)} 张图片，只对前 {MAX_PICTURES} 张做了OCR识别；其余图片中的表格未读取。",
            f"the document has {len(pics)} pictures; only the first {MAX_PICTURES} were read by OCR.", None, "warning"))
    pages, more = _recognise_safely(recognise, jobs, {n: (pic, name) for ms in groups.values() for pic, name, n in ms})
    problems.extend(more)
    by_number = {n: pg for (_, n, _), pg in zip(jobs, pages) if pg is not None}
    record: dict = {}
    inserts: dict[int, list] = {}
    for at, members in groups.items():
        results = [by_number[n] for _, _, n in members if n in by_number and by_number[n].result.tables]
        if not results:
            continue
        label = {n: (pic, name) for pic, name, n in members}
        for pg in results:
            for oc in pg.cells:
                record[cell_key(label[oc.page][1], oc.bbox)] = oc
        out = assemble([pg.result for pg in results])
        for b in out:
            _relabel(b, label, record)
        inserts[at] = out
    merged: list = []
    for i in range(len(blocks) + 1):
        merged.extend(inserts.get(i, ()))
        if i < len(blocks):
            merged.append(blocks[i])
    _renumber(merged)
    return merged, record, problems


TARGET_DPI = 150.0       # pictures below this are enlarged to it: the recogniser reads small print badly
MAX_UPSCALE = 3.0
TABLE_PT = 10.5          # table print (五号); its characters' ink is ~0.78 of that high


def for_ocr(arr, dpi: float | None):
    """(picture, its resolution) as OCR reads it well. A picture below ~150 dpi (a screenshot of a table
    is ~96 pixels per inch) is enlarged to 150 dpi, within the decoded-pixel limit: on a table at 96 dpi
    that reads 154 of 175 表三 cells instead of 133 (the rest missing either way, none wrong). `dpi`
    None (nothing declared): estimated from the height of the print, taken as table print of 10.5 pt;
    at 140 dpi or more as estimated it is taken as 150 dpi, as before."""
    import cv2

    from ... import limits
    if dpi is None:
        est = estimate_dpi(arr)
        dpi = est if est is not None and est < 0.93 * TARGET_DPI else DEFAULT_DPI
    if dpi >= 0.93 * TARGET_DPI:
        return arr, dpi
    h, w = arr.shape[:2]
    f = min(MAX_UPSCALE, TARGET_DPI / dpi, (limits.max_image_pixels() / max(1, h * w)) ** 0.5)
    if f <= 1.05:
        return arr, dpi
    return cv2.resize(arr, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC), dpi * f


def estimate_dpi(arr) -> float | None:
    """The resolution at which the picture's print would be 10.5 pt: from the height of character-like
    blobs of ink (the upper quartile: strokes of a character split into shorter blobs); None when there
    are too few to tell."""
    import cv2
    import numpy as np

    grey = arr.max(axis=2) if arr.ndim == 3 else arr
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, _, st, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = st[1:, cv2.CC_STAT_HEIGHT], st[1:, cv2.CC_STAT_WIDTH]
    hs = h[(h >= 4) & (h <= 300) & (w <= 3 * h) & (4 * w >= h)]
    if len(hs) < 30:
        return None
    return float(np.percentile(hs, 75)) * 72.0 / (0.78 * TABLE_PT)


def _recognise_safely(recognise, jobs, pics: dict):
    """recognise() one picture at a time, so that a picture found damaged only when decoded (a file cut
    short) is a problem of that picture; the file's own time limit still stops everything. Problems name
    the picture, not a page."""
    pages, problems = [], []
    for job in jobs:
        pic, name = pics[job[1]]
        try:
            got, more = recognise([job], "")
        except ReadError as e:
            if not e.code.startswith("image-"):
                raise
            got, more = [None], [Problem(e.code, e.message, e.message_en, None, "warning")]
        for p in more:
            p.message = p.message.replace(f"第{job[1]}页", f"图片 {name} ", 1).replace("该页", "该图片")
            p.message_en = p.message_en.replace(f"page {job[1]}", f"the picture {name}", 1).replace(
                "the page", "the picture")
            p.where = pic.where
        pages.extend(got)
        problems.extend(more)
    return pages, problems


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}（第{seen[n]}次出现）")
    return out


def _relabel(block, label: dict, record: dict) -> None:
    """A block from picture pages: provenance names the picture instead of a page (a paragraph also
    takes the line of the picture's place); the cells carry OCR's confidence."""
    from . import cell_key

    pic, name = label.get(block.where.page, (None, None))
    if isinstance(block, Paragraph):
        block.where.image, block.where.page = name, None
        block.where.line = pic.where.line if pic is not None else None
        return
    block.where.image, block.where.page = name, None
    seen = set()
    for row in block.rows:
        for cell in row:
            if cell is None or id(cell) in seen:
                continue
            seen.add(id(cell))
            w = cell.where
            name = label.get(w.page, (None, None))[1]
            if w.bbox is not None and name is not None:
                oc = record.get(cell_key(name, w.bbox))
                if oc is not None:
                    w.conf = oc.conf
            w.image, w.page = name, None


def _renumber(blocks: list) -> None:
    """Tables numbered in document order (pictures' tables among the text ones)."""
    i = 0
    for b in blocks:
        if b.__class__ is not Table:
            continue
        if b.index != i:
            b.index = i
            b.where.table = i
            seen = set()
            for row in b.rows:
                for cell in row:
                    if cell is not None and id(cell) not in seen:
                        seen.add(id(cell))
                        cell.where.table = i
        i += 1
