"""Fuzz harness (issue 16 §2): seeded mutations of real-looking reports in all four input kinds,
and the invariants every mutated extraction must keep. Used by tests/test_fuzz.py (a bounded,
deterministic sample in CI) and bench/fuzz.py (thousands of cases, counts printed).

    seeds()                        the unmutated inputs: (name, kind, bytes)
    cases(seed_list, n, rng)       n mutated cases, each a `Case`
    run_cases(cases)               each case extracted in a forked child (peak memory, time limit,
                                   crashes of any kind), judged against the seed's own extraction

A case knows what its mutation touched:

- *preserving* mutations (encodings, line endings, whitespace, full-width digits, a removed
  ``</td>``/``</tr>``/``</table>``) change no printed cell text: every cell keeps its status and
  value, org and year stay (structure removal may only turn a cell ``missing``, never ``blank``
  nor another value);
- *touching* mutations (truncation, byte flips, junk in value cells, duplicated/removed lines)
  may change the cells whose printed text they changed. Which cells those are is found by a
  reference run that replaces every number in the touched region with a unique sentinel number
  (987001, 987002, …): the cells that read a sentinel are the touched cells. Every other cell must
  read its original value, or be ``missing``/``inferred`` to the same value — never another value,
  never ``blank``.

Verdict kinds: crash (an exception other than a clean ReadError), hang (over the per-case wall
time), wrong (a cell read/inferred to a value that is not its printed number; org/year changed
by a mutation that did not touch them), blank (a printed value reported blank), memory (peak RSS
above 20 × input size + 200 MB).
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import select
import signal
import subprocess
import sys
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
SENTINEL = 987001          # numbers a seed never prints
CASE_SECONDS = 30.0        # a case over this wall time is a hang


# ----------------------------------------------------------------------------------------- seeds
def seeds() -> list[tuple[str, str, bytes]]:
    """Every seed report in every kind: the text seeds and the fixtures (the same report as text,
    HTML, DOCX, PDF, and the per-reader layout fixtures)."""
    out = []
    pats = [("tests/data/seeds", "*.txt"), ("tests/fixtures/same_report", "*"),
            ("tests/fixtures/html_layouts", "*.html"), ("tests/fixtures/docx_layouts", "*.docx"),
            ("tests/fixtures/pdf_layouts", "*.pdf"), ("tests/data/real", "*.*")]
    for folder, pat in pats:
        for p in sorted((ROOT / folder).glob(pat)):
            kind = {".txt": "text", ".html": "html", ".docx": "docx", ".pdf": "pdf"}.get(p.suffix)
            if kind:
                out.append((str(p.relative_to(ROOT)), kind, p.read_bytes()))
    return out


# ----------------------------------------------------------------------------------------- extraction
def summarise(data: bytes, name: str) -> dict:
    """What a case is judged on: each cell's (status, value, has note), org, year — or the error."""
    from nianbao.errors import NianbaoError
    from nianbao.extract import extract
    from nianbao.readers import read_bytes
    try:
        rep = extract(read_bytes(data, name))
    except NianbaoError as e:
        return {"error": e.code, "message": e.message}
    return {"org": rep.org, "year": rep.year, "format": rep.format,
            "cells": {"|".join(k): [cv.status, cv.value, bool(cv.note)] for k, cv in rep.cells.items()}}


def run_isolated(data: bytes, name: str, seconds: float = CASE_SECONDS) -> dict:
    """`summarise` in a forked child: any exception, a hard crash, a hang (killed after `seconds`)
    and the child's peak memory (ru_maxrss) are all observed from outside."""
    r, w = os.pipe()
    rss0 = _rss()
    pid = os.fork()
    if pid == 0:                                   # child
        os.close(r)
        try:
            try:
                start_rss = _reset_peak()
                out = summarise(data, name)
                out["grew"] = _peak() - start_rss
            except BaseException as e:  # noqa: BLE001 - the harness records every escape
                out = {"crash": f"{type(e).__name__}: {e}"[:300],
                       "trace": traceback.format_exc(limit=-4)[-1500:]}
            payload = json.dumps(out, ensure_ascii=False, default=str).encode()
            with os.fdopen(w, "wb") as fh:
                fh.write(payload)
        finally:
            os._exit(0)
    os.close(w)
    chunks, start, killed = [], time.monotonic(), False
    with os.fdopen(r, "rb") as fh:
        while True:
            left = seconds - (time.monotonic() - start)
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
            ready, _, _ = select.select([fh], [], [], left)
            if ready:
                b = os.read(fh.fileno(), 1 << 20)
                if not b:
                    break
                chunks.append(b)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    peak = usage.ru_maxrss * 1024
    if killed:
        return {"hang": True, "seconds": elapsed, "peak": peak, "rss0": rss0}
    try:
        out = json.loads(b"".join(chunks))
    except ValueError:
        out = {"crash": f"child died (status {status})"}
    out.update(seconds=elapsed, peak=peak, rss0=rss0)
    return out


def _reset_peak() -> int:
    """Reset this process's peak RSS (VmHWM) to its current RSS; return that RSS."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    return _rss()


def _peak() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


_BASE_RSS: dict[str, int] = {}


def base_rss(kind: str) -> int:
    """Peak RSS of a fresh interpreter that imported the library and this kind's reader: what a
    `nianbao extract` process holds before it reads a byte."""
    if kind not in _BASE_RSS:
        code = (f"import nianbao.extract, nianbao.readers.{kind}; "      # VmHWM: ru_maxrss survives exec
                "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        _BASE_RSS[kind] = int(out.stdout.split()[-1]) * 1024
    return _BASE_RSS[kind]


def memory_bound(size: int) -> int:
    return 20 * size + 200 * MB


# ----------------------------------------------------------------------------------------- mutations
@dataclass
class Case:
    seed: str
    kind: str
    mutation: str
    data: bytes
    preserving: bool = False          # no printed cell text changed
    structural: bool = False          # only markup removed: cells may go missing, nothing else
    truncated: bool = False           # nothing printed after the cut
    reference: bytes | None = None    # sentinel run that finds the touched cells
    junk: bool = False                # touched cells hold a non-number: never blank, never read without a note
    org_free: bool = False            # the mutation touched the title/org text
    judge_values: bool = True         # False for damage no harness can attribute (bytes inside zip/PDF streams)
    size_only: bool = False           # huge / nested / bomb inputs: judged on cost and crashes only
    note: str = ""
    size: int = 0


_NUM = re.compile(r"(?<![0-9０-９.])[0-9]+(?![0-9０-９.])")
# a number as the sentinel run replaces it: decimals whole ("160.5964万元" is one touched cell)
_NUM_OR_DECIMAL = re.compile(r"(?<![0-9０-９.])[0-9]+(?:\.[0-9]+)?(?![0-9０-９.])")
_FW = str.maketrans("0123456789", "０１２３４５６７８９")
JUNK = ["5 6", "5x", "约5", "（5）", "不适用", "暂无", "见附件", "l2", "O", "12.5万", "--253", "5、6",
        "1 2 3", "#REF!", "？"]


def _decode(data: bytes) -> tuple[str, str]:
    from nianbao.readers.text import decode
    return decode(data)


def _sentinelise(text: str, start: int, end: int, counter: list[int]) -> str:
    """Every number in text[start:end] (outside markup) → a unique sentinel number."""
    def sub(m):
        counter[0] += 1
        return str(SENTINEL + counter[0])
    seg = re.sub(r"(<[^<>]*>)|([^<]+)", lambda m: m.group(1) or _NUM_OR_DECIMAL.sub(sub, m.group(2)), text[start:end])
    return text[:start] + seg + text[end:]


def _value_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Spans of whole numbers printed as cell text: in text, numbers on short lines of a table
    part; in HTML, numbers that are the whole text of a <td>."""
    if kind == "html":
        return [(m.start(1), m.end(1)) for m in re.finditer(r"<td[^>]*>\s*(?:<[^>]+>\s*)*([0-9]+)\s*<", text)]
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if len(body) < 120:
            for m in _NUM.finditer(line):
                if not re.search(r"[年月日号〔]", line[m.end():m.end() + 1] or "x"):
                    spans.append((pos + m.start(), pos + m.end()))
        pos += len(line)
    return spans


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line)))
        pos += len(line)
    return out


def _title_end(text: str) -> int:
    m = re.search(r"年度报告", text)
    return m.end() if m else 0


def text_cases(seed: str, kind: str, data: bytes, rng: random.Random) -> list[Case]:
    """Mutations of a text or HTML seed, at the level of its decoded text."""
    text, enc = _decode(data)
    html = kind == "html"
    out_enc = "utf-8"

    def enc_(t: str, e: str = out_enc) -> bytes:
        return t.encode(e) if not e.endswith("-bom") else b"\xef\xbb\xbf" + t.encode("utf-8")

    def C(mut: str, t: str | bytes, **kw) -> Case:
        return Case(seed, kind, mut, t if isinstance(t, bytes) else enc_(t), **kw)

    cases: list[Case] = []
    # ---- preserving
    encs = ["utf-8", "utf-8-bom", "gb18030", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]
    e = rng.choice(encs)
    if html:
        t2 = re.sub(r"charset\s*=\s*[\"']?[-\w]+", "charset=" + ("gb18030" if e == "gb18030" else "utf-8"), text)
        e = rng.choice(["utf-8", "utf-8-bom", "gb18030"])
    else:
        t2 = text
    if e == "utf-16":
        b = t2.encode("utf-16")
    elif e == "utf-16-le-bom":
        b = b"\xff\xfe" + t2.encode("utf-16-le")
    elif e == "utf-16-be-bom":
        b = b"\xfe\xff" + t2.encode("utf-16-be")
    elif e == "gb18030":
        try:
            b = t2.encode("gb18030")
        except UnicodeEncodeError:
            b = t2.encode("utf-8")
    else:
        b = enc_(t2, e)
    cases.append(C(f"encoding:{e}", b, preserving=True))
    nl = rng.choice(["\r\n", "\r"])
    cases.append(C(f"line-endings:{nl!r}", text.replace("\r\n", "\n").replace("\n", nl), preserving=True))
    if html:
        # whitespace after block ends only: between inline spans a browser shows a space too
        cases.append(C("whitespace", re.sub(r"(</(?:p|td|th|tr|table|div|h[1-6])>)\s*", "\\1\n   \t", text, flags=re.I),
                       preserving=True))
        cases.append(C("full-width", re.sub(r">([^<]*)<", lambda m: ">" + m.group(1).translate(_FW) + "<", text),
                       preserving=True))
        for tag in ("</table>", "</tr>", "</td>"):
            idx = [m.start() for m in re.finditer(re.escape(tag), text, re.I)]
            if idx:
                i = rng.choice(idx)
                cases.append(C(f"remove:{tag}", text[:i] + text[i + len(tag):], structural=True))
        depth = rng.choice([5000, 100000])
        cases.append(C(f"nested:{depth}", text.replace("<body>", "<body>" + "<div>" * depth, 1) if "<body>" in text
                       else "<div>" * depth + text, size_only=True))
    else:
        cases.append(C("whitespace", "".join(l.rstrip("\r\n") + " " * rng.randint(1, 3) + "\n"
                                             for l in text.splitlines()), preserving=True))
        cases.append(C("full-width", text.translate(_FW), preserving=True))
    # ---- truncation (nothing printed after the cut)
    raw = b if rng.random() < 0.3 else enc_(text)      # cut in any encoding, UTF-16 too
    cut = rng.randrange(1, len(raw))
    cases.append(C(f"truncate:{cut}", raw[:cut], truncated=True))
    # ---- byte flips in the text (the touched lines found by sentinels)
    lines = _lines(text)
    if lines:
        k = rng.randrange(len(lines))
        s, e_ = lines[k]
        line = text[s:e_]
        if line.strip():
            j = s + rng.randrange(len(line))
            ch = text[j]
            new = chr(ord(ch) ^ (1 << rng.randrange(7))) if ord(ch) < 128 else rng.choice("0123456789 \t|x")
            counter = [0]
            cases.append(C(f"flip:line{k + 1}", text[:j] + new + text[j + 1:],
                           reference=enc_(_sentinelise(text, s, e_, counter)),
                           org_free=s < _title_end(text) or "年度报告" in line or "办事处" in line))
    # ---- junk tokens in value cells
    spans = _value_spans(text, kind)
    if spans:
        picks = sorted(rng.sample(spans, min(len(spans), rng.choice([1, 1, 2, 7]))))
        t_mut, t_ref, shift = text, text, 0
        counter = [0]
        parts, refparts, last, used = [], [], 0, []
        for a, b_ in picks:
            parts.append(text[last:a])
            refparts.append(text[last:a])
            used.append(rng.choice(JUNK))
            parts.append(used[-1])
            counter[0] += 1
            refparts.append(str(SENTINEL + counter[0]))
            last = b_
        parts.append(text[last:])
        refparts.append(text[last:])
        cases.append(C(f"junk:{len(picks)}", "".join(parts), reference=enc_("".join(refparts)), junk=True,
                       note="|".join(used)))
    # ---- duplicated / removed lines
    if len(lines) > 3:
        k = rng.randrange(len(lines))
        s, e_ = lines[k]
        counter = [0]
        ref = enc_(_sentinelise(text, s, e_, counter))
        if rng.random() < 0.5:
            cases.append(C(f"dup-line:{k + 1}", text[:e_] + text[s:e_] + text[e_:], reference=ref,
                           org_free=s < _title_end(text) + 1))
        else:
            cases.append(C(f"del-line:{k + 1}", text[:s] + text[e_:], reference=ref, truncated=False,
                           org_free=s < _title_end(text) + 1))
    return cases


def _docx_xml(data: bytes) -> tuple[zipfile.ZipFile, str] | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        return zf, zf.read("word/document.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


def _rezip(zf: zipfile.ZipFile, xml: bytes, member: str = "word/document.xml", extra=None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            out.writestr(info.filename, xml if info.filename == member else zf.read(info.filename))
        for name, blob in (extra or []):
            out.writestr(name, blob)
    return buf.getvalue()


def binary_cases(seed: str, kind: str, data: bytes, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    cut = rng.randrange(1, len(data))
    cases.append(Case(seed, kind, f"truncate-bytes:{cut}", data[:cut], judge_values=False))
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 4, 32])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    cases.append(Case(seed, kind, "flip-bytes", bytes(b), judge_values=False))
    if kind != "docx":
        return cases
    got = _docx_xml(data)
    if got is None:
        return cases
    zf, xml = got
    texts = [(m.start(2), m.end(2)) for m in re.finditer(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)", xml)]
    # preserving: full-width digits inside w:t; whitespace between elements
    fw = re.sub(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)", lambda m: m.group(1) + m.group(2).translate(_FW) + m.group(3), xml)
    cases.append(Case(seed, kind, "docx-full-width", _rezip(zf, fw.encode()), preserving=True))
    cases.append(Case(seed, kind, "docx-whitespace", _rezip(zf, re.sub(r"(</w:(?:p|tc|tr)>)", r"\1\n  ", xml).encode()),
                      preserving=True))
    # structure: a removed end tag is a broken package (clean error), or the same values
    for tag in ("</w:tc>", "</w:tr>", "</w:tbl>"):
        idx = [m.start() for m in re.finditer(re.escape(tag), xml)]
        if idx:
            i = rng.choice(idx)
            cases.append(Case(seed, kind, f"docx-remove:{tag}", _rezip(zf, (xml[:i] + xml[i + len(tag):]).encode()),
                              structural=True))
    # junk in value cells
    vals = [(a, b_) for a, b_ in texts if re.fullmatch(r"\s*[0-9]+\s*", xml[a:b_])]
    if vals:
        picks = sorted(rng.sample(vals, min(len(vals), rng.choice([1, 2, 7]))))
        parts, refs, last, n, used = [], [], 0, 0, []
        for a, b_ in picks:
            parts.append(xml[last:a])
            refs.append(xml[last:a])
            used.append(rng.choice(JUNK))
            parts.append(used[-1].replace("&", "&amp;").replace("<", "&lt;"))
            n += 1
            refs.append(str(SENTINEL + n))
            last = b_
        parts.append(xml[last:])
        refs.append(xml[last:])
        cases.append(Case(seed, kind, f"docx-junk:{len(picks)}", _rezip(zf, "".join(parts).encode()),
                          reference=_rezip(zf, "".join(refs).encode()), junk=True, note="|".join(used)))
    # duplicated / removed table row
    rows = [(m.start(), m.end()) for m in re.finditer(r"<w:tr[ >].*?</w:tr>", xml, re.S)]
    if rows:
        a, b_ = rng.choice(rows)
        counter = [0]
        ref = _rezip(zf, _sentinelise_xml(xml, a, b_, counter).encode())
        if rng.random() < 0.5:
            cases.append(Case(seed, kind, "docx-dup-row", _rezip(zf, (xml[:b_] + xml[a:b_] + xml[b_:]).encode()),
                              reference=ref))
        else:
            cases.append(Case(seed, kind, "docx-del-row", _rezip(zf, (xml[:a] + xml[b_:]).encode()), reference=ref))
    # deep nesting and a zip bomb (cost only)
    depth = rng.choice([3000, 50000])
    body = xml.find("<w:body>")
    if body > 0:
        deep = xml[:body + 8] + "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth + xml[body + 8:]
        cases.append(Case(seed, kind, f"docx-nested:{depth}", _rezip(zf, deep.encode()), size_only=True))
    pad = rng.choice([50, 400]) * MB
    bomb = xml.replace("</w:body>", "<w:p><w:r><w:t>" + " " * 16 + "</w:t></w:r></w:p></w:body>")
    bomb_bytes = bomb.encode().replace(b"</w:body>", b"<!--" + b" " * pad + b"--></w:body>")
    cases.append(Case(seed, kind, f"docx-bomb:{pad // MB}MB", _rezip(zf, bomb_bytes), size_only=True))
    return cases


def _sentinelise_xml(xml: str, a: int, b: int, counter: list[int]) -> str:
    seg = re.sub(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)",
                 lambda m: m.group(1) + _NUM_OR_DECIMAL.sub(lambda n: str(SENTINEL + _bump(counter)), m.group(2)) + m.group(3),
                 xml[a:b])
    return xml[:a] + seg + xml[b:]


def _bump(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def huge_cases(seed: str, kind: str, data: bytes, rng: random.Random) -> list[Case]:
    """Inputs far larger than any report: cost only."""
    if kind == "text":
        n = rng.choice([8, 50]) * MB
        line = "1\t2\t3\t4\t5\t6\t7\n" if rng.random() < 0.5 else "（一）予以公开 1 2 3 4 5 6 7\n"
        return [Case(seed, kind, f"huge-text:{n // MB}MB", (data + line.encode() * (n // len(line.encode())))[:n],
                     size_only=True)]
    if kind == "html":
        n = rng.choice([8, 40]) * MB
        row = b"<tr><td>1</td><td>2</td><td>3</td></tr>"
        return [Case(seed, kind, f"huge-html:{n // MB}MB", data.replace(b"</body>", b"<table>" + row * (n // len(row))
                                                                         + b"</table></body>"), size_only=True)]
    return []


def cases_for(seed: tuple[str, str, bytes], rng: random.Random, huge: bool = True) -> list[Case]:
    name, kind, data = seed
    if kind in ("text", "html"):
        out = text_cases(name, kind, data, rng)
        if huge and rng.random() < 0.15:
            out += huge_cases(name, kind, data, rng)
        return out
    return binary_cases(name, kind, data, rng)


def make_cases(n: int, seed: int = 16, kinds=("text", "html", "docx", "pdf"), huge: bool = True):
    """n cases (a generator: huge inputs are made one seed at a time), round-robin over the seeds,
    deterministic for a given `seed`."""
    rng = random.Random(seed)
    pool = [s for s in seeds() if s[1] in kinds]
    made = i = 0
    while made < n:
        s = pool[i % len(pool)]
        i += 1
        for case in cases_for(s, random.Random(rng.random()), huge):
            if made >= n:
                return
            made += 1
            yield case


# ----------------------------------------------------------------------------------------- judging
@dataclass
class Verdict:
    case: Case
    kind: str                    # ok | crash | hang | wrong | blank | memory
    detail: str = ""
    extra: list = field(default_factory=list)


def _same(a, b) -> bool:
    return a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-9)


def judge(case: Case, base: dict, got: dict, ref: dict | None, kind_base_rss: int) -> list[Verdict]:
    out: list[Verdict] = []
    size = len(case.data)
    if "hang" in got:
        return [Verdict(case, "hang", f"{got['seconds']:.1f} s")]
    if "crash" in got:
        return [Verdict(case, "crash", got["crash"], [got.get("trace", "")])]
    peak = got.get("grew", 0) + kind_base_rss
    if peak > memory_bound(size):
        out.append(Verdict(case, "memory", f"peak {peak / MB:.0f} MB for {size / MB:.1f} MB input "
                                           f"(bound {memory_bound(size) / MB:.0f} MB)"))
    if "error" in got or "error" in base or case.size_only or not case.judge_values:
        return out
    touched: set[str] = set()
    if ref is not None and "cells" in ref:
        touched = {k for k, (st, v, _) in ref["cells"].items()
                   if isinstance(v, (int, float)) and SENTINEL < v < SENTINEL + 1000}
    if case.preserving:
        for k, (st, v, _) in base["cells"].items():
            st2, v2, _n = got["cells"].get(k, ["absent", None, False])
            if st2 != st or not _same(v, v2):
                kind = "blank" if st2 == "blank" and st != "blank" else "wrong"
                out.append(Verdict(case, kind, f"{k}: {st} {v} → {st2} {v2}"))
        if got.get("year") != base.get("year") or got.get("org") != base.get("org"):
            out.append(Verdict(case, "wrong", f"org/year {base.get('org')} {base.get('year')} → "
                                              f"{got.get('org')} {got.get('year')}"))
        return out
    for k, (st, v, _) in base["cells"].items():
        st2, v2, note = got["cells"].get(k, ["missing", None, False])
        if k in touched:
            if case.junk and st2 == "blank":
                out.append(Verdict(case, "blank", f"{k}: junk text reported blank"))
            elif case.junk and st2 == "read" and not note and v2 not in (12.5, 125000):   # 12.5万: a number
                out.append(Verdict(case, "wrong", f"{k}: junk text read as {v2} without a note"))
            continue
        if st2 in ("read", "inferred") and st in ("read", "inferred", "blank") and not _same(v, v2):
            if not (st == "blank" and st2 == "inferred" and v2 == 0):
                out.append(Verdict(case, "wrong", f"{k}: {st} {v} → {st2} {v2}"))
        elif st2 in ("read", "inferred") and st in ("not_applicable",) and v2 not in (0, None):
            out.append(Verdict(case, "wrong", f"{k}: {st} → {st2} {v2}"))
        elif st2 == "blank" and st in ("read", "inferred") and v not in (0, None) or st2 == "blank" and st == "read":
            out.append(Verdict(case, "blank", f"{k}: {st} {v} → blank"))
    if not case.org_free:
        if got.get("org") not in (base.get("org"), None):
            out.append(Verdict(case, "wrong", f"org {base.get('org')!r} → {got.get('org')!r}"))
        if got.get("year") not in (base.get("year"), None):
            out.append(Verdict(case, "wrong", f"year {base.get('year')} → {got.get('year')}"))
    return out


def run_cases(cases, seconds: float = CASE_SECONDS, progress=None) -> list[Verdict]:
    base_cache: dict[str, dict] = {}
    src = {name: data for name, _, data in seeds()}
    verdicts: list[Verdict] = []
    for i, case in enumerate(cases):
        if case.seed not in base_cache:
            base_cache[case.seed] = summarise(src[case.seed], case.seed)
        base = base_cache[case.seed]
        got = run_isolated(case.data, case.seed, seconds)
        ref = None
        if case.reference is not None and "cells" in got:
            ref = summarise(case.reference, case.seed)
        vs = judge(case, base, got, ref, base_rss(case.kind))
        case.size, case.data, case.reference = len(case.data), b"", None     # keep the verdicts small
        verdicts.extend(vs or [Verdict(case, "ok")])
        if progress:
            progress(i, case, vs)
    return verdicts


def counts(verdicts: list[Verdict]) -> dict:
    by_case: dict[int, set[str]] = {}
    for v in verdicts:
        by_case.setdefault(id(v.case), set()).add(v.kind)
    n = len(by_case)
    c = {k: sum(1 for s in by_case.values() if k in s) for k in ("crash", "hang", "wrong", "blank", "memory")}
    c["cases"] = n
    c["wrong_cells"] = sum(1 for v in verdicts if v.kind == "wrong")
    c["blank_cells"] = sum(1 for v in verdicts if v.kind == "blank")
    c["share_reports_silently_wrong"] = (sum(1 for s in by_case.values() if "wrong" in s) / n) if n else 0.0
    return c
