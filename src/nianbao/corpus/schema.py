"""The store's data dictionary: every table, view and column with its meaning, and every cell key
(tbl, row_key, col_key) with the printed labels of the official formats. `nianbao schema` prints it;
docs/data.md is this output (a test keeps the two equal and checks every column of a real store is here).
"""
from __future__ import annotations

# table → (kind, key, Chinese description, [(column, type, Chinese meaning)])
TABLES: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]] = {
    "reports": ("table", "sha256", "报告：每个不同的文件内容一行（同一文件的各个版本都保留）。", [
        ("sha256", "VARCHAR", "文件内容的 SHA-256，报告的主键"),
        ("path", "VARCHAR", "首次入库时的路径（zip 内文件为 压缩包!/成员）"),
        ("kind", "VARCHAR", "文件类型：text、html、docx、pdf、ofd；doc、rtf、odt、et 经 LibreOffice 转换后读取"),
        ("org", "VARCHAR", "报告中印刷的发布机关（原文）"),
        ("unit", "VARCHAR", "单位：映射表给出的单位，或完整印刷名称按命名规则（街道办事处→街道等）处理后的结果；不去掉地名"),
        ("match", "VARCHAR", "单位如何确定：exact 名称一致、rule 按命名规则、map 按映射表"),
        ("year", "INTEGER", "报告年度（统计年度）"),
        ("format", "VARCHAR", "报告格式：2019（国办公开办函〔2019〕60号）或 2021（国办公开办函〔2021〕30号）"),
        ("title", "VARCHAR", "报告标题"),
        ("errors", "INTEGER", "错误级问题数"),
        ("warnings", "INTEGER", "警告级问题数"),
        ("infos", "INTEGER", "提示级问题数"),
        ("stored_at", "TIMESTAMP", "入库时间"),
        ("run", "INTEGER", "入库的批次（runs.run）"),
    ]),
    "cells": ("table", "(sha256, tbl, row_key, col_key)", "单元格：每份报告每个模板单元格一行（长表）；键的印刷标签见下文。", [
        ("sha256", "VARCHAR", "所属报告（reports.sha256）"),
        ("tbl", "VARCHAR", "表：t2 表二（主动公开）、t3 表三（依申请公开）、t4 表四（复议诉讼）"),
        ("row_key", "VARCHAR", "行键（见下文各格式的键表）"),
        ("col_key", "VARCHAR", "列键（见下文各格式的键表）"),
        ("value", "DOUBLE", "数值；状态不是 read/inferred 时为空"),
        ("raw", "VARCHAR", "原文中印刷的文字（如 “10268898元”）"),
        ("status", "VARCHAR", "read 读出、blank 原文空白、inferred 由勾稽关系推出、missing 未能读出"),
        ("measure_unit", "VARCHAR", "计量单位（如 万元、件），原文印刷或格式规定"),
        ("location", "VARCHAR", "原文位置（JSON：页、行、表格序号、坐标等）"),
    ]),
    "findings": ("table", "—", "检查发现的问题：每条一行。", [
        ("sha256", "VARCHAR", "所属报告"),
        ("code", "VARCHAR", "规则代码（nianbao explain CODE）"),
        ("name", "VARCHAR", "规则名称"),
        ("severity", "VARCHAR", "error 错误、warning 警告、info 提示"),
        ("message", "VARCHAR", "中文说明"),
        ("tbl", "VARCHAR", "涉及的表（可为空）"),
        ("row_key", "VARCHAR", "涉及的行键（可为空）"),
        ("col_key", "VARCHAR", "涉及的列键（可为空）"),
        ("location", "VARCHAR", "原文位置（JSON）"),
    ]),
    "sections": ("table", "(sha256, number)", "正文各部分：每份报告每部分一行。", [
        ("sha256", "VARCHAR", "所属报告"),
        ("number", "INTEGER", "部分序号 1–6（一、总体情况 … 六、其他需要报告的事项）"),
        ("title", "VARCHAR", "印刷的标题"),
        ("text", "VARCHAR", "该部分全文"),
    ]),
    "files": ("table", "(path, sha256)", "输入文件：每个路径的每个内容一行，记录每个输入的去向。", [
        ("path", "VARCHAR", "路径（zip 内文件为 压缩包!/成员）"),
        ("sha256", "VARCHAR", "内容的 SHA-256；无法打开的文件为空字符串"),
        ("size", "BIGINT", "字节数"),
        ("first_seen", "TIMESTAMP", "首次见到（此路径、此内容）"),
        ("last_seen", "TIMESTAMP", "最近一次见到"),
        ("first_run", "INTEGER", "首次见到的批次"),
        ("last_run", "INTEGER", "最近一次见到的批次"),
        ("outcome", "VARCHAR", "去向：report 报告、duplicate 与另一路径内容相同、failure 无法读取、skipped 跳过"),
        ("duplicate_of", "VARCHAR", "duplicate：内容相同的报告所在路径"),
        ("code", "VARCHAR", "failure/skipped：原因代码（如 empty、docx-damaged）"),
        ("reason", "VARCHAR", "failure/skipped：中文原因"),
        ("needs", "VARCHAR", "failure：读取时所依赖的条件（如 nianbao=0.1.0;soffice=0;ocr=0）；其中任一项变化后"
                             "（装了 LibreOffice 或 OCR、升级了 nianbao），下次 batch 会重新读取"),
    ]),
    "runs": ("table", "run", "批次：每次 nianbao batch 一行，含本次的账目。", [
        ("run", "INTEGER", "批次号，从 1 起"),
        ("started", "TIMESTAMP", "开始时间"),
        ("finished", "TIMESTAMP", "结束时间（中断的批次为空）"),
        ("found", "INTEGER", "找到的输入数 = reports + duplicates + failures + skipped"),
        ("reports", "INTEGER", "报告数（新入库与已在库中）"),
        ("new_reports", "INTEGER", "新入库的报告数"),
        ("duplicates", "INTEGER", "重复文件数"),
        ("failures", "INTEGER", "无法读取的文件数"),
        ("skipped", "INTEGER", "跳过的输入数"),
    ]),
    "meta": ("table", "key", "库的元数据。", [
        ("key", "VARCHAR", "名称（schema_version 库结构版本）"),
        ("value", "VARCHAR", "值"),
    ]),
    "current_files": ("view", "path", "每个路径当前（最近一批见到）的内容；列同 files。", []),
    "report_versions": ("view", "sha256", "每份报告及其版本状态；列同 reports，另加：", [
        ("version", "VARCHAR", "current 当前、superseded 已被取代"),
        ("superseded_by", "VARCHAR", "取代它的报告（sha256）"),
        ("superseded_because", "VARCHAR", "path 同一路径有了新内容；unit_year 同一单位同一年度另有报告（较晚批次、其次路径靠后者为当前）"),
    ]),
    "current_reports": ("view", "sha256", "当前报告：每个路径一份、每个单位每年一份；列同 reports。汇总、图表只用这些。", []),
    "failures": ("view", "path", "当前仍无法读取的文件（文件修好、或重新读取成功后不再列出）。", [
        ("sha256", "VARCHAR", "内容的 SHA-256"), ("path", "VARCHAR", "路径"), ("code", "VARCHAR", "原因代码"),
        ("message", "VARCHAR", "中文原因"), ("needs", "VARCHAR", "读取时所依赖的条件（同 files.needs）"),
    ]),
    "unit_years": ("view", "(unit, year)", "单位 × 年度的当前报告。", [
        ("unit", "VARCHAR", "单位"), ("year", "INTEGER", "年度"), ("reports", "BIGINT", "当前报告数（为 1）"),
        ("paths", "VARCHAR[]", "文件路径"), ("sha256s", "VARCHAR[]", "报告 sha256"),
    ]),
    "unit_year_conflicts": ("view", "(unit, year, other_sha256)", "同一单位同一年度的两份不同报告（需人工核对）。", [
        ("unit", "VARCHAR", "单位"), ("year", "INTEGER", "年度"), ("current_sha256", "VARCHAR", "使用的报告"),
        ("current_path", "VARCHAR", "使用的文件"), ("other_sha256", "VARCHAR", "未使用的报告"),
        ("other_path", "VARCHAR", "未使用的文件"),
    ]),
}

_TABLE_ZH = {"t2": "表二", "t3": "表三", "t4": "表四"}


def cell_keys() -> list[tuple[str, str, str, str, str, str]]:
    """(format, tbl, row_key, col_key, printed label, unit) for every template cell of every format."""
    from ..formats import FORMATS
    out = []
    for fkey, fmt in FORMATS.items():
        for t in fmt.tables:
            for r, c in t.cells():
                row = r.label if not r.group or r.group in r.label else f"{r.group} {r.label}"
                out.append((fkey, t.key, r.key, c.key, f"{_TABLE_ZH.get(t.key, t.key)}「{row}」×「{c.label}」",
                            c.unit or ""))
    return out


def markdown() -> str:
    from .store import SCHEMA_VERSION
    lines = ["# 语料库数据字典 / Data dictionary of the corpus store", "",
             f"`nianbao batch` 建立的 DuckDB 库（库结构版本 {SCHEMA_VERSION}）。本文件由 `nianbao schema` 生成，"
             "请勿手工修改。`--parquet DIR` 导出 reports、cells、findings、sections、files、runs、report_versions、"
             "failures，列相同。", ""]
    for name, (kind, key, zh, cols) in TABLES.items():
        lines += [f"## {name}（{'表' if kind == 'table' else '视图'}）", "", zh, "", f"键：`{key}`", ""]
        if cols:
            lines += ["| 列 | 类型 | 含义 |", "|---|---|---|"]
            lines += [f"| `{c}` | {t} | {m} |" for c, t, m in cols]
            lines.append("")
    lines += ["## 单元格键 / Cell keys", "",
              "cells 表的 (tbl, row_key, col_key) 与报告中印刷的表、行、列（两种格式；同一键在两种格式中含义相同）。", "",
              "| 格式 | tbl | row_key | col_key | 印刷标签 | 计量单位 |", "|---|---|---|---|---|---|"]
    lines += [f"| {f} | {t} | {r} | {c} | {label} | {u} |" for f, t, r, c, label, u in cell_keys()]
    return "\n".join(lines) + "\n"
