"""国办公开办函〔2021〕30号 — the revised format, used from the 2021 reports on."""
from __future__ import annotations

from .common import (G_OTHER, OUTCOME_ROWS_COMMON, SECTIONS, T4, t3_identities, t3_spec,
                     t4_identities)
from .model import MONEY, Block, Column, Format, Row, TableSpec

_ITEM_COLS = (
    Column("made", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("valid", "现行有效件数"),
)
_DECISION_COLS = (Column("decisions", "本年处理决定数量"),)
_FEE_COLS = (Column("amount", "本年收费金额（单位：万元）", ("本年收费金额",), kind=MONEY, unit="万元"),)

T2 = TableSpec(
    key="t2", title="主动公开政府信息情况", section=2,
    rows=(
        Row("regulations", "规章", block="item1"),
        Row("normative", "行政规范性文件", ("规范性文件",), block="item1"),
        Row("licensing", "行政许可", block="item5"),
        Row("punishment", "行政处罚", block="item6"),
        Row("coercion", "行政强制", block="item6"),
        Row("fees", "行政事业性收费", block="item8"),
    ),
    blocks=(
        Block("item1", "第二十条第（一）项", _ITEM_COLS, ("regulations", "normative")),
        Block("item5", "第二十条第（五）项", _DECISION_COLS, ("licensing",)),
        Block("item6", "第二十条第（六）项", _DECISION_COLS, ("punishment", "coercion")),
        Block("item8", "第二十条第（八）项", _FEE_COLS, ("fees",)),
    ),
    anchors=("第二十条第（一）项", "信息内容"),
)

_T3_OTHER = (
    Row("other", G_OTHER, has_cells=False),
    Row("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", group=G_OTHER),
    Row("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", group=G_OTHER),
    Row("other_3", "3.其他", group=G_OTHER),
)
_OUTCOMES = OUTCOME_ROWS_COMMON + ("other_1", "other_2", "other_3")

FORMAT_2021 = Format(
    key="2021",
    name="政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    years=(2021, None),
    sections=SECTIONS,
    tables=(T2, t3_spec(_T3_OTHER), T4),
    identities=t3_identities(_OUTCOMES) + t4_identities(),
)
