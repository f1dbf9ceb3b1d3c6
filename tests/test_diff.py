"""`nianbao diff` on seed 000 (2020) → seed 002 (2021): carry-over continuity and section 五 copied."""
import json

from nianbao.cli import main

from .conftest import DATA


def test_diff_shows_carry_over_and_copied_section(capsys):
    old = next((DATA / "seeds").glob("000_*.txt"))
    new = next((DATA / "seeds").glob("002_*.txt"))
    assert main(["diff", str(old), str(new), "--to", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["old"]["year"], d["new"]["year"]) == (2020, 2021)
    assert [c["ok"] for c in d["carry_over"]] == [True] * 7
    five = [c for c in d["copied"] if c["section"] == 5][0]
    assert five["share"] > 0.95 and any("深化公开内容" in p for p in five["passages"])
    assert all(c["share"] < 0.5 for c in d["copied"] if c["section"] != 5)
    # only real changes: the 行政复议 cells went from 0 to blank
    assert {(c["table"], c["row"], c["new"]) for c in d["cells"]} == {("t4", "review", None)}
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert "五、存在的主要问题及改进情况: 97%（照抄上年）" in text
    # for people: printed labels, 「空白」 for a blank cell, copied passages in full
    assert "表四「行政复议」×「总计」：0 → 「空白」" in text and "None" not in text and "t4.review" not in text
    assert "✓ 「自然人」：上年结转下年度 0，本年上年结转 0" in text
    longest = max((p for c in d["copied"] if c["section"] == 5 for p in c["passages"]), key=len)
    assert len(longest) > 80 and longest.splitlines()[-1] in text
