"""Extraction speed per input kind, and the ratio to the raw library read of the same files.

    python bench/extract.py [--seconds 3] [--files DIR]

Inputs: the five seeds (text) and the same-report fixtures in tests/fixtures/same_report
(HTML, DOCX, PDF; text in three layouts). Prints reports/s (one process, one core) for
read+extract, and the time of the raw library call alone:

    text  bytes.decode + splitlines        html  lxml.html.fromstring
    docx  docx.Document(BytesIO)           pdf   PyMuPDF open + page.get_text("dict") per page
    docx-xml  zipfile + lxml parse of word/document.xml: the least any DOCX reader must do (the
              DOCX reader opens the package itself and no longer goes through python-docx)
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nianbao.extract import extract  # noqa: E402
from nianbao.readers import read_bytes  # noqa: E402


def raw_text(data: bytes) -> None:
    data.decode("utf-8", errors="replace").splitlines()


def raw_html(data: bytes) -> None:
    import lxml.html
    lxml.html.fromstring(data)


def raw_docx(data: bytes) -> None:
    import docx
    docx.Document(io.BytesIO(data))


def raw_pdf(data: bytes) -> None:
    import pymupdf
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            page.get_text("dict")


def raw_docx_xml(data: bytes) -> None:
    import zipfile
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        etree.fromstring(z.read("word/document.xml"))


RAW = {"text": raw_text, "html": raw_html, "docx": raw_docx, "pdf": raw_pdf}
EXTRA_RAW = {"docx": ("docx-xml", raw_docx_xml)}


def rate(fn, files: list[tuple[str, bytes]], seconds: float) -> float:
    for name, data in files:        # warm up
        fn(name, data)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for name, data in files:
            fn(name, data)
            n += 1
    return n / (time.perf_counter() - t0)


def collect(fixtures: Path) -> dict[str, list[tuple[str, bytes]]]:
    kinds: dict[str, list[tuple[str, bytes]]] = {"text": [], "html": [], "docx": [], "pdf": []}
    for p in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")):
        kinds["text"].append((p.name, p.read_bytes()))
    for p in sorted(fixtures.glob("*")):
        ext = p.suffix.lower()
        kind = {".html": "html", ".docx": "docx", ".pdf": "pdf", ".txt": "text"}.get(ext)
        if kind:
            kinds[kind].append((p.name, p.read_bytes()))
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--files", type=Path, default=ROOT / "tests" / "fixtures" / "same_report")
    args = ap.parse_args()
    kinds = collect(args.files)
    print(f"{'kind':<6}{'files':>6}{'reports/s':>12}{'ms/report':>11}{'raw ms':>9}{'ratio':>8}")
    for kind, files in kinds.items():
        if not files:
            print(f"{kind:<6}{0:>6}   (no input files)")
            continue
        full = rate(lambda n, d: extract(read_bytes(d, n)), files, args.seconds)
        raw = rate(lambda n, d: RAW[kind](d), files, args.seconds / 2)
        print(f"{kind:<6}{len(files):>6}{full:>12.1f}{1000 / full:>11.2f}{1000 / raw:>9.2f}{raw / full:>8.2f}")
        if kind in EXTRA_RAW:
            label, fn = EXTRA_RAW[kind]
            raw = rate(lambda n, d: fn(d), files, args.seconds / 2)
            print(f"  {label:<10}{'':>14}{'':>11}{1000 / raw:>9.2f}{raw / full:>8.2f}")


if __name__ == "__main__":
    main()
