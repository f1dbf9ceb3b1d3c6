"""The review cycle (submit → review → return → resubmit → approve), its append-only history, comments,
cross-year re-checks by data, withdrawal and bulk actions — through the views, as the pages use them."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nianbao.web import jobs, review
from nianbao.web.models import Decision, Event, Filing, Report

from .conftest import SEED_000, SEED_002, upload

pytestmark = pytest.mark.django_db


def post(client, url, data=None, **kw):
    return client.post(url, data or {}, HTTP_ACCEPT="application/json", **kw)


def states(report) -> list[tuple[str, str]]:
    return [(e.state_from, e.state_to) for e in Event.objects.filter(unit=report.unit, year=report.year)
            .exclude(state_to="").order_by("id")]


def finding_keys(report) -> list[str]:
    """The current version's findings, errors and warnings first (seed 002: R103 ×2, M102, S104)."""
    return list(report.current.findings.filter(severity__in=["error", "warning"]).order_by("order")
                .values_list("key", flat=True))


# ----------------------------------------------------------------------------------------- the cycle
def test_the_whole_cycle_records_every_transition(clients, seed002):
    r = seed002
    a, c = clients["author_xfl"], clients["city"]
    assert post(a, f"/reports/{r.pk}/submit", {"note": "请审核"}).status_code == 200
    html = c.get(f"/reports/{r.pk}/").content.decode()
    assert 'id="start-form"' in html and 'id="return-form"' in html and 'form="return-form"' in html
    assert 'id="submit-form"' not in html and 'id="withdraw-form"' in html
    assert 'id="submit-form"' not in a.get(f"/reports/{r.pk}/").content.decode()      # submitted: waiting
    assert post(c, f"/reports/{r.pk}/review", {"action": "start"}).status_code == 200
    keys = finding_keys(r)[:2]
    resp = post(c, f"/reports/{r.pk}/review", {"action": "return", "reason": "请修改两处", "fix": keys})
    assert resp.status_code == 200, resp.content
    assert resp.json()["review"]["state"] == "returned"
    assert [x["key"] for x in resp.json()["review"]["to_fix"]] == keys
    html = a.get(f"/reports/{r.pk}/").content.decode()
    assert 'id="submit-form"' in html and html.count('class="f-tofix"') == len(keys)
    assert post(a, f"/reports/{r.pk}/submit").status_code == 200           # resubmitted: round 2
    assert post(c, f"/reports/{r.pk}/review", {"action": "approve", "reason": "同意"}).status_code == 200
    f = Filing.objects.get(unit=r.unit, year=r.year)
    assert (f.state, f.round, f.report_id) == ("approved", 2, r.pk)
    assert states(r) == [("draft", "submitted"), ("submitted", "reviewing"), ("reviewing", "returned"),
                         ("returned", "submitted"), ("submitted", "approved")]
    ev = list(Event.objects.filter(unit=r.unit, year=r.year).exclude(state_to="").order_by("id"))
    assert [e.user.username for e in ev] == ["author_xfl", "city", "city", "author_xfl", "city"]
    assert ev[0].text == "请审核" and ev[2].text == "请修改两处" and ev[4].text == "同意"
    assert [x["key"] for x in ev[2].data["fix"]] == keys


def test_steps_out_of_order_are_refused_with_a_chinese_message(clients, seed002):
    r = seed002
    a, c = clients["author_xfl"], clients["city"]
    resp = post(c, f"/reports/{r.pk}/review", {"action": "approve"})
    assert resp.status_code == 400 and "不是本单位本年度已提交" in resp.json()["error"]["message"]
    post(a, f"/reports/{r.pk}/submit")
    post(c, f"/reports/{r.pk}/review", {"action": "start"})
    resp = post(a, f"/reports/{r.pk}/submit")                  # under review: not again
    assert resp.status_code == 400 and "正在审核中" in resp.json()["error"]["message"]
    resp = post(c, f"/reports/{r.pk}/review", {"action": "return", "reason": ""})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "reason-required"
    resp = post(c, f"/reports/{r.pk}/review", {"action": "return", "reason": "x", "fix": ["NOPE|||"]})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "unknown-finding"
    post(c, f"/reports/{r.pk}/review", {"action": "approve"})
    resp = post(a, f"/reports/{r.pk}/submit")
    assert resp.status_code == 400 and "已审核通过" in resp.json()["error"]["message"]
    assert Filing.objects.get(unit=r.unit, year=r.year).state == "approved"


def test_who_may_take_which_step(clients, seed002):
    r = seed002
    assert post(clients["city"], f"/reports/{r.pk}/submit").status_code == 403         # reviewers do not submit
    assert post(clients["author_qnl"], f"/reports/{r.pk}/submit").status_code == 404    # another unit's author
    assert post(clients["other"], f"/reports/{r.pk}/submit").status_code == 404         # another region
    post(clients["author_xfl"], f"/reports/{r.pk}/submit")
    assert post(clients["author_xfl"], f"/reports/{r.pk}/review", {"action": "approve"}).status_code == 403
    assert post(clients["other"], f"/reports/{r.pk}/review", {"action": "approve"}).status_code == 404
    assert post(clients["admin"], f"/reports/{r.pk}/review", {"action": "approve"}).status_code == 200


def test_a_new_upload_of_the_year_is_the_next_submission(clients, users, seed002):
    """Returned, the author uploads a corrected file (a new report of the same unit and year) and submits it."""
    r = seed002
    post(clients["author_xfl"], f"/reports/{r.pk}/submit")
    post(clients["city"], f"/reports/{r.pk}/review", {"action": "return", "reason": "改", "fix": finding_keys(r)[:1]})
    fixed = SEED_002.read_bytes() + "\n\n（修订）\n".encode()
    new = upload(users["author_xfl"], "修订.txt", fixed).files.get().report
    assert new.pk != r.pk and (new.unit, new.year) == (r.unit, r.year)
    page = clients["author_xfl"].get(f"/reports/{new.pk}/?format=json").json()
    assert page["review"]["state"] == "returned" and not page["review"]["current"] and page["can"]["submit"]
    assert post(clients["author_xfl"], f"/reports/{new.pk}/submit").status_code == 200
    page = clients["city"].get(f"/reports/{new.pk}/?format=json").json()
    assert page["review"]["current"] and page["review"]["round"] == 2
    assert [x["key"] for x in page["review"]["to_fix"]] == finding_keys(r)[:1]
    old = clients["city"].get(f"/reports/{r.pk}/?format=json").json()
    assert not old["review"]["current"]


# ----------------------------------------------------------------------------------------- history
def test_dismiss_undo_confirm_keeps_every_decision(clients, seed002):
    """The issue's case: dismiss with reason A, undo, confirm with reason B — all three stay in the history."""
    r, c = seed002, clients["city"]
    key = r.current.findings.first().key
    assert post(c, f"/reports/{r.pk}/findings/decide", {"key": key, "status": "dismissed", "reason": "理由A"}).status_code == 200
    assert post(c, f"/reports/{r.pk}/findings/decide", {"key": key, "status": "reopen"}).status_code == 200
    assert post(c, f"/reports/{r.pk}/findings/decide", {"key": key, "status": "confirmed", "reason": "理由B"}).status_code == 200
    steps = [(e.kind, e.status, e.text) for e in Event.objects.filter(report=r, key=key).order_by("id")]
    assert steps == [("decide", "dismissed", "理由A"), ("undo", "dismissed", ""), ("decide", "confirmed", "理由B")]
    assert Decision.objects.get(report=r, key=key).reason == "理由B"
    page = c.get(f"/reports/{r.pk}/?format=json").json()
    hist = [(h["kind"], h["text"], h["user"]) for h in page["history"] if h["key"] == key]
    assert hist == [("decide", "理由A", "city"), ("undo", "", "city"), ("decide", "理由B", "city")]
    html = c.get(f"/reports/{r.pk}/history/").content.decode()
    assert "理由A" in html and "撤销决定" in html and "理由B" in html


def test_history_entries_cannot_be_changed_or_deleted(seed002):
    e = review.record(Event.COMMENT, seed002.unit, seed002.year, None, seed002, key="k", text="t")
    e.text = "changed"
    with pytest.raises(ValueError, match="append-only"):
        e.save()
    with pytest.raises(ValueError, match="append-only"):
        e.delete()
    assert Event.objects.get(pk=e.pk).text == "t"


def test_corrections_are_in_the_history(clients, seed002):
    r, c = seed002, clients["city"]
    resp = post(c, f"/reports/{r.pk}/correct", {"cell": "t3|new_received|natural", "value": "99", "reason": "核对原件"})
    assert resp.status_code == 201, resp.content
    e = Event.objects.get(report=r, kind=Event.CORRECT)
    assert e.text == "核对原件" and e.data["version"] == 2
    assert e.data["cells"][0]["cell"] == "t3|new_received|natural" and e.data["cells"][0]["after"] == 99


def test_comment_thread_between_author_and_reviewer(clients, seed002):
    r = seed002
    key = r.current.findings.first().key
    assert post(clients["city"], f"/reports/{r.pk}/comment", {"key": key, "text": "请说明"}).status_code == 201
    assert post(clients["author_xfl"], f"/reports/{r.pk}/comment", {"key": key, "text": "已核实，无误"}).status_code == 201
    assert post(clients["author_xfl"], f"/reports/{r.pk}/comment", {"key": key, "text": "  "}).status_code == 400
    assert post(clients["author_qnl"], f"/reports/{r.pk}/comment", {"key": key, "text": "x"}).status_code == 404
    assert post(clients["city"], f"/reports/{r.pk}/comment", {"key": "NOPE", "text": "x"}).status_code == 400
    f = next(x for x in clients["author_xfl"].get(f"/reports/{r.pk}/?format=json").json()["findings"] if x["key"] == key)
    assert [(x["user"], x["text"]) for x in f["comments"]] == [("city", "请说明"), ("author_xfl", "已核实，无误")]
    html = clients["author_xfl"].get(f"/reports/{r.pk}/").content.decode()
    assert "已核实，无误" in html and 'action="/reports/%d/comment"' % r.pk in html


# ----------------------------------------------------------------------------------------- cross-year by data
def _codes(report) -> set[str]:
    report.refresh_from_db()
    return set(report.current.findings.values_list("code", flat=True))


def test_cross_year_findings_do_not_depend_on_upload_order(users):
    first = upload(users["city"], SEED_002).files.get().report       # 2021 first
    before = _codes(first)
    prev = upload(users["city"], SEED_000).files.get().report        # then 2020
    assert (first.year, prev.year) == (2021, 2020)
    after = _codes(first)
    x_now = {c for c in after if c.startswith("X")}
    assert x_now and not {c for c in before if c.startswith("X")}, (before, after)
    e = Event.objects.get(report=first, kind=Event.RECHECK)
    assert e.user is None and "2020" in e.text
    # the same findings as when 2020 came first
    from nianbao.checks import run_checks
    from nianbao.extract import extract_path
    assert after == {f.code for f in run_checks(extract_path(str(SEED_002)), previous=extract_path(str(SEED_000)))}


def test_recheck_action_and_withdrawal_of_a_neighbour(clients, users):
    prev = upload(users["city"], SEED_000).files.get().report
    cur = upload(users["city"], SEED_002).files.get().report
    assert any(c.startswith("X") for c in _codes(cur))
    resp = post(clients["city"], f"/reports/{prev.pk}/withdraw", {"reason": "误传"})
    assert resp.status_code == 200, resp.content
    jobs.run_pending()                                  # the neighbour's re-check runs in the background
    assert not any(c.startswith("X") for c in _codes(cur)), "the withdrawn 2020 report still feeds the cross-year checks"
    resp = post(clients["author_xfl"], f"/reports/{cur.pk}/recheck")
    assert resp.status_code == 202
    assert not Event.objects.filter(report=cur, kind=Event.RECHECK, user=users["author_xfl"]).exists()
    jobs.run_pending()
    assert Event.objects.filter(report=cur, kind=Event.RECHECK, user=users["author_xfl"]).count() == 1
    assert post(clients["author_qnl"], f"/reports/{cur.pk}/recheck").status_code == 404


# ----------------------------------------------------------------------------------------- withdrawal
def test_withdrawn_report_leaves_lists_but_stays_in_history(clients, seed002):
    r, c = seed002, clients["city"]
    post(clients["author_xfl"], f"/reports/{r.pk}/submit")
    assert post(c, f"/reports/{r.pk}/withdraw", {"reason": ""}).status_code == 400
    assert post(clients["author_xfl"], f"/reports/{r.pk}/withdraw", {"reason": "x"}).status_code == 403
    resp = post(c, f"/reports/{r.pk}/withdraw", {"reason": "误传的空文件"})
    assert resp.status_code == 200
    r.refresh_from_db()
    assert r.withdrawn is not None and Report.objects.filter(pk=r.pk).exists()
    assert Filing.objects.get(unit=r.unit, year=r.year).state == "draft"
    ids = [x["id"] for x in c.get("/reports/?format=json").json()["reports"]]
    assert r.pk not in ids
    dash = c.get(f"/regions/{r.unit.parent_id}/?year=2021&format=json").json()
    assert dash["counts"]["submitted"] == 0
    assert clients["author_xfl"].get(f"/reports/{r.pk}/").status_code == 404
    page = c.get(f"/reports/{r.pk}/?format=json").json()                  # reviewers still read it
    assert page["report"]["withdrawn"] and not page["can"]["review"]
    hist = c.get(f"/reports/{r.pk}/history/?format=json").json()["history"]
    assert hist[-1]["kind"] == "withdraw" and hist[-1]["text"] == "误传的空文件" and hist[-1]["state_to"] == "draft"
    assert post(c, f"/reports/{r.pk}/withdraw", {"reason": "again"}).status_code == 404


def test_a_withdrawn_file_uploaded_again_is_a_new_report(clients, users, tree, seed002):
    """A withdrawn report's file is no duplicate: uploaded again it is stored as a new live report (the
    withdrawn one stays withdrawn, in the history). The uploader is told when, by whom and why it had been
    withdrawn; the unit's history records the re-upload; the new report opens for its author."""
    old = seed002
    assert post(clients["city"], f"/reports/{old.pk}/withdraw", {"reason": "误传的旧稿"}).status_code == 200
    jobs.run_pending()
    r = clients["author_xfl"].post("/uploads/", {"files": [SimpleUploadedFile("再传.txt", SEED_002.read_bytes())]},
                                   HTTP_ACCEPT="application/json")
    jobs.run_pending()
    f = clients["author_xfl"].get(r.json()["url"] + "?format=json").json()["files"][0]
    assert f["status"] == "done" and f["error_code"] == "reuploaded", f
    assert "误传的旧稿" in f["error"] and "city" in f["error"] and "撤回" in f["error"]
    new = Report.objects.get(pk=f["report"]["id"])
    assert new.pk != old.pk and new.withdrawn is None and new.sha256 == old.sha256
    assert (new.unit, new.year) == (old.unit, old.year) and new.current.note.startswith("重新上传")
    old.refresh_from_db()
    assert old.withdrawn is not None
    assert clients["author_xfl"].get(f["report"]["url"]).status_code == 200        # not a 404 any more
    assert clients["author_xfl"].get(f"/reports/{old.pk}/").status_code == 404     # the withdrawn one stays hidden
    hist = clients["author_xfl"].get(f"/reports/{new.pk}/history/?format=json").json()["history"]
    kinds = [h["kind"] for h in hist]
    assert kinds.index("withdraw") < kinds.index("reupload")
    assert "误传的旧稿" in hist[kinds.index("reupload")]["summary"]
    assert post(clients["author_xfl"], f"/reports/{new.pk}/submit").status_code == 200
    # a third upload of the same file is a duplicate of the live report
    again = upload(users["city"], SEED_002).files.get()
    assert again.status == "duplicate" and again.report_id == new.pk
    assert Report.objects.filter(sha256=old.sha256).count() == 2


def test_a_withdrawn_file_from_another_scope_says_nothing_about_it(clients, users, tree, seed002):
    """其他县's reviewer uploads a file 临清市 withdrew: refused as 临清市's report, nothing about the withdrawal."""
    assert post(clients["city"], f"/reports/{seed002.pk}/withdraw", {"reason": "内部理由乙"}).status_code == 200
    r = clients["other"].post("/uploads/", {"files": [SimpleUploadedFile("x.txt", SEED_002.read_bytes())]},
                              HTTP_ACCEPT="application/json")
    jobs.run_pending()
    d = clients["other"].get(r.json()["url"] + "?format=json").json()
    assert d["files"][0]["status"] == "failed"
    assert "内部理由乙" not in str(d) and "撤回" not in str(d)
    assert not Report.objects.filter(sha256=seed002.sha256, withdrawn__isnull=True).exists()


# ----------------------------------------------------------------------------------------- the author's side
def test_author_submits_the_composed_report(clients, users, tree):
    a = clients["author_xfl"]
    resp = post(a, "/author/2025/narrative", {"s1": "本年度认真贯彻条例。", "title": ""})
    resp = post(a, "/author/2025/submit", {"note": "首次提交"})
    assert resp.status_code == 201, resp.content
    d = resp.json()
    r = Report.objects.get(pk=d["report"])
    assert (r.unit, r.year, r.kind) == (tree["xfl"], 2025, "docx")
    assert d["review"]["state"] == "submitted" and d["review"]["current"]
    codes = _codes(r)
    assert "S101" in codes                                               # sections 5 and 6 not written
    home = a.get("/author/?format=json").json()
    y = next(x for x in home["years"] if x["year"] == 2025)
    assert y["review"]["state"] == "submitted" and y["review"]["url"] == f"/reports/{r.pk}/"
    assert post(clients["author_qnl"], "/author/2025/submit?unit=%d" % tree["xfl"].pk).status_code == 404


# ----------------------------------------------------------------------------------------- bulk
def test_bulk_dismiss_across_units_with_one_reason(clients, users, tree):
    """Two street offices submit composed reports without sections 5 and 6: one dismissal covers both."""
    ids = [post(clients[n], "/author/2025/submit").json()["report"] for n in ("author_xfl", "author_qnl")]
    a, b = Report.objects.get(pk=ids[0]), Report.objects.get(pk=ids[1])
    key = "S101||||§6"
    assert a.current.findings.filter(key=key).exists() and b.current.findings.filter(key=key).exists()
    resp = post(clients["city"], f"/regions/{tree['city'].pk}/bulk",
                {"action": "dismiss", "key": key, "reason": "全市统一口径", "year": a.year})
    assert resp.status_code == 200, resp.content
    assert sorted(resp.json()["decided"]) == sorted([a.pk, b.pk])
    assert Decision.objects.filter(key=key, reason="全市统一口径", status="dismissed").count() == 2
    assert Event.objects.filter(key=key, kind=Event.DECIDE, text="全市统一口径").count() == 2
    resp = post(clients["city"], f"/regions/{tree['city'].pk}/bulk", {"action": "recheck", "report": [a.pk], "year": a.year})
    assert resp.status_code == 202 and resp.json()["queued"] == 1
    from nianbao.web import jobs
    jobs.run_pending()
    d = clients["city"].get(resp.json()["url"] + "?format=json").json()
    assert d["counts"]["done"] == 1 and [x["report"] for x in d["items"]] == [a.pk]
    assert post(clients["author_xfl"], f"/regions/{tree['city'].pk}/bulk", {"action": "recheck", "year": 2021}).status_code == 403
    assert post(clients["other"], f"/regions/{tree['city'].pk}/bulk", {"action": "recheck", "year": 2021}).status_code == 404


# ----------------------------------------------------------------------------------------- the dashboard
def test_dashboard_shows_states_deadlines_and_the_problem_matrix(clients, users, tree, seed002):
    r, c = seed002, clients["city"]
    city = tree["city"].pk
    d = c.get(f"/regions/{city}/?year=2021&today=2022-01-21&format=json").json()
    rows = {m["name"]: m["review"] for m in d["matrix"]}
    assert (rows["临清市先锋路街道办事处"]["state"], rows["临清市先锋路街道办事处"]["label"]) == ("draft", "草稿（未提交）")
    assert (rows["临清市青年路街道办事处"]["state"], rows["临清市青年路街道办事处"]["label"]) == ("none", "未提交")
    post(clients["author_qnl"], "/author/2021/narrative", {"s1": "已开始编写"})      # the author's progress shows
    d = c.get(f"/regions/{city}/?year=2021&today=2022-01-21&format=json").json()
    qnl = {m["name"]: m["review"] for m in d["matrix"]}["临清市青年路街道办事处"]
    assert qnl["state"] == "draft" and qnl["progress"].startswith("台账 0 件 · 正文 1/6 部分 · ")
    assert rows["临清市先锋路街道办事处"]["progress"] == "已上传报告文件"
    # 第四十九条: the street offices by 1月31日 (reminded with the departments' date), 临清市's own by 3月31日
    dl = {x["date"]: x for x in d["deadline"]["deadlines"]}
    assert dl["2022-01-31"]["days"] == 10 and dl["2022-01-31"]["text"] == "距截止还有 10 天"
    assert {u["name"] for u in dl["2022-01-31"]["waiting"]} == {"临清市先锋路街道办事处", "临清市青年路街道办事处"}
    assert dl["2022-03-31"]["days"] == 69 and [u["name"] for u in dl["2022-03-31"]["waiting"]] == ["临清市"]
    post(clients["author_xfl"], f"/reports/{r.pk}/submit")
    post(c, f"/reports/{r.pk}/review", {"action": "approve"})
    d = c.get(f"/regions/{city}/?year=2021&today=2022-02-03&format=json").json()
    assert {m["name"]: m["review"]["state"] for m in d["matrix"]}["临清市先锋路街道办事处"] == "approved"
    assert d["review"]["counts"]["approved"] == 1 and d["review"]["counts"]["none"] == 1
    assert d["review"]["counts"]["draft"] == 1
    dl = {x["date"]: x for x in d["deadline"]["deadlines"]}
    assert dl["2022-01-31"]["overdue"] and dl["2022-01-31"]["text"] == "已超过截止日期 3 天"
    assert [u["name"] for u in dl["2022-01-31"]["waiting"]] == ["临清市青年路街道办事处"]
    # the matrix: seed 002's open problems by (family, table), each linking to a finding
    p = d["problems"]
    labels = [col["label"] for col in p["columns"]]
    assert "读取 · 表三" in labels and "完整性 · 表四" in labels, labels
    row = p["rows"][0]
    assert row["unit"]["name"] == "临清市先锋路街道办事处" and row["report"] == r.pk
    t3 = row["cells"][labels.index("读取 · 表三")]
    assert t3["codes"] == ["R103"] and t3["url"].startswith(f"/reports/{r.pk}/#finding-")
    assert row["open"] == sum(x["errors"] + x["warnings"] for x in row["cells"] if x)
    html = c.get(f"/regions/{city}/?year=2021&today=2022-02-03").content.decode()
    assert 'id="deadline-banner"' in html and "已超过截止日期 3 天" in html and 'id="problem-matrix"' in html
    assert '<span class="state-badge state-approved">通过</span>' in html
    # a dismissed finding leaves the matrix
    key = r.current.findings.get(code="M102").key
    post(c, f"/reports/{r.pk}/findings/decide", {"key": key, "status": "dismissed", "reason": "无案件"})
    d = c.get(f"/regions/{city}/?year=2021&format=json").json()
    assert "完整性 · 表四" not in [col["label"] for col in d["problems"]["columns"]]


def test_workbook_has_the_review_history(clients, seed002, tree):
    import io
    import openpyxl
    r, c = seed002, clients["city"]
    post(clients["author_xfl"], f"/reports/{r.pk}/submit", {"note": "请审核"})
    key = finding_keys(r)[0]
    post(c, f"/reports/{r.pk}/review", {"action": "return", "reason": "请改正读取问题", "fix": [key]})
    post(clients["author_xfl"], f"/reports/{r.pk}/comment", {"key": key, "text": "原表如此"})
    body = c.get(f"/regions/{tree['city'].pk}/workbook.xlsx?year=2021").content
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    rows = [[("" if v is None else str(v)) for v in row] for row in wb["审核记录"].iter_rows(values_only=True)]
    assert rows[0][:5] == ["单位", "年度", "时间", "人员", "操作"]
    assert [x[4] for x in rows[1:]] == ["提交", "退回修改", "留言"]
    assert rows[2][5] == "已提交 → 退回修改" and rows[2][8] == "请改正读取问题" and rows[3][8] == "原表如此"
    summary = [[("" if v is None else str(v)) for v in row] for row in wb["报告汇总"].iter_rows(values_only=True)]
    assert summary[0][-1] == "审核状态" and summary[1][-1] == "退回修改"


def test_bulk_form_on_the_dashboard(clients, tree):
    """The dashboard's form (not JSON): confirm one problem in the ticked units, back to the matrix."""
    a = post(clients["author_xfl"], "/author/2025/submit").json()["report"]
    b = post(clients["author_qnl"], "/author/2025/submit").json()["report"]
    c, city = clients["city"], tree["city"].pk
    html = c.get(f"/regions/{city}/?year=2025").content.decode()
    assert 'id="bulk-form"' in html and f'name="report" value="{a}"' in html and 'value="S101||||§5"' in html
    resp = c.post(f"/regions/{city}/bulk", {"year": "2025", "action": "confirmed", "key": "S101||||§5",
                                            "reason": "请补写第五部分", "report": [str(b)]})
    assert resp.status_code == 302 and resp["Location"] == f"/regions/{city}/?year=2025#problems"
    assert list(Decision.objects.filter(key="S101||||§5").values_list("report_id", "status")) == [(b, "confirmed")]
    page = c.get(f"/reports/{b}/").content.decode()
    assert 'id="history"' in page and "请补写第五部分" in page
