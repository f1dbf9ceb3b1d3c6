"""OFD reader (readers/ofd.py): text objects and path objects into the PDF reader's stages.

tests/fixtures/ofd/ holds OFD twins of the rendered PDF fixtures (scripts/make_ofd_fixtures.py: one
writer places spans by DeltaX and draws rules as stroked lines; the other places every character
through a CTM, draws rules as thin filled rectangles and adds a watermark and a white frame). Their
ground truth is the JSON beside the PDF. The same script turns every PDF fixture into an OFD in
memory, and each must extract to exactly what its PDF twin extracts.
"""
import importlib.util
import io
import json
import zipfile
from pathlib import Path

import pytest

from nianbao import limits
from nianbao.cli import main
from nianbao.document import Paragraph
from nianbao.errors import ReadError
from nianbao.extract import extract
from nianbao.readers import read, read_bytes
from nianbao.readers.ofd import _deltas

from .conftest import DATA

FIX = DATA.parent / "fixtures"
OFD = FIX / "ofd"
ROOT = DATA.parent.parent

_spec = importlib.util.spec_from_file_location("make_ofd_fixtures", ROOT / "scripts" / "make_ofd_fixtures.py")
writer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(writer)


@pytest.mark.parametrize("name", ["report", "report2019"])
def test_ofd_reads_the_printed_tables_exactly(name):
    truth = json.loads((FIX / "same_report" / f"{name}.json").read_text(encoding="utf-8"))
    doc = read(OFD / f"{name}.ofd")
    assert doc.source.kind == "ofd" and doc.source.path == str(OFD / f"{name}.ofd") and doc.source.pages >= 4
    d = extract(doc).to_dict()
    assert (d["org"], d["year"], d["format"]) == (truth["org"], truth["year"], truth["format"])
    assert d["tables"] == truth["tables"]
    assert [s["number"] for s in d["sections"]] == [1, 2, 3, 4, 5, 6]
    read_cells = [c for c in d["cells"] if c["status"] == "read"]
    assert read_cells and all(c["where"]["page"] >= 1 and len(c["where"]["bbox"]) == 4 for c in read_cells)
    assert not d["problems"]


def test_watermark_and_white_frame_are_not_content():
    doc = read(OFD / "report2019.ofd")
    text = "".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "内部资料" not in text and "仅供核对" not in text
    assert b"255 255 255" in zipfile.ZipFile(OFD / "report2019.ofd").read("Doc_0/Pages/Page_0/Content.xml")


def _cells(report) -> dict:
    return {(c["table"], c["row"], c["col"]): (c["value"], c["status"], c["where"].get("page"))
            for c in report.to_dict()["cells"]}


PDFS = sorted(p for d in ("pdf_layouts", "web_print", "same_report") for p in (FIX / d).glob("*.pdf"))
PER_CHAR = {"report.pdf", "report2019.pdf", "three_line.pdf", "narrow.pdf", "no_rules_right.pdf"}


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_ofd_extracts_what_its_pdf_twin_extracts(pdf):
    want_doc = read(pdf)
    want = extract(want_doc)
    for per_char in (False, True) if pdf.name in PER_CHAR else (False,):
        got_doc = read_bytes(writer.ofd_bytes(pdf, per_char), pdf.stem + ".ofd")
        got = extract(got_doc)
        assert _cells(got) == _cells(want), per_char
        assert (got.org, got.year, got.format) == (want.org, want.year, want.format)
        if not per_char:   # the per-character writer drops spaces, so only its tables are compared
            assert [b.text for b in got_doc.blocks if isinstance(b, Paragraph)] == \
                   [b.text for b in want_doc.blocks if isinstance(b, Paragraph)]


def test_delta_shorthand():
    assert _deltas("1 g 3 2.5 4", 10) == [1.0, 2.5, 2.5, 2.5, 4.0]
    assert _deltas("g 1000000000 1", 3) == [1.0, 1.0, 1.0]       # a huge count costs nothing
    assert _deltas("x 2 nan", 5) == [2.0, 0.0]


def _package(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _parts(name="report") -> dict[str, bytes]:
    z = zipfile.ZipFile(OFD / f"{name}.ofd")
    return {n: z.read(n) for n in z.namelist()}


def test_an_ofd_of_images_only_needs_ocr():
    parts = _parts()
    page = ('<?xml version="1.0"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="9">'
            '<ofd:ImageObject ID="10" Boundary="0 0 210 297" ResourceID="11"/></ofd:Layer></ofd:Content></ofd:Page>')
    for n in parts:
        if n.endswith("Content.xml"):
            parts[n] = page.encode()
    with pytest.raises(ReadError) as ei:
        read_bytes(_package(parts), "scan.ofd")
    assert ei.value.code == "needs-ocr" and "OCR" in ei.value.message


def test_damaged_and_foreign_packages_get_clear_messages():
    data = (OFD / "report.ofd").read_bytes()
    for cut in range(100, len(data), max(1, len(data) // 25)):
        with pytest.raises(ReadError) as ei:
            read_bytes(data[:cut], "cut.ofd")
        assert ei.value.code in ("ofd-damaged", "bad-signature"), cut
    with pytest.raises(ReadError) as ei:
        read_bytes(_package({"readme.txt": b"hello"}), "x.ofd")
    assert ei.value.code == "ofd-damaged" and "OFD.xml" in ei.value.message
    parts = _parts()
    parts["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"][:200]
    with pytest.raises(ReadError) as ei:
        read_bytes(_package(parts), "x.ofd")
    assert ei.value.code == "ofd-damaged" and "损坏" in ei.value.message


def test_zip_bomb_and_oversized_xml_are_refused_before_parsing():
    parts = _parts()
    page = "Doc_0/Pages/Page_0/Content.xml"
    parts[page] = parts[page].replace(b"</ofd:Layer>", b"<!--" + b" " * (50 * limits.MB) + b"--></ofd:Layer>")
    with pytest.raises(ReadError) as ei:
        read_bytes(_package(parts), "bomb.ofd")
    assert ei.value.code == "too-complex" and "压缩炸弹" in ei.value.message
    parts = _parts()
    parts[page] = parts[page].replace(b"</ofd:Layer>", bytes(range(256)).hex().encode() * 20000 + b"</ofd:Layer>")
    with pytest.raises(ReadError) as ei:
        read_bytes(_package(parts, zipfile.ZIP_STORED), "big.ofd")
    assert ei.value.code == "too-complex" and "8 MB" in ei.value.message


def test_time_limit_applies():
    with limits.time_limit(1e-9), pytest.raises(ReadError) as ei:
        read(OFD / "report.ofd")
    assert ei.value.code == "too-complex"


def test_folders_read_ofd_files(capsys, tmp_path):
    (tmp_path / "年报.ofd").write_bytes((OFD / "report.ofd").read_bytes())
    code = main(["extract", str(tmp_path)])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and d["source"]["kind"] == "ofd" and d["year"] == 2022


def test_a_page_box_without_size_is_not_used():
    from nianbao.readers.ofd import _box
    assert _box("0 0 210 297") == (0.0, 0.0, 210.0, 297.0)
    assert _box("0 0 0 0") is None and _box("0 0 210 -5") is None and _box("0 0 1e9 297") is None
    parts = _parts()          # pages without a size read with the document's PageArea
    for n in parts:
        if n.endswith("Content.xml"):
            parts[n] = parts[n].replace(b"<ofd:PhysicalBox>0 0 ", b"<ofd:PhysicalBox>0 0 0 0 <!---->", 1)
    assert b"<ofd:PhysicalBox>0 0 0 0 <!---->" in parts["Doc_0/Pages/Page_0/Content.xml"]
    assert extract(read_bytes(_package(parts), "x.ofd")).tables() == extract(read(OFD / "report.ofd")).tables()
