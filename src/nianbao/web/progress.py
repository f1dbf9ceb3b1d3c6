"""Review progress of a region for a year: the state of each unit's report, the 第四十九条 deadlines, and
which problems each unit has (rule family × table). The region dashboard and its workbook read these.

第四十九条: a department of a government at county level or above publishes by 1月31日, the government's
own report by 3月31日 (checks.unit_level.deadline reads which one from the unit's name). For townships and
street offices the date is set locally; the banner reminds them with the departments' 1月31日 and says so.
"""
from __future__ import annotations

import datetime as dt

from ..checks.model import RULES
from ..checks.unit_level import GOVERNMENT, unit_level
from .models import Decision, Filing, Finding, Ledger, Report, Unit
from .review import STATE_LABEL

FAMILY_ZH = {"arithmetic": "勾稽关系", "completeness": "完整性", "structure": "结构", "text_vs_table": "正文与表格",
             "cross_year": "跨年度", "plausibility": "合理性", "fees": "收费", "waivers": "豁免", "reading": "读取",
             "region": "辖区汇总"}
FAMILY_ORDER = list(FAMILY_ZH)
TABLE_ZH = {"t2": "表二", "t3": "表三", "t4": "表四", "": "正文"}
TABLE_ORDER = ["t2", "t3", "t4", ""]
NOT_STARTED = "none"
WAITING = (NOT_STARTED, Filing.DRAFT, Filing.RETURNED)      # not (or no longer) in the reviewers' hands


# ----------------------------------------------------------------------------------------- states
def states(units: list[Unit], year: int) -> dict[int, dict]:
    """{unit id: {"state", "label", "round", "report"}}. Without a filing, a unit whose author has started the
    year's ledger or narrative, or that has a report of the year stored, is 草稿; else 未提交 (state "none")."""
    ids = [u.pk for u in units]
    found = {f.unit_id: f for f in Filing.objects.filter(unit__in=ids, year=year)}
    ledgers = {led.unit_id: led for led in Ledger.objects.filter(unit__in=ids, year=year)}
    stored = set(Report.objects.filter(unit__in=ids, year=year, withdrawn__isnull=True).values_list("unit_id", flat=True))
    started = set(ledgers) | stored
    out = {}
    for u in units:
        f = found.get(u.pk)
        state = f.state if f is not None else Filing.DRAFT if u.pk in started else NOT_STARTED
        label = "草稿（未提交）" if state == Filing.DRAFT else STATE_LABEL.get(state, "未提交")
        out[u.pk] = {"state": state, "label": label, "round": f.round if f else 0,
                     "report": f.report_id if f else None,
                     "url": f"/reports/{f.report_id}/" if f is not None and f.report_id else None,
                     "progress": _progress(ledgers.get(u.pk), u.pk in stored) if state == Filing.DRAFT else ""}
    return out


def _progress(led: Ledger | None, stored: bool) -> str:
    """What the author has done so far, for reviewers: 「台账 12 件 · 正文 4/6 部分 · 12-03 保存」."""
    parts = []
    if led is not None:
        parts.append(f"台账 {len(led.requests or [])} 件")
        parts.append(f"正文 {sum(1 for k in '123456' if (led.narrative or {}).get(k, '').strip())}/6 部分")
        if led.updated:
            from django.utils import timezone
            parts.append(f"{timezone.localtime(led.updated):%m-%d %H:%M} 保存")
    if stored:
        parts.append("已上传报告文件")
    return " · ".join(parts)


def state_counts(st: dict[int, dict]) -> dict[str, int]:
    out = {s: 0 for s in (NOT_STARTED, *dict(Filing.STATES))}
    for v in st.values():
        out[v["state"]] += 1
    return out


# ----------------------------------------------------------------------------------------- deadlines
def deadline_of(unit: Unit, year: int) -> tuple[dt.date, str]:
    """(the date, what it rests on) for a unit's report of `year`."""
    lv = unit_level(unit.name)
    if lv.kind == GOVERNMENT:
        return dt.date(year + 1, 3, 31), "本级人民政府年度报告：3月31日前（第四十九条）"
    if lv.kind is None or lv.kind == "township":
        return dt.date(year + 1, 1, 31), "乡镇、街道：期限由本地规定，此处按部门期限1月31日提醒"
    return dt.date(year + 1, 1, 31), "政府部门年度报告：1月31日前（第四十九条）"


def deadlines(units: list[Unit], year: int, st: dict[int, dict], today: dt.date) -> dict:
    """The banner: each deadline with days left and the units not yet submitted for it, nearest first."""
    groups: dict[dt.date, dict] = {}
    for u in units:
        date, why = deadline_of(u, year)
        g = groups.setdefault(date, {"date": date.isoformat(), "label": f"{date.year}年{date.month}月{date.day}日",
                                     "days": (date - today).days, "rules": [], "units": 0, "waiting": []})
        g["units"] += 1
        if why not in g["rules"]:
            g["rules"].append(why)
        if st[u.pk]["state"] in WAITING:
            g["waiting"].append({"id": u.pk, "name": u.name, "state": st[u.pk]["state"], "label": st[u.pk]["label"]})
    out = sorted(groups.values(), key=lambda g: g["date"])
    for g in out:
        d = g["days"]
        g["text"] = (f"距截止还有 {d} 天" if d > 0 else "今天截止" if d == 0 else f"已超过截止日期 {-d} 天")
        g["overdue"] = d < 0
    return {"today": today.isoformat(), "year": year, "deadlines": out}


# ----------------------------------------------------------------------------------------- problems
def family_of(code: str) -> str:
    r = RULES.get(code)
    return r.family if r is not None else "other"


def column_label(family: str, table: str) -> str:
    return f"{FAMILY_ZH.get(family, family)} · {TABLE_ZH.get(table, table)}"


def problem_matrix(units: list[Unit], reps: dict[tuple[int, int], dict], year: int) -> dict:
    """Open findings (errors and warnings, dismissed ones excluded) of each unit's latest report of the year,
    counted by (rule family, table). Each cell links to the first such finding on the report page."""
    wanted = {r["id"]: u for u in units if (r := reps.get((u.pk, year))) is not None}
    if not wanted:
        return {"columns": [], "rows": [], "keys": []}
    from django.db.models import Max
    latest = dict(Finding.objects.filter(version__report_id__in=list(wanted)).values("version__report_id")
                  .annotate(n=Max("version__number")).values_list("version__report_id", "n"))
    dismissed = set(Decision.objects.filter(report_id__in=list(wanted), status=Decision.DISMISSED)
                    .values_list("report_id", "key"))
    cells: dict[int, dict[tuple[str, str], dict]] = {}
    keys: dict[str, dict] = {}
    for f in (Finding.objects.filter(version__report_id__in=list(wanted), severity__in=["error", "warning"])
              .values("id", "key", "code", "table", "severity", "message", "version__report_id", "version__number")
              .order_by("version__report_id", "order")):
        rid = f["version__report_id"]
        if f["version__number"] != latest.get(rid):
            continue
        k = keys.setdefault(f["key"], {"key": f["key"], "code": f["code"], "message": f["message"], "reports": 0,
                                       "open": 0})
        k["reports"] += 1
        if (rid, f["key"]) in dismissed:
            continue
        k["open"] += 1
        col = (family_of(f["code"]), f["table"] or "")
        c = cells.setdefault(rid, {}).setdefault(col, {"errors": 0, "warnings": 0, "codes": [],
                                                       "url": f"/reports/{rid}/#finding-{f['id']}"})
        c["errors" if f["severity"] == "error" else "warnings"] += 1
        if f["code"] not in c["codes"]:
            c["codes"].append(f["code"])
    used = sorted({col for per in cells.values() for col in per},
                  key=lambda c: (FAMILY_ORDER.index(c[0]) if c[0] in FAMILY_ORDER else 99,
                                 TABLE_ORDER.index(c[1]) if c[1] in TABLE_ORDER else 9))
    columns = [{"family": fam, "table": t or None, "label": column_label(fam, t)} for fam, t in used]
    rows = []
    for rid, u in wanted.items():
        per = cells.get(rid, {})
        rows.append({"unit": {"id": u.pk, "name": u.name}, "report": rid, "url": f"/reports/{rid}/",
                     "cells": [per.get(col) for col in used],
                     "open": sum(c["errors"] + c["warnings"] for c in per.values())})
    order = {u.pk: i for i, u in enumerate(units)}
    rows.sort(key=lambda r: order[r["unit"]["id"]])
    shared = sorted(keys.values(), key=lambda k: (-k["reports"], k["key"]))
    return {"columns": columns, "rows": rows, "keys": shared}
