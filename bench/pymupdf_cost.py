"""What the installed PyMuPDF costs and gives: import time and memory, a worker's memory, a one-PDF
`nianbao extract`, reading speed and accuracy on the project's PDF fixtures.

    python bench/pymupdf_cost.py [--n 5]

Run it with the interpreter of each candidate (a throwaway venv per version, e.g.
`python3 -m venv /tmp/mu126 && /tmp/mu126/bin/pip install 'pymupdf==1.26.*'`, with the project's
other dependencies reachable) to choose the pinned range in pyproject.toml; the README's dependency
table has the numbers. Costs are measured in fresh subprocesses (median of --n runs):

  * import: CPU seconds and resident memory (RSS) of `import pymupdf` in a bare interpreter;
  * worker: peak RSS of a process that imports nianbao and extracts one PDF (what every batch or
    web worker carries);
  * CLI: CPU seconds of `python -m nianbao extract FILE` (text file for comparison);
  * speed: ms per file for read + extract of each PDF fixture (best of 3, in this process);
  * accuracy: template cells read exactly on the layout fixtures (tests/fixtures/pdf_layouts,
    same_report, web_print when present) against their ground truth, and the printed cells of the
    real h02 against its gold (exact / wrong value / other).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

FIX = ROOT / "tests" / "fixtures"
H02 = ROOT / "tests" / "data" / "real" / "h02_hongze_qzf_2024.pdf"
TXT = FIX / "same_report" / "report_layout.txt"

_RSS = """
def _status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
"""

IMPORT = _RSS + """
import time
r0 = _status('VmRSS'); t0 = time.process_time()
import pymupdf
t1 = time.process_time(); r1 = _status('VmRSS')
print(t1 - t0, r0, r1)
"""

WORKER = _RSS + """
import sys
from nianbao import extract_path
extract_path(sys.argv[1])
print(_status('VmHWM'))
"""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


class Crash(Exception):
    """A measured subprocess died (MuPDF crashed on a fixture)."""


def _run(code: str, *args: str) -> list[float]:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env())
    if p.returncode:
        raise Crash(f"exit {p.returncode}: {p.stderr.strip().splitlines()[-1:] or ''}")
    return [float(x) for x in p.stdout.split()]


def _cli_cpu(path: Path) -> float:
    before = os.times()
    p = subprocess.run([sys.executable, "-m", "nianbao", "extract", str(path)], capture_output=True, env=_env())
    after = os.times()
    if p.returncode < 0 or p.returncode > 2:
        raise Crash(f"exit {p.returncode}")
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def _median(fn, n: int):
    try:
        return statistics.median(fn() for _ in range(n))
    except Crash as e:
        return f"crash ({e})"


def costs(n: int) -> dict:
    imp = [_run(IMPORT) for _ in range(n)]
    return {
        "import_cpu_s": statistics.median(r[0] for r in imp),
        "bare_rss_mb": statistics.median(r[1] for r in imp),
        "import_rss_mb": statistics.median(r[2] for r in imp),
        "worker_pdf_peak_mb": _median(lambda: _run(WORKER, str(H02))[0], n),
        "worker_text_peak_mb": _median(lambda: _run(WORKER, str(TXT))[0], n),
        "cli_pdf_cpu_s": _median(lambda: _cli_cpu(H02), n),
        "cli_text_cpu_s": _median(lambda: _cli_cpu(TXT), n),
    }


def _fixtures() -> list[tuple[Path, dict]]:
    """(pdf, truth) for every PDF fixture with a ground truth."""
    same = FIX / "same_report"
    t21 = json.loads((same / "report.json").read_text(encoding="utf-8"))
    t19 = json.loads((same / "report2019.json").read_text(encoding="utf-8"))
    out = [(same / "report.pdf", t21), (same / "report2019.pdf", t19)]
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_pdf_layouts import blank_column

    for p in sorted((FIX / "pdf_layouts").glob("*.pdf")):
        t = t19 if p.stem.endswith("_2019") else t21
        out.append((p, blank_column(t) if p.stem == "no_vertical_blank_column" else t))
    web = FIX / "web_print"
    for p in sorted(web.glob("*.pdf")) if web.is_dir() else []:
        out.append((p, json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))))
    return out


def accuracy() -> dict:
    from nianbao import extract_path
    from nianbao.errors import ReadError

    cells = right = wrong = 0
    files_ok = 0
    seconds = []
    fixtures = _fixtures()
    for path, truth in fixtures:
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                rep = extract_path(path)
            except ReadError:
                rep = None
            best = min(best, time.perf_counter() - t0)
        seconds.append(best)
        ok = 0
        want = {(t, r, c): v for t, rows in truth["tables"].items() for r, cols in rows.items()
                for c, v in cols.items()}
        for key, v in want.items():
            cv = rep.cells.get(key) if rep else None
            if cv is None:
                continue
            if cv.status == ("blank" if v is None else "read") and cv.value == v:
                ok += 1
            elif cv.status == "read":
                wrong += 1
        cells += len(want)
        right += ok
        files_ok += ok == len(want)
    return {"fixtures": len(fixtures), "fixture_cells": cells, "fixture_cells_ok": right,
            "fixture_cells_wrong": wrong, "fixture_files_all_ok": files_ok,
            "ms_per_fixture": 1000 * statistics.mean(seconds), **_h02()}


def _h02() -> dict:
    from nianbao import extract_path
    from tests.test_real_gold import _ambiguous, _expected, _same

    gold = json.loads((H02.parent / "gold" / (H02.stem + ".json")).read_text(encoding="utf-8"))
    rep = extract_path(H02)
    cells, _ = _expected(gold)
    amb = _ambiguous(gold)
    ok = wrong = 0
    for key, want in cells.items():
        if key in amb:
            continue
        cv = rep.cells.get(key)
        if want is None:
            ok += cv is not None and cv.status == "blank"
            wrong += cv is not None and cv.status == "read"
        elif cv is not None and cv.status == "read":
            ok += _same(cv.value, want)
            wrong += not _same(cv.value, want)
    return {"h02_cells": len([k for k in cells if k not in amb]), "h02_ok": ok, "h02_wrong": wrong}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5, help="subprocess runs per cost (median)")
    ap.add_argument("--json", action="store_true", help="one JSON line instead of the table")
    ap.add_argument("--accuracy-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.accuracy_only:   # in a subprocess of its own: MuPDF may crash on a fixture
        print(json.dumps(accuracy()))
        return
    import importlib.metadata as md

    requires = sorted(r.split(";")[0].split(">")[0].split("=")[0].strip() for r in md.requires("pymupdf") or ())
    p = subprocess.run([sys.executable, __file__, "--accuracy-only"], capture_output=True, text=True, env=_env())
    acc = json.loads(p.stdout) if p.returncode == 0 else {"accuracy": f"crash (exit {p.returncode})"}
    result = {"pymupdf": md.version("pymupdf"), "requires": requires, **costs(args.n), **acc}
    if args.json:
        print(json.dumps(result))
        return
    for k, v in result.items():
        print(f"{k:<22} {v:.3f}" if isinstance(v, float) else f"{k:<22} {v}")


if __name__ == "__main__":
    main()
