"""OFD reader (GB/T 33190, the national fixed-layout format): the package (zip + XML) read directly,
each page's text objects (with positions) and path objects (table rules) handed to the PDF reader's
own stages, so an OFD report becomes the same Document as its PDF twin.

    bytes ─ zip ─ OFD.xml ─ DocBody/DocRoot ─ Document.xml ─ Pages/Page/@BaseLoc ─ Content.xml
          ─ per page: Template(s), then Content/Layer/…:
                TextObject  → Frag per run of characters on one baseline (TextCode X/Y, DeltaX/DeltaY
                              with the "g n d" shorthand, Boundary origin, CTM, Size, HScale)
                PathObject  → ruling segments (AbstractData M/S/L/C straight lines; stroked lines and
                              rectangles, thin filled rectangles; white or curved paths dropped)
                ImageObject → counted (a page of images without text needs OCR)
                PageBlock   → its objects
          ─ pdf.page.layout_page (stages 2–3: ruled grids, tables from text positions)
          ─ pdf.assemble (stages 4–5: tables joined across pages, paragraphs)
          ═▶ Document (Where: page + bbox in points, as for PDF)

Coordinates are millimetres in the file and points (1/72 in) inside nianbao, so every tolerance of
the PDF stages applies unchanged. A glyph's box is its advance (DeltaX, or one em for a CJK
character and half an em otherwise for the last one) by 0.8 em above and 0.2 em below the baseline.
Rotated or skewed text (a watermark) is dropped, as in the PDF reader.

Limits (limits.py): the XML unpacked in total (MAX_XML_BYTES) and the compression ratio of any part
(MAX_XML_RATIO) are checked before a part is parsed; the time limit between pages and objects.
"""
from __future__ import annotations

import io
import math
import posixpath
import re
import unicodedata
import zipfile
import zlib

from lxml import etree

from .. import limits
from ..document import Document, Problem, Source, Where
from ..errors import ReadError
from .pdf import assemble
from .pdf.layer import _BAD, GARBLED_SHARE, THIN, Frag, Seg
from .pdf.page import PageResult, layout_page

PT = 72 / 25.4                      # points per millimetre
A4 = (0.0, 0.0, 210.0, 297.0)
ASCENT, DESCENT = 0.8, 0.2          # of the font size, above and below the baseline
MAX_DEPTH = 32                      # PageBlock nesting followed
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
_DAMAGED_ZH = "OFD 文件已损坏或不完整（可能下载中断），无法读取；请重新下载，或提供 PDF/Word 版本。"
_DAMAGED_EN = ("the OFD file is damaged or incomplete (the download may have been interrupted); download it "
               "again, or provide the PDF/Word version.")
Affine = tuple[float, float, float, float, float, float]
_ID: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _damaged(zh: str = _DAMAGED_ZH, en: str = _DAMAGED_EN) -> ReadError:
    return ReadError("ofd-damaged", zh, en)


# ----------------------------------------------------------------------------------------- package
class _Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = {n.lstrip("/").lower(): n for n in self.zip.namelist()}
        self.unpacked = 0

    def xml(self, part: str):
        name = self.names.get(part.lstrip("/").lower())
        if name is None:
            raise KeyError(part)
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise ReadError("ofd-encrypted", "OFD 文件已加密，无法读取；请提供未加密的版本。",
                            "the OFD file is encrypted; provide an unencrypted version.")
        self._budget(info.file_size, info.compress_size, part)
        with self.zip.open(info) as fh:          # never trust the header: read at most the budget
            data = fh.read(limits.MAX_XML_BYTES - self.unpacked + 1)
        self._budget(len(data), info.compress_size, part)
        self.unpacked += len(data)
        return etree.fromstring(data, _PARSER)

    def _budget(self, size: int, packed: int, part: str) -> None:
        if size > limits.MB and size > limits.MAX_XML_RATIO * max(packed, 1):
            raise limits.too_complex(
                f"OFD 文件中的 {part.lstrip('/')} 压缩比异常（{size // max(packed, 1)} 倍，上限 "
                f"{limits.MAX_XML_RATIO} 倍），疑似“压缩炸弹”",
                f"{part.lstrip('/')} in the OFD file has an abnormal compression ratio "
                f"({size // max(packed, 1)}×, limit {limits.MAX_XML_RATIO}×): a zip bomb")
        if self.unpacked + size > limits.MAX_XML_BYTES:
            raise limits.too_complex(
                f"OFD 文件的内容（XML）解压后超过 {limits.MAX_XML_BYTES // limits.MB} MB 的上限",
                f"the OFD file's XML unpacks to more than {limits.MAX_XML_BYTES // limits.MB} MB")


def _resolve(base: str, loc: str | None) -> str | None:
    """A location in the package: absolute ("/Doc_0/…"), or relative to the folder of `base`."""
    loc = (loc or "").strip().replace("\\", "/")
    if not loc:
        return None
    if loc.startswith("/"):
        return posixpath.normpath(loc).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), loc)).lstrip("/")


def _local(el) -> str:
    tag = el.tag
    if tag.__class__ is not str:
        return ""
    return tag.rsplit("}", 1)[-1]


def _kids(el, name: str):
    return [c for c in el if _local(c) == name] if el is not None else []


def _kid(el, name: str):
    for c in el if el is not None else ():
        if _local(c) == name:
            return c
    return None


def _text(el, name: str) -> str | None:
    c = _kid(el, name)
    return None if c is None or c.text is None else c.text.strip()


def _nums(s: str | None, n: int) -> tuple[float, ...] | None:
    if not s:
        return None
    try:
        v = tuple(map(float, (s.replace(",", " ") if "," in s else s).split()[:n]))
    except ValueError:
        return None
    if len(v) < n or not math.isfinite(sum(v)):
        return None
    return v


def _float(s: str | None, default: float) -> float:
    if not s:
        return default
    try:
        v = float(s)
    except ValueError:
        return default
    return v if math.isfinite(v) else default


# ----------------------------------------------------------------------------------------- reading
def read(data: bytes, source: Source) -> Document:
    try:
        pkg = _Package(data)
        root = pkg.xml("OFD.xml")
    except ReadError:
        raise
    except KeyError:
        raise _damaged("这个文件不是有效的 OFD 文件（缺少 OFD.xml），无法读取；请提供 PDF 或 Word 版本。",
                       "this is not a valid OFD file (OFD.xml is missing); provide the PDF or Word version.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, EOFError, zlib.error, OSError,
            NotImplementedError, RuntimeError, ValueError) as e:
        if isinstance(e, RecursionError):
            raise
        raise _damaged() from None
    if _local(root) != "OFD":
        raise _damaged()
    pages: list[PageResult] = []
    problems: list[Problem] = []
    try:
        for body in _kids(root, "DocBody"):
            doc_path = _resolve("OFD.xml", _text(body, "DocRoot"))
            if doc_path is None:
                continue
            _read_body(pkg, doc_path, pages, problems)
    except ReadError:
        raise
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, zlib.error, OSError,
            NotImplementedError, ValueError, IndexError, TypeError, OverflowError, ZeroDivisionError) as e:
        if isinstance(e, RecursionError):
            raise
        raise _damaged() from None
    if not pages:
        raise _damaged()
    source.pages = len(pages)
    if not any(p.has_text for p in pages):
        raise ReadError("needs-ocr", "OFD 文件没有可读取的文字（扫描件或图片），需要OCR识别后才能读取；请提供有文字的 OFD、PDF 或 Word 版本。",
                        "the OFD file has no readable text (a scan or images); it needs OCR before it can be "
                        "read; provide an OFD, PDF or Word version with text.")
    return Document(source=source, blocks=assemble(pages), problems=problems)


def _read_body(pkg: _Package, doc_path: str, pages: list[PageResult], problems: list[Problem]) -> None:
    doc = pkg.xml(doc_path)
    common = _kid(doc, "CommonData")
    default_box = _box(_text(_kid(common, "PageArea"), "PhysicalBox")) or A4
    templates = {(t.get("ID") or "").strip(): _resolve(doc_path, t.get("BaseLoc"))
                 for t in _kids(common, "TemplatePage")}
    template_xml: dict[str, object] = {}
    for page_el in _kids(_kid(doc, "Pages"), "Page"):
        limits.check_time()
        n = len(pages) + 1
        loc = _resolve(doc_path, page_el.get("BaseLoc"))
        if loc is None:
            raise KeyError("page")
        root = pkg.xml(loc)
        box = _box(_text(_kid(root, "Area"), "PhysicalBox")) or default_box
        page = _Page(box)
        for ref in _kids(root, "Template"):
            tloc = templates.get((ref.get("TemplateID") or "").strip())
            if tloc is None:
                continue
            if tloc not in template_xml:
                template_xml[tloc] = pkg.xml(tloc)
            page.content(template_xml[tloc])
        page.content(root)
        garbled = page.n_chars > 0 and page.n_bad > GARBLED_SHARE * page.n_chars
        if garbled:
            pr = PageResult(n, page.height, [], [], False, True, 0)
        else:
            pr = layout_page(n, page.height, page.frags, page.hs, page.vs, page.raw_chars, page.n_bad)
        if garbled or (not pr.has_text and page.images):
            problems.append(Problem(
                "needs-ocr", f"第{n}页没有可读取的文字（扫描件或图片），需要OCR识别后才能读取。",
                f"page {n} has no readable text (a scan or images); it needs OCR before it can be read.",
                Where(page=n), "warning"))
        pages.append(pr)


def _box(s: str | None) -> tuple[float, ...] | None:
    """A page box (x, y, width, height) in mm, or None when it has no size or an absurd one."""
    b = _nums(s, 4)
    return b if b is not None and 1 <= b[2] <= 10_000 and 1 <= b[3] <= 10_000 else None


# ----------------------------------------------------------------------------------------- one page
def _compose(outer: Affine, inner: Affine) -> Affine:
    """Apply `inner`, then `outer`."""
    A, B, C, D, E, F = outer
    a, b, c, d, e, f = inner
    return (A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F)


def _object_matrix(el, outer: Affine, box: tuple[float, ...] | None) -> Affine:
    """Object space → page: the object's CTM, then its Boundary's origin, then the enclosing blocks."""
    bx, by = (box[0], box[1]) if box else (0.0, 0.0)
    ctm = el.get("CTM")
    if not ctm:
        A, B, C, D, E, F = outer
        return (A, B, C, D, A * bx + C * by + E, B * bx + D * by + F)
    a, b, c, d, e, f = _nums(ctm, 6) or _ID
    return _compose(outer, (a, b, c, d, e + bx, f + by))


def _deltas(s: str | None, limit: int) -> list[float]:
    """DeltaX/DeltaY values, with the "g count value" shorthand; at most `limit`."""
    out: list[float] = []
    if not s or limit <= 0:
        return out
    tok = s.split()
    i = 0
    while i < len(tok) and len(out) < limit:
        t = tok[i]
        try:
            if t == "g" and i + 2 < len(tok):
                k = int(float(tok[i + 1]))
                v = float(tok[i + 2])
                out.extend([v] * max(0, min(k, limit - len(out))))
                i += 3
                continue
            out.append(float(t))
        except (ValueError, OverflowError):
            pass
        i += 1
    return [v if math.isfinite(v) else 0.0 for v in out]


def _width(ch: str) -> float:
    """Nominal advance in ems."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _white(el, name: str) -> bool:
    c = _kid(el, name)
    if c is None:
        return False
    if (c.get("Alpha") or "").strip() == "0":
        return True
    v = _nums(c.get("Value"), 3)
    return v is not None and min(v) >= 250


class _Page:
    """Text fragments (points, y down, page origin) and ruling segments of one page."""

    def __init__(self, box: tuple[float, ...]) -> None:
        self.origin = (box[0], box[1])
        self.height = box[3] * PT
        self.frags: list[Frag] = []
        self.chars: list[list[tuple[str, tuple[float, float, float, float]]]] = []
        self.hs: list[Seg] = []
        self.vs: list[Seg] = []
        self.images = 0
        self.n_chars = 0
        self.n_bad = 0
        self.count = 0

    def raw_chars(self, key):
        return self.chars[key[0]]

    def content(self, root) -> None:
        top: Affine = (PT, 0.0, 0.0, PT, -self.origin[0] * PT, -self.origin[1] * PT)   # mm → pt
        for layer in _kids(_kid(root, "Content"), "Layer"):
            self._objects(layer, top, 0)

    def _objects(self, parent, m: Affine, depth: int) -> None:
        for el in parent:
            self.count += 1
            if self.count % 2000 == 0:
                limits.check_time()
            name = _local(el)
            if name == "TextObject":
                self._text(el, m)
            elif name == "PathObject":
                self._path(el, m)
            elif name == "ImageObject":
                self.images += 1
            elif name == "PageBlock" and depth < MAX_DEPTH:
                self._objects(el, m, depth + 1)

    # ---- text
    def _text(self, el, outer: Affine) -> None:
        box = _nums(el.get("Boundary"), 4)
        a, b, c, d, e, f = _object_matrix(el, outer, box)
        if abs(b) > 0.05 * abs(a) or abs(c) > 0.05 * abs(d) or a <= 0 or d <= 0:
            return                       # rotated, skewed or mirrored text: a watermark, not content
        size = _float(el.get("Size"), 0.0)
        if size <= 0:
            return
        hscale = _float(el.get("HScale"), 1.0) or 1.0
        right = outer[0] * (box[0] + box[2]) + outer[4] if box else None   # the Boundary's right edge
        codes = _kids(el, "TextCode")
        x = y = 0.0
        for k, code in enumerate(codes):
            text = code.text or ""
            x = _float(code.get("X"), x)
            y = _float(code.get("Y"), y)
            if not text:
                continue
            dx = _deltas(code.get("DeltaX"), len(text) - 1)
            dy = _deltas(code.get("DeltaY"), len(text) - 1)
            pos = []                     # (char, x, y) in object space
            cx, cy = x, y
            for i, ch in enumerate(text):
                pos.append((ch, cx, cy))
                cx += dx[i] if i < len(dx) else _width(ch) * size * hscale
                cy += dy[i] if i < len(dy) else 0.0
            x, y = cx, cy                # a TextCode without X/Y goes on from here
            self._runs(pos, size, hscale, (a, d, e, f), right if k == len(codes) - 1 else None)

    def _runs(self, pos, size: float, hscale: float, m: tuple[float, float, float, float],
              right: float | None) -> None:
        """Characters → fragments: a new one where the baseline changes or the text jumps back or
        far ahead. The last character ends at the object's Boundary when that is within half its
        nominal width of where the nominal width ends (writers make the Boundary the text's box)."""
        a, d, e, f = m
        em = size * d                    # font size in points
        run: list[tuple[str, tuple[float, float, float, float]]] = []
        prev = None
        for i, (ch, ox, oy) in enumerate(pos):
            px, py = a * ox + e, d * oy + f
            w = _width(ch) * size * hscale * a
            if i + 1 < len(pos) and pos[i + 1][2] == oy:
                adv = a * (pos[i + 1][1] - ox)
                if 0 < adv < 1.5 * w:
                    w = adv
            elif i + 1 == len(pos) and right is not None and 0.5 * w <= right - px <= 1.5 * w:
                w = right - px
            bb = (px, py - ASCENT * em, px + w, py + DESCENT * em)
            if prev is not None and (abs(py - prev[1]) > 0.2 * em or px < prev[0] - 0.1 * em
                                     or px - prev[0] > 3 * em):
                self._emit(run, em)
                run = []
            run.append((ch, bb))
            prev = (bb[2], py)
        self._emit(run, em)

    def _emit(self, run, em: float) -> None:
        text = "".join(ch for ch, _ in run)
        if not text or text.isspace():
            return
        self.n_chars += len(text) - text.count(" ")
        if not (text.isascii() and text.isprintable()):
            self.n_bad += len(_BAD.findall(text))
        key = len(self.chars)
        self.chars.append(run)
        self.frags.append(Frag(run[0][1][0], min(b[1] for _, b in run), run[-1][1][2], max(b[3] for _, b in run),
                               text, em, (key, 0, 0)))

    # ---- paths
    def _path(self, el, outer: Affine) -> None:
        a, b, c, d, e, f = _object_matrix(el, outer, _nums(el.get("Boundary"), 4))
        stroke = (el.get("Stroke") or "true").strip().lower() != "false"
        fill = (el.get("Fill") or "false").strip().lower() == "true"
        if stroke and _white(el, "StrokeColor"):
            stroke = False
        if fill and _white(el, "FillColor"):
            fill = False
        if not (stroke or fill):
            return
        data = _text(el, "AbstractData")
        if not data:
            return

        def pt(px: float, py: float) -> tuple[float, float]:
            return a * px + c * py + e, b * px + d * py + f

        subpaths: list[tuple[list[tuple[float, float]], bool, bool]] = []   # points, closed, straight
        cur: list[tuple[float, float]] = []
        straight = True
        tok = _PATH_TOKEN.findall(data)
        i = 0
        while i < len(tok):
            op = tok[i]
            i += 1
            if op not in _ARGS:
                continue
            n = _ARGS[op]
            try:
                args = [float(v) for v in tok[i:i + n]]
            except ValueError:
                return
            if len(args) < n:
                break
            i += n
            if op in ("S", "M"):
                if cur:
                    subpaths.append((cur, False, straight))
                cur, straight = [pt(*args)], True
            elif op == "L":
                cur.append(pt(*args))
            elif op == "C":
                if cur:
                    subpaths.append((cur, True, straight))
                    cur = [cur[0]]
                    straight = True
            else:                        # a curve: keep its end point, but the subpath is no ruling
                cur.append(pt(*args[-2:]))
                straight = False
        if cur:
            subpaths.append((cur, False, straight))
        for points, closed, straight_ in subpaths:
            if not straight_ or len(points) < 2:
                continue
            if stroke:
                edges = list(zip(points, points[1:])) + ([(points[-1], points[0])] if closed else [])
                for (x0, y0), (x1, y1) in edges:
                    if abs(y0 - y1) <= 0.5 and abs(x0 - x1) > 0.5:
                        self.hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                    elif abs(x0 - x1) <= 0.5 and abs(y0 - y1) > 0.5:
                        self.vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
            elif len(points) >= 4:       # a filled thin rectangle is a ruling; a larger one is shading
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
                w, h = x1 - x0, y1 - y0
                if h <= THIN and w > h:
                    self.hs.append(((y0 + y1) / 2, x0, x1))
                elif w <= THIN and h > w:
                    self.vs.append(((x0 + x1) / 2, y0, y1))
