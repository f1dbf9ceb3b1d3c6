"""Region dashboard: submission matrix, counts, missing units, sorting, search, charts and the review
workbook — and who may see them (reviewers of the subtree and administrators; everyone else 404)."""
from __future__ import annotations

import io
import random
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from nianbao.render import to_text
from nianbao.synth import random_report
from nianbao.web import ingest
from nianbao.web.models import Decision, Report, Unit
from nianbao.web.views.region import chart_rows

from .conftest import upload


def dash(client, unit, **params):
    q = "&".join(f"{k}={v}" for k, v in {"format": "json", **params}.items())
    return client.get(f"/regions/{unit.pk}/?{q}")


def row(d, name):
    return next(r for r in d["matrix"] if r["name"] == name)


def qnl_report_2021(users, tree, errors: bool = True) -> Report:
    """A generated 2021 report for 青年路街道; with `errors`, 表三 一·总计 is raised by 7 (breaks H1 and H3)."""
    r = random_report(random.Random(5), "2021", zero_share=0.3, year=2021, org="临清市青年路街道办事处")
    upload(users["city"], "qnl2021.txt", to_text(r).encode(), unit=tree["qnl"])
    rep = Report.objects.get(unit=tree["qnl"], year=2021)
    if errors:
        old = rep.current.data["tables"]["t3"]["new_received"]["total"]
        ingest.correct(rep, users["city"], [("t3", "new_received", "total", str(old + 7))], "测试")
        rep.refresh_from_db()
    return rep


# ----------------------------------------------------------------------------------------- matrix and counts
def test_matrix_shows_submitted_and_missing(clients, tree, seed002):
    d = dash(clients["city"], tree["city"]).json()
    assert d["year"] == 2021                                   # latest year with reports in the subtree
    assert d["years"] == [2017, 2018, 2019, 2020, 2021]
    assert [(r["name"], r["depth"]) for r in d["matrix"]] == [
        ("临清市", 0), ("临清市先锋路街道办事处", 1), ("临清市青年路街道办事处", 1)]
    xfl = row(d, "临清市先锋路街道办事处")["years"]
    assert xfl["2021"] == {"report": seed002.pk, "url": f"/reports/{seed002.pk}/", "errors": 0, "warnings": 5,
                           "infos": 1, "reports": 1}
    seed000 = Report.objects.get(year=2020)
    assert xfl["2020"]["report"] == seed000.pk and xfl["2019"] is None
    assert row(d, "临清市青年路街道办事处")["years"]["2021"] is None
    assert d["counts"]["submitted"] == 1 and d["counts"]["units"] == 3 and d["counts"]["missing"] == 2
    assert d["summary"] == "本年度已提交 1 / 3 个单位"
    assert [m["name"] for m in d["missing"]] == ["临清市", "临清市青年路街道办事处"]
    html = clients["city"].get(f"/regions/{tree['city'].pk}/").content.decode()
    assert "本年度已提交 1 / 3 个单位" in html
    assert f'href="/reports/{seed002.pk}/"' in html and "5 警告" in html
    qnl_row = html[html.index(">临清市青年路街道办事处</a></td>"):]
    qnl_row = qnl_row[:qnl_row.index("</tr>")]
    assert qnl_row.count('class="rg-missing-cell">未提交') == 1         # red only in the selected year
    assert 'id="download-workbook"' in html and f"/regions/{tree['city'].pk}/workbook.xlsx?year=2021" in html


def test_counts_match_report_rows(clients, users, tree, seed002):
    qnl = qnl_report_2021(users, tree)
    assert qnl.errors > 0
    d = dash(clients["city"], tree["city"]).json()
    reports = Report.objects.filter(year=2021, unit__path__startswith=tree["city"].path)
    assert d["counts"]["errors"] == sum(r.errors for r in reports) == qnl.errors
    assert d["counts"]["warnings"] == sum(r.warnings for r in reports)
    assert d["counts"]["submitted"] == 2 and d["missing"] == [{"id": tree["city"].pk, "name": "临清市", "level": "县级市"}]
    assert d["counts"]["passed"] == 1 and d["counts"]["failed"] == 1
    assert [r["name"] for r in d["per_unit"]] == ["临清市先锋路街道办事处", "临清市青年路街道办事处"]      # tree order
    d = dash(clients["city"], tree["city"], sort="errors").json()
    assert [(r["name"], r["errors"], r["conclusion"]) for r in d["per_unit"]] == [
        ("临清市青年路街道办事处", qnl.errors, "不通过"), ("临清市先锋路街道办事处", 0, "通过")]
    html = clients["city"].get(f"/regions/{tree['city'].pk}/?sort=errors").content.decode()
    assert html.index("合计（2 份报告）") > 0 and f'<th class="num">{d["counts"]["errors"]}</th>' in html


def test_dismissed_finding_is_not_counted(clients, users, tree, seed002):
    Decision.objects.create(report=seed002, key="M102|t4|review|", status=Decision.DISMISSED,
                            reason="本单位无行政复议", user=users["city"])
    ingest.recount(seed002)
    d = dash(clients["city"], tree["city"]).json()
    assert row(d, "临清市先锋路街道办事处")["years"]["2021"]["warnings"] == 4 == d["counts"]["warnings"]


def test_year_parameter(clients, tree, seed002):
    d = dash(clients["city"], tree["city"], year=2020).json()
    assert d["counts"]["submitted"] == 1 and d["years"][-1] == 2020
    assert list(row(d, "临清市先锋路街道办事处")["years"]) == ["2016", "2017", "2018", "2019", "2020"]
    assert row(d, "临清市先锋路街道办事处")["years"]["2020"]["warnings"] == 0
    r = dash(clients["city"], tree["city"], year="abc")
    assert r.status_code == 400 and "年度" in r.json()["error"]["message"]
    d = dash(clients["other"], tree["other"]).json()           # nothing uploaded there: last year by default
    import datetime
    assert d["year"] == datetime.date.today().year - 1 and d["counts"]["submitted"] == 0


# ----------------------------------------------------------------------------------------- permissions
@pytest.mark.parametrize("suffix", ["", "workbook.xlsx", "charts/requests.svg", "charts/trend.png"])
def test_dashboard_scope(clients, tree, seed002, suffix):
    city = f"/regions/{tree['city'].pk}/{suffix}"
    assert clients["city"].get(city).status_code == 200
    assert clients["admin"].get(city).status_code == 200
    assert clients["city"].get(f"/regions/{tree['xfl'].pk}/{suffix}").status_code == 200    # inside the subtree
    for who in ("other", "author_xfl", "author_qnl"):
        r = clients[who].get(city)
        assert r.status_code == 404, who
        if suffix:                                     # files answer the error shape as JSON
            assert r.json()["error"]["code"] == "not-found"
    assert clients["city"].get(f"/regions/{tree['other'].pk}/{suffix}").status_code == 404
    assert clients["author_xfl"].get(f"/regions/{tree['xfl'].pk}/{suffix}").status_code == 404  # own unit: no dashboard
    assert clients["norole"].get(city).status_code == 403
    anon = clients["anon"].get(city)
    assert anon.status_code == 302 and anon.url.startswith("/login/")
    assert clients["anon"].get(f"/regions/{tree['city'].pk}/?format=json").status_code == 401


def test_regions_home(clients, tree, seed002):
    d = clients["admin"].get("/regions/?format=json").json()
    assert [(r["name"], r["units"], r["submitted"]) for r in d["regions"]] == [("临清市", 3, 1), ("其他县", 2, 0)]
    d = clients["city"].get("/regions/?format=json").json()
    assert [r["name"] for r in d["regions"]] == ["临清市"]
    assert clients["author_xfl"].get("/regions/").status_code == 403
    assert clients["norole"].get("/regions/").status_code == 403
    assert clients["anon"].get("/regions/").status_code == 302


# ----------------------------------------------------------------------------------------- search
def test_search_finds_deep_unit_with_ancestors(clients, tree, seed002):
    village = Unit.objects.create(name="后屯社区", key="后屯社区", parent=tree["xfl"], level="社区")
    d = clients["city"].get("/regions/search?q=后屯&format=json").json()
    assert d["count"] == 1
    hit = d["results"][0]
    assert hit["id"] == village.pk and hit["depth"] == 2
    assert [a["name"] for a in hit["ancestors"]] == ["临清市", "临清市先锋路街道办事处"]
    assert hit["path"] == "临清市 › 临清市先锋路街道办事处 › 后屯社区"
    html = clients["city"].get("/regions/search?q=后屯").content.decode()
    assert "找到 1 个单位" in html and "<b>后屯社区</b>" in html and f'href="/regions/{tree["xfl"].pk}/"' in html
    assert clients["other"].get("/regions/search?q=后屯&format=json").json()["count"] == 0      # outside scope
    assert clients["other"].get("/regions/search?q=平湖&format=json").json()["count"] == 1
    assert clients["author_xfl"].get("/regions/search?q=后屯").status_code == 403
    # the dashboard's filter: the match and its ancestors only
    d = dash(clients["city"], tree["city"], q="后屯").json()
    assert [(r["name"], r["depth"], r["match"]) for r in d["matrix"]] == [
        ("临清市", 0, False), ("临清市先锋路街道办事处", 1, False), ("后屯社区", 2, True)]
    assert d["matched"] == 1 and d["counts"]["units"] == 4           # counts stay those of the whole region
    d = dash(clients["city"], tree["city"], q="青年路").json()
    assert [r["name"] for r in d["matrix"]] == ["临清市", "临清市青年路街道办事处"]


# ----------------------------------------------------------------------------------------- charts
def test_chart_rows_come_from_current_versions(users, tree, seed002):
    qnl = qnl_report_2021(users, tree)
    rows = {(r[0], r[1]): r for r in chart_rows(users["city"], tree["city"], 2021)}
    t3 = qnl.current.data["tables"]["t3"]
    assert rows[("临清市青年路街道办事处", 2021)][2:6] == (
        t3["new_received"]["total"], t3["granted"]["total"], t3["partial"]["total"], t3["total"]["total"])
    assert rows[("临清市先锋路街道办事处", 2021)][2] == 0
    assert rows[("临清市先锋路街道办事处", 2021)][6:] == (None, None)       # 表四 复议 printed blank in seed 002
    assert set(rows) == {("临清市先锋路街道办事处", 2020), ("临清市先锋路街道办事处", 2021), ("临清市青年路街道办事处", 2021)}
    assert chart_rows(users["other"], tree["city"], 2021) == []          # scope applies to the data too


def test_chart_endpoints_png_svg_chinese(clients, users, tree, seed002, cjk_font):
    qnl_report_2021(users, tree, errors=False)
    base = f"/regions/{tree['city'].pk}/charts/"
    r = clients["city"].get(base + "requests.svg?year=2021")
    assert r.status_code == 200 and r["Content-Type"].startswith("image/svg+xml")
    svg = r.content.decode()
    assert "<svg" in svg and "2021年各单位本年新收政府信息公开申请数量" in svg
    assert "临清市先锋路街道办事处" in svg and "临清市青年路街道办事处" in svg
    rate = clients["city"].get(base + "disclosure.svg?year=2021").content.decode()
    assert "不参与排序" in rate and "临清市先锋路街道办事处" in rate      # 0 requests: listed, not ranked
    assert "行政复议纠错率" in clients["city"].get(base + "trend.svg?year=2021").content.decode()
    png = clients["city"].get(base + "requests.png?year=2021")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) > 5000
    again = clients["city"].get(base + "requests.png?year=2021", HTTP_IF_NONE_MATCH=png["ETag"])
    assert again.status_code == 304
    r = clients["city"].get(base + "pie.svg")
    assert r.status_code == 404 and "requests" in r.json()["error"]["message"]


# ----------------------------------------------------------------------------------------- workbook
def test_workbook_sheets_findings_and_dismissed(clients, users, tree, seed002):
    Decision.objects.create(report=seed002, key="M102|t4|review|", status=Decision.DISMISSED,
                            reason="本单位无行政复议", user=users["city"])
    Decision.objects.create(report=seed002, key="R103|t3|partial|", status=Decision.CONFIRMED,
                            reason="请核实原文", user=users["city"])
    ingest.recount(seed002)
    r = clients["city"].get(f"/regions/{tree['city'].pk}/workbook.xlsx?year=2021")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"filename*=UTF-8''{quote('临清市2021年度年报审查表.xlsx')}" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["问题清单", "报告汇总", "提交情况", "审核记录"]
    rows = list(wb["问题清单"].iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(head)}
    current = list(seed002.current.findings.values_list("code", flat=True))
    assert sorted(x[col["代码"]] for x in body) == sorted(current) and len(body) == 6
    assert all(x[col["单位"]] == "临清市先锋路街道办事处" and x[col["年度"]] == 2021 for x in body)
    by = {(x[col["代码"]], x[col["行"]]): x for x in body}
    dismissed = by[("M102", "行政复议")]
    assert dismissed[col["审核状态"]] == "已驳回" and dismissed[col["审核意见（驳回理由）"]] == "本单位无行政复议"
    assert dismissed[col["审核人"]] == "city" and dismissed == body[-1]          # dismissed ones last
    confirmed = by[("R103", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    assert confirmed[col["审核状态"]] == "已确认" and confirmed[col["严重程度"]] == "警告"
    assert confirmed[col["表"]] == "表三 依申请公开"
    assert sum(x[col["审核状态"]] == "待审核" for x in body) == 4
    assert all(x[col["修改建议"]] for x in body)
    s104 = next(x for x in body if x[col["代码"]] == "S104")
    assert (s104[col["填报值"]], s104[col["应为"]]) == ("规范性文件", "行政规范性文件")
    summary = list(wb["报告汇总"].iter_rows(values_only=True))
    sh = {h: i for i, h in enumerate(summary[0])}
    assert len(summary) == 2
    s = summary[1]
    assert (s[sh["单位"]], s[sh["错误"]], s[sh["警告"]], s[sh["已驳回"]], s[sh["结论"]]) == (
        "临清市先锋路街道办事处", 0, 4, 1, "通过")
    assert s[sh["报告页面"]].endswith(f"/reports/{seed002.pk}/")
    assert s[sh["审核状态"]] == "草稿（未提交）"                             # stored, not submitted for review
    matrix = list(wb["提交情况"].iter_rows(values_only=True))
    assert matrix[0] == ("单位", "层级", "2017年", "2018年", "2019年", "2020年", "2021年")
    by_unit = {m[0].strip("\u3000"): m for m in matrix[1:] if m and m[0]}
    assert by_unit["临清市青年路街道办事处"][6] == "未提交"
    assert by_unit["临清市先锋路街道办事处"][6] == "已提交（错误 0，警告 4）"
    assert by_unit["临清市先锋路街道办事处"][5] == "已提交（错误 0，警告 0）"
    assert any(m[0] == "2021年度已提交 1 / 3 个单位" for m in matrix if m and m[0])


def test_workbook_other_years_and_units(clients, users, tree, seed002):
    qnl_report_2021(users, tree)
    wb = load_workbook(io.BytesIO(clients["admin"].get(f"/regions/{tree['city'].pk}/workbook.xlsx?year=2021").content))
    body = list(wb["问题清单"].iter_rows(values_only=True))[1:]
    assert body[0][0] == "临清市青年路街道办事处" and body[0][2] == "错误"         # errors first across the region
    assert [r[0] for r in list(wb["报告汇总"].iter_rows(values_only=True))[1:]] == [
        "临清市先锋路街道办事处", "临清市青年路街道办事处"]
    wb = load_workbook(io.BytesIO(clients["city"].get(f"/regions/{tree['xfl'].pk}/workbook.xlsx?year=2020").content))
    assert [r[0] for r in list(wb["报告汇总"].iter_rows(values_only=True))[1:]] == ["临清市先锋路街道办事处"]
    assert list(wb["问题清单"].iter_rows(values_only=True))[1:] == []            # seed 000 has no finding
