"""The parts both official formats share: the six sections, most of 表三, all of 表四."""
from __future__ import annotations

from .model import COUNT, Column, Identity, Row, Section, TableSpec

SECTIONS = (
    Section(1, "一、总体情况", ("总体情况", "基本情况", "政府信息公开总体情况", "概述", "总体概述"),
            (("总体情况",), ("基本情况",), ("概述",))),
    Section(2, "二、主动公开政府信息情况", ("主动公开政府信息情况", "主动公开信息情况", "主动公开情况"),
            (("主动公开",),)),
    Section(3, "三、收到和处理政府信息公开申请情况",
            ("收到和处理政府信息公开申请情况", "依申请公开政府信息情况", "依申请公开情况"),
            (("收到", "申请"), ("处理", "申请"), ("依申请",))),
    Section(4, "四、政府信息公开行政复议、行政诉讼情况",
            ("政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
             "政府信息公开行政复议行政诉讼情况"),
            (("行政复议", "行政诉讼"), ("复议", "诉讼"))),
    Section(5, "五、存在的主要问题及改进情况",
            ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在的问题及改进情况",
             "存在问题及改进情况", "存在的主要问题及改进措施"),
            (("问题", "改进"), ("问题", "措施"), ("不足", "改进"))),
    Section(6, "六、其他需要报告的事项", ("其他需要报告的事项", "其他需要报告事项"),
            (("其他需要报告",), ("其他", "事项"))),
)

# ---------------------------------------------------------------- 表三
T3_COLUMNS = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social", "社会公益组织"),
    Column("legal", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)
T3_ORG_GROUP = "法人或其他组织"
T3_HEADER = "申请人情况"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

G_DENIED = "（三）不予公开"
G_UNABLE = "（四）无法提供"
G_NOT_PROCESSED = "（五）不予处理"
G_OTHER = "（六）其他处理"

T3_HEAD_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("results", "三、本年度办理结果", has_cells=False),
    Row("granted", "（一）予以公开"),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("（二）部分公开",)),
    Row("denied", G_DENIED, has_cells=False),
    Row("denied_1", "1.属于国家秘密", group=G_DENIED),
    Row("denied_2", "2.其他法律行政法规禁止公开", group=G_DENIED),
    Row("denied_3", "3.危及“三安全一稳定”", ("3.危及三安全一稳定",), group=G_DENIED),
    Row("denied_4", "4.保护第三方合法权益", group=G_DENIED),
    Row("denied_5", "5.属于三类内部事务信息", ("5.属于第三类内部事务信息",), group=G_DENIED),
    Row("denied_6", "6.属于四类过程性信息", ("6.属于第四类过程性信息",), group=G_DENIED),
    Row("denied_7", "7.属于行政执法案卷", group=G_DENIED),
    Row("denied_8", "8.属于行政查询事项", group=G_DENIED),
    Row("unable", G_UNABLE, has_cells=False),
    Row("unable_1", "1.本机关不掌握相关政府信息", group=G_UNABLE),
    Row("unable_2", "2.没有现成信息需要另行制作", group=G_UNABLE),
    Row("unable_3", "3.补正后申请内容仍不明确", group=G_UNABLE),
    Row("not_processed", G_NOT_PROCESSED, has_cells=False),
    Row("not_processed_1", "1.信访举报投诉类申请", ("1.信访举报类申请",), group=G_NOT_PROCESSED),
    Row("not_processed_2", "2.重复申请", group=G_NOT_PROCESSED),
    Row("not_processed_3", "3.要求提供公开出版物", group=G_NOT_PROCESSED),
    Row("not_processed_4", "4.无正当理由大量反复申请", group=G_NOT_PROCESSED),
    Row("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", group=G_NOT_PROCESSED),
)
T3_TAIL_ROWS = (
    Row("total", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)
T3_ANCHORS = ("本列数据的勾稽关系为", T3_HEADER, "本年新收政府信息公开申请数量")

OUTCOME_ROWS_COMMON = (
    "granted", "partial",
    *(f"denied_{i}" for i in range(1, 9)),
    *(f"unable_{i}" for i in range(1, 4)),
    *(f"not_processed_{i}" for i in range(1, 6)),
)


def t3_spec(other_rows: tuple[Row, ...]) -> TableSpec:
    return TableSpec(
        key="t3", title="收到和处理政府信息公开申请情况", section=3,
        rows=T3_HEAD_ROWS + other_rows + T3_TAIL_ROWS, columns=T3_COLUMNS,
        anchors=T3_ANCHORS, note=T3_NOTE,
    )


# ---------------------------------------------------------------- 表四
T4_COLUMNS = (
    Column("maintain", "结果维持", ("维持",)),
    Column("correct", "结果纠正", ("纠正",)),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
T4_GROUP_REVIEW = "行政复议"
T4_GROUP_LITIGATION = "行政诉讼"
T4 = TableSpec(
    key="t4", title="政府信息公开行政复议、行政诉讼情况", section=4,
    rows=(
        Row("review", "行政复议"),
        Row("direct", "未经复议直接起诉"),
        Row("after_review", "复议后起诉"),
    ),
    columns=T4_COLUMNS,
    anchors=(T4_GROUP_REVIEW, T4_GROUP_LITIGATION),
)


# ---------------------------------------------------------------- identities
def t3_identities(outcome_rows: tuple[str, ...]) -> tuple[Identity, ...]:
    ids: list[Identity] = []
    cols = [c.key for c in T3_COLUMNS]
    for c in cols:
        ids.append(Identity(
            "H1", "第一项加第二项之和等于第三项加第四项之和",
            (("t3", "new_received", c), ("t3", "carried_over", c)),
            (("t3", "total", c), ("t3", "carried_forward", c)),
            along="col", key=c))
    for c in cols:
        ids.append(Identity(
            "H2", "（七）总计等于各项办理结果之和",
            (("t3", "total", c),),
            tuple(("t3", r, c) for r in outcome_rows),
            along="col", key=c))
    rows_with_cells = ["new_received", "carried_over", *outcome_rows, "total", "carried_forward"]
    for r in rows_with_cells:
        ids.append(Identity(
            "H3", "总计等于自然人与法人或其他组织各列之和",
            (("t3", r, "total"),),
            tuple(("t3", r, c) for c in cols if c != "total"),
            along="row", key=r))
    return tuple(ids)


def t4_identities() -> tuple[Identity, ...]:
    return tuple(
        Identity("H4", "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
                 (("t4", g, "total"),),
                 tuple(("t4", g, c) for c in ("maintain", "correct", "other", "pending")),
                 along="group", key=g)
        for g in ("review", "direct", "after_review"))
