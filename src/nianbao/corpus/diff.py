"""`nianbao diff OLD NEW`: what changed from one year's report to the next for the same unit.

Cell deltas (by contract keys, across the 2020→2021 format change where keys coincide), the
carry-over continuity (C1: this year's 上年结转 = last year's 结转下年度), and per section the share
of text copied from last year with the copied passages.
"""
from __future__ import annotations

from ..checks.cross_year import copied_share
from ..report import INFERRED, READ, Report


def diff_reports(old: Report, new: Report) -> dict:
    deltas = []
    known = (READ, INFERRED)
    for key, cv in new.cells.items():
        before = old.cells.get(key)
        if key[0] not in new.present or before is None or key[0] not in old.present:
            continue                      # a key only one of the two formats has is not a change
        a = before.value if before.status in known else None
        b = cv.value if cv.status in known else None
        if a != b and (a is not None or b is not None):
            deltas.append({"table": key[0], "row": key[1], "col": key[2], "old": a, "new": b,
                           "change": (b - a) if a is not None and b is not None else None})
    carry = []
    for col in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
        fwd = old.cells.get(("t3", "carried_forward", col))
        over = new.cells.get(("t3", "carried_over", col))
        if fwd is None or over is None:
            continue
        carry.append({"col": col, "last_year_carried_forward": fwd.value, "this_year_carried_over": over.value,
                      "ok": fwd.status == READ and over.status == READ and fwd.value == over.value})
    old_text = "\n".join([old.preamble] + [s.text for s in old.sections])
    copied = []
    for s in new.sections:
        share, passages = copied_share(s.text, old_text)
        copied.append({"section": s.number, "title": s.title, "share": round(share, 3), "passages": passages})
    return {"old": {"path": old.source.path, "org": old.org, "year": old.year, "format": old.format},
            "new": {"path": new.source.path, "org": new.org, "year": new.year, "format": new.format},
            "cells": deltas, "carry_over": carry, "copied": copied}


BLANK = "「空白」"


def _label(fmt: str | None, table: str, row: str, col: str) -> str:
    """The cell's printed label in the report's format: 表三「（一）予以公开」×「自然人」."""
    labels = _labels()
    return labels.get((fmt, table, row, col)) or next(
        (v for (f, t, r, c), v in labels.items() if (t, r, c) == (table, row, col)), f"{table}.{row}.{col}")


def _labels() -> dict:
    global _LABELS
    if _LABELS is None:
        from .schema import cell_keys
        _LABELS = {(f, t, r, c): label for f, t, r, c, label, _ in cell_keys()}
    return _LABELS


_LABELS = None


def _show(v) -> str:
    if v is None:
        return BLANK
    return f"{int(v)}" if isinstance(v, float) and v.is_integer() else f"{v}"


def diff_text(d: dict) -> str:
    """The diff for people: printed labels, 「空白」 for a blank cell, copied passages verbatim."""
    o, n = d["old"], d["new"]
    lines = [f"{o['org'] or o['path']} {o['year']}年（{o['format']}年格式） → {n['org'] or n['path']} {n['year']}年（{n['format']}年格式）"]
    lines.append("一、结转衔接（本年“上年结转” = 上年“结转下年度继续办理”）")
    for c in d["carry_over"]:
        mark = "✓" if c["ok"] else "✗"
        col = _label(n["format"], "t3", "carried_over", c["col"]).split("×", 1)[-1]
        lines.append(f"  {mark} {col}：上年结转下年度 {_show(c['last_year_carried_forward'])}，"
                     f"本年上年结转 {_show(c['this_year_carried_over'])}")
    lines.append(f"二、数值变化（{len(d['cells'])} 个单元格）")
    for c in d["cells"][:200]:
        ch = f"（{c['change']:+g}）" if c["change"] is not None else ""
        lines.append(f"  {_label(n['format'], c['table'], c['row'], c['col'])}：{_show(c['old'])} → {_show(c['new'])}{ch}")
    if len(d["cells"]) > 200:
        lines.append(f"  另有 {len(d['cells']) - 200} 个单元格有变化（--to json 列出全部）")
    lines.append("三、与上年相同的文字")
    for c in d["copied"]:
        lines.append(f"  {c['title']}: {c['share']:.0%}" + ("（照抄上年）" if c["share"] >= 0.5 else ""))
        for p in c["passages"] if c["share"] >= 0.5 else []:
            lines.append("      “" + p.replace("\n", "\n       ") + "”")
    return "\n".join(lines) + "\n"
