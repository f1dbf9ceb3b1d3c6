"""Mutation test: change one cell of an internally consistent synthetic report. Every mutation that
breaks an identity (blanks counted as 0) or makes a value impossible must be flagged at error level
with the mutated cell among the located cells; unmutated reports get no error-level finding.

Mutations: a small ±change of a 表三/表四 cell; blanking a non-zero cell; a negative value in any
count or amount; 2019 上一年项目数量 + 本年增/减 < 0; 2019 本年新公开 > 对外公开总数. Half of the
reports are printed with blanks for zeros (every zero of 表二, 表三 and 表四 left blank).
`bench/mutation.py` prints the rates over more trials."""
import random

import pytest

from nianbao.checks import run_checks
from nianbao.formats import FORMATS, SIGNED
from nianbao.report import BLANK, READ, from_contract
from nianbao.synth import random_report

TRIALS = 2500
KINDS = ("delta", "blank", "negative", "impossible_t2")


def value0(rep, key):
    cv = rep.cells[key]
    return cv.value if cv.status == READ and cv.value is not None else 0


def breaks_an_identity(rep, key) -> bool:
    for ident in FORMATS[rep.format].identities:
        if key in ident.cells():
            if sum(value0(rep, k) for k in ident.lhs) != sum(value0(rep, k) for k in ident.rhs):
                return True
    return False


def impossible(rep, key) -> bool:
    t, r, c = key
    cv = rep.cells[key]
    col = FORMATS[rep.format].table(t).column(r, c)
    if cv.status == READ and cv.value is not None and cv.value < 0 and col.kind != SIGNED:
        return True
    if rep.format == "2019" and t == "t2":
        if c in ("previous", "change") and value0(rep, (t, r, "previous")) + value0(rep, (t, r, "change")) < 0:
            return True
        if c in ("published", "total") and value0(rep, (t, r, "published")) > value0(rep, (t, r, "total")):
            return True
    return False


def blanks_for_zeros(rep) -> None:
    for cv in rep.cells.values():
        if cv.status == READ and cv.value == 0:
            cv.value, cv.raw, cv.status = None, "", BLANK


def set_value(rep, key, v) -> None:
    cv = rep.cells[key]
    cv.value, cv.raw, cv.status = v, str(v), READ


def mutate(rng, rep, kind):
    """Apply one mutation; return the mutated cell."""
    fmt = FORMATS[rep.format]
    counts = [k for k in fmt.template_cells() if k[0] in ("t3", "t4")]
    if kind == "delta":
        key = rng.choice(counts)
        set_value(rep, key, value0(rep, key) + rng.choice([-3, -2, -1, 1, 2, 3]))
    elif kind == "blank":
        nonzero = [k for k in counts if value0(rep, k) != 0] or counts
        key = rng.choice(nonzero)
        cv = rep.cells[key]
        cv.value, cv.raw, cv.status = None, "", BLANK
    elif kind == "negative":
        cells = [(t, r, c) for t, r, c in fmt.template_cells()
                 if fmt.table(t).column(r, c).kind != SIGNED]
        key = rng.choice(cells)
        v = value0(rep, key)
        set_value(rep, key, -(v if v else rng.randint(1, 5)))
    else:
        if rep.format == "2019" and rng.random() < 0.5:
            row = rng.choice(["licensing", "other_services", "punishment", "coercion", "fees"])
            key = ("t2", row, "change")
            set_value(rep, key, -(value0(rep, ("t2", row, "previous")) + rng.randint(1, 5)))
        elif rep.format == "2019":
            row = rng.choice(["regulations", "normative"])
            key = ("t2", row, "published")
            set_value(rep, key, value0(rep, ("t2", row, "total")) + rng.randint(1, 5))
        else:
            row = rng.choice(["regulations", "normative"])
            key = ("t2", row, rng.choice(["made", "repealed", "valid"]))
            set_value(rep, key, -rng.randint(1, 5))
    return key


def run_mutations(fmt: str, trials: int, seed: int) -> dict:
    """{kind: [should be an error, caught]} and the clean reports' error count."""
    rng = random.Random(seed)
    stats = {k: [0, 0] for k in KINDS}
    stats["blanks_for_zeros"] = [0, 0]
    clean_errors = 0
    misses = []
    for trial in range(trials):
        rep = from_contract(random_report(rng, fmt, zero_share=rng.choice([0.0, 0.5, 0.9])))
        zeros_blank = rng.random() < 0.5
        if zeros_blank:
            blanks_for_zeros(rep)
        if trial % 10 == 0:      # an all-zero 表三 printed blank is unfilled (M105), rightly an error
            clean_errors += sum(f.severity == "error" and f.code != "M105" for f in run_checks(rep))
        kind = KINDS[trial % len(KINDS)]
        key = mutate(rng, rep, kind)
        if not (breaks_an_identity(rep, key) or impossible(rep, key)):
            continue
        stats[kind][0] += 1
        stats["blanks_for_zeros"][0] += zeros_blank
        if any(key in f.cells for f in run_checks(rep) if f.severity == "error"):
            stats[kind][1] += 1
            stats["blanks_for_zeros"][1] += zeros_blank
        else:
            misses.append((kind, key, rep.cells[key].status, rep.cells[key].value))
    return {"stats": stats, "clean_errors": clean_errors, "misses": misses}


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_identity_breaking_and_impossible_mutations_are_errors(fmt):
    res = run_mutations(fmt, TRIALS, 20261204 + int(fmt))
    stats = res["stats"]
    assert res["clean_errors"] == 0
    should = sum(stats[k][0] for k in KINDS)
    caught = sum(stats[k][1] for k in KINDS)
    assert should > TRIALS * 0.8
    for kind in KINDS:
        assert stats[kind][0] > TRIALS / len(KINDS) * 0.5, kind          # every kind was exercised
    assert stats["blanks_for_zeros"][0] > should * 0.3                   # …also on tables with blanks for zeros
    assert caught / should >= 0.99, res["misses"][:5]
    for kind in KINDS:
        assert stats[kind][1] / stats[kind][0] >= 0.99, (kind, res["misses"][:5])
