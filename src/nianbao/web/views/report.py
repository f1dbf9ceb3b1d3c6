"""The reviewers' main screen: the report list and the report page.

    /reports/                         reports in scope, newest year first; ?year= ?unit= ?q= ?status=errors
    /reports/<id>/                    findings first, the extracted tables, the source beside them
    /reports/<id>/findings/decide     POST key, status (confirmed|dismissed|reopen), reason
    /reports/<id>/correct             POST cell "t|r|c", value, reason → a new version, checks run again
    /reports/<id>/versions/           version history with every correction
    /reports/<id>/source              the original file
    /reports/<id>/pages/<n>.png       a PDF page as an image (for the source view)

Every page has its JSON twin (`?format=json`); every error has the one error shape.
"""
from __future__ import annotations

import os
from html import escape

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from ... import formats as FMT
from ...document import Where
from ...render.layout import HEADER, ITEM, LABEL, NOTE, VALUE, format_value, report_layouts
from .. import ingest, scope, source
from .. import review as review_mod
from ..models import Correction, Decision, Filing, Finding, Report
from ..responses import as_json, error, json_body, page, wants_json

PER_PAGE = 50
TABLE_NO = {"t2": "表二", "t3": "表三", "t4": "表四"}
KIND_LABEL = {"text": "文本", "html": "网页", "docx": "Word", "pdf": "PDF"}
SEV_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
STATUS_LABEL = {"read": "已读取", "blank": "空白（原表未填）", "not_applicable": "不适用（原表填“/”等）",
                "missing": "缺失（原表中未找到）", "inferred": "推定（由勾稽关系推算）"}
DECISION_LABEL = {Decision.CONFIRMED: "已确认", Decision.DISMISSED: "已驳回"}


# ----------------------------------------------------------------------------------------- labels
def _spec(fmt: str | None, table: str | None):
    try:
        return FMT.get(str(fmt)).table(table) if fmt and table else None
    except KeyError:
        return None


def table_name(fmt: str | None, table: str | None) -> str:
    if not table:
        return "正文与结构"
    spec = _spec(fmt, table)
    return f"{TABLE_NO.get(table, table)} {spec.title}" if spec else TABLE_NO.get(table, table)


def row_label(fmt, table, row) -> str:
    spec = _spec(fmt, table)
    if spec is None or not row:
        return row or ""
    try:
        return spec.row(row).label
    except KeyError:
        return row


def col_label(fmt, table, row, col) -> str:
    spec = _spec(fmt, table)
    if spec is None or not col:
        return col or ""
    try:
        return spec.column(row or spec.cell_rows()[0].key, col).label
    except KeyError:
        return col


def cell_label(fmt, table, row, col) -> str:
    """表三 · （二）部分公开… · 自然人"""
    parts = [TABLE_NO.get(table, table or ""), row_label(fmt, table, row), col_label(fmt, table, row, col)]
    return " · ".join(p for p in parts if p)


def cell_key(t, r, c) -> str:
    return f"{t}|{r}|{c}"


def cell_anchor(t, r, c) -> str:
    return f"cell-{t}-{r}-{c}"


def format_label(fmt: str | None) -> str:
    return f"{fmt} 版" if fmt else "未识别"


def finding_cells(f: Finding, fmt: str | None) -> list[tuple[str, str, str]]:
    """Every cell the finding involves: the library's list, else its own cell, else its row."""
    cells = [tuple(c) for c in (f.data or {}).get("cells") or [] if len(c) == 3]
    if cells:
        return cells
    if f.table and f.row and f.col:
        return [(f.table, f.row, f.col)]
    spec = _spec(fmt, f.table)
    if spec is not None and f.row:
        try:
            return [(f.table, f.row, c.key) for c in spec.columns_of(f.row)]
        except KeyError:
            return []
    return []


_who = scope.display_name


def _when(t) -> str:
    return f"{timezone.localtime(t):%Y-%m-%d %H:%M}" if t else ""


def decision_dict(d: Decision | None) -> dict | None:
    if d is None:
        return None
    return {"status": d.status, "label": DECISION_LABEL.get(d.status, d.status), "reason": d.reason,
            "user": _who(d.user), "time": _when(d.created), "created": d.created}


def _short_label(fmt, f: Finding, c) -> str:
    """A cell's label without what the finding already says (its table, its row)."""
    t, r, col = c
    if t == f.table and r == f.row:
        return col_label(fmt, t, r, col)
    if t == f.table:
        return f"{row_label(fmt, t, r)} · {col_label(fmt, t, r, col)}"
    return cell_label(fmt, t, r, col)


def finding_dict(f: Finding, fmt: str | None, decisions: dict) -> dict:
    data = f.data or {}
    cells = finding_cells(f, fmt)
    where = data.get("where") or {}
    try:
        where_text = Where(**{**where, "bbox": tuple(where["bbox"])} if "bbox" in where else where).describe()
    except TypeError:
        where_text = ""
    return {
        "id": f.id, "key": f.key, "code": f.code, "name": data.get("name") or "", "severity": f.severity,
        "severity_label": SEV_LABEL.get(f.severity, f.severity), "message": f.message,
        "hint": data.get("hint") or "", "table": f.table or None, "row": f.row or None, "col": f.col or None,
        "table_label": table_name(fmt, f.table), "row_label": row_label(fmt, f.table, f.row) or None,
        "col_label": col_label(fmt, f.table, f.row, f.col) or None,
        "where": where, "where_text": where_text,
        "cells": [list(c) for c in cells],
        "cell_links": [{"anchor": cell_anchor(*c), "key": cell_key(*c), "label": _short_label(fmt, f, c)}
                       for c in cells],
        "data_cells": " ".join(cell_key(*c) for c in cells),
        "values": data.get("values") or {},
        "decision": decision_dict(decisions.get(f.key)),
    }


def _order_findings(items: list[dict]) -> dict:
    live = [f for f in items if not (f["decision"] and f["decision"]["status"] == Decision.DISMISSED)]
    dismissed = [f for f in items if f not in live]
    key = lambda f: SEV_ORDER.get(f["severity"], 9)    # noqa: E731  (stable: keeps the library's order)
    live.sort(key=key)
    dismissed.sort(key=key)
    return {"errors": [f for f in live if f["severity"] == "error"],
            "warnings": [f for f in live if f["severity"] == "warning"],
            "infos": [f for f in live if f["severity"] not in ("error", "warning")],
            "dismissed": dismissed}


# ----------------------------------------------------------------------------------------- report dicts
def report_dict(r: Report, version_number: int | None = None) -> dict:
    return {
        "id": r.id, "url": f"/reports/{r.id}/", "unit": {"id": r.unit_id, "name": r.unit.name},
        "year": r.year, "org": r.org, "title": r.title or f"{r.org or r.unit.name}{r.year or ''}年政府信息公开工作年度报告",
        "format": r.format or None, "format_label": format_label(r.format), "kind": r.kind,
        "kind_label": KIND_LABEL.get(r.kind, r.kind), "source_name": r.source_name,
        "counts": {"error": r.errors, "warning": r.warnings, "info": r.infos},
        "uploaded_by": scope.display_name(r.uploaded_by) if r.uploaded_by else None, "created": r.created,
        "version": version_number,
    }


# ----------------------------------------------------------------------------------------- the review cycle
def review_actions(user, report: Report) -> dict:
    """What the user may do on the report page."""
    live = report.withdrawn is None
    rv = scope.can_review(user, report) if live else False
    return {"review": rv, "submit": live and scope.can_submit(user, report),
            "comment": live and report.year is not None and scope.can_comment(user, report), "withdraw": rv,
            "recheck": live and (rv or scope.can_submit(user, report))}


def cycle_dict(report: Report) -> dict:
    """The (unit, year) review state as seen from this report: `current` when it is the report submitted."""
    f = Filing.objects.filter(unit=report.unit, year=report.year).first() if report.year else None
    d = review_mod.state_dict(f)
    d["current"] = f is not None and f.report_id == report.pk
    d["submitted_url"] = f"/reports/{f.report_id}/" if f is not None and f.report_id else None
    d["history_url"] = f"/reports/{report.pk}/history/"
    return d


def comment_dict(e) -> dict:
    return {"id": e.id, "user": review_mod.who(e.user), "time": _when(e.created), "text": e.text,
            "role": scope.role(e.user) if e.user else None, "report": e.report_id}


# ----------------------------------------------------------------------------------------- the list
def _bad(request, what: str, what_en: str):
    return error(request, 400, "bad-filter", f"筛选条件不正确：{what}", f"bad filter: {what_en}")


@require_GET
@scope.require_role(*scope.ANY)
def report_list(request):
    user = request.user
    qs = scope.reports(user).select_related("unit", "uploaded_by__profile").annotate(n_versions=Max("versions__number"))
    filters = {"year": None, "unit": None, "q": "", "status": ""}
    year = request.GET.get("year", "").strip()
    if year:
        if not year.isdigit():
            return _bad(request, f"年度“{year}”不是数字。", "year is not a number")
        filters["year"] = int(year)
        qs = qs.filter(year=int(year))
    unit_id = request.GET.get("unit", "").strip()
    if unit_id:
        if not unit_id.isdigit():
            return _bad(request, "单位编号不是数字。", "unit is not a number")
        unit = scope.units(user).filter(pk=int(unit_id)).first()
        if unit is None:
            return error(request, 404, "not-found", scope.NOT_FOUND, "unit not found or outside your scope.")
        filters["unit"] = unit.pk
        qs = qs.filter(unit__path__startswith=unit.path)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        filters["q"] = q
        paths = list(scope.units(user).filter(name__contains=q).values_list("path", flat=True)[:500])
        cond = Q(pk__in=[])
        for p in paths:
            cond |= Q(unit__path__startswith=p)
        qs = qs.filter(cond)
    if request.GET.get("status") == "errors":
        filters["status"] = "errors"
        qs = qs.filter(errors__gt=0)
    qs = qs.order_by(F("year").desc(nulls_last=True), "unit__path", "-created")
    pages = Paginator(qs, PER_PAGE)
    p = pages.get_page(request.GET.get("page"))
    reports = [report_dict(r, r.n_versions) for r in p.object_list]
    years = sorted({y for y in scope.reports(user).values_list("year", flat=True).distinct() if y}, reverse=True)
    units = scope.units(user).order_by("path")[:2000]
    base = request.GET.copy()
    base.pop("page", None)
    base.pop("format", None)
    data = {"reports": reports, "count": pages.count, "page": p.number, "pages": pages.num_pages,
            "per_page": PER_PAGE, "filters": filters, "years": years}
    return page(request, "web/report_list.html", data, extra={
        "units": [{"id": u.id, "label": "\u3000" * u.depth + u.name} for u in units],
        "page_obj": p, "query": base.urlencode()})


# ----------------------------------------------------------------------------------------- the report page
def _cell_title(info: dict | None, corr: Correction | None) -> str:
    parts = []
    if info is None:
        parts.append("缺失（原表中未找到）")
    else:
        st = info.get("status")
        parts.append(STATUS_LABEL.get(st, st or ""))
        w = info.get("where") or {}
        if w and st != "missing":
            try:
                text = Where(**{**w, "bbox": tuple(w["bbox"])} if "bbox" in w else w).describe()
            except TypeError:
                text = ""
            if text:
                parts.append(f"原文位置：{text}")
        if info.get("note"):
            parts.append(info["note"])
    if corr is not None:
        parts.append(f"已人工更正：{corr.before if corr.before is not None else '空'} → "
                     f"{corr.after if corr.after is not None else '空'}（{_who(corr.user)}，{_when(corr.created)}）"
                     f"理由：{corr.reason}")
    return "；".join(p for p in parts if p)


def _display(cell, info: dict | None) -> str:
    st = (info or {}).get("status", "missing")
    if st in ("read", "inferred"):
        return cell.text
    if st == "not_applicable":
        return (info.get("raw") or "/").strip() or "/"
    if st == "missing":
        return "？"
    return ""


def tables_html(data: dict, corrections: dict, marks: dict, review: bool) -> str:
    """表二/表三/表四 in the official layout; every value cell has data-cell, id and its status."""
    fmt = data.get("format")
    if not fmt:
        return '<p class="muted">未识别报告格式（2019 版或 2021 版），无法按官方格式列出表格。</p>'
    cells = {(c["table"], c["row"], c["col"]): c for c in data.get("cells") or []}
    try:
        layouts = report_layouts(data)
    except (KeyError, ValueError):
        return '<p class="muted">无法按官方格式列出表格。</p>'
    shown = {lay.key for group in layouts.values() for lay in group}
    out = []
    for spec in FMT.get(fmt).tables:
        caption = escape(table_name(fmt, spec.key))
        if spec.key not in shown:
            out.append(f'<section class="rp-table" id="table-{spec.key}"><h3>{caption}</h3>'
                       f'<p class="rp-missing-table">报告中没有找到此表。</p></section>')
            continue
        lay = next(lay for group in layouts.values() for lay in group if lay.key == spec.key)
        rows = []
        for row in lay.rows:
            tds = []
            for cell in row:
                attrs = ""
                if cell.rowspan > 1:
                    attrs += f' rowspan="{cell.rowspan}"'
                if cell.colspan > 1:
                    attrs += f' colspan="{cell.colspan}"'
                if cell.kind != VALUE:
                    cls = {HEADER: "hd", ITEM: "item", NOTE: "note", LABEL: "lbl"}.get(cell.kind, "lbl")
                    tds.append(f'<td class="{cls}"{attrs}>{escape(cell.text)}</td>')
                    continue
                t, r, c = cell.ref
                info = cells.get((t, r, c))
                corr = corrections.get((t, r, c))
                status = (info or {}).get("status", "missing")
                cls = ["v", f"st-{status}"]
                if corr is not None:
                    cls.append("corrected")
                if (t, r, c) in marks:
                    cls.append(f"has-{marks[(t, r, c)]}")
                label = cell_label(fmt, t, r, c)
                value = format_value(cell.column, (info or {}).get("value")) if info else ""
                attrs += (f' class="{" ".join(cls)}" id="{cell_anchor(t, r, c)}" data-cell="{cell_key(t, r, c)}"'
                          f' data-label="{escape(label, quote=True)}" data-value="{escape(value, quote=True)}"'
                          f' title="{escape(label + "：" + _cell_title(info, corr), quote=True)}"')
                if review:
                    attrs += ' tabindex="0"'
                text = escape(_display(cell, info))
                if corr is not None:
                    text += '<sup class="mark" aria-label="已更正">改</sup>'
                tds.append(f"<td{attrs}>{text}</td>")
            rows.append(f"<tr>{''.join(tds)}</tr>")
        out.append(f'<section class="rp-table" id="table-{spec.key}"><h3>{caption}</h3>'
                   f'<div class="rp-scroll"><table class="official {spec.key}">{"".join(rows)}</table></div></section>')
    return "".join(out)


def _cell_choices(data: dict) -> list[dict]:
    fmt = data.get("format")
    if not fmt:
        return []
    cells = {(c["table"], c["row"], c["col"]): c for c in data.get("cells") or []}
    groups = []
    for spec in FMT.get(fmt).tables:
        opts = []
        for r, c in spec.cells():
            info = cells.get((spec.key, r.key, c.key)) or {}
            v = info.get("value")
            opts.append({"value": cell_key(spec.key, r.key, c.key),
                         "label": f"{r.label} · {c.label}（当前：{format_value(c, v) if v is not None else '空'}）"})
        groups.append({"label": table_name(fmt, spec.key), "options": opts})
    return groups


def _versions(report: Report) -> list[dict]:
    counts: dict[int, dict] = {}
    for vid, sev, n in (Finding.objects.filter(version__report=report).values_list("version_id", "severity")
                        .annotate(n=Count("id"))):
        counts.setdefault(vid, {"error": 0, "warning": 0, "info": 0})[sev] = n
    by_version: dict[int, list] = {}
    fmt = report.format
    for c in Correction.objects.filter(version__report=report).select_related("user__profile").order_by("id"):
        by_version.setdefault(c.version_id, []).append({
            "table": c.table, "row": c.row, "col": c.col, "cell": cell_key(c.table, c.row, c.col),
            "label": cell_label(fmt, c.table, c.row, c.col), "before": c.before, "after": c.after,
            "reason": c.reason, "user": _who(c.user), "created": c.created, "time": _when(c.created)})
    out = []
    for v in report.versions.select_related("created_by__profile").order_by("-number"):
        out.append({"number": v.number, "created": v.created, "time": _when(v.created),
                    "created_by": _who(v.created_by) if v.created_by else None, "note": v.note,
                    "counts": counts.get(v.id, {"error": 0, "warning": 0, "info": 0}),
                    "corrections": by_version.get(v.id, [])})
    return out


@require_GET
@scope.require_role(*scope.ANY)
def report_detail(request, pk: int):
    user = request.user
    report = scope.report_or_404(user, pk, withdrawn=True)
    version = report.current
    if version is None:
        return error(request, 404, "not-found", "该报告没有可显示的版本。", "the report has no version.")
    data = version.data or {}
    fmt = data.get("format") or report.format or None
    can = review_actions(user, report)
    review = can["review"]
    decisions = {d.key: d for d in report.decisions.select_related("user", "user__profile")}
    findings = [finding_dict(f, fmt, decisions) for f in version.findings.all()]
    cycle = cycle_dict(report)
    fix_keys = {x["key"] for x in cycle["to_fix"]} if cycle["current"] else set()
    threads = review_mod.threads(report.unit, report.year)
    for f in findings:
        f["to_fix"] = f["key"] in fix_keys
        f["comments"] = [comment_dict(e) for e in threads.get(f["key"], [])]
    groups = _order_findings(findings)
    corrections: dict = {}
    for c in (Correction.objects.filter(version__report=report, version__number__lte=version.number)
              .select_related("user__profile").order_by("version__number", "id")):
        corrections[(c.table, c.row, c.col)] = c
    marks: dict = {}
    for f in groups["warnings"] + groups["errors"]:          # errors win
        for c in f["cells"]:
            marks[tuple(c)] = f["severity"]
    prev = None
    if report.year:
        p = (scope.reports(user).filter(unit=report.unit, year=report.year - 1).exclude(pk=report.pk)
             .order_by("-created").first())
        if p is not None:
            prev = {"id": p.id, "url": f"/reports/{p.id}/", "year": p.year}
    versions = _versions(report)
    meta = report_dict(report, version.number)
    meta["counts"]["dismissed"] = len(groups["dismissed"])
    meta["withdrawn"] = report.withdrawn
    present = {f["key"] for f in findings}
    for x in cycle["to_fix"]:
        x["fixed"] = x["key"] not in present
    pending = report.rechecks.filter(status__in=["queued", "processing"]).order_by("-id").first()
    payload = {
        "report": meta,
        "rechecking": ({"status": pending.status, "url": f"/rechecks/{pending.batch}/"} if pending is not None
                       and (scope.is_admin(user) or pending.user_id == user.pk) else
                       {"status": pending.status, "url": None} if pending is not None else None),
        "previous": prev,
        "can_review": review,
        "can": can,
        "review": cycle,
        "history": review_mod.history(report.unit, report.year, report),
        "version": {"number": version.number, "created": version.created,
                    "created_by": _who(version.created_by) if version.created_by else None,
                    "note": version.note, "data": data},
        "findings": groups["errors"] + groups["warnings"] + groups["infos"] + groups["dismissed"],
        "versions": [{k: v for k, v in x.items() if k != "corrections"} | {"corrections": len(x["corrections"])}
                     for x in versions],
    }
    if wants_json(request):
        return as_json(payload)
    first = version if version.number == 1 else report.versions.order_by("number").first()
    src = source.build(report, first.data or {})      # positions and printed text as read from the file
    return page(request, "web/report.html", payload, extra={
        "groups": groups,
        "tables_html": mark_safe(tables_html(data, corrections, marks, review)),
        "src": src,
        "cell_choices": _cell_choices(data) if review else [],
        "ancestors": report.unit.ancestors(),
        "created_text": _when(report.created),
    })


# ----------------------------------------------------------------------------------------- decisions and corrections
def _params(request) -> dict:
    if request.content_type == "application/json":
        return json_body(request)
    return {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}


def _reviewable(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    if not scope.can_review(request.user, report):
        return report, error(request, 403, "forbidden", "只有审核人和管理员可以处理问题或更正数值；编制人只能查看。",
                             "only reviewers and administrators may decide findings or correct values.")
    return report, None


@require_POST
@scope.require_role(*scope.ANY)
def decide(request, pk: int):
    report, refused = _reviewable(request, pk)
    if refused:
        return refused
    p = _params(request)
    key = str(p.get("key") or "").strip()
    status = str(p.get("status") or "").strip()
    reason = str(p.get("reason") or "").strip()
    if status not in (Decision.CONFIRMED, Decision.DISMISSED, "reopen"):
        return error(request, 400, "bad-status", "请选择“确认问题”“驳回（不是问题）”或“撤销决定”。",
                     "status must be confirmed, dismissed or reopen.")
    version = report.current
    finding = version.findings.filter(key=key).first() if key else None
    if finding is None and not (status == "reopen" and report.decisions.filter(key=key).exists()):
        return error(request, 400, "unknown-finding", "该问题不在此报告的当前版本中（可能已在更正后消失）；请刷新页面。",
                     "no such finding in the report's current version.")
    if status != "reopen" and not reason:
        return error(request, 400, "reason-required", "请填写理由：确认或驳回一个问题都需要说明理由。",
                     "a reason is required.")
    try:
        decision = review_mod.decide(request.user, report, key, status, reason)
    except review_mod.ReviewRefused as e:
        return error(request, 400, e.code, e.message, e.message_en)
    note = (f"{DECISION_LABEL[status]}：{finding.code if finding else key}" if decision is not None
            else "已撤销决定，该问题重新列为待处理（撤销记入历史）。")
    report.refresh_from_db()
    if wants_json(request):
        return as_json({"key": key, "decision": decision_dict(decision),
                        "counts": {"error": report.errors, "warning": report.warnings, "info": report.infos}})
    messages.success(request, note)
    anchor = f"#finding-{finding.id}" if finding else ""
    return redirect(f"/reports/{report.pk}/{anchor}")


@require_POST
@scope.require_role(*scope.ANY)
def correct(request, pk: int):
    report, refused = _reviewable(request, pk)
    if refused:
        return refused
    p = _params(request)
    cells = p.get("cell") or []
    values = p.get("value") if "value" in p else None
    cells = cells if isinstance(cells, list) else [cells]
    values = values if isinstance(values, list) else [values]
    reason = str(p.get("reason") or "").strip()
    if not cells or len(cells) != len(values) or any(v is None for v in values):
        return error(request, 400, "bad-request", "请选择要更正的单元格并填写新的数值。",
                     "give a cell and its new value.")
    changes = []
    for cell, value in zip(cells, values):
        parts = str(cell).split("|")
        if len(parts) != 3 or not all(parts):
            return error(request, 400, "bad-cell", f"单元格“{cell}”的写法不正确（应为 表|行|列）。",
                         f"bad cell '{cell}' (expected table|row|col).")
        changes.append((*parts, "" if value is None else str(value)))
    if not reason:
        return error(request, 400, "reason-required", "请填写更正理由（例如：核对原件，原表第几行应为多少）。",
                     "a reason is required.")
    try:
        version = review_mod.correct(request.user, report, changes, reason)
    except ingest.UploadRefused as e:
        return error(request, 400, e.code, e.message, e.message_en)
    report.refresh_from_db()
    if wants_json(request):
        return as_json({"version": version.number, "url": f"/reports/{report.pk}/",
                        "counts": {"error": report.errors, "warning": report.warnings, "info": report.infos},
                        "corrections": [{"cell": cell_key(c.table, c.row, c.col), "before": c.before,
                                         "after": c.after} for c in version.corrections.all()]}, 201)
    t, r, c = changes[0][:3]
    messages.success(request, f"已更正 {cell_label(report.format, t, r, c)}，生成第 {version.number} 版并重新核对。")
    return redirect(f"/reports/{report.pk}/#{cell_anchor(t, r, c)}")


# ----------------------------------------------------------------------------------------- history and files
@require_GET
@scope.require_role(*scope.ANY)
def versions(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    data = {"report": report_dict(report, report.current.number if report.current else None),
            "versions": _versions(report)}
    return page(request, "web/report_versions.html", data)


def _download_name(report: Report) -> str:
    name = report.source_name.replace("\\", "/").split("!/")[-1]
    return os.path.basename(name) or f"report-{report.pk}"


@require_GET
@scope.require_role(*scope.ANY)
def download(request, pk: int):
    report = scope.report_or_404(request.user, pk)
    try:
        fh = report.source.open("rb")
    except (OSError, ValueError):
        return error(request, 404, "file-missing", "原文件已不在服务器上，请联系管理员。", "the stored file is missing.")
    return FileResponse(fh, as_attachment=True, filename=_download_name(report))


@require_GET
@scope.require_role(*scope.ANY)
def page_image(request, pk: int, n: int):
    report = scope.report_or_404(request.user, pk)
    if report.kind != "pdf":
        return error(request, 404, "not-pdf", "只有 PDF 报告有页面图像。", "only PDF reports have page images.")
    try:
        png = source.page_png(report, n)
    except IndexError:
        return error(request, 404, "no-page", f"该报告没有第 {n} 页。", f"the report has no page {n}.")
    except OSError:
        return error(request, 404, "file-missing", "原文件已不在服务器上，请联系管理员。", "the stored file is missing.")
    response = FileResponse(open(png, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


urlpatterns = [
    path("reports/", report_list, name="reports"),
    path("reports/<int:pk>/", report_detail, name="report"),
    path("reports/<int:pk>/findings/decide", decide, name="report-decide"),
    path("reports/<int:pk>/correct", correct, name="report-correct"),
    path("reports/<int:pk>/versions/", versions, name="report-versions"),
    path("reports/<int:pk>/source", download, name="report-source"),
    path("reports/<int:pk>/pages/<int:n>.png", page_image, name="report-page"),
]
