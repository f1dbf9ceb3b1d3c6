"""Writers: HTML, DOCX and text put the official labels and the values where the format has them."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from lxml import html as LH

from nianbao import formats as F
from nianbao.formats import common as C
from nianbao.render import to_docx, to_html, to_text
from nianbao.render.layout import format_value, table_layout
from nianbao.synth import random_report

FIXTURES = Path(__file__).parent / "fixtures" / "same_report"
FMTS = ("2019", "2021")


def _report(fmt: str, seed: int = 11, zero_share: float = 0.2) -> dict:
    return random_report(random.Random(seed), fmt, zero_share=zero_share)


def _fixture(fmt: str) -> dict:
    name = "report.json" if fmt == "2021" else "report2019.json"
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _printed(fmt: str, t: str, r: str, c: str, v) -> str:
    return format_value(F.get(fmt).table(t).column(r, c), v)


# ---------------------------------------------------------------- HTML
def _expand(table) -> list[list[str]]:
    """An HTML table as a full grid of texts, rowspan/colspan expanded (independent of layout.py)."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.xpath("./tr|./tbody/tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            text = td.text_content().strip()
            for i in range(rs):
                for j in range(cs):
                    assert (r + i, c + j) not in grid, "overlapping spans"
                    grid[(r + i, c + j)] = text
            c += cs
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    assert len(grid) == n_rows * n_cols, "the grid has holes"
    return [[grid[(r, c)] for c in range(n_cols)] for r in range(n_rows)]


def _html_grids(report: dict) -> dict[str, list[list[str]]]:
    doc = LH.fromstring(to_html(report).encode("utf-8"))
    tables = doc.xpath("//table")
    assert [t.get("class") for t in tables] == ["t2", "t3", "t4"]
    return {t.get("class"): _expand(t) for t in tables}


@pytest.mark.parametrize("fmt", FMTS)
def test_html_t2_layout(fmt):
    rep = _fixture(fmt)
    spec = F.get(fmt).table("t2")
    g = _html_grids(rep)["t2"]
    width = max(len(b.columns) for b in spec.blocks)
    assert len(g[0]) == 1 + width
    r = 0
    for b in spec.blocks:
        assert g[r] == [b.item] * (1 + width)                 # item spans the block's columns
        head = g[r + 1]
        assert head[0] == spec.anchors[1] == "信息内容"
        labels = [c.label for c in b.columns]
        assert head[1:1 + len(labels) - 1] == labels[:-1]
        assert set(head[len(labels):]) == {labels[-1]}        # the last column spans the rest
        for i, rk in enumerate(b.rows):
            row = g[r + 2 + i]
            assert row[0] == spec.row(rk).label
            vals = [_printed(fmt, "t2", rk, c.key, rep["tables"]["t2"][rk][c.key]) for c in b.columns]
            assert row[1:len(vals)] == vals[:-1] and set(row[len(vals):]) == {vals[-1]}
        r += 2 + len(b.rows)
    assert r == len(g)


@pytest.mark.parametrize("fmt", FMTS)
def test_html_t3_layout(fmt):
    rep = _fixture(fmt)
    spec = F.get(fmt).table("t3")
    g = _html_grids(rep)["t3"]
    cols = spec.columns
    assert len(g[0]) == 3 + len(cols) == 10
    # Header: the corner note over 3 header rows × 3 label columns.
    for r in range(3):
        assert g[r][:3] == [spec.note] * 3
    assert g[0][3:] == [C.T3_HEADER] * 7
    assert g[1][3] == g[2][3] == cols[0].label == "自然人"
    assert g[1][4:9] == [C.T3_ORG_GROUP] * 5
    assert g[2][4:9] == [c.label for c in cols[1:-1]]
    assert g[1][9] == g[2][9] == cols[-1].label == "总计"
    # Body.
    cell_rows = spec.cell_rows()
    assert len(g) == 3 + len(cell_rows)
    results = spec.row("results").label
    in_results = [r.key for r in cell_rows if r.key not in ("new_received", "carried_over", "carried_forward")]
    for i, row in enumerate(cell_rows):
        line = g[3 + i]
        assert line[2] == row.label, (row.key, line[:3])
        if row.key in in_results:
            assert line[0] == results
            assert line[1] == (row.group if row.group else row.label)
        else:
            assert line[:3] == [row.label] * 3
        vals = [_printed(fmt, "t3", row.key, c.key, rep["tables"]["t3"][row.key][c.key]) for c in cols]
        assert line[3:] == vals
    # The results heading spans from （一）予以公开 to （七）总计.
    col0 = [line[0] for line in g[3:]]
    assert col0.count(results) == len(in_results)
    # 2021: （六）其他处理 is a group of three rows; 2019: one row spanning two label columns.
    other = [line for line in g[3:] if line[1] == C.G_OTHER]
    assert len(other) == (3 if fmt == "2021" else 1)


@pytest.mark.parametrize("fmt", FMTS)
def test_html_t4_layout(fmt):
    rep = _fixture(fmt)
    spec = F.get(fmt).table("t4")
    g = _html_grids(rep)["t4"]
    assert len(g) == 4 and len(g[0]) == 15
    assert g[0][:5] == [C.T4_GROUP_REVIEW] * 5
    assert g[0][5:] == [C.T4_GROUP_LITIGATION] * 10
    labels = [c.label for c in spec.columns]
    assert g[1][:5] == labels and g[2][:5] == labels              # rowspan 2
    assert g[1][5:10] == [spec.row("direct").label] * 5
    assert g[1][10:] == [spec.row("after_review").label] * 5
    assert g[2][5:10] == labels and g[2][10:] == labels
    expect = [_printed(fmt, "t4", r.key, c.key, rep["tables"]["t4"][r.key][c.key])
              for r in spec.rows for c in spec.columns]
    assert g[3] == expect


def test_html_page_and_escaping():
    rep = _report("2021")
    rep["org"] = "<b>某某街道</b> & “办事处”"
    rep["title"] = None
    rep["sections"][0]["text"] = "第一段<script>alert(1)</script>\n第二段"
    page = to_html(rep)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;某某街道&lt;/b&gt; &amp; “办事处”" in page
    doc = LH.fromstring(page.encode("utf-8"))
    assert doc.xpath("//h1")[0].text_content().startswith("<b>某某街道</b>")
    assert [h.text_content() for h in doc.xpath("//h2")] == [s.title for s in F.get("2021").sections]
    assert not doc.xpath("//link|//script")


def test_html_random_reports_values():
    for fmt in FMTS:
        for seed in range(20):
            rep = random_report(random.Random(seed), fmt)
            grids = _html_grids(rep)
            assert grids["t4"][3] == [
                _printed(fmt, "t4", r, c, rep["tables"]["t4"][r][c])
                for r in rep["tables"]["t4"] for c in rep["tables"]["t4"][r]]
            assert [line[3:] for line in grids["t3"][3:]] == [
                [_printed(fmt, "t3", r, c, v) for c, v in rep["tables"]["t3"][r].items()]
                for r in rep["tables"]["t3"]]


# ---------------------------------------------------------------- DOCX
def _docx(report):
    import docx
    buf = io.BytesIO()
    to_docx(report, buf)
    buf.seek(0)
    return docx.Document(buf), buf.getvalue()


@pytest.mark.parametrize("fmt", FMTS)
def test_docx_merged_cells(fmt):
    rep = _fixture(fmt)
    d, _ = _docx(rep)
    assert len(d.tables) == 3
    for table, key in zip(d.tables, ("t2", "t3", "t4")):
        lay = table_layout(fmt, key, rep["tables"][key])
        assert len(table.rows) == lay.n_rows and len(table.columns) == lay.n_cols
        cells = table._cells      # what table.cell(r, c) returns, computed once
        n = lay.n_cols
        origins = []   # keep the elements alive: lxml proxies are only identical while referenced
        for lc in lay.cells():
            origin = cells[lc.row * n + lc.col]._tc
            assert origin is table.cell(lc.row, lc.col)._tc
            assert cells[lc.row * n + lc.col].text == lc.text
            for r in range(lc.row, lc.row + lc.rowspan):
                for c in range(lc.col, lc.col + lc.colspan):
                    assert cells[r * n + c]._tc is origin, (key, lc.text, r, c)
            assert not any(o is origin for o in origins), "two layout cells share a Word cell"
            origins.append(origin)
        spans = sum(1 for lc in lay.cells() if lc.rowspan > 1 or lc.colspan > 1)
        assert spans > 0


def test_docx_specific_merges():
    rep = _fixture("2021")
    d, _ = _docx(rep)
    t2, t3, t4 = d.tables
    spec = F.get("2021")
    assert t2.cell(0, 0)._tc is t2.cell(0, 3)._tc and t2.cell(0, 0).text == "第二十条第（一）项"
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc and t3.cell(0, 0).text == spec.table("t3").note
    assert t3.cell(0, 3)._tc is t3.cell(0, 9)._tc and t3.cell(0, 3).text == C.T3_HEADER
    assert t3.cell(1, 4)._tc is t3.cell(1, 8)._tc and t3.cell(1, 4).text == C.T3_ORG_GROUP
    assert t3.cell(5, 0)._tc is t3.cell(len(t3.rows) - 2, 0)._tc      # 三、本年度办理结果
    assert t3.cell(5, 0).text == "三、本年度办理结果"
    assert t3.cell(7, 1)._tc is t3.cell(14, 1)._tc and t3.cell(7, 1).text == C.G_DENIED
    assert t4.cell(0, 5)._tc is t4.cell(0, 14)._tc and t4.cell(0, 5).text == C.T4_GROUP_LITIGATION
    assert t4.cell(1, 0)._tc is t4.cell(2, 0)._tc
    assert t4.cell(1, 5)._tc is t4.cell(1, 9)._tc and t4.cell(1, 10)._tc is t4.cell(1, 14)._tc


def test_docx_typography_and_determinism():
    from docx.oxml.ns import qn
    from docx.shared import Pt
    rep = _fixture("2021")
    d, data = _docx(rep)
    _, data2 = _docx(rep)
    assert data == data2
    sec = d.sections[0]
    assert abs(sec.page_width.cm - 21.0) < 0.01 and abs(sec.page_height.cm - 29.7) < 0.01
    paras = d.paragraphs
    assert paras[0].text == rep["title"]
    title_style = paras[0].style
    assert title_style.font.size == Pt(22)
    assert title_style.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in paras if p.text.startswith("本报告根据"))
    assert body.style.font.size == Pt(16)
    assert body.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.style.paragraph_format.first_line_indent == Pt(32)
    head = next(p for p in paras if p.text == "一、总体情况")
    assert head.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    # Every table cell has all four borders.
    for t in d.tables:
        for tc in t._tbl.iter(qn("w:tc")):
            b = tc.tcPr.find(qn("w:tcBorders"))
            assert all(b.find(qn(f"w:{s}")).get(qn("w:val")) == "single"
                       for s in ("top", "left", "bottom", "right"))


# ---------------------------------------------------------------- text
def _table_tokens(text: str, layout: str) -> list[str]:
    """Non-empty table cells, in order, as a text reader would split them."""
    out = []
    for line in text.split("\n"):
        if layout == "tabbed" and "\t" in line:
            out.extend(x for x in line.split("\t") if x)
        elif layout == "pipes" and line.startswith("| "):
            out.extend(x.strip() for x in line.strip().strip("|").split("|") if x.strip())
        elif layout == "cell_per_line" and line.startswith("\t"):
            if line[1:]:
                out.append(line[1:])
    return out


def _is_subsequence(needles, hay) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needles)


@pytest.mark.parametrize("layout", ("tabbed", "cell_per_line", "pipes"))
@pytest.mark.parametrize("fmt", FMTS)
def test_text_layouts_values_in_order(fmt, layout):
    for rep in (_fixture(fmt), _report(fmt, 3), _report(fmt, 4, zero_share=0.0)):
        text = to_text(rep, layout)
        tokens = _table_tokens(text, layout)
        f = F.get(fmt)
        values = [_printed(fmt, t, r, c, rep["tables"][t][r][c]) for t, r, c in f.template_cells()]
        assert _is_subsequence(values, tokens), layout
        # Every printed cell of the official layout, and nothing else, in reading order.
        expect = [lc.text for t in ("t2", "t3", "t4")
                  for lc in table_layout(fmt, t, rep["tables"][t]).cells() if lc.text]
        assert tokens == expect
        # Title, org, year, the six headings in order.
        lines = text.split("\n")
        assert lines[0] == rep["title"] and rep["org"] in lines[0] and str(rep["year"]) in lines[0]
        idx = [lines.index(s.title) for s in f.sections]
        assert idx == sorted(idx)


def test_text_layout_shapes():
    rep = _fixture("2019")
    tabbed = to_text(rep, "tabbed").split("\n")
    assert "第二十条第（一）项\t\t\t" in tabbed
    assert any(line.startswith("行政许可\t23\t-4\t112") for line in tabbed)
    assert any(line.startswith("其他对外管理服务事项\t15\t+3\t64") for line in tabbed)
    assert "政府集中采购\t6\t1072991.52\t" in tabbed
    pipes = to_text(rep, "pipes").split("\n")
    assert "| 行政事业性收费 | 4 | -1 |  |" in pipes
    cpl = to_text(rep, "cell_per_line")
    assert "\n\t第二十条第（一）项\n\n\t信息内容\n\t本年新制作数量\n" in cpl
    # A cell merged down rows leaves an empty cell below it.
    assert "\n\t\n\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n" in cpl
    rep21 = _fixture("2021")
    assert "行政事业性收费\t1.2345\t\t" in to_text(rep21, "tabbed").split("\n")
    with pytest.raises(ValueError):
        to_text(rep, "columns")


def test_blank_values_stay_blank():
    rep = _report("2021")
    rep["tables"]["t3"]["granted"]["natural"] = None
    line = next(l for l in to_text(rep, "tabbed").split("\n") if "（一）予以公开" in l)
    assert line.split("\t")[3] == ""


def test_tables_without_their_section_are_kept():
    rep = _report("2021")
    rep["sections"] = [s for s in rep["sections"] if s["number"] != 3]
    text = to_text(rep, "tabbed")
    assert F.get("2021").table("t3").note in text
    assert text.index(F.get("2021").table("t3").note) > text.index("六、其他需要报告的事项")
    rep["tables"]["t4"] = None        # a missing table stays missing
    assert "未经复议直接起诉" not in to_text(rep, "pipes")


def test_format_value():
    f19 = F.get("2019").table("t2")
    change = f19.column("licensing", "change")
    amount = f19.column("procurement", "amount")
    count = f19.column("licensing", "decisions")
    assert format_value(change, 10) == "+10" and format_value(change, -3) == "-3" and format_value(change, 0) == "0"
    assert format_value(amount, 183.2867) == "183.2867" and format_value(amount, 251000) == "251000"
    assert format_value(amount, 0.0) == "0" and format_value(count, 7) == "7"
    assert format_value(count, None) == ""


# ---------------------------------------------------------------- committed fixtures
@pytest.mark.parametrize("name", ("report", "report2019"))
def test_fixtures_are_up_to_date(name):
    from nianbao.render.docx import to_docx_bytes
    from nianbao.synth import kind_problems, violations
    rep = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert violations(rep) == [] and kind_problems(rep) == []
    assert (FIXTURES / f"{name}.html").read_bytes() == to_html(rep).encode("utf-8")
    assert (FIXTURES / f"{name}_gbk.txt").read_bytes() == \
        to_text(rep, "tabbed").replace("\n", "\r\n").encode("gb18030")
    assert (FIXTURES / f"{name}_cpl.txt").read_bytes() == to_text(rep, "cell_per_line").encode("utf-8-sig")
    assert (FIXTURES / f"{name}_pipes.txt").read_bytes() == to_text(rep, "pipes").encode("utf-8")
    # The body only: the template parts follow the installed python-docx.
    import zipfile
    body = lambda data: zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")  # noqa: E731
    import sys
    sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
    from make_fixtures import fixture_date      # the 落款 date the fixtures are signed with
    assert body((FIXTURES / f"{name}.docx").read_bytes()) == body(to_docx_bytes(rep, fixture_date(rep))), \
        "run scripts/make_fixtures.py"
    assert (FIXTURES / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
