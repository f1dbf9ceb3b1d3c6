"""HTML reader: a portal page (or a saved report page) → `Document`.

Encoding: a byte-order mark wins, then a ``<meta charset>`` / ``<meta http-equiv content="…charset=…">``
declaration (GBK / GB2312 are read as GB18030, their superset; but bytes that are valid UTF-8
under a GB declaration are UTF-8: a page saved from a server that sent UTF-8 keeps its old meta),
then strict UTF-8, then GB18030.
The encoding used is stored in ``source.encoding``.

The page is parsed once with lxml's HTML parser (``huge_tree``: nesting up to 2048 levels; if
the parser stops early at a limit, a ``html-truncated`` `Problem` says so) and walked once, with
an explicit stack:

* ``script``, ``style``, ``noscript``, ``template``, ``head`` and comments produce nothing;
* obvious page chrome is skipped — ``nav`` / ``header`` / ``footer`` elements and elements whose
  id or class contains nav, menu, breadcrumb, crumb, footer, header, topbar, sidebar, share or
  toolbar — unless it contains a ``<table>`` with digits (a report table is never dropped).
  An ``<h1>`` inside skipped chrome is still kept (it is often the report's title), and so is an
  ``<h2>``/``<h3>`` or an element whose class or id says title (title, tit) when its text names
  a report (报告);
* all other visible text becomes `Paragraph` blocks in document order: block elements (p, div,
  h1–h6, li, td of layout tables, …) and ``<br>`` end a paragraph. Whitespace (including
  ``&nbsp;`` and U+3000) collapses to one space; a source line break between two CJK characters
  disappears (as browsers render it). A paragraph's `Where.line` is the source line of the
  element its text starts in;
* a ``<table>`` that contains another table, or has at most one cell, is a LAYOUT table: it is
  not emitted; its content is walked like any other block content. Every other table becomes
  a `Table`: rowspan/colspan are resolved (spans are clamped to the table's size), rows with no
  cells are dropped, ``<br>`` and block elements inside a cell become "\\n", whitespace collapses
  per line. A table with no text at all is not emitted. A ``<caption>`` (and any stray text
  between rows) becomes a paragraph before the table. A table with a cell of more than 1000
  characters is a layout table too (a page column holding the report, not a table cell);
  Word's "save as web page" spacers are dropped: an empty ``<td width=0>`` and a ``<tr height=0>``
  of empty cells. Word's downlevel-revealed conditionals (``<![if !supportLists]>一、<![endif]>``)
  keep their content (libxml2 drops only the markers); ``<!--[if gte mso 9]>`` blocks are comments;
* ``<pre>`` (and xmp/listing/plaintext/textarea) keeps its lines: one paragraph per source line.

A page cut inside a tag ("…>2</") loses the tag's start (it is no text); a page that ends inside a
tag or an opened cell is cut (`readers.open_end`): its last value is not read.

A single-file web page (MHTML, ``MIME-Version:`` first: Word's 单个文件网页 and the "Word" files
OA systems export as .doc) is read through its HTML part (quoted-printable/base64 and the part's
charset decoded).

Pictures: an ``<img>`` outside chrome and data tables that is not drawn smaller than 100 px counts.
When a statistics table (表二/表三/表四) is in no data table and OCR is on (readers/ocr), the pictures
are read by OCR and what holds a table is put where the picture stood (readers/ocr/picture.py:
provenance `image` + `bbox`, the OCR trust rules): a ``data:`` URI, a part of a single-file web page
(MHTML, by Content-Location or ``cid:``), or — for a page read from disk (`Source.folder`) — a file
beside the page or below its folder (never outside it, never from the web). Otherwise, with fewer than
three data tables or a statistics table missing, a `Problem` "tables-as-images" says the tables are
pictures that need OCR (naming how to get it) or a text version.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

from .. import limits
from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError
from .docx import images_problem, pictures_wanted

# --------------------------------------------------------------------------------------------
# encoding

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""\s*<\?xml\b[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB = {"gbk", "gb2312", "gb_2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn", "euccn",
       "hz-gb-2312", "csgb2312", "chinese", "iso-ir-58", "windows-936", "ms936"}
_LATIN = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data, 0, 8192)
    if not m:
        m = _XML_ENCODING.match(data)
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
    latin = declared == "latin"
    if latin:
        # Chinese portals that declare Latin-1 usually serve UTF-8 or GBK; Latin-1 never fails,
        # so only use it when the bytes are neither.
        declared = None
    if declared == "gb18030" and not data.isascii():
        # a page saved from a server that sent "charset=utf-8" in its HTTP header keeps its
        # gb2312 <meta>: bytes that are valid UTF-8 are UTF-8 (GBK text practically never is)
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError, ValueError):   # wrong declaration, or not a text codec
            declared = None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few bad bytes (a download cut mid-character, one stray byte) stays UTF-8:
    # read as GB18030 it would turn into mojibake. GBK text read as UTF-8 is mostly errors.
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad   # valid non-ASCII characters
    if good >= 10 * bad:
        return text, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    if latin:
        return data.decode("windows-1252", "replace"), "windows-1252"
    return data.decode("gb18030", "replace"), "gb18030"


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
    # fast path: a chain of single wrappers (<td><p><span>12</span></p></td>, Word's
    # <span>12<o:p></o:p></span>) with nothing beside them is one line of text
    el = td
    while True:
        n = len(el)
        if n == 0:
            t = el.text
            return _clean(t) if t else ""
        if n > 1:
            break
        ch = el[0]
        tag = ch.tag
        if tag.__class__ is not str or tag == "br" or tag in _DROP:
            break
        t = ch.tail
        if t and not t.isspace():
            break
        t = el.text
        if t and not t.isspace():
            if len(ch) == 0 and not ch.text and tag not in _CELL_BREAK:   # text + empty inline tag
                return _clean(t)
            break
        el = ch
    lines: list[list[str]] = [[]]
    try:
        _cell_walk(td, lines)
    except RecursionError:   # absurdly deep markup inside one cell: keep its text, lose the breaks
        return _clean("".join(td.itertext()))
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
            if ch.get("height") == "0" and not any(len(c) or (c.text or "").strip() for c in cells):
                cells = []      # Word's row of column widths (<tr height=0>, empty cells)
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


_ROW_PARTS = frozenset({"tr", "thead", "tbody", "tfoot"})
_UNCLOSED = frozenset({"table", "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "ul", "ol", "section",
                       "article", "blockquote", "pre", "center", "dl", "form", "hr"})


def _close_unclosed_tables(root) -> None:
    """A missing ``</table>``: libxml2 keeps what follows (headings, paragraphs, the next table)
    inside the open table — after its last row outside any cell, or, when the last ``<td>`` was
    not closed either, inside that cell after its value. Move that trailing content out, right
    after the table, so the table stays a data table and the rest is read in order."""
    for tbl in list(root.iter("table")):
        for container in [tbl, *(c for c in tbl if c.tag in _TABLE_PARTS)]:
            kids = list(container)
            last_row = max((i for i, c in enumerate(kids) if c.tag in _ROW_PARTS), default=-1)
            if last_row < 0:
                continue
            start = next((i for i in range(last_row + 1, len(kids)) if kids[i].tag in _UNCLOSED), None)
            if start is not None:
                _move_after(tbl, kids[start:])
            elif kids[last_row].tag == "tr":
                _spill_last_cell(tbl, kids[last_row])


def _move_after(tbl, elements) -> None:
    anchor = tbl
    for el in elements:
        anchor.addnext(el)
        anchor = el


def _spill_last_cell(tbl, tr) -> None:
    """The last cell holds its value and then the rest of the page: a data table (3 rows or more
    of 2 cells or more) whose ``</td></tr></table>`` are all missing. A layout table's cell holds
    the page from its start, with no value before it, and is left alone."""
    cells = [c for c in tr if c.tag in ("td", "th")]
    if not cells:
        return
    cell = cells[-1]
    kids = list(cell)
    start = next((i for i, c in enumerate(kids) if c.tag in _UNCLOSED), None)
    if start is None or not any(c.tag == "table" or next(c.iter("table"), None) is not None for c in kids[start:]):
        return
    before = (cell.text or "") + "".join((c.text or "") + (c.tail or "") for c in kids[:start])
    if not before.strip() or len(before.strip()) > 40:
        return
    rows = [r for r in tbl.iter("tr") if r.getparent() is tr.getparent()]
    if sum(1 for r in rows if sum(1 for c in r if c.tag in ("td", "th")) >= 2) < 3:
        return
    _move_after(tbl, kids[start:])


def _is_layout(tbl) -> bool:
    """A table that contains another table, or has at most one cell."""
    it = tbl.iter("table")
    next(it)  # the table itself
    if next(it, None) is not None:
        return True
    it = tbl.iter("td", "th")
    return next(it, None) is None or next(it, None) is None


_LAYOUT = object()
_LONG_CELL = 1000   # a cell with more text than this is a page column, not a table cell


def _grid(tbl, index: int, blocks: list):
    """A data table → Table; None if it has no text; _LAYOUT if a cell holds a whole page.

    Content outside the cells (a caption, stray text) goes to `blocks` first.
    """
    rows: list[list] = []
    stray: list = []
    _rows_into(tbl, rows, stray)
    n_rows = len(rows)
    # One pass: place each cell at the first free position of its row and fill every position
    # its spans cover (rows are lists that grow; None = not covered).
    grid: list[list[Cell | None]] = [[] for _ in range(n_rows)]
    width_multi = width_any = 0
    any_text = False
    for r, cells in enumerate(rows):
        line = grid[r]
        n = len(line)
        c = 0
        for td in cells:
            while c < n and line[c] is not None:
                c += 1
            if len(td):
                text = _cell_text(td)
            else:
                text = td.text
                if text:
                    if not text.isprintable() or " " in text:
                        text = _clean(text)
                else:
                    text = ""
                if not text and td.get("width") == "0":
                    continue    # Word's spacer cell (<td width=0 style='border:none'>) at a row's end
            if text:
                any_text = True
                if len(text) > _LONG_CELL:
                    return _LAYOUT
            rs = td.get("rowspan")
            cs = td.get("colspan")
            if rs is None and cs is None:
                cell = Cell(text, r, c, 1, 1, Where(None, index, r, c))
                if c < n:
                    line[c] = cell
                else:
                    line.append(cell)
                    n += 1
                c += 1
                continue
            rs = _span(rs)
            if rs == 0 or r + rs > n_rows:
                rs = n_rows - r
            cs = min(_span(cs) or 1, _MAX_COLS)
            # broken markup can make spans overlap: keep only the rectangle that is still free
            end = c + 1
            while end < c + cs and (end >= n or line[end] is None):
                end += 1
            cs = end - c
            for rr in range(r + 1, r + rs):
                other = grid[rr]
                if any(other[cc] is not None for cc in range(c, min(end, len(other)))):
                    rs = rr - r
                    break
            cell = Cell(text, r, c, rs, cs, Where(None, index, r, c))
            for other in grid[r:r + rs]:
                if len(other) < end:
                    other.extend([None] * (end - len(other)))
                for cc in range(c, end):
                    other[cc] = cell
            n = len(line)
            c = end
        if len(cells) >= 2:
            if c > width_multi:
                width_multi = c
        elif c > width_any:
            width_any = c
    for el in stray:
        if el.__class__ is str:
            st, line = _clean(el), tbl.sourceline
        else:
            st, line = _cell_text(el).replace("\n", " "), el.sourceline
        if st:
            blocks.append(Paragraph(st, Where(line)))
    if not any_text:
        return None
    # width: rows with two or more cells decide; a lone (title) cell cannot widen the table
    width = min(width_multi or width_any, _MAX_COLS)
    for line in grid:
        n = len(line)
        if n < width:
            line.extend([None] * (width - n))
        elif n > width:
            for cell in line[width:]:
                if cell is not None and cell.col < width:
                    cell.colspan = width - cell.col
            del line[width:]
    if not all(rows):
        # rows with no cells are dropped; the spans covering them shrink, later rows move up
        kept = [0] * (n_rows + 1)
        for r in range(n_rows):
            kept[r + 1] = kept[r] + (1 if rows[r] else 0)
        done = set()
        for line in grid:
            for cell in line:
                if cell is not None and id(cell) not in done:
                    done.add(id(cell))
                    r = cell.row
                    cell.rowspan = kept[r + cell.rowspan] - kept[r]
                    cell.row = cell.where.row = kept[r]
        grid = [line for line, cells in zip(grid, rows) if cells]
    return Table(grid, index, Where(None, index))


# --------------------------------------------------------------------------------------------
# the walk


_PRE = frozenset({"pre", "xmp", "listing", "plaintext", "textarea"})


def _pre(el, blocks: list) -> None:
    """Preformatted text: every source line is its own paragraph."""
    lines: list[list[str]] = [[]]
    try:
        _cell_walk(el, lines)
    except RecursionError:
        lines = [["".join(el.itertext())]]
    text = "\n".join("".join(parts) for parts in lines)
    first = el.sourceline or 1
    if text.startswith("\n"):      # a newline right after <pre> is not content
        text = text[1:]
        first += 1
    for i, line in enumerate(text.split("\n")):
        s = _WS.sub(" ", line.translate(_ZW)).strip()
        if s:
            blocks.append(Paragraph(s, Where(first + i)))


_TITLE_WORDS = re.compile(r"title|\btit\b", re.I)
# where a title sits in an article header (menus are ul/li/a: not walked)
_TITLE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "div", "p", "span", "td", "th", "strong", "b",
               "font", "section", "header")
_HEADINGS = frozenset({"h1", "h2", "h3"})


def _chrome_titles(el, blocks: list) -> None:
    """The report's title inside skipped chrome (an article header): an <h1>, or an <h2>/<h3> or
    an element whose class or id says title, whose text names a report."""
    last = None
    for h in el.iter(_TITLE_TAGS):
        tag = h.tag
        if tag not in _HEADINGS:
            ident = h.get("class")
            i2 = h.get("id")
            if i2:
                ident = f"{ident} {i2}" if ident else i2
            if not ident or not _TITLE_WORDS.search(ident):
                continue
        s = _clean("".join(h.itertext()))
        if s and s != last and (tag == "h1" or ("报告" in s and len(s) <= 100)):
            blocks.append(Paragraph(s, Where(h.sourceline)))
            last = s


def _is_icon(img) -> bool:
    """An image drawn smaller than 100 px in either dimension (an icon, a badge, a spacer)."""
    for k in ("width", "height"):
        m = _SPAN.match(img.get(k) or "")
        if m and int(m.group(1)) < 100:
            return True
    return False


def _walk(root, pics: list | None = None) -> tuple[list, int]:
    """One pass over the tree (an explicit stack: pages can nest ~2000 levels deep).

    Returns the blocks and the number of content images (not icons, not in chrome or data tables);
    `pics` gets (blocks index it stands before, src, drawn width in CSS px or None, source line) of each."""
    blocks: list = []
    n_images = 0
    buf: list[str] = []
    first_line = 0
    n_tables = 0
    stack: list[tuple] = []

    def flush() -> None:
        s = _clean("".join(buf))
        buf.clear()
        if s:
            blocks.append(Paragraph(s, Where(first_line)))

    def enter(el, block: bool) -> None:
        nonlocal first_line
        if block and buf:
            flush()
        t = el.text
        if t and (buf or not t.isspace()):
            if not buf:
                first_line = el.sourceline
            buf.append(t)
        stack.append((iter(el), el, block))

    enter(root, True)
    while stack:
        it, el, block = stack[-1]
        for ch in it:
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
                    _chrome_titles(ch, blocks)
                elif tag == "table" and not _is_layout(ch):
                    limits.check_time()
                    if buf:
                        flush()
                    table = _grid(ch, n_tables, blocks)
                    if table is _LAYOUT:
                        enter(ch, True)
                        break
                    if table is not None:
                        blocks.append(table)
                        n_tables += 1
                elif tag in _PRE:
                    if buf:
                        flush()
                    _pre(ch, blocks)
                elif len(ch) == 0:      # a leaf block: one paragraph at most, no descent
                    if buf:
                        flush()
                    t = ch.text
                    if t and (s := _clean(t)):
                        blocks.append(Paragraph(s, Where(ch.sourceline)))
                else:
                    enter(ch, True)
                    break
            elif (ch.get("class") is not None or ch.get("id") is not None) and _is_chrome(ch, tag):
                pass
            elif tag == "img":
                if not _is_icon(ch):
                    n_images += 1
                    if pics is not None and ch.get("src"):
                        m = _SPAN.match(ch.get("width") or "")
                        pending = bool(buf) and bool(_clean("".join(buf)))     # the paragraph it is in comes first
                        pics.append((len(blocks) + pending, ch.get("src"), int(m.group(1)) if m else None,
                                     ch.sourceline))
            else:
                enter(ch, False)
                break
            t = ch.tail
            if t and (buf or not t.isspace()):
                if not buf:
                    first_line = ch.sourceline
                buf.append(t)
        else:
            stack.pop()
            if block and buf:
                flush()
            if stack:
                t = el.tail
                if t and (buf or not t.isspace()):
                    if not buf:
                        first_line = el.sourceline
                    buf.append(t)
    if buf:
        flush()
    return blocks, n_images


def _ocr_on() -> bool:
    from . import ocr
    return ocr.enabled()


def _no_text() -> ReadError:
    return ReadError("no-text", "网页内容为空，没有可读取的文字；请确认保存的是报告正文页面。",
                     "the page has no readable text; check that the saved page is the report itself.")


def _mhtml_html(data: bytes) -> bytes | None:
    """The HTML part of a single-file web page (MHTML: Word's 单个文件网页, OA systems' "Word"
    exports), re-encoded as UTF-8 with a BOM; None if there is none."""
    import email
    import email.policy
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() in ("text/html", "application/xhtml+xml"):
                body = part.get_payload(decode=True)
                if not body:
                    continue
                charset = part.get_content_charset()
                if charset in _GB:
                    charset = "gb18030"
                if charset:
                    try:
                        return b"\xef\xbb\xbf" + body.decode(charset).encode("utf-8")
                    except (LookupError, UnicodeDecodeError):
                        pass
                return body
    except (ValueError, TypeError, LookupError, IndexError):
        return None
    return None


def is_mhtml(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:13].lower() == b"mime-version:"


def page_bytes(data: bytes) -> bytes:
    """The web page itself: the HTML part of a single-file web page (MHTML), else the bytes."""
    return (_mhtml_html(data) or data) if is_mhtml(data) else data


def read(data: bytes, source: Source) -> Document:
    original = data                  # a single-file web page keeps its pictures as parts
    if is_mhtml(data):
        inner = _mhtml_html(data)
        if inner is None:
            raise ReadError("no-text", "这是单个文件网页（MHT），其中没有网页正文；请提供 Word、PDF 或网页版本。",
                            "this is a single-file web page (MHT) without an HTML part; provide the Word, PDF "
                            "or web version.")
        data = inner
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
    lt = raw.rfind(b"<")
    if lt > raw.rfind(b">"):
        raw = raw[:lt]          # a page cut inside a tag ("…2</"): the tag's start is no text
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              no_network=True, collect_ids=False, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError("html-damaged", f"网页结构损坏，无法解析（{e}）；请重新下载或保存网页。",
                        f"the page is damaged and cannot be parsed ({e}); download or save it again.") \
            from None
    if root is None:
        raise _no_text()
    n_elements = sum(1 for _ in root.iter())
    if n_elements > limits.MAX_HTML_ELEMENTS:
        raise limits.too_complex(f"网页有 {n_elements} 个元素，超过 {limits.MAX_HTML_ELEMENTS} 个的上限",
                                 f"the page has {n_elements} elements, over the limit of {limits.MAX_HTML_ELEMENTS}")
    limits.check_time()
    _close_unclosed_tables(root)
    pics: list = []
    blocks, n_images = _walk(root, pics)
    last = parser.error_log.last_error
    # a fatal error stops libxml2 (e.g. tags nested deeper than 2048 levels): the rest is lost
    fatal = last is not None and last.level == etree.ErrorLevels.FATAL
    if fatal:
        why_zh = "标签嵌套过深" if "depth" in last.message else "结构异常"
        why_en = last.message.strip()
    if not blocks and not (pics and _ocr_on()):      # a page of pictures only: OCR may read them
        if fatal:
            raise ReadError("html-damaged",
                            f"网页{why_zh}，解析在第 {last.line} 行中止，没有读到文字；请重新下载或保存网页。",
                            f"the page is damaged ({why_en}); parsing stopped at line {last.line} "
                            "before any text; download or save the page again.")
        raise _no_text()
    problems = []
    record = None
    if n_images:
        from .ocr.picture import missing_tables
        missing = missing_tables(blocks) if pics else []
        ocr_ran = False
        if pictures_wanted(missing, sum(1 for b in blocks if b.__class__ is Table)):
            from . import ocr
            if ocr.enabled():
                from .html_pictures import pictures
                from .ocr.picture import splice
                blocks, record, more = splice(blocks, pictures(pics, source, original))
                problems.extend(more)
                ocr_ran = True
                missing = missing_tables(blocks)
        p = images_problem(n_images, sum(1 for b in blocks if b.__class__ is Table), page=True, missing=missing,
                           ocr_ran=ocr_ran)
        if p is not None:
            problems.append(p)
    if not blocks:
        raise _no_text()
    if fatal:
        problems.append(Problem(
            "html-truncated",
            f"网页{why_zh}，解析在第 {last.line} 行中止，其后的内容未能读取；"
            "请检查网页是否完整，或改用 Word/PDF 版本。",
            f"the page is damaged ({why_en}); parsing stopped at line {last.line} and the rest "
            "was not read; check the page, or use the Word/PDF version.",
            Where(line=last.line)))
    doc = Document(source, blocks, problems)
    doc.ocr = record or None
    return doc
