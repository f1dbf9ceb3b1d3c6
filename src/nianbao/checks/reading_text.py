"""Reading problems in the text (family "reading", codes R2xx): the reader could not find something
the report may well contain. These never claim the report lacks it; they ask for a look at the
original. (A source cut off before its last sections is R102's; S101 then stays silent.)"""
from __future__ import annotations

from ..document import Where
from .examples import ctx
from .model import WARNING, rule
from .structure import section_gaps

_CN = "一二三四五六"
_ASK = "请人工核对原文，或提供 Word/PDF 原件。"


@rule("R201", "section-title-not-separated", WARNING, "reading",
      "原文中有部分标题，但它与表格或正文连在一起，未能识别为标题",
      "标题与正文或表格连排（网页转换、PDF 提取常见）时，读取器无法划分该部分；这是读取问题，不能据此认定报告缺少该部分。",
      "人工核对原文中该部分的文字和表格；如有 Word/PDF 原件，请改用原件检查。",
      failing=lambda: _buried_example(True), passing=lambda: _buried_example(False))
def title_not_separated(rule_, c):
    rep = c.report
    for n, (text, where) in sorted(section_gaps(c)["buried"].items()):
        yield rule_.finding(
            f"未能可靠读取第{_CN[n - 1]}部分：原文中的「{text}」与表格或正文连在一起，未能识别为部分标题，"
            f"该部分的文字和表格可能未被正确读取。{_ASK}",
            f"section {n} could not be read reliably: its title ('{text}') runs together with a table or "
            f"paragraph and was not recognised as a heading.",
            where=where, values={"section": n, "text": text}, source=rep.source.path)


def _buried_example(buried: bool):
    x = ctx(drop_sections=(3,) if buried else ())
    if buried:
        x.report.buried.append((3, "三、收到和处理政府信息公开申请情况本年度共收到申请6件", Where(line=30)))
    return x
