"""Synthetic reports: valid by construction, complete, deterministic."""
from __future__ import annotations

import random

import pytest

from nianbao import formats as F
from nianbao.formats.model import COUNT, MONEY, SIGNED
from nianbao.synth import kind_problems, random_org, random_report, violations

SEEDS = range(500)
FMTS = ("2019", "2021")


def _value(report, t, r, c):
    return report["tables"][t][r][c]


@pytest.mark.parametrize("fmt", FMTS)
def test_every_identity_holds(fmt):
    f = F.get(fmt)
    for seed in SEEDS:
        rep = random_report(random.Random(seed), fmt)
        assert rep["format"] == fmt
        for ident in f.identities:
            lhs = sum(_value(rep, *ref) for ref in ident.lhs)
            rhs = sum(_value(rep, *ref) for ref in ident.rhs)
            assert lhs == rhs, (seed, ident.code, ident.key, lhs, rhs)
        assert violations(rep) == []


@pytest.mark.parametrize("fmt", FMTS)
def test_every_template_cell_present_with_its_kind(fmt):
    f = F.get(fmt)
    template = set(f.template_cells())
    for seed in SEEDS:
        rep = random_report(random.Random(seed), fmt, zero_share=(seed % 11) / 10)
        present = {(t, r, c) for t, rows in rep["tables"].items() for r, cols in rows.items() for c in cols}
        assert present == template, seed
        for t, r, c in template:
            v = _value(rep, t, r, c)
            kind = f.table(t).column(r, c).kind
            if kind == COUNT:
                assert type(v) is int and v >= 0, (seed, t, r, c, v)
            elif kind == SIGNED:
                assert type(v) is int, (seed, t, r, c, v)
            elif kind == MONEY:
                assert type(v) in (int, float) and v >= 0, (seed, t, r, c, v)
                if fmt == "2021":
                    assert type(v) is float
                    assert len(repr(v).partition(".")[2]) <= 4, v
        assert kind_problems(rep) == []


@pytest.mark.parametrize("fmt", FMTS)
def test_deterministic(fmt):
    for seed in SEEDS:
        assert random_report(random.Random(seed), fmt) == random_report(random.Random(seed), fmt)
    assert random_report(random.Random(1), fmt) != random_report(random.Random(2), fmt)


@pytest.mark.parametrize("fmt", FMTS)
def test_shape_and_narrative(fmt):
    f = F.get(fmt)
    first, last = f.years
    for seed in range(100):
        rep = random_report(random.Random(seed), fmt)
        assert rep["contract"] == 1
        assert first <= rep["year"] and (last is None or rep["year"] <= last)
        assert rep["org"] in rep["title"] and str(rep["year"]) in rep["title"]
        assert [s["number"] for s in rep["sections"]] == [s.number for s in f.sections]
        assert [s["title"] for s in rep["sections"]] == [s.title for s in f.sections]
        assert all(s["text"] for s in rep["sections"])
        assert str(rep["year"]) in rep["sections"][0]["text"]
        assert rep["org"] in rep["sections"][0]["text"]
        total = rep["tables"]["t3"]["new_received"]["total"]
        assert f"共收到政府信息公开申请{total}件" in rep["sections"][2]["text"]
        assert list(rep["tables"]) == [t.key for t in f.tables]


def test_year_and_org_can_be_given():
    rep = random_report(random.Random(0), "2021", year=2023, org="某某市某某区某某街道办事处")
    assert rep["year"] == 2023 and rep["org"] == "某某市某某区某某街道办事处"
    assert rep["title"] == "某某市某某区某某街道办事处2023年政府信息公开工作年度报告"


def test_zero_share_extremes():
    for fmt in FMTS:
        f = F.get(fmt)
        rep = random_report(random.Random(3), fmt, zero_share=1.0)
        assert all(_value(rep, *cell) == 0 for cell in f.template_cells())
        rep = random_report(random.Random(3), fmt, zero_share=0.0)
        h2 = next(i for i in f.identities if i.code == "H2")
        assert all(_value(rep, *cell) > 0 for cell in h2.rhs)


def test_2021_mentions_processing_fee_when_fees_unpaid():
    """C5: （六）2 > 0 → section 六 mentions 信息处理费."""
    for seed in range(200):
        rep = random_report(random.Random(seed), "2021")
        if rep["tables"]["t3"]["other_2"]["total"] > 0:
            assert "信息处理费" in rep["sections"][5]["text"]


def test_random_org():
    rng = random.Random(7)
    orgs = [random_org(rng) for _ in range(300)]
    suffixes = ("街道办事处", "镇人民政府", "乡人民政府", "局", "市人民政府")
    assert all(o.endswith(suffixes) for o in orgs)
    for s in suffixes:
        assert any(o.endswith(s) for o in orgs), s
    assert [random_org(random.Random(1)) for _ in range(3)] == [random_org(random.Random(1)) for _ in range(3)]


def test_streets_and_towns_make_no_rules():
    """C6: a 街道/乡镇 does not make 规章."""
    for seed in range(200):
        rep = random_report(random.Random(seed), "2021")
        if not rep["org"].endswith("市人民政府"):
            assert all(v == 0 for v in rep["tables"]["t2"]["regulations"].values())
