"""Waivers: a reviewer dismisses a finding with a reason. A waiver that matches nothing is reported.

File format (JSON, next to the report as `<report file>.waivers.json`, or given with --waivers):
    [{"code": "M102", "table": "t4", "row": "review", "col": null, "reason": "…", "by": "张三"}]
`table`, `row`, `col` narrow the match; null or absent matches any.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from ..errors import UsageError
from .model import WARNING, Finding


@dataclass
class Waiver:
    code: str
    reason: str
    table: str | None = None
    row: str | None = None
    col: str | None = None
    by: str | None = None

    def matches(self, f: Finding) -> bool:
        return f.code == self.code and all(
            getattr(self, k) is None or getattr(self, k) == getattr(f, k) for k in ("table", "row", "col"))


def waiver_path(report_path: str) -> str:
    return report_path + ".waivers.json"


def load_waivers(path: str) -> list[Waiver]:
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        out = []
        for i, w in enumerate(data):
            if not w.get("code") or not w.get("reason"):
                raise ValueError(f"第{i + 1}条缺少 code 或 reason")
            out.append(Waiver(w["code"], w["reason"], w.get("table"), w.get("row"), w.get("col"), w.get("by")))
        return out
    except (OSError, ValueError, TypeError, AttributeError) as e:
        raise UsageError("bad-waivers", f"豁免文件 {path} 无法读取：{e}。格式见 nianbao check --help。",
                         f"the waiver file {path} cannot be read: {e}.") from None


def apply_waivers(findings: list[Finding], waivers: list[Waiver], source: str | None = None) -> list[Finding]:
    used = [False] * len(waivers)
    for f in findings:
        for i, w in enumerate(waivers):
            if w.matches(f):
                f.waived = w.reason + (f"（{w.by}）" if w.by else "")
                used[i] = True
                break
    for w, u in zip(waivers, used):
        if not u:
            findings.append(Finding(
                "W001", "unused-waiver", WARNING,
                f"豁免“{w.code} {w.table or ''}{'.' + w.row if w.row else ''}{'.' + w.col if w.col else ''}”"
                f"（理由：{w.reason}）已不对应任何问题，请删除。",
                f"the waiver for {w.code} {w.table or ''} {w.row or ''} {w.col or ''} matches no finding; remove it.",
                "从豁免文件中删除这条豁免。", table=w.table, row=w.row, col=w.col, source=source))
    return findings
