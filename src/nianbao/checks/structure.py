"""Structure: the six sections, the format against the report year, item references, labels."""
from __future__ import annotations

import re

from ..formats import FORMATS, SECTIONS, format_for_year
from ..labels import core, norm, strip_numbering
from .examples import ctx
from .model import ERROR, INFO, WARNING, rule

_ITEMS = {"item1": "（一）", "item5": "（五）", "item6": "（六）", "item8": "（八）", "item9": "（九）"}


@rule("S101", "missing-section", ERROR, "structure",
      "六个部分（总体情况 … 其他需要报告的事项）都应出现",
      "《政府信息公开条例》第五十条列明年度报告应包括的内容；年度报告格式规定了六个部分的标题和顺序。",
      "按年度报告格式补写缺少的部分；确无内容的写“无”或说明情况。",
      failing=lambda: ctx(drop_sections=(6,)), passing=lambda: ctx())
def missing_section(rule_, c):
    have = {s.number for s in c.report.sections} | {n for n, _, _ in c.report.misplaced}
    for sec in SECTIONS:
        if sec.number not in have:
            yield rule_.finding(f"缺少第{sec.title[0]}部分「{sec.title[2:]}」。",
                                f"section {sec.number} ({sec.title}) is missing.", source=c.report.source.path,
                                values={"section": sec.number})


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
