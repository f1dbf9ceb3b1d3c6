"""`render --ledger` names the issuing body without --org when the narrative's title or a title line above the
ledger's header names it; otherwise it says that the report has none."""
from pathlib import Path

from openpyxl import load_workbook

from nianbao import extract_path
from nianbao.cli import main
from nianbao.ledger import load_ledger
from nianbao.ledger.ledger import title_org

ROOT = Path(__file__).parents[1]

EXAMPLE = ROOT / "examples" / "台账示例.xlsx"


def _with_title(tmp_path, title):
    wb = load_workbook(EXAMPLE)
    ws = wb.worksheets[0]
    ws.insert_rows(1, 2)
    ws.cell(1, 1, title)
    out = tmp_path / "台账.xlsx"
    wb.save(out)
    return out


def test_title_line_above_the_header_names_the_org(tmp_path):
    led = load_ledger(str(_with_title(tmp_path, "城东区文化路街道办事处2025年政府信息公开申请办理台账")))
    assert led.org == "城东区文化路街道办事处" and not led.rejected
    assert load_ledger(str(EXAMPLE)).org is None
    assert title_org([("s", [["依申请公开台账"], ["编号", "收到日期", "申请人类型", "办理结果", "答复日期"]])]) is None
    assert title_org([("s", [["某某县自然资源局依申请公开台账（2025年）"],
                             ["编号", "收到日期", "申请人类型", "办理结果", "答复日期"]])]) == "某某县自然资源局"


def test_render_without_narrative_takes_the_org_from_the_ledger_title(tmp_path, capsys):
    led = _with_title(tmp_path, "城东区文化路街道办事处2025年政府信息公开申请办理台账")
    out = tmp_path / "r.docx"
    assert main(["render", "--ledger", str(led), "--year", "2025", "-o", str(out)]) == 0
    assert "没有发布机关" not in capsys.readouterr().err
    back = extract_path(out)
    assert back.org == "城东区文化路街道办事处" and back.title == "城东区文化路街道办事处2025年政府信息公开工作年度报告"


def test_render_without_any_org_says_so(tmp_path, capsys):
    out = tmp_path / "r.docx"
    assert main(["render", "--ledger", str(EXAMPLE), "--year", "2025", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "报告没有发布机关" in err and "--org" in err


def test_a_two_line_title_block_gives_a_title_with_the_org(tmp_path):
    narrative = tmp_path / "正文.txt"
    text = (ROOT / "examples" / "年报正文示例.txt").read_text(encoding="utf-8").split("\n")
    first = next(i for i, l in enumerate(text) if l.strip())
    title = text[first].strip()
    org = extract_path(ROOT / "examples" / "年报正文示例.txt").org
    assert title.startswith(org)
    text[first] = org + "\n" + title[len(org):]          # the body on its own line above the title
    narrative.write_text("\n".join(text), encoding="utf-8")
    out = tmp_path / "r.docx"
    assert main(["render", "--ledger", str(EXAMPLE), "--narrative", str(narrative), "--year", "2025", "-o", str(out)]) == 0
    back = extract_path(out)
    assert (back.org, back.title) == (org, title)
