"""Rows whose printed label is not the format's: a misspelt label matched by its numbering and
position, and a 2021 表三 that prints （六）其他处理 as one row (as the 2019 format does).
Both occur in h02 (tests/data/real/h02_hongze_qzf_2024.pdf)."""
import random
import re

import pytest

from nianbao import extract, read_bytes
from nianbao.render import to_html, to_text
from nianbao.synth import random_report

RIGHT = "2.其他法律行政法规禁止公开"


def _report(seed=5):
    rep = random_report(random.Random(seed), "2021", zero_share=0.2)
    n = 101
    for rows in rep["tables"].values():
        for cols in rows.values():
            for c in cols:
                cols[c] = n
                n += 1
    return rep


def _extract(src, kind):
    return extract(read_bytes(src.encode("utf-8"), "r.html" if kind == "html" else "r.txt"))


def _render(rep, kind):
    return to_html(rep) if kind == "html" else to_text(rep, kind)


@pytest.mark.parametrize("kind", ["tabbed", "cell_per_line", "pipes", "html"])
def test_misspelt_label_between_two_good_ones_is_matched_by_numbering_and_position(kind):
    rep = _report()
    src = _render(rep, kind).replace(RIGHT, "2.其他法律行政止公开")
    got = _extract(src, kind)
    assert got.tables()["t3"] == rep["tables"]["t3"]
    for c in rep["tables"]["t3"]["denied_2"]:
        cv = got.cell("t3", "denied_2", c)
        assert cv.status == "read" and "2.其他法律行政止公开" in cv.note and RIGHT in cv.note
    assert [p.code for p in got.problems if p.code == "label-by-position"] == ["label-by-position"]
    assert got.extra_rows == []


@pytest.mark.parametrize("replace,why", [
    ({RIGHT: "2.其他法律行政止公开", "3.危及“三安全一稳定”": "3.危及三安定"}, "two neighbours misspelt"),
    ({RIGHT: "5.其他法律行政止公开"}, "numbering does not fit the position"),
    ({RIGHT: "2.其他"}, "too little of the label is left"),
    ({RIGHT: "其他法律行政止公开"}, "no numbering"),
])
def test_label_is_not_guessed_when_numbering_or_position_is_not_unambiguous(replace, why):
    rep = _report()
    src = to_text(rep, "tabbed")
    for a, b in replace.items():
        src = src.replace(a, b)
    got = _extract(src, "tabbed")
    for c in rep["tables"]["t3"]["denied_2"]:
        cv = got.cell("t3", "denied_2", c)
        assert cv.status == "missing" and cv.value is None, why
    assert any(e.raw == [str(v) for v in rep["tables"]["t3"]["denied_2"].values()] for e in got.extra_rows), why
    untouched = {r: v for r, v in got.tables()["t3"].items() if r not in ("denied_2", "denied_3")}
    assert untouched == {r: v for r, v in rep["tables"]["t3"].items() if r not in ("denied_2", "denied_3")}


# -- （六）其他处理 printed as one row in a 2021 表三 --------------------------------------------------
def _single_other_row(rep, kind, values):
    """The 2021 table with （六） printed as one row holding `values` instead of its three sub-rows."""
    src = _render(rep, kind)
    vals = [str(v) for v in values]
    if kind == "tabbed":
        start = src.index("\t（六）其他处理")
        end = src.index("\t（七）总计")
        return src[:start] + "\t（六）其他处理\t\t" + "\t".join(vals) + "\n" + src[end:]
    if kind == "html":
        start = src.rindex("<tr", 0, src.index("（六）其他处理"))
        end = src.rindex("<tr", 0, src.index("（七）总计"))
        row = "<tr><td colspan=\"2\">（六）其他处理</td>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>"
        head = src[:start]
        # the group cell of 三、本年度办理结果 spans three rows fewer now
        head = re.sub(r'rowspan="(\d+)"([^>]*>三、本年度办理结果)', lambda m: f'rowspan="{int(m.group(1)) - 2}"{m.group(2)}', head)
        return head + row + src[end:]
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["tabbed", "html"])
def test_single_other_row_of_zeros_gives_sub_rows_inferred_zero(kind):
    rep = _report()
    src = _single_other_row(rep, kind, [0] * 7)
    got = _extract(src, kind)
    for r in ("other_1", "other_2", "other_3"):
        for c in rep["tables"]["t3"][r]:
            cv = got.cell("t3", r, c)
            assert (cv.status, cv.value) == ("inferred", 0) and "（六）其他处理" in cv.note
    (row,) = [e for e in got.extra_rows if "其他处理" in e.label]
    assert row.raw[-7:] == ["0"] * 7 and row.values == {c: 0 for c in rep["tables"]["t3"]["other_1"]}
    assert "group-row-only" in [p.code for p in got.problems]
    others = {r: v for r, v in got.tables()["t3"].items() if not r.startswith("other_")}
    assert others == {r: v for r, v in rep["tables"]["t3"].items() if not r.startswith("other_")}


@pytest.mark.parametrize("kind", ["tabbed", "html"])
def test_single_other_row_with_counts_is_kept_never_dropped(kind):
    rep = _report()
    printed = [3, 0, 1, 0, 0, 0, 4]
    got = _extract(_single_other_row(rep, kind, printed), kind)
    cols = list(rep["tables"]["t3"]["other_1"])
    (row,) = [e for e in got.extra_rows if "其他处理" in e.label]
    assert row.values == dict(zip(cols, printed))
    for r in ("other_1", "other_2", "other_3"):
        for c, v in zip(cols, printed):
            cv = got.cell("t3", r, c)
            if v == 0:
                assert (cv.status, cv.value) == ("inferred", 0)
            else:                               # cannot be split over three sub-rows
                assert (cv.status, cv.value) == ("missing", None) and f"「{v}」" in cv.note


def test_h02_keeps_its_single_other_row_and_reads_its_misspelt_row():
    from pathlib import Path

    from nianbao import extract_path
    rep = extract_path(Path(__file__).parent / "data" / "real" / "h02_hongze_qzf_2024.pdf")
    assert [(e.label, e.raw[-7:]) for e in rep.extra_rows] == [("（六）其他处理", ["0"] * 7)]
    cv = rep.cell("t3", "denied_2", "natural")
    assert (cv.status, cv.value) == ("read", 0) and "其他法律行政止公开" in cv.note
