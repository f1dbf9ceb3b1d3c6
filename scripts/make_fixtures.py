#!/usr/bin/env python3
"""Render the reader fixtures: one report, every file kind a reader must handle.

For each report JSON in the fixture directory (default tests/fixtures/same_report/:
report.json in the 2021 format, report2019.json in the 2019 format), write beside it:

  NAME.html        render/html.py (UTF-8)
  NAME.docx        render/docx.py (real merged cells; byte-for-byte deterministic)
  NAME.pdf         the DOCX converted by LibreOffice (soffice --headless --convert-to pdf)
  NAME_gbk.txt     render/text.py "tabbed" layout, encoded GB18030, CRLF line ends
  NAME_cpl.txt     render/text.py "cell_per_line" layout, UTF-8 with BOM
  NAME_pipes.txt   render/text.py "pipes" layout, UTF-8
  NAME_layout.txt  the PDF saved as text with its layout (`pdftotext -layout`, poppler): columns
                   aligned by spaces, wrapped labels beside the values

The JSON files are the ground truth (contract shape, every identity satisfied); the script
refuses a JSON that breaks an identity or misses a template cell.

Idempotent: a file is only rewritten when its content changes. The PDF is regenerated only
when the DOCX changed or the PDF is missing (LibreOffice stamps dates into PDFs), or with
--force. Without LibreOffice the PDF step is skipped with a warning (or fails with
--require-pdf).

Usage:
  .venv/bin/python scripts/make_fixtures.py            # all *.json in the fixture directory
  .venv/bin/python scripts/make_fixtures.py --no-pdf
  .venv/bin/python scripts/make_fixtures.py --dir DIR --force
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nianbao.render.docx import to_docx_bytes  # noqa: E402
from nianbao.render.html import to_html  # noqa: E402
from nianbao.render.text import to_text  # noqa: E402
from nianbao.synth import kind_problems, violations  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "fixtures" / "same_report"


def fixture_date(report: dict) -> dt.date:
    """The 落款 date of the rendered fixtures: fixed (render's default would be today), 20 January of the
    next year, inside every publication deadline (第四十九条)."""
    return dt.date(int(report["year"]) + 1, 1, 20)


def _write(path: Path, data: bytes) -> bool:
    """Write if different; True when the file changed."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, pdf: Path, soffice: str, timeout: int = 300) -> None:
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        tmpd = Path(tmp)
        src = tmpd / docx.name
        shutil.copyfile(docx, src)
        profile = (tmpd / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(tmpd / "out"), str(src)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out = tmpd / "out" / (docx.stem + ".pdf")
        if res.returncode != 0 or not out.exists():
            raise RuntimeError(f"LibreOffice failed ({res.returncode}): {res.stderr.strip() or res.stdout.strip()}")
        shutil.copyfile(out, pdf)


def render_one(src: Path, *, pdf: bool, force: bool, require_pdf: bool) -> list[str]:
    report = json.loads(src.read_text(encoding="utf-8"))
    bad = [f"{i.code} {i.key}" for i in violations(report)] + kind_problems(report)
    if bad:
        raise SystemExit(f"{src}: not a valid report: {'; '.join(bad[:5])}")
    d, name = src.parent, src.stem
    changed: list[str] = []

    outputs = {
        f"{name}.html": to_html(report).encode("utf-8"),
        f"{name}_gbk.txt": to_text(report, "tabbed").replace("\n", "\r\n").encode("gb18030"),
        f"{name}_cpl.txt": to_text(report, "cell_per_line").encode("utf-8-sig"),
        f"{name}_pipes.txt": to_text(report, "pipes").encode("utf-8"),
        f"{name}.docx": to_docx_bytes(report, fixture_date(report)),
    }
    for fname, data in outputs.items():
        if _write(d / fname, data):
            changed.append(fname)

    pdf_path = d / f"{name}.pdf"
    if pdf:
        if force or f"{name}.docx" in changed or not pdf_path.exists():
            soffice = _soffice()
            if soffice is None:
                msg = "LibreOffice (soffice) not found: PDF not written"
                if require_pdf:
                    raise SystemExit(msg)
                print(f"warning: {msg}", file=sys.stderr)
            else:
                docx_to_pdf(d / f"{name}.docx", pdf_path, soffice)
                changed.append(pdf_path.name)
        layout = d / f"{name}_layout.txt"
        if pdf_path.exists() and (force or pdf_path.name in changed or not layout.exists()):
            if shutil.which("pdftotext") is None:
                print("warning: pdftotext (poppler-utils) not found: layout text not written", file=sys.stderr)
            else:
                subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), str(layout)],
                               check=True, timeout=120)
                changed.append(layout.name)
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Render the reader fixtures (HTML, DOCX, PDF, GB18030/BOM/pipes text) "
                    "from the report JSON files in a fixture directory.",
        epilog="Outputs per NAME.json: NAME.html NAME.docx NAME.pdf NAME_gbk.txt NAME_cpl.txt NAME_pipes.txt "
               "NAME_layout.txt")
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                    help=f"fixture directory holding the *.json reports (default: {DEFAULT_DIR.relative_to(ROOT)})")
    ap.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice PDF conversion")
    ap.add_argument("--require-pdf", action="store_true", help="fail when LibreOffice is missing")
    ap.add_argument("--force", action="store_true", help="regenerate the PDF even if the DOCX did not change")
    args = ap.parse_args(argv)

    sources = sorted(args.dir.glob("*.json"))
    if not sources:
        print(f"no *.json reports in {args.dir}", file=sys.stderr)
        return 2
    for src in sources:
        changed = render_one(src, pdf=not args.no_pdf, force=args.force, require_pdf=args.require_pdf)
        print(f"{src.name}: {'updated ' + ', '.join(changed) if changed else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
