"""Fuzz run: thousands of seeded mutations of the seed reports in all four kinds, each extracted in a
forked child (peak memory, time limit, any crash), judged by the invariants of tests/fuzzing.py.

    python bench/fuzz.py [--n 5000] [--seed 16] [--seconds 30] [--show 10] [--no-huge]

Prints counts: cases, crashes, hangs, silently wrong values, silent blanks, memory-bound breaches
(peak > 20 × input size + 200 MB), the share of reports with any silently wrong cell, and the same
without the known open items of other owners (tests/test_fuzz.py OPEN), with a breakdown.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests import fuzzing as F  # noqa: E402
from tests.test_fuzz import _open  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=F.CASE_SECONDS)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--no-huge", action="store_true")
    a = ap.parse_args()
    import nianbao.extract  # noqa: F401 - loaded once, before forking
    import nianbao.readers.docx  # noqa: F401
    import nianbao.readers.html  # noqa: F401
    import nianbao.readers.pdf  # noqa: F401
    import nianbao.readers.text  # noqa: F401
    t0 = time.time()
    done = [0]

    def progress(i, case, vs):
        done[0] = i + 1
        if (i + 1) % 500 == 0:
            print(f"  {i + 1} cases, {time.time() - t0:.0f} s", file=sys.stderr, flush=True)

    verdicts = F.run_cases(F.make_cases(a.n, a.seed, huge=not a.no_huge), a.seconds, progress)
    elapsed = time.time() - t0
    c = F.counts(verdicts)
    cn = F.counts([v if v.kind == "ok" or _open(v) is None else F.Verdict(v.case, "ok") for v in verdicts])
    kinds = collections.Counter({id(v.case): v.case.kind for v in verdicts}.values())
    print(f"cases: {c['cases']} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}) "
          f"in {elapsed:.0f} s, seed {a.seed}")
    print(f"{'':38}{'all':>8}{'without OPEN':>14}")
    for key, label in [("crash", "crashes"), ("hang", "hangs"), ("wrong", "cases with silently wrong values"),
                       ("wrong_cells", "  silently wrong cells/org/year"), ("blank", "cases with silent blanks"),
                       ("blank_cells", "  silently blank cells"), ("memory", "memory-bound breaches")]:
        print(f"{label:38}{c[key]:>8}{cn[key]:>14}")
    print(f"{'share of reports with a wrong cell':38}{c['share_reports_silently_wrong']:>8.2%}"
          f"{cn['share_reports_silently_wrong']:>14.2%}")
    by_open = collections.Counter(_open(v) for v in verdicts if v.kind != "ok" and _open(v))
    if by_open:
        print("open items (other owners, tests/test_fuzz.py OPEN), breaches:")
        for what, n in by_open.most_common():
            print(f"  {n:5}  {what}")
    shown = 0
    for v in verdicts:
        if v.kind != "ok" and _open(v) is None and shown < a.show:
            shown += 1
            print(f"NEW {v.kind}: {v.case.seed} {v.case.mutation} {v.case.note} | {v.detail[:200]}")
    peak = max((v for v in verdicts), key=lambda v: v.case.size).case
    print(f"largest input {peak.size / F.MB:.1f} MB ({peak.seed} {peak.mutation})")


if __name__ == "__main__":
    main()
