#!/usr/bin/env python3
"""Make the legacy-format fixtures in tests/fixtures/legacy/ from the same-report fixtures, with LibreOffice.

  report.doc         tests/fixtures/same_report/report.docx saved as Word 97 (.doc)
  report2019.wps     report2019.docx "converted to wps": LibreOffice has no WPS Writer export and
                     writes Word 97 for it (it says "using filter : MS Word 97"); WPS Writer saves
                     .wps files in the same binary format, which is what a .wps on a portal usually is
  report.rtf         report.docx saved as RTF
  report2019.odt     report2019.docx saved as OpenDocument text
  report.et          report.html opened in LibreOffice Calc and saved as Excel 97; a WPS Spreadsheets
                     .et file is that binary format (LibreOffice has no .et export either)

The ground truth is the JSON beside each source (report.json, report2019.json). Needs soffice with
Writer and Calc (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui). LibreOffice stamps
dates into its files, so a rerun changes the bytes; run it only to change the fixtures.

Usage: .venv/bin/python scripts/make_legacy_fixtures.py [NAME …]     (e.g. report2019.odt; default all)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tests" / "fixtures" / "same_report"
OUT = ROOT / "tests" / "fixtures" / "legacy"

# (source, output name, --convert-to, --infilter or None)
JOBS = [("report.docx", "report.doc", "doc:MS Word 97", None),
        ("report2019.docx", "report2019.wps", "wps", None),
        ("report.docx", "report.rtf", "rtf:Rich Text Format", None),
        ("report2019.docx", "report2019.odt", "odt:writer8", None),
        ("report.html", "report.et", "xls:MS Excel 97", "HTML (StarCalc)")]


def convert(soffice: str, src: Path, out: Path, target: str, infilter: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        t = Path(tmp)
        cmd = [soffice, f"-env:UserInstallation={(t / 'profile').as_uri()}", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", target, "--outdir", str(t / "out"), str(src)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        made = list((t / "out").glob(src.stem + ".*"))
        if res.returncode != 0 or len(made) != 1:
            raise SystemExit(f"LibreOffice failed on {src.name}: {res.stdout.strip()} {res.stderr.strip()}")
        print(f"{out.name}: {res.stdout.strip()}")
        shutil.copyfile(made[0], out)


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found (Debian: libreoffice-writer-nogui libreoffice-calc-nogui)", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    only = set(sys.argv[1:])             # output names to make (default: all)
    for src, name, target, infilter in JOBS:
        if only and name not in only:
            continue
        convert(soffice, SRC / src, OUT / name, target, infilter)
    return 0


if __name__ == "__main__":
    sys.exit(main())
