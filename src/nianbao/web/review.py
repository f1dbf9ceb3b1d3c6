"""The review cycle of a unit's report for a year, and its history.

    submit(user, report)                  草稿 / 退回修改 / 已提交 → 已提交 (a new round)
    start(user, filing)                   已提交 → 审核中
    send_back(user, filing, keys, why)    已提交 / 审核中 → 退回修改, with the findings to fix
    approve(user, filing, why)            已提交 / 审核中 → 通过
    withdraw(user, report, why)           a report soft-deleted; its filing back to 草稿 if it was the submitted one
    decide(user, report, key, status, why) / undo(...)     a decision on a finding, or its undoing
    correct(user, report, changes, why)   a corrected value (a new version, checks run again)
    comment(user, report, key, text)      a message in a finding's thread
    queue_recheck(reports, user, why)     re-checks for the background worker (a batch; the request returns)
    recheck(report, user, why)            the checks run again on the current version (cross-year findings):
                                          the worker's part (run_recheck), it reads the stored file again
    arrived(report)                       a report of year Y came: Y−1 and Y+1 of the unit are queued for a re-check

Every step is an `Event` (append-only: who, when, why); `Filing.state` and `Decision` only keep the
present state for lists. Permissions are the views' business (scope.py); these functions check only
that a step makes sense in the present state.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from ..errors import NianbaoError
from .models import Decision, Event, Filing, Recheck, Report, Unit

log = logging.getLogger("nianbao.web")

STATE_LABEL = dict(Filing.STATES)
KIND_LABEL = dict(Event.KINDS)
DECISION_LABEL = {Decision.CONFIRMED: "确认问题", Decision.DISMISSED: "驳回（不是问题）"}
NOT_SUBMITTED = "未提交"


class ReviewRefused(NianbaoError):
    """A step that does not fit the present state (Chinese message for the page)."""


def _refuse(code: str, message: str, message_en: str):
    raise ReviewRefused(code, message, message_en)


# ----------------------------------------------------------------------------------------- filings and events
def filing(unit: Unit, year: int, lock: bool = False) -> Filing:
    f, _ = Filing.objects.get_or_create(unit=unit, year=year)
    if lock:
        f = Filing.objects.select_for_update().get(pk=f.pk)
    return f


def record(kind: str, unit: Unit, year: int | None, user=None, report: Report | None = None, **fields) -> Event:
    return Event.objects.create(kind=kind, unit=unit, year=year, user=user, report=report, **fields)


def _move(f: Filing, user, kind: str, to: str, text: str = "", report: Report | None = None, **data) -> Event:
    before = f.state
    f.state = to
    f.save(update_fields=["state", "report", "round", "updated"])
    return record(kind, f.unit, f.year, user, report or f.report, state_from=before, state_to=to, text=text, data=data)


def _need_reason(why: str, what: str) -> str:
    why = (why or "").strip()
    if not why:
        _refuse("reason-required", f"请填写{what}的理由。", "a reason is required.")
    return why[:2000]


@transaction.atomic
def submit(user, report: Report, note: str = "") -> Filing:
    if report.withdrawn:
        _refuse("withdrawn", "该报告已撤回，不能提交。", "the report was withdrawn.")
    if report.year is None:
        _refuse("no-year", "该报告未识别出年度，不能提交；请检查标题中的年度后重新上传。", "the report has no year.")
    f = filing(report.unit, report.year, lock=True)
    if f.state == Filing.REVIEWING:
        _refuse("under-review", "该年度报告正在审核中，审核人退回后才能再次提交。", "the report is under review.")
    if f.state == Filing.APPROVED:
        _refuse("approved", "该年度报告已审核通过，不能再次提交。", "the report was approved.")
    f.report = report
    f.round += 1
    version = report.current
    _move(f, user, Event.SUBMIT, Filing.SUBMITTED, (note or "").strip()[:2000], report,
          round=f.round, version=version.number if version else None,
          counts={"error": report.errors, "warning": report.warnings, "info": report.infos})
    return f


def _submitted(f: Filing, what: str) -> Report:
    if f.state not in (Filing.SUBMITTED, Filing.REVIEWING) or f.report is None:
        _refuse("not-submitted", f"只有已提交或审核中的报告才能{what}（当前状态：{STATE_LABEL.get(f.state, f.state)}）。",
                f"only a submitted report can be {what}.")
    return f.report


@transaction.atomic
def start(user, f: Filing) -> Filing:
    f = Filing.objects.select_for_update().get(pk=f.pk)
    if f.state != Filing.SUBMITTED:
        _refuse("not-submitted", f"只有已提交的报告才能开始审核（当前状态：{STATE_LABEL.get(f.state, f.state)}）。",
                "only a submitted report can be taken into review.")
    _move(f, user, Event.REVIEW, Filing.REVIEWING, round=f.round)
    return f


@transaction.atomic
def send_back(user, f: Filing, keys: list[str], why: str) -> Filing:
    """退回修改 with the findings the author must fix (keys of the submitted report's current findings)."""
    f = Filing.objects.select_for_update().get(pk=f.pk)
    report = _submitted(f, "退回")
    why = _need_reason(why, "退回")
    current = report.current
    known = {x.key: x for x in current.findings.all()} if current else {}
    unknown = [k for k in keys if k not in known]
    if unknown:
        _refuse("unknown-finding", "要求修改的问题不在该报告的当前版本中；请刷新页面后重新选择。",
                "a finding to fix is not in the report's current version.")
    fix = [{"key": k, "code": known[k].code, "message": known[k].message} for k in dict.fromkeys(keys)]
    _move(f, user, Event.RETURN, Filing.RETURNED, why, round=f.round, fix=fix)
    return f


@transaction.atomic
def approve(user, f: Filing, why: str = "") -> Filing:
    f = Filing.objects.select_for_update().get(pk=f.pk)
    report = _submitted(f, "审核通过")
    _move(f, user, Event.APPROVE, Filing.APPROVED, (why or "").strip()[:2000], round=f.round,
          counts={"error": report.errors, "warning": report.warnings, "info": report.infos})
    return f


def to_fix(f: Filing | None) -> list[dict]:
    """The findings the last 退回修改 asked to fix, while the filing is returned or resubmitted after it."""
    if f is None or f.state not in (Filing.RETURNED, Filing.SUBMITTED, Filing.REVIEWING):
        return []
    last = (Event.objects.filter(unit=f.unit, year=f.year, kind__in=[Event.RETURN, Event.APPROVE])
            .order_by("-created", "-id").first())
    return list((last.data or {}).get("fix") or []) if last is not None and last.kind == Event.RETURN else []


def withdraw(user, report: Report, why: str) -> Report:
    """Soft delete: the report leaves lists, dashboards and cross-year checks; the Event keeps why. The
    neighbouring years are re-checked without it."""
    report = _withdraw(user, report, _need_reason(why, "撤回"))
    arrived(report, user)
    return report


@transaction.atomic
def _withdraw(user, report: Report, why: str) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.withdrawn:
        _refuse("withdrawn", "该报告已经撤回。", "the report was already withdrawn.")
    report.withdrawn = timezone.now()
    report.save(update_fields=["withdrawn"])
    data = {"source_name": report.source_name}
    state_from = state_to = ""
    if report.year is not None:
        f = Filing.objects.select_for_update().filter(unit=report.unit, year=report.year).first()
        if f is not None and f.report_id == report.pk:
            state_from, f.state, f.report = f.state, Filing.DRAFT, None
            f.save(update_fields=["state", "report", "updated"])
            state_to = Filing.DRAFT
    record(Event.WITHDRAW, report.unit, report.year, user, report, text=why, data=data,
           state_from=state_from, state_to=state_to)
    return report


# ----------------------------------------------------------------------------------------- findings
@transaction.atomic
def decide(user, report: Report, key: str, status: str, why: str) -> Decision | None:
    """Confirm or dismiss a finding (status confirmed|dismissed), or undo the decision (status reopen)."""
    from . import ingest
    if status == "reopen":
        old = report.decisions.filter(key=key).first()
        if old is None:
            _refuse("no-decision", "该问题没有可撤销的决定。", "nothing to undo.")
        record(Event.UNDO, report.unit, report.year, user, report, key=key, status=old.status,
               text=(why or "").strip()[:2000], data={"undone": old.status, "reason": old.reason})
        old.delete()
        decision = None
    else:
        why = _need_reason(why, "确认或驳回")
        decision, _ = Decision.objects.update_or_create(
            report=report, key=key, defaults={"status": status, "reason": why[:1000], "user": user})
        record(Event.DECIDE, report.unit, report.year, user, report, key=key, status=status, text=why)
    ingest.recount(report)
    return decision


def correct(user, report: Report, changes, why: str):
    from . import ingest
    with transaction.atomic():
        version = ingest.correct(report, user, changes, why)
        record(Event.CORRECT, report.unit, report.year, user, report, text=why, data={
            "version": version.number,
            "cells": [{"cell": f"{c.table}|{c.row}|{c.col}", "before": c.before, "after": c.after}
                      for c in version.corrections.all()]})
    return version


def comment(user, report: Report, key: str, text: str) -> Event:
    text = (text or "").strip()
    if not text:
        _refuse("empty-comment", "留言不能为空。", "the comment is empty.")
    if report.year is None:
        _refuse("no-year", "该报告未识别出年度，不能留言。", "the report has no year.")
    return record(Event.COMMENT, report.unit, report.year, user, report, key=key, text=text[:4000])


def threads(unit: Unit, year: int | None) -> dict[str, list[Event]]:
    """{finding key: its comments, oldest first} for the unit and year (every report and version of it)."""
    out: dict[str, list[Event]] = {}
    if year is None:
        return out
    for e in Event.objects.filter(unit=unit, year=year, kind=Event.COMMENT).select_related("user", "user__profile"):
        out.setdefault(e.key, []).append(e)
    return out


# ----------------------------------------------------------------------------------------- re-checking
def _counts(report: Report) -> dict:
    return {"error": report.errors, "warning": report.warnings, "info": report.infos}


def recheck(report: Report, user=None, why: str = "") -> Event | None:
    """Run the checks again on the current version (read again from the stored file with its corrections),
    so that cross-year findings see the neighbours stored now. Returns the Event, or None when the stored
    file cannot be read (logged; the report keeps its findings)."""
    from . import ingest
    version = report.current
    if version is None or report.withdrawn:
        return None
    before = _counts(report)
    try:
        rep = ingest.build(report)
    except (OSError, NianbaoError) as e:
        log.warning("re-check of report %s failed: %s", report.pk, e)
        return None
    with transaction.atomic():
        ingest.check(report, version, rep)
        report.refresh_from_db()
        return record(Event.RECHECK, report.unit, report.year, user, report, text=why[:2000],
                      data={"version": version.number, "before": before, "after": _counts(report)})


def queue_recheck(reports, user=None, why: str = "") -> str | None:
    """Queue a re-check of each report for the background worker; returns the batch (its progress page is
    /rechecks/<batch>/), or None when there is nothing to re-check."""
    import uuid
    reports = list(reports)
    if not reports:
        return None
    batch = uuid.uuid4().hex
    Recheck.objects.bulk_create([Recheck(batch=batch, report=r, user=user, why=why[:500]) for r in reports])
    from . import jobs
    jobs.wake()
    return batch


def run_recheck(job: Recheck) -> None:
    """The worker's part of a queued re-check. The other re-checks of the same report queued by now are
    answered by it (they would find the same stored reports): taken together, run once."""
    report = job.report
    waiting = list(Recheck.objects.filter(report=report, status=Recheck.QUEUED).values_list("id", flat=True))
    taken = [job.pk] + [i for i in waiting
                        if Recheck.objects.filter(pk=i, status=Recheck.QUEUED).update(status=Recheck.PROCESSING)]
    status, error, event = Recheck.FAILED, "", None
    try:
        if report.withdrawn:
            error = "该报告已撤回，不再核对。"
        else:
            event = recheck(report, job.user, job.why)
            status, error = (Recheck.DONE, "") if event is not None else (
                Recheck.FAILED, "无法读取已保存的原文件，未能重新核对；报告保留原有的核对结果。请联系管理员检查数据目录。")
    except Exception as e:       # every re-check taken is answered, none left "processing"
        log.exception("re-checking report %s failed", report.pk)
        error = f"内部错误：{type(e).__name__}（已记录日志，请联系管理员）；报告保留原有的核对结果。"
    Recheck.objects.filter(pk__in=taken).update(status=status, error=error, event=event, finished=timezone.now())


def batch_dict(batch: str, user) -> dict | None:
    """Progress of a batch of re-checks, for the user who asked (administrators: any); None if not theirs.
    Reports are listed only where the user may see them."""
    from . import scope
    jobs = list(Recheck.objects.filter(batch=batch).select_related("report__unit", "event").order_by("id"))
    if not jobs or not (scope.is_admin(user) or any(j.user_id == user.pk for j in jobs)):
        return None
    visible = set(scope.reports(user, withdrawn=True).filter(pk__in=[j.report_id for j in jobs])
                  .values_list("pk", flat=True))
    counts = {s: 0 for s, _ in Recheck.STATUSES}
    items = []
    for j in jobs:
        counts[j.status] += 1
        if j.report_id not in visible:
            continue
        items.append({"report": j.report_id, "url": f"/reports/{j.report_id}/", "unit": j.report.unit.name,
                      "year": j.report.year, "status": j.status, "status_label": j.get_status_display(),
                      "summary": summary(j.event) if j.event is not None else "", "error": j.error or None})
    counts["total"] = len(jobs)
    counts["finished"] = counts[Recheck.DONE] + counts[Recheck.FAILED]
    return {"batch": batch, "url": f"/rechecks/{batch}/", "why": jobs[0].why, "counts": counts, "items": items}


def neighbours(report: Report) -> list[Report]:
    """The latest live report of the same unit for the year before and the year after."""
    if report.year is None:
        return []
    out = []
    for y in (report.year - 1, report.year + 1):
        r = (Report.objects.filter(unit=report.unit, year=y, withdrawn__isnull=True).exclude(pk=report.pk)
             .order_by("-created", "-id").first())
        if r is not None:
            out.append(r)
    return out


def arrived(report: Report, user=None) -> str | None:
    """A report of year Y was stored (or withdrawn): queue re-checks of Y−1 and Y+1 of the unit, whatever the
    order of the uploads. Returns the batch, or None when there is no neighbour."""
    what = "撤回" if report.withdrawn else "收到"
    return queue_recheck(neighbours(report), user, f"{what}本单位 {report.year} 年报告后自动重新核对（跨年度检查）")


# ----------------------------------------------------------------------------------------- history
def who(user) -> str:
    if user is None:
        return "系统"
    p = getattr(user, "profile", None)
    return (p.display_name if p and p.display_name else "") or user.username


def event_dict(e: Event) -> dict:
    d = {"id": e.id, "kind": e.kind, "label": KIND_LABEL.get(e.kind, e.kind), "user": who(e.user),
         "time": f"{timezone.localtime(e.created):%Y-%m-%d %H:%M:%S}", "created": e.created,
         "report": e.report_id, "text": e.text, "key": e.key or None, "status": e.status or None,
         "state_from": e.state_from or None, "state_to": e.state_to or None,
         "state_from_label": STATE_LABEL.get(e.state_from) if e.state_from else None,
         "state_to_label": STATE_LABEL.get(e.state_to) if e.state_to else None,
         "data": e.data or {}}
    d["summary"] = summary(e)
    d["text_label"] = TEXT_LABEL.get(e.kind, "理由")
    return d


TEXT_LABEL = {Event.SUBMIT: "提交说明", Event.APPROVE: "审核意见", Event.COMMENT: "留言", Event.RECHECK: "说明"}


def summary(e: Event) -> str:
    """One Chinese line for the history list."""
    data = e.data or {}
    if e.kind == Event.SUBMIT:
        return f"提交第 {data.get('round', '?')} 次（报告第 {data.get('version', '?')} 版）"
    if e.kind == Event.RETURN:
        fix = data.get("fix") or []
        return f"退回修改，要求修改 {len(fix)} 个问题" + (f"：{'、'.join(x['code'] for x in fix)}" if fix else "")
    if e.kind == Event.DECIDE:
        return f"{DECISION_LABEL.get(e.status, e.status)}：{e.key.split('|')[0]}"
    if e.kind == Event.UNDO:
        return f"撤销对 {e.key.split('|')[0]} 的决定（原为{DECISION_LABEL.get(e.status, e.status)}）"
    if e.kind == Event.CORRECT:
        cells = data.get("cells") or []
        return f"更正 {len(cells)} 个数值，生成第 {data.get('version', '?')} 版"
    if e.kind == Event.COMMENT:
        return f"就 {e.key.split('|')[0]} 留言" if e.key else "留言"
    if e.kind == Event.RECHECK:
        b, a = data.get("before") or {}, data.get("after") or {}
        return (f"重新核对：错误 {b.get('error', 0)} → {a.get('error', 0)}，警告 {b.get('warning', 0)} → "
                f"{a.get('warning', 0)}")
    if e.kind == Event.WITHDRAW:
        return f"撤回报告（{data.get('source_name', '')}）"
    if e.kind == Event.REUPLOAD:
        return (f"重新上传曾撤回的文件（{data.get('source_name', '')}），作为新报告保存；原报告于 {data.get('withdrawn', '?')} "
                f"由 {data.get('by', '?')} 撤回，理由：{data.get('reason') or '未填写'}")
    return KIND_LABEL.get(e.kind, e.kind)


def history(unit: Unit, year: int | None, report: Report | None = None) -> list[dict]:
    """Every step of the unit and year, oldest first (a report without a year: its own steps)."""
    qs = Event.objects.select_related("user", "user__profile")
    qs = qs.filter(unit=unit, year=year) if year is not None else qs.filter(report=report)
    return [event_dict(e) for e in qs.order_by("created", "id")]


def state_dict(f: Filing | None) -> dict:
    state = f.state if f is not None else Filing.DRAFT
    return {"state": state, "label": STATE_LABEL[state], "round": f.round if f else 0,
            "report": f.report_id if f else None, "to_fix": to_fix(f)}
