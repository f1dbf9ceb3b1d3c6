"""Fuzz/property harness in CI (issue 16 §2): a bounded, seeded sample of mutated reports in all
four kinds (tests/fuzzing.py says how cases are made and judged), plus hypothesis on raw bytes.

Invariants: no uncaught exception; no hang; no cell read or inferred to a value that is not its
printed number; no printed value reported blank; org/year unchanged by mutations that did not
touch them; peak memory ≤ 20 × input size + 200 MB. `bench/fuzz.py --n 5000` runs the long version.

OPEN lists failures the harness finds in other owners' areas, each with the owner and a precise
predicate, so that the sample still fails on anything new. When an owner fixes one, the test
`test_open_items_still_occur` fails until the entry is removed here (like a strict xfail).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.errors import NianbaoError
from nianbao.extract import extract
from nianbao.readers import read_bytes

from . import fuzzing as F

N_CASES = 240          # ~1 minute on the 2-core CI machine; bench/fuzz.py runs thousands


# (owner, what, predicate on a verdict, a case of the CI sample that shows it: (seed, mutation) or None)
OPEN: list[tuple[str, str, callable, tuple[str, str] | None]] = [
    # none open: trailing spaces in p01 (readers/text) fixed — a last line of spaces is no cell, with a
    # line end or without
]


def _open(v: F.Verdict) -> str | None:
    return next((f"{owner}: {what}" for owner, what, pred, _ in OPEN if pred(v)), None)


@pytest.fixture(scope="module")
def verdicts():
    import nianbao.readers.docx  # noqa: F401 - loaded before forking, as a long-running process has them
    import nianbao.readers.html  # noqa: F401
    import nianbao.readers.pdf  # noqa: F401
    import nianbao.readers.text  # noqa: F401
    return F.run_cases(F.make_cases(N_CASES, seed=16))


def test_fuzz_sample_keeps_every_invariant(verdicts):
    new = [v for v in verdicts if v.kind != "ok" and _open(v) is None]
    shown = "\n".join(f"{v.kind}: {v.case.seed} {v.case.mutation} {v.detail}" for v in new[:20])
    assert not new, f"{len(new)} invariant breaches:\n{shown}"
    assert sum(1 for v in verdicts if v.kind == "ok") > N_CASES * 0.9


def test_fuzz_sample_covers_every_kind_and_mutation(verdicts):
    seen = {(v.case.kind, v.case.mutation.split(":")[0]) for v in verdicts}
    for kind in ("text", "html", "docx", "pdf"):
        assert any(k == kind for k, _ in seen), kind
    muts = {m for _, m in seen}
    for m in ("encoding", "line-endings", "whitespace", "full-width", "truncate", "flip", "junk", "remove",
              "docx-junk", "docx-remove", "docx-bomb", "docx-nested", "nested", "truncate-bytes", "flip-bytes"):
        assert m in muts, m


def test_open_items_still_occur(verdicts):
    """An OPEN entry's sample case must still breach; once its owner fixes it, remove the entry."""
    for owner, what, pred, where in OPEN:
        if where is None:
            continue
        seed, mutation = where
        mine = [v for v in verdicts if v.case.seed.endswith(seed) and v.case.mutation == mutation]
        assert mine, f"the sample no longer has {where}; update the OPEN entry"
        assert any(pred(v) for v in mine), f"fixed, remove from OPEN: {owner}: {what}"


# ----------------------------------------------------------------------------------------- hypothesis
def _read_all(data: bytes, name: str) -> None:
    try:
        extract(read_bytes(data, name))
    except NianbaoError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.html", "a.docx", "a.pdf", "a", "a.htm"]))
def test_any_bytes_give_a_report_or_a_clean_error(data, name):
    _read_all(data, name)


_LINES = st.sampled_from(["一、总体情况", "（一）主动公开", "二、主动公开政府信息情况", "规章\t0\t0\t0", "|行政许可|128|",
                          "三、收到和处理政府信息公开申请情况", "（七）总计", "自然人", "总计", "1", "0", "", "\t", "|", " ",
                          "5 6", "--253", "<table><tr><td>1", "</table>", "２０２１年", "四、结转下年度继续办理"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=80), st.sampled_from(["utf-8", "gb18030"]), st.sampled_from(["a.txt", "a.html"]))
def test_any_report_like_text_gives_a_report_or_a_clean_error(lines, enc, name):
    _read_all("\n".join(lines).encode(enc), name)


@pytest.mark.parametrize("seed", [s for s in F.seeds() if s[1] == "text"], ids=lambda s: s[0].rsplit("/", 1)[-1])
def test_full_width_digits_keep_org_and_year(seed):
    """`２０２１年` is a year: full-width digits change no org or year (titles and 「现将…报告如下」)."""
    name, _, data = seed
    text, _ = F._decode(data)
    a = extract(read_bytes(data, name))
    b = extract(read_bytes(text.translate(F._FW).encode(), name))
    assert (b.org, b.year) == (a.org, a.year)
