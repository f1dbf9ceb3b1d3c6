"""国办公开办函〔2019〕60号 — the trial format, used for the 2019 and 2020 reports."""
from __future__ import annotations

from .common import (G_OTHER, OUTCOME_ROWS_COMMON, SECTIONS, T4, t3_identities, t3_spec,
                     t4_identities)
from .model import COUNT, MONEY, SIGNED, Block, Column, Format, Row, TableSpec

_ITEM_COLS = (
    Column("made", "本年新制作数量"),
    Column("published", "本年新公开数量"),
    Column("total", "对外公开总数量"),
)
_PROJECT_COLS = (
    Column("previous", "上一年项目数量"),
    Column("change", "本年增/减", ("本年增减", "本年增/"), kind=SIGNED),
    Column("decisions", "处理决定数量"),
)
_FEE_COLS = _PROJECT_COLS[:2]
_PROCUREMENT_COLS = (
    Column("count", "采购项目数量"),
    Column("amount", "采购总金额", kind=MONEY),
)

T2 = TableSpec(
    key="t2", title="主动公开政府信息情况", section=2,
    rows=(
        Row("regulations", "规章", block="item1"),
        Row("normative", "规范性文件", ("行政规范性文件",), block="item1"),
        Row("licensing", "行政许可", block="item5"),
        Row("other_services", "其他对外管理服务事项", block="item5"),
        Row("punishment", "行政处罚", block="item6"),
        Row("coercion", "行政强制", block="item6"),
        Row("fees", "行政事业性收费", block="item8"),
        Row("procurement", "政府集中采购", block="item9"),
    ),
    blocks=(
        Block("item1", "第二十条第（一）项", _ITEM_COLS, ("regulations", "normative")),
        Block("item5", "第二十条第（五）项", _PROJECT_COLS, ("licensing", "other_services")),
        Block("item6", "第二十条第（六）项", _PROJECT_COLS, ("punishment", "coercion")),
        Block("item8", "第二十条第（八）项", _FEE_COLS, ("fees",)),
        Block("item9", "第二十条第（九）项", _PROCUREMENT_COLS, ("procurement",)),
    ),
    anchors=("第二十条第（一）项", "信息内容"),
)

_T3_OTHER = (Row("other", "（六）其他处理"),)
_OUTCOMES = OUTCOME_ROWS_COMMON + ("other",)

FORMAT_2019 = Format(
    key="2019",
    name="政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    sections=SECTIONS,
    tables=(T2, t3_spec(_T3_OTHER), T4),
    identities=t3_identities(_OUTCOMES) + t4_identities(),
)
