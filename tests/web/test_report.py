"""The report list and the report page: scope and filters, findings first with Chinese labels and the
cells they involve, the same data-cell in the tables and the source, decisions, corrections with versions,
PDF pages, HTML sanitising, and every view's permission boundaries."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.web.models import Correction, Decision, Report

from .conftest import SEED_002, SEED_003, upload

FIXTURES = Path(__file__).parents[1] / "fixtures" / "same_report"


def html(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def findings_in(page: str) -> list[dict]:
    """Every <li class="finding …"> of the page: severity, key, cells, in document order."""
    out = []
    for m in re.finditer(r'<li class="finding sev-(\w+)([^"]*)" data-key="([^"]*)" data-cells="([^"]*)"', page):
        out.append({"severity": m.group(1), "classes": m.group(2), "key": m.group(3),
                    "cells": m.group(4).split()})
    return out


def region(page: str, ident: str) -> str:
    """The HTML of the pane with id=ident (up to the next pane)."""
    start = page.index(f'id="{ident}"')
    ends = [page.find(f'id="{other}"', start) for other in ("findings", "tables", "source") if other != ident]
    ends = [e for e in ends if e > start]
    return page[start:min(ends) if ends else len(page)]


@pytest.fixture
def html_report(users, tree):
    """The same-report fixture as HTML (no findings), uploaded into 青年路街道."""
    up = upload(users["city"], FIXTURES / "report.html", unit=tree["qnl"])
    return up.files.get().report


@pytest.fixture
def seed003(users):
    """Seed 003 (平湖街道 2020, an S101 error) in the other county."""
    up = upload(users["other"], SEED_003)
    return up.files.get().report


# ----------------------------------------------------------------------------------------- the list
def test_list_shows_scope_newest_year_first(clients, seed002, seed003):
    d = clients["city"].get("/reports/?format=json").json()
    assert [(r["unit"]["name"], r["year"]) for r in d["reports"]] == [
        ("临清市先锋路街道办事处", 2021), ("临清市先锋路街道办事处", 2020)]
    r = d["reports"][0]
    assert r["format_label"] == "2021 版" and r["kind_label"] == "文本" and r["uploaded_by"] == "city"
    assert r["counts"] == {"error": 0, "warning": 5, "info": 1} and r["version"] == 1
    assert d["count"] == 2 and d["years"] == [2021, 2020]
    # the other county's reviewer sees only 平湖街道; the admin sees all three
    assert [r["unit"]["name"] for r in clients["other"].get("/reports/?format=json").json()["reports"]] == ["平湖街道办事处"]
    assert clients["admin"].get("/reports/?format=json").json()["count"] == 3
    # an author sees their own unit's reports only
    assert clients["author_xfl"].get("/reports/?format=json").json()["count"] == 2
    assert clients["author_qnl"].get("/reports/?format=json").json()["count"] == 0
    page = html(clients["city"].get("/reports/"))
    assert "临清市先锋路街道办事处" in page and "平湖街道" not in page
    assert page.index(">2021<") < page.index(">2020<")
    assert '<span class="badge warning">5</span>' in page


def test_list_filters(clients, seed002, seed003, tree):
    admin = clients["admin"]
    get = lambda q: [(r["unit"]["name"], r["year"]) for r in admin.get(f"/reports/?format=json&{q}").json()["reports"]]  # noqa: E731
    assert get("year=2020") == [("临清市先锋路街道办事处", 2020), ("平湖街道办事处", 2020)]
    assert get(f"unit={tree['city'].pk}") == [("临清市先锋路街道办事处", 2021), ("临清市先锋路街道办事处", 2020)]
    assert get(f"unit={tree['qnl'].pk}") == []
    assert get("q=平湖") == [("平湖街道办事处", 2020)]
    assert get("q=临清") == get(f"unit={tree['city'].pk}")          # any level: the city's name finds its streets
    assert get("q=其他县") == [("平湖街道办事处", 2020)]
    assert get("status=errors") == [("平湖街道办事处", 2020)]
    assert get("status=errors&year=2021") == []
    # filters stay inside the scope: another region's unit is not found, bad input is a Chinese 400
    r = clients["city"].get(f"/reports/?unit={tree['other'].pk}&format=json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not-found"
    r = clients["city"].get("/reports/?year=abc", HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and "年度" in r.json()["error"]["message"]


def test_list_paginates_and_never_lists_failed_files(clients, users, tree):
    upload(users["city"], "broken.docx", b"PK\x03\x04 not a docx", unit=tree["xfl"])
    upload(users["city"], SEED_002)
    d = clients["city"].get("/reports/?format=json").json()
    assert d["count"] == 1 and d["pages"] == 1 and d["per_page"] == 50
    assert "broken.docx" not in html(clients["city"].get("/reports/"))


def test_list_permissions(clients, seed002):
    r = clients["anon"].get("/reports/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert clients["anon"].get("/reports/?format=json").status_code == 401
    r = clients["norole"].get("/reports/?format=json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


# ----------------------------------------------------------------------------------------- the report page
def test_report_page_findings_first_with_chinese_labels(clients, seed002):
    page = html(clients["city"].get(f"/reports/{seed002.pk}/"))
    fs = findings_in(page)
    assert [f["key"].split("|")[0] for f in fs] == ["R103", "R103", "M102", "X104", "X104", "S104"]
    # warnings before info; info collapsed in <details> (not open)
    assert [f["severity"] for f in fs] == ["warning"] * 5 + ["info"]
    assert re.search(r'<details class="g-infos"><summary', page)
    # Chinese table title, row and column labels
    assert "表四 政府信息公开行政复议、行政诉讼情况 › 行政复议" in page
    assert "表三 收到和处理政府信息公开申请情况 › （二）部分公开" in page
    assert "修改建议：没有发生的事项填 0" in page
    # data-cells: every cell the finding involves
    m102 = next(f for f in fs if f["key"].startswith("M102"))
    assert m102["cells"] == ["t4|review|maintain", "t4|review|correct", "t4|review|other",
                             "t4|review|pending", "t4|review|total"]
    r103 = next(f for f in fs if f["key"] == "R103|t3|partial|")
    assert len(r103["cells"]) == 7 and "t3|partial|natural" in r103["cells"]
    # no-JS anchors to the cells
    assert 'href="#cell-t4-review-maintain"' in page
    # findings are before the tables and the source in the page
    assert page.index('id="findings"') < page.index('id="tables"') < page.index('id="source"')
    # header: unit, year, format, version, previous year's report
    assert "临清市先锋路街道办事处" in page and "2021 版" in page and "第 1 版" in page
    prev = Report.objects.get(year=2020)
    assert f'href="/reports/{prev.pk}/" id="previous-report"' in page


def test_errors_come_before_warnings(clients, seed003):
    page = html(clients["other"].get(f"/reports/{seed003.pk}/"))
    sev = [f["severity"] for f in findings_in(page)]
    assert sev[0] == "error" and sev.count("error") == 1 and sev == sorted(sev, key=["error", "warning", "info"].index)
    assert "有 1 个错误需要修改" in page
    # the same rule twice on no cell keeps distinct keys (decisions stay apart)
    keys = [f["key"] for f in findings_in(page)]
    assert len(keys) == len(set(keys))


def test_tables_and_source_carry_the_same_cells(clients, seed002):
    page = html(clients["city"].get(f"/reports/{seed002.pk}/"))
    tables, src = region(page, "tables"), region(page, "source")
    # every value cell of the tables: data-cell, id, status (inferred cells say why in the tooltip)
    assert tables.count('data-cell="') == 200 and 'id="cell-t3-partial-natural"' in tables
    td = re.search(r'<td class="v st-inferred[^"]*" id="cell-t3-partial-natural"[^>]*>', tables).group(0)
    assert "推定" in td and "H2" in td and 'data-cell="t3|partial|natural"' in td
    assert re.search(r'<td class="v st-blank[^"]*" id="cell-t4-review-maintain"', tables)
    # the source: text lines with numbers; the finding's cells are on the lines they were read from
    assert '<div class="src-line" id="src-L47"><span class="ln">47</span>' in src
    for f in findings_in(page):
        for c in f["cells"]:
            assert f'data-cell="{c}"' in src, c
    # a line printing all its values marks each value token
    line = re.search(r'<div class="src-line" id="src-L44">.*?</div>', src).group(0)
    assert line.count('class="src-cell tok"') == 7 and 'data-cell="t3|new_received|natural"' in line


def test_report_json_twin(clients, seed002):
    d = clients["city"].get(f"/reports/{seed002.pk}/?format=json").json()
    assert d["report"]["year"] == 2021 and d["report"]["format"] == "2021" and d["can_review"] is True
    assert d["version"]["number"] == 1 and d["version"]["data"]["tables"]["t3"]["new_received"]["total"] == 0
    assert [f["code"] for f in d["findings"]] == ["R103", "R103", "M102", "X104", "X104", "S104"]
    assert d["findings"][2]["row_label"] == "行政复议" and d["findings"][2]["decision"] is None
    assert [v["number"] for v in d["versions"]] == [1]
    assert d["previous"]["year"] == 2020
    assert clients["author_xfl"].get(f"/reports/{seed002.pk}/?format=json").json()["can_review"] is False


def test_report_page_permissions(clients, seed002):
    url = f"/reports/{seed002.pk}/"
    r = clients["anon"].get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert clients["anon"].get(url + "?format=json").status_code == 401
    assert clients["norole"].get(url).status_code == 403
    for name in ("other", "author_qnl"):
        r = clients[name].get(url + "?format=json")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not-found"
    assert clients["admin"].get(url).status_code == 200
    # the unit's own author reads it, without decide or correct forms
    page = html(clients["author_xfl"].get(url))
    assert "M102" in page and 'class="decide"' not in page and 'id="correct-form"' not in page and "只读" in page
    page = html(clients["city"].get(url))
    assert page.count('<form class="decide" method="post" action="/reports/%d/findings/decide">' % seed002.pk) == 6
    assert '<button name="status" value="dismissed"' not in page        # buttons carry a class
    assert 'name="status" value="confirmed">确认问题</button>' in page
    assert 'name="status" value="dismissed">驳回（不是问题）</button>' in page
    assert '<textarea name="reason" required' in page


# ----------------------------------------------------------------------------------------- decisions
def test_dismiss_with_reason(clients, seed002):
    c = clients["city"]
    key = "M102|t4|review|"
    url = f"/reports/{seed002.pk}/findings/decide"
    r = c.post(url, {"key": key, "status": "dismissed", "reason": ""}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason-required" and "理由" in r.json()["error"]["message"]
    assert c.post(url, {"key": key, "status": "dismissed", "reason": "  "}).status_code == 400
    r = c.post(url, {"key": key, "status": "dismissed", "reason": "行政复议不适用本街道"})
    assert r.status_code == 302 and r["Location"].startswith(f"/reports/{seed002.pk}/#finding-")
    seed002.refresh_from_db()
    assert seed002.warnings == 4 and Decision.objects.get().status == "dismissed"
    page = html(c.get(f"/reports/{seed002.pk}/"))
    assert "已驳回：行政复议不适用本街道（city，" in page
    fs = findings_in(page)
    assert fs[-1]["key"] == key and "dismissed" in fs[-1]["classes"]      # moved below the open ones
    assert '<b>4</b>警告' in page and '<b>1</b>已驳回' in page
    # deciding again updates the one decision; reopen deletes it
    c.post(url, {"key": key, "status": "confirmed", "reason": "确需填写 0"})
    assert Decision.objects.count() == 1 and Decision.objects.get().status == "confirmed"
    seed002.refresh_from_db()
    assert seed002.warnings == 5
    assert "已确认：确需填写 0" in html(c.get(f"/reports/{seed002.pk}/"))
    r = c.post(url, {"key": key, "status": "reopen"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r.json()["decision"] is None and Decision.objects.count() == 0
    # the list shows the counts after decisions
    c.post(url, {"key": key, "status": "dismissed", "reason": "不适用"})
    assert c.get("/reports/?format=json").json()["reports"][0]["counts"]["warning"] == 4


def test_decide_refused(clients, seed002):
    url = f"/reports/{seed002.pk}/findings/decide"
    data = {"key": "M102|t4|review|", "status": "dismissed", "reason": "x"}
    r = clients["author_xfl"].post(url, data, HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and "审核人" in r.json()["error"]["message"]
    assert clients["other"].post(url, data).status_code == 404
    assert clients["author_qnl"].post(url, data).status_code == 404
    assert clients["norole"].post(url, data).status_code == 403
    assert clients["anon"].post(url, data).status_code == 302
    assert clients["city"].get(url).status_code == 405
    r = clients["city"].post(url, {**data, "key": "Z999|t2||"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown-finding"
    r = clients["city"].post(url, {**data, "status": "maybe"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad-status"
    assert Decision.objects.count() == 0
    clients["admin"].post(url, data)
    assert Decision.objects.count() == 1


def test_decide_needs_csrf(users, seed002):
    from django.test import Client
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["city"])
    r = c.post(f"/reports/{seed002.pk}/findings/decide", {"key": "M102|t4|review|", "status": "dismissed",
                                                            "reason": "x"})
    assert r.status_code == 403 and Decision.objects.count() == 0


# ----------------------------------------------------------------------------------------- corrections
def test_correction_makes_a_version_and_rechecks(clients, html_report):
    c = clients["city"]
    rep = html_report
    assert rep.errors == 0
    before = rep.current.data["tables"]["t3"]["new_received"]["natural"]
    url = f"/reports/{rep.pk}/correct"
    r = c.post(url, {"cell": "t3|new_received|natural", "value": str(before + 5), "reason": "核对原件"})
    assert r.status_code == 302 and r["Location"] == f"/reports/{rep.pk}/#cell-t3-new_received-natural"
    rep.refresh_from_db()
    assert rep.current.number == 2 and rep.errors > 0                # 新收 no longer adds up (H1/H2)
    corr = Correction.objects.get()
    assert (corr.table, corr.row, corr.col, corr.before, corr.after, corr.reason) == \
        ("t3", "new_received", "natural", before, before + 5, "核对原件")
    page = html(c.get(f"/reports/{rep.pk}/"))
    assert "第 2 版" in page and findings_in(page)[0]["severity"] == "error"
    td = re.search(r'<td class="v st-read corrected[^"]*" id="cell-t3-new_received-natural"[^>]*>(.*?)</td>', page)
    assert td and td.group(1).startswith(str(before + 5)) and "已更正" in td.group(1)
    # the version history: who, before → after, reason, finding counts per version
    d = c.get(f"/reports/{rep.pk}/versions/?format=json").json()
    assert [v["number"] for v in d["versions"]] == [2, 1]
    v2 = d["versions"][0]
    assert v2["counts"]["error"] > 0 and d["versions"][1]["counts"]["error"] == 0
    assert v2["corrections"][0]["label"] == "表三 · 一、本年新收政府信息公开申请数量 · 自然人"
    assert (v2["corrections"][0]["before"], v2["corrections"][0]["after"]) == (before, before + 5)
    vpage = html(c.get(f"/reports/{rep.pk}/versions/"))
    assert "一、本年新收政府信息公开申请数量 · 自然人" in vpage and "理由：核对原件（city）" in vpage
    # correcting back: version 3, no error
    r = c.post(url, {"cell": "t3|new_received|natural", "value": str(before), "reason": "改回"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 201 and r.json()["version"] == 3 and r.json()["counts"]["error"] == 0


def test_correction_errors_in_chinese(clients, html_report):
    c, url = clients["city"], f"/reports/{html_report.pk}/correct"
    v = html_report.current.data["tables"]["t3"]["new_received"]["natural"]
    cases = [({"cell": "t3|new_received|natural", "value": "三", "reason": "x"}, "bad-value", "不是有效的数字"),
             ({"cell": "t9|x|y", "value": "1", "reason": "x"}, "bad-cell", "不在该报告格式中"),
             ({"cell": "t3|new_received", "value": "1", "reason": "x"}, "bad-cell", "写法不正确"),
             ({"cell": "t3|new_received|natural", "value": str(v), "reason": "x"}, "no-change", "没有改动"),
             ({"cell": "t3|new_received|natural", "value": "1", "reason": " "}, "reason-required", "理由")]
    for data, code, text in cases:
        r = c.post(url, data, HTTP_ACCEPT="application/json")
        assert r.status_code == 400, data
        assert r.json()["error"]["code"] == code and text in r.json()["error"]["message"], r.json()
    assert html_report.versions.count() == 1
    # out of scope, author, no role
    data = {"cell": "t3|new_received|natural", "value": "1", "reason": "x"}
    assert clients["other"].post(url, data).status_code == 404
    assert clients["author_qnl"].post(url, data, HTTP_ACCEPT="application/json").status_code == 403
    assert clients["norole"].post(url, data).status_code == 403
    assert clients["anon"].post(url, data, HTTP_ACCEPT="application/json").status_code == 401
    assert html_report.versions.count() == 1


def test_correct_form_lists_cells_in_chinese(clients, seed002):
    page = html(clients["city"].get(f"/reports/{seed002.pk}/"))
    form = page[page.index('<form class="correct'):]
    assert 'action="/reports/%d/correct"' % seed002.pk in form
    assert '<option value="t4|review|maintain">行政复议 · 结果维持（当前：空）</option>' in form


# ----------------------------------------------------------------------------------------- sources
def test_html_source_cells_and_sanitised_original(clients, users, tree):
    data = (FIXTURES / "report.html").read_bytes()
    evil = (b'<script>alert("x1")</script><p onclick="alert(2)">\xe8\xaf\xb4\xe6\x98\x8e'
            b'<img src="x" onerror="alert(3)"><a href="javascript:alert(4)">link</a></p>'
            b'<iframe src="https://example.invalid/"></iframe><style>p{color:red}</style>')
    data = data.replace(b"<body>", b"<body>" + evil, 1) if b"<body>" in data else evil + data
    up = upload(users["city"], "evil.html", data, unit=tree["qnl"])
    rep = up.files.get().report
    assert rep is not None and rep.kind == "html"
    page = html(clients["city"].get(f"/reports/{rep.pk}/"))
    src = region(page, "source")
    assert "原网页（已清洗）" in src
    for bad in ("<script>alert", 'alert("x1")', "onerror", "onclick", "javascript:", "<iframe", "<img", "color:red"):
        assert bad not in page, bad
    # the reader's tables re-rendered, each source cell tied to its contract cell
    assert 'class="src-table"' in src
    m = re.search(r'<td data-cell="t3\|new_received\|natural" class="src-cell">([^<]*)</td>', src)
    assert m and m.group(1) == str(rep.current.data["tables"]["t3"]["new_received"]["natural"])
    assert src.count("data-cell=") >= 200


def test_docx_source_view(clients, users, tree):
    up = upload(users["city"], FIXTURES / "report.docx", unit=tree["qnl"])
    rep = up.files.get().report
    src = region(html(clients["city"].get(f"/reports/{rep.pk}/")), "source")
    assert 'class="src-table"' in src and 'data-cell="t4|review|total"' in src
    assert "原网页" not in src


def test_pdf_pages_and_boxes(clients, users, tree, settings):
    up = upload(users["city"], FIXTURES / "report.pdf", unit=tree["qnl"])
    rep = up.files.get().report
    page = html(clients["city"].get(f"/reports/{rep.pk}/"))
    src = region(page, "source")
    assert f'src="/reports/{rep.pk}/pages/1.png"' in src
    box = re.search(r'<span class="src-box" data-cell="t2\|regulations\|made" style="left:([\d.]+)%;top:([\d.]+)%', src)
    assert box and 0 < float(box.group(1)) < 100 and 0 < float(box.group(2)) < 100
    r = clients["city"].get(f"/reports/{rep.pk}/pages/2.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    png = b"".join(r.streaming_content)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(Path(settings.MEDIA_ROOT, "derived").rglob("page-*-2.png"))          # kept
    r = clients["city"].get(f"/reports/{rep.pk}/pages/99.png")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no-page"
    assert clients["other"].get(f"/reports/{rep.pk}/pages/1.png").status_code == 404
    assert clients["anon"].get(f"/reports/{rep.pk}/pages/1.png").status_code == 302


def test_page_png_only_for_pdf(clients, seed002):
    r = clients["city"].get(f"/reports/{seed002.pk}/pages/1.png")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not-pdf"


def test_source_download(clients, seed002):
    url = f"/reports/{seed002.pk}/source"
    r = clients["author_xfl"].get(url)
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == SEED_002.read_bytes()
    assert clients["other"].get(url).status_code == 404
    assert clients["author_qnl"].get(url).status_code == 404
    assert clients["norole"].get(url).status_code == 403
    assert clients["anon"].get(url).status_code == 302


def test_versions_permissions(clients, seed002):
    url = f"/reports/{seed002.pk}/versions/"
    d = clients["author_xfl"].get(url + "?format=json").json()
    assert d["versions"][0]["number"] == 1 and d["versions"][0]["note"] == "上传"
    assert d["versions"][0]["counts"] == {"error": 0, "warning": 5, "info": 1}
    assert clients["other"].get(url).status_code == 404
    assert clients["norole"].get(url).status_code == 403
    assert clients["anon"].get(url + "?format=json").status_code == 401


def test_source_marks_stay_after_a_correction(clients, seed002):
    c = clients["city"]
    r = c.post(f"/reports/{seed002.pk}/correct", {"cell": "t3|new_received|natural", "value": "2", "reason": "核对原件"})
    assert r.status_code == 302
    page = html(c.get(f"/reports/{seed002.pk}/"))
    # the table shows the corrected value; the source still shows what the file printed, on its token
    assert re.search(r'id="cell-t3-new_received-natural"[^>]*>2<sup class="mark"', page)
    assert '<span class="src-cell tok" data-cell="t3|new_received|natural">0</span>' in region(page, "source")
    assert findings_in(page)[0]["severity"] == "error"          # 新收 no longer adds up


def test_single_file_web_page_shows_its_page_not_mime(clients, users, tree):
    """An OA system's "Word" export that is really MHTML: the original view shows the page."""
    path = Path(__file__).parents[1] / "fixtures" / "html_layouts" / "word_single_file.doc"
    up = upload(users["city"], "单个文件网页.mht", path.read_bytes(), unit=tree["qnl"])
    rep = up.files.get().report
    assert rep is not None and rep.kind == "html"
    src = region(html(clients["city"].get(f"/reports/{rep.pk}/")), "source")
    assert "原网页（已清洗）" in src and "行政规范性文件" in src
    assert "Content-Type" not in src and "MIME-Version" not in src
