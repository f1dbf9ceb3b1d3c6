"""Render never drops data: a report rendered as DOCX, HTML, Markdown and text extracts back with every
value, status, unit and extra row — over the seeds and random reports with every cell status."""
import random

import pytest

from nianbao import extract_path
from nianbao.formats import FORMATS
from nianbao.render import to_docx, to_html, to_markdown, to_text
from nianbao.synth import random_report

from .conftest import DATA

KINDS = ("docx", "html", "md", "txt")


def write(report, kind, folder):
    path = folder / f"r.{kind}"
    if kind == "docx":
        to_docx(report, str(path))
    else:
        text = {"html": to_html, "md": to_markdown, "txt": lambda r: to_text(r, "tabbed")}[kind](report)
        path.write_text(text, encoding="utf-8")
    return path


def cells(d):
    """Status, value, and the unit of a value read."""
    return {(c["table"], c["row"], c["col"]): (c["status"], c["value"], c.get("unit") if c["status"] == "read" else None)
            for c in d["cells"]}


def extras(d):
    """Each extra row's table, label, place (the row it follows) and values. Which row it subdivides
    (`parent`) is not kept: the official layout has one label column, so a sub-row prints below its row."""
    return sorted((e["table"], e["label"], e["after"], sorted(e["values"].items())) for e in d["extra_rows"])


def same(before, after):
    """Cells that do not read back as they were. An inferred value (never printed: rendered 「未填报」) may come
    back missing, or inferred again to the same value, but never as read."""
    bad = []
    for k, v in before.items():
        got = after.get(k)
        if v[0] == "inferred":
            if got is None or got[0] not in ("missing", "inferred") or (got[0] == "inferred" and got[1] != v[1]):
                bad.append((k, v, got))
        elif got != v:
            bad.append((k, v, got))
    return bad


SEEDS = sorted((DATA / "seeds").glob("*.txt"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_round_trip(tmp_path, seed, kind):
    d = extract_path(seed).to_dict()
    again = extract_path(write(d, kind, tmp_path)).to_dict()
    assert same(cells(d), cells(again)) == []
    assert extras(again) == extras(d)
    assert (again["org"], again["year"], again["format"]) == (d["org"], d["year"], d["format"])


def test_the_seeds_have_what_this_test_is_about():
    ds = [extract_path(s).to_dict() for s in SEEDS]
    statuses = {c["status"] for d in ds for c in d["cells"]}
    assert {"read", "missing", "inferred"} <= statuses
    assert any(d["extra_rows"] for d in ds) and any(c.get("unit") for d in ds for c in d["cells"])


def with_statuses(rng, report):
    """A random report with a `cells` list: some cells missing, not applicable or blank, money with 万元, and
    an extra sub-row under the last row of 表二's last block."""
    fmt = FORMATS[report["format"]]
    out = []
    for spec in fmt.tables:
        for row in spec.cell_rows():
            for col in spec.columns_of(row.key):
                v = report["tables"][spec.key][row.key][col.key]
                x = rng.random()
                status, unit = "read", None
                if x < 0.05:
                    status, v = "missing", None
                elif x < 0.08:
                    status, v = "not_applicable", None
                elif x < 0.11 and spec.key == "t2":
                    status, v = "blank", None
                elif col.kind == "money" and v is not None:
                    unit = "万元"
                report["tables"][spec.key][row.key][col.key] = v
                out.append({"table": spec.key, "row": row.key, "col": col.key, "value": v, "status": status,
                            "unit": unit, "raw": None})
    report["cells"] = out
    t2 = fmt.table("t2")
    last = t2.blocks[-1].rows[-1]
    values = {c.key: rng.randint(0, 9) for c in t2.columns_of(last)}
    report["extra_rows"] = [{"table": "t2", "label": "行政检查", "parent": last, "after": last, "values": values}]
    return report


@pytest.mark.parametrize("n", range(8))
def test_random_report_round_trip(tmp_path, n):
    rng = random.Random(1000 + n)
    report = with_statuses(rng, random_report(rng, "2019" if n % 2 else "2021", zero_share=0.4))
    for kind in KINDS:
        again = extract_path(write(report, kind, tmp_path)).to_dict()
        assert same(cells(report), cells(again)) == [], kind
        assert extras(again) == extras(report), kind
