"""Waivers: a reviewer dismisses a finding with a reason. A waiver that matches nothing is reported.

File format (JSON, next to the report as `<report file>.waivers.json`, or given with --waivers):
    [{"code": "M102", "table": "t4", "row": "review", "col": null, "reason": "…", "by": "张三"},
     {"code": "S101", "section": 6, "reason": "第六部分在附件中"}]
`section` (1–6, "六" or "第六部分"), `table`, `row`, `col` narrow the match; null or absent matches any.
A waiver that names none of them waives its code only while the code is found in one place: when
the same code appears in several places (a new missing 五 next to the waived 六) nothing is waived
and W002 asks for the place.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from ..errors import UsageError
from .examples import ctx
from .model import WARNING, Context, Finding, rule

_CN = "一二三四五六"
_PLACE = ("section", "table", "row", "col")


@dataclass
class Waiver:
    code: str
    reason: str
    table: str | None = None
    row: str | None = None
    col: str | None = None
    by: str | None = None
    section: int | None = None

    @property
    def narrowed(self) -> bool:
        return any(getattr(self, k) is not None for k in _PLACE)

    def matches(self, f: Finding) -> bool:
        return f.code == self.code and (self.section is None or f.values.get("section") == self.section) and all(
            getattr(self, k) is None or getattr(self, k) == getattr(f, k) for k in ("table", "row", "col"))

    def describe(self) -> str:
        place = [f"第{_CN[self.section - 1]}部分" if self.section else None, self.table, self.row, self.col]
        return " ".join([self.code] + [p for p in place if p])


def _place(f: Finding) -> tuple:
    return f.values.get("section"), f.table, f.row, f.col


def waiver_path(report_path: str) -> str:
    return report_path + ".waivers.json"


def _section(v, i: int) -> int | None:
    if v is None:
        return None
    s = str(v).strip().removeprefix("第").removesuffix("部分")
    n = int(s) if s.isdigit() else (_CN.index(s) + 1 if len(s) == 1 and s in _CN else None)
    if n is None or not 1 <= n <= 6:
        raise ValueError(f"第{i + 1}条的 section 应为 1–6 或“一”至“六”，而不是 {v!r}")
    return n


def load_waivers(path: str) -> list[Waiver]:
    from . import RULES
    if not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        out = []
        for i, w in enumerate(data):
            if not w.get("code") or not w.get("reason"):
                raise ValueError(f"第{i + 1}条缺少 code 或 reason")
            code = str(w["code"]).strip().upper()
            if code not in RULES:
                raise ValueError(f"第{i + 1}条的代码 {w['code']} 不是已知的规则（nianbao rules 列出全部规则）")
            out.append(Waiver(code, w["reason"], w.get("table"), w.get("row"), w.get("col"), w.get("by"),
                              _section(w.get("section"), i)))
        return out
    except (OSError, ValueError, TypeError, AttributeError) as e:
        raise UsageError("bad-waivers", f"豁免文件 {path} 无法读取：{e}。格式见 nianbao check --help。",
                         f"the waiver file {path} cannot be read: {e}.") from None


def match_waivers(findings: list[Finding], waivers: list[Waiver]) -> list[tuple[Waiver, list[Finding], bool]]:
    """[(waiver, the findings it matches, ambiguous)] — ambiguous: un-narrowed, matching several places."""
    out = []
    for w in waivers:
        hits = [f for f in findings if not f.code.startswith("W") and w.matches(f)]
        out.append((w, hits, not w.narrowed and len({_place(f) for f in hits}) > 1))
    return out


def apply_waivers(findings: list[Finding], waivers: list[Waiver], source: str | None = None) -> list[Finding]:
    from . import RULES
    state = match_waivers(findings, waivers)
    for w, hits, ambiguous in state:
        if ambiguous:
            continue
        for f in hits:
            if not f.waived:
                f.waived = w.reason + (f"（{w.by}）" if w.by else "")
    c = Context(None)
    c.cache.update(waivers=state, source=source)
    unit, year = (findings[0].unit, findings[0].year) if findings else (None, None)
    for code in ("W001", "W002"):
        for f in RULES[code].check(c):
            f.unit, f.year = unit, year
            findings.append(f)
    return findings


def _example(waivers: list[Waiver], findings: list[Finding]) -> Context:
    c = ctx()
    c.cache.update(waivers=match_waivers(findings, waivers), source=None)
    return c


def _s101(n: int) -> Finding:
    return Finding("S101", "missing-section", "error", f"缺少第{_CN[n - 1]}部分。", f"section {n} is missing.", "",
                   values={"section": n})


@rule("W001", "unused-waiver", WARNING, "waivers",
      "豁免文件中的每条豁免都应对应一个问题",
      "报告修改后，原来豁免的问题可能已经不存在；留着过时的豁免，会在以后悄悄豁免同一代码的新问题。",
      "从豁免文件中删除这条豁免。",
      failing=lambda: _example([Waiver("S101", "第六部分在附件中", section=6)], []),
      passing=lambda: _example([Waiver("S101", "第六部分在附件中", section=6)], [_s101(6)]))
def unused_waiver(rule_, c):
    for w, hits, _ in c.cache.get("waivers") or ():
        if not hits:
            yield rule_.finding(
                f"豁免“{w.describe()}”（理由：{w.reason}）已不对应任何问题，请删除。",
                f"the waiver for {w.describe()} matches no finding; remove it.",
                table=w.table, row=w.row, col=w.col, source=c.cache.get("source"),
                values={"waiver": w.code, **({"section": w.section} if w.section else {})})


@rule("W002", "ambiguous-waiver", WARNING, "waivers",
      "未写明位置的豁免只能对应一处问题",
      "同一代码在报告中出现于多处时（如豁免了缺少第六部分，后来又缺了第五部分），不写位置的豁免会把新问题一并豁免；"
      "因此这时不豁免任何一处。",
      "在豁免中写明 section（第几部分）或 table、row、col，指明豁免的是哪一处。",
      failing=lambda: _example([Waiver("S101", "第六部分在附件中")], [_s101(5), _s101(6)]),
      passing=lambda: _example([Waiver("S101", "第六部分在附件中")], [_s101(6)]))
def ambiguous_waiver(rule_, c):
    for w, hits, ambiguous in c.cache.get("waivers") or ():
        if ambiguous:
            places = "、".join(sorted({f"第{_CN[f.values['section'] - 1]}部分" if f.values.get("section")
                                      else "/".join(p for p in (f.table, f.row, f.col) if p) or "全文"
                                      for f in hits}))
            yield rule_.finding(
                f"豁免“{w.code}”（理由：{w.reason}）没有写明位置，而 {w.code} 出现在 {len(hits)} 处（{places}），"
                f"因此一处也未豁免；请在豁免中写明 section 或 table/row/col。",
                f"the waiver for {w.code} names no place and {w.code} occurs in {len(hits)} places; nothing was "
                f"waived. Add section or table/row/col.",
                source=c.cache.get("source"), values={"waiver": w.code, "places": len(hits)})
