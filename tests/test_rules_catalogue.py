"""The rule catalogue: every rule has its documentation and examples, and they behave."""
import re
from pathlib import Path

import pytest

from nianbao.checks import RULES
from nianbao.checks.output import rules_markdown
from nianbao.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_flags_its_failing_example_and_not_its_passing_one(code):
    r = RULES[code]
    failing = list(r.check(r.failing()))
    assert failing, f"{code} does not flag its failing example"
    assert all(f.code == code and f.severity == r.severity for f in failing)
    assert all(re.search(r"[\u4e00-\u9fff]", f.message) and f.message_en for f in failing)
    assert list(r.check(r.passing())) == [], f"{code} flags its passing example"


def test_catalogue_entries_are_complete_and_stable():
    names = set()
    for code, r in RULES.items():
        assert re.fullmatch(r"[A-Z]\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", r.name), r.name
        assert r.name not in names
        names.add(r.name)
        assert r.severity in ("error", "warning", "info")
        for text in (r.title, r.rationale, r.hint):
            assert len(text) >= 8 and re.search(r"[\u4e00-\u9fff]", text)


def test_rule_documentation_is_generated_from_the_catalogue():
    """docs/rules.md must equal `nianbao rules --markdown`; regenerate it when a rule changes."""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_rules_and_explain_commands(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert all(code in out for code in RULES)
    assert main(["explain", "h301"]) == 0
    assert "applicant-total-mismatch" in capsys.readouterr().out
    assert main(["explain", "Z999"]) == 2
    assert "没有规则" in capsys.readouterr().err
