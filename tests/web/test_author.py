"""The author's pages: ledger editing and upload, deadlines, computed tables, narrative, live checks, DOCX.

Every view is tried from every side of its permission boundary; the content assertions check values
against hand-worked figures (the 国庆 2025 due date, 表三 totals by applicant type, the DOCX read back)."""
from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from nianbao.extract import extract
from nianbao.ledger.ledger import COLUMNS
from nianbao.readers import read_bytes
from nianbao.web.models import Ledger

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_XLSX = EXAMPLES / "台账示例.xlsx"
SAMPLE_TEXT = EXAMPLES / "年报正文示例.txt"

GET_PAGES = ["/author/2025/ledger", "/author/2025/deadlines", "/author/2025/tables", "/author/2025/narrative",
             "/author/2025/check", "/author/2025/report.html"]
POSTS = ["/author/2025/ledger/add", "/author/2025/ledger/1", "/author/2025/ledger/1/delete",
         "/author/2025/ledger/upload", "/author/2025/ledger/import", "/author/2025/ledger/carry",
         "/author/2025/tables/t2", "/author/2025/cases/add", "/author/2025/cases/1/delete",
         "/author/2025/narrative", "/author/2025/narrative/import", "/author/2025/check"]


def row(**kw) -> dict:
    r = {c: "" for c in COLUMNS}
    r.update({"编号": "A1", "收到日期": "2025-03-03", "申请人类型": "自然人", "延期": "否"})
    r.update(kw)
    return r


def store(unit, year=2025, requests=(), **fields) -> Ledger:
    led, _ = Ledger.objects.get_or_create(unit=unit, year=year)
    led.requests = [row(**r) for r in requests]
    for k, v in fields.items():
        setattr(led, k, v)
    led.save()
    return led


def html(r) -> str:
    return r.content.decode()


# ----------------------------------------------------------------------------------------- permissions
@pytest.mark.parametrize("url", ["/author/", "/author/2025/ledger.xlsx", "/author/2025/report.docx", *GET_PAGES])
def test_every_page_permission_boundary(clients, tree, url):
    store(tree["xfl"], requests=[{"编号": "X-1"}])
    anon = clients["anon"].get(url)
    assert anon.status_code == 302 and anon["Location"].startswith("/login/?next=")
    assert clients["anon"].get(url, HTTP_ACCEPT="application/json").json()["error"]["status"] == 401
    for name in ("norole", "city", "other"):                      # no role, and reviewers: not their page
        r = clients[name].get(url, HTTP_ACCEPT="application/json")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", name
    # another unit's author choosing 先锋路 → 404, exactly as if it did not exist
    r = clients["author_qnl"].get(url + f"?unit={tree['xfl'].pk}", HTTP_ACCEPT="application/json")
    assert r.status_code == 404 and "权限范围" in r.json()["error"]["message"]
    mine = clients["author_xfl"].get(url)
    admin = clients["admin"].get(url + f"?unit={tree['xfl'].pk}")
    for r in (mine, admin):
        assert r.status_code == 200
        if url.endswith(".xlsx"):
            assert load_workbook(io.BytesIO(r.content))["依申请公开台账"]["A2"].value == "X-1"
        elif url.endswith(".docx"):
            assert extract(read_bytes(r.content, "r.docx")).tables()["t3"]["carried_forward"]["total"] == 1
        else:
            assert "临清市先锋路街道办事处" in html(r)


def test_author_of_another_unit_sees_only_their_own_ledger(clients, tree):
    store(tree["xfl"], requests=[{"编号": "XFL-1"}])
    store(tree["qnl"], requests=[{"编号": "QNL-1"}, {"编号": "QNL-2"}])
    d = clients["author_qnl"].get("/author/2025/ledger?format=json").json()
    assert [r["编号"] for r in d["requests"]] == ["QNL-1", "QNL-2"] and d["unit"]["name"] == "临清市青年路街道办事处"
    d = clients["author_xfl"].get("/author/2025/ledger?format=json").json()
    assert [r["编号"] for r in d["requests"]] == ["XFL-1"]


@pytest.mark.parametrize("url", POSTS)
def test_every_post_permission_boundary(clients, tree, url):
    led = store(tree["xfl"], requests=[{"编号": "X-1"}])
    assert clients["anon"].post(url)["Location"].startswith("/login/")
    for name in ("norole", "city"):
        assert clients[name].post(url, HTTP_ACCEPT="application/json").status_code == 403
    r = clients["author_qnl"].post(url + f"?unit={tree['xfl'].pk}", {"编号": "hack", "_id": "X-1"},
                                   HTTP_ACCEPT="application/json")
    assert r.status_code == 404
    led.refresh_from_db()
    assert [x["编号"] for x in led.requests] == ["X-1"]           # nothing changed by the refused posts


def test_admin_chooses_a_unit(clients, tree):
    r = clients["admin"].get("/author/")
    assert r.status_code == 200 and "选择单位" in html(r) and f"/author/?unit={tree['qnl'].pk}" in html(r)
    r = clients["admin"].get("/author/2025/ledger")                # no unit chosen: back to the chooser
    assert r.status_code == 302 and r["Location"] == "/author/"
    assert clients["admin"].get("/author/2025/ledger?format=json").json()["error"]["code"] == "unit-required"
    r = clients["admin"].post(f"/author/2025/ledger/add?unit={tree['qnl'].pk}", row(编号="ADM-1"))
    assert r.status_code == 302 and r["Location"].startswith(f"/author/2025/ledger?unit={tree['qnl'].pk}")
    assert Ledger.objects.get(unit=tree["qnl"], year=2025).requests[0]["编号"] == "ADM-1"
    page = html(clients["admin"].get(f"/author/2025/ledger?unit={tree['qnl'].pk}"))
    assert f"/author/2025/ledger/1/delete?unit={tree['qnl'].pk}" in page      # links keep the unit


def test_year_without_a_format_is_404(clients, tree):
    r = clients["author_xfl"].get("/author/2015/ledger", HTTP_ACCEPT="application/json")
    assert r.status_code == 404 and "2015" in r.json()["error"]["message"]


def test_author_without_unit_is_told(clients, users, tree):
    p = users["author_xfl"].profile
    p.unit = None
    p.save()
    r = clients["author_xfl"].get("/author/", HTTP_ACCEPT="application/json")
    assert r.status_code == 403 and "尚未关联单位" in r.json()["error"]["message"]


# ----------------------------------------------------------------------------------------- home
def test_home_summarises_each_year(clients, tree, settings):
    store(tree["xfl"], 2025, requests=[
        {"编号": "1", "收到日期": "2025-03-03", "办理结果": "予以公开", "答复日期": "2025-03-10"},
        {"编号": "2", "收到日期": "2025-12-01"}])                     # open; due 2025-12-29 → overdue by now
    d = clients["author_xfl"].get("/author/?format=json&today=2026-02-02").json()
    assert d["unit"]["name"] == "临清市先锋路街道办事处"
    y = {s["year"]: s for s in d["years"]}
    assert y[2025]["requests"] == 2 and y[2025]["open"] == 1 and y[2025]["overdue"] == 1
    assert y[2025]["errors"] >= 1                                  # no narrative yet: missing sections
    assert d["years"][0]["year"] == d["report_year"]               # the report being written comes first
    page = html(clients["author_xfl"].get("/author/?today=2026-02-02"))
    assert "正在编制的年度报告" in page and "/author/2025/ledger" in page


# ----------------------------------------------------------------------------------------- ledger rows
def test_add_edit_delete_a_row(clients, tree):
    c = clients["author_xfl"]
    r = c.post("/author/2025/ledger/add", row(编号="2025-001", 申请人="张某", 收到日期="2025/3/4"))
    assert r.status_code == 302 and r["Location"] == "/author/2025/ledger#row-1"
    c.post("/author/2025/ledger/add", row(编号="2025-002", 收到日期="2025年3月5日", 收到方式="网络"))
    led = Ledger.objects.get(unit=tree["xfl"], year=2025)
    assert [(x["编号"], x["收到日期"]) for x in led.requests] == [("2025-001", "2025-03-04"), ("2025-002", "2025-03-05")]
    assert led.updated_by.username == "author_xfl"
    page = html(c.get("/author/2025/ledger"))
    assert "已新增第 2 行（申请 2025-002）" in page and "张某" in page
    # edit row 1: answered
    r = c.post("/author/2025/ledger/1", row(编号="2025-001", 申请人="张某", 收到日期="2025-03-04",
                                           办理结果="部分公开", 答复日期="2025-03-20", _id="2025-001"))
    assert r.status_code == 302
    led.refresh_from_db()
    assert led.requests[0]["办理结果"] == "部分公开" and led.requests[0]["答复日期"] == "2025-03-20"
    # the edit form comes prefilled (the row's own address leads there too)
    assert c.get("/author/2025/ledger/1")["Location"] == "/author/2025/ledger?edit=1#form"
    assert c.get("/author/2025/")["Location"] == "/author/2025/ledger"
    page = html(c.get("/author/2025/ledger?edit=1"))
    assert "修改第 1 行（申请 2025-001）" in page and 'value="2025-03-20"' in page
    # delete row 1 → row 2 moves up
    r = c.post("/author/2025/ledger/1/delete", {"_id": "2025-001"})
    assert r.status_code == 302
    led.refresh_from_db()
    assert [x["编号"] for x in led.requests] == ["2025-002"]
    d = c.get("/author/2025/ledger?format=json").json()
    assert d["counts"] == {"total": 1, "open": 1} and d["requests"][0]["n"] == 1


def test_invalid_date_shows_the_row_message_keeps_the_input_and_stores_nothing(clients, tree):
    c = clients["author_xfl"]
    c.post("/author/2025/ledger/add", row(编号="A1"))
    c.post("/author/2025/ledger/add", row(编号="A2"))
    r = c.post("/author/2025/ledger/add", row(编号="A3", 收到日期="2025-02-30", 申请人="李四", 申请内容="拆迁补偿标准"))
    assert r.status_code == 400
    page = html(r)
    assert "第3行「收到日期」：日期“2025-02-30”无效" in page
    assert 'value="2025-02-30"' in page and 'value="李四"' in page and 'value="拆迁补偿标准"' in page
    assert [x["编号"] for x in Ledger.objects.get(unit=tree["xfl"], year=2025).requests] == ["A1", "A2"]
    # JSON: the same message, per row and column
    r = c.post("/author/2025/ledger/add", row(编号="A1", 申请人类型="个人"), HTTP_ACCEPT="application/json")
    err = r.json()["error"]
    assert r.status_code == 400 and err["code"] == "invalid-row"
    assert {(x["row"], x["column"]) for x in err["rejected"]} == {(3, "编号"), (3, "申请人类型")}
    assert "与第1行重复" in err["message"]
    # editing row 2 into an impossible order is refused too
    r = c.post("/author/2025/ledger/2", row(编号="A2", 办理结果="予以公开", 答复日期="2025-01-01", _id="A2"))
    assert r.status_code == 400 and "第2行「答复日期」：答复日期 2025-01-01 早于收到日期 2025-03-03" in html(r)
    assert Ledger.objects.get(unit=tree["xfl"], year=2025).requests[1]["答复日期"] == ""


def test_stale_edit_is_refused(clients, tree):
    store(tree["xfl"], requests=[{"编号": "A1"}, {"编号": "A2"}])
    r = clients["author_xfl"].post("/author/2025/ledger/1/delete", {"_id": "A2"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 409 and "刷新" in r.json()["error"]["message"]
    r = clients["author_xfl"].post("/author/2025/ledger/9/delete", {"_id": "A2"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 404
    assert len(Ledger.objects.get(unit=tree["xfl"]).requests) == 2


def test_select_boxes_offer_the_librarys_choices(clients, tree):
    page = html(clients["author_xfl"].get("/author/2025/ledger"))
    for label in ("社会公益组织", "法律服务机构", "传真", "不予公开-属于国家秘密", "其他处理-其他",
                  "不予处理-重复申请", "无法提供-本机关不掌握相关政府信息"):
        assert f'<option value="{label}"' in page
    assert '<optgroup label="不予公开">' in page


def test_carry_over_open_requests_from_last_year(clients, tree):
    store(tree["xfl"], 2024, requests=[
        {"编号": "24-1", "收到日期": "2024-05-06", "办理结果": "予以公开", "答复日期": "2024-05-20"},
        {"编号": "24-2", "收到日期": "2024-12-20"},
        {"编号": "24-3", "收到日期": "2024-12-23", "办理结果": "予以公开", "答复日期": "2025-01-10"}])
    c = clients["author_xfl"]
    d = c.get("/author/2025/ledger?format=json").json()
    assert d["carry"] == {"from": 2024, "count": 2}
    assert c.post("/author/2025/ledger/carry").status_code == 302
    led = Ledger.objects.get(unit=tree["xfl"], year=2025)
    assert [x["编号"] for x in led.requests] == ["24-2", "24-3"]
    assert c.get("/author/2025/ledger?format=json").json()["carry"] is None
    t3 = c.get("/author/2025/tables?format=json").json()["tables"]["t3"]
    assert t3["carried_over"]["total"] == 2 and t3["granted"]["total"] == 1 and t3["carried_forward"]["total"] == 1


# ----------------------------------------------------------------------------------------- upload and download
def xlsx_bytes(rows, t2=None, cases=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([r.get(c, "") for c in COLUMNS])
    if t2:
        s = wb.create_sheet("主动公开")
        for r in t2:
            s.append(r)
    if cases:
        s = wb.create_sheet("复议诉讼")
        for r in cases:
            s.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_preview_then_confirm_replaces_the_rows(clients, tree):
    store(tree["xfl"], requests=[{"编号": "OLD-1"}, {"编号": "OLD-2"}, {"编号": "OLD-3"}])
    c = clients["author_xfl"]
    data = xlsx_bytes([row(编号="N1", 收到日期="2025-04-01"), row(编号="N2", 收到日期="2025-02-30"),
                       row(编号="N3", 办理结果="同意", 答复日期="2025-03-09"), row(编号="N4")],
                      cases=[["编号", "类型", "立案日期", "结果", "结案日期", "备注"],
                             ["FY-1", "行政复议", "2025-04-10", "纠正", "2025-06-05", ""],
                             ["FY-2", "行政复议", "2025-13-01", "", "", ""]])
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("台账.xlsx", data)})
    assert r.status_code == 200
    page = html(r)
    assert "可导入 <strong class=\"ok-text\">2</strong> 件申请" in page
    assert "第3行「收到日期」：日期“2025-02-30”无效" in page and "第4行「办理结果」" in page
    assert "「复议诉讼」第3行日期" in page
    # previewing stored nothing
    assert [x["编号"] for x in Ledger.objects.get(unit=tree["xfl"]).requests] == ["OLD-1", "OLD-2", "OLD-3"]
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert c.post("/author/2025/ledger/import", {"token": "wrong"}).status_code == 400
    r = c.post("/author/2025/ledger/import", {"token": token})
    assert r.status_code == 302
    led = Ledger.objects.get(unit=tree["xfl"])
    assert [x["编号"] for x in led.requests] == ["N1", "N4"]
    assert [x[0] for x in led.cases] == ["编号", "FY-1"]
    assert "已导入 2 件申请，替换原有的 3 件" in html(c.get("/author/2025/ledger"))
    # the token is used up: confirming twice imports nothing more
    r = c.post("/author/2025/ledger/import", {"token": token}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "import-expired"
    t4 = c.get("/author/2025/tables?format=json").json()["tables"]["t4"]
    assert t4["review"]["correct"] == 1 and t4["review"]["total"] == 1


def test_upload_json_twin_and_refusals(clients, tree):
    c = clients["author_xfl"]
    csv = "编号,收到日期,申请人类型,办理结果,答复日期\nC1,2025-01-02,商业企业,,\n".encode("gb18030")
    d = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("l.csv", csv)},
               HTTP_ACCEPT="application/json").json()
    assert d["valid"] == 1 and d["rejected"] == [] and d["preview"][0]["申请人类型"] == "商业企业"
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("l.csv", "编号,收到日期\n".encode())},
               HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and "缺少必填列" in r.json()["error"]["message"]
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("l.xls", b"junk")})
    assert r.status_code == 400 and ".xlsx" in html(r)
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("l.xlsx", b"not a zip")},
               HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "ledger-unreadable"


def test_xlsx_download_round_trips(clients, tree):
    c = clients["author_xfl"]
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("台账示例.xlsx", SAMPLE_XLSX.read_bytes())},
               HTTP_ACCEPT="application/json")
    c.post("/author/2025/ledger/import", {"token": r.json()["token"]})
    before = Ledger.objects.get(unit=tree["xfl"])
    assert len(before.requests) == 12
    r = c.get("/author/2025/ledger.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    cd = r["Content-Disposition"]
    assert "filename*=UTF-8''" in cd and unquote(cd.split("''")[1]) == "临清市先锋路街道办事处2025年依申请公开台账.xlsx"
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:3] == ["依申请公开台账", "主动公开", "复议诉讼"] and "说明" in wb.sheetnames
    assert [c.value for c in wb["依申请公开台账"][1]] == list(COLUMNS)
    tables_before = c.get("/author/2025/tables?format=json").json()["tables"]
    # upload the download into another year: same rows, same tables
    d = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("back.xlsx", r.content)},
               HTTP_ACCEPT="application/json").json()
    assert d["valid"] == 12 and d["rejected"] == []
    c.post("/author/2025/ledger/import", {"token": d["token"]})
    after = Ledger.objects.get(unit=tree["xfl"])
    assert after.requests == before.requests and after.cases == before.cases
    assert c.get("/author/2025/tables?format=json").json()["tables"] == tables_before


# ----------------------------------------------------------------------------------------- deadlines
def test_deadlines_most_urgent_first_with_the_national_day_skipped(clients, tree):
    store(tree["xfl"], requests=[
        {"编号": "GQ", "收到日期": "2025-09-28", "申请人": "国庆"},       # worked by hand below
        {"编号": "LATE", "收到日期": "2025-08-01"},                      # due 2025-08-29: overdue
        {"编号": "DONE", "收到日期": "2025-09-01", "办理结果": "予以公开", "答复日期": "2025-09-05"},
        {"编号": "NEW", "收到日期": "2025-10-17"}])
    d = clients["author_xfl"].get("/author/2025/deadlines?format=json&today=2025-10-20").json()
    ids = [x["id"] for x in d["deadlines"]]
    assert ids == ["LATE", "GQ", "NEW"] and d["open"] == 3 and d["overdue"] == 1
    gq = next(x for x in d["deadlines"] if x["id"] == "GQ")
    # 9/28 (Sun, 调休) received; 9/29–30 = 2; 10/1–8 off; 10/9–10 = 4; 10/11 (Sat, 调休) = 5; 10/13–17 = 10;
    # 10/20–24 = 15; 10/27–31 = 20 → due 2025-10-31; from 10/20: 10/21–24 and 10/27–31 = 9 working days left
    assert gq["due"] == "2025-10-31" and gq["left"] == 9 and not gq["overdue"]
    skipped = {s["date"]: s["reason"] for s in gq["skipped"]}
    assert skipped["2025-10-01"].startswith("法定节假日") and skipped["2025-10-11"] == "调休上班"
    assert all(f"2025-10-0{i}" in skipped for i in range(1, 9))
    late = next(x for x in d["deadlines"] if x["id"] == "LATE")
    assert late["due"] == "2025-08-29" and late["overdue"] and late["status"].startswith("已超期")
    new = d["deadlines"][2]
    assert new["due"] == "2025-11-14" and new["left"] == 19 and new["status"] == "剩余 19 个工作日"
    page = html(clients["author_xfl"].get("/author/2025/deadlines?today=2025-10-20"))
    assert 'class="is-overdue"' in page and "2025-10-31" in page and "调休上班" in page and "计算过程" in page


def test_deadline_in_an_unpublished_year_shows_the_librarys_message(clients, tree):
    store(tree["xfl"], 2026, requests=[{"编号": "DEC", "收到日期": "2026-12-21"}, {"编号": "NOV", "收到日期": "2026-11-02"}])
    r = clients["author_xfl"].get("/author/2026/deadlines?today=2026-11-23")
    assert r.status_code == 200
    d = clients["author_xfl"].get("/author/2026/deadlines?format=json&today=2026-11-23").json()
    first = d["deadlines"][0]
    assert first["id"] == "DEC" and first["due"] is None and "没有 2027 年的数据" in first["error"]
    assert "没有 2027 年的数据" in html(r)
    assert d["deadlines"][1]["due"] == "2026-11-30" and d["deadlines"][1]["left"] == 5


# ----------------------------------------------------------------------------------------- tables
APPLICANTS = {"自然人": "natural", "商业企业": "commercial", "科研机构": "research", "法律服务机构": "legal"}


def test_t3_totals_equal_the_requests_by_applicant_type(clients, tree):
    reqs = [{"编号": f"R{i}", "收到日期": f"2025-0{1 + i % 9}-1{i % 10}", "申请人类型": t,
             **({"办理结果": "予以公开", "答复日期": "2025-11-30"} if i % 3 else {})}
            for i, t in enumerate(["自然人"] * 5 + ["商业企业"] * 3 + ["科研机构"] * 2 + ["法律服务机构"])]
    reqs.append({"编号": "OLD", "收到日期": "2024-12-28", "申请人类型": "自然人", "办理结果": "部分公开", "答复日期": "2025-01-06"})
    reqs.append({"编号": "GONE", "收到日期": "2024-03-01", "办理结果": "予以公开", "答复日期": "2024-03-20"})
    store(tree["xfl"], requests=reqs)
    d = clients["author_xfl"].get("/author/2025/tables?format=json").json()
    t3 = d["tables"]["t3"]
    for label, col in APPLICANTS.items():
        n_new = sum(1 for r in reqs if r.get("申请人类型", "自然人") == label and r["收到日期"].startswith("2025"))
        assert t3["new_received"][col] == n_new
    assert t3["new_received"]["total"] == 11 and t3["carried_over"]["total"] == 1
    assert t3["total"]["total"] + t3["carried_forward"]["total"] == 12       # H1 by construction
    assert t3["partial"]["natural"] == 1
    assert d["by_applicant"] == {"自然人": 6, "商业企业": 3, "科研机构": 2, "社会公益组织": 0, "法律服务机构": 1, "其他": 0}
    page = html(clients["author_xfl"].get("/author/2025/tables"))
    assert "勾稽关系" in page and "不需要手工计算" in page
    assert "（七）总计" in page and 'rowspan=' in page            # the official layout, merged cells


def test_t2_form_and_cases(clients, tree):
    c = clients["author_xfl"]
    page = html(c.get("/author/2025/tables"))
    assert 'name="t2|normative|made"' in page and "第二十条第（一）项" in page
    r = c.post("/author/2025/tables/t2", {"t2|normative|made": "3", "t2|normative|valid": "abc",
                                         "t2|licensing|decisions": "12"})
    assert r.status_code == 400
    assert "「行政规范性文件」的「现行有效件数」应为非负整数，收到“abc”" in html(r) and 'value="abc"' in html(r)
    assert Ledger.objects.filter(unit=tree["xfl"]).first() is None or not Ledger.objects.get(unit=tree["xfl"]).t2
    r = c.post("/author/2025/tables/t2", {"t2|normative|made": "3", "t2|normative|repealed": "0",
                                         "t2|normative|valid": "20", "t2|licensing|decisions": "1,234",
                                         "t2|fees|amount": "0.5"})
    assert r.status_code == 302 and r["Location"].endswith("#t2")
    t2 = c.get("/author/2025/tables?format=json").json()["tables"]["t2"]
    assert t2["normative"] == {"made": 3, "repealed": 0, "valid": 20}
    assert t2["licensing"]["decisions"] == 1234 and t2["fees"]["amount"] == 0.5 and t2["regulations"]["made"] is None
    # cases → 表四
    assert c.post("/author/2025/cases/add", {"类型": "行政复议", "立案日期": "2025-03-01", "结果": "维持",
                                             "结案日期": "2025-05-01"}).status_code == 302
    c.post("/author/2025/cases/add", {"类型": "复议后起诉", "立案日期": "2025-11-01"})
    r = c.post("/author/2025/cases/add", {"类型": "行政复议", "立案日期": "2025-06-01", "结果": "纠正"})
    assert r.status_code == 400 and "已填写结果“纠正”，但结案日期为空" in html(r)
    d = c.get("/author/2025/tables?format=json").json()
    assert d["tables"]["t4"]["review"] == {"maintain": 1, "correct": 0, "other": 0, "pending": 0, "total": 1}
    assert d["tables"]["t4"]["after_review"]["pending"] == 1 and len(d["cases"]) == 2
    assert c.post("/author/2025/cases/1/delete").status_code == 302
    d = c.get("/author/2025/tables?format=json").json()
    assert d["tables"]["t4"]["review"]["total"] == 0 and [x["类型"] for x in d["cases"]] == ["复议后起诉"]


# ----------------------------------------------------------------------------------------- narrative and checks
def narrative_form(**kw) -> dict:
    d = {"title": "临清市先锋路街道办事处2025年政府信息公开工作年度报告", "preamble": "本报告根据《条例》编制。",
         "s1": "全年共收到政府信息公开申请2件。", "s2": "", "s3": "", "s4": "未发生行政复议和行政诉讼。",
         "s5": "答复文书格式有待统一。", "s6": "未收取信息处理费。"}
    d.update(kw)
    return d


def test_narrative_saved_with_the_official_headings(clients, tree):
    c = clients["author_xfl"]
    page = html(c.get("/author/2025/narrative"))
    for title in ("一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert title in page
    assert "统计期限自2025年1月1日起至2025年12月31日止" in page          # a default preamble to start from
    r = c.post("/author/2025/narrative", narrative_form())
    assert r.status_code == 302
    n = Ledger.objects.get(unit=tree["xfl"], year=2025).narrative
    assert n["1"] == "全年共收到政府信息公开申请2件。" and n["title"].endswith("年度报告") and n["2"] == ""
    d = c.get("/author/2025/narrative?format=json").json()
    assert d["sections"][4]["title"] == "五、存在的主要问题及改进情况" and d["sections"][4]["text"] == "答复文书格式有待统一。"
    assert d["saved"] and d["checks"]["counts"]["error"] == 0


def test_narrative_import_splits_a_whole_text(clients, tree):
    c = clients["author_xfl"]
    r = c.post("/author/2025/narrative/import", {"text": SAMPLE_TEXT.read_text(encoding="utf-8")})
    assert r.status_code == 302
    n = Ledger.objects.get(unit=tree["xfl"]).narrative
    assert n["4"].startswith("全年发生政府信息公开行政复议1件") and n["title"].startswith("示例市示例区文化路街道")
    assert "已导入正文" in html(c.get("/author/2025/narrative"))
    r = c.post("/author/2025/narrative/import", {"text": "没有标题的一段话。"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "no-sections"


def test_check_lists_a_contradicting_number_and_a_missing_section(clients, tree):
    store(tree["xfl"], requests=[{"编号": "1", "办理结果": "予以公开", "答复日期": "2025-03-10"}, {"编号": "2"},
                                 {"编号": "3", "收到日期": "2025-05-06"}])
    c = clients["author_xfl"]
    c.post("/author/2025/narrative", narrative_form(s1="全年共收到政府信息公开申请20件。", s5=""))
    d = c.get("/author/2025/check?format=json").json()
    codes = [f["code"] for f in d["findings"]]
    assert "T101" in codes and "S101" in codes
    t101 = next(f for f in d["findings"] if f["code"] == "T101")
    assert "20" in t101["message"] and "3" in t101["message"]
    assert t101["table_label"].startswith("表三") and t101["row_label"] == "一、本年新收政府信息公开申请数量"
    assert t101["col_label"] == "总计" and t101["fix_url"] == "/author/2025/narrative"
    s101 = next(f for f in d["findings"] if f["code"] == "S101")
    assert "缺少第五部分「存在的主要问题及改进情况」" in s101["message"] and s101["severity"] == "error"
    sev = [f["severity"] for f in d["findings"]]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)           # problems first
    page = html(c.get("/author/2025/check"))
    assert page.index("缺少第五部分") < page.index("正文说“收到政府信息公开申请20件”")
    assert "sev-error" in page and "sev-warning" in page
    # the same box on the tables and narrative pages
    for url in ("/author/2025/tables", "/author/2025/narrative"):
        p = html(c.get(url))
        assert 'id="live-check"' in p and "错误 1" in p and "警告" in p and "缺少第五部分" in p
    # fixing the text clears both
    c.post("/author/2025/narrative", narrative_form(s1="全年共收到政府信息公开申请3件。"))
    d = c.get("/author/2025/check?format=json").json()
    assert not {"T101", "S101"} & {f["code"] for f in d["findings"]}


def test_live_check_of_a_draft_saves_nothing(clients, tree):
    store(tree["xfl"], requests=[{"编号": "1"}], narrative={"1": "全年共收到政府信息公开申请1件。", "5": "x", "6": "无"})
    c = clients["author_xfl"]
    d = c.post("/author/2025/check", narrative_form(s1="全年共收到政府信息公开申请7件。"),
               HTTP_ACCEPT="application/json").json()
    assert d["draft"] and any(f["code"] == "T101" and "7件" in f["message"] for f in d["findings"])
    assert Ledger.objects.get(unit=tree["xfl"]).narrative["1"] == "全年共收到政府信息公开申请1件。"
    d = c.get("/author/2025/check?format=json").json()
    assert not any(f["code"] == "T101" for f in d["findings"])


def test_check_uses_last_years_uploaded_report(clients, tree, seed002):
    # seed 002 is 先锋路's 2021 report: 0 requests carried forward into 2022
    store(tree["xfl"], 2022, requests=[{"编号": "21-9", "收到日期": "2021-12-28", "办理结果": "予以公开",
                                        "答复日期": "2022-01-10"}])
    d = clients["author_xfl"].get("/author/2022/check?format=json").json()
    assert d["previous"]["year"] == 2021 and d["previous"]["id"] == seed002.pk
    x101 = [f for f in d["findings"] if f["code"] == "X101"]
    assert x101 and x101[0]["table"] == "t3" and x101[0]["fix_url"] == "/author/2022/ledger"
    assert "2021 年" in html(clients["author_xfl"].get("/author/2022/check"))
    d = clients["author_xfl"].get("/author/2025/check?format=json").json()
    assert d["previous"] is None and not any(f["code"].startswith("X") for f in d["findings"])


# ----------------------------------------------------------------------------------------- the report
def test_docx_downloads_and_extracts_back_to_the_same_t3(clients, tree):
    c = clients["author_xfl"]
    r = c.post("/author/2025/ledger/upload", {"file": SimpleUploadedFile("台账示例.xlsx", SAMPLE_XLSX.read_bytes())},
               HTTP_ACCEPT="application/json")
    c.post("/author/2025/ledger/import", {"token": r.json()["token"]})
    c.post("/author/2025/narrative/import", {"text": SAMPLE_TEXT.read_text(encoding="utf-8")})
    tables = c.get("/author/2025/tables?format=json").json()["tables"]
    r = c.get("/author/2025/report.docx")
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
    name = unquote(r["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == "示例市示例区文化路街道办事处2025年政府信息公开工作年度报告.docx"
    back = extract(read_bytes(r.content, name))
    assert back.year == 2025 and back.format == "2021"
    assert back.tables()["t3"] == tables["t3"] and back.tables()["t4"] == tables["t4"]
    assert back.tables()["t3"]["new_received"]["total"] == 11
    assert [s.number for s in back.sections] == [1, 2, 3, 4, 5, 6]
    assert c.get("/author/2025/check?format=json").json()["counts"] == {"error": 0, "warning": 0, "info": 0}
    page = html(c.get("/author/2025/report.html"))
    assert "<h1>示例市示例区文化路街道办事处2025年政府信息公开工作年度报告</h1>" in page and 'class="t3"' in page
    d = c.get("/author/2025/report.html?format=json").json()
    assert d["tables"]["t3"] == tables["t3"] and d["org"] == "临清市先锋路街道办事处"


def test_docx_of_an_empty_ledger_still_downloads(clients, tree):
    r = clients["author_xfl"].get("/author/2026/report.docx")
    back = extract(read_bytes(r.content, "x.docx"))
    assert back.tables()["t3"]["new_received"]["total"] == 0 and back.org == "临清市先锋路街道办事处"
