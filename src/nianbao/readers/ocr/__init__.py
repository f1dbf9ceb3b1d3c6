"""OCR of scanned pages and of tables given as pictures (optional extra `nianbao[ocr]`).

    PDF pages without a text layer (readers/pdf asks `pdf_pages`), PNG/JPEG files (`read`)
      ─ page.read_page ─▶ the PDF reader's PageResult per page (grids from ruling lines, cell texts)
      ─ readers/pdf assembles them like any PDF page (tables joined across pages, paragraphs)
      ═▶ Document with `ocr`: what OCR saw in every table cell (text, confidence, bbox, digit
         alternatives); `Where.conf` carries the confidence into the report's provenance
    extraction then runs trust.verify: a value read by OCR is `read` only when confident and
    consistent with the identities H1–H4 (see trust.py).

When OCR runs: `nianbao extract --ocr`, and in `batch` and the web app whenever the extra is
installed (`set_enabled`, or NIANBAO_OCR=1). Each page has its own time limit
(NIANBAO_OCR_PAGE_LIMIT CPU seconds of the reading thread, default 60; the wall time OCR took does
not count against the file's NIANBAO_TIME_LIMIT, so a busy machine cuts no page); a page over it is reported (`ocr-timeout`) and read as empty; a file whose every scanned page
went over it, with nothing else to read, is a ReadError `ocr-timeout`. Without the extra, a scan gives 「需要OCR」 naming
`pip install 'nianbao[ocr]'`.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

from ... import limits
from ...document import Document, Problem, Source, Where
from ...errors import ReadError
from .engine import available

__all__ = ["available", "enabled", "set_enabled", "switched", "set_reporter", "pdf_pages", "read", "INSTALL_HINT_ZH",
           "INSTALL_HINT_EN"]

INSTALL_HINT_ZH = "安装OCR扩展（pip install 'nianbao[ocr]'）后用 nianbao extract --ocr 读取"
INSTALL_HINT_EN = "install the OCR extra (pip install 'nianbao[ocr]') and read it with nianbao extract --ocr"
ENABLE_HINT_ZH = "用 nianbao extract --ocr 读取（已安装OCR扩展）"
ENABLE_HINT_EN = "read it with nianbao extract --ocr (the OCR extra is installed)"

_enabled: bool | None = None
_progress = False
_reporter = None      # callable(label, pages done, pages) or None: a batch worker's per-page progress


def enabled() -> bool:
    """OCR runs in this process: switched on (`--ocr`, batch, web) or NIANBAO_OCR=1, and installed."""
    on = _enabled if _enabled is not None else os.environ.get("NIANBAO_OCR", "") not in ("", "0")
    return on and available()


def set_enabled(on: bool | None) -> None:
    """Switch OCR on or off in this process (None: as NIANBAO_OCR says)."""
    global _enabled
    _enabled = on


@contextmanager
def switched(on: bool, progress: bool = False):
    """OCR on (or off) inside the block: `extract --ocr`, a batch worker's file, a web upload."""
    global _progress
    before, before_progress = _enabled, _progress
    set_enabled(on)
    _progress = progress
    try:
        yield
    finally:
        set_enabled(before)
        _progress = before_progress


def set_reporter(fn) -> None:
    """Tell `fn(label, done, total)` as each scanned page starts (done = pages finished) and when the
    last one ends (done = total): `nianbao batch` shows it beside its bar, so that a long scan does
    not freeze the bar silently. None: no report."""
    global _reporter
    _reporter = fn


def _report(label: str, done: int, total: int) -> None:
    if _reporter is not None:
        try:
            _reporter(label, done, total)
        except Exception:  # noqa: BLE001 - progress never stops a reading
            pass


def hint() -> tuple[str, str]:
    """What to do about a scan in this installation (Chinese, English)."""
    return (ENABLE_HINT_ZH, ENABLE_HINT_EN) if available() else (INSTALL_HINT_ZH, INSTALL_HINT_EN)


def page_limit() -> float:
    try:
        return float(os.environ.get("NIANBAO_OCR_PAGE_LIMIT", "60"))
    except ValueError:
        return 60.0


def _bar(total: int, label: str):
    if not _progress or total == 0:
        return None
    from tqdm import tqdm
    name = os.path.basename(label.rstrip("/"))
    return tqdm(total=total, desc=f"OCR {name}".rstrip(), unit="页", file=sys.stderr, leave=False)


def recognise(images, label: str) -> tuple[list, list[Problem]]:
    """OCR page images [(array, page number, dpi)] → ([OcrPage or None], problems)."""
    from .page import OcrTimeout, read_page

    out: list = []
    problems: list[Problem] = []
    bar = _bar(len(images), label)
    seconds = page_limit()
    try:
        for i, (img, number, dpi) in enumerate(images):
            _report(label, i, len(images))
            limits.check_time()
            # CPU seconds of this thread, not wall time: on a loaded machine a page is not cut because
            # others use the cores (a batch's outcome does not depend on the load); and the wall time
            # a page took does not count against the file's limit (NIANBAO_TIME_LIMIT)
            deadline = time.thread_time() + seconds if seconds > 0 else None
            start = time.monotonic()
            try:
                got = img() if callable(img) else img
                if isinstance(got, tuple):          # a picture enlarged for OCR: (array, its resolution)
                    got, dpi = got
                out.append(read_page(got, number, dpi, deadline))
            except OcrTimeout:
                out.append(None)
                problems.append(Problem(
                    "ocr-timeout", f"第{number}页OCR识别超过时间上限 {seconds:g} 秒（环境变量 NIANBAO_OCR_PAGE_LIMIT），"
                    "该页未读取；请提供可复制文字的原件，或放宽时间上限后重试。",
                    f"OCR of page {number} took longer than {seconds:g} s (NIANBAO_OCR_PAGE_LIMIT) and "
                    "was stopped; the page is not read.", Where(page=number), "warning"))
            finally:
                limits.extend_time(time.monotonic() - start)
                _give_back()
            if bar is not None:
                bar.update(1)
    finally:
        _report(label, len(images), len(images))
        if bar is not None:
            bar.close()
    return out, problems


_libc = None


def _give_back() -> None:
    """Return the memory a page's OCR freed to the system (glibc keeps it otherwise: a worker stayed at
    480 MB after one page, 170 MB with the model alone; bench/ocr.py --batch)."""
    global _libc
    if _libc is False or not sys.platform.startswith("linux"):
        return
    try:
        if _libc is None:
            import ctypes
            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        _libc = False


def timeout_error(pages: list[int]) -> ReadError:
    """Every page that needed OCR went over its time limit and nothing else was read: a failure that
    says so (not 「未能识别出文字」, which would blame the scan)."""
    seconds = page_limit()
    nums = "、".join(str(n) for n in pages)
    return ReadError("ocr-timeout", f"第{nums}页是扫描页，OCR识别超过每页时间上限 {seconds:g} 秒（环境变量 "
                     "NIANBAO_OCR_PAGE_LIMIT），未能读取；可放宽该上限后重试，或提供可复制文字的原件。",
                     f"page(s) {', '.join(str(n) for n in pages)} are scans and OCR took longer than the "
                     f"{seconds:g} s page limit (NIANBAO_OCR_PAGE_LIMIT); raise the limit and try again, or "
                     "provide a file with selectable text.")


def attach(doc: Document, ocr_pages: list) -> Document:
    """Give the document's cells on OCR pages their confidence, and the document its OCR record."""
    record = {}
    for op in ocr_pages:
        if op is None:
            continue
        for oc in op.cells:
            record[cell_key(oc.page, oc.bbox)] = oc
    for t in doc.tables():
        for row in t.rows:
            for cell in row:
                if cell is not None and cell.where.page is not None and cell.where.bbox is not None:
                    oc = record.get(cell_key(cell.where.page, cell.where.bbox))
                    if oc is not None:
                        cell.where.conf = oc.conf
    doc.ocr = record
    return doc


def cell_key(page: int | str, bbox) -> tuple:
    """A cell OCR saw: its page number (or the picture's name, readers/ocr/picture.py) and bbox."""
    return (page, *(round(x, 1) for x in bbox))


def pdf_pages(pdf, numbers: list[int], label: str = "") -> tuple[dict, list[Problem]]:
    """OCR the given pages (1-based) of an open MuPDF document (`label`: its name, for progress), each
    rendered at the resolution of its largest image (150–300 dpi), lowered to stay within the decoded-pixel limit
    (limits.max_image_pixels); a page that would need less than MIN_DPI for that is not rendered
    (`image-too-large`). → ({page number: OcrPage}, problems)."""
    import numpy as np

    def render(n: int, dpi: float):
        def go():
            page = pdf.load_page(n - 1)
            pix = page.get_pixmap(dpi=int(dpi), colorspace="rgb", alpha=False)
            arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)
            return arr[:, :, ::-1].copy()     # RGB → BGR
        return go

    images = []
    problems: list[Problem] = []
    for n in numbers:
        page = pdf.load_page(n - 1)
        dpi = _page_dpi(page)
        w, h = page.rect.width, page.rect.height
        fit = 72.0 * (limits.max_image_pixels() / max(1.0, w * h)) ** 0.5
        if fit < MIN_DPI:
            px = w * h * (MIN_DPI / 72.0) ** 2 / 1e6
            problems.append(Problem(
                "image-too-large",
                f"第{n}页幅面过大（{w / 72 * 2.54:.0f}×{h / 72 * 2.54:.0f} 厘米），按 {MIN_DPI:g} dpi 渲染也有 {px:.1f} 百万像素，"
                f"超过上限 {limits.max_image_pixels() / 1e6:g} 百万像素（环境变量 NIANBAO_MAX_IMAGE_PIXELS），该页未OCR识别；"
                "请提供可复制文字的原件，或放宽上限后重试。",
                f"page {n} is too large ({w / 72 * 2.54:.0f}×{h / 72 * 2.54:.0f} cm): even at {MIN_DPI:g} dpi it has "
                f"{px:.1f} megapixels, over the limit of {limits.max_image_pixels() / 1e6:g} (NIANBAO_MAX_IMAGE_PIXELS); "
                "the page was not read by OCR.", Where(page=n), "warning"))
            continue
        dpi = min(dpi, float(int(fit)))
        images.append((render(n, dpi), n, dpi))
    pages, more = recognise(images, label)
    return {n: p for (_, n, _), p in zip(images, pages) if p is not None}, problems + more


MIN_DPI = 100.0       # below this a page's print is too small to recognise


def _page_dpi(page) -> float:
    best = 0.0
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        if x1 - x0 > 1:
            best = max(best, info["width"] / ((x1 - x0) / 72.0))
    return min(300.0, max(150.0, round(best or 200.0)))


def read(data: bytes, source: Source) -> Document:
    """A picture file (PNG, JPEG, TIFF with one page or several, BMP) of a report page or table.
    Its header is checked first (format, damage, decoded size: decode.probe), also without OCR."""
    from . import decode

    pic = decode.probe(data)
    if not enabled():
        decode.check(data, pic)
        zh, en = hint()
        raise ReadError("needs-ocr", f"这是图片文件（扫描件或截图），需要OCR识别后才能读取；请{zh}，或提供可复制文字的原件。",
                        f"this is a picture (a scan or screenshot); it needs OCR before it can be read; {en}, "
                        "or provide a file with selectable text.")
    from .picture import for_ocr
    source.pages = pic.frames
    dpi = pic.dpi or None
    pages, problems = recognise([((lambda i=i: for_ocr(decode.frame(pic, i), dpi)), i + 1, dpi or DEFAULT_DPI)
                                 for i in range(pic.frames)], source.path)
    from ..pdf import assemble
    ok = [p for p in pages if p is not None]
    if not ok:
        raise timeout_error([i + 1 for i, p in enumerate(pages) if p is None])
    doc = Document(source=source, blocks=assemble([p.result for p in ok]), problems=problems)
    if not ok or not any(p.result.has_text for p in ok):
        raise ReadError("image-no-text", "图片中没有识别出文字（可能不是报告的页面或表格）；请提供可复制文字的原件。",
                        "no text was recognised in the picture (it may not be a page or table of a report); "
                        "provide a file with selectable text.")
    return attach(doc, ok)


DEFAULT_DPI = 150.0      # a picture that declares no resolution: a common scan's
