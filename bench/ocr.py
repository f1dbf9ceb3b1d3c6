#!/usr/bin/env python3
"""OCR accuracy and speed on scanned reports (needs the extra: pip install 'nianbao[ocr]').

Makes scans with scripts/make_scanned_fixtures.py's functions (seeds and random reports rendered,
rasterised at 150 and 300 dpi, with noise, a slight rotation and a red seal over 表三), and reports whose
表三/表四 are pasted as pictures into a DOCX and a web page (scripts/make_picture_fixtures.py), reads them
with `nianbao extract --ocr`'s code on one core, and prints per file and in total:

  * exact: cells of 表二/表三/表四 whose value is the printed one (read or inferred);
  * wrong but read: cells `read` with another value (the goal is 0: the identities catch misreads);
  * inferred / missing: cells the identities determined, and cells left missing;
  * seconds per page (CPU time of the reading process, one thread); for a DOCX or web page, per picture
    of a table read by OCR.

Usage:
  python bench/ocr.py [--n 2] [--dpi 150 300] [--committed] [--show]
  --committed reads the fixtures in tests/fixtures/scanned instead of making new ones.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))


def score(report: dict, truth: dict) -> dict:
    """Compare an extracted report (contract JSON) with the ground truth's tables."""
    out = {"cells": 0, "exact": 0, "wrong_read": 0, "inferred": 0, "missing": 0, "wrong": []}
    for c in report["cells"]:
        t = (truth["tables"].get(c["table"]) or {}).get(c["row"], {}).get(c["col"], "absent")
        if t == "absent":
            continue
        out["cells"] += 1
        v = c["value"]
        ok = (v == t) or (t is None and c["status"] == "blank")
        if ok and c["status"] in ("read", "inferred", "blank"):
            out["exact"] += 1
        if c["status"] == "read" and not ok:
            out["wrong_read"] += 1
            out["wrong"].append((c["table"], c["row"], c["col"], v, t, c.get("note")))
        if c["status"] == "inferred":
            out["inferred"] += 1
        if c["status"] == "missing":
            out["missing"] += 1
    return out


def read_scan(path: Path) -> tuple[dict, float, int]:
    from nianbao.extract import extract_path
    from nianbao.readers import ocr
    t = time.process_time()
    with ocr.switched(True):
        rep = extract_path(path)
    d = rep.to_dict()
    pictures = {c["where"]["image"] for c in d["cells"] if c.get("where") and "image" in c["where"]}
    return d, time.process_time() - t, len(pictures) or rep.source.pages or 1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2, help="random reports per resolution (plus one seed)")
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    ap.add_argument("--committed", action="store_true")
    ap.add_argument("--show", action="store_true", help="list the cells that are not exact")
    a = ap.parse_args()
    from nianbao.readers import ocr
    if not ocr.available():
        print("the OCR extra is not installed: pip install 'nianbao[ocr]'", file=sys.stderr)
        return 2
    os.environ["NIANBAO_TIME_LIMIT"] = "0"
    tmp = None
    if a.committed:
        files = sorted((ROOT / "tests" / "fixtures" / "scanned").glob("*.pdf")) + \
            sorted((ROOT / "tests" / "fixtures" / "scanned").glob("*.png")) + \
            sorted((ROOT / "tests" / "fixtures" / "pictures").glob("*.docx")) + \
            sorted((ROOT / "tests" / "fixtures" / "pictures").glob("*.html"))
    else:
        import make_scanned_fixtures as m
        soffice = m._soffice()
        if soffice is None:
            print("LibreOffice (soffice) is needed to render the reports", file=sys.stderr)
            return 2
        tmp = Path(tempfile.mkdtemp(prefix="nianbao-ocr-bench-"))
        files = []
        seeds = ["000_ca8a2528f0fad91b", "003_74ac7cc249356a73", "004_ad88d0bc66619eac"]
        for dpi in a.dpi:
            jobs = [(f"seed{seeds[dpi % 3][:3]}_{dpi}", m.seed_report(seeds[dpi % 3]))]
            jobs += [(f"random{100 + i}_{dpi}", m.random_report(100 + i, "2021" if i % 3 else "2019"))
                     for i in range(a.n)]
            for k, (name, rep) in enumerate(jobs):
                files += [p for p in m.make(name, rep, dpi, 1000 + dpi + k, soffice, tmp, picture=(k == 1))
                          if p.suffix in (".pdf", ".png")]
        import make_picture_fixtures as mp       # tables pasted as pictures (150 dpi) into DOCX and HTML
        for i in range(a.n):
            seed, fmt, kind = 200 + i, "2021" if i % 2 else "2019", ("docx", "html")[i % 2]
            files += [p for p in mp.make(f"pictures{seed}_{kind}", seed, fmt, kind, soffice, tmp)
                      if p.suffix in (".docx", ".html")]
    total = {"cells": 0, "exact": 0, "wrong_read": 0, "inferred": 0, "missing": 0}
    t3t4 = {"cells": 0, "exact": 0, "wrong_read": 0}
    secs = pages = 0.0
    print(f"{'file':28} {'pages':>5} {'s/page':>7} {'cells':>6} {'exact':>7} {'wrong read':>10} {'inferred':>8} {'missing':>7}")
    for f in files:
        truth = json.loads(f.with_name(f.name.split(".")[0] + ".truth.json").read_text("utf-8"))
        rep, s, n = read_scan(f)
        sc = score(rep, truth)
        sub = score({"cells": [c for c in rep["cells"] if c["table"] in ("t3", "t4")]}, truth)
        for k in total:
            total[k] += sc[k]
        for k in t3t4:
            t3t4[k] += sub[k]
        secs += s
        pages += n
        print(f"{f.name:28} {n:5d} {s / n:7.1f} {sc['cells']:6d} {sc['exact'] / max(1, sc['cells']):7.2%} "
              f"{sc['wrong_read']:10d} {sc['inferred']:8d} {sc['missing']:7d}")
        if a.show:
            for c in rep["cells"]:
                t = (truth["tables"].get(c["table"]) or {}).get(c["row"], {}).get(c["col"])
                if c["value"] != t or c["status"] not in ("read", "blank"):
                    print(f"    {c['table']}.{c['row']}.{c['col']}: {c['status']} {c['value']!r} (printed {t!r}) "
                          f"{c.get('note') or ''}")
        for w in sc["wrong"]:
            print("    WRONG BUT READ:", w)
    print(f"\nall tables: {total['cells']} cells, {total['exact'] / max(1, total['cells']):.2%} exact, "
          f"{total['wrong_read']} wrong but read, {total['inferred']} inferred, {total['missing']} missing")
    print(f"表三/表四: {t3t4['cells']} cells, {t3t4['exact'] / max(1, t3t4['cells']):.2%} exact, "
          f"{t3t4['wrong_read']} wrong but read")
    print(f"{pages:.0f} pages or pictures, {secs / max(1, pages):.1f} CPU s per page or picture (one thread)")
    if tmp is not None:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
