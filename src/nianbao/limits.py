"""What one file may cost: its size per kind, how much a DOCX unpacks to, how many HTML elements
a page has, and how long reading it may take. Over a limit, the file gets a clean `ReadError`
(code ``too-large`` or ``too-complex``, 「文件过大/过于复杂」 with the limit), never a run that eats
the machine. The limits keep peak memory within 20 × the input size + 200 MB (bench/fuzz.py
measures it) and are far above any real report (the largest real ones are a few MB).

    MAX_BYTES[kind]            bytes of the file (text 1 MB: reading text costs ~170 bytes per byte)
    MAX_XML_BYTES              DOCX: XML parts unpacked, in total
    MAX_XML_RATIO              DOCX: unpacked / packed size of one XML part above 1 MB (a zip bomb)
    MAX_HTML_ELEMENTS          elements of a web page
    max_image_pixels()         pixels of a picture (or a PDF page rendered for OCR) once decoded, read from
                               the header before decoding (NIANBAO_MAX_IMAGE_PIXELS, default 60 million:
                               an A4 page at 600 dpi is 35 million); image_too_large() is the error
    time_limit(seconds)        a cooperative deadline for the current thread (context manager)
    check_time()               called in readers' and extraction's loops; raises past the deadline
    remaining()                seconds left before the deadline (None: no limit), for a subprocess's timeout

The time limit is thread-local, so the web app's worker threads and the CLI each have their own;
NIANBAO_TIME_LIMIT (seconds, default 60) sets it, 0 turns it off.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager

from .errors import ReadError

MB = 1024 * 1024
MAX_BYTES = {"text": 1 * MB, "html": 16 * MB, "docx": 64 * MB, "pdf": 64 * MB,
             "doc": 64 * MB, "rtf": 64 * MB, "odt": 64 * MB, "et": 64 * MB, "ofd": 64 * MB,
             "image": 32 * MB}
MAX_ANY = max(MAX_BYTES.values())      # before the kind is known
MAX_XML_BYTES = 8 * MB
MAX_XML_RATIO = 100
MAX_HTML_ELEMENTS = 100_000
DEFAULT_IMAGE_PIXELS = 60_000_000

_KIND_ZH = {"text": "文本", "html": "网页", "docx": "Word", "pdf": "PDF", "doc": "Word/WPS", "rtf": "RTF", "odt": "OpenDocument",
            "et": "WPS 表格", "ofd": "OFD", "image": "图片"}


def _mb(n: int | float) -> str:
    return f"{n / MB:.1f}".rstrip("0").rstrip(".") + " MB"


def too_large(size: int, kind: str | None, path: str | None = None) -> ReadError:
    limit = MAX_BYTES.get(kind or "", MAX_ANY)
    what = f"{_KIND_ZH[kind]}文件" if kind in _KIND_ZH else "文件"
    return ReadError("too-large",
                     f"文件过大/过于复杂：{what}大小 {_mb(size)}，超过上限 {_mb(limit)}；一份年度报告远小于此，"
                     "请检查是否选错文件，或把报告单独保存后再读取。",
                     f"file too large/complex: {_mb(size)}, over the {kind or 'file'} limit of {_mb(limit)}; "
                     "an annual report is far smaller — check the file, or save the report on its own.", path)


def too_complex(what_zh: str, what_en: str, path: str | None = None) -> ReadError:
    return ReadError("too-complex", f"文件过大/过于复杂：{what_zh}；请检查文件，或另存为 PDF/Word 后再读取。",
                     f"file too large/complex: {what_en}; check the file, or save it as PDF/Word and try again.",
                     path)


def max_image_pixels() -> int:
    try:
        n = int(float(os.environ.get("NIANBAO_MAX_IMAGE_PIXELS", DEFAULT_IMAGE_PIXELS)))
    except ValueError:
        n = DEFAULT_IMAGE_PIXELS
    return n if n > 0 else DEFAULT_IMAGE_PIXELS


def image_too_large(width: int, height: int, what_zh: str = "图片", what_en: str = "the picture",
                    path: str | None = None) -> ReadError:
    """A picture whose decoded size is over max_image_pixels() (checked before it is decoded)."""
    limit = max_image_pixels()
    size_zh = f"{width}×{height} 像素（{width * height / 1e6:.1f} 百万像素）" if height > 1 else \
        f"{width / 1e6:.1f} 百万像素"
    size_en = f"{width}×{height} pixels ({width * height / 1e6:.1f} megapixels)" if height > 1 else \
        f"{width / 1e6:.1f} megapixels"
    return ReadError(
        "image-too-large",
        f"{what_zh}尺寸过大：{size_zh}，超过上限 "
        f"{limit / 1e6:g} 百万像素（环境变量 NIANBAO_MAX_IMAGE_PIXELS），未解码读取；请缩小图片或降低扫描分辨率"
        "（300 dpi 足够）后再读取。",
        f"{what_en} is too large: {size_en}, over the "
        f"limit of {limit / 1e6:g} megapixels (NIANBAO_MAX_IMAGE_PIXELS); it was not decoded; shrink it or "
        "scan at a lower resolution (300 dpi is enough).", path)


# ----------------------------------------------------------------------------------------- time
_local = threading.local()


def default_seconds() -> float:
    try:
        return float(os.environ.get("NIANBAO_TIME_LIMIT", "60"))
    except ValueError:
        return 60.0


@contextmanager
def time_limit(seconds: float | None = None):
    """Reading and extracting inside the block must finish within `seconds` (default:
    NIANBAO_TIME_LIMIT or 60 s; 0 or less: no limit). Nested blocks keep the earlier deadline."""
    seconds = default_seconds() if seconds is None else seconds
    outer = getattr(_local, "deadline", None)
    mine = (time.monotonic() + seconds, seconds) if seconds > 0 else None
    if outer is not None and (mine is None or outer[0] <= mine[0]):
        mine = outer
    _local.deadline = mine
    try:
        yield
    finally:
        _local.deadline = outer


def remaining() -> float | None:
    d = getattr(_local, "deadline", None)
    return None if d is None else d[0] - time.monotonic()


def extend_time(seconds: float) -> None:
    """Move the current thread's deadline `seconds` later (the time OCR spent on a scanned page, which
    has its own budget, does not count against the file's); no deadline, no change."""
    d = getattr(_local, "deadline", None)
    if d is not None and seconds > 0:
        _local.deadline = (d[0] + seconds, d[1] + seconds)


def check_time() -> None:
    d = getattr(_local, "deadline", None)
    if d is not None and time.monotonic() > d[0]:
        s = f"{d[1]:g}"
        raise too_complex(f"读取超过时间上限 {s} 秒（环境变量 NIANBAO_TIME_LIMIT），已停止",
                          f"reading took longer than the {s} s limit (NIANBAO_TIME_LIMIT) and was stopped")
