"""Section titles as real reports print them, and the structure rules built on them (issue 15, item 3):
variants are accepted, misnumbering and ordering are reported as such, a missing section has a
location, and what the reader lost is a reading problem (R2xx), never 「缺少第…部分」."""
from pathlib import Path

import pytest

from nianbao import extract_path
from nianbao.checks import run_checks
from nianbao.extract.sections import classify

SEEDS = Path(__file__).parent / "data" / "seeds"
REAL = Path(__file__).parent / "data" / "real"
TITLES = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
          "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def seed_text() -> str:
    return next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")


def check_text(tmp_path, text, name="r.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    rep = extract_path(path)
    return rep, run_checks(rep)


def codes(findings, prefix=("S", "R")):
    return sorted((f.code, f.values.get("section")) for f in findings if f.code.startswith(prefix))


def retitle(text, mapping):
    for old, new in mapping.items():
        assert text.count(f"\n{old}\n") == 1 or text.startswith(old + "\n"), old
        text = text.replace(old + "\n", new + "\n", 1)
    return text


def test_the_seed_has_its_six_sections_and_no_structure_finding(tmp_path):
    rep, findings = check_text(tmp_path, seed_text())
    assert [s.number for s in rep.sections] == [1, 2, 3, 4, 5, 6]
    assert codes(findings) == []


@pytest.mark.parametrize("variant", ["（六）其他需要报告的事项", "(六)其他需要报告的事项", "6.其他需要报告的事项",
                                     "六、其他需要报告的事项说明", "其他需要报告的事项", "六．其他需要报告的事项",
                                     "第六部分 其他需要报告的事项"])
def test_real_variants_of_a_title_are_accepted(tmp_path, variant):
    rep, findings = check_text(tmp_path, retitle(seed_text(), {TITLES[5]: variant}))
    assert [s.number for s in rep.sections] == [1, 2, 3, 4, 5, 6]
    assert rep.sections[5].title == variant and rep.sections[5].text == "无"
    assert not [f for f in findings if f.code == "S101"]


@pytest.mark.parametrize("style", ["paren", "arabic", "none"])
def test_a_report_numbered_throughout_in_another_style(tmp_path, style):
    def new(k, t):
        body = t[2:]
        return {"paren": f"（{t[0]}）{body}", "arabic": f"{k + 1}.{body}", "none": body}[style]
    rep, findings = check_text(tmp_path, retitle(seed_text(), {t: new(k, t) for k, t in enumerate(TITLES)}))
    assert [s.number for s in rep.sections] == [1, 2, 3, 4, 5, 6]
    assert [f.code for f in findings if f.code in ("S101", "S106", "S107")] == []


def test_a_misnumbered_title_is_reported_as_misnumbered_not_as_a_missing_section(tmp_path):
    rep, findings = check_text(tmp_path, retitle(seed_text(), {TITLES[1]: "三、主动公开政府信息情况"}))
    assert [s.number for s in rep.sections] == [1, 2, 3, 4, 5, 6]
    assert codes(findings) == [("S107", 2)]
    f = next(f for f in findings if f.code == "S107")
    assert "三、主动公开政府信息情况" in f.message and f.where.line == 9 and f.values["printed"] == 3


def test_a_section_out_of_order_is_not_missing(tmp_path):
    text = seed_text()
    five, six = text.index(TITLES[4]), text.index(TITLES[5])
    rep, findings = check_text(tmp_path, text[:five] + text[six:] + "\n" + text[five:six])
    assert codes(findings) == [("S106", 5)]


def test_a_missing_section_points_where_it_should_stand(tmp_path):
    text = seed_text()
    two, three = text.index(TITLES[1]), text.index(TITLES[2])
    body = text[two:three].split("\n", 1)[1]
    rep, findings = check_text(tmp_path, text[:two] + body + text[three:])
    s101 = [f for f in findings if f.code == "S101"]
    assert [f.values["section"] for f in s101] == [2]
    assert s101[0].where is not None and s101[0].where.line == 1        # after 一、总体情况
    assert "应在「一、总体情况」之后" in s101[0].message


def test_seed_003_missing_six_is_located_after_five():
    rep = extract_path(next(SEEDS.glob("003_*.txt")))
    f = next(f for f in run_checks(rep) if f.code == "S101")
    assert f.values["section"] == 6 and f.where.line == 390 and "之后" in f.message


def test_empty_sections_and_a_section_five_saying_none_are_warnings(tmp_path):
    text = seed_text()
    five, six = text.index(TITLES[4]), text.index(TITLES[5])
    text = text[:five] + TITLES[4] + "\n没有。\n" + text[six:]
    one_end = text.index(TITLES[1])
    text = TITLES[0] + "\n" + text[one_end:]
    rep, findings = check_text(tmp_path, text)
    assert codes(findings) == [("S108", 1), ("S109", 5)]
    assert all(f.severity == "warning" and f.where is not None for f in findings if f.code in ("S108", "S109"))


def test_a_section_five_with_real_content_is_not_flagged(tmp_path):
    text = seed_text()
    five, six = text.index(TITLES[4]), text.index(TITLES[5])
    text = text[:five] + TITLES[4] + "\n无论是公开深度还是解读质量，都有待提高。\n" + text[six:]
    assert codes(check_text(tmp_path, text)[1]) == []


def test_a_cut_off_text_is_a_reading_problem_not_missing_sections(tmp_path):
    text = seed_text()
    cut = text[:text.index("（三）不予公开") + 40]            # ends inside 表三
    rep, findings = check_text(tmp_path, cut)
    assert not [f for f in findings if f.code == "S101"]
    assert [f.code for f in findings if f.code == "R102"] == ["R102"]      # the cut is said once, by R102


def test_a_title_run_into_a_paragraph_is_a_reading_problem(tmp_path):
    text = seed_text()
    i = text.index("\n" + TITLES[4])
    text = text[:i] + "。" + text[i + 1:i + 1 + len(TITLES[4])] + "：" + text[i + 1 + len(TITLES[4]) + 1:]
    rep, findings = check_text(tmp_path, text)
    assert 5 not in [s.number for s in rep.sections]
    assert codes(findings) == [("R201", 5)]
    f = next(f for f in findings if f.code == "R201")
    assert f.message.startswith("未能可靠读取第五部分") and f.where is not None


@pytest.mark.parametrize("path", sorted(REAL.glob("*.txt")) + sorted(REAL.glob("*.pdf")) + sorted(REAL.glob("*.docx")),
                         ids=lambda p: p.name[:3])
def test_excerpts_get_no_missing_section_error(path):
    """The real items are mostly excerpts of ~2,000 characters: what follows the cut is not missing."""
    findings = run_checks(extract_path(path))
    assert [f for f in findings if f.code == "S101"] == []
    assert all(f.where is not None for f in findings if f.code.startswith(("S10", "R2")) and f.code != "S102")


@pytest.mark.parametrize("line,expected", [
    ("三、收到和处理政府信息公开申请情况", (3, 1, 3)),
    ("四、主动公开政府信息情况", (2, 1, 4)),          # titled 二, numbered 四
    ("（六）其他需要报告的事项", (6, 2, 6)),
    ("（二）主动公开政府信息情况", (2, 2, 2)),
    ("（三）主动公开政府信息情况", None),              # a sub-heading numbered otherwise: not a section
    ("三、本年度办理结果", None),
    ("四、结转下年度继续办理", None),
    ("（一）建立健全工作机制和制度", None),
])
def test_classify(line, expected):
    assert classify(line) == expected
