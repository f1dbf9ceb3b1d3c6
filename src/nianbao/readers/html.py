"""HTML reader: a portal page (or a saved report page) → `Document`.

Encoding: a byte-order mark wins, then a ``<meta charset>`` / ``<meta http-equiv content="…charset=…">``
declaration (GBK / GB2312 are read as GB18030, their superset), then strict UTF-8, then GB18030.
The encoding used is stored in ``source.encoding``.

The page is parsed once with lxml's HTML parser and walked once (``etree.iterwalk``):

* ``script``, ``style``, ``noscript``, ``template``, ``head`` and comments produce nothing;
* obvious page chrome is skipped — ``nav`` / ``header`` / ``footer`` elements and elements whose
  id or class contains nav, menu, breadcrumb, crumb, footer, header, topbar, sidebar, share or
  toolbar — unless it contains a ``<table>`` with digits (a report table is never dropped).
  An ``<h1>`` inside skipped chrome is still kept (it is often the report's title);
* all other visible text becomes `Paragraph` blocks in document order: block elements (p, div,
  h1–h6, li, td of layout tables, …) and ``<br>`` end a paragraph. Whitespace (including
  ``&nbsp;`` and U+3000) collapses to one space; a source line break between two CJK characters
  disappears (as browsers render it). A paragraph's `Where.line` is the source line of the
  element its text starts in;
* a ``<table>`` that contains another table, or has at most one cell, is a LAYOUT table: it is
  not emitted; its content is walked like any other block content. Every other table becomes
  a `Table`: rowspan/colspan are resolved (spans are clamped to the table's size), rows with no
  cells are dropped, ``<br>`` and block elements inside a cell become "\\n", whitespace collapses
  per line. A table with no text at all is not emitted. A ``<caption>`` becomes a paragraph
  before the table.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

from ..document import Cell, Document, Paragraph, Source, Table, Where
from ..errors import ReadError

# --------------------------------------------------------------------------------------------
# encoding

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn", "euccn",
       "hz-gb-2312", "csgb2312", "chinese", "iso-ir-58", "windows-936", "ms936"}
_LATIN = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data, 0, 8192)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    if name in _GB:
        return "gb18030"
    if name in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        return "utf-8"
    if name.startswith(("utf-16", "utf-32", "ucs-2", "unicode")):
        return "utf-8"   # a byte page cannot be UTF-16; browsers read such declarations as UTF-8
    if name in _LATIN:
        return "latin"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    declared = _declared(data)
    tried = []
    if declared == "latin":
        # Chinese portals that declare Latin-1 usually serve UTF-8 or GBK; Latin-1 never fails,
        # so only use it when the bytes are neither.
        declared = None
        tried.append("latin")
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    for enc in ("utf-8", "gb18030"):
        if enc != declared:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    if tried:
        return data.decode("windows-1252", "replace"), "windows-1252"
    enc = declared or "gb18030"
    return data.decode(enc, "replace"), enc


# --------------------------------------------------------------------------------------------
# text cleaning

_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t\\r]*\\n[ \\t\\r\\n]*(?=[{_CJK}])")
_WS = re.compile(r"\s+")
_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\x00"), None)   # zero-width: dropped


def _clean(s: str) -> str:
    """Collapse whitespace (incl. &nbsp; and U+3000) to one space, drop zero-width characters, strip."""
    if s.isprintable():
        if " " not in s:    # no whitespace at all: the common short cell
            return s
    else:
        s = s.translate(_ZW)
        if "\n" in s:
            s = _CJK_BREAK.sub("", s)
    return _WS.sub(" ", s).strip()


# --------------------------------------------------------------------------------------------
# element classes

_DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option",
                   "datalist", "iframe", "object", "embed", "svg", "canvas", "math", "audio",
                   "video", "map", "frameset", "noframes"})
_BLOCK = frozenset({"html", "body", "address", "article", "aside", "blockquote", "center", "dd",
                    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
                    "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "li",
                    "main", "menu", "ol", "p", "pre", "section", "summary", "ul", "table",
                    "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "header", "footer",
                    "nav", "legend", "textarea", "button", "listing", "xmp", "plaintext"})
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_EXEMPT = frozenset({"html", "body", "main", "article", "table", "tbody", "thead", "tfoot"})
_CHROME_WORDS = re.compile("nav|menu|crumb|footer|header|topbar|sidebar|share|toolbar", re.I)
_CELL_BREAK = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                         "blockquote", "section", "article", "pre", "ul", "ol", "dl", "dt", "dd",
                         "center", "table", "address", "hr", "caption"})
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_SKIP = frozenset({"colgroup", "col"})
_DIGIT = re.compile(r"\d")
_CTRL = re.compile("[\x00-\x08\x0e-\x1f]")
_CTRL_B = bytes(range(0, 9)) + bytes(range(14, 32))
_SPAN = re.compile(r"\s*\+?(\d{1,6})")
_MAX_COLS = 1000


def _is_chrome(el, tag: str) -> bool:
    """Page chrome (navigation, header, footer, …) that holds no table with digits."""
    if tag not in _CHROME_TAGS:
        if tag in _CHROME_EXEMPT:
            return False
        ident = el.get("id")
        cls = el.get("class")
        if not ident and not cls:
            return False
        if not _CHROME_WORDS.search(f"{ident or ''} {cls or ''}"):
            return False
    for t in el.iter("table"):   # never drop the report's tables
        if _DIGIT.search("".join(t.itertext())):
            return False
    return True


def _span(v: str | None) -> int:
    """rowspan/colspan attribute → int ≥ 0 (0 = "to the end"); junk → 1."""
    if not v:
        return 1
    m = _SPAN.match(v)
    return int(m.group(1)) if m else 1


def _cell_text(td) -> str:
    if len(td) == 0:
        t = td.text
        return _clean(t) if t else ""
    lines: list[list[str]] = [[]]
    _cell_walk(td, lines)
    out = []
    for parts in lines:
        if parts:
            s = _clean("".join(parts))
            if s:
                out.append(s)
    return "\n".join(out)


def _cell_walk(el, lines: list[list[str]]) -> None:
    t = el.text
    if t:
        lines[-1].append(t)
    for ch in el:
        tag = ch.tag
        if tag.__class__ is not str or tag in _DROP:
            pass
        elif tag in _CELL_BREAK:
            if lines[-1]:
                lines.append([])
            if tag != "br":
                _cell_walk(ch, lines)
                if lines[-1]:
                    lines.append([])
        else:
            _cell_walk(ch, lines)
        t = ch.tail
        if t:
            lines[-1].append(t)


def _rows_into(container, rows: list, stray: list) -> None:
    """Collect the <tr> of a table (through thead/tbody/tfoot/form) and content outside cells."""
    t = container.text
    if t and not t.isspace():
        stray.append(t)
    for ch in container:
        tag = ch.tag
        if tag == "tr":
            cells = []
            t = ch.text
            if t and not t.isspace():
                stray.append(t)
            for c in ch:
                ctag = c.tag
                if ctag == "td" or ctag == "th":
                    cells.append(c)
                elif ctag.__class__ is str and ctag not in _DROP:
                    stray.append(c)
                t = c.tail
                if t and not t.isspace():
                    stray.append(t)
            rows.append(cells)
        elif tag in _TABLE_PARTS:
            _rows_into(ch, rows, stray)
        elif tag.__class__ is not str or tag in _TABLE_SKIP or tag in _DROP:
            pass
        elif tag == "caption":
            stray.append(ch)
        elif next(ch.iter("tr"), None) is not None:   # e.g. a <form> wrapping the rows
            _rows_into(ch, rows, stray)
        else:
            stray.append(ch)
        t = ch.tail
        if t and not t.isspace():
            stray.append(t)


def _is_layout(tbl) -> bool:
    """A table that contains another table, or has at most one cell."""
    it = tbl.iter("table")
    next(it)  # the table itself
    if next(it, None) is not None:
        return True
    it = tbl.iter("td", "th")
    return next(it, None) is None or next(it, None) is None


def _grid(tbl, index: int, blocks: list) -> Table | None:
    """A data table → Table (None if it has no text). Content outside cells goes to `blocks`."""
    rows: list[list] = []
    stray: list = []
    _rows_into(tbl, rows, stray)
    for el in stray:
        if el.__class__ is str:
            s, line = _clean(el), tbl.sourceline
        else:
            s, line = _cell_text(el).replace("\n", " "), el.sourceline
        if s:
            blocks.append(Paragraph(s, Where(line)))
    n_rows = len(rows)
    # place cells (source-row coordinates). busy[c] = first row where column c is free again.
    busy: list[int] = []
    placed: list[Cell] = []
    width_multi = width_any = 0
    for r, cells in enumerate(rows):
        c = 0
        nb = len(busy)
        for td in cells:
            while c < nb and busy[c] > r:
                c += 1
            if len(td):
                text = _cell_text(td)
            else:
                text = td.text
                text = _clean(text) if text else ""
            rs = td.get("rowspan")
            cs = td.get("colspan")
            if rs is None and cs is None:
                placed.append(Cell(text, r, c, 1, 1, Where(None, index, r, c)))
                if c < nb:
                    busy[c] = r + 1
                else:
                    busy.append(r + 1)
                    nb += 1
                c += 1
                continue
            rs = _span(rs)
            if rs == 0 or r + rs > n_rows:
                rs = n_rows - r
            cs = min(_span(cs) or 1, _MAX_COLS)
            placed.append(Cell(text, r, c, rs, cs, Where(None, index, r, c)))
            end = c + cs
            if end > nb:
                busy.extend([0] * (end - nb))
                nb = end
            for cc in range(c, end):
                busy[cc] = r + rs
            c = end
        if len(cells) >= 2:
            if c > width_multi:
                width_multi = c
        elif c > width_any:
            width_any = c
    if not placed or not any(cell.text for cell in placed):
        return None
    # width: rows with two or more cells decide; a lone (title) cell cannot widen the table
    width = min(width_multi or width_any, _MAX_COLS)
    # rows with no cells are dropped; the spans covering them shrink
    if all(rows):
        n_out = n_rows
    else:
        kept = [0] * (n_rows + 1)
        for r in range(n_rows):
            kept[r + 1] = kept[r] + (1 if rows[r] else 0)
        n_out = kept[n_rows]
        for cell in placed:
            r = cell.row
            cell.rowspan = kept[r + cell.rowspan] - kept[r]
            cell.row = cell.where.row = kept[r]
    grid: list[list[Cell | None]] = [[None] * width for _ in range(n_out)]
    for cell in placed:
        r = cell.row
        c = cell.col
        if c >= width:
            continue
        if cell.rowspan == 1 and cell.colspan == 1:
            line = grid[r]
            if line[c] is None:
                line[c] = cell
            continue
        if c + cell.colspan > width:
            cell.colspan = width - c
        for line in grid[r:r + cell.rowspan]:
            for cc in range(c, c + cell.colspan):
                if line[cc] is None:
                    line[cc] = cell
    return Table(grid, index, Where(None, index))


# --------------------------------------------------------------------------------------------
# the walk


def _walk(root) -> list:
    blocks: list = []
    buf: list[str] = []
    first_line = [None]
    n_tables = [0]

    def flush() -> None:
        s = _clean("".join(buf))
        buf.clear()
        if s:
            blocks.append(Paragraph(s, Where(first_line[0])))

    def visit(el, block: bool) -> None:
        if block and buf:
            flush()
        t = el.text
        if t:
            if buf or not t.isspace():
                if not buf:
                    first_line[0] = el.sourceline
                buf.append(t)
        for ch in el:
            tag = ch.tag
            if tag.__class__ is not str or tag in _DROP:
                pass
            elif tag == "br":
                if buf:
                    flush()
            elif tag in _BLOCK:
                if (tag in _CHROME_TAGS or ch.get("class") is not None or ch.get("id") is not None) \
                        and _is_chrome(ch, tag):
                    if buf:
                        flush()
                    for h in ch.iter("h1"):   # a title inside a page header is kept
                        s = _clean("".join(h.itertext()))
                        if s:
                            blocks.append(Paragraph(s, Where(h.sourceline)))
                elif tag == "table" and not _is_layout(ch):
                    if buf:
                        flush()
                    table = _grid(ch, n_tables[0], blocks)
                    if table is not None:
                        blocks.append(table)
                        n_tables[0] += 1
                else:
                    visit(ch, True)
            elif (ch.get("class") is not None or ch.get("id") is not None) and _is_chrome(ch, tag):
                pass
            else:
                visit(ch, False)
            t = ch.tail
            if t:
                if buf or not t.isspace():
                    if not buf:
                        first_line[0] = ch.sourceline
                    buf.append(t)
        if block and buf:
            flush()

    visit(root, True)
    if buf:
        flush()
    return blocks


def _no_text() -> ReadError:
    return ReadError("no-text", "网页内容为空，没有可读取的文字；请确认保存的是报告正文页面。",
                     "the page has no readable text; check that the saved page is the report itself.")


def read(data: bytes, source: Source) -> Document:
    text, enc = decode(data)
    source.encoding = enc
    head = data[:4096]
    if "\ufffd" in text or len(head.translate(None, _CTRL_B)) < len(head):
        bad = text.count("\ufffd") + len(_CTRL.findall(text, 0, 4096))
        if bad > max(8, len(text) // 20):
            raise ReadError("no-text", "网页内容无法解码为文字（像是二进制或已损坏的数据）；请重新下载或保存网页。",
                            "the page content does not decode to text (it looks like binary or damaged "
                            "data); download or save the page again.")
    if enc == "utf-8" and not data.startswith(b"\xef\xbb\xbf") and b"\x00" not in data:
        raw = data
    else:
        raw = text.replace("\x00", "").encode("utf-8")
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              no_network=True, collect_ids=False)
    try:
        root = etree.fromstring(raw, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError("html-damaged", f"网页结构损坏，无法解析（{e}）；请重新下载或保存网页。",
                        f"the page is damaged and cannot be parsed ({e}); download or save it again.") \
            from None
    if root is None:
        raise _no_text()
    blocks = _walk(root)
    if not blocks:
        raise _no_text()
    return Document(source, blocks)
