"""Structure: the six sections, the format against the report year, item references, labels."""
from __future__ import annotations

import re

from ..extract.sections import parse_title
from ..formats import FORMATS, SECTIONS, format_for_year
from ..labels import core, norm, strip_numbering
from .examples import ctx
from .model import ERROR, INFO, WARNING, rule
from .shared import reading_state

_ITEMS = {"item1": "（一）", "item5": "（五）", "item6": "（六）", "item8": "（八）", "item9": "（九）"}


_CN = "一二三四五六"
_SECTION_TABLE = {2: "t2", 3: "t3", 4: "t4"}


def _sec(n: int) -> str:
    return f"第{_CN[n - 1]}部分「{SECTIONS[n - 1].title[2:]}」"


def section_gaps(c) -> dict:
    """Which sections were not found, and why (shared by S101 and the reading rule R201).

    missing:    not found, and nothing suggests the reader lost them — the report lacks them;
    buried:     {n: (text, where)} the numbered title stands inside another line or a table cell (R201);
    unread:     the sections after the last one found, when the source stops early (R102 says so), or
                every absent section when part of the source has no readable text (R104)."""
    def compute(c):
        rep = c.report
        st = c.memo("reading_state", reading_state)
        found = {s.number for s in rep.sections} | {n for n, _, _ in rep.misplaced}
        absent = [sec.number for sec in SECTIONS if sec.number not in found]
        buried = {n: (text, where) for n, text, where in rep.buried if n in absent}
        last = max(found, default=0)
        if st.reader_problems or st.unsplit:      # unreadable pages, or a table run together (R101)
            unread = [n for n in absent if n not in buried]
        elif st.cut is not None:
            unread = [n for n in absent if n > last and n not in buried]
        else:
            unread = []
        return {"missing": [n for n in absent if n not in buried and n not in unread],
                "buried": buried, "unread": unread, "cut": st.cut is not None}
    return c.memo("section_gaps", compute)


def _neighbour(rep, n: int):
    """The section found just before section n (or, for the first, just after it)."""
    before = [s for s in rep.sections if s.number < n]
    if before:
        return before[-1], "之后"
    after = [s for s in rep.sections if s.number > n]
    return (after[0], "之前") if after else (None, "")


@rule("S101", "missing-section", ERROR, "structure",
      "六个部分（总体情况 … 其他需要报告的事项）都应出现",
      "《政府信息公开条例》第五十条列明年度报告应包括的内容；年度报告格式规定了六个部分的标题和顺序。",
      "按年度报告格式补写缺少的部分；确无内容的写“无”或说明情况。",
      failing=lambda: ctx(drop_sections=(6,)), passing=lambda: ctx())
def missing_section(rule_, c):
    rep = c.report
    for n in section_gaps(c)["missing"]:
        near, side = _neighbour(rep, n)
        at = f"，应在「{near.title}」{side}" if near else ""
        yield rule_.finding(f"缺少{_sec(n)}{at}。",
                            f"section {n} ({SECTIONS[n - 1].title}) is missing"
                            + (f"; it belongs {'after' if side == '之后' else 'before'} '{near.title}'." if near else "."),
                            where=near.where if near else None, source=rep.source.path,
                            values={"section": n, **({"near": near.number} if near else {})})


@rule("S107", "section-misnumbered", WARNING, "structure",
      "部分标题的序号应与其内容对应（标题为“主动公开政府信息情况”的应是第二部分）",
      "年度报告格式规定了六个部分的序号；序号错乱使读者和审查人员无法按部分查找，也说明报告未按格式编写。",
      "按“一、总体情况”至“六、其他需要报告的事项”更正该部分的序号。",
      failing=lambda: _numbered_example("三、主动公开政府信息情况"),
      passing=lambda: _numbered_example("（二）主动公开政府信息情况"))
def section_misnumbered(rule_, c):
    for s in c.report.sections:
        _, printed, _ = parse_title(s.title)
        if printed is not None and printed != s.number:
            yield rule_.finding(
                f"标题「{s.title}」是{_sec(s.number)}，序号却印作“{printed}”，应为“{_CN[s.number - 1]}”。",
                f"'{s.title}' is section {s.number} by its title but is numbered {printed}.",
                where=s.where, values={"section": s.number, "printed": printed}, source=c.report.source.path)


def _numbered_example(title):
    x = ctx()
    x.report.sections[1].title = title
    return x


@rule("S108", "empty-section", WARNING, "structure",
      "第一、五、六部分应有文字（第二至四部分可以只有表格）",
      "《政府信息公开条例》第五十条要求年度报告写明总体情况、存在的主要问题及改进情况等；只有标题没有内容等于缺项。",
      "在该部分标题下补写内容；确无事项的写明“无”并简要说明。",
      failing=lambda: ctx(sections={1: ""}), passing=lambda: ctx())
def empty_section(rule_, c):
    rep = c.report
    cut = bool(section_gaps(c)["cut"])
    for k, s in enumerate(rep.sections):
        if s.number in _SECTION_TABLE or s.text.strip():
            continue
        if cut and k == len(rep.sections) - 1:
            continue          # what was read stops here: the text may simply not have been read
        yield rule_.finding(f"{_sec(s.number)}只有标题，没有内容。",
                            f"section {s.number} ('{s.title}') has a heading and no text.",
                            where=s.where, values={"section": s.number}, source=rep.source.path)


_NOTHING = re.compile(r"^(?:本年度|本年|今年|我单位|本单位)?(?:暂|均)?(?:无|没有)(?:问题|存在问题|相关情况|此类情况)?$")


@rule("S109", "problems-section-says-none", WARNING, "structure",
      "第五部分“存在的主要问题及改进情况”不应只写“无”",
      "年度报告格式要求如实报告工作中存在的主要问题和改进情况；只写“无”不符合要求，也是评估中常见的扣分项。",
      "写明本年度政府信息公开工作中存在的具体问题和改进措施。",
      failing=lambda: ctx(sections={5: "无。"}), passing=lambda: ctx())
def problems_say_none(rule_, c):
    s = c.report.section(5)
    if s is None:
        return
    text = re.sub(r"[\s。.，,；;！!：:、]", "", s.text)
    if text and _NOTHING.match(text):
        yield rule_.finding(f"{_sec(5)}只写了“{s.text.strip()}”，没有说明存在的问题和改进情况。",
                            f"section 5 says only '{s.text.strip()}'.", where=s.where,
                            values={"section": 5, "text": s.text.strip()}, source=c.report.source.path)


@rule("S106", "section-out-of-order", WARNING, "structure",
      "六个部分应按规定顺序排列",
      "年度报告格式规定了六个部分的顺序；顺序颠倒不利于读者查找，也说明未按格式编写。",
      "按“一、总体情况”至“六、其他需要报告的事项”的顺序调整各部分。",
      failing=lambda: _order_example(True), passing=lambda: _order_example(False))
def section_order(rule_, c):
    for n, title, where in c.report.misplaced:
        yield rule_.finding(f"「{title}」（第{SECTIONS[n - 1].title[0]}部分）出现的位置与规定顺序不符。",
                            f"section {n} ('{title}') is out of order.", where=where,
                            values={"section": n}, source=c.report.source.path)


def _order_example(misplaced: bool):
    x = ctx(drop_sections=(6,) if misplaced else ())
    if misplaced:
        x.report.misplaced.append((6, "六、其他需要报告的事项", None))
    return x


@rule("S102", "format-year-mismatch", ERROR, "structure",
      "表格格式应与报告年度对应：2019、2020年度用2019年格式，2021年度起用2021年格式（C7）",
      "国办公开办函〔2021〕30号修订了年度报告格式，自2021年度报告起施行；2019年格式（国办公开办函〔2019〕60号）"
      "只用于2019、2020年度。",
      "按报告年度适用的格式重新制表（2021年度起：本年制发件数/本年废止件数/现行有效件数，表三（六）分三项）。",
      failing=lambda: ctx(fmt="2019", year=2022), passing=lambda: ctx())
def format_year(rule_, c):
    rep = c.report
    expected = format_for_year(rep.year)
    if rep.format and expected and expected.key != rep.format:
        yield rule_.finding(
            f"报告年度为 {rep.year} 年，应使用{expected.key}年格式（{expected.document}），但表格使用的是{rep.format}年格式。",
            f"the report year is {rep.year}, which requires the {expected.key} format, but the tables follow "
            f"the {rep.format} format.",
            values={"year": rep.year, "format": rep.format, "expected": expected.key}, source=rep.source.path)


@rule("S103", "wrong-item-reference", WARNING, "structure",
      "表二各栏引用的条款应为《条例》第二十条的相应项",
      "表二按《政府信息公开条例》第二十条第（一）（五）（六）（八）（九）项列示主动公开内容；"
      "印错条款（如“第二十六条”）会误导读者。",
      "把条款改为“第二十条第（X）项”。",
      failing=lambda: _item_example("第二十六条第（六）项"), passing=lambda: _item_example("第二十条第（六）项"))
def item_reference(rule_, c):
    for table, key, text, where in c.report.labels:
        if key != "item":
            continue
        n = norm(text)
        m = re.search(r"第(.{1,4})条第（(.{1,3})）项", n)
        if m and m.group(1) != "二十":
            yield rule_.finding(
                f"表二印作「{m.group(0)}」，应为「第二十条第（{m.group(2)}）项」。",
                f"t2 prints '{m.group(0)}'; it should be 第二十条第（{m.group(2)}）项.",
                table="t2", where=where, values={"printed": m.group(0)}, source=c.report.source.path)


def _item_example(text):
    x = ctx(fmt="2019")
    x.report.labels.append(("t2", "item", text, None))
    return x


@rule("S104", "nonstandard-label", INFO, "structure",
      "表格行标签与年度报告格式的规范文字不同",
      "标签改写不影响数值，但不规范的措辞（如2021年格式仍写“规范性文件”）提示套用了旧模板。",
      "按适用格式的规范文字更正标签。",
      failing=lambda: _label_example("规范性文件"), passing=lambda: _label_example("行政规范性文件"))
def nonstandard_label(rule_, c):
    rep = c.report
    spec = FORMATS.get(rep.format or "")
    if spec is None:
        return
    for table, key, text, where in rep.labels:
        if key == "item":
            continue
        official = spec.table(table).row(key).label
        printed = core(text)
        if printed != core(official) and not core(official).startswith(printed):
            yield rule_.finding(
                f"表{'二三四'[int(table[1]) - 2]}印作「{text.strip()}」，{rep.format}年格式的规范文字为「{official}」。",
                f"{table} prints '{text.strip()}'; the {rep.format} format says '{official}'.",
                table=table, row=key, where=where, values={"printed": text.strip(), "official": official},
                source=rep.source.path)


def _label_example(text):
    x = ctx()
    x.report.labels.append(("t2", "normative", text, None))
    return x


@rule("S105", "nonstandard-section-title", INFO, "structure",
      "部分标题与年度报告格式的规范文字不同",
      "年度报告格式规定了六个部分的标题；改写标题不算缺项，但不利于读者查找。",
      "按年度报告格式使用规范标题。",
      failing=lambda: _title_example("一、基本情况"), passing=lambda: _title_example("一、总体情况"))
def section_title(rule_, c):
    for s in c.report.sections:
        official = SECTIONS[s.number - 1].title
        if strip_numbering(s.title).rstrip("：:") != strip_numbering(official):
            yield rule_.finding(f"第{official[0]}部分标题印作「{s.title}」，规范标题为「{official}」。",
                                f"section {s.number} is titled '{s.title}'; the format says '{official}'.",
                                where=s.where, values={"printed": s.title, "official": official},
                                source=c.report.source.path)


def _title_example(title):
    x = ctx()
    x.report.sections[0].title = title
    return x


@rule("S110", "group-row-without-subrows", WARNING, "structure",
      "2021年格式的表三把「（六）其他处理」印成一行，没有分1、2、3子行",
      "2021年格式把其他处理分为逾期不补正、逾期不缴费和其他三种情形；只印一行（2019年格式的写法）说明套用了旧表样，"
      "各情形的件数无法核对。合计为0的列，各子行只能为0（已推定）；其余列无法拆分。",
      "按2021年格式把「（六）其他处理」分为1、2、3三个子行分别填报。",
      failing=lambda: _group_row_example(True), passing=lambda: _group_row_example(False))
def group_row_without_subrows(rule_, c):
    rep = c.report
    for p in rep.problems:
        if p.code != "group-row-only":
            continue
        yield rule_.finding(p.message.split("；", 1)[0] + "（套用了旧表样）。",
                            p.message_en.split(";", 1)[0] + " (an old template).",
                            table="t3", row="other_1", where=p.where, source=rep.source.path)


def _group_row_example(collapsed: bool):
    from ..document import Problem
    x = ctx()
    if collapsed:
        x.report.problems.append(Problem(
            "group-row-only", "表三只印了「（六）其他处理」一行，没有按2021年格式分1、2、3子行；该行数值另列为非标准行，"
            "各子行在合计为0的列推定为0。", "table t3 prints '（六）其他处理' as one row, without the 2021 format's "
            "sub-rows; the row is kept as a non-standard row.", None, "info"))
    return x
