"""Extraction accuracy over random reports, in every input kind and variant the fixture scripts make.

    python bench/accuracy.py [--n 40] [--seed 1] [--kinds text,html,docx,pdf] [--no-pdf]
                             [--zero-share 0.5] [--show N] [--keep DIR]

For N random valid reports (`nianbao.synth.random_report`, both formats alternating, orgs of every
kind), render each one into every input kind and variant the fixture generators know
(scripts/make_fixtures.py: text layouts, GB18030/CRLF, BOM, PDF via LibreOffice and
`pdftotext -layout`; scripts/make_layout_fixtures.py: Word/WPS web pages, portal pages, split and
nested tables, MHTML, DOCX content controls, revisions, fields, text boxes, split runs, grid quirks,
Strict, WPS; scripts/make_pdf_layouts.py: 三线表, no vertical rules, no rules, right-aligned,
landscape, running header/footer, rows allowed to split), plus variations the scripts do not have
(`*/big`: large counts printed with thousands separators and money with many decimals; `--zero-share`
for zero-heavy reports). Every DOCX meant for PDF goes through ONE LibreOffice call.

Layouts of real published text reports that the project does not render itself (bench/real_layouts.py:
separator lines, markdown conversions, pipe exports; `text/real_*`) and portal pages printed to PDF by a
browser (bench/web_print.py, headless Chromium through Playwright: plain, narrow tables with wrapped
labels and numbers, 表三's header repeated, US Letter; `pdf/real_web_print*`) are reported in a second
table, apart from the own renders.

`--keep DIR --reuse` scores the PDFs an earlier `--keep DIR` run (same `--n`, `--seed`) left there with
the current reading code, without LibreOffice or Chromium for them.

Each file is read and extracted and compared with the ground truth: every template cell (value
equal and status `read`), org, year, format, the six section numbers. `wrong` counts cells read with a
value that is not the printed one (silently wrong: the worst outcome; a miss is `missing` with a note). Prints one line per
kind/variant; `--show N` lists the first N wrong cells. Works in a temporary directory that is
removed unless `--keep DIR` is given (then every rendered file is kept there).
"""
from __future__ import annotations

import argparse
import copy
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from nianbao import formats as F  # noqa: E402
from nianbao.errors import ReadError  # noqa: E402
from nianbao.extract import extract  # noqa: E402
from nianbao.readers import read_bytes  # noqa: E402
from nianbao.render.docx import to_docx_bytes  # noqa: E402
from nianbao.render.html import to_html  # noqa: E402
from nianbao.render.markdown import to_markdown  # noqa: E402
from nianbao.render.text import to_text  # noqa: E402
from nianbao.synth import random_report  # noqa: E402

import make_layout_fixtures as LF  # noqa: E402
from make_fixtures import _soffice  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import real_layouts as RL  # noqa: E402
import web_print as WEB  # noqa: E402

KINDS = ("text", "html", "docx", "pdf")


# ------------------------------------------------------------------ variations of the report itself
def big_numbers(report: dict, rng: random.Random) -> tuple[dict, dict]:
    """(truth, printed): counts scaled up (identities are linear, so they still hold, per table), printed
    with thousands separators; money with many decimals. `printed` holds the strings the renderers write."""
    truth = copy.deepcopy(report)
    fmt = F.get(truth["format"])
    # 表二 counts (decisions, items) run into the ten thousands; 表三/表四 stay below 10,000: their
    # narrow columns wrap a longer number over two lines in a PDF (an open issue, not measured here)
    top = max(v for t in ("t3", "t4") for row in truth["tables"][t].values() for v in row.values()) or 1
    scale = {"t2": rng.choice((997, 1234, 4096)), "t3": min(rng.choice((97, 123, 256)), max(9999 // top, 1))}
    scale["t4"] = scale["t3"]
    printed = copy.deepcopy(truth)
    for t, r, c in fmt.template_cells():
        kind = fmt.table(t).column(r, c).kind
        v = truth["tables"][t][r][c]
        k = scale[t]
        if kind == "money":
            v = round(rng.uniform(1000, 9_999_999), rng.choice((2, 4, 6))) if v else v
            truth["tables"][t][r][c] = v
            whole, _, frac = repr(float(v)).partition(".")
            text = f"{int(whole):,}" + ("." + frac if frac and frac != "0" else "")
        else:
            v = v * k
            truth["tables"][t][r][c] = v
            text = f"{v:,}" if kind != "signed" or v <= 0 else f"+{v:,}"
        printed["tables"][t][r][c] = text
    return truth, printed


_SECTION_STYLES = ("{c}、{t}", "{n}、{t}", "（{c}）{t}", "{t}", "{c}、{v}")


def reworded(report: dict, rng: random.Random) -> tuple[dict, callable]:
    """(printed, fix): the report with its title and section headings worded as real reports word
    them (year first, 1、 or （一） numbering, none, a variant title), and `fix(text)`, which rewrites
    the printed table labels the way real reports do (half-width brackets, 1、 for 1., declared label
    variants, "，" for "、"). The tables' values are untouched."""
    printed = copy.deepcopy(report)
    fmt = F.get(report["format"])
    org, year = report["org"], report["year"]
    printed["title"] = rng.choice((f"{org}{year}年政府信息公开工作年度报告", f"{year}年{org}政府信息公开工作年度报告",
                                   f"{org}{year}年度政府信息公开工作年度报告",
                                   f"{org}关于{year}年政府信息公开工作的年度报告"))
    style = rng.choice(_SECTION_STYLES)
    for sec, spec in zip(printed["sections"], fmt.sections):
        bare = spec.title.split("、", 1)[1]
        printed_style = style if style != "{c}、{v}" else (style if spec.variants else "{c}、{t}")
        sec["title"] = printed_style.format(t=bare, n=spec.number, c="一二三四五六"[spec.number - 1],
                                            v=rng.choice(spec.variants) if spec.variants else bare)
    swaps = [("“三安全一稳定”", rng.choice(("三安全一稳定", "\"三安全一稳定\"", "“三安全一稳定”"))),
             ("信访举报投诉类申请", rng.choice(("信访举报类申请", "信访举报投诉类申请"))),
             ("属于三类内部事务信息", rng.choice(("属于第三类内部事务信息", "属于三类内部事务信息"))),
             ("属于四类过程性信息", rng.choice(("属于第四类过程性信息", "属于四类过程性信息")))]
    half = rng.random() < 0.5
    dot = rng.choice((".", "、", "．", "，"))
    comma = rng.random() < 0.3

    def fix(text: str) -> str:
        for a, b in swaps:
            text = text.replace(a, b)
        if dot != ".":
            text = re.sub(r"(?<![0-9.])([1-8])\.(?=[^0-9\s])", lambda m: m.group(1) + dot, text)
        if comma:
            text = re.sub(r"(?m)(^|\t|\| |>)([一二四])、(本年新收|上年结转|结转下年度)", r"\1\2，\3", text)
        if half:
            text = text.replace("（", "(").replace("）", ")")
        return text
    return printed, fix


def _docx_fixed(data: bytes, fix) -> bytes:
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            part = src.read(name)
            if name == "word/document.xml":
                part = fix(part.decode("utf-8")).encode("utf-8")
            dst.writestr(name, part)
    return out.getvalue()


REWORDED = {   # kind -> variant -> (printed report, fix) -> bytes
    "text": {"tabbed": lambda rep, fix: fix(to_text(rep, "tabbed")).encode("utf-8"),
             "cell_per_line": lambda rep, fix: fix(to_text(rep, "cell_per_line")).encode("gb18030"),
             "pipes": lambda rep, fix: fix(to_text(rep, "pipes")).encode("utf-8"),
             **{f"real_{name}": (lambda rep, fix, f=f: fix(f(rep)).encode("utf-8"))
                for name, f in RL.LAYOUTS.items()}},
    "html": {"render": lambda rep, fix: fix(to_html(rep)).encode("utf-8")},
    "docx": {"render": lambda rep, fix: _docx_fixed(to_docx_bytes(rep), fix)},
    "pdf": {"render": lambda rep, fix: _docx_fixed(to_docx_bytes(rep), fix),
            **{v: (lambda rep, fix, v=v: fix(WEB.page(rep, v, _seed(rep, v)).decode("utf-8")).encode("utf-8"))
               for v in WEB.VARIANTS}},
}


def _seed(rep: dict, variant: str) -> str:
    """Where a browser-printed page puts its page breaks: one spacer per report and variant."""
    return f"{variant}:{rep.get('title')}:{rep['tables']['t3']}"


# ------------------------------------------------------------------ renderers: report -> bytes
_last_docx: list = [None, b""]


def docx_of(rep: dict) -> bytes:
    """render/docx.py's bytes of `rep`, built once per report (it takes ~0.5 s) for all the variants."""
    if _last_docx[0] is not rep:
        _last_docx[:] = [rep, to_docx_bytes(rep)]
    return _last_docx[1]


def _docx_variant(tx, **kw):
    return lambda rep: LF._docx(docx_of(rep), tx, **kw)


TEXT = {
    "tabbed": lambda rep: to_text(rep, "tabbed").encode("utf-8"),
    "gbk_crlf": lambda rep: to_text(rep, "tabbed").replace("\n", "\r\n").encode("gb18030"),
    "cell_per_line": lambda rep: to_text(rep, "cell_per_line").encode("utf-8-sig"),
    "pipes": lambda rep: to_text(rep, "pipes").encode("utf-8"),
    "markdown": lambda rep: to_markdown(rep).encode("utf-8"),
}
# layouts of real published reports (bench/real_layouts.py), reported apart from the renders above
REAL_TEXT = {f"real_{name}": (lambda rep, f=f: f(rep).encode("utf-8")) for name, f in RL.LAYOUTS.items()}
REAL_EXT = {"real_markdown": ".md", "real_markdownify": ".md", "markdown": ".md"}
HTML = {
    "render": lambda rep: to_html(rep).encode("utf-8"),
    "word_gb2312": LF.word_html,
    "wps_nocharset": LF.wps_html,
    "portal_trs": LF.portal_trs,
    "portal_split": LF.portal_split,
    "nested_layout": LF.nested_layout,
    "mhtml": lambda rep: LF.mhtml(LF.word_html(rep)),
}
DOCX = {
    "render": docx_of,
    **{name: _docx_variant(getattr(LF, f"tx_{name}"))
       for name in ("sdt", "revisions", "fields", "textbox", "runs", "grid", "split", "nested")},
    "wps": _docx_variant(LF.tx_wps, wps=True),
    "strict": _docx_variant(lambda body: None, strict=True),
}
EXT = {"text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


def _pdf_docx_variants() -> dict:
    """DOCX files meant for LibreOffice: the plain render and make_pdf_layouts' table styles."""
    import docx
    import make_pdf_layouts as PL

    def styled(fn):
        def make(rep):
            d = docx.Document(io.BytesIO(docx_of(rep)))     # make_pdf_layouts.base, built once
            fn(d)
            return PL._zip(d)
        return make
    return {
        "render": docx_of,
        "three_line": styled(lambda d: PL.rules(d, "three_line")),
        "no_vertical": styled(lambda d: PL.rules(d, "no_vertical")),
        "no_rules": styled(lambda d: PL.rules(d, "none")),
        "no_rules_right": styled(lambda d: (PL.rules(d, "none"), PL.right_align_values(d))),
        "landscape": styled(PL.landscape),
        "header_footer": lambda rep: styled(lambda d: PL.header_footer(d, rep.get("title") or ""))(rep),
        "repeat_header": styled(lambda d: PL.repeat_header(d.tables[1], 3)),
        "split_rows": styled(lambda d: [PL.allow_row_split(t) for t in d.tables]),
        # portal pages printed to PDF by a browser (bench/web_print.py): HTML here, printed later
        **{v: (lambda rep, v=v: WEB.page(rep, v, _seed(rep, v))) for v in WEB.VARIANTS},
    }


# ------------------------------------------------------------------ comparison
@dataclass
class Tally:
    reports: int = 0
    cells: int = 0
    right: int = 0
    value_right: int = 0          # value equal, whatever the status (e.g. inferred)
    read_wrong: int = 0           # status read with a value that is not the printed one (silently wrong)
    full: int = 0
    meta: int = 0
    sections: int = 0
    errors: int = 0
    seconds: float = 0.0
    wrong: list = field(default_factory=list)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def compare(truth: dict, data: bytes, name: str, tally: Tally, file_label: str) -> None:
    fmt = F.get(truth["format"])
    keys = fmt.template_cells()
    tally.reports += 1
    tally.cells += len(keys)
    t0 = time.perf_counter()
    try:
        rep = extract(read_bytes(data, name))
    except ReadError as e:
        tally.errors += 1
        tally.wrong.append((file_label, "-", "-", "-", "", "", "read-error", f"{e.code}: {e}"))
        return
    finally:
        tally.seconds += time.perf_counter() - t0
    ok_cells = 0
    for key in keys:
        exp = truth["tables"][key[0]][key[1]][key[2]]
        cv = rep.cells.get(key)
        got = cv.value if cv else None
        if cv is not None and _same(got, exp):
            tally.value_right += 1
            if cv.status == "read":
                ok_cells += 1
                continue
        elif cv is not None and cv.status == "read":
            tally.read_wrong += 1
        tally.wrong.append((file_label, *key, exp, got, cv.status if cv else "absent",
                            (cv.note or "") if cv else f"format {rep.format}"))
    tally.right += ok_cells
    meta = (rep.org, rep.year, rep.format) == (truth["org"], truth["year"], truth["format"])
    if not meta:
        tally.wrong.append((file_label, "meta", "", "", (truth["org"], truth["year"], truth["format"]),
                            (rep.org, rep.year, rep.format), "", ""))
    secs = sorted(s.number for s in rep.sections) == [1, 2, 3, 4, 5, 6]
    if not secs:
        tally.wrong.append((file_label, "sections", "", "", [1, 2, 3, 4, 5, 6],
                            sorted(s.number for s in rep.sections), "", ""))
    tally.meta += meta
    tally.sections += secs
    tally.full += (ok_cells == len(keys) and meta and secs)


# ------------------------------------------------------------------ main
def reports(n: int, seed: int, zero_share: float) -> list[dict]:
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        out.append(random_report(rng, ("2021", "2019")[i % 2], zero_share=zero_share))
    return out


def soffice_batch(docx_files: list[Path], outdir: Path, timeout: int) -> int:
    """Convert all files in one LibreOffice call. LibreOffice sometimes dies in the middle of a long
    batch (after a few hundred files): the files it did not reach are converted by a further call,
    as long as each call makes progress. Returns the number of calls."""
    soffice = _soffice()
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found: use --no-pdf")
    profile = (outdir.parent / "lo-profile").as_uri()
    todo, calls = list(docx_files), 0
    while todo:
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, todo)]
        subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        calls += 1
        left = [p for p in todo if not (outdir / (p.stem + ".pdf")).exists()]
        if len(left) == len(todo):
            break
        todo = left
    return calls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40, help="random reports (formats alternate; default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of text,html,docx,pdf")
    ap.add_argument("--variants", default="", help="only variants whose name contains one of these (comma-separated)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF kind (LibreOffice, ~1 s per file)")
    ap.add_argument("--no-big", action="store_true", help="skip the large-number variations")
    ap.add_argument("--no-reworded", action="store_true", help="skip the reworded labels, headings and titles")
    ap.add_argument("--zero-share", type=float, default=0.5, help="share of zero cells in the reports (0.5)")
    ap.add_argument("--show", type=int, default=0, help="list the first N wrong cells")
    ap.add_argument("--keep", type=Path, help="keep the rendered files in this directory")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: score the PDFs an earlier run with the same --n/--seed left there, "
                         "converting or printing only those not there (reading changes, same renders)")
    ap.add_argument("--timeout", type=int, default=3600, help="LibreOffice timeout in seconds")
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    if args.no_pdf and "pdf" in kinds:
        kinds.remove("pdf")
    only = [v for v in args.variants.split(",") if v]

    base_reports = reports(args.n, args.seed, args.zero_share)
    # (suffix, truth, printed, fix): fix is None, or a label rewording applied to the rendered text
    cases: list[tuple[str, dict, dict, object]] = [("", r, r, None) for r in base_reports]
    if not args.no_big:
        for i, r in enumerate(base_reports):
            truth, printed = big_numbers(r, random.Random(f"big:{args.seed}:{i}"))
            cases.append(("/big", truth, printed, None))
    if not args.no_reworded:
        for i, r in enumerate(base_reports):
            printed, fix = reworded(r, random.Random(f"reworded:{args.seed}:{i}"))
            cases.append(("/reworded", r, printed, fix))

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nianbao-accuracy-"))
    tmp.mkdir(parents=True, exist_ok=True)
    tallies: dict[str, Tally] = defaultdict(Tally)
    t_start = time.perf_counter()
    try:
        plain = {"text": {**TEXT, **REAL_TEXT}, "html": HTML, "docx": DOCX}
        pdf_jobs: list[tuple[str, dict, Path]] = []
        web_jobs: list[tuple[str, dict, Path]] = []
        pdf_variants = _pdf_docx_variants() if "pdf" in kinds else {}
        for ci, (suffix, truth, printed, fix) in enumerate(cases):
            ri = ci % len(base_reports)
            for kind in kinds:
                variants = pdf_variants if kind == "pdf" else plain[kind]
                if fix is not None:
                    variants = {k: (lambda rep, f=f: f(rep, fix)) for k, f in REWORDED[kind].items()}
                for vname, make in variants.items():
                    label = f"{kind}/{vname}{suffix}"
                    if only and not any(o in label for o in only):
                        continue
                    data = make(printed)
                    fname = f"r{ri:03d}_{truth['format']}_{kind}_{vname}{suffix.replace('/', '_')}"
                    if kind == "pdf" and vname in WEB.VARIANTS:
                        p = tmp / "web" / (fname + ".html")
                        p.parent.mkdir(exist_ok=True)
                        p.write_bytes(data)
                        web_jobs.append((label, truth, p))
                        continue
                    if kind == "pdf":
                        p = tmp / "docx" / (fname + ".docx")
                        p.parent.mkdir(exist_ok=True)
                        p.write_bytes(data)
                        pdf_jobs.append((label, truth, p))
                        continue
                    ext = REAL_EXT.get(vname, EXT[kind])
                    if args.keep:
                        (tmp / (fname + ext)).write_bytes(data)
                    compare(truth, data, fname + ext, tallies[label], fname + ext)
        if pdf_jobs:
            out = tmp / "pdf"
            out.mkdir(exist_ok=True)
            t0 = time.perf_counter()
            todo = [p for _, _, p in pdf_jobs if not (args.reuse and (out / (p.stem + ".pdf")).exists())]
            calls = soffice_batch(todo, out, args.timeout) if todo else 0
            print(f"LibreOffice: {len(pdf_jobs)} files in {time.perf_counter() - t0:.0f} s ({calls} call(s))",
                  file=sys.stderr)
            has_pdftotext = shutil.which("pdftotext") is not None
            for label, truth, p in pdf_jobs:
                pdf = out / (p.stem + ".pdf")
                if not pdf.exists():
                    tallies[label].reports += 1
                    tallies[label].errors += 1
                    tallies[label].wrong.append((pdf.name, "-", "-", "-", "", "", "no-pdf", "LibreOffice failed"))
                    continue
                compare(truth, pdf.read_bytes(), pdf.name, tallies[label], pdf.name)
                if has_pdftotext and label.split("/")[1] == "render":
                    txt = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                                         capture_output=True, check=True).stdout
                    tlabel = label.replace("pdf/render", "text/pdftotext_layout")
                    if args.keep:
                        (tmp / (p.stem + "_layout.txt")).write_bytes(txt)
                    compare(truth, txt, p.stem + "_layout.txt", tallies[tlabel], p.stem + "_layout.txt")
        if web_jobs and not WEB.available():
            print(f"browser-printed pages skipped: {WEB.CHROMIUM} not found", file=sys.stderr)
        elif web_jobs:
            t0 = time.perf_counter()
            n = WEB.print_all([(p, p.with_suffix(".pdf")) for _, _, p in web_jobs
                               if not (args.reuse and p.with_suffix(".pdf").exists())])
            print(f"Chromium: {n} pages printed in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            for label, truth, p in web_jobs:
                pdf = p.with_suffix(".pdf")
                compare(truth, pdf.read_bytes(), pdf.name, tallies[label], pdf.name)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    head = (f"{'kind/variant':<32}{'reports':>8}{'cells':>8}{'cells ok %':>11}{'value ok %':>11}{'wrong':>6}"
            f"{'reports ok %':>13}{'meta ok %':>10}{'sections %':>11}{'errors':>7}{'ms/rep':>8}")
    print(head)
    print("-" * len(head))
    total, real = Tally(), Tally()
    for label in sorted(tallies, key=lambda s: (KINDS.index(s.split("/")[0]), s)):
        if _is_real(label):
            continue
        _add(total, tallies[label])
        print(_line(label, tallies[label]))
    print("-" * len(head))
    print(_line("all (own renders)", total))
    real_labels = sorted(label for label in tallies if _is_real(label))
    if real_labels:
        print("\nreal-layout reproductions (bench/real_layouts.py; not the project's own renders):")
        print(head)
        print("-" * len(head))
        for label in real_labels:
            _add(real, tallies[label])
            print(_line(label, tallies[label]))
        print("-" * len(head))
        print(_line("all (real layouts)", real))
        total.wrong.extend(real.wrong)
    print(f"({time.perf_counter() - t_start:.0f} s)", file=sys.stderr)
    if args.show:
        print(f"\nfirst {args.show} of {len(total.wrong)} wrong cells/fields:")
        print("file | table | row | col | expected | got | status | note")
        for w in total.wrong[:args.show]:
            print(" | ".join(str(x) for x in w))
    return 0


def _is_real(label: str) -> bool:
    return label.split("/")[1].startswith("real_")


def _add(total: Tally, t: Tally) -> None:
    for f in ("reports", "cells", "right", "value_right", "read_wrong", "full", "meta", "sections", "errors",
              "seconds"):
        setattr(total, f, getattr(total, f) + getattr(t, f))
    total.wrong.extend(t.wrong)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}" if b else "-"


def _line(label: str, t: Tally) -> str:
    return (f"{label:<32}{t.reports:>8}{t.cells:>8}{_pct(t.right, t.cells):>11}{_pct(t.value_right, t.cells):>11}"
            f"{t.read_wrong:>6}"
            f"{_pct(t.full, t.reports):>13}{_pct(t.meta, t.reports):>10}{_pct(t.sections, t.reports):>11}"
            f"{t.errors:>7}{1000 * t.seconds / max(t.reports, 1):>8.1f}")


if __name__ == "__main__":
    sys.exit(main())
