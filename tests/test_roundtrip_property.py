"""Property: write a random valid report as text (three layouts) or HTML, extract it back: same values."""
import random

from hypothesis import given, settings, strategies as st

from nianbao import extract, read_bytes
from nianbao.render import to_html, to_text
from nianbao.synth import random_report

reports = st.builds(lambda seed, fmt, zeros: random_report(random.Random(seed), fmt, zero_share=zeros),
                    st.integers(0, 2**32 - 1), st.sampled_from(["2019", "2021"]),
                    st.sampled_from([0.0, 0.5, 0.9, 1.0]))


@settings(max_examples=150, deadline=None)
@given(reports, st.sampled_from(["tabbed", "cell_per_line", "pipes"]), st.sampled_from(["utf-8", "gb18030"]))
def test_text_roundtrip(report, layout, encoding):
    data = to_text(report, layout).encode(encoding)
    got = extract(read_bytes(data, "r.txt"))
    assert got.tables() == report["tables"]
    assert (got.year, got.format, got.org) == (report["year"], report["format"], report["org"])


@settings(max_examples=100, deadline=None)
@given(reports)
def test_html_roundtrip(report):
    got = extract(read_bytes(to_html(report).encode("utf-8"), "r.html"))
    assert got.tables() == report["tables"]
    assert (got.year, got.format, got.org) == (report["year"], report["format"], report["org"])
