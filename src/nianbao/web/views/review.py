"""The review cycle's steps (see nianbao.web.review) and the history page.

    POST /reports/<id>/submit             the unit's author (or an administrator) submits this report; note
    POST /reports/<id>/review             action=start|return|approve, reason, fix=<finding key> (repeated)
    POST /reports/<id>/withdraw           reviewers and administrators; reason
    POST /reports/<id>/comment            key, text: a message in the finding's thread (author or reviewer)
    POST /reports/<id>/recheck            queue a re-check (the background worker reads the file again)
    GET  /rechecks/<batch>/               progress of re-checks asked for together (also ?format=json)
    GET  /reports/<id>/history/           every step of the unit and year (also ?format=json)
    POST /author/<year>/submit            the composed report (ledger + narrative) as a Word file, submitted
    POST /regions/<id>/bulk               action=confirm|dismiss (key, reason) or recheck; report=<id> (repeated)

Every POST answers JSON when asked, else redirects back with a message.
"""
from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from .. import ingest, review, scope
from ..models import Decision, Filing, Report
from ..responses import as_json, error, page, wants_json
from .author import Target, author_view, compose_for
from .region import BadRequest, _year
from .report import _params, cycle_dict, report_dict


def _refused(request, e):
    return error(request, 400, e.code, e.message, e.message_en)


def _done(request, report: Report, message: str, anchor: str = "#review"):
    if wants_json(request):
        report.refresh_from_db()
        return as_json({"report": report.pk, "review": cycle_dict(report), "message": message})
    messages.success(request, message)
    return redirect(f"/reports/{report.pk}/{anchor}")


def _forbidden(request, message: str, message_en: str):
    return error(request, 403, "forbidden", message, message_en)


@require_POST
@scope.require_role(*scope.ANY)
def submit(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not scope.can_submit(request.user, report):
        return _forbidden(request, "只有本单位的编制人（或管理员）可以提交报告。", "only the unit's authors may submit.")
    try:
        f = review.submit(request.user, report, str(_params(request).get("note") or ""))
    except review.ReviewRefused as e:
        return _refused(request, e)
    return _done(request, report, f"已提交审核（第 {f.round} 次提交）。")


@require_POST
@scope.require_role(*scope.REVIEW)
def act(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not scope.can_review(request.user, report):
        return _forbidden(request, "只有审核人和管理员可以审核。", "only reviewers may review.")
    p = _params(request)
    action = str(p.get("action") or "")
    reason = str(p.get("reason") or "")
    fix = p.get("fix") or []
    fix = [str(k) for k in (fix if isinstance(fix, list) else [fix]) if str(k).strip()]
    f = Filing.objects.filter(unit=report.unit, year=report.year).first() if report.year else None
    if f is None or f.report_id != report.pk:
        return error(request, 400, "not-submitted", "该报告不是本单位本年度已提交审核的报告，不能审核。",
                     "this report is not the one submitted for review.")
    try:
        if action == "start":
            review.start(request.user, f)
            message = "已开始审核，状态为“审核中”。"
        elif action == "return":
            review.send_back(request.user, f, fix, reason)
            message = f"已退回修改，要求修改 {len(fix)} 个问题。"
        elif action == "approve":
            review.approve(request.user, f, reason)
            message = "已审核通过。"
        else:
            return error(request, 400, "bad-action", "请选择“开始审核”“退回修改”或“审核通过”。",
                         "action must be start, return or approve.")
    except review.ReviewRefused as e:
        return _refused(request, e)
    return _done(request, report, message)


@require_POST
@scope.require_role(*scope.REVIEW)
def withdraw(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not scope.can_review(request.user, report):
        return _forbidden(request, "只有审核人和管理员可以撤回报告。", "only reviewers may withdraw reports.")
    try:
        review.withdraw(request.user, report, str(_params(request).get("reason") or ""))
    except review.ReviewRefused as e:
        return _refused(request, e)
    if wants_json(request):
        return as_json({"report": report.pk, "withdrawn": True, "history": f"/reports/{report.pk}/history/"})
    messages.success(request, f"已撤回报告“{report.source_name}”；撤回记录保留在历史中。"
                              "本单位相邻年度的报告已加入后台重新核对队列（跨年度检查不再使用它）。")
    return redirect(f"/reports/{report.pk}/history/")


@require_POST
@scope.require_role(*scope.ANY)
def comment(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not scope.can_comment(request.user, report):
        return _forbidden(request, "只有本单位编制人和审核人可以留言。", "only the unit's authors and reviewers may comment.")
    p = _params(request)
    key = str(p.get("key") or "").strip()
    current = report.current
    finding = current.findings.filter(key=key).first() if current and key else None
    if finding is None and not (key and review.threads(report.unit, report.year).get(key)):
        return error(request, 400, "unknown-finding", "该问题不在此报告的当前版本中；请刷新页面。",
                     "no such finding in the report's current version.")
    try:
        e = review.comment(request.user, report, key, str(p.get("text") or ""))
    except review.ReviewRefused as ex:
        return _refused(request, ex)
    if wants_json(request):
        return as_json({"id": e.id, "key": key, "text": e.text, "user": review.who(e.user)}, 201)
    messages.success(request, "留言已保存。")
    return redirect(f"/reports/{report.pk}/" + (f"#finding-{finding.id}" if finding else ""))


@require_POST
@scope.require_role(*scope.ANY)
def recheck(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not (scope.can_review(request.user, report) or scope.can_submit(request.user, report)):
        return _forbidden(request, "您不能重新核对该报告。", "you may not re-check this report.")
    batch = review.queue_recheck([report], request.user, "手动重新核对")
    message = "已加入重新核对队列：后台重新读取原文件并运行全部检查（含跨年度核对），完成后结果记入审核历史。"
    if wants_json(request):
        return as_json({"report": report.pk, "batch": batch, "url": f"/rechecks/{batch}/", "status": "queued",
                        "message": message}, 202)
    messages.success(request, message)
    return redirect(f"/rechecks/{batch}/")


@require_GET
@scope.require_role(*scope.ANY)
def recheck_progress(request, batch: str):
    d = review.batch_dict(batch, request.user) if re.fullmatch(r"[0-9a-f]{32}", batch) else None
    if d is None:
        return error(request, 404, "not-found", scope.NOT_FOUND, "no such re-check.")
    return page(request, "web/recheck.html", d)


@require_GET
@scope.require_role(*scope.ANY)
def history(request, pk: int):
    report = scope.report_or_404(request.user, pk, withdrawn=True)
    reports = (scope.reports(request.user, withdrawn=scope.role(request.user) in scope.REVIEW)
               .filter(unit=report.unit, year=report.year).order_by("created", "id") if report.year
               else [report])
    data = {"report": report_dict(report, report.current.number if report.current else None),
            "unit": {"id": report.unit.pk, "name": report.unit.name}, "year": report.year,
            "review": cycle_dict(report),
            "reports": [{"id": r.pk, "url": f"/reports/{r.pk}/", "source_name": r.source_name,
                         "withdrawn": r.withdrawn, "created": r.created} for r in reports],
            "history": review.history(report.unit, report.year, report)}
    return page(request, "web/report_history.html", data)


# ----------------------------------------------------------------------------------------- the author's side
@require_POST
@author_view
def submit_composed(request, t: Target):
    """The report composed from the ledger and narrative, rendered as Word, stored as a report of the unit
    (read and checked like any upload) and submitted."""
    from ...render.docx import to_docx_bytes
    composed = compose_for(t, t.ledger())
    title = composed.get("title") or f"{t.unit.name}{t.year}年政府信息公开工作年度报告"
    uf = ingest.accept_now(request.user, t.unit, f"{title}.docx", to_docx_bytes(composed))
    report = uf.report
    if report is None or report.unit_id != t.unit.pk or report.withdrawn:
        return error(request, 400, uf.error_code or "compose-failed",
                     f"生成的报告无法保存：{uf.error or '与其他单位的报告相同'}。",
                     "the composed report could not be stored.")
    try:
        f = review.submit(request.user, report, str(_params(request).get("note") or ""))
    except review.ReviewRefused as e:
        return _refused(request, e)
    message = f"已由台账和正文生成报告并提交审核（第 {f.round} 次提交）。"
    if wants_json(request):
        return as_json({"report": report.pk, "url": f"/reports/{report.pk}/", "review": cycle_dict(report),
                        "message": message}, 201)
    messages.success(request, message)
    return redirect(f"/reports/{report.pk}/")


# ----------------------------------------------------------------------------------------- bulk
@require_POST
@scope.require_role(*scope.REVIEW)
def bulk(request, pk: int):
    root = scope.region_or_404(request.user, pk)
    p = _params(request)
    try:
        year = _year(request, 0) if request.GET.get("year") else int(str(p.get("year") or "0") or 0)
    except (BadRequest, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        return error(request, 400, "bad-year", "请指定年度。", "give the year.")
    action = str(p.get("action") or "")
    ids = p.get("report") or []
    ids = [int(x) for x in (ids if isinstance(ids, list) else [ids]) if str(x).isdigit()]
    qs = scope.reports(request.user).filter(unit__path__startswith=root.path, year=year).select_related("unit")
    back = f"/regions/{root.pk}/?year={year}#problems"
    if action == "recheck":
        if not ids:
            return error(request, 400, "none-selected", "请先勾选要重新核对的报告。", "select reports first.")
        chosen = list(qs.filter(pk__in=ids))
        batch = review.queue_recheck(chosen, request.user, "批量重新核对")
        message = f"已将 {len(chosen)} 份报告加入重新核对队列，后台逐份核对。"
        result = {"queued": len(chosen), "batch": batch, "url": f"/rechecks/{batch}/" if batch else None}
        back = result["url"] or back
    elif action in (Decision.CONFIRMED, Decision.DISMISSED, "confirm", "dismiss"):
        status = {"confirm": Decision.CONFIRMED, "dismiss": Decision.DISMISSED}.get(action, action)
        key = str(p.get("key") or "").strip()
        reason = str(p.get("reason") or "").strip()
        if not key:
            return error(request, 400, "no-finding", "请选择要批量处理的问题。", "choose the finding.")
        if not reason:
            return error(request, 400, "reason-required", "请填写理由：批量确认或驳回需要一条理由。", "a reason is required.")
        if ids:
            qs = qs.filter(pk__in=ids)
        changed = []
        for r in qs:
            cur = r.current
            if cur is not None and cur.findings.filter(key=key).exists():
                review.decide(request.user, r, key, status, reason)
                changed.append(r.pk)
        label = "确认" if status == Decision.CONFIRMED else "驳回"
        message = f"已在 {len(changed)} 份报告中{label}问题 {key.split('|')[0]}。"
        result = {"decided": changed, "status": status, "key": key}
    else:
        return error(request, 400, "bad-action", "请选择批量操作：确认、驳回或重新核对。", "bad action.")
    if wants_json(request):
        return as_json({**result, "message": message}, 202 if action == "recheck" else 200)
    messages.success(request, message)
    return redirect(back)


urlpatterns = [
    path("reports/<int:pk>/submit", submit, name="report-submit"),
    path("reports/<int:pk>/review", act, name="report-review"),
    path("reports/<int:pk>/withdraw", withdraw, name="report-withdraw"),
    path("reports/<int:pk>/comment", comment, name="report-comment"),
    path("reports/<int:pk>/recheck", recheck, name="report-recheck"),
    path("reports/<int:pk>/history/", history, name="report-history"),
    path("rechecks/<str:batch>/", recheck_progress, name="recheck-progress"),
    path("author/<int:year>/submit", submit_composed, name="author-submit"),
    path("regions/<int:pk>/bulk", bulk, name="region-bulk"),
]
