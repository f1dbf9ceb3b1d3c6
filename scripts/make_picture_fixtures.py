#!/usr/bin/env python3
"""Reports whose 表三 and 表四 are pasted as pictures: a DOCX and an HTML page, each with its ground truth.

    report (synth.random_report) ─ render.docx on a tall page (every table on one page) ─ LibreOffice ─▶ PDF
      ─ PyMuPDF: each table's box (page.find_tables) rasterised at 150 dpi ─▶ a PNG per table
      ─▶ NAME.docx: the report's own DOCX with 表三/表四 replaced by inline pictures of them, drawn at
         their natural size (so their extent in the document gives the picture's resolution)
      ─▶ NAME.html: the report's own web page with 表三 as <img src="NAME_files/t3.png"> (a page saved
         with its pictures beside it) and 表四 as <img src="data:image/png;base64,…">
      ─▶ NAME.truth.json: org, year, format and the tables as rendered

Deterministic for a given seed. Usage: .venv/bin/python scripts/make_picture_fixtures.py
"""
from __future__ import annotations

import base64
import io
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import pymupdf  # noqa: E402

from make_fixtures import _soffice, docx_to_pdf  # noqa: E402
from make_scanned_fixtures import random_report, truth  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "pictures"
DPI = 150
# words only one statistics table has (表二's 规章, 表三's rows, 表四's 行政复议)
KEYS = {"t2": "规范性文件", "t3": "本年新收政府信息公开申请数量", "t4": "行政复议"}


def tall_docx(report: dict) -> bytes:
    """The report's DOCX on a page 120 cm tall: no table is split by a page break."""
    from docx import Document
    from docx.shared import Cm
    from nianbao.render.docx import to_docx_bytes
    doc = Document(io.BytesIO(to_docx_bytes(report)))
    doc.sections[0].page_height = Cm(120)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def table_pictures(report: dict, soffice: str) -> dict[str, bytes]:
    """{"t2"|"t3"|"t4": PNG of that table as printed} at DPI, its resolution declared."""
    from PIL import Image
    with tempfile.TemporaryDirectory(prefix="nianbao-pic-") as tmp:
        d, p = Path(tmp) / "r.docx", Path(tmp) / "r.pdf"
        d.write_bytes(tall_docx(report))
        docx_to_pdf(d, p, soffice)
        pdf = pymupdf.open(p)
        out: dict[str, bytes] = {}
        for page in pdf:
            for tab in page.find_tables().tables:
                text = " ".join(c or "" for row in tab.extract() for c in row)
                key = next((k for k, w in KEYS.items() if w in text and k not in out), None)
                if key is None:
                    continue
                clip = pymupdf.Rect(tab.bbox) + (-3, -3, 3, 3)
                pix = page.get_pixmap(dpi=DPI, clip=clip, colorspace="rgb", alpha=False)
                im = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
                buf = io.BytesIO()
                im.save(buf, format="PNG", optimize=True, dpi=(DPI, DPI))
                out[key] = buf.getvalue()
    missing = {"t3", "t4"} - set(out)
    if missing:
        raise SystemExit(f"tables not found in the rendered PDF: {sorted(missing)}")
    return out


def docx_with_pictures(report: dict, pics: dict[str, bytes]) -> bytes:
    """The report's DOCX with 表三 and 表四 replaced by pictures of them at their natural size."""
    from docx import Document
    from docx.shared import Emu
    from PIL import Image
    from nianbao.render.docx import _deterministic_zip, to_docx_bytes
    doc = Document(io.BytesIO(to_docx_bytes(report)))
    for table in list(doc.tables):
        text = " ".join(c.text for row in table.rows for c in row.cells)
        key = next((k for k in ("t3", "t4") if KEYS[k] in text), None)
        if key is None:
            continue
        w, _ = Image.open(io.BytesIO(pics[key])).size
        par = doc.add_paragraph()
        par.add_run().add_picture(io.BytesIO(pics[key]), width=Emu(int(w / DPI * 914400)))
        table._tbl.addprevious(par._p)
        table._tbl.getparent().remove(table._tbl)
    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic_zip(buf.getvalue())


def html_with_pictures(report: dict, pics: dict[str, bytes], files: str) -> str:
    """The report's web page with 表三 as a picture beside the page, 表四 as a data: URI."""
    from nianbao.render.html import to_html
    page = to_html(report)
    t4 = base64.b64encode(pics["t4"]).decode()
    for key, src in (("t3", f"{files}/t3.png"), ("t4", f"data:image/png;base64,{t4}")):
        page, n = re.subn(rf'<table [^>]*class="{key}">.*?</table>', f'<p><img src="{src}" alt="表格"></p>', page,
                          count=1, flags=re.S)
        assert n == 1, key
    return page


# the committed set: a 2021-format report as DOCX, a 2019-format report as a web page
COMMITTED = [("docx21", 21, "2021", "docx"), ("html19", 19, "2019", "html")]


def make(name: str, seed: int, fmt: str, kind: str, soffice: str, out: Path) -> list[Path]:
    report = random_report(seed, fmt)
    pics = table_pictures(report, soffice)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"{name}.truth.json"]
    written[0].write_text(json.dumps(truth(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if kind == "docx":
        written.append(out / f"{name}.docx")
        written[-1].write_bytes(docx_with_pictures(report, pics))
    else:
        files = out / f"{name}_files"
        files.mkdir(exist_ok=True)
        (files / "t3.png").write_bytes(pics["t3"])
        written += [out / f"{name}.html", files / "t3.png"]
        written[-2].write_text(html_with_pictures(report, pics, files.name), encoding="utf-8")
    return written


def main() -> int:
    soffice = _soffice()
    if soffice is None:
        print("LibreOffice (soffice) not found", file=sys.stderr)
        return 1
    for name, seed, fmt, kind in COMMITTED:
        for p in make(name, seed, fmt, kind, soffice, OUT):
            print(f"{p.relative_to(ROOT)}  {p.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
