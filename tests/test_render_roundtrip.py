"""Render never drops data: a report rendered as DOCX, HTML, Markdown and text extracts back with every
value, status, unit and extra row (with the row it subdivides) — over the seeds and random reports with every
cell status. Inferred cells print 「0（推定）」 and read back inferred."""
import random

import pytest

from nianbao import extract_path
from nianbao.formats import FORMATS
from nianbao.render import to_docx, to_html, to_markdown, to_text
from nianbao.render.layout import lost_parents
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


def extras(d, lost=()):
    """Each extra row's table, label, the row it subdivides (`parent`; None for those in `lost`, which render says
    it cannot keep), place (the row it follows) and values."""
    return sorted((e["table"], e["label"], None if (e["table"], e["label"]) in lost else e["parent"], e["after"],
                   sorted(e["values"].items())) for e in d["extra_rows"])


def same(before, after):
    """Cells that do not read back as they were (status, value and unit)."""
    return [(k, v, after.get(k)) for k, v in before.items() if after.get(k) != v]


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
    assert any(e["parent"] for d in ds for e in d["extra_rows"]) and any(c.get("unit") for d in ds for c in d["cells"])
    assert not any(lost_parents(d) for d in ds)          # every seed's sub-rows print as sub-rows


def with_statuses(rng, report, split):
    """A random report with a `cells` list: some cells missing, inferred, not applicable or blank, money with 万元,
    and two extra sub-rows under the last row of 表二's last block — that row split (no value of its own: the
    sub-rows print beside its label) or not (they print below it, and render says they read back as added rows)."""
    fmt = FORMATS[report["format"]]
    last = fmt.table("t2").blocks[-1].rows[-1]
    out = []
    for spec in fmt.tables:
        for row in spec.cell_rows():
            for col in spec.columns_of(row.key):
                v = report["tables"][spec.key][row.key][col.key]
                x = rng.random()
                status, unit = "read", None
                if split and spec.key == "t2" and row.key == last:
                    status, v = "missing", None     # split into sub-rows: no value of its own
                elif x < 0.05:
                    status, v = "missing", None
                elif x < 0.08 and spec.key == "t3" and v is not None:
                    status = "inferred"
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
    report["extra_rows"] = [{"table": "t2", "label": label, "parent": last, "after": last,
                             "values": {c.key: rng.randint(0, 9) for c in t2.columns_of(last)}}
                            for label in ("行政检查", "行政确认")]
    return report


@pytest.mark.parametrize("n", range(8))
def test_random_report_round_trip(tmp_path, n):
    rng = random.Random(1000 + n)
    split = n % 4 < 2
    report = with_statuses(rng, random_report(rng, "2019" if n % 2 else "2021", zero_share=0.4), split)
    lost = {(e["table"], e["label"]) for e, _, _ in lost_parents(report)}
    assert bool(lost) is not split and any(c["status"] == "inferred" for c in report["cells"])
    for kind in KINDS:
        again = extract_path(write(report, kind, tmp_path)).to_dict()
        assert same(cells(report), cells(again)) == [], kind
        assert extras(again) == extras(report, lost), kind


def test_render_says_which_sub_rows_it_cannot_keep(tmp_path, capsys):
    import json
    from nianbao.cli import main
    rng = random.Random(7)
    report = with_statuses(rng, random_report(rng, "2021", zero_share=0.4), split=False)
    src = tmp_path / "r.json"
    src.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err
    assert "表二「行政事业性收费」的子行「行政检查」印在该行下方，读回时是新增行" in err and "该行自身有数值" in err
