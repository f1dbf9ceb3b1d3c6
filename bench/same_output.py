"""Same output as another revision: a guard for speed work, which must never change what is read.

    python bench/same_output.py [--ref main] [--n 400] [--also DIR ...] [--show 3]

Runs the code of `--ref` (a git revision, taken with `git archive` into a temporary folder) and the
code of this checkout on the same inputs, each in its own process, and compares everything a reader,
the extractor, the checks and the batch produce for each file:

- the full extraction (`Report.to_dict()`: every cell's value, raw text, status, unit, place and note,
  sections, extra rows, problems) and the report's misplaced/buried headings and printed labels;
- every finding of `run_checks` (`Finding.to_dict()` in Chinese and English, hint, cells, values);
- the rows a batch worker sends to the store (`corpus.batch._work`: files, reports — without the time
  stamp — cells, findings and sections), parsed back from the CSV.

Inputs: every report file under tests/fixtures and tests/data (except the scanned and legacy ones, which
need OCR or LibreOffice), `--n` generated reports as `bench/batch.py` makes them (text in three layouts,
UTF-8 and GB18030, HTML; both formats; zero-heavy ones), and every file under each `--also DIR` (e.g. a
`bench/accuracy.py --keep DIR` folder: DOCX variants, large numbers, reworded labels). Prints the number
of files compared and the differing ones (with the first differences); exits 1 when any output differs.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = ("scanned", "legacy")
SUFFIXES = (".txt", ".md", ".html", ".htm", ".mht", ".mhtml", ".docx", ".pdf", ".ofd")


def inputs(n: int, also: list[str]) -> list[tuple[str, bytes]]:
    sys.path.insert(0, str(ROOT / "src"))
    from nianbao.render import to_html, to_text
    from nianbao.synth import random_report
    out = []
    for base in (ROOT / "tests" / "fixtures", ROOT / "tests" / "data", *map(Path, also)):
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUFFIXES and not any(d in p.parts for d in SKIP_DIRS):
                out.append((str(p.relative_to(base.parent) if base.is_relative_to(ROOT) else p), p.read_bytes()))
    rng = random.Random(7)
    for i in range(n):
        r = random_report(rng, rng.choice(["2019", "2021"]), zero_share=rng.choice([0.0, 0.5, 0.9]))
        if rng.random() < 0.25:
            out.append((f"gen/r{i:05d}.html", to_html(r).encode("utf-8")))
        else:
            layout = rng.choice(["tabbed", "cell_per_line", "pipes"])
            out.append((f"gen/r{i:05d}.txt", to_text(r, layout).encode(rng.choice(["utf-8", "gb18030"]))))
    return out


def _where(w):
    return None if w is None else w.to_dict()


def dump(inputs_file: str, out_file: str) -> None:
    """Child: read the inputs (pickled list) with the code on sys.path and write one JSON line per file."""
    import pickle
    from nianbao.checks import run_checks
    from nianbao.corpus.batch import _work
    from nianbao.errors import NianbaoError
    from nianbao.extract import extract
    from nianbao.readers import read_bytes
    with open(inputs_file, "rb") as fh:
        files = pickle.load(fh)
    with open(out_file, "w", encoding="utf-8") as out:
        for name, data in files:
            rec: dict = {"name": name}
            try:
                rep = extract(read_bytes(data, name))
            except NianbaoError as e:
                rec["error"] = [e.code, e.message]
            else:
                rec["report"] = rep.to_dict()
                rec["extra"] = {"misplaced": [[n, t, _where(w)] for n, t, w in rep.misplaced],
                                "buried": [[n, t, _where(w)] for n, t, w in rep.buried],
                                "labels": [[t, r, s, _where(w)] for t, r, s, w in rep.labels],
                                "present": sorted(rep.present)}
                rec["findings"] = [{**f.to_dict(), "message_en": f.message_en} for f in run_checks(rep)]
            sha = hashlib.sha256(data).hexdigest()
            res = _work([(name, data, sha)])
            items = [[p, s, size, None if row is None else row[:12] + row[13:], failure]
                     for p, s, size, row, failure in res["items"]]
            rec["rows"] = {"items": items,
                           **{t: list(csv.reader(io.StringIO(b.decode("utf-8")))) for t, b in res["csv"].items()}}
            out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ref", default="main", help="git revision to compare with (default main)")
    ap.add_argument("--n", type=int, default=400, help="generated reports (default 400)")
    ap.add_argument("--also", action="append", default=[], help="a folder of more inputs (repeatable)")
    ap.add_argument("--show", type=int, default=3, help="differing files to show in detail")
    ap.add_argument("--dump", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        dump(*args.dump)
        return 0
    import pickle
    files = inputs(args.n, args.also)
    with tempfile.TemporaryDirectory(prefix="nianbao-same-") as tmp:
        ref_src = Path(tmp) / "ref"
        ref_src.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref, "src"], check=True,
                                 capture_output=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(ref_src)
        with open(Path(tmp) / "inputs.pkl", "wb") as fh:
            pickle.dump(files, fh)
        outs = {}
        procs = []
        for label, src in (("ref", ref_src / "src"), ("here", ROOT / "src")):
            outs[label] = Path(tmp) / f"{label}.jsonl"
            env = {**os.environ, "PYTHONPATH": str(src), "NIANBAO_TIME_LIMIT": "0"}
            procs.append(subprocess.Popen([sys.executable, __file__, "--dump", str(Path(tmp) / "inputs.pkl"),
                                           str(outs[label])], env=env, cwd=tmp))
        if any(p.wait() for p in procs):
            print("a dump failed", file=sys.stderr)
            return 2
        ref = outs["ref"].read_text(encoding="utf-8").splitlines()
        here = outs["here"].read_text(encoding="utf-8").splitlines()
    differ = [(a, b) for a, b in zip(ref, here) if a != b]
    print(f"files compared {len(here)} (ref {args.ref}: {len(ref)}); differing {len(differ) + abs(len(ref) - len(here))}")
    for a, b in differ[:args.show]:
        ja, jb = json.loads(a), json.loads(b)
        print(f"--- {ja['name']}")
        _show(ja, jb, "")
    return 1 if differ or len(ref) != len(here) else 0


def _show(a, b, path: str, limit: list | None = None) -> None:
    limit = limit if limit is not None else [10]
    if limit[0] <= 0 or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            _show(a.get(k), b.get(k), f"{path}.{k}", limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _show(x, y, f"{path}[{i}]", limit)
    else:
        limit[0] -= 1
        print(f"  {path}: ref {json.dumps(a, ensure_ascii=False)[:300]}")
        print(f"  {' ' * len(path)}  now {json.dumps(b, ensure_ascii=False)[:300]}")


if __name__ == "__main__":
    sys.exit(main())
