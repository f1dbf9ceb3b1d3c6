"""The author's pages: a unit's 编制人 keeps the request ledger, sees deadlines, gets 表二/表三/表四
computed, writes the narrative, checks the composed report live and downloads it as DOCX.

    /author/                         home: the unit's years with counts and check results
    /author/<year>/ledger            the request ledger: add / edit / delete rows, upload (preview → confirm), XLSX
    /author/<year>/deadlines         open requests with due dates on the working-day calendar, most urgent first
    /author/<year>/tables            表三 from the ledger, 表二 (form), 表四 from the cases, in the official layout
    /author/<year>/narrative         title, preamble and the six sections
    /author/<year>/check             the composed report checked (with last year's uploaded report as previous)
    /author/<year>/report.docx|html  the report in the official layout

Everything is for `scope.can_author`: the unit's author, or an administrator choosing the unit with
`?unit=`. Every page has its JSON twin (`?format=json`); every POST answers JSON too when asked.
The library does the work (nianbao.ledger, nianbao.checks, nianbao.render); this module only stores
rows in `Ledger` and shows them.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import secrets
from functools import wraps
from urllib.parse import quote

from django.db import transaction
from django.db.models import F as F_
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import formats as F
from ...checks import run_checks
from ...errors import NianbaoError
from ...ledger import WorkCalendar, deadline, explain
from ...ledger.calendar import CalendarError
from ...ledger.clock import PAUSED_CORRECTION, PAUSED_FEE, clock, describe
from ...ledger.compose import (CASE_COLUMNS, CASE_GROUPS, CASE_RESULTS, case_problem, compose, split_cases,
                               t2_from_sheet, t2_rows_from_values, t4_from_cases, write_workbook)
from ...ledger.ledger import (APPLICANT_COLS, COLUMNS, OUTCOMES, RECEIPT_WAYS, LedgerError, ledger_from_rows,
                              pick_sheets, request_row, split_header, validate_row,
                              workbook_sheets)
from ...ledger.tables import t3_from_ledger
from ...render.layout import VALUE, format_value, table_layout
from ...report import from_contract
from .. import scope
from ..models import Filing, Ledger, Profile, Report, Unit
from ..responses import as_json, error, json_body, page, wants_json

FIRST_YEAR = 2019                      # the first year with an official format
MAX_IMPORT_BYTES = 20 * 1024 * 1024
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", None: "正文与结构"}
TABLE_TITLES = {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况",
                "t4": "表四 政府信息公开行政复议、行政诉讼情况", None: "正文与结构"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
MAIN_COLUMNS = ("编号", "收到日期", "申请人类型", "申请人", "申请内容", "收到方式", "办理结果", "答复日期")
EXTRA_COLUMNS = tuple(c for c in COLUMNS if c not in MAIN_COLUMNS)
DATE_COLUMNS = ("提交日期", "收到日期", "答复日期", "补正告知日期", "补正收到日期", "收费通知日期", "缴费日期")
TABLE_SECTIONS = {2: "t2", 3: "t3", 4: "t4"}
CELL_CLASS = {"编号": "nowrap", "收到日期": "nowrap", "答复日期": "nowrap", "申请内容": "au-content",
              "办理结果": "au-outcome"}


# ----------------------------------------------------------------------------------------- who and what
class Target:
    """The unit and year a request is about, and how to link back to it (admins carry ?unit=)."""

    def __init__(self, request, unit: Unit, year: int | None):
        self.request, self.unit, self.year = request, unit, year
        self.q = f"?unit={unit.pk}" if scope.role(request.user) == Profile.ADMIN else ""
        self.fmt = F.format_for_year(year) if year else None

    def url(self, tail: str = "") -> str:
        base = f"/author/{self.year}/{tail}" if self.year else "/author/"
        return base + self.q

    def ledger(self) -> Ledger:
        return Ledger.objects.filter(unit=self.unit, year=self.year).first() or Ledger(unit=self.unit, year=self.year)

    @property
    def links(self) -> dict:
        return {**{k: self.url(k) for k in ("ledger", "deadlines", "tables", "narrative", "check")},
                "docx": self.url("report.docx"), "html": self.url("report.html"), "xlsx": self.url("ledger.xlsx"),
                "submit": self.url("submit"), "home": "/author/" + self.q}

    @property
    def nav_years(self) -> list[tuple[int, str]]:
        cur = current_year()
        years = sorted({cur - 1, cur, self.year} - {None}, reverse=True)
        page_name = self.request.path.rstrip("/").split("/")[-1] if self.year else "ledger"
        if page_name not in ("ledger", "deadlines", "tables", "narrative", "check"):
            page_name = "ledger"
        return [(y, f"/author/{y}/{page_name}{self.q}") for y in years]

    def info(self) -> dict:
        return {"unit": {"id": self.unit.pk, "name": self.unit.name}, "year": self.year,
                "format": self.fmt.key if self.fmt else None}


def current_year() -> int:
    return timezone.localdate().year


def _unit_for(request) -> Unit | None:
    """The unit: ?unit= (admins any unit; authors only their own, else 404), else the author's own."""
    pk = request.GET.get("unit")
    if pk:
        if not str(pk).isdigit():
            raise Http404(scope.NOT_FOUND)
        unit = scope.unit_or_404(request.user, int(pk))
    else:
        unit = scope.home_unit(request.user) if scope.role(request.user) == Profile.AUTHOR else None
    if unit is not None and not scope.can_author(request.user, unit):
        raise Http404(scope.NOT_FOUND)
    return unit


def author_view(view):
    """Logged in as an author or administrator; resolves the unit and the year (404 outside scope or for
    a year without an official format) and calls view(request, target, …)."""
    @wraps(view)
    @scope.require_role(Profile.ADMIN, Profile.AUTHOR)
    def wrapper(request, year: int | None = None, **kwargs):
        unit = _unit_for(request)
        if unit is None:
            if scope.role(request.user) == Profile.AUTHOR:
                return error(request, 403, "no-unit", "您的账号尚未关联单位，请联系管理员。",
                             "your account has no unit; ask an administrator.")
            if year is None:
                return view(request, None, **kwargs)          # the administrator's unit chooser
            if wants_json(request):
                return error(request, 400, "unit-required", "请用 ?unit= 指定要编制年报的单位。",
                             "choose the unit with ?unit=.")
            return redirect("/author/")
        if year is not None and (F.format_for_year(year) is None or year > current_year() + 1):
            return error(request, 404, "no-format",
                         f"{year} 年没有适用的年度报告格式（{FIRST_YEAR} 年起可编制，至多到明年）。",
                         f"no report format for {year}.")
        return view(request, Target(request, unit, year), **kwargs)
    return wrapper


# ----------------------------------------------------------------------------------------- composing
def _lib_ledger(rows: list[dict]):
    """The stored rows as the library's Ledger (row numbers = positions from 1, as the page shows them)."""
    return ledger_from_rows(list(COLUMNS), rows, start=1)


def _t2_rows(t: Target, led: Ledger) -> list[list]:
    """Stored 「主动公开」 rows, or the format's empty sheet (so 表二 appears, its cells blank)."""
    return led.t2 or t2_rows_from_values(t.fmt.key, None)


def _cases_rows(led: Ledger) -> list[list]:
    return led.cases or [list(CASE_COLUMNS)]


def _sections(t: Target, narrative: dict) -> list[dict]:
    """The narrative's sections. A section without text is left out (and S101 says so), except the three
    that hold a table: their heading stands with the table."""
    out = []
    for sec in t.fmt.sections:
        text = (narrative.get(str(sec.number)) or "").strip()
        if text or sec.number in TABLE_SECTIONS:
            out.append({"number": sec.number, "title": sec.title, "text": text})
    return out


def compose_for(t: Target, led: Ledger, narrative: dict | None = None) -> dict:
    """The contract-shaped report of the unit and year from what is stored (or a draft narrative)."""
    narrative = led.narrative if narrative is None else narrative
    return compose(_lib_ledger(led.requests), t.year, t2_rows=_t2_rows(t, led), cases_rows=_cases_rows(led),
                   title=(narrative.get("title") or "").strip() or None, preamble=narrative.get("preamble") or "",
                   sections=_sections(t, narrative), org=t.unit.name)


def previous_report(unit: Unit, year: int) -> Report | None:
    return (Report.objects.filter(unit=unit, year=year - 1, withdrawn__isnull=True)
            .order_by("-created", "-id").first())


def check_report(t: Target, report: dict) -> tuple[list, Report | None]:
    prev = previous_report(t.unit, t.year)
    previous = from_contract(prev.current.data) if prev is not None and prev.current is not None else None
    return run_checks(from_contract(report), previous=previous), prev


def _label(fmt_key: str, table: str | None, row: str | None, col: str | None) -> tuple[str | None, str | None]:
    if not table or table not in ("t2", "t3", "t4"):
        return row, col
    spec = F.get(fmt_key).table(table)
    try:
        row_label = spec.row(row).label if row else None
    except KeyError:
        row_label = row
    try:
        col_label = spec.column(row or spec.cell_rows()[0].key, col).label if col else None
    except KeyError:
        col_label = col
    return row_label, col_label


def _fix_link(t: Target, f) -> tuple[str, str]:
    """Where the author fixes what a finding is about."""
    if f.table == "t3" and f.code != "T101":
        return t.url("ledger"), "修改台账"
    if f.table in ("t2", "t4") and not f.code.startswith("T"):
        return t.url("tables") + f"#{f.table}", "修改" + TABLE_NAMES[f.table]
    return t.url("narrative"), "修改正文"


def finding_dict(t: Target, f) -> dict:
    row_label, col_label = _label(t.fmt.key, f.table, f.row, f.col)
    where = "；".join(x for x in (TABLE_TITLES.get(f.table, f.table or ""),
                                  f"行：{row_label}" if row_label else "", f"列：{col_label}" if col_label else "") if x)
    url, fix = _fix_link(t, f)
    return {"code": f.code, "name": f.name, "severity": f.severity, "severity_label": SEVERITY_ZH.get(f.severity, ""),
            "message": f.message, "hint": f.hint, "table": f.table, "row": f.row, "col": f.col,
            "table_label": TABLE_TITLES.get(f.table, f.table), "row_label": row_label, "col_label": col_label,
            "where": where, "fix_url": url, "fix_label": fix}


def summarise(findings: list) -> dict:
    return {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}


def live_checks(t: Target, led: Ledger, narrative: dict | None = None, focus: str | None = None) -> dict:
    """The check result shown in the box on the tables, narrative and check pages. `focus` ("narrative" or
    "tables") puts the findings that page can fix first within each severity (the box shows a few)."""
    findings, prev = check_report(t, compose_for(t, led, narrative))
    items = [finding_dict(t, f) for f in findings]
    if focus:
        mine = "narrative" if focus == "narrative" else ("tables", "ledger")
        rank = {"error": 0, "warning": 1, "info": 2}
        items.sort(key=lambda f: (rank.get(f["severity"], 3), not f["fix_url"].split("?")[0].split("#")[0]
                                  .endswith(mine)))
    return {"counts": summarise(findings), "findings": items,
            "previous": ({"id": prev.pk, "year": prev.year, "name": prev.source_name, "url": f"/reports/{prev.pk}/"}
                         if prev is not None else None),
            "url": t.url("check")}


# ----------------------------------------------------------------------------------------- deadlines
def calendar() -> WorkCalendar:
    """The State Council schedule; a site may add years with NIANBAO_HOLIDAYS=节假日.json (see nianbao ledger)."""
    return WorkCalendar.load(os.environ.get("NIANBAO_HOLIDAYS") or None)


def today_for(request) -> dt.date:
    """Today, or ?today=YYYY-MM-DD to see the deadlines as of another day."""
    raw = request.GET.get("today")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    return timezone.localdate()


def deadline_rows(requests, today: dt.date, cal: WorkCalendar) -> list[dict]:
    """Open requests with due date and working days left; unknown calendar years first (they need a
    holiday file), then the most urgent first."""
    out = []
    for req in requests:
        if not req.open:
            continue
        row = {"n": req.row, "id": req.id, "applicant": req.applicant, "content": req.content,
               "received": req.received.isoformat(), "due": None, "left": None, "overdue": False,
               "waiting_for": None, "status": "", "steps": [], "skipped": [], "explain": "", "error": None}
        try:
            dl = deadline(req, cal)
            left = dl.left(today, cal)
        except CalendarError as e:
            row["error"] = e.message + "（网站管理员可设置环境变量 NIANBAO_HOLIDAYS 指向节假日文件。）"
            row["status"] = "无法计算"
            out.append(row)
            continue
        clk = clock(req, cal, today)       # paused clocks (补正, 缴费) are never overdue
        row.update(due=dl.due.isoformat(), left=left, overdue=clk.alarm, waiting_for=dl.waiting_for,
                   steps=dl.steps, explain=explain(dl),
                   skipped=[{"date": d.date.isoformat(), "weekday": "一二三四五六日"[d.date.weekday()],
                             "reason": d.reason, "workday": d.workday} for d in dl.skipped])
        if clk.state in (PAUSED_FEE, PAUSED_CORRECTION):
            row.update(due=None, left=None)
            row["status"] = describe(clk)
        elif left < 0:
            row["status"] = f"已超期 {-left} 个工作日"
        elif left == 0:
            row["status"] = "今天到期"
        else:
            row["status"] = f"剩余 {left} 个工作日"
        out.append(row)
    out.sort(key=lambda r: (r["error"] is None, r["left"] is None, r["left"] if r["left"] is not None else 0,
                            r["due"] or ""))
    return out


# ----------------------------------------------------------------------------------------- home
def _year_summary(t: Target, led: Ledger, today: dt.date, cal: WorkCalendar) -> dict:
    lib = _lib_ledger(led.requests)
    rows = deadline_rows(lib.requests, today, cal)
    findings, _ = check_report(t, compose_for(t, led))
    counts = summarise(findings)
    return {"year": t.year, "format": t.fmt.key, "requests": len(lib.requests), "open": len(rows),
            "overdue": sum(1 for r in rows if r["overdue"]),
            "unknown_deadlines": sum(1 for r in rows if r["error"]),
            "errors": counts["error"], "warnings": counts["warning"], "narrative_sections":
                sum(1 for k in "123456" if (led.narrative.get(k) or "").strip()),
            "updated": led.updated if led.pk else None, "saved": led.pk is not None,
            "urls": t.links, "review": review_state(t.unit, t.year)}


def review_state(unit: Unit, year: int) -> dict:
    """The (unit, year) review state for the author: state, the report submitted, what to fix."""
    from .. import review
    f = Filing.objects.filter(unit=unit, year=year).first()
    d = review.state_dict(f)
    d["url"] = f"/reports/{f.report_id}/" if f is not None and f.report_id else None
    d["can_submit"] = d["state"] in (Filing.DRAFT, Filing.RETURNED, Filing.SUBMITTED)
    return d


@require_GET
@author_view
def home(request, t: Target | None):
    if t is None:                                  # an administrator: choose the unit
        units = scope.units(request.user).order_by("path")[:2000]
        data = {"units": [{"id": u.id, "name": u.name, "depth": u.depth, "url": f"/author/?unit={u.id}"} for u in units]}
        return page(request, "web/author_home.html", data, extra={"choose": True})
    cur = current_year()
    years = {cur - 1, cur} | set(Ledger.objects.filter(unit=t.unit).values_list("year", flat=True))
    years = sorted((y for y in years if F.format_for_year(y) is not None and y <= cur + 1),
                   key=lambda y: (y != cur - 1, y != cur, -y))      # the report being written first
    today, cal = today_for(request), calendar()
    stored = {led.year: led for led in Ledger.objects.filter(unit=t.unit, year__in=years)}
    submitted = set(Filing.objects.filter(unit=t.unit, report__isnull=False).values_list("report_id", flat=True))
    summaries = []
    for y in years:
        ty = Target(request, t.unit, y)
        summaries.append(_year_summary(ty, stored.get(y) or Ledger(unit=t.unit, year=y), today, cal))
    from .. import failures
    data = {"unit": {"id": t.unit.pk, "name": t.unit.name}, "today": today.isoformat(), "report_year": cur - 1,
            "current_year": cur, "years": summaries, "failed_uploads": failures.unit_count(t.unit),
            "reports": [{"id": r.pk, "year": r.year, "name": r.source_name, "errors": r.errors, "warnings": r.warnings,
                         "url": f"/reports/{r.pk}/", "submit": f"/reports/{r.pk}/submit",
                         "submitted": r.pk in submitted}
                        for r in Report.objects.filter(unit=t.unit, withdrawn__isnull=True)
                        .order_by(F_("year").desc(nulls_last=True), "-created")[:10]]}
    return page(request, "web/author_home.html", data, extra={"t": t})


@require_GET
@author_view
def year_home(request, t: Target):
    return redirect(t.url("ledger"))


# ----------------------------------------------------------------------------------------- ledger
def _outcome_groups(current: str = "") -> list[tuple[str, list[str]]]:
    """办理结果 choices grouped as 表三 groups them; variants of one outcome appear once."""
    groups: list[tuple[str, list[str]]] = []
    seen_rows: set[str] = set()
    known = set()
    for label, (_, row21) in OUTCOMES.items():
        if row21 in seen_rows:
            continue
        seen_rows.add(row21)
        known.add(label)
        head = label.split("-")[0]
        if not groups or groups[-1][0] != head:
            groups.append((head, []))
        groups[-1][1].append(label)
    if current and current not in known:
        groups.insert(0, ("当前值", [current]))
    return groups


def _choices(values: dict) -> dict:
    def keep(options, cur):
        return ([cur] if cur and cur not in options else []) + list(options)
    return {"申请人类型": keep(APPLICANT_COLS, values.get("申请人类型", "")),
            "收到方式": keep(RECEIPT_WAYS, values.get("收到方式", "")),
            "延期": keep(("否", "是"), values.get("延期", "")),
            "办理结果": _outcome_groups(values.get("办理结果", ""))}


def _extras(row: dict) -> str:
    parts = []
    for c in EXTRA_COLUMNS:
        v = str(row.get(c) or "").strip()
        if not v or (c == "延期" and v == "否"):
            continue
        parts.append(f"{c}：{v}" if c != "延期" else "已延期")
    return "；".join(parts)


def _ledger_data(t: Target, led: Ledger) -> dict:
    rows = []
    for i, r in enumerate(led.requests, start=1):
        rows.append({"n": i, **{c: r.get(c, "") for c in COLUMNS}, "open": not r.get("答复日期"),
                     "extras": _extras(r)})
    carry = _carry_candidates(t, led)
    return {**t.info(), "columns": list(COLUMNS), "requests": rows,
            "counts": {"total": len(rows), "open": sum(1 for r in rows if r["open"])},
            "carry": {"from": t.year - 1, "count": len(carry)} if carry else None,
            "urls": {"xlsx": t.url("ledger.xlsx"), "upload": t.url("ledger/upload")}}


def _form_values(request) -> dict:
    src = json_body(request) if request.content_type == "application/json" else request.POST
    return {c: str(src.get(c) or "").strip() for c in COLUMNS}, src


def _ledger_page(request, t: Target, led: Ledger, form: dict | None = None, status: int = 200, notice: str = ""):
    data = _ledger_data(t, led)
    form = form or {"mode": "add", "values": {c: "" for c in COLUMNS} | {"延期": "否"}, "errors": [], "bad": []}
    if request.GET.get("edit", "").isdigit() and form["mode"] == "add" and not form["errors"]:
        n = int(request.GET["edit"])
        if 1 <= n <= len(led.requests):
            form = {"mode": "edit", "n": n, "id": led.requests[n - 1].get("编号", ""),
                    "values": {c: led.requests[n - 1].get(c, "") for c in COLUMNS}, "errors": [], "bad": []}
    fields = _fields(form["values"], form["bad"])
    rows = [{"n": r["n"], "id": r["编号"], "cells": [(r[c], CELL_CLASS.get(c, "")) for c in MAIN_COLUMNS],
             "extras": r["extras"],
             "open": r["open"], "editing": form["mode"] == "edit" and form.get("n") == r["n"]}
            for r in data["requests"]]
    return page(request, "web/author_ledger.html", data, status=status,
                extra={"t": t, "form": form, "field_groups": fields, "notice": notice, "rows": rows,
                       "main_columns": MAIN_COLUMNS})


_HELP = {"编号": "本单位的申请编号，不可重复", "收到日期": "如 2025-03-03", "办理结果": "未办结时留空",
         "答复日期": "未办结时留空", "征求意见天数": "工作日，不计入答复期限", "延期": "经批准延长 20 个工作日"}


def _fields(values: dict, bad: list[str]) -> list[tuple[str, list[dict]]]:
    ch = _choices(values)

    def field(c):
        kind = "select" if c in ("申请人类型", "收到方式", "延期") else ("outcome" if c == "办理结果" else
                                                               ("date" if c in DATE_COLUMNS else "text"))
        return {"name": c, "value": values.get(c, ""), "kind": kind, "bad": c in bad, "help": _HELP.get(c, ""),
                "options": ch.get(c, []), "required": c in ("编号", "收到日期", "申请人类型"),
                "wide": c in ("申请内容", "办理结果", "备注")}
    return [("申请信息", [field(c) for c in MAIN_COLUMNS]),
            ("提交日期、补正、延期、征求意见、收费（没有的不填）", [field(c) for c in EXTRA_COLUMNS])]


def _invalid(request, t: Target, led: Ledger, form: dict, rejected: list):
    msgs = [r.message for r in rejected]
    form = {**form, "errors": msgs, "bad": [r.column for r in rejected]}
    if wants_json(request):
        return error(request, 400, "invalid-row", "；".join(msgs), "; ".join(r.message_en for r in rejected),
                     rejected=[{"row": r.row, "column": r.column, "message": r.message} for r in rejected])
    return _ledger_page(request, t, led, form, status=400)


def _saved(request, t: Target, led: Ledger, n: int | None, message: str):
    if wants_json(request):
        return as_json({"ok": True, "message": message, "n": n, **_ledger_data(t, led)})
    from django.contrib import messages
    messages.success(request, message)
    return redirect(t.url("ledger") + (f"#row-{n}" if n else ""))


def _locked_ledger(t: Target) -> Ledger:
    led, _ = Ledger.objects.select_for_update().get_or_create(unit=t.unit, year=t.year)
    return led


@require_GET
@author_view
def ledger_page(request, t: Target):
    return _ledger_page(request, t, t.ledger())


@require_POST
@author_view
def ledger_add(request, t: Target):
    values, _ = _form_values(request)
    with transaction.atomic():
        led = _locked_ledger(t)
        n = len(led.requests) + 1
        seen = {r.get("编号", ""): i for i, r in enumerate(led.requests, start=1)}
        req, rejected = validate_row(values.get, n, seen)
        if not rejected:
            led.requests = led.requests + [request_row(req)]
            led.updated_by = request.user
            led.save()
    if rejected:
        return _invalid(request, t, led, {"mode": "add", "values": values}, rejected)
    return _saved(request, t, led, n, f"已新增第 {n} 行（申请 {req.id}）。")


def _row_or_conflict(request, t: Target, led: Ledger, n: int, src) -> HttpResponse | None:
    if not 1 <= n <= len(led.requests):
        return error(request, 404, "no-row", f"台账没有第 {n} 行（可能已被删除），请刷新页面。", f"no row {n}.")
    expected = str(src.get("_id") if src.get("_id") is not None else led.requests[n - 1].get("编号", ""))
    if expected != led.requests[n - 1].get("编号", ""):
        return error(request, 409, "changed", f"台账已被修改：第 {n} 行现在是申请 {led.requests[n - 1].get('编号')}，"
                     f"不是 {expected}。请刷新页面后重试。", f"row {n} changed meanwhile; reload and try again.")
    return None


@require_http_methods(["GET", "POST"])
@author_view
def ledger_edit(request, t: Target, n: int):
    if request.method == "GET":                    # the edit form lives on the ledger page
        return redirect(t.url("ledger") + ("&" if t.q else "?") + f"edit={n}#form")
    values, src = _form_values(request)
    with transaction.atomic():
        led = _locked_ledger(t)
        problem = _row_or_conflict(request, t, led, n, src)
        if problem is not None:
            return problem
        seen = {r.get("编号", ""): i for i, r in enumerate(led.requests, start=1) if i != n}
        req, rejected = validate_row(values.get, n, seen)
        if not rejected:
            rows = list(led.requests)
            rows[n - 1] = request_row(req)
            led.requests = rows
            led.updated_by = request.user
            led.save()
    if rejected:
        return _invalid(request, t, led, {"mode": "edit", "n": n, "id": led.requests[n - 1].get("编号", ""),
                                          "values": values}, rejected)
    return _saved(request, t, led, n, f"已保存第 {n} 行（申请 {req.id}）。")


@require_POST
@author_view
def ledger_delete(request, t: Target, n: int):
    _, src = _form_values(request)
    with transaction.atomic():
        led = _locked_ledger(t)
        problem = _row_or_conflict(request, t, led, n, src)
        if problem is not None:
            return problem
        rows = list(led.requests)
        gone = rows.pop(n - 1)
        led.requests = rows
        led.updated_by = request.user
        led.save()
    return _saved(request, t, led, None, f"已删除第 {n} 行（申请 {gone.get('编号')}）；后面各行的行号前移一位。")


def _carry_candidates(t: Target, led: Ledger) -> list[dict]:
    """Requests of last year's ledger still open at its year end, not yet in this ledger."""
    prev = Ledger.objects.filter(unit=t.unit, year=t.year - 1).first()
    if prev is None:
        return []
    have = {r.get("编号") for r in led.requests}
    first = dt.date(t.year, 1, 1).isoformat()
    return [r for r in prev.requests
            if r.get("编号") not in have and r.get("收到日期", "") < first
            and (not r.get("答复日期") or r.get("答复日期") >= first)]


@require_POST
@author_view
def ledger_carry(request, t: Target):
    with transaction.atomic():
        led = _locked_ledger(t)
        rows = _carry_candidates(t, led)
        if rows:
            led.requests = [dict(r) for r in rows] + list(led.requests)
            led.updated_by = request.user
            led.save()
    if not rows:
        return error(request, 400, "nothing-to-carry", f"{t.year - 1} 年台账中没有需要结转的申请。",
                     "nothing to carry over.")
    return _saved(request, t, led, None, f"已从 {t.year - 1} 年台账带入 {len(rows)} 件结转申请（放在最前面）。")


# ---- upload: preview, then confirm
def _session_key(t: Target) -> str:
    return f"author-import-{t.unit.pk}-{t.year}"


def _plain_cell(v):
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if v is None or isinstance(v, (int, float)):
        return v
    return str(v)


def _parse_upload(t: Target, name: str, data: bytes) -> dict:
    """The uploaded workbook checked row by row; nothing is stored yet."""
    ledger_rows, t2_rows, cases_rows, header_row = pick_sheets(workbook_sheets(data, name), name)
    header, rows = split_header(ledger_rows, name)
    lib = ledger_from_rows(header, rows, path=name, start=header_row + 1)
    out = {"name": name, "requests": [request_row(r) for r in lib.requests],
           "rejected": [{"row": r.row, "column": r.column, "message": r.message} for r in lib.rejected],
           "t2": None, "t2_error": None, "cases": None, "cases_rejected": [], "cases_error": None}
    if t2_rows is not None:
        clean = [[_plain_cell(c) for c in r] for r in t2_rows if any(c not in (None, "") for c in r)]
        try:
            if clean:
                t2_from_sheet(clean, t.fmt.key, name)
                out["t2"] = clean
        except LedgerError as e:
            out["t2_error"] = e.message
    if cases_rows is not None:
        clean = [[_plain_cell(c) for c in r] for r in cases_rows]
        while clean and not any(str(c or "").strip() for c in clean[0]):
            clean.pop(0)
        if clean:
            try:
                valid, problems = split_cases(clean, name)
                out["cases"], out["cases_rejected"] = valid, problems
            except LedgerError as e:
                out["cases_error"] = e.message
    return out


@require_POST
@author_view
def ledger_upload(request, t: Target):
    f = request.FILES.get("file")
    if f is None:
        return error(request, 400, "no-file", "没有选择文件。请选择 .xlsx 或 .csv 格式的台账。", "no file chosen.")
    if f.size > MAX_IMPORT_BYTES:
        return error(request, 413, "too-large", f"台账文件过大（上限 {MAX_IMPORT_BYTES // 1048576} MB）。",
                     "the ledger file is too large.")
    if not f.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
        return error(request, 400, "unsupported-type", "台账只能是 .xlsx 或 .csv 文件（旧版 .xls 请另存为 .xlsx）。",
                     "the ledger must be .xlsx or .csv.")
    try:
        parsed = _parse_upload(t, os.path.basename(f.name), f.read())
    except NianbaoError as e:
        return error(request, 400, e.code, e.message, e.message_en)
    token = secrets.token_urlsafe(12)
    request.session[_session_key(t)] = {"token": token, **parsed}
    stored = t.ledger()
    data = {**t.info(), "token": token, "name": parsed["name"], "valid": len(parsed["requests"]),
            "rejected": parsed["rejected"], "stored": len(stored.requests),
            "t2": parsed["t2"] is not None, "t2_error": parsed["t2_error"],
            "cases": (len(parsed["cases"]) - 1) if parsed["cases"] is not None else None,
            "cases_rejected": parsed["cases_rejected"], "cases_error": parsed["cases_error"],
            "preview": parsed["requests"][:20], "confirm_url": t.url("ledger/import")}
    return page(request, "web/author_import.html", data, extra={
        "t": t, "columns": MAIN_COLUMNS, "preview_rows": [[r.get(c, "") for c in MAIN_COLUMNS] for r in data["preview"]]})


@require_POST
@author_view
def ledger_import(request, t: Target):
    src = json_body(request) if request.content_type == "application/json" else request.POST
    pending = request.session.get(_session_key(t))
    if not pending or pending.get("token") != src.get("token"):
        return error(request, 400, "import-expired", "没有待确认的导入（可能已导入，或页面已过期）；请重新上传台账。",
                     "nothing to import; upload the ledger again.")
    with transaction.atomic():
        led = _locked_ledger(t)
        before = len(led.requests)
        led.requests = pending["requests"]
        if pending.get("t2") is not None:
            led.t2 = pending["t2"]
        if pending.get("cases") is not None:
            led.cases = pending["cases"]
        led.updated_by = request.user
        led.save()
    del request.session[_session_key(t)]
    parts = [f"已导入 {len(pending['requests'])} 件申请，替换原有的 {before} 件"]
    if pending.get("t2") is not None:
        parts.append("「主动公开」（表二）")
    if pending.get("cases") is not None:
        parts.append(f"「复议诉讼」{len(pending['cases']) - 1} 件")
    msg = "；".join(parts) + "。"
    if pending.get("rejected"):
        msg += f" 有错误的 {len(pending['rejected'])} 处所在行未导入。"
    return _saved(request, t, led, None, msg)


def _attachment(response: HttpResponse, filename: str, fallback: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
@author_view
def ledger_xlsx(request, t: Target):
    led = t.ledger()
    buf = io.BytesIO()
    write_workbook(buf, [[r.get(c, "") for c in COLUMNS] for r in led.requests], _t2_rows(t, led), _cases_rows(led))
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return _attachment(resp, f"{t.unit.name}{t.year}年依申请公开台账.xlsx", f"ledger-{t.year}.xlsx")


# ----------------------------------------------------------------------------------------- deadlines page
@require_GET
@author_view
def deadlines_page(request, t: Target):
    led = t.ledger()
    lib = _lib_ledger(led.requests)
    today = today_for(request)
    rows = deadline_rows(lib.requests, today, calendar())
    data = {**t.info(), "today": today.isoformat(), "open": len(rows),
            "overdue": sum(1 for r in rows if r["overdue"]), "deadlines": rows}
    return page(request, "web/author_deadlines.html", data, extra={"t": t})


# ----------------------------------------------------------------------------------------- tables
def _layout_rows(layout, inputs: dict | None = None) -> list[list[dict]]:
    """A TableLayout as rows of cells for the template; VALUE cells become inputs when `inputs` is given."""
    out = []
    for row in layout.rows:
        cells = []
        for c in row:
            d = {"text": c.text, "rowspan": c.rowspan, "colspan": c.colspan, "kind": c.kind, "name": None}
            if c.kind == VALUE and inputs is not None:
                _, rk, ck = c.ref
                d["name"] = f"t2|{rk}|{ck}"
                d["value"] = inputs.get(d["name"], c.text)
                d["money"] = c.column is not None and c.column.kind == "money"
            cells.append(d)
        out.append(cells)
    return out


def _tables(t: Target, led: Ledger) -> dict:
    lib = _lib_ledger(led.requests)
    _, t3 = t3_from_ledger(lib, t.year)
    t2 = t2_from_sheet(_t2_rows(t, led), t.fmt.key)
    t4 = t4_from_cases(_cases_rows(led), t.year)
    return {"t2": t2, "t3": t3, "t4": t4}


def _cases_list(led: Ledger) -> list[dict]:
    rows = _cases_rows(led)
    header = [str(h) for h in rows[0]]
    return [{"n": i, **{h: (r[header.index(h)] if h in header and header.index(h) < len(r) else "") or ""
                        for h in CASE_COLUMNS}} for i, r in enumerate(rows[1:], start=1)]


def _tables_page(request, t: Target, led: Ledger, status: int = 200, t2_inputs: dict | None = None,
                 t2_errors: list | None = None, case_form: dict | None = None):
    tables = _tables(t, led)
    lib = _lib_ledger(led.requests)
    first, last = dt.date(t.year, 1, 1), dt.date(t.year, 12, 31)
    in_year = [r for r in lib.requests if r.received <= last and (r.answered is None or r.answered >= first)]
    by_type = {label: sum(1 for r in in_year if r.applicant_type == key) for label, key in APPLICANT_COLS.items()}
    data = {**t.info(), "tables": tables, "requests_in_year": len(in_year), "by_applicant": by_type,
            "cases": _cases_list(led), "checks": live_checks(t, led, focus="tables")}
    extra = {"t": t,
             "t3_layout": _layout_rows(table_layout(t.fmt, "t3", tables["t3"])),
             "t4_layout": _layout_rows(table_layout(t.fmt, "t4", tables["t4"])),
             "t2_layout": _layout_rows(table_layout(t.fmt, "t2", tables["t2"]), t2_inputs or {}),
             "t2_errors": t2_errors or [],
             "cases_rows": [{"n": c["n"], "cells": [c[h] for h in CASE_COLUMNS]} for c in data["cases"]],
             "case_form": case_form or {"values": {"类型": "行政复议"}, "error": None},
             "case_kinds": list(CASE_GROUPS), "case_results": ["维持", "纠正", "其他"]}
    return page(request, "web/author_tables.html", data, status=status, extra=extra)


@require_GET
@author_view
def tables_page(request, t: Target):
    return _tables_page(request, t, t.ledger())


@require_POST
@author_view
def t2_save(request, t: Target):
    src = json_body(request) if request.content_type == "application/json" else request.POST
    spec = t.fmt.table("t2")
    values: dict = {}
    inputs: dict = {}
    errors: list[str] = []
    for r in spec.cell_rows():
        for c in spec.columns_of(r.key):
            name = f"t2|{r.key}|{c.key}"
            raw = str(src.get(name) or "").strip().replace(",", "").replace("，", "")
            inputs[name] = raw
            if raw == "":
                values.setdefault(r.key, {})[c.key] = None
                continue
            try:
                v = float(raw)
                if c.kind == "money":
                    ok = v >= 0
                elif c.kind == "signed":
                    ok = v.is_integer()
                else:
                    ok = v >= 0 and v.is_integer()
                if not ok:
                    raise ValueError
            except ValueError:
                kind = {"money": "非负数", "signed": "整数（可为负数）"}.get(c.kind, "非负整数")
                errors.append(f"「{r.label}」的「{c.label}」应为{kind}，收到“{raw}”。")
                continue
            values.setdefault(r.key, {})[c.key] = int(v) if v.is_integer() and c.kind != "money" else v
    if errors:
        if wants_json(request):
            return error(request, 400, "invalid-t2", "；".join(errors), "invalid 表二 values.", errors=errors)
        return _tables_page(request, t, t.ledger(), status=400, t2_inputs=inputs, t2_errors=errors)
    with transaction.atomic():
        led = _locked_ledger(t)
        led.t2 = t2_rows_from_values(t.fmt.key, values)
        led.updated_by = request.user
        led.save()
    return _back(request, t, "tables", "#t2", "已保存表二。", {"t2": t2_from_sheet(led.t2, t.fmt.key)})


def _back(request, t: Target, page_name: str, anchor: str, message: str, data: dict | None = None):
    if wants_json(request):
        return as_json({"ok": True, "message": message, **(data or {})})
    from django.contrib import messages
    messages.success(request, message)
    return redirect(t.url(page_name) + anchor)


@require_POST
@author_view
def case_add(request, t: Target):
    src = json_body(request) if request.content_type == "application/json" else request.POST
    values = {h: str(src.get(h) or "").strip() for h in CASE_COLUMNS}
    with transaction.atomic():
        led = _locked_ledger(t)
        rows = _cases_rows(led)
        n = len(rows)
        why = case_problem(values["类型"], values["立案日期"], values["结果"], values["结案日期"], n)
        if not why:
            valid, _ = split_cases([list(CASE_COLUMNS), [values[h] for h in CASE_COLUMNS]])
            led.cases = rows + valid[1:]
            led.updated_by = request.user
            led.save()
    if why:
        if wants_json(request):
            return error(request, 400, "invalid-case", why, "invalid case row.")
        return _tables_page(request, t, led, status=400, case_form={"values": values, "error": why})
    return _back(request, t, "tables", "#t4", f"已新增第 {n} 件复议诉讼案件。", {"cases": _cases_list(led)})


@require_POST
@author_view
def case_delete(request, t: Target, n: int):
    with transaction.atomic():
        led = _locked_ledger(t)
        rows = _cases_rows(led)
        if not 1 <= n < len(rows):
            return error(request, 404, "no-row", f"没有第 {n} 件复议诉讼案件（可能已被删除），请刷新页面。", f"no case {n}.")
        rows = list(rows)
        rows.pop(n)
        led.cases = rows
        led.updated_by = request.user
        led.save()
    return _back(request, t, "tables", "#t4", f"已删除第 {n} 件复议诉讼案件。", {"cases": _cases_list(led)})


# ----------------------------------------------------------------------------------------- narrative
def _default_preamble(t: Target) -> str:
    doc = "国办公开办函〔2021〕30号" if t.fmt.key == "2021" else "国办公开办函〔2019〕60号"
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{doc}要求编制。"
            f"本报告中所列数据的统计期限自{t.year}年1月1日起至{t.year}年12月31日止。")


def _narrative_data(t: Target, narrative: dict) -> dict:
    table_note = {2: "表二（主动公开）", 3: "表三（依申请公开）", 4: "表四（复议诉讼）"}
    return {**t.info(),
            "title": narrative.get("title") or f"{t.unit.name}{t.year}年政府信息公开工作年度报告",
            "preamble": narrative.get("preamble", _default_preamble(t)),
            "sections": [{"number": s.number, "title": s.title, "text": narrative.get(str(s.number), ""),
                          "table": table_note.get(s.number)} for s in t.fmt.sections]}


def _narrative_from(src) -> dict:
    out = {"title": str(src.get("title") or "").strip()[:300], "preamble": str(src.get("preamble") or "").strip()}
    for n in "123456":
        out[n] = str(src.get(f"s{n}") if src.get(f"s{n}") is not None else src.get(n) or "").strip()
    return out


@require_http_methods(["GET", "POST"])
@author_view
def narrative_page(request, t: Target):
    led = t.ledger()
    if request.method == "POST":
        src = json_body(request) if request.content_type == "application/json" else request.POST
        narrative = _narrative_from(src)
        with transaction.atomic():
            led = _locked_ledger(t)
            led.narrative = narrative
            led.updated_by = request.user
            led.save()
        return _back(request, t, "narrative", "", "已保存正文。", {"narrative": narrative,
                                                                "checks": live_checks(t, led, focus="narrative")})
    data = {**_narrative_data(t, led.narrative), "saved": bool(led.narrative),
            "checks": live_checks(t, led, focus="narrative")}
    return page(request, "web/author_narrative.html", data, extra={"t": t})


@require_POST
@author_view
def narrative_import(request, t: Target):
    """A whole text pasted (or a .txt/.docx uploaded) with the six headings → title, preamble, sections."""
    from ...extract import extract
    from ...readers import read_bytes
    src = request.POST
    f = request.FILES.get("file")
    try:
        if f is not None:
            if f.size > MAX_IMPORT_BYTES:
                return error(request, 413, "too-large", "文件过大。", "file too large.")
            rep = extract(read_bytes(f.read(), os.path.basename(f.name)))
        else:
            text = str(src.get("text") or "").strip()
            if not text:
                return error(request, 400, "no-text", "没有粘贴正文，也没有选择文件。", "no text given.")
            rep = extract(read_bytes(text.encode("utf-8"), "正文.txt"))
    except NianbaoError as e:
        return error(request, 400, e.code, e.message, e.message_en)
    if not rep.sections:
        return error(request, 400, "no-sections", "没有找到“一、总体情况”……“六、其他需要报告的事项”等部分标题，无法拆分；"
                     "请检查标题后再导入，或逐部分粘贴。", "no section headings found.")
    narrative = {"title": rep.title or "", "preamble": rep.preamble or ""}
    for s in rep.sections:
        narrative[str(s.number)] = s.text
    with transaction.atomic():
        led = _locked_ledger(t)
        led.narrative = {**{k: "" for k in "123456"}, **narrative}
        led.updated_by = request.user
        led.save()
    found = "、".join(t.fmt.sections[s.number - 1].title.split("、")[0] for s in rep.sections)
    return _back(request, t, "narrative", "", f"已导入正文：找到第{found}部分。请核对后保存。",
                 {"narrative": led.narrative})


# ----------------------------------------------------------------------------------------- check and report
@require_http_methods(["GET", "POST"])
@author_view
def check_page(request, t: Target):
    """GET: the stored report checked. POST (the narrative page's live check): a draft narrative checked,
    nothing saved."""
    led = t.ledger()
    draft = None
    if request.method == "POST":
        src = json_body(request) if request.content_type == "application/json" else request.POST
        draft = _narrative_from(src)
    checks = live_checks(t, led, draft, focus="narrative" if draft is not None else None)
    data = {**t.info(), **checks, "draft": draft is not None,
            "urls": {"docx": t.url("report.docx"), "html": t.url("report.html")}}
    return page(request, "web/author_check.html", data, extra={"t": t})


@require_GET
@author_view
def report_docx(request, t: Target):
    from ...render.docx import to_docx_bytes
    report = compose_for(t, t.ledger())
    resp = HttpResponse(to_docx_bytes(report),
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    title = report.get("title") or f"{t.unit.name}{t.year}年政府信息公开工作年度报告"
    return _attachment(resp, f"{title}.docx", f"report-{t.year}.docx")


@require_GET
@author_view
def report_html(request, t: Target):
    from ...render.html import to_html
    report = compose_for(t, t.ledger())
    if wants_json(request):
        return as_json(report)
    return HttpResponse(to_html(report), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("author/", home, name="author"),
    path("author/<int:year>/", year_home, name="author-year"),
    path("author/<int:year>/ledger", ledger_page, name="author-ledger"),
    path("author/<int:year>/ledger/add", ledger_add, name="author-ledger-add"),
    path("author/<int:year>/ledger/<int:n>", ledger_edit, name="author-ledger-edit"),
    path("author/<int:year>/ledger/<int:n>/delete", ledger_delete, name="author-ledger-delete"),
    path("author/<int:year>/ledger/carry", ledger_carry, name="author-ledger-carry"),
    path("author/<int:year>/ledger/upload", ledger_upload, name="author-ledger-upload"),
    path("author/<int:year>/ledger/import", ledger_import, name="author-ledger-import"),
    path("author/<int:year>/ledger.xlsx", ledger_xlsx, name="author-ledger-xlsx"),
    path("author/<int:year>/deadlines", deadlines_page, name="author-deadlines"),
    path("author/<int:year>/tables", tables_page, name="author-tables"),
    path("author/<int:year>/tables/t2", t2_save, name="author-t2"),
    path("author/<int:year>/cases/add", case_add, name="author-case-add"),
    path("author/<int:year>/cases/<int:n>/delete", case_delete, name="author-case-delete"),
    path("author/<int:year>/narrative", narrative_page, name="author-narrative"),
    path("author/<int:year>/narrative/import", narrative_import, name="author-narrative-import"),
    path("author/<int:year>/check", check_page, name="author-check"),
    path("author/<int:year>/report.docx", report_docx, name="author-docx"),
    path("author/<int:year>/report.html", report_html, name="author-html"),
]
