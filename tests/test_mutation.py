"""Mutation test: change one cell of an internally consistent report by a small amount. Every
mutation that breaks an identity must be flagged at error level with the mutated cell among the
located cells; unmutated reports get no error-level finding."""
import random

import pytest

from nianbao.checks import run_checks
from nianbao.formats import FORMATS
from nianbao.report import from_contract
from nianbao.synth import random_report

TRIALS = 3000


def breaks_an_identity(rep, key) -> bool:
    for ident in FORMATS[rep.format].identities:
        if key in ident.cells():
            lhs = sum(rep.cells[k].value for k in ident.lhs)
            rhs = sum(rep.cells[k].value for k in ident.rhs)
            if lhs != rhs:
                return True
    return False


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_identity_breaking_mutations_are_located(fmt):
    rng = random.Random(20261123 + int(fmt))
    keys = [k for k in FORMATS[fmt].template_cells() if k[0] in ("t3", "t4")]
    broken = caught = clean_errors = 0
    misses = []
    for trial in range(TRIALS):
        d = random_report(rng, fmt, zero_share=rng.choice([0.0, 0.5, 0.9]))
        rep = from_contract(d)
        if trial % 10 == 0:
            clean_errors += sum(f.severity == "error" for f in run_checks(rep))
        key = rng.choice(keys)
        delta = rng.choice([-3, -2, -1, 1, 2, 3])
        rep.cells[key].value += delta
        if not breaks_an_identity(rep, key):
            continue
        broken += 1
        errs = [f for f in run_checks(rep) if f.severity == "error"]
        if any(key in f.cells for f in errs):
            caught += 1
        else:
            misses.append((key, delta))
    assert clean_errors == 0
    assert broken > TRIALS * 0.9
    assert caught / broken >= 0.999, misses[:5]
