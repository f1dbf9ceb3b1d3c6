#!/usr/bin/env python3
"""Write OFD (GB/T 33190) twins of the rendered PDF fixtures into tests/fixtures/ofd/.

A rendered report (tests/fixtures/same_report/NAME.pdf: render/docx.py's official layout, laid out
by LibreOffice) is laid into a minimal valid OFD package, the way OFD printers and converters do:

  OFD.xml                      DocBody: DocInfo (fixed DocID and dates) and DocRoot
  Doc_0/Document.xml           CommonData (MaxUnitID, PageArea, PublicRes) and Pages
  Doc_0/PublicRes.xml          the fonts
  Doc_0/Pages/Page_N/Content.xml
                               one Layer of TextObject (Boundary, Font, Size; TextCode X/Y/DeltaX)
                               and PathObject (Boundary, LineWidth, StrokeColor; AbstractData)

Coordinates are millimetres. Two writers, as real files differ:

  report.ofd       one TextObject per text span, its characters placed by DeltaX (runs of equal
                   advances in the "g count value" shorthand); each ruling a stroked line
                   "M 0 0 L w 0" in a PathObject whose Boundary is the line's box
  report2019.ofd   one TextObject per character, sized through a CTM (Size in points, CTM scaling
                   points to millimetres), and each ruling a filled thin rectangle (Stroke="false",
                   Fill="true"); a watermark (rotated text) and a white frame on every page, which
                   a reader must not take for content or rules

The ground truth is the JSON beside the PDF (report.json, report2019.json): the OFD shows exactly
the PDF's text and rules, so it must extract to the same tables. Deterministic: fixed zip dates.

Usage: .venv/bin/python scripts/make_ofd_fixtures.py
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tests" / "fixtures" / "same_report"
OUT = ROOT / "tests" / "fixtures" / "ofd"
MM = 25.4 / 72                      # millimetres per point
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def deltas(values: list[float], shorthand: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and n(values[j + 1]) == n(values[i]):
            j += 1
        if shorthand and j - i >= 2:
            out.append(f"g {j - i + 1} {n(values[i])}")
        else:
            out.extend(n(v) for v in values[i:j + 1])
        i = j + 1
    return " ".join(out)


class Ids:
    def __init__(self) -> None:
        self.last = 1               # 1 is the font

    def __call__(self) -> int:
        self.last += 1
        return self.last


def text_span(ids: Ids, sp: dict) -> str:
    chars = [c for c in sp["chars"]]
    if not chars:
        return ""
    size = sp["size"] * MM
    x0, y0, x1, y1 = (v * MM for v in sp["bbox"])
    ox, oy = chars[0]["origin"][0] * MM, chars[0]["origin"][1] * MM
    dx = [(b["origin"][0] - a["origin"][0]) * MM for a, b in zip(chars, chars[1:])]
    text = "".join(c["c"] for c in chars)
    return (f'<ofd:TextObject ID="{ids()}" Boundary="{n(x0)} {n(y0)} {n(x1 - x0)} {n(y1 - y0)}" Font="1" '
            f'Size="{n(size)}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="{n(ox - x0)}" Y="{n(oy - y0)}"'
            + (f' DeltaX="{deltas(dx, True)}"' if dx else "") + f">{escape(text)}</ofd:TextCode></ofd:TextObject>")


def text_chars(ids: Ids, sp: dict) -> str:
    out = []
    for c in sp["chars"]:
        if c["c"].isspace():
            continue
        x0, y0, x1, y1 = (v * MM for v in c["bbox"])
        ox, oy = c["origin"]
        # object space in points, scaled to millimetres by the CTM
        out.append(f'<ofd:TextObject ID="{ids()}" Boundary="{n(x0)} {n(y0)} {n(x1 - x0)} {n(y1 - y0)}" '
                   f'Font="1" Size="{n(sp["size"])}" CTM="{n(MM)} 0 0 {n(MM)} 0 0">'
                   f'<ofd:TextCode X="{n(ox - c["bbox"][0])}" Y="{n(oy - c["bbox"][1])}">{escape(c["c"])}'
                   "</ofd:TextCode></ofd:TextObject>")
    return "".join(out)


def rule_line(ids: Ids, a, b, width: float) -> str:
    x0, y0 = min(a[0], b[0]) * MM, min(a[1], b[1]) * MM
    x1, y1 = max(a[0], b[0]) * MM, max(a[1], b[1]) * MM
    return (f'<ofd:PathObject ID="{ids()}" Boundary="{n(x0)} {n(y0)} {n(x1 - x0)} {n(y1 - y0)}" '
            f'LineWidth="{n(width * MM)}"><ofd:StrokeColor Value="0 0 0"/>'
            f"<ofd:AbstractData>M 0 0 L {n(x1 - x0)} {n(y1 - y0)}</ofd:AbstractData></ofd:PathObject>")


def rule_rect(ids: Ids, a, b, width: float) -> str:
    w = width * MM
    x0, y0 = min(a[0], b[0]) * MM, min(a[1], b[1]) * MM
    x1, y1 = max(a[0], b[0]) * MM, max(a[1], b[1]) * MM
    if y1 - y0 < x1 - x0:
        y0, y1 = y0 - w / 2, y1 + w / 2
    else:
        x0, x1 = x0 - w / 2, x1 + w / 2
    W, H = x1 - x0, y1 - y0
    return (f'<ofd:PathObject ID="{ids()}" Boundary="{n(x0)} {n(y0)} {n(W)} {n(H)}" Stroke="false" Fill="true">'
            f'<ofd:FillColor Value="0 0 0"/><ofd:AbstractData>M 0 0 L {n(W)} 0 L {n(W)} {n(H)} L 0 {n(H)} C'
            "</ofd:AbstractData></ofd:PathObject>")


def rect(ids: Ids, r, d: dict) -> str:
    """A rectangle as drawn (a browser draws cell borders as thin filled ones, backgrounds as large ones)."""
    x0, y0, W, H = r.x0 * MM, r.y0 * MM, r.width * MM, r.height * MM
    stroke, fill = d.get("color"), d.get("fill")
    rgb = " ".join(str(round(v * 255)) for v in (fill or stroke or (0, 0, 0)))
    return (f'<ofd:PathObject ID="{ids()}" Boundary="{n(x0)} {n(y0)} {n(W)} {n(H)}" '
            f'Stroke="{"true" if stroke else "false"}" Fill="{"true" if fill else "false"}"'
            + (f' LineWidth="{n((d.get("width") or 0.5) * MM)}"' if stroke else "") + ">"
            + (f'<ofd:FillColor Value="{rgb}"/>' if fill else f'<ofd:StrokeColor Value="{rgb}"/>')
            + f"<ofd:AbstractData>M 0 0 L {n(W)} 0 L {n(W)} {n(H)} L 0 {n(H)} C</ofd:AbstractData></ofd:PathObject>")


def extras(ids: Ids, w: float, h: float) -> str:
    """A white frame and a rotated watermark: neither is content."""
    return (f'<ofd:PathObject ID="{ids()}" Boundary="5 5 {n(w - 10)} {n(h - 10)}" LineWidth="0.5">'
            f'<ofd:StrokeColor Value="255 255 255"/><ofd:AbstractData>M 0 0 L {n(w - 10)} 0 L {n(w - 10)} '
            f'{n(h - 10)} L 0 {n(h - 10)} C</ofd:AbstractData></ofd:PathObject>'
            f'<ofd:TextObject ID="{ids()}" Boundary="40 120 150 80" Font="1" Size="12" '
            f'CTM="0.7071 -0.7071 0.7071 0.7071 0 60"><ofd:FillColor Value="200 200 200"/>'
            "<ofd:TextCode X=\"0\" Y=\"12\">内部资料 仅供核对</ofd:TextCode></ofd:TextObject>")


def page_xml(page, ids: Ids, per_char: bool) -> str:
    w, h = page.rect.width * MM, page.rect.height * MM
    objs: list[str] = []
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    for b in raw["blocks"]:
        if b["type"] != 0:
            continue
        for ln in b["lines"]:
            for sp in ln["spans"]:
                if "".join(c["c"] for c in sp["chars"]).strip():
                    objs.append(text_chars(ids, sp) if per_char else text_span(ids, sp))
    for d in page.get_drawings():
        for it in d["items"]:
            if it[0] == "l" and d.get("color") is not None:
                objs.append((rule_rect if per_char else rule_line)(ids, it[1], it[2], d.get("width") or 0.5))
            elif it[0] == "re":
                objs.append(rect(ids, it[1], d))
            else:
                raise ValueError(f"unexpected drawing item {it[0]} on page {page.number + 1}")
    if per_char:
        objs.append(extras(ids, w, h))
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Area><ofd:PhysicalBox>0 0 {n(w)} {n(h)}'
            f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="{ids()}">{"".join(objs)}</ofd:Layer>'
            "</ofd:Content></ofd:Page>")


def write(pdf: Path, out: Path, per_char: bool) -> None:
    out.write_bytes(ofd_bytes(pdf, per_char))
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")


def ofd_bytes(pdf: Path, per_char: bool) -> bytes:
    """The OFD twin of a PDF (see the module's description of the two writers)."""
    doc = pymupdf.open(pdf)
    ids = Ids()
    pages = [page_xml(p, ids, per_char) for p in doc]
    w, h = doc[0].rect.width * MM, doc[0].rect.height * MM
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD">'
                   f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{'0' * 31}{int(per_char)}</ofd:DocID>"
                   f"<ofd:Title>{escape(pdf.stem)}</ofd:Title><ofd:CreationDate>2026-12-04</ofd:CreationDate>"
                   "<ofd:Creator>nianbao scripts/make_ofd_fixtures.py</ofd:Creator></ofd:DocInfo>"
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
                              f"<ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {n(w)} "
                              f"{n(h)}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                              "</ofd:CommonData><ofd:Pages>"
                              + "".join(f'<ofd:Page ID="{1000 + i}" BaseLoc={quoteattr(f"Pages/Page_{i}/Content.xml")}/>'
                                        for i in range(len(pages)))
                              + "</ofd:Pages></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {NS} BaseLoc="Res"><ofd:Fonts>'
                               '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
    }
    for i, xml in enumerate(pages):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = xml
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 4, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.encode("utf-8"))
    return buf.getvalue()


def main() -> int:
    OUT.mkdir(exist_ok=True)
    write(SRC / "report.pdf", OUT / "report.ofd", per_char=False)
    write(SRC / "report2019.pdf", OUT / "report2019.ofd", per_char=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
