"""Mutation rates of the checker: single-cell mutations that break an identity (blanks as 0) or make a
value impossible, and how many are reported at error level on the mutated cell.

    python bench/mutation.py [--trials 5000] [--seed 1]          # synthetic reports (tests/test_mutation.py)
    python bench/mutation.py --real [--per-kind 6] [--seed 1] [--generated 20]
        # real files, layout fixtures and random reports in real layouts, mutated in their printed
        # text (tests/real_mutation.py)
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests.real_mutation import GENERATED, SOURCES, Stats, run_all  # noqa: E402
from tests.test_mutation import KINDS, run_mutations  # noqa: E402


def synthetic(a) -> None:
    for fmt in ("2019", "2021"):
        t0 = time.perf_counter()
        res = run_mutations(fmt, a.trials, a.seed)
        s = res["stats"]
        should = sum(s[k][0] for k in KINDS)
        caught = sum(s[k][1] for k in KINDS)
        print(f"format {fmt}: {caught}/{should} = {100 * caught / should:.2f} % caught "
              f"({time.perf_counter() - t0:.0f} s); clean reports with an error: {res['clean_errors']}")
        for k in (*KINDS, "blanks_for_zeros"):
            n, c = s[k]
            print(f"  {k:<18} {c}/{n} = {100 * c / max(n, 1):.2f} %")
        for m in res["misses"][:5]:
            print("  missed:", m)


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:6.2f} %" if b else "     – "


def real(a) -> None:
    t0 = time.perf_counter()
    total = Stats()
    print(f"{'layout class':<18} {'files':>5} {'mutations':>9} {'caught':>16} {'read back':>16} "
          f"{'swallowed':>9} {'misread':>7} {'collateral':>10} {'lost':>4} {'unlocated':>9} {'partly read':>14}  false H errors (unmutated)")
    for cls, s in run_all(a.per_kind, a.seed, a.classes, a.generated).items():
        total.add(s)
        print(f"{cls:<18} {s.files:>5} {s.n:>9} {s.caught:>6} {pct(s.caught, s.n)} {s.read:>6} {pct(s.read, s.n)} "
              f"{s.swallowed:>9} {s.misread:>7} {s.collateral:>10} {s.lost:>4} {s.unlocated:>9} {str(s.partial_caught) + '/' + str(s.partial_n):>14}  {s.false_errors or '—'}")
        for m in s.misses[:a.show]:
            print("    missed:", m)
        for m in s.wrong[:a.show]:
            print("    WRONG VALUE:", m)
    s = total
    print(f"{'all':<18} {s.files:>5} {s.n:>9} {s.caught:>6} {pct(s.caught, s.n)} {s.read:>6} {pct(s.read, s.n)} "
          f"{s.swallowed:>9} {s.misread:>7} {s.collateral:>10} {s.lost:>4} {s.unlocated:>9} {str(s.partial_caught) + '/' + str(s.partial_n):>14}  ({time.perf_counter() - t0:.0f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real", action="store_true", help="mutate real files and layout fixtures in their printed text")
    ap.add_argument("--per-kind", type=int, default=6, help="--real: mutations of each kind per file")
    ap.add_argument("--classes", nargs="*", choices=[*SOURCES, *GENERATED], help="--real: only these layout classes")
    ap.add_argument("--generated", type=int, default=20, help="--real: random reports per generated layout class")
    ap.add_argument("--show", type=int, default=5, help="--real: missed mutations listed per class")
    a = ap.parse_args()
    real(a) if a.real else synthetic(a)


if __name__ == "__main__":
    main()
