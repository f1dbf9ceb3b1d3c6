"""A region's own report against its children's (parent = Σ children), when `check` is given both."""
from __future__ import annotations

from ..formats import FORMATS
from .examples import make_report
from .model import WARNING, Context, rule
from .shared import CN


@rule("A101", "parent-not-sum-of-children", WARNING, "region",
      "同时检查地区本级和全部直接下级单位的报告时：本级表三、表四各格应等于下级之和",
      "汇总报告的表三、表四应等于所辖单位之和（nianbao compile 用同样的口径）；不一致说明汇总漏算、重复计算或某份报告填错。"
      "撤并调整等情况可能合理地不一致，故为警告。",
      "逐格核对本级与下级报告；找出漏报或填错的单位后更正汇总数。",
      failing=lambda: _region_example(1), passing=lambda: _region_example(0))
def parent_not_sum(rule_, c):
    if not c.children:
        return
    from ..corpus.compile import parent_differences
    rep = c.report
    diffs = parent_differences(rep, c.children)
    spec = FORMATS[rep.format]
    by_table: dict[str, list[dict]] = {}
    for d in diffs:
        by_table.setdefault(d["table"], []).append(d)
    for t, ds in by_table.items():
        ts = spec.table(t)
        parts = "；".join(f"「{ts.row(d['row']).label}·{ts.column(d['row'], d['col']).label}」本级 {d['parent']}，"
                         f"下级合计 {d['children']}" for d in ds[:12]) + ("；等" if len(ds) > 12 else "")
        yield rule_.finding(
            f"表{CN[t]}有 {len(ds)} 个单元格不等于 {len(c.children)} 个下级单位报告之和：{parts}。",
            f"table {t}: {len(ds)} cells differ from the sum of the {len(c.children)} child units' reports.",
            table=t, row=ds[0]["row"] if len(ds) == 1 else None, col=ds[0]["col"] if len(ds) == 1 else None,
            cells=[(t, d["row"], d["col"]) for d in ds], where=rep.cells[(t, ds[0]["row"], ds[0]["col"])].where,
            values={"differences": ds, "children": [ch.org for ch in c.children]}, source=rep.source.path)


def _region_example(off: int) -> Context:
    a = make_report(org="示例市示例区甲街道办事处")
    b = make_report(org="示例市示例区乙街道办事处")
    parent = make_report(org="示例市示例区人民政府")
    for k, cv in parent.cells.items():
        if k[0] in ("t3", "t4") and cv.value is not None:
            cv.value = a.cells[k].value + b.cells[k].value
    parent.cells[("t3", "new_received", "natural")].value += off
    return Context(parent, children=[a, b])
