"""Small reports built in code: the failing and passing examples of the rule catalogue."""
from __future__ import annotations

from ..document import Source, Where
from ..formats import FORMATS
from ..report import BLANK, MISSING, READ, CellValue, Report, SectionText
from .model import Context

# A small internally consistent set of requests (natural persons and one company).
_T3_BASE = {
    ("new_received", "natural"): 5, ("carried_over", "natural"): 1,
    ("granted", "natural"): 3, ("partial", "natural"): 1, ("unable_1", "natural"): 1,
    ("total", "natural"): 5, ("carried_forward", "natural"): 1,
    ("new_received", "commercial"): 1, ("granted", "commercial"): 1, ("total", "commercial"): 1,
}
SECTION_TEXT = {
    1: "2022年，本街道认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条。",
    2: "",
    3: "全年共收到政府信息公开申请6件，均已按期答复。",
    4: "",
    5: "一是公开内容不够全面；二是解读形式单一。下一步将加强培训。",
    6: "本年度未收取信息处理费。",
}


def make_report(fmt: str = "2021", year: int | None = None, org: str = "示例市示例区示例街道办事处",
                values: dict | None = None, blank: tuple = (), sections: dict | None = None,
                drop_sections: tuple = (), present: tuple = ("t2", "t3", "t4")) -> Report:
    """A report whose every template cell is read; t3/t4 consistent unless `values` says otherwise."""
    spec = FORMATS[fmt]
    year = year or (2022 if fmt == "2021" else 2020)
    r = Report(Source(f"example-{fmt}.txt", "0" * 64, "text"), org=org, year=year, format=fmt)
    r.title = f"{org}{year}年政府信息公开工作年度报告"
    t3 = {(row, col): 0 for row, col in ((rr.key, c.key) for rr, c in spec.table("t3").cells())}
    t3.update(_T3_BASE)
    for row in {k[0] for k in t3}:
        t3[(row, "total")] = sum(v for (rr, c), v in t3.items() if rr == row and c != "total")
    t4 = {("review", "maintain"): 1, ("review", "total"): 1}
    for n, (t, rk, ck) in enumerate(spec.template_cells()):
        if t == "t3":
            v = t3[(rk, ck)]
        elif t == "t4":
            v = t4.get((rk, ck), 0)
        else:
            v = 0
        r.cells[(t, rk, ck)] = CellValue(t, rk, ck, v, str(v), READ, where=Where(line=100 + n))
    for key, v in (values or {}).items():
        cv = r.cells[key]
        cv.value, cv.raw = v, (None if v is None else str(v))
    for key in blank:
        cv = r.cells[key]
        cv.value, cv.raw, cv.status = None, "", BLANK
    r.present = set(present)
    texts = {**SECTION_TEXT, **(sections or {})}
    for sec in spec.sections:
        if sec.number not in drop_sections:
            r.sections.append(SectionText(sec.number, sec.title, texts[sec.number], Where(line=sec.number * 10)))
    return r


def ctx(**kw) -> Context:
    previous = kw.pop("previous", None)
    return Context(make_report(**kw), previous=previous)


def ctx_missing_row(note: str, row: str = "partial", cols=("natural", "commercial", "total")) -> Context:
    """An example report whose 表三 row has cells marked missing with `note` (reading examples)."""
    x = ctx()
    for col in cols:
        cv = x.report.cells[("t3", row, col)]
        cv.status, cv.value, cv.note = MISSING, None, note
    return x
