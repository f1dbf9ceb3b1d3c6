"""Pictures given as files (PNG, JPEG, TIFF, BMP): found by folder walks, zips, batch and the web; bad
pictures refused with a clear message before anything is decoded; the decoded-pixel limit, also for PDF
pages rendered for OCR. The OCR of pictures itself is in test_ocr.py (and the DOCX/HTML pictures below)."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from nianbao.errors import ReadError
from nianbao.readers import ocr, read, read_bytes
from nianbao.readers.walk import walk

from .test_ocr import SCANNED, need_ocr

PNG = SCANNED / "random11_150.png"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG of a few dozen bytes whose header claims width × height grey pixels."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))


def picture(fmt: str, size=(240, 120), colour=(90, 160, 220)) -> bytes:
    from PIL import Image, ImageDraw
    im = Image.new("RGB", size, colour)
    ImageDraw.Draw(im).ellipse((20, 10, 120, 110), fill=(250, 200, 0))
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)


# ------------------------------------------------------------------ found by walks, zips, batch

def test_folder_walk_and_zip_find_pictures(tmp_path):
    for name in ("a.png", "b.JPG", "c.jpeg", "d.tif", "e.bmp", "notes.md", "logo.gif"):
        (tmp_path / name).write_bytes(b"x")
    found = [Path(f.path).name for f in walk([str(tmp_path)])]
    assert found == ["a.png", "b.JPG", "c.jpeg", "d.tif", "e.bmp"]
    from nianbao.corpus.batch import iter_inputs
    z = tmp_path / "z.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("scans/t3.png", PNG.read_bytes())
        zf.writestr("scans/readme.md", "not a report")
    assert [x[0].split("!/")[1] for x in iter_inputs([str(z)])] == ["scans/t3.png"]


def test_batch_without_ocr_lists_pictures_as_failures_naming_the_extra(tmp_path, no_ocr):
    from nianbao.corpus import run_batch
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "t3.png").write_bytes(PNG.read_bytes())
    (tmp_path / "in" / "cut.jpg").write_bytes(picture("JPEG")[:300])
    stats = run_batch([str(tmp_path / "in")], str(tmp_path / "s.duckdb"), workers=0)
    assert (stats.found, stats.stored, stats.failed) == (2, 0, 2)
    why = {Path(p).name: (code, msg) for p, code, msg in stats.failures}
    assert why["t3.png"][0] == "needs-ocr" and "pip install 'nianbao[ocr]'" in why["t3.png"][1]
    assert why["cut.jpg"][0] == "image-damaged" and "损坏或不完整" in why["cut.jpg"][1]


def test_web_accepts_picture_uploads():
    from nianbao.web.ingest import _kind_problem
    for name in ("表三.png", "scan.JPG", "p.jpeg", "p.tiff", "p.bmp"):
        assert _kind_problem(name, PNG.read_bytes()[:2048]) is None
    assert _kind_problem("logo.gif", b"GIF89a")[0] == "unsupported-type"


# ------------------------------------------------------------------ bad pictures: a clear message, no traceback

@pytest.mark.parametrize("with_ocr", [False, True])
def test_bad_pictures_are_refused_with_a_chinese_message(tmp_path, monkeypatch, with_ocr):
    if with_ocr:
        need_ocr()
    else:
        monkeypatch.setattr(ocr, "available", lambda: False)
    cases = {
        "cut.png": (PNG.read_bytes()[:20000], "image-damaged", "损坏或不完整"),
        "cut.jpg": (picture("JPEG")[:300], "image-damaged", "损坏或不完整"),
        "empty.jpg": (b"", "empty", "文件为空"),
        "logo.gif": (picture("GIF"), "image-unsupported", "GIF"),
        "fake.png": (b"\x00\x01\x02garbage" * 20, "bad-signature", "不是有效的 PNG"),
        "huge.png": (png_claiming(100_000, 100_000), "image-too-large", "超过上限 60 百万像素"),
        "big.png": (png_claiming(9_000, 8_000), "image-too-large", "9000×8000 像素"),
    }
    for name, (data, code, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with ocr.switched(True), pytest.raises(ReadError) as e:
            read(tmp_path / name)
        assert (e.value.code, name) == (code, name) and words in e.value.message, e.value.message
        assert e.value.message_en and e.value.path.endswith(name)


def test_a_picture_that_is_not_a_report(tmp_path):
    need_ocr()
    (tmp_path / "photo.png").write_bytes(picture("PNG", (600, 300)))
    with ocr.switched(True), pytest.raises(ReadError) as e:
        read(tmp_path / "photo.png")
    assert e.value.code == "image-no-text" and "没有识别出文字" in e.value.message


def test_pixel_limit_is_checked_before_decoding(monkeypatch):
    # 100 000 × 100 000 grey pixels would be 10 GB decoded; refused from the header in no time
    import tracemalloc
    tracemalloc.start()
    with ocr.switched(True), pytest.raises(ReadError) as e:
        read_bytes(png_claiming(100_000, 100_000), "huge.png")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert e.value.code == "image-too-large" and peak < 20_000_000
    monkeypatch.setenv("NIANBAO_MAX_IMAGE_PIXELS", "10000")
    with pytest.raises(ReadError) as e:
        read_bytes(picture("PNG", (200, 100)), "small.png")
    assert e.value.code == "image-too-large" and "200×100 像素" in e.value.message and "0.01 百万像素" in e.value.message


def test_pdf_pages_rendered_for_ocr_keep_the_pixel_limit(monkeypatch):
    need_ocr()
    # an A4 page needs ~1 million pixels at 100 dpi: with a limit of half that it is not rendered
    monkeypatch.setenv("NIANBAO_MAX_IMAGE_PIXELS", "500000")
    with ocr.switched(True), pytest.raises(ReadError) as e:
        read(SCANNED / "seed000_150.pdf")
    assert e.value.code == "image-too-large" and "第1页幅面过大" in e.value.message
    # with 2 million the pages are rendered at ~143 dpi instead of 150 (not refused)
    import pymupdf
    from nianbao.readers.ocr import pdf_pages
    monkeypatch.setenv("NIANBAO_MAX_IMAGE_PIXELS", "2000000")
    seen = []
    monkeypatch.setattr(ocr, "recognise", lambda images, label: (seen.extend(d for _, _, d in images), ([], []))[1])
    pdf = pymupdf.open(SCANNED / "seed000_150.pdf")
    _, problems = pdf_pages(pdf, [1])
    assert problems == [] and 140 <= seen[0] < 150


def test_decoding_pages_transparency_and_formats():
    from PIL import Image
    from nianbao.readers.ocr import decode
    # a TIFF of two pages: both decoded, each as BGR
    a, b = Image.new("RGB", (120, 110), (255, 0, 0)), Image.new("RGB", (130, 140), (0, 0, 255))
    buf = io.BytesIO()
    a.save(buf, "TIFF", save_all=True, append_images=[b], dpi=(300, 300))
    pic = decode.probe(buf.getvalue())
    assert (pic.format, pic.frames, pic.dpi) == ("TIFF", 2, 300.0)
    pages = decode.frames(pic)
    assert [p.shape for p in pages] == [(110, 120, 3), (140, 130, 3)]
    assert tuple(pages[0][0, 0]) == (0, 0, 255) and tuple(pages[1][0, 0]) == (255, 0, 0)    # BGR
    # transparent pixels are paper (white), not black
    im = Image.new("RGBA", (150, 150), (0, 0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    assert decode.frames(decode.probe(buf.getvalue()))[0].min() == 255
    # BMP by content; 16-bit grey scaled, not clipped
    assert decode.probe(picture("BMP")).format == "BMP"
    g = Image.new("I;16", (120, 120), 65535)
    buf = io.BytesIO()
    g.save(buf, "PNG")
    assert decode.frames(decode.probe(buf.getvalue()))[0].min() == 255
    from nianbao.readers.detect import detect_kind
    assert [detect_kind(picture(f), "scan") for f in ("PNG", "JPEG", "TIFF", "BMP")] == ["image"] * 4


def test_low_resolution_pictures_are_enlarged_for_ocr():
    need_ocr()
    import numpy as np
    from PIL import Image
    from nianbao.readers.ocr.picture import estimate_dpi, for_ocr
    t3 = Image.open(Path(__file__).parent / "fixtures" / "pictures" / "html19_files" / "t3.png").convert("RGB")
    full = np.asarray(t3)[:, :, ::-1]
    shot = np.asarray(t3.resize((int(t3.width * 0.64), int(t3.height * 0.64)), Image.LANCZOS))[:, :, ::-1]
    assert 135 <= estimate_dpi(full) <= 165 and 85 <= estimate_dpi(shot) <= 110      # 150 dpi, 96 dpi
    arr, dpi = for_ocr(shot, None)                    # a screenshot declaring nothing: estimated, enlarged
    assert dpi == pytest.approx(150, abs=2) and arr.shape[1] == pytest.approx(t3.width, rel=0.05)
    assert for_ocr(full, None)[0] is full and for_ocr(full, None)[1] == 150
    arr, dpi = for_ocr(shot, 96.0)                    # declared (or drawn) at 96 dpi
    assert dpi == pytest.approx(150, abs=2)
    assert for_ocr(full, 300.0) == (full, 300.0)
