"""Mutation of real layouts: change ONE printed number of 表三/表四 in the file itself (not in the
extracted report), read the file again and run the checks.

Every input we have — real exports (tests/data/real), the seeds, the layout fixtures — is mutated
where its number is printed:

* text: the number's token on the cell's line (`where.line`), found among the line's standalone
  numbers in column order; a blanked cell on a line of its own between blank lines (the
  blank-separated layout) loses its line;
* DOCX (word/document.xml) and HTML: the text node holding only the number (`<w:t>5</w:t>`,
  `<td>5</td>`); which node is which cell is found by one probe read in which every such node
  holds a distinct number;
* PDF: the number's words inside the cell's box are removed (redaction, text only) and the new
  number is written at the same baseline and size.

Kinds: `delta` (±1…3), `swap` (two digits exchanged), `blank` (a non-zero cell emptied), `zero_total`
(0 written for a non-zero total). Only mutations that break an identity H1–H4 evaluable on the
unmutated file count. For each: was the mutated cell read with its new printed value (`read`), or
did the reader give it up (`swallowed`: missing or inferred) or read another value (`misread`,
a wrong value), were other cells read with another value (`collateral`, wrong values) or no longer
read (`lost`), and is an error-level finding on the cell (`caught`)? Unmutated files must have no H-error they do not really have.
"""
from __future__ import annotations

import copy
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.checks import run_checks
from nianbao.checks.identities import evaluable
from nianbao.errors import ReadError
from nianbao.extract import extract
from nianbao.formats import FORMATS
from nianbao.readers import read_bytes
from nianbao.readers.text.encoding import decode_checked, normalize_lines
from nianbao.report import BLANK, INFERRED, MISSING, READ

ROOT = Path(__file__).resolve().parent
KINDS = ("delta", "swap", "blank", "zero_total")
SOURCES = {           # layout class → files
    "real_text": sorted((ROOT / "data/real").glob("*.txt")),
    "real_pdf": sorted((ROOT / "data/real").glob("*.pdf")),
    "real_docx": sorted((ROOT / "data/real").glob("*.docx")),
    "seeds_text": sorted((ROOT / "data/seeds").glob("*.txt")),
    "text_layouts": sorted((ROOT / "fixtures/text_layouts").glob("*.*")),
    "docx_layouts": sorted(p for p in (ROOT / "fixtures/docx_layouts").glob("*.docx") if p.name != "legacy.docx"),
    "html_layouts": sorted((ROOT / "fixtures/html_layouts").glob("*.html")),
    "pdf_layouts_docx": sorted((ROOT / "fixtures/pdf_layouts").glob("*.docx")),
    "pdf_layouts_pdf": sorted((ROOT / "fixtures/pdf_layouts").glob("*.pdf")),
    "web_print_html": sorted((ROOT / "fixtures/web_print").glob("*.html")),
    "web_print_pdf": sorted((ROOT / "fixtures/web_print").glob("*.pdf")),
    "pdf_bench": sorted((ROOT / "fixtures/pdf_bench").glob("*.pdf")),
}
Key = tuple[str, str, str]
# random valid reports rendered in the layouts of real text exports (bench/real_layouts.py) and by the
# project's own renderers, half of them with every zero of 表三/表四 printed blank (`generated`)
GENERATED = ("gen_separator", "gen_pipe_rows", "gen_pipe_spans", "gen_markdown", "gen_markdownify",
             "gen_text", "gen_html", "gen_docx")


# ------------------------------------------------------------------ reading
def read_report(data: bytes, name: str):
    try:
        return extract(read_bytes(data, name))
    except ReadError:
        return None


def table_cells(rep) -> list[Key]:
    """表三/表四 cells in template order (rows, then columns)."""
    spec = FORMATS[rep.format]
    out = []
    for t in ("t3", "t4"):
        ts = spec.table(t)
        for r in ts.rows:
            for c in ts.columns_of(r.key):
                if (t, r.key, c.key) in rep.cells:
                    out.append((t, r.key, c.key))
    return out


def is_total(key: Key) -> bool:
    return key[2] == "total" or key[1] == "total"


# ------------------------------------------------------------------ editing the file
_NUM = r"[+\-]?[0-9][0-9,]*(?:\.[0-9]+)?"
_TOKEN = re.compile(r"(?<![^\s|\u3000])" + _NUM + r"(?![^\s|\u3000])")


class TextFile:
    """A text export: the number's token on its line."""

    def __init__(self, data: bytes, name: str):
        text, _, _ = decode_checked(data, name)
        self.lines = normalize_lines(text).split("\n")

    def locate(self, rep) -> dict[Key, tuple]:
        by_line: dict[int, list[Key]] = {}
        for k in table_cells(rep):
            cv = rep.cells[k]
            if cv.status == READ and cv.where is not None and cv.where.line:
                by_line.setdefault(cv.where.line, []).append(k)
        out = {}
        for ln, keys in by_line.items():
            if ln > len(self.lines):
                continue
            toks = list(_TOKEN.finditer(self.lines[ln - 1]))
            if len(toks) < len(keys):
                continue
            toks = toks[len(toks) - len(keys):]        # the values stand after the labels
            if all(m.group() == (rep.cells[k].raw or "").strip() for m, k in zip(toks, keys)):
                for m, k in zip(toks, keys):
                    out[k] = (ln - 1, m.start(), m.end())
        return out

    def apply(self, loc, new: str) -> bytes:
        i, a, b = loc
        lines = list(self.lines)
        s = lines[i][:a] + new + lines[i][b:]
        alone = not s.strip() and "\t" not in s
        if new == "" and alone and 0 < i < len(lines) - 1 and not lines[i - 1].strip() and not lines[i + 1].strip():
            del lines[i]                # blank-separated cells: one more blank line is the empty cell
        else:
            lines[i] = s
        return "\n".join(lines).encode("utf-8")

    def unchanged(self) -> bytes:
        return "\n".join(self.lines).encode("utf-8")


class NodeFile:
    """DOCX (word/document.xml) or HTML: text nodes holding only a number."""

    DOCX_NODE = re.compile(rb"(<w:t(?:\s[^>]*)?>)(\s*" + _NUM.encode() + rb"\s*)(</w:t>)")
    HTML_NODE = re.compile(rb"(>)((?:\s|&nbsp;|&#160;)*" + _NUM.encode() + rb"(?:\s|&nbsp;|&#160;)*)(<)")

    def __init__(self, data: bytes, name: str):
        self.name = name
        self.docx = name.endswith(".docx")
        if self.docx:
            zin = zipfile.ZipFile(io.BytesIO(data))
            self.members = [(i, zin.read(i)) for i in zin.infolist()]
            self.xml = next(b for i, b in self.members if i.filename == "word/document.xml")
        else:
            self.xml = data
        pat = self.DOCX_NODE if self.docx else self.HTML_NODE
        self.nodes = [(m.start(2), m.end(2), m.group(2)) for m in pat.finditer(self.xml)]

    def _with(self, edits: dict[int, bytes]) -> bytes:
        out, at = [], 0
        for i, (a, b, _) in enumerate(self.nodes):
            if i in edits:
                out += [self.xml[at:a], edits[i]]
                at = b
        out.append(self.xml[at:])
        xml = b"".join(out)
        if not self.docx:
            return xml
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info, blob in self.members:
                z.writestr(info, xml if info.filename == "word/document.xml" else blob)
        return buf.getvalue()

    def locate(self, rep) -> dict[Key, int]:
        probes = {i: 1000 + 37 * i for i in range(len(self.nodes))}   # distinct, never consecutive
        probed = read_report(self._with({i: str(v).encode() for i, v in probes.items()}), self.name)
        if probed is None:
            return {}
        node_of = {v: i for i, v in probes.items()}
        out = {}
        for k in table_cells(rep):
            cv, pv = rep.cells[k], probed.cells.get(k)
            if cv.status != READ or pv is None or pv.status != READ or pv.value not in node_of:
                continue
            i = node_of[pv.value]
            if self.nodes[i][2].replace(b"&nbsp;", b"").replace(b"&#160;", b"").strip().decode() == (cv.raw or "").strip():
                out[k] = i
        return out

    def apply(self, loc, new: str) -> bytes:
        return self._with({loc: new.encode()})

    def unchanged(self) -> bytes:
        return self._with({})


class PdfFile:
    """A PDF: the number's words in the cell's box are redacted (text only) and the new number is
    written on the same baseline, same size, right-aligned where the old one ended."""

    def __init__(self, data: bytes, name: str):
        self.data = data

    def locate(self, rep) -> dict[Key, tuple]:
        import pymupdf
        doc = pymupdf.open(stream=self.data, filetype="pdf")
        out = {}
        words = {}
        for k in table_cells(rep):
            cv = rep.cells[k]
            w = cv.where
            if cv.status != READ or w is None or w.page is None or w.bbox is None:
                continue
            if w.page not in words:
                words[w.page] = doc[w.page - 1].get_text("rawdict")
            box = pymupdf.Rect(w.bbox)
            spans = [s for b in words[w.page]["blocks"] for ln in b.get("lines", ()) for s in ln["spans"]
                     if pymupdf.Rect(s["bbox"]).intersects(box)]
            chars = [c for s in spans for c in s["chars"] if pymupdf.Rect(c["bbox"]).intersects(box)
                     and c["c"].strip()]
            text = "".join(c["c"] for c in chars)
            if text != (cv.raw or "").strip() or not chars:
                continue
            s0 = spans[0]
            out[k] = (w.page - 1, tuple(pymupdf.Rect(chars[0]["bbox"]) | pymupdf.Rect(chars[-1]["bbox"])),
                      chars[0]["origin"], chars[-1]["bbox"][2], s0["size"])
        return out

    def apply(self, loc, new: str) -> bytes:
        import pymupdf
        pno, rect, origin, x_end, size = loc
        doc = pymupdf.open(stream=self.data, filetype="pdf")
        page = doc[pno]
        r = pymupdf.Rect(rect)
        page.add_redact_annot(pymupdf.Rect(r.x0 + 0.5, r.y0 + 0.5, r.x1 - 0.5, r.y1 - 0.5))
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        if new:
            width = pymupdf.get_text_length(new, fontname="helv", fontsize=size)
            page.insert_text((x_end - width, origin[1]), new, fontname="helv", fontsize=size)
        return doc.tobytes()

    def unchanged(self) -> bytes:
        return self.data


def editor(data: bytes, name: str):
    if name.endswith(".pdf"):
        return PdfFile(data, name)
    if name.endswith((".docx", ".html", ".htm")):
        return NodeFile(data, name)
    return TextFile(data, name)


# ------------------------------------------------------------------ the mutations
def mutations(rng: random.Random, rep, key: Key, kind: str) -> str | None:
    """The new printed text of `key` for a mutation of `kind`, or None when it does not apply."""
    cv = rep.cells[key]
    v = cv.value
    if not isinstance(v, int):
        return None
    if kind == "delta":
        d = rng.choice([d for d in (-3, -2, -1, 1, 2, 3) if v + d >= 0])
        return str(v + d)
    if kind == "swap":
        s = str(v)
        pairs = [i for i in range(len(s) - 1) if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if kind == "blank":
        return "" if v else None
    if kind == "zero_total":
        return "0" if v and is_total(key) else None
    raise ValueError(kind)


def breaks_evaluable_identity(rep, key: Key) -> bool:
    """Some identity through `key` can be evaluated on the unmutated report (every cell read,
    inferred or blank): a change of this one cell breaks it."""
    return any(key in ident.cells() and evaluable(rep, ident) for ident in FORMATS[rep.format].identities)


def _state(cv):
    return cv.status, cv.value


@dataclass
class Stats:
    n: int = 0                   # mutations that break an evaluable identity
    caught: int = 0              # an error-level finding names the cell
    read: int = 0                # the cell read back with its new printed value
    swallowed: int = 0           # the cell missing/inferred after the mutation
    misread: int = 0             # read with another value (a wrong value)
    collateral: int = 0          # other cells read with another value (wrong values)
    lost: int = 0                # other cells no longer read (missing or inferred)
    unlocated: int = 0           # read cells whose printed place was not found
    files: int = 0
    partial_n: int = 0           # mutations of cells whose identities are all read only in part
    partial_caught: int = 0
    false_errors: list = field(default_factory=list)   # H errors on unmutated files
    misses: list = field(default_factory=list)
    wrong: list = field(default_factory=list)          # misread or collateral: what was read instead

    def add(self, o: "Stats") -> None:
        for f in ("n", "caught", "read", "swallowed", "misread", "collateral", "lost", "unlocated", "files",
                  "partial_n", "partial_caught"):
            setattr(self, f, getattr(self, f) + getattr(o, f))
        self.false_errors += o.false_errors
        self.misses += o.misses
        self.wrong += o.wrong


def h_errors(rep) -> list:
    return [f for f in run_checks(rep) if f.severity == "error" and f.code.startswith("H")]


def run_file(path: Path, per_kind: int, seed: int) -> Stats:
    return run_data(path.name, path.read_bytes(), per_kind, seed)


def run_data(name: str, data: bytes, per_kind: int, seed: int) -> Stats:
    st = Stats(files=1)
    base = read_report(data, name)
    if base is None or base.format not in FORMATS:
        return st
    for f in h_errors(base):
        st.false_errors.append((name, f.code, f.table, f.row, f.col))
    ed = editor(data, name)
    again = read_report(ed.unchanged(), name)
    if again is None or any(_state(again.cells[k]) != _state(cv) for k, cv in base.cells.items()):
        st.misses.append((name, "the unchanged re-encoded file reads differently"))
        return st
    located = ed.locate(base)
    read_cells = [k for k in table_cells(base) if base.cells[k].status == READ]
    st.unlocated = sum(k not in located for k in read_cells)
    rng = random.Random(f"{seed}:{name}")
    full = [k for k in located if breaks_evaluable_identity(base, k)]
    part = [k for k in located if k not in full and in_identity(base, k)]
    for kind in KINDS:
        for cands, partial in ((full, False), (part, True)):
            cands = list(cands)
            rng.shuffle(cands)
            done = 0
            for key in cands:
                if done >= per_kind:
                    break
                new = mutations(rng, base, key, kind)
                if new is not None:
                    done += 1
                    _mutate(st, name, ed, base, located, key, kind, new, partial)
    return st


def in_identity(rep, key: Key) -> bool:
    return any(key in ident.cells() for ident in FORMATS[rep.format].identities)


def _mutate(st: Stats, name: str, ed, base, located, key: Key, kind: str, new: str, partial: bool) -> None:
    """One mutation: read the mutated file, check it, count. `partial`: no identity through the cell
    is read in full (counted apart: `partial_n`, `partial_caught`)."""
    mut = read_report(ed.apply(located[key], new), name)
    if partial:
        st.partial_n += 1
    else:
        st.n += 1
    if mut is None:
        st.swallowed += not partial
        st.misses.append((name, kind, key, new, "unreadable"))
        return
    cv = mut.cells[key]
    if cv.status == (BLANK if new == "" else READ) and (new == "" or cv.value == int(new)):
        st.read += not partial
    elif cv.status in (MISSING, INFERRED):
        st.swallowed += not partial
    else:
        st.misread += 1
        st.wrong.append((name, kind, key, base.cells[key].raw, new, cv.status, cv.value))
    other = [k for k, c in base.cells.items() if k != key and _state(mut.cells[k]) != _state(c)
             and mut.cells[k].status not in (MISSING, INFERRED)]
    st.collateral += bool(other)
    st.lost += any(mut.cells[k].status in (MISSING, INFERRED) and c.status not in (MISSING, INFERRED)
                   for k, c in base.cells.items() if k != key)
    if other:
        st.wrong.append((name, kind, key, base.cells[key].raw, new, "changed too:",
                         [(k, _state(base.cells[k]), _state(mut.cells[k])) for k in other[:3]]))
    errs = [f for f in run_checks(mut) if f.severity == "error"]
    if any(key in f.cells or (f.table, f.row, f.col) == key for f in errs):
        if partial:
            st.partial_caught += 1
        else:
            st.caught += 1
    elif not partial:
        st.misses.append((name, kind, key, base.cells[key].raw, new, cv.status, cv.value,
                          (cv.note or "")[:60], other[:3]))


# ------------------------------------------------------------------ generated reports in real layouts
def _blank_zeros(rep: dict) -> dict:
    rep = copy.deepcopy(rep)
    for t in ("t3", "t4"):
        for cols in rep["tables"][t].values():
            for c, v in cols.items():
                if v == 0:
                    cols[c] = None
    return rep


def _renderers() -> dict:
    """Layout class → report dict → (file name suffix, bytes): the layouts of real text exports
    (bench/real_layouts.py) and the project's own renders."""
    import sys
    sys.path.insert(0, str(ROOT.parent / "bench"))
    import real_layouts as RL
    from nianbao.render.docx import to_docx_bytes
    from nianbao.render.html import to_html
    from nianbao.render.text import to_text
    text = lambda f: (lambda r: (".txt", f(r).encode("utf-8")))
    return {
        "gen_separator": text(RL.separator),
        "gen_pipe_rows": text(RL.pipe_rows),
        "gen_pipe_spans": text(RL.pipe_spans),
        "gen_markdown": lambda r: (".md", RL.markdown(r).encode("utf-8")),
        "gen_markdownify": lambda r: (".md", RL.markdownify(r).encode("utf-8")),
        "gen_text": text(to_text),
        "gen_html": lambda r: (".html", to_html(r).encode("utf-8")),
        "gen_docx": lambda r: (".docx", to_docx_bytes(r)),
    }


def generated(cls: str, n: int, seed: int) -> list[tuple[str, bytes]]:
    """`n` random valid reports (both formats, half with every 表三/表四 zero printed blank) in layout `cls`."""
    from nianbao.synth import random_report
    make = _renderers()[cls]
    rng = random.Random(f"{seed}:{cls}")
    out = []
    for i in range(n):
        rep = random_report(rng, ("2021", "2019")[i % 2], zero_share=rng.choice([0.3, 0.6]))
        blanks = i % 4 >= 2
        if blanks:
            rep = _blank_zeros(rep)
        ext, data = make(rep)
        out.append((f"{cls}_{i}{'_blanks' if blanks else ''}{ext}", data))
    return out


def run_all(per_kind: int = 4, seed: int = 1, classes=None, n_generated: int = 8) -> dict[str, Stats]:
    out = {}
    for cls in (*SOURCES, *GENERATED):
        if classes and cls not in classes:
            continue
        st = Stats()
        files = [(p.name, p.read_bytes()) for p in SOURCES[cls]] if cls in SOURCES else \
            generated(cls, n_generated, seed)
        for name, data in files:
            st.add(run_data(name, data, per_kind, seed))
        out[cls] = st
    return out
