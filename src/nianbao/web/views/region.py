"""Region dashboards for reviewers and administrators: who has submitted, open errors and warnings per
unit, search, charts of key figures, and the review workbook.

    GET /regions/                          the top-level units (administrators) or the reviewer's region
    GET /regions/search?q=                 units whose name matches, across the user's scope, with ancestors
    GET /regions/<id>/?year=&q=&sort=      the dashboard of a unit's subtree for a year
    GET /regions/<id>/charts/<name>.svg    requests | disclosure | trend, also .png (?year=)
    GET /regions/<id>/workbook.xlsx?year=  问题清单, 报告汇总, 提交情况, 审核记录

A unit "has submitted" a year when a report of that year is stored for it; where a unit has several
reports for one year (a corrected file uploaded again), the latest upload counts. Counts are the
current version's open findings (dismissed ones are not counted), as kept on `Report`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
from types import SimpleNamespace
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.urls import path, re_path
from django.views.decorators.http import require_GET

from .. import progress, scope
from ..models import Decision, Finding, Profile, Report, Unit, Version
from ..responses import error, page
from ..units import tree_rows

log = logging.getLogger("nianbao.web")
YEARS_SHOWN = 5
SORTS = {"errors": "错误数", "warnings": "警告数", "name": "单位名称"}


class BadRequest(Exception):
    pass


# ----------------------------------------------------------------------------------------- data
def _year(request, default: int) -> int:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise BadRequest(f"年度“{raw[:20]}”无效，应为四位数字，如 2021。")
    return int(raw)


def default_year(user, root: Unit | None) -> int:
    """The latest year with reports in the subtree (or the whole scope), else last year."""
    qs = scope.reports(user).filter(year__isnull=False)
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    latest = qs.aggregate(y=Max("year"))["y"]
    return latest or dt.date.today().year - 1


def region_reports(user, root: Unit, years) -> dict[tuple[int, int], dict]:
    """{(unit id, year): the latest report of that unit and year} in the subtree, within the user's scope."""
    qs = (scope.reports(user).filter(unit__path__startswith=root.path, year__in=list(years))
          .order_by("unit_id", "year", "created", "id")
          .values("id", "unit_id", "year", "errors", "warnings", "infos", "created"))
    out: dict[tuple[int, int], dict] = {}
    for r in qs:
        key = (r["unit_id"], r["year"])
        n = out[key]["reports"] + 1 if key in out else 1
        out[key] = {**r, "reports": n, "url": f"/reports/{r['id']}/"}
    return out


def _matches(u: Unit, q: str) -> bool:
    q = q.casefold()
    return q in u.name.casefold() or q in (u.key or "").casefold()


def dashboard_data(user, root: Unit, year: int, q: str = "", sort: str = "", today: dt.date | None = None) -> dict:
    units = tree_rows(root.subtree())
    st = progress.states(units, year)
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    reps = region_reports(user, root, years)
    shown = units
    matched: set[int] = set()
    if q:
        by_id = {u.pk: u for u in units}
        keep: set[int] = set()
        for u in units:
            if _matches(u, q):
                matched.add(u.pk)
                cur = u
                while cur is not None and cur.pk not in keep:
                    keep.add(cur.pk)
                    cur = by_id.get(cur.parent_id)
        shown = [u for u in units if u.pk in keep]
    base = root.depth

    def cell(u: Unit, y: int):
        r = reps.get((u.pk, y))
        if r is None:
            return None
        return {"report": r["id"], "url": r["url"], "errors": r["errors"], "warnings": r["warnings"],
                "infos": r["infos"], "reports": r["reports"]}

    matrix = [{"id": u.pk, "name": u.name, "level": u.level, "depth": u.depth - base, "url": f"/regions/{u.pk}/",
               "match": u.pk in matched, "years": {str(y): cell(u, y) for y in years}, "review": st[u.pk]}
              for u in shown]
    submitted = [u for u in units if (u.pk, year) in reps]
    missing = [u for u in units if (u.pk, year) not in reps]
    per_unit = [{"id": u.pk, "name": u.name, "level": u.level, "depth": u.depth - base, **cell(u, year),
                 "conclusion": "不通过" if reps[(u.pk, year)]["errors"] else "通过", "review": st[u.pk]}
                for u in submitted]
    if sort == "errors":
        per_unit.sort(key=lambda r: (-r["errors"], -r["warnings"]))
    elif sort == "warnings":
        per_unit.sort(key=lambda r: (-r["warnings"], -r["errors"]))
    elif sort == "name":
        per_unit.sort(key=lambda r: r["name"])
    counts = {"units": len(units), "submitted": len(submitted), "missing": len(missing),
              "errors": sum(r["errors"] for r in per_unit), "warnings": sum(r["warnings"] for r in per_unit),
              "infos": sum(r["infos"] for r in per_unit),
              "passed": sum(1 for r in per_unit if not r["errors"]),
              "failed": sum(1 for r in per_unit if r["errors"])}
    qs = {"year": year}
    return {
        "unit": {"id": root.pk, "name": root.name, "level": root.level, "url": f"/regions/{root.pk}/"},
        "year": year, "years": years, "q": q, "sort": sort if sort in SORTS else "",
        "counts": counts,
        "summary": f"本年度已提交 {counts['submitted']} / {counts['units']} 个单位",
        "missing": [{"id": u.pk, "name": u.name, "level": u.level} for u in missing],
        "matrix": matrix, "matched": len(matched),
        "review": {"counts": progress.state_counts(st), "labels": {**progress.STATE_LABEL, "none": "未提交"}},
        "deadline": progress.deadlines(units, year, st, today or dt.date.today()),
        "problems": progress.problem_matrix(units, reps, year),
        "bulk": f"/regions/{root.pk}/bulk",
        "per_unit": per_unit,
        "charts": {name: {"svg": f"/regions/{root.pk}/charts/{name}.svg?{urlencode(qs)}",
                          "png": f"/regions/{root.pk}/charts/{name}.png?{urlencode(qs)}"}
                   for name in ("requests", "disclosure", "trend")},
        "workbook": f"/regions/{root.pk}/workbook.xlsx?{urlencode(qs)}",
    }


def _ancestors_in_scope(user, u: Unit) -> list[Unit]:
    allowed = set(scope.units(user).filter(pk__in=[a.pk for a in u.ancestors()]).values_list("pk", flat=True))
    return [a for a in u.ancestors() if a.pk in allowed]


def _today(request) -> dt.date:
    """Today (local), or ?today=YYYY-MM-DD to see the deadline banner as of another day."""
    from django.utils import timezone
    try:
        return dt.date.fromisoformat(request.GET.get("today", ""))
    except ValueError:
        return timezone.localdate()


# ----------------------------------------------------------------------------------------- pages
def _bad(request, e: BadRequest):
    return error(request, 400, "bad-year", str(e), "invalid year.")


@require_GET
@scope.require_role(*scope.REVIEW)
def regions_home(request):
    user = request.user
    if scope.role(user) == Profile.ADMIN:
        tops = list(Unit.objects.filter(parent__isnull=True).order_by("id"))
    else:
        home = scope.home_unit(user)
        tops = [home] if home is not None else []
    try:
        year = _year(request, default_year(user, None))
    except BadRequest as e:
        return _bad(request, e)
    regions = []
    for u in tops:
        d = dashboard_data(user, u, year)
        regions.append({**d["unit"], "units": d["counts"]["units"], "submitted": d["counts"]["submitted"],
                        "missing": d["counts"]["missing"],
                        "errors": d["counts"]["errors"], "warnings": d["counts"]["warnings"],
                        "summary": d["summary"], "url": f"/regions/{u.pk}/?year={year}"})
    return page(request, "web/region_list.html", {"year": year, "regions": regions})


@require_GET
@scope.require_role(*scope.REVIEW)
def region_search(request):
    q = request.GET.get("q", "").strip()[:100]
    results = []
    if q:
        hits = list(scope.units(request.user).filter(Q(name__icontains=q) | Q(key__icontains=q)).order_by("path")[:200])
        wanted = {int(x) for u in hits for x in u.path.strip("/").split("/")[:-1]}
        visible = {a.pk: a for a in scope.units(request.user).filter(pk__in=wanted)}     # ancestors in scope only
        for u in hits:
            anc = [visible[int(x)] for x in u.path.strip("/").split("/")[:-1] if int(x) in visible]
            results.append({"id": u.pk, "name": u.name, "level": u.level, "depth": u.depth, "url": f"/regions/{u.pk}/",
                            "ancestors": [{"id": a.pk, "name": a.name, "url": f"/regions/{a.pk}/"} for a in anc],
                            "path": " › ".join([*(a.name for a in anc), u.name])})
    return page(request, "web/region_search.html", {"q": q, "count": len(results), "results": results})


@require_GET
@scope.require_role(*scope.ANY)
def dashboard(request, pk: int):
    root = scope.region_or_404(request.user, pk)
    try:
        year = _year(request, default_year(request.user, root))
    except BadRequest as e:
        return _bad(request, e)
    q = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "")
    data = dashboard_data(request.user, root, year, q, sort, _today(request))
    known_years = sorted(set(scope.reports(request.user).filter(unit__path__startswith=root.path, year__isnull=False)
                             .values_list("year", flat=True)) | {year}, reverse=True)

    def link(**kw):
        params = {"year": year, "q": q, "sort": sort, **kw}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    extra = {"ancestors": _ancestors_in_scope(request.user, root), "known_years": known_years,
             "sort_links": {k: link(sort=k) for k in SORTS}, "sort_labels": SORTS,
             "clear_q": link(q=""),
             "has_data": bool(data["per_unit"]) or any(any(r["years"].values()) for r in data["matrix"])}
    return page(request, "web/region.html", data, extra=extra)


# ----------------------------------------------------------------------------------------- charts
def chart_rows(user, root: Unit, year: int) -> list[tuple]:
    """(unit, year, received, granted, partial, processed, review correct, review total) per unit-year up to
    `year`, from the current version of the latest report — the rows `corpus.charts` draws."""
    from ...corpus.charts import CELLS
    latest_version = Version.objects.filter(report=OuterRef("pk")).order_by("-number").values("pk")[:1]
    reps = (scope.reports(user).filter(unit__path__startswith=root.path, year__isnull=False, year__lte=year)
            .annotate(vid=Subquery(latest_version)).order_by("unit_id", "year", "created", "id")
            .values("unit_id", "unit__name", "year", "vid"))
    latest: dict[tuple[int, int], dict] = {}
    for r in reps:
        latest[(r["unit_id"], r["year"])] = r
    fields = [f"data__tables__{t}__{r}__{c}" for t, r, c in CELLS]
    values = {v["pk"]: v for v in Version.objects.filter(pk__in=[r["vid"] for r in latest.values()])
              .values("pk", *fields)}
    out = []
    for (_, y), r in sorted(latest.items(), key=lambda kv: (kv[1]["unit__name"], kv[0][1])):
        v = values.get(r["vid"], {})
        out.append((r["unit__name"], y, *[_number(v.get(f)) for f in fields]))
    return out


def _number(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _cache(op, *args):
    """The chart cache is an optimisation: a missing cache table (createcachetable not run) only costs time."""
    try:
        return op(*args)
    except DatabaseError:
        log.warning("chart cache unavailable; run `nianbao manage createcachetable`")
        return None


@require_GET
@scope.require_role(*scope.ANY)
def chart(request, pk: int, name: str, fmt: str):
    from ...corpus.charts import CHARTS, draw
    from ...errors import NianbaoError
    root = scope.region_or_404(request.user, pk)
    if name not in CHARTS:
        return error(request, 404, "not-found", f"没有名为“{name}”的图表（可用：requests、disclosure、trend）。",
                     "no such chart.")
    try:
        year = _year(request, default_year(request.user, root))
    except BadRequest as e:
        return _bad(request, e)
    rows = chart_rows(request.user, root, year)
    digest = hashlib.sha256(json.dumps([name, fmt, year, rows], ensure_ascii=False).encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        key = f"nianbao:chart:{digest}"
        body = _cache(cache.get, key)
        if body is None:
            try:
                body = draw(name, rows, year, fmt)
            except NianbaoError as e:
                return error(request, 503, e.code, e.message, e.message_en)
            _cache(cache.set, key, body, 7 * 24 * 3600)
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8" if fmt == "svg" else "image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# ----------------------------------------------------------------------------------------- workbook
def workbook_bytes(user, root: Unit, year: int, base_url: str = "") -> bytes:
    """问题清单 (every finding of the subtree's reports for the year, open ones first, errors first; decided
    ones with their status and reason — a dismissed one is 已驳回 and not counted), 报告汇总 (one row per
    report), 提交情况 (units × the last five years)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ...checks.model import RULES
    from ...checks.output import _SEV_ZH, _TABLE_ZH, col_label, row_label

    units = tree_rows(root.subtree())
    base = root.depth
    order = {u.pk: i for i, u in enumerate(units)}
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    reps = region_reports(user, root, years)
    this = sorted((r for (uid, y), r in reps.items() if y == year), key=lambda r: order[r["unit_id"]])
    latest_version = Version.objects.filter(report=OuterRef("pk")).order_by("-number").values("pk")[:1]
    report_objs = {r.pk: r for r in Report.objects.filter(pk__in=[r["id"] for r in this]).select_related("unit")
                   .annotate(vid=Subquery(latest_version))}
    versions = {v.report_id: v for v in Version.objects.filter(pk__in=[r.vid for r in report_objs.values()])}
    findings: dict[int, list[Finding]] = {}
    for f in Finding.objects.filter(version__in=list(versions.values())).order_by("version_id", "order"):
        findings.setdefault(f.version_id, []).append(f)
    decisions = {(d.report_id, d.key): d for d in
                 Decision.objects.filter(report_id__in=list(report_objs)).select_related("user__profile")}
    status_zh = {Decision.CONFIRMED: "已确认", Decision.DISMISSED: "已驳回"}
    rank = {"error": 0, "warning": 1, "info": 2}
    rows, dismissed_count = [], {}
    for rid, v in versions.items():
        rep = report_objs[rid]
        fmt = SimpleNamespace(format=v.data.get("format"))
        raw = {(c.get("table"), c.get("row"), c.get("col")): c.get("raw") for c in v.data.get("cells") or []}
        for f in findings.get(v.pk, []):
            d = decisions.get((rid, f.key))
            values = (f.data or {}).get("values") or {}
            printed = raw.get((f.table, f.row, f.col)) if f.table and f.row and f.col else None
            expected = None
            if "lhs" in values and "rhs" in values:
                printed, expected = values["lhs"], values["rhs"]
            elif "expected" in values:
                expected = values["expected"]
            elif "printed" in values and "official" in values:      # a label printed instead of the official one
                printed, expected = values["printed"], values["official"]
            dismissed = d is not None and d.status == Decision.DISMISSED
            dismissed_count[rid] = dismissed_count.get(rid, 0) + int(dismissed)
            rows.append({
                "sort": (int(dismissed), rank.get(f.severity, 3), order[rep.unit_id], f.order),
                "severity": f.severity, "dismissed": dismissed,
                "cells": [rep.unit.name, rep.year, _SEV_ZH.get(f.severity, f.severity), f.code,
                          RULES[f.code].title if f.code in RULES else (f.data or {}).get("name"),
                          _TABLE_ZH.get(f.table, f.table) if f.table else "正文与结构",
                          row_label(fmt, f) or None, col_label(fmt, f) or None, _cell(printed), _cell(expected),
                          f.message, (f.data or {}).get("hint"),
                          status_zh[d.status] if d else "待审核", d.reason if d else None,
                          (scope.display_name(d.user) if d and d.user else None), f"{base_url}/reports/{rid}/"]})
    rows.sort(key=lambda r: r["sort"])

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["单位", "年度", "严重程度", "代码", "检查内容", "表", "行", "列", "填报值", "应为", "问题说明", "修改建议",
               "审核状态", "审核意见（驳回理由）", "审核人", "报告页面"])
    fills = {"error": PatternFill("solid", fgColor="F8CBAD"), "warning": PatternFill("solid", fgColor="FFE699"),
             "info": PatternFill("solid", fgColor="DDEBF7")}
    grey = Font(color="808080")
    for r in rows:
        ws.append(r["cells"])
        if r["dismissed"]:
            for c in ws[ws.max_row]:
                c.font = grey
        elif r["severity"] in fills:
            ws.cell(ws.max_row, 3).fill = fills[r["severity"]]
        ws.cell(ws.max_row, 11).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJKLMNOP", (24, 6, 8, 7, 30, 14, 26, 12, 9, 9, 60, 36, 9, 30, 10, 30)):
        ws.column_dimensions[col].width = width
    ws.auto_filter.ref = ws.dimensions

    ws2 = wb.create_sheet("报告汇总")
    ws2.append(["单位", "层级", "年度", "发布机关（报告所载）", "文件", "格式", "错误", "警告", "提示", "已驳回", "结论",
                "报告页面", "审核状态"])
    review_state = progress.states(units, year)
    for r in this:
        rep = report_objs[r["id"]]
        ws2.append([rep.unit.name, rep.unit.level, rep.year, rep.org, rep.source_name, rep.format, rep.errors,
                    rep.warnings, rep.infos, dismissed_count.get(rep.pk, 0), "不通过" if rep.errors else "通过",
                    f"{base_url}/reports/{rep.pk}/", review_state[rep.unit_id]["label"]])
        if rep.errors:
            ws2.cell(ws2.max_row, 11).fill = fills["error"]
    ws2.column_dimensions["D"].width = 30
    ws2.column_dimensions["E"].width = 30

    ws3 = wb.create_sheet("提交情况")
    ws3.append(["单位", "层级", *[f"{y}年" for y in years]])
    red = PatternFill("solid", fgColor="F8CBAD")
    for u in units:
        line = ["\u3000" * (u.depth - base) + u.name, u.level]
        for y in years:
            r = reps.get((u.pk, y))
            line.append(f"已提交（错误 {r['errors']}，警告 {r['warnings']}）" if r else "未提交")
        ws3.append(line)
        for k, y in enumerate(years):
            if (u.pk, y) not in reps:
                ws3.cell(ws3.max_row, 3 + k).fill = red
    for k in range(len(years)):
        ws3.column_dimensions[chr(ord("C") + k)].width = 22
    submitted = sum(1 for u in units if (u.pk, year) in reps)
    ws3.append([])
    ws3.append([f"{year}年度已提交 {submitted} / {len(units)} 个单位"])

    ws4 = history_sheet(wb, units, year, base_url)

    for sheet in (ws, ws2, ws3, ws4):
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if sheet is not ws:
            sheet.column_dimensions["A"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def history_sheet(wb, units: list[Unit], year: int, base_url: str):
    """审核记录: every step of the year's review of each unit (append-only history), unit by unit, oldest first."""
    from .. import review
    from ..models import Event
    ws = wb.create_sheet("审核记录")
    ws.append(["单位", "年度", "时间", "人员", "操作", "状态变化", "问题", "说明", "理由或留言", "报告页面"])
    order = {u.pk: i for i, u in enumerate(units)}
    events = sorted(Event.objects.filter(unit__in=list(order), year=year).select_related("unit", "user", "user__profile"),
                    key=lambda e: (order[e.unit_id], e.created, e.id))
    for e in events:
        d = review.event_dict(e)
        change = f"{d['state_from_label'] or '草稿'} → {d['state_to_label']}" if d["state_to_label"] else None
        ws.append([e.unit.name, e.year, d["time"], d["user"], d["label"], change, e.key or None, d["summary"],
                   e.text or None, f"{base_url}/reports/{e.report_id}/" if e.report_id else None])
    for col, width in zip("ABCDEFGHIJ", (30, 6, 19, 10, 10, 20, 22, 40, 50, 30)):
        ws.column_dimensions[col].width = width
    return ws


def _cell(v):
    if v is None or isinstance(v, (int, float, str)):
        return v
    return json.dumps(v, ensure_ascii=False)


@require_GET
@scope.require_role(*scope.ANY)
def workbook(request, pk: int):
    root = scope.region_or_404(request.user, pk)
    try:
        year = _year(request, default_year(request.user, root))
    except BadRequest as e:
        return _bad(request, e)
    body = workbook_bytes(request.user, root, year, request.build_absolute_uri("/").rstrip("/"))
    name = f"{root.name}{year}年度年报审查表.xlsx"
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (f"attachment; filename=\"review-{root.pk}-{year}.xlsx\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    return response


urlpatterns = [
    path("regions/", regions_home, name="regions"),
    path("regions/search", region_search, name="region-search"),
    path("regions/search/", region_search),
    path("regions/<int:pk>/", dashboard, name="region"),
    path("regions/<int:pk>/workbook.xlsx", workbook, name="region-workbook"),
    re_path(r"^regions/(?P<pk>\d+)/charts/(?P<name>[A-Za-z_-]+)\.(?P<fmt>svg|png)$", chart, name="region-chart"),
]
