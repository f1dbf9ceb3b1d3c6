"""Issuing body and year: from the title block, never from a fragment of prose or a generic word."""
import random

import pytest

from nianbao import extract, read_bytes
from nianbao.render import to_text
from nianbao.synth import random_report


def _text(title_lines, org="淮安市洪泽区人民政府", year=2024, seed=1):
    rep = random_report(random.Random(seed), "2021", org=org, year=year)
    body = to_text(rep, "tabbed").split("\n", 1)[1]             # drop the rendered title
    for s in rep["sections"]:
        body = body.replace(org, "本机关")
    body = body.replace(rep["preamble"], "本报告根据《中华人民共和国政府信息公开条例》要求编制。")
    return "\n".join(title_lines) + "\n" + body, rep


def _extract(text):
    return extract(read_bytes(text.encode("utf-8"), "r.txt"))


def test_two_line_title_block():
    """h02: the body on one line, 「2024年政府信息公开工作年度报告」 on the next. Before: org 「政府」."""
    text, rep = _text(["淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告"])
    got = _extract(text)
    assert (got.org, got.year) == ("淮安市洪泽区人民政府", 2024)
    assert got.tables() == rep["tables"]


def test_body_on_the_line_after_the_title():
    text, _ = _text(["2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府"])
    assert _extract(text).org == "淮安市洪泽区人民政府"


@pytest.mark.parametrize("title", ["2024年政府信息公开工作年度报告", "政府信息公开工作年度报告格式模板",
                                   "区政府2024年政府信息公开工作年度报告"])
def test_no_body_named_gives_null_and_a_problem(title):
    """h03 (a blank Word template): org must be null, never 「政府」 or 「区政府」, and a problem says so."""
    text, _ = _text([title])
    got = _extract(text)
    assert got.org is None
    (p,) = [p for p in got.problems if p.code == "no-org"]
    assert "发布机关" in p.message and p.message_en


def test_org_never_from_a_fragment_of_prose():
    """「……，及时对街道政府信息公开工作进行检查」 named no body: before, org 「及时对街道」."""
    text, _ = _text(["2024年政府信息公开工作年度报告"])
    text = text.replace("一、总体情况\n", "一、总体情况\n2024年，及时对街道政府信息公开工作进行检查，认真落实各项要求。\n", 1)
    assert _extract(text).org is None


@pytest.mark.parametrize("title,year", [("淮安市洪泽区人民政府２０２１年政府信息公开工作年度报告", 2021),
                                        ("淮安市洪泽区人民政府二〇二一年政府信息公开工作年度报告", 2021),
                                        ("淮安市洪泽区人民政府二○二二年度政府信息公开工作年度报告", 2022)])
def test_year_in_full_width_or_chinese_digits(title, year):
    text, _ = _text([title], year=year)
    got = _extract(text)
    assert (got.org, got.year) == ("淮安市洪泽区人民政府", year)


def test_single_character_town_names_are_bodies():
    """「螅镇」 is a real town: a one-character name before 镇/乡 is not generic (tests/golden/p11)."""
    text, _ = _text(["2022年度螅镇政府信息公开工作年度报告"], year=2022)
    assert _extract(text).org == "螅镇"
