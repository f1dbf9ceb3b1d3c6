"""Text against tables (C4): figures the narrative states must agree with the tables; the narrative
must speak of the report's own year and its own kind of unit.

Precision before recall: a figure is compared only when its clause names it unambiguously (one
label, the number right after it, no 增加/减少/同比 and no region-wide or on-behalf-of subject).
"""
from __future__ import annotations

import re

from ..formats import FORMATS
from ..report import BLANK, READ
from .examples import ctx
from .model import WARNING, rule

# sentences about a whole region quote figures that are not the unit's own; "代表" (on behalf of) too
_REGION = re.compile(r"全(?:省|市|区|县|州|旗|盟)|各(?:单位|部门|镇|乡|街道|村|社区)|全市各|全区各|全县各|代表|下属|所属")
_CHANGE = re.compile(r"增加|减少|增长|下降|同比|较上年|比上年|多|少|上升|提高|降低")
_GAP = r"[^。；;，,：:\d%％（(]{0,12}?"
_N = r"(\d+)\s*(?:件|起|宗|个|份)"


def _sentences(text: str):
    for s in re.split(r"[。；;！!？?\n]", text):
        if s.strip():
            yield s


def _texts(rep):
    return [(0, rep.preamble, None)] + [(s.number, s.text, s.where) for s in rep.sections]


def _sum(rep, table: str, rows: tuple[str, ...], col: str):
    """The sum of the cells when every one is read (a blank counts only when some other is read)."""
    vals = []
    for r in rows:
        cv = rep.cells.get((table, r, col))
        if cv is None:
            return None
        if cv.status == READ and isinstance(cv.value, (int, float)):
            vals.append(cv.value)
        elif cv.status != BLANK:
            return None
    return sum(vals) if vals else None


def _rows(rep, prefix: str) -> tuple[str, ...]:
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return ()
    t3 = spec.table("t3")
    return tuple(r.key for r in t3.cell_rows() if r.key == prefix or r.key.startswith(prefix + "_"))


# (name, table, row keys (callable on the report), column, pattern, words the match must not contain)
_T3 = (
    ("本年新收申请", "t3", lambda r: ("new_received",), "total",
     r"(?:收到|受理|新收|接收|接到)" + _GAP + r"申请" + r"[^。；，,\d]{0,12}?" + _N, "上年 结转 复议 诉讼"),
    ("上年结转申请", "t3", lambda r: ("carried_over",), "total",
     r"(?:上年度?|上一年度?)结转" + _GAP + _N, "下年 复议 诉讼"),
    ("结转下年度继续办理", "t3", lambda r: ("carried_forward",), "total",
     r"结转(?:至|到)?下(?:一)?年度?" + _GAP + _N, "上年 复议 诉讼"),
    ("予以公开", "t3", lambda r: ("granted",), "total", r"予以公开" + r"[^。；，,\d]{0,4}?" + _N, "部分 或 和 及"),
    ("部分公开", "t3", lambda r: ("partial",), "total", r"部分公开" + r"[^。；，,\d]{0,4}?" + _N, "或 和 及"),
    ("不予公开", "t3", lambda r: _rows(r, "denied"), "total", r"不予公开" + r"[^。；，,\d]{0,4}?" + _N, "或 和 及"),
    ("无法提供", "t3", lambda r: _rows(r, "unable"), "total", r"无法提供" + r"[^。；，,\d]{0,4}?" + _N, "或 和 及"),
    ("不予处理", "t3", lambda r: _rows(r, "not_processed"), "total", r"不予处理" + r"[^。；，,\d]{0,4}?" + _N,
     "或 和 及"),
    ("其他处理", "t3", lambda r: _rows(r, "other"), "total", r"其他处理" + r"[^。；，,\d]{0,4}?" + _N, "或 和 及"),
    ("办结申请", "t3", lambda r: ("total",), "total",
     r"(?:办结|办理完结|办理完毕|办理)" + _GAP + r"申请" + r"[^。；，,\d]{0,6}?" + _N, "收到 受理 新收 接收 上年 结转 复议 诉讼"),
    ("行政复议", "t4", lambda r: ("review",), "total", r"行政复议" + _GAP + _N, "诉讼 纠错 纠正 维持"),
    ("行政诉讼", "t4", lambda r: ("direct", "after_review"), "total", r"行政诉讼" + _GAP + _N, "复议 纠错 纠正 维持 败诉"),
    ("制发规范性文件", "t2", lambda r: ("normative",), "made",
     r"(?:制发|制定|出台|印发|新制作)" + _GAP + r"规范性文件" + r"[^。；，,\d]{0,4}?" + _N, "废止 有效"),
    ("行政许可决定", "t2", lambda r: ("licensing",), "decisions", r"行政许可(?:处理)?决定" + _GAP + _N, ""),
    ("行政处罚决定", "t2", lambda r: ("punishment",), "decisions", r"行政处罚(?:处理)?决定" + _GAP + _N, ""),
    ("行政强制决定", "t2", lambda r: ("coercion",), "decisions", r"行政强制(?:处理)?决定" + _GAP + _N, ""),
)
_COUNT = re.compile(_N)
_COMPILED = [(name, t, rows, col, re.compile(p), bad.split()) for name, t, rows, col, p, bad in _T3]
_NONE_REQ = re.compile(r"(?:未|没有)(?:收到|接到|受理)[^。；，,]{0,16}?申请")
_NONE_T4 = re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生|涉及)?[^。；，,\d]{0,16}?(?:行政复议|行政诉讼)")
_TABLE_ZH = {"t2": "表二", "t3": "表三", "t4": "表四"}


def _label(rep, t, rows, col):
    spec = FORMATS[rep.format].table(t)
    if len(rows) == 1:
        name = spec.row(rows[0]).label
    else:
        r0 = spec.row(rows[0])
        name = r0.group or "、".join(spec.row(r).label for r in rows)
    return f"{_TABLE_ZH[t]}「{name}」{spec.column(rows[0], col).label}"


def stated_counts(rep):
    """[(name, table, rows, col, said, n, section, where)] — every count the narrative states unambiguously."""
    out = []
    for number, text, where in _texts(rep):
        for sent in _sentences(text):
            if _REGION.search(sent):
                continue
            # every pattern ends in a count (_N), and the 0 patterns need 未/没有/无: most sentences have neither
            for name, t, rows, col, rx, bad in (_COMPILED if _COUNT.search(sent) else ()):
                for m in rx.finditer(sent):
                    said = m.group(0)
                    start = max(sent.rfind("，", 0, m.start()), sent.rfind(",", 0, m.start())) + 1
                    clause = sent[start:m.end()]          # the clause up to the number
                    if any(w in clause for w in bad) or _CHANGE.search(said) or "各" in said:
                        continue
                    out.append((name, t, rows(rep), col, said, int(m.group(1)), number, where))
            for clause in (re.split(r"[，,]", sent) if "未" in sent or "没有" in sent or "无" in sent else ()):
                if _NONE_REQ.search(clause) and not re.search(r"上年|结转|复议|诉讼", clause):
                    out.append(("本年新收申请", "t3", ("new_received",), "total", _NONE_REQ.search(clause).group(0),
                                0, number, where))
                m = _NONE_T4.search(clause)
                if m and not re.search(r"纠错|纠正|败诉|维持|\d", clause):
                    tail = clause[m.start():]
                    if "行政复议" in tail:
                        out.append(("行政复议", "t4", ("review",), "total", tail, 0, number, where))
                    if "行政诉讼" in tail:
                        out.append(("行政诉讼", "t4", ("direct", "after_review"), "total", tail, 0, number, where))
    return out


@rule("T101", "text-table-mismatch", WARNING, "text_vs_table",
      "正文所述件数（新收、上年结转、办结、各项办理结果、结转下年度、行政复议、行政诉讼、表二的制发和处理决定）应与表格一致（C4）",
      "正文与表格是同一份报告的两种表述；数字不一致会让读者无法判断哪个是真的（年度报告格式要求数据准确）。",
      "核对后统一正文和表格中的数字。",
      failing=lambda: ctx(sections={3: "全年共收到政府信息公开申请9件，予以公开3件，结转下年度继续办理2件。"}),
      passing=lambda: ctx(sections={3: "全年共收到政府信息公开申请6件，予以公开4件，上年结转1件，结转下年度继续办理1件；"
                                       "全区各单位共收到申请120件。与上年相比，收到申请增加2件。"}))
def text_table(rule_, c):
    rep = c.report
    if rep.format not in FORMATS:
        return
    seen = set()
    for name, t, rows, col, said, n, number, where in stated_counts(rep):
        if t not in rep.present or not rows:
            continue
        v = _sum(rep, t, rows, col)
        if v is None or v == n or (t, rows, n) in seen:
            continue
        seen.add((t, rows, n))
        label = _label(rep, t, rows, col)
        cells = [(t, r, col) for r in rows]
        yield rule_.finding(
            f"正文说“{said.strip()}”，{label}为 {v:g} 件。",
            f"the text says '{said.strip()}' ({n}); {t} {'+'.join(rows)}/{col} is {v:g}.",
            table=t, row=rows[0] if len(rows) == 1 else None, col=col, cells=cells,
            values={"text": n, "table": v, "section": number, "figure": name}, where=where, source=rep.source.path)


# ----------------------------------------------------------------------------- percentages
_PCT = re.compile(r"(公开率|纠错率)[^。；，,\d]{0,6}?(\d+(?:\.\d+)?)\s*[%％]")


def _candidates(rep, what: str, sent: str) -> list[float] | None:
    def v(t, r, col="total"):
        return _sum(rep, t, (r,), col)
    if what == "公开率":
        g, p, tot, new = v("t3", "granted"), v("t3", "partial"), v("t3", "total"), v("t3", "new_received")
        if None in (g, p, tot, new):
            return None
        return [x / d for d in (tot, new) if d for x in (g, g + p)]
    if "诉讼" in sent and "复议" not in sent:
        rows = ("direct", "after_review")
    elif "诉讼" in sent:
        return None                       # both named: which one is meant is not certain
    else:
        rows = ("review",)
    corr, tot, pend = (_sum(rep, "t4", rows, col) for col in ("correct", "total", "pending"))
    if None in (corr, tot, pend):
        return None
    return [corr / d for d in (tot, tot - pend) if d] or [0.0]


@rule("T102", "text-rate-mismatch", WARNING, "text_vs_table",
      "正文所述公开率、纠错率应能由表格算出",
      "比率由表格数字算出；正文所写比率与表格不符，说明数字或计算有误。",
      "按表三（予以公开、部分公开、办理总数）或表四（结果纠正、总计）重新计算比率，或更正表格。",
      failing=lambda: ctx(sections={3: "全年政府信息公开申请的公开率为90%。"}),
      passing=lambda: ctx(sections={3: "全年政府信息公开申请的公开率为66.7%，行政复议纠错率为0%。"}))
def text_rate(rule_, c):
    rep = c.report
    if rep.format not in FORMATS or "t3" not in rep.present:
        return
    for number, text, where in _texts(rep):
        for sent in _sentences(text):
            if _REGION.search(sent):
                continue
            for m in _PCT.finditer(sent):
                what, stated = m.group(1), float(m.group(2))
                if what == "纠错率" and "t4" not in rep.present:
                    continue
                cands = _candidates(rep, what, sent)
                if not cands:
                    continue
                if any(abs(stated - 100 * x) <= 0.51 for x in cands):
                    continue
                shown = "、".join(sorted({f"{100 * x:.1f}%" for x in cands}))
                yield rule_.finding(
                    f"正文说“{m.group(0)}”，按表格算得 {shown}。",
                    f"the text says {what} {stated}%; the tables give {shown}.",
                    table="t3" if what == "公开率" else "t4",
                    values={"text": stated, "table": sorted(round(100 * x, 1) for x in cands), "section": number},
                    where=where, source=rep.source.path)


# ----------------------------------------------------------------------------- the year
_YEAR_START = re.compile(r"(?:^|[。；;\n])\s*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[）)、.])?\s*"
                         r"(\d{4})\s*年度?\s*(?:[，,]|全年|以来|共|我|本|全)")
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-)\s*(\d{4})\s*年\s*12\s*月\s*31\s*日")
_SELF_YEAR = re.compile(r"(?:本年度|本年|今年)\s*[（(]\s*(\d{4})\s*年?\s*[)）]")
_LAST_YEAR = re.compile(r"(?:上年度?|上一年度?|去年)\s*[（(]?\s*(\d{4})\s*年")
_OK_PAST = re.compile(r"上年|上一年|去年|同比|较|相比|以来|比|自|至今|起")
_OK_FUTURE = re.compile(r"将|计划|拟|要|下一步|继续|力争|持续")


@rule("T103", "text-wrong-year", WARNING, "text_vs_table",
      "正文叙述本年工作时所写年份应是报告年度（写“上年”的应是前一年）",
      "年份写错常见于照搬往年报告只改了部分内容；读者会误以为报告讲的是另一年的工作。",
      "把年份改为报告年度；如确指其他年份，写明“上年”“同比”等。",
      failing=lambda: ctx(sections={1: "2021年，本街道认真贯彻落实《中华人民共和国政府信息公开条例》。"}),
      passing=lambda: ctx(sections={1: "2022年，本街道认真贯彻落实《条例》；与上年（2021年）相比，公开数量增加。"
                                       "2023年，我街道将继续加强培训。"}))
def text_year(rule_, c):
    rep = c.report
    y = rep.year
    if not y:
        return
    seen = set()
    for number, text, where in _texts(rep):
        found = []
        for m in _PERIOD.finditer(text):
            for g in (1, 2):
                if int(m.group(g)) != y:
                    found.append((int(m.group(g)), m.group(0), f"统计期限应为 {y} 年"))
        for m in _SELF_YEAR.finditer(text):
            if int(m.group(1)) != y:
                found.append((int(m.group(1)), m.group(0), f"本年度是 {y} 年"))
        for m in _LAST_YEAR.finditer(text):
            if int(m.group(1)) != y - 1:
                found.append((int(m.group(1)), m.group(0), f"上年应为 {y - 1} 年"))
        for sent in _sentences(text):
            m = _YEAR_START.search(sent)
            if not m:
                continue
            yr = int(m.group(1))
            if yr == y or yr < 2000 or yr > y + 5:
                continue
            if yr < y and _OK_PAST.search(sent):
                continue
            if yr > y and _OK_FUTURE.search(sent):
                continue
            found.append((yr, sent.strip()[:40], f"报告年度是 {y} 年"))
        for yr, said, why in found:
            if (number, said) in seen:
                continue
            seen.add((number, said))
            part = "前言" if number == 0 else f"第{'一二三四五六'[number - 1]}部分"
            yield rule_.finding(
                f"{part}写“{said}”，{why}；疑似照搬往年报告未改年份。",
                f"{'the preamble' if number == 0 else f'section {number}'} says '{said}' ({yr}); the report year is {y}.",
                where=where, values={"year": yr, "report_year": y, "section": number}, source=rep.source.path)


# ----------------------------------------------------------------------------- self-reference
_KINDS = (("街道", re.compile(r"(?:街道办事处|街道|街道办|街)$")), ("镇", re.compile(r"镇(?:人民政府)?$")),
          ("乡", re.compile(r"乡(?:人民政府)?$")))
_SELF = {"街道": re.compile(r"(?:我|本|全)(?:街道|街)(?![道路])"), "镇": re.compile(r"(?:我|本|全)镇"),
         "乡": re.compile(r"(?:我|本|全)乡(?![镇村])")}


# a unit's name: no function words (由, 的, 年, 报 …) inside, so that only a name is captured
_UNIT = r"((?:(?![由的了在和及与年报告是为对将我本现按根据])[\u4e00-\u9fff]){2,10}?(?:街道办事处|街道|镇人民政府|镇政府|镇|乡人民政府|乡政府|乡))"
_NAMED = (re.compile(r"由" + _UNIT + r"(?:负责)?编制"),
          re.compile(r"(?:^|[。；\n])\s*" + _UNIT + r"\s*\d{4}\s*年度?政府信息公开(?:工作)?年度报告"))
_SUFFIX = re.compile(r"(?:办事处|人民政府|政府)$")


def _core(name: str) -> str:
    return _SUFFIX.sub("", re.sub(r"\s", "", name))


def other_unit_names(rep) -> list[tuple[str, int, object]]:
    """Unit names the narrative gives as its own (由…编制, …年度报告, 我/本…) that are not this unit."""
    own = [_core(x) for x in (rep.org, rep.title) if x]
    if not own or not rep.org:
        return []
    out = []
    for number, text, where in _texts(rep):
        for rx in _NAMED:
            for m in rx.finditer(text):
                name = _core(m.group(1))
                if len(name) < 3 or any(name in o or o in name for o in own if o):
                    continue
                if name[-2:] in ("街道",) and len(name) <= 3:
                    continue
                out.append((m.group(1), number, where))
    return out


def unit_kind(org: str | None) -> str | None:
    if not org:
        return None
    for kind, rx in _KINDS:
        if rx.search(org.strip()):
            return kind
    return None


@rule("T104", "self-reference-mismatch", WARNING, "text_vs_table",
      "正文的自称（我街道、我镇、我乡，由…编制）应与本单位一致",
      "街道的报告写“我镇”“本乡”，或写着另一个单位的名称，通常是照搬了其他单位的报告；读者会怀疑内容是否属于本单位。",
      "把自称改为与本单位相符的称呼，并核对照搬来的内容是否属实。",
      failing=lambda: ctx(sections={1: "2022年，我镇认真贯彻落实《条例》，全年主动公开政府信息120条。"}),
      passing=lambda: ctx(sections={1: "2022年，我街道认真贯彻落实《条例》，全年主动公开政府信息120条。"}))
def self_reference(rule_, c):
    rep = c.report
    for name, number, where in other_unit_names(rep):
        part = "前言" if number == 0 else f"第{'一二三四五六'[number - 1]}部分"
        yield rule_.finding(
            f"本报告是{rep.org}的，{part}却写着“{name}”；疑似照搬了其他单位的报告。",
            f"this is {rep.org}'s report, but {'the preamble' if number == 0 else f'section {number}'} names '{name}'.",
            where=where, values={"said": name, "section": number}, source=rep.source.path)
    kind = unit_kind(rep.org)
    if kind is None:
        return
    for number, text, where in _texts(rep):
        for other, rx in _SELF.items():
            if other == kind:
                continue
            m = rx.search(text)
            if m:
                part = "前言" if number == 0 else f"第{'一二三四五六'[number - 1]}部分"
                yield rule_.finding(
                    f"本单位（{rep.org}）是{kind}，{part}却自称“{m.group(0)}”；疑似照搬了其他单位的报告。",
                    f"{rep.org} is a {kind}, but {'the preamble' if number == 0 else f'section {number}'} says "
                    f"'{m.group(0)}'.",
                    where=where, values={"unit_kind": kind, "said": m.group(0), "section": number},
                    source=rep.source.path)
