"""Mutation rates of the checker: single-cell mutations that break an identity (blanks as 0) or make a
value impossible, and how many are reported at error level on the mutated cell.

    python bench/mutation.py [--trials 5000] [--seed 1]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests.test_mutation import KINDS, run_mutations  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
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


if __name__ == "__main__":
    main()
