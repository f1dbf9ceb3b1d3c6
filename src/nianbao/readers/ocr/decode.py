"""Pictures → pixels, safely (Pillow only: it comes with the core install, so a picture is checked
even without the OCR extra).

    probe(data) -> Picture        format, size, frames and resolution from the header; refused
                                  BEFORE anything is decoded when the format is not a picture we read
                                  (GIF, WebP …), the header is damaged, or the decoded size is over
                                  limits.max_image_pixels() (a small file may claim 100 000 × 100 000)
    check(data, pic)              the whole file is sound (without decoding it in full), for a clear
                                  message also where OCR is not installed
    frames(pic) -> [BGR array]    each page decoded (a TIFF may hold several); a file cut short or
                                  damaged inside is an error, never half a picture read

Errors are `ReadError`s with Chinese messages: image-unsupported, image-damaged, image-too-large.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from ... import limits
from ...errors import ReadError

# Pillow's format names we read (MPO: a JPEG from a phone camera with a preview frame)
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "TIFF": "TIFF", "BMP": "BMP"}
MAX_FRAMES = 50          # pages of a multi-page TIFF


@dataclass
class Picture:
    image: object        # PIL.Image.Image, not decoded yet
    format: str          # PNG, JPEG, TIFF, BMP
    width: int
    height: int
    frames: int
    dpi: float           # as declared; 0 when it declares none or nonsense


def _damaged(what_zh: str, what_en: str) -> ReadError:
    return ReadError("image-damaged", f"{what_zh}文件已损坏或不完整（可能下载中断），无法读取；请重新导出或下载。",
                     f"{what_en} is damaged or incomplete (the download may have been cut off) and cannot be read; "
                     "export or download it again.")


def unsupported(fmt: str, what_zh: str = "图片", what_en: str = "the picture") -> ReadError:
    return ReadError("image-unsupported",
                     f"{what_zh}格式为 {fmt}，不支持读取（可读取 PNG、JPEG、TIFF、BMP）；请另存为 PNG 或 JPEG，"
                     "或提供可复制文字的原件。",
                     f"{what_en} is in {fmt} format, which is not read (PNG, JPEG, TIFF and BMP are); save it as "
                     "PNG or JPEG, or provide a file with selectable text.")


def probe(data: bytes, what_zh: str = "图片", what_en: str = "the picture") -> Picture:
    from PIL import Image, UnidentifiedImageError

    limit = limits.max_image_pixels()
    Image.MAX_IMAGE_PIXELS = limit       # Pillow's own guard, as a second line (we check first)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            fmt = im.format or "?"
            w, h = im.size
            n = getattr(im, "n_frames", 1) if fmt == "TIFF" else 1
    except Image.DecompressionBombError as e:     # Pillow's guard (over twice the limit) spoke first
        m = re.search(r"\((\d+) pixels\)", str(e))
        raise limits.image_too_large(int(m.group(1)) if m else 0, 1, what_zh, what_en) from None
    except UnidentifiedImageError:
        raise _damaged(what_zh, what_en) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError, MemoryError):
        raise _damaged(what_zh, what_en) from None
    if fmt not in FORMATS:
        raise unsupported(fmt, what_zh, what_en)
    if w <= 0 or h <= 0:
        raise _damaged(what_zh, what_en)
    if w * h > limit:
        raise limits.image_too_large(w, h, what_zh, what_en)
    return Picture(im, FORMATS[fmt], w, h, max(1, min(int(n or 1), MAX_FRAMES)), _dpi(im))


def check(data: bytes, pic: Picture, what_zh: str = "图片", what_en: str = "the picture") -> None:
    """The whole file is there and sound, checked cheaply (no OCR to run: the picture is only looked
    at to say the right thing): a PNG's chunks and their checksums, a JPEG decoded at 1/8 scale, other
    formats' first page decoded."""
    from PIL import Image

    if pic.format not in ("PNG", "JPEG"):
        frame(pic, 0, what_zh, what_en)
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            if pic.format == "PNG":
                im.verify()
            else:
                im.draft("L", (max(1, pic.width // 8), max(1, pic.height // 8)))
                im.load()
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError, Image.DecompressionBombError):
        raise _damaged(what_zh, what_en) from None


def _dpi(im) -> float:
    try:
        dpi = im.info.get("dpi")
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    return d if 72 <= d <= 1200 else 0.0


def frames(pic: Picture, what_zh: str = "图片", what_en: str = "the picture") -> list:
    """Every page as a BGR uint8 array: transparency laid on white, a camera's EXIF rotation applied."""
    return [frame(pic, i, what_zh, what_en) for i in range(pic.frames)]


def frame(pic: Picture, i: int, what_zh: str = "图片", what_en: str = "the picture"):
    import numpy as np
    from PIL import Image, ImageOps

    im = pic.image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if i:
                im.seek(i)
                if im.size[0] * im.size[1] > limits.max_image_pixels():
                    raise limits.image_too_large(im.size[0], im.size[1], what_zh, what_en)
            im.load()                       # raises on a file cut short (LOAD_TRUNCATED_IMAGES is off)
            out = ImageOps.exif_transpose(im) if pic.format == "JPEG" else im
            if out.mode in ("RGBA", "LA", "PA") or (out.mode == "P" and "transparency" in out.info):
                rgba = out.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                out = Image.alpha_composite(white, rgba)
            if out.mode.startswith(("I", "F")):          # 16-bit or 32-bit grey: scaled, not clipped
                a = np.asarray(out, dtype=np.float64)
                top = float(a.max()) if a.size else 0.0
                a = np.clip(a * (255.0 / top if top > 255 else 1.0), 0, 255).astype(np.uint8)
                arr = np.repeat(a[:, :, None], 3, axis=2)
            else:
                arr = np.asarray(out.convert("RGB"))
    except ReadError:
        raise
    except Image.DecompressionBombError:
        raise limits.image_too_large(pic.width, pic.height, what_zh, what_en) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError, ZeroDivisionError):
        raise _damaged(what_zh, what_en) from None
    return np.ascontiguousarray(arr[:, :, ::-1])     # RGB → BGR (OpenCV's order)
