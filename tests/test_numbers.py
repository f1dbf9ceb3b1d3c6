"""The number parser: values exactly as printed."""
from hypothesis import given, strategies as st

from nianbao.extract.numbers import parse_value

FW = str.maketrans("0123456789+-.", "０１２３４５６７８９＋－．")


def test_printed_forms():
    cases = {"0": 0, "+10": 10, "-3": -3, "1,234": 1234, "10268898元": 10268898, "183.2867": 183.2867,
             "1072991.52": 1072991.52, "　0　": 0, "\u2002 0": 0, "０１２": 12, "8040": 8040}
    for raw, value in cases.items():
        p = parse_value(raw)
        assert (p.value, p.status) == (value, "read"), raw
        assert type(p.value) is type(value), raw
    assert parse_value("10268898元").unit == "元"


def test_blank_and_not_applicable_are_kept_apart():
    assert parse_value("").status == "blank"
    assert parse_value("  \u3000").status == "blank"
    for raw in ("/", "／", "—", "——", "-", "无"):
        p = parse_value(raw)
        assert (p.value, p.status) == (None, "not_applicable"), raw
    assert parse_value("0").status == "read"


def test_labels_are_not_values():
    for raw in ("规章", "（一）予以公开", "1.属于国家秘密", "2020年", "第二十条第（一）项", "0.5万元以上的项目"):
        assert parse_value(raw) is None, raw


@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans(), st.booleans())
def test_any_count_roundtrips(n, plus, fullwidth, grouped):
    raw = f"{n:,}" if grouped else str(n)
    if plus:
        raw = "+" + raw
    if fullwidth:
        raw = raw.translate(FW)
    p = parse_value(raw)
    assert p is not None and p.value == n and isinstance(p.value, int)


@given(st.integers(min_value=-10**6, max_value=-1))
def test_negative_change(n):
    assert parse_value(str(n)).value == n


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_money_decimals(d):
    raw = f"{d:.4f}"
    assert parse_value(raw).value == float(raw)
    assert parse_value(raw + "元").value == float(raw)


def test_misplaced_thousands_separator_is_a_value_of_unknown_number():
    """"27,14" (a cell too narrow for "27,148" wrapped it): a value, so it keeps its column, but
    missing — never 2714, never a label."""
    for raw in ("27,14", "1,234,5", "12345,6", "1,2345", "２７，１４"):
        p = parse_value(raw)
        assert p is not None and (p.value, p.status) == (None, "missing"), raw
    assert parse_value("27,148").value == 27148 and parse_value("1,234.5").value == 1234.5


def test_a_number_marked_inferred_is_inferred_never_read():
    for raw, value in {"0（推定）": 0, "12(推定)": 12, "+3（推定）": 3, "１２（推定）": 12, "1.5（推定）": 1.5}.items():
        p = parse_value(raw)
        assert (p.value, p.status) == (value, "inferred"), raw
        assert "推定" in p.note
    for raw in ("（推定）", "约5（推定）", "推定5", "5（推测）"):
        p = parse_value(raw)
        assert p is None or p.status != "inferred", raw
