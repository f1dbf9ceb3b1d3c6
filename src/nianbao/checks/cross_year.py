"""Cross-year (`--previous`): carry-over continuity (C1), item counts (C2, C3), copied text (C8)."""
from __future__ import annotations

import os
import re

from ..formats import FORMATS
from ..report import READ, Report
from .examples import ctx, make_report
from .model import WARNING, rule

_T3_COLS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")


def _read(rep: Report, key):
    cv = rep.cells.get(key)
    return cv.value if cv is not None and cv.status == READ else None


def _row(rep: Report, key: str) -> str:
    return FORMATS[rep.format].table("t2").row(key).label


def _prev(**kw):
    return make_report(fmt="2021", year=2021, **kw)


def same_file(cur: Report, prev: Report) -> bool:
    a, b = cur.source, prev.source
    if a.path and b.path and os.path.exists(a.path) and os.path.exists(b.path):
        try:
            if os.path.samefile(a.path, b.path):
                return True
        except OSError:
            pass
    return bool(a.sha256) and a.sha256 == b.sha256 and cur.year == prev.year


def previous_for(c, adjacent: bool = True) -> Report | None:
    """The previous report when it can be compared: not the same file, and (for continuity,
    `adjacent`) the year before; for copied text, any earlier year. Unknown years are trusted."""
    cur, prev = c.report, c.previous
    if prev is None or same_file(cur, prev):
        return None
    if cur.year and prev.year:
        if adjacent and prev.year != cur.year - 1:
            return None
        if prev.year >= cur.year:
            return None
    return prev


@rule("X105", "previous-not-year-before", WARNING, "cross_year",
      "用 --previous 给出的上一年报告应是同一单位前一年度的另一份报告",
      "跨年度衔接（上年结转、现行有效件数、项目数量）只在相邻两年之间成立；给错年度或同一文件时，这些核对没有意义，"
      "照抄检查也会得出 100% 的假结果。",
      "用 --previous 指定本报告前一年度（如本报告为 2022 年度，则为 2021 年度）的报告文件。",
      failing=lambda: ctx(previous=make_report(year=2023)), passing=lambda: ctx(previous=_prev()))
def previous_not_year_before(rule_, c):
    cur, prev = c.report, c.previous
    if prev is None:
        return
    if same_file(cur, prev):
        yield rule_.finding(
            f"--previous 给出的“上一年报告”与本报告是同一份文件（{prev.source.path}），未做跨年度核对。",
            f"the --previous report is this same file ({prev.source.path}); no cross-year check was made.",
            values={"previous": prev.source.path, "same_file": True}, source=cur.source.path)
    elif cur.year and prev.year and prev.year != cur.year - 1:
        later = prev.year >= cur.year
        yield rule_.finding(
            f"--previous 给出的报告是 {prev.year} 年度的，本报告是 {cur.year} 年度，"
            + ("前者不早于后者，未做跨年度核对。" if later else
               f"两者不是相邻年度（应为 {cur.year - 1} 年度）；上年结转等衔接核对未做，照抄检查照常进行。"),
            f"the --previous report is for {prev.year}, this report for {cur.year}: not the year before"
            + ("; no cross-year check was made." if later else "; continuity checks were skipped."),
            values={"previous_year": prev.year, "year": cur.year}, source=cur.source.path)


@rule("X101", "carry-over-discontinuity", WARNING, "cross_year",
      "本年“上年结转”应等于上一年报告的“结转下年度继续办理”（C1）",
      "上一年未办结的申请结转到本年；两份报告的数字应当衔接（机构改革等情况可能合理地打破衔接，需说明）。",
      "核对上一年报告表三第四项，与本年表三第二项逐列一致；确因机构调整不一致的，在第六部分说明。",
      failing=lambda: ctx(previous=_prev(values={("t3", "carried_forward", "natural"): 2,
                                                  ("t3", "carried_forward", "total"): 2})),
      passing=lambda: ctx(previous=_prev()))
def carry_over(rule_, c):
    cur, prev = c.report, previous_for(c)
    if prev is None or "t3" not in cur.present or "t3" not in prev.present:
        return
    for col in _T3_COLS:
        a, b = _read(cur, ("t3", "carried_over", col)), _read(prev, ("t3", "carried_forward", col))
        if a is not None and b is not None and a != b:
            cv = cur.cells[("t3", "carried_over", col)]
            label = FORMATS[cur.format].table("t3").column("total", col).label
            yield rule_.finding(
                f"表三「{label}」列：本年“上年结转”为 {a}，上一年（{prev.year}）报告“结转下年度继续办理”为 {b}。",
                f"t3 {col}: carried_over is {a}, last year's ({prev.year}) carried_forward is {b}.",
                table="t3", row="carried_over", col=col, cells=[cv.key],
                values={"this_year": a, "previous_year": b}, where=cv.where, source=cur.source.path)


@rule("X102", "valid-count-discontinuity", WARNING, "cross_year",
      "2021年格式：现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数（C2）",
      "现行有效的（行政）规范性文件和规章逐年累计；不衔接通常是漏记制发或废止。",
      "核对本年制发、废止和现行有效件数，使三者与上年衔接。",
      failing=lambda: ctx(values={("t2", "normative", "made"): 2},
                          previous=make_report(year=2021, values={("t2", "normative", "valid"): 10})),
      passing=lambda: ctx(values={("t2", "normative", "made"): 2, ("t2", "normative", "valid"): 12},
                          previous=make_report(year=2021, values={("t2", "normative", "valid"): 10})))
def valid_count(rule_, c):
    cur, prev = c.report, previous_for(c)
    if prev is None or cur.format != "2021" or prev.format != "2021":
        return
    for row in ("regulations", "normative"):
        made, rep_, valid = (_read(cur, ("t2", row, k)) for k in ("made", "repealed", "valid"))
        before = _read(prev, ("t2", row, "valid"))
        if None in (made, rep_, valid, before):
            continue
        expected = before + made - rep_
        if valid != expected:
            cv = cur.cells[("t2", row, "valid")]
            yield rule_.finding(
                f"表二「{_row(cur, row)}」现行有效件数为 {valid}，按上年 {before} + 本年制发 {made} − 本年废止 {rep_} 应为 {expected}。",
                f"t2 {row}: valid is {valid}; last year's {before} + made {made} − repealed {rep_} = {expected}.",
                table="t2", row=row, col="valid", cells=[cv.key, ("t2", row, "made"), ("t2", row, "repealed")],
                values={"valid": valid, "expected": expected}, where=cv.where, source=cur.source.path)


@rule("X103", "project-count-discontinuity", WARNING, "cross_year",
      "2019年格式：本年“上一年项目数量” = 上年“上一年项目数量” + 上年“本年增/减”（C3）",
      "事项数逐年衔接：上一年的期末数是本年的期初数。",
      "核对上一年项目数量和本年增/减，使两年衔接。",
      failing=lambda: ctx(fmt="2019", year=2020, values={("t2", "punishment", "previous"): 5},
                          previous=make_report(fmt="2019", year=2019)),
      passing=lambda: ctx(fmt="2019", year=2020, previous=make_report(fmt="2019", year=2019)))
def project_count(rule_, c):
    cur, prev = c.report, previous_for(c)
    if prev is None or cur.format != "2019" or prev.format != "2019":
        return
    for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
        now = _read(cur, ("t2", row, "previous"))
        p_prev, p_change = _read(prev, ("t2", row, "previous")), _read(prev, ("t2", row, "change"))
        if None in (now, p_prev, p_change):
            continue
        if now != p_prev + p_change:
            cv = cur.cells[("t2", row, "previous")]
            yield rule_.finding(
                f"表二「{_row(cur, row)}」上一年项目数量为 {now}，按上年报告 {p_prev} {p_change:+g} 应为 {p_prev + p_change:g}。",
                f"t2 {row}: previous is {now}; last year's report gives {p_prev} {p_change:+g} = {p_prev + p_change:g}.",
                table="t2", row=row, col="previous", cells=[cv.key], values={"this_year": now,
                                                                              "expected": p_prev + p_change},
                where=cv.where, source=cur.source.path)


# ----------------------------------------------------------------- copied text
_SKIP = re.compile(r"[\s\u3000\d０-９]+")
MIN_RUN = 12          # a copied passage is at least this many characters long


def copied_share(text: str, previous_text: str) -> tuple[float, list[str]]:
    """Share of `text` (whitespace and digits ignored, so a changed year still counts) that stands in
    `previous_text` in runs of at least MIN_RUN characters, and those passages as printed in `text`
    (digits and all)."""
    from difflib import SequenceMatcher
    keep = [i for i, ch in enumerate(text) if not _SKIP.fullmatch(ch)]
    a, b = "".join(text[i] for i in keep), _SKIP.sub("", previous_text)
    if not a or not b:
        return 0.0, []
    sm = SequenceMatcher(None, a, b, autojunk=False)
    blocks = [m for m in sm.get_matching_blocks() if m.size >= MIN_RUN]
    def printed(m):          # the passage as printed, with the digits and spaces that touch it
        start = keep[m.a - 1] + 1 if m.a > 0 else 0
        end = keep[m.a + m.size] if m.a + m.size < len(keep) else len(text)
        return text[start:end].strip()
    passages = [printed(m) for m in blocks]
    return sum(m.size for m in blocks) / len(a), passages


COPY_THRESHOLD = 0.5
MIN_TEXT = 20         # shorter parts ("无。", "本年度未收取费用。") are not judged
_CN = "一二三四五六"


@rule("X104", "copied-from-last-year", WARNING, "cross_year",
      "某一部分的文字大部分照抄上一年报告（C8）",
      "年度报告应反映本年度工作；有关规定将报告“内容雷同”列为问责情形，评估中发现有报告重复上一年90%的文字。",
      "按本年度实际情况重写该部分，尤其是存在的问题和改进措施。",
      failing=lambda: ctx(sections={5: "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。"},
                          previous=_prev(sections={5: "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。"})),
      passing=lambda: ctx(sections={5: "一是依申请公开答复规范性有待提升；二是基层公开专栏更新不及时。"},
                          previous=_prev(sections={n: f"上一年第{n}部分记述了当年的其他工作安排和具体做法。" for n in range(1, 7)})))
def copied_text(rule_, c):
    cur, prev = c.report, previous_for(c, adjacent=False)
    if prev is None:
        return
    prev_all = "\n".join([prev.preamble] + [s.text for s in prev.sections])
    parts = [(0, "前言（标题之后、第一部分之前的文字）", cur.preamble, None)] + \
        [(s.number, f"第{_CN[s.number - 1]}部分「{s.title}」", s.text, s.where) for s in cur.sections]
    for number, name, text, where in parts:
        if len(_SKIP.sub("", text)) < MIN_TEXT:
            continue
        share, passages = copied_share(text, prev_all)
        if share >= COPY_THRESHOLD and passages:
            quote = " ".join(passages[0].splitlines())
            quote = quote if len(quote) <= 60 else quote[:60] + "……"
            yield rule_.finding(
                f"{name}有 {share:.0%} 的文字与上一年（{prev.year}）报告相同，例如：“{quote}”。",
                f"{'the preamble' if number == 0 else f'section {number}'}: {share:.0%} of its text repeats "
                f"last year's ({prev.year}) report.",
                where=where, values={"section": number, "share": round(share, 3), "passages": passages},
                source=cur.source.path)
