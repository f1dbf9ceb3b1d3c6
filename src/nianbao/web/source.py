"""The source view: the stored file shown beside the extracted tables, every source cell tied to the
contract cell it was read into by `data-cell="{t}|{r}|{c}"` (the same attribute the extracted tables
carry, so one click on a finding highlights both).

- text: the lines with their numbers; a value token gets the `data-cell` of the cell read from it
  (matched right to left against the cell's printed text), otherwise the whole line carries it;
- HTML / DOCX: the reader's `Document` (paragraphs and tables with spans) re-rendered here, cells
  matched through `CellValue.where` (table/row/col). Every string is escaped, so the view is
  sanitised by construction. Uploaded HTML additionally offers the original page cleaned with nh3;
- PDF: page images (`page_png`) with absolutely positioned boxes from each cell's page and bbox.

Nothing slow happens per view: a PDF's page sizes and page images, and the whole rendered view of any
report that is not plain text (a Word, web, OFD, LibreOffice-converted or OCR'd picture report), are
made once and kept on disk (derived.py) — at upload, from the upload's own reading (`prepare`).

A cell read from a place that several cells share (a line printing fewer values than columns, a merged
source cell) gets nested wrappers, one `data-cell` per element, so that exact attribute selectors work.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from ..document import Paragraph, Table
from ..errors import NianbaoError
from . import derived

PAGES_NAME = "pdf-pages.json"

PAGE_DPI = 110
NA_MARKS = {"/", "／", "—", "-", "－", "无", "——", "\\"}

ORIGINAL_TAGS = {"p", "br", "table", "thead", "tbody", "tr", "th", "td", "b", "strong", "span", "div",
                 "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
ORIGINAL_ATTRS = {"td": {"rowspan", "colspan"}, "th": {"rowspan", "colspan"}}


def cell_id(key) -> str:
    return "|".join(key)


def _attr(name: str, value) -> str:
    return f' {name}="{escape(str(value), quote=True)}"'


def _wrap(inner: str, keys: list) -> str:
    """Nested spans, one data-cell each (exact `[data-cell="…"]` selectors find every one)."""
    for k in reversed(keys):
        inner = f'<span class="src-cell"{_attr("data-cell", cell_id(k))}>{inner}</span>'
    return inner


def _cells(data: dict) -> list[dict]:
    return [c for c in data.get("cells") or [] if c.get("where")]


# ----------------------------------------------------------------------------------------- text
_SEP = re.compile(r"(\t+|[ \u3000]*[|｜][ \u3000]*| {2,}|\u3000{2,})")


def _norm(s: str | None) -> str:
    from ..extract.numbers import clean
    return clean(s or "").replace(" ", "").replace("\u3000", "")


def _is_value_token(tok: str) -> bool:
    from ..extract.numbers import is_value
    t = tok.strip()
    return bool(t) and (t in NA_MARKS or is_value(t))


def _text_line(no: int, raw: str, keys_here: list[dict]) -> str:
    parts = _SEP.split(raw)
    tokens = [i for i, p in enumerate(parts) if i % 2 == 0 and _is_value_token(p)]
    printed = [c for c in keys_here if c.get("status") in ("read", "not_applicable") and (c.get("raw") or "").strip()]
    token_cell: dict[int, tuple] = {}
    if printed and len(tokens) >= len(printed):
        pairs = list(zip(tokens[-len(printed):], printed))
        if all(_norm(parts[i]) == _norm(c.get("raw")) for i, c in pairs):
            token_cell = {i: (c["table"], c["row"], c["col"]) for i, c in pairs}
    rest = [(c["table"], c["row"], c["col"]) for c in keys_here
            if (c["table"], c["row"], c["col"]) not in token_cell.values()]
    out = []
    for i, p in enumerate(parts):
        if i in token_cell:
            out.append(f'<span class="src-cell tok"{_attr("data-cell", cell_id(token_cell[i]))}>{escape(p)}</span>')
        elif i % 2:
            out.append(f'<span class="sep">{escape(p).replace(chr(9), "  ")}</span>')
        else:
            out.append(escape(p))
    text = _wrap("".join(out) or "&#8203;", rest)
    return (f'<div class="src-line" id="src-L{no}"><span class="ln">{no}</span>'
            f'<span class="lt">{text}</span></div>')


def text_view(data_bytes: bytes, name: str, data: dict) -> str:
    from ..readers.text import decode, normalize_lines
    text, _ = decode(data_bytes, name)
    text = normalize_lines(text)
    by_line: dict[int, list[dict]] = {}
    for c in _cells(data):
        line = c["where"].get("line")
        if line is not None:
            by_line.setdefault(int(line), []).append(c)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    body = "".join(_text_line(i + 1, s, by_line.get(i + 1, [])) for i, s in enumerate(lines))
    return f'<div class="src-text">{body}</div>'


# ----------------------------------------------------------------------------------------- HTML / DOCX
def _where_key(w) -> tuple | None:
    if w is None or w.table is None or w.row is None or w.col is None:
        return None
    return (w.table, w.row, w.col)


def document_view(doc, data: dict) -> str:
    by_where: dict[tuple, list] = {}
    for c in _cells(data):
        w = c["where"]
        if w.get("table") is not None and w.get("row") is not None and w.get("col") is not None:
            by_where.setdefault((w["table"], w["row"], w["col"]), []).append((c["table"], c["row"], c["col"]))
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            if b.text.strip():
                line = b.where.line if b.where else None
                idattr = _attr("id", f"src-L{line}") if line is not None else ""
                out.append(f'<p class="src-p"{idattr}>{escape(b.text)}</p>')
            continue
        if not isinstance(b, Table):
            continue
        rows = []
        for r in range(b.n_rows):
            tds = []
            for cell in b.origin_cells(r):
                key = _where_key(cell.where)
                keys = by_where.get(key, []) if key else []
                attrs = ""
                if cell.rowspan > 1:
                    attrs += _attr("rowspan", cell.rowspan)
                if cell.colspan > 1:
                    attrs += _attr("colspan", cell.colspan)
                text = escape(cell.text).replace("\n", "<br>")
                if keys:
                    attrs += _attr("data-cell", cell_id(keys[0])) + ' class="src-cell"'
                    text = _wrap(text, keys[1:])
                tds.append(f"<td{attrs}>{text}</td>")
            rows.append(f"<tr>{''.join(tds)}</tr>")
        out.append(f'<table class="src-table"{_attr("data-table", b.index)}>{"".join(rows)}</table>')
    return f'<div class="src-doc">{"".join(out)}</div>'


def original_html(data_bytes: bytes) -> str:
    """The uploaded page itself, cleaned: basic text and table tags only (no scripts, styles,
    event handlers, frames, links or images)."""
    import nh3
    from ..readers.html import decode, page_bytes
    text, _ = decode(page_bytes(data_bytes))        # an MHTML upload shows its page, not MIME
    return nh3.clean(text, tags=ORIGINAL_TAGS, attributes=ORIGINAL_ATTRS, url_schemes=set(),
                     clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed",
                                         "template", "title", "head", "svg", "math"},
                     strip_comments=True, link_rel=None)


# ----------------------------------------------------------------------------------------- PDF
def pdf_pages(data_bytes: bytes) -> list[tuple[float, float]]:
    import pymupdf
    with pymupdf.open(stream=data_bytes, filetype="pdf") as pdf:
        return [(p.rect.width, p.rect.height) for p in pdf]


def pdf_sizes(report, raw: bytes | None = None) -> list[tuple[float, float]]:
    """The page sizes of a PDF report, measured once and kept (derived.py)."""
    cached = derived.get(report.sha256, PAGES_NAME)
    if cached is not None:
        return [tuple(x) for x in json.loads(cached)]
    if raw is None:
        raw = _raw(report)
    sizes = pdf_pages(raw)
    _keep(report.sha256, PAGES_NAME, json.dumps(sizes).encode())
    return sizes


def pdf_view(report_id: int, sizes: list[tuple[float, float]], data: dict) -> str:
    boxes: dict[int, list[str]] = {}
    for c in _cells(data):
        w = c["where"]
        page, bbox = w.get("page"), w.get("bbox")
        if not page or not bbox or page > len(sizes):
            continue
        pw, ph = sizes[page - 1]
        x0, y0, x1, y1 = bbox
        style = (f"left:{100 * x0 / pw:.3f}%;top:{100 * y0 / ph:.3f}%;"
                 f"width:{100 * (x1 - x0) / pw:.3f}%;height:{100 * (y1 - y0) / ph:.3f}%")
        key = (c["table"], c["row"], c["col"])
        boxes.setdefault(page, []).append(
            f'<span class="src-box"{_attr("data-cell", cell_id(key))}{_attr("style", style)}></span>')
    out = []
    for n, (pw, ph) in enumerate(sizes, start=1):
        out.append(f'<figure class="src-page" id="src-page-{n}" data-w="{pw:.1f}" data-h="{ph:.1f}" '
                   f'style="aspect-ratio:{pw:.1f}/{ph:.1f}">'
                   f'<img loading="lazy" alt="第{n}页" src="/reports/{report_id}/pages/{n}.png">'
                   f'{"".join(boxes.get(n, []))}<figcaption>第 {n} 页 / 共 {len(sizes)} 页</figcaption></figure>')
    return f'<div class="src-pdf">{"".join(out)}</div>'


def page_png(report, n: int) -> str:
    """Path of page n (1-based) of a PDF report as a PNG, rendered once and kept (derived.py)."""
    import pymupdf
    name = f"page-{PAGE_DPI}-{n}.png"
    path = derived.path(report.sha256, name)
    if path.exists():
        return str(path)
    with pymupdf.open(stream=_raw(report), filetype="pdf") as pdf:
        if not 1 <= n <= pdf.page_count:
            raise IndexError(n)
        png = pdf[n - 1].get_pixmap(dpi=PAGE_DPI).tobytes("png")
    return str(derived.put(report.sha256, name, png))


# ----------------------------------------------------------------------------------------- kept views
def _raw(report) -> bytes:
    with report.source.open("rb") as fh:
        return fh.read()


def _keep(sha: str, name: str, data: bytes) -> None:
    try:
        derived.put(sha, name, data)
    except OSError as e:            # a full disk costs the next view the work again, nothing else
        logging.getLogger("nianbao.web").warning("could not keep %s: %s", name, e)


def view_name(report, data: dict) -> str:
    """The kept source view of a Word/web/OFD/legacy/picture report: it depends on the code that renders
    it (derived.code_id) and on the positions it marks (the first version's cells)."""
    marks = json.dumps(_cells(data), ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(marks.encode()).hexdigest()[:16]
    return f"view-{report.kind}-{derived.code_id()}-{digest}.json"


def _render_document(report, doc, raw: bytes, data: dict) -> dict:
    out = {"html": document_view(doc, data), "original": None}
    if report.kind == "html":
        out["original"] = original_html(raw)
    return out


def prepare(report, doc, raw: bytes, data: dict) -> None:
    """Keep the source view of a report just read (the upload's own reading: its first view reads nothing)."""
    if report.kind in ("text", "pdf"):
        if report.kind == "pdf":
            pdf_sizes(report, raw)
        return
    _keep(report.sha256, view_name(report, data),
          json.dumps(_render_document(report, doc, raw, data), ensure_ascii=False).encode())


def _document_parts(report, data: dict) -> dict:
    name = view_name(report, data)
    cached = derived.get(report.sha256, name)
    if cached is not None:
        return json.loads(cached)
    from .. import limits
    from ..readers import ocr, read_bytes
    raw = _raw(report)
    with limits.time_limit(), ocr.switched(True), derived.conversions():
        doc = read_bytes(raw, report.source_name, kind=report.kind)
    parts = _render_document(report, doc, raw, data)
    _keep(report.sha256, name, json.dumps(parts, ensure_ascii=False).encode())
    return parts


# ----------------------------------------------------------------------------------------- entry
def build(report, data: dict) -> dict:
    """{"kind", "html": SafeString, "original": SafeString | None, "error": str | None}. Only a text report is
    read per view (cheap); anything else is rendered once and kept (derived.py)."""
    out: dict = {"kind": report.kind, "html": mark_safe(""), "original": None, "error": None}
    try:
        if report.kind == "text":
            out["html"] = mark_safe(text_view(_raw(report), report.source_name, data))
        elif report.kind == "pdf":
            out["html"] = mark_safe(pdf_view(report.pk, pdf_sizes(report), data))
        else:
            parts = _document_parts(report, data)
            out["html"] = mark_safe(parts["html"])
            if parts.get("original") is not None:
                out["original"] = SafeString(parts["original"])
    except OSError as e:
        out["error"] = f"原文件无法读取：{e.strerror or e}"
    except NianbaoError as e:
        out["error"] = f"原文无法显示：{e.message}"
    except Exception as e:          # the page still shows findings and tables
        logging.getLogger("nianbao.web").exception("source view of report %s", report.pk)
        out["error"] = f"原文无法显示（{type(e).__name__}）。"
    return out
