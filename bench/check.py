"""Checking overhead: time of run_checks relative to read+extract, per input kind.

    python bench/check.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from extract import collect  # noqa: E402

from nianbao.checks import run_checks  # noqa: E402
from nianbao.extract import extract  # noqa: E402
from nianbao.readers import read_bytes  # noqa: E402


def per_call(fn, seconds: float) -> float:
    fn()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    print(f"{'kind':<6}{'extract ms':>12}{'check ms':>10}{'overhead':>10}")
    for kind, files in collect(ROOT / "tests" / "fixtures" / "same_report").items():
        if not files:
            continue
        reports = [extract(read_bytes(d, n)) for n, d in files]
        e = per_call(lambda: [extract(read_bytes(d, n)) for n, d in files], args.seconds) / len(files)
        c = per_call(lambda: [run_checks(r) for r in reports], args.seconds) / len(files)
        print(f"{kind:<6}{e * 1000:>12.2f}{c * 1000:>10.2f}{c / e:>10.1%}")


if __name__ == "__main__":
    main()
