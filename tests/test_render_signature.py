"""The DOCX ends with the 落款 (issuing body and date, GB/T 9704-2012 7.3.5.2), which reads back as the same report."""
import datetime as dt
import io
import json
from pathlib import Path

import docx
import pytest

from nianbao import extract_path
from nianbao.cli import main
from nianbao.render.docx import to_docx_bytes
from nianbao.render.signature import printed_signature, right_indents, signature, width

FIX = Path(__file__).parent / "fixtures" / "same_report"


def _report(name="report"):
    return json.loads((FIX / f"{name}.json").read_text(encoding="utf-8"))


def _last_paragraphs(data: bytes, n: int = 3):
    d = docx.Document(io.BytesIO(data))
    return [p for p in d.paragraphs if p.text.strip()][-n:]


def test_the_docx_ends_with_body_and_date_right_aligned():
    rep = _report()
    data = to_docx_bytes(rep, dt.date(2023, 1, 20))
    *_, org, when = _last_paragraphs(data)
    assert (org.text, when.text) == ("临川市城东区文化路街道办事处", "2023年1月20日")
    for p in (org, when):
        assert p.paragraph_format.alignment == 2          # RIGHT
        assert p.paragraph_format.first_line_indent == 0
    # the body two characters from the margin; the date starts two characters right of the body's first character
    chars = lambda p: int(p._p.pPr.find(docx.oxml.ns.qn("w:ind")).get(docx.oxml.ns.qn("w:rightChars"))) / 100
    assert chars(org) == 2
    assert chars(when) == 2 + width(org.text) - 2 - width(when.text)


def test_right_indents_when_the_date_is_longer_than_the_body():
    org_r, date_r = right_indents("某局", "2023年12月31日")
    assert date_r == 2 and org_r == 2 + width("2023年12月31日") - width("某局") + 2
    assert right_indents(None, "2023年1月2日") == (0.0, 4.0)


def test_the_date_is_the_given_one_else_the_reports_own_else_today():
    rep = _report()
    assert signature(rep, []).date == dt.date.today()
    assert signature(rep, [], today=dt.date(2030, 1, 1)).date == dt.date(2030, 1, 1)
    rep["sections"][-1]["text"] += "\n临川市城东区文化路街道办事处\n二〇二三年一月十八日"
    paras = rep["sections"][-1]["text"].split("\n")
    assert signature(rep, paras).date == dt.date(2023, 1, 18)
    assert signature(rep, paras, dt.date(2023, 2, 1)).date == dt.date(2023, 2, 1)
    rep = _report()
    rep["preamble"] += "\n发布日期：2023-01-25"
    assert signature(rep, []).date == dt.date(2023, 1, 25)


def test_a_printed_signature_is_not_printed_twice():
    assert printed_signature(["正文。", "某某街道办事处", "2023年1月18日"])[:2] == (2, "某某街道办事处")
    assert printed_signature(["正文。", "2023年1月18日"])[0] == 1
    assert printed_signature(["2023年共受理申请5件。"]) == (0, None, None)
    rep = _report()
    rep["sections"][-1]["text"] += "\n临川市城东区文化路街道办事处\n2023年1月18日"
    texts = [p.text for p in docx.Document(io.BytesIO(to_docx_bytes(rep))).paragraphs]
    assert texts.count("2023年1月18日") == 1 and texts.count("临川市城东区文化路街道办事处") == 1
    assert texts[-1] == "2023年1月18日"
    rep = _report()                                     # the body the 落款 prints is kept as printed
    rep["sections"][-1]["text"] += "\n临川市城东区人民政府文化路街道办事处\n2023年1月18日"
    texts = [p.text for p in docx.Document(io.BytesIO(to_docx_bytes(rep))).paragraphs]
    assert texts[-2:] == ["临川市城东区人民政府文化路街道办事处", "2023年1月18日"]


def test_render_extract_render_keeps_one_signature(tmp_path):
    rep = _report()
    first = tmp_path / "a.docx"
    first.write_bytes(to_docx_bytes(rep, dt.date(2023, 1, 20)))
    back = extract_path(first)
    assert (back.org, back.year, back.tables()) == (rep["org"], rep["year"], rep["tables"])
    assert [p.code for p in back.problems if p.severity != "info"] == []
    again = to_docx_bytes(back.to_dict())          # the date comes from the 落款 read back
    texts = [p.text for p in _last_paragraphs(again, 4)]
    assert texts[-2:] == ["临川市城东区文化路街道办事处", "2023年1月20日"] and texts.count("2023年1月20日") == 1


@pytest.mark.parametrize("name", ("report", "report2019"))
def test_the_signature_is_read_as_no_other_org_year_or_value(tmp_path, name):
    rep = _report(name)
    path = tmp_path / "r.docx"
    path.write_bytes(to_docx_bytes(rep, dt.date(rep["year"] + 1, 3, 5)))
    back = extract_path(path)
    assert (back.org, back.year, back.format, back.tables()) == (rep["org"], rep["year"], rep["format"], rep["tables"])
    from nianbao.checks import run_checks
    assert [f.code for f in run_checks(back) if f.severity != "info"] == []


@pytest.mark.parametrize("day,late", [(dt.date(2023, 1, 20), False), (dt.date(2023, 3, 5), True)])
def test_check_reads_the_signature_date_as_the_publication_date(tmp_path, day, late):
    from nianbao.checks import run_checks
    rep = _report()
    rep["org"] = "临川市城东区教育局"            # a department: due 31 January (第四十九条)
    rep["title"] = None
    path = tmp_path / "r.docx"
    path.write_bytes(to_docx_bytes(rep, day))
    back = extract_path(path)
    assert back.org == "临川市城东区教育局"
    assert ("F102" in [f.code for f in run_checks(back)]) is late


def test_cli_render_date(tmp_path, capsys):
    src = tmp_path / "r.json"
    src.write_text(json.dumps(_report()), encoding="utf-8")
    out = tmp_path / "r.docx"
    assert main(["render", str(src), "-o", str(out), "--date", "2023-01-16"]) == 0
    assert _last_paragraphs(out.read_bytes())[-1].text == "2023年1月16日"
    assert main(["render", str(src), "-o", str(out)]) == 0
    today = dt.date.today()
    assert _last_paragraphs(out.read_bytes())[-1].text == f"{today.year}年{today.month}月{today.day}日"
    assert main(["render", str(src), "-o", str(out), "--date", "2023-02-30"]) == 2
    assert "--date 2023-02-30" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_a_signature_right_after_the_last_table_ends_it(tmp_path, kind):
    """Sections 5 and 6 not written: the 落款 follows 表四 directly. It ends the table: 表四 is read, not cut off."""
    from nianbao.checks import run_checks
    from nianbao.render import to_text
    rep = _report()
    rep["sections"] = rep["sections"][:1]
    path = tmp_path / f"r.{kind}"
    if kind == "docx":
        path.write_bytes(to_docx_bytes(rep, dt.date(2023, 1, 20)))
    else:
        path.write_text(to_text(rep) + "\n临川市城东区文化路街道办事处\n2023年1月20日\n", encoding="utf-8")
    back = extract_path(path)
    assert back.tables() == rep["tables"] and back.org == rep["org"]
    codes = [f.code for f in run_checks(back)]
    assert "R102" not in codes and codes.count("S101") == 5
