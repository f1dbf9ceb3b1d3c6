#!/usr/bin/env python3
"""Scanned fixtures: reports rendered to PDF, rasterised and degraded like a scan of a stamped paper
copy, saved as image-only PDFs and PNG pictures, each with its ground truth.

    report (a seed's extraction, or synth.random_report) ─ render.docx ─ LibreOffice ─▶ PDF
      ─ PyMuPDF raster at 150 or 300 dpi ─ degrade() ─▶ page images:
            a red seal (ring, star, lettering) multiplied over 表三 (black print under it stays black),
            a slight rotation (0.3–1.2°, either way), Gaussian noise and salt-and-pepper specks,
            a light blur at 300 dpi
      ─▶ NAME.pdf (every page one JPEG image, no text layer), NAME.png (表三's first page alone)
      ─▶ NAME.truth.json: org, year, format and the tables as rendered (the values printed)

The committed set (tests/fixtures/scanned/) is small; `bench/ocr.py` makes more with the same
functions in a temporary folder. Deterministic for a given seed (LibreOffice's PDF is rasterised,
so its dates do not matter).

Usage:
  .venv/bin/python scripts/make_scanned_fixtures.py            # the committed set
"""
from __future__ import annotations

import io
import json
import math
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pymupdf  # noqa: E402

from make_fixtures import _soffice, docx_to_pdf  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "scanned"


def seed_report(name: str) -> dict:
    from nianbao.extract import extract_path
    return extract_path(ROOT / "tests" / "data" / "seeds" / f"{name}.txt").to_dict()


def random_report(seed: int, fmt: str = "2021") -> dict:
    from nianbao.synth import random_report as rr
    return rr(random.Random(seed), fmt)


def render_pdf(report: dict, soffice: str) -> bytes:
    from nianbao.render.docx import to_docx_bytes
    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as tmp:
        d, p = Path(tmp) / "r.docx", Path(tmp) / "r.pdf"
        d.write_bytes(to_docx_bytes(report))
        docx_to_pdf(d, p, soffice)
        return p.read_bytes()


def table_pages(pdf: pymupdf.Document) -> list[int]:
    """0-based pages on which 表三 is printed (its header cell 自然人 or its first rows)."""
    return [i for i, page in enumerate(pdf) if "本年新收政府信息公开申请数量" in page.get_text() or
            "上年结转政府信息公开申请数量" in page.get_text()]


def seal(img: np.ndarray, cx: int, cy: int, r: int, rng: random.Random) -> None:
    """Multiply a red seal onto the page (in place): ring, five-pointed star, lettering on the arc."""
    layer = np.full(img.shape[:2], 255, np.uint8)
    t = max(2, r // 14)
    cv2.circle(layer, (cx, cy), r, 0, t, cv2.LINE_AA)
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r * (0.32 if k % 2 == 0 else 0.13)
        pts.append((int(cx + rr * math.cos(a)), int(cy + rr * math.sin(a))))
    cv2.fillPoly(layer, [np.array(pts, np.int32)], 0, cv2.LINE_AA)
    for k in range(12):                  # "lettering": short strokes along the upper arc
        a = math.pi * (1.15 + 0.7 * k / 11)
        x, y = cx + 0.72 * r * math.cos(a), cy + 0.72 * r * math.sin(a)
        w = r * 0.09
        cv2.rectangle(layer, (int(x - w), int(y - w)), (int(x + w), int(y + w)), 0, -1)
        cv2.rectangle(layer, (int(x - w * 0.6), int(y - w * 0.6)), (int(x + w * 0.6), int(y + w * 0.6)), 255, -1)
    alpha = (255 - layer.astype(np.float32)) / 255.0 * rng.uniform(0.75, 0.95)
    ink = np.array([40, 30, 215], np.float32) / 255.0      # BGR red
    for ch in range(3):
        img[:, :, ch] = (img[:, :, ch] * (1 - alpha + alpha * ink[ch])).astype(np.uint8)


def degrade(img: np.ndarray, dpi: int, rng: random.Random, stamp: tuple[float, float] | None) -> np.ndarray:
    """`stamp`: where to centre the seal (pt), or None."""
    h, w = img.shape[:2]
    if stamp:
        r = int(0.8 * dpi)               # a 4 cm seal
        k = dpi / 72
        seal(img, int(stamp[0] * k), int(stamp[1] * k), r, rng)
    angle = rng.choice((-1, 1)) * rng.uniform(0.3, 1.2)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if dpi >= 300:
        img = cv2.GaussianBlur(img, (3, 3), 0.6)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    noisy = img.astype(np.int16) + nrng.normal(0, 7, img.shape[:2])[:, :, None].astype(np.int16)
    specks = nrng.random(img.shape[:2])
    noisy[specks < 0.0008] = 0
    noisy[specks > 0.9992] = 255
    return np.clip(noisy, 0, 255).astype(np.uint8)


def scan(pdf_bytes: bytes, dpi: int, seed: int) -> tuple[list[np.ndarray], list[int], list[tuple[float, float]]]:
    """Degraded page images, the 0-based pages of 表三, page sizes (pt)."""
    rng = random.Random(seed)
    src = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    stamped = table_pages(src)
    images, sizes = [], []
    for i, page in enumerate(src):
        pix = page.get_pixmap(dpi=dpi, colorspace="rgb", alpha=False)
        arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)[:, :, ::-1].copy()
        at = None
        if stamped and i == stamped[0]:   # over 表三's values, a few rows below its first row
            row = page.search_for("本年新收政府信息公开申请数量") or page.search_for("上年结转政府信息公开申请数量")
            y = row[0].y1 if row else page.rect.height / 2
            at = (page.rect.width * rng.uniform(0.55, 0.75), min(y + rng.uniform(40, 120), page.rect.height - 80))
        images.append(degrade(arr, dpi, rng, stamp=at))
        sizes.append((page.rect.width, page.rect.height))
    return images, stamped, sizes


def image_pdf(images: list[np.ndarray], sizes: list[tuple[float, float]], quality: int = 60) -> bytes:
    """Every page one JPEG (grey where the page has no colour, as scanners save it)."""
    out = pymupdf.open()
    for img, (w, h) in zip(images, sizes):
        spread = img.max(axis=2).astype(np.int16) - img.min(axis=2)
        if (spread > 60).mean() < 0.0005:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
        page = out.new_page(width=w, height=h)
        page.insert_image(page.rect, stream=jpg.tobytes())
    return out.tobytes(deflate=True, garbage=3)


def png(img: np.ndarray, dpi: int) -> bytes:
    from PIL import Image
    # 64 colours without dithering: small, and a thin grey rule stays one colour (dithering or a
    # 16-colour palette scatters or drops rules)
    im = Image.fromarray(img[:, :, ::-1]).quantize(colors=64, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()


def truth(report: dict) -> dict:
    return {k: report[k] for k in ("org", "year", "format", "tables")}


def make(name: str, report: dict, dpi: int, seed: int, soffice: str, out: Path, picture: bool = False) -> list[Path]:
    images, stamped, sizes = scan(render_pdf(report, soffice), dpi, seed)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"{name}.pdf", out / f"{name}.truth.json"]
    written[0].write_bytes(image_pdf(images, sizes))
    written[1].write_text(json.dumps(truth(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if picture and stamped:
        p = out / f"{name}.png"
        p.write_bytes(png(images[stamped[0]], dpi))
        written.append(p)
    return written


# the committed set: a seed (2019 format) at 150 dpi, a random 2021 report at 300 dpi, a random
# 2021 report at 150 dpi also as a PNG of its 表三 page
COMMITTED = [
    ("seed000_150", lambda: seed_report("000_ca8a2528f0fad91b"), 150, 1, False),
    ("random7_300", lambda: random_report(7), 300, 2, False),
    ("random11_150", lambda: random_report(11), 150, 3, True),
]


def main() -> int:
    soffice = _soffice()
    if soffice is None:
        print("LibreOffice (soffice) not found", file=sys.stderr)
        return 1
    for name, report, dpi, seed, picture in COMMITTED:
        for p in make(name, report(), dpi, seed, soffice, OUT, picture):
            print(f"{p.relative_to(ROOT)}  {p.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
