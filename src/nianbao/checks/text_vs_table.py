"""Text against tables (C4): figures the narrative states must agree with the tables."""
from __future__ import annotations

import re

from ..report import READ
from .examples import ctx
from .model import WARNING, rule

# sentences about a whole region quote figures that are not the unit's own
_REGION = re.compile(r"全(?:省|市|区|县|州|旗|盟)|各(?:单位|部门|镇|乡|街道)|全市各|全区各|全县各")
_RECEIVED = re.compile(r"(?:收到|受理|新收|接收|接到)[^。；，,：:\d]{0,16}?申请[^。；，,\d]{0,12}?(\d+)\s*件")
_NONE = re.compile(r"(?:未|没有)(?:收到|接到|受理)[^。；，,]{0,16}?申请")
_GRANTED = re.compile(r"予以公开\s*(\d+)\s*件")


def _sentences(text: str):
    for s in re.split(r"[。；;！!？?\n]", text):
        if s.strip():
            yield s


@rule("T101", "text-table-mismatch", WARNING, "text_vs_table",
      "正文所述申请件数应与表三一致（C4）",
      "正文与表格是同一份报告的两种表述；数字不一致会让读者无法判断哪个是真的（年度报告格式要求数据准确）。",
      "核对后统一正文和表三中的数字。",
      failing=lambda: ctx(sections={3: "全年共收到政府信息公开申请9件。"}),
      passing=lambda: ctx(sections={3: "全年共收到政府信息公开申请6件；全区各单位共收到申请120件。"}))
def text_table(rule_, c):
    rep = c.report
    cv_new = rep.cells.get(("t3", "new_received", "total"))
    cv_granted = rep.cells.get(("t3", "granted", "total"))
    if cv_new is None or cv_new.status != READ:
        return
    texts = [(s.number, s.text, s.where) for s in rep.sections] + [(0, rep.preamble, None)]
    def mismatch(cv, said: str, n: int, zh_table: str, en_what: str, number, where):
        return rule_.finding(
            f"正文说“{said}”，{zh_table}为 {cv.value} 件。",
            f"the text says {n} {en_what}; t3 {cv.row}/total is {cv.value}.",
            table="t3", row=cv.row, col="total", cells=[cv.key],
            values={"text": n, "table": cv.value, "section": number}, where=where, source=rep.source.path)

    granted_known = cv_granted is not None and cv_granted.status == READ
    for number, text, where in texts:
        for sent in _sentences(text):
            if _REGION.search(sent) or "上年" in sent or "结转" in sent:
                continue
            for m in _RECEIVED.finditer(sent):
                if int(m.group(1)) != cv_new.value:
                    yield mismatch(cv_new, m.group(0), int(m.group(1)), "表三本年新收申请总计", "requests were received",
                                   number, where)
            none = _NONE.search(sent)
            if none and cv_new.value:
                yield mismatch(cv_new, none.group(0), 0, "表三本年新收申请总计却", "requests were received",
                               number, where)
            for m in _GRANTED.finditer(sent) if granted_known else ():
                if int(m.group(1)) != cv_granted.value:
                    yield mismatch(cv_granted, m.group(0), int(m.group(1)), "表三（一）予以公开总计", "were granted",
                                   number, where)
