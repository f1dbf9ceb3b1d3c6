#!/usr/bin/env python3
"""How long OFD and the LibreOffice formats take to read, next to their PDF/DOCX twins.

    python bench/legacy_formats.py [--runs 5] [--no-soffice]

OFD: read + extract of tests/fixtures/ofd/*.ofd and of the PDF twin (best of --runs, in-process).
Legacy: read + extract of tests/fixtures/legacy/* (each a full LibreOffice start and conversion in its
own temporary profile; best of 3) against the DOCX/HTML twin, and the CPU seconds LibreOffice used per
conversion (its processes, counted when reaped). Prints milliseconds per file (wall clock).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nianbao.extract import extract  # noqa: E402
from nianbao.readers import read  # noqa: E402
from nianbao.readers.legacy import soffice  # noqa: E402

FIX = ROOT / "tests" / "fixtures"


def best(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        extract(read(path))
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-soffice", action="store_true")
    args = ap.parse_args()
    best(FIX / "same_report" / "report.pdf", 1)          # imports and warm-up
    best(FIX / "ofd" / "report.ofd", 1)
    print(f"{'file':32} {'ms':>9}   twin {'ms':>9}")
    for ofd in sorted((FIX / "ofd").glob("*.ofd")):
        twin = FIX / "same_report" / (ofd.stem + ".pdf")
        print(f"{'ofd/' + ofd.name:32} {best(ofd, args.runs):9.1f}   {twin.name:16} {best(twin, args.runs):9.1f}")
    if args.no_soffice or soffice() is None:
        print("LibreOffice formats: skipped (no soffice)" if not args.no_soffice else "")
        return 0
    twins = {"report.doc": "report.docx", "report2019.wps": "report2019.docx", "report.rtf": "report.docx",
             "report.et": "report.html"}
    for name, twin in twins.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        ms = best(FIX / 'legacy' / name, 3)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / 3
        print(f"{'legacy/' + name:32} {ms:9.1f}   {twin:16} {best(FIX / 'same_report' / twin, args.runs):9.1f}"
              f"   LibreOffice CPU {cpu:.2f} s per conversion")
    return 0


if __name__ == "__main__":
    sys.exit(main())
