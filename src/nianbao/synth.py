"""Random valid reports, in the contract's JSON shape.

`random_report(rng, "2021")` draws the independent cells (each outcome of 表三 per applicant
column, the carried-over and carried-forward counts, the 表四 results, the 表二 figures) and
derives every total from them, so all hard identities of the format hold. The narrative text
is built from a small phrase bank and quotes the table figures ("共收到政府信息公开申请X件").

Everything is drawn from the given `random.Random`, in declaration order: the same seed gives
the same report.
"""
from __future__ import annotations

import random
from typing import Any

from . import formats as F
from .formats.model import COUNT, MONEY, SIGNED, Format, Identity

CONTRACT = 1
_LAST_YEAR = 2024  # the last year drawn for an open-ended format

# ---------------------------------------------------------------- organisations
_CITIES = ("临川", "青阳", "东川", "安平", "清河", "云溪", "宁远", "江华", "丰乐", "长宁", "永安",
           "新塘", "白沙", "金台", "河西", "南屏", "龙泉", "石门", "兴和", "望江")
_DISTRICTS = ("城东", "城西", "新华", "和平", "胜利", "长安", "朝阳", "桥西", "红旗", "滨江", "高新", "北湖")
_STREETS = ("先锋路", "文化路", "东风", "城关", "解放路", "人民路", "建设", "向阳", "西城", "北关",
            "团结", "官洲", "嘉荣里", "驼峰路", "梨园", "三里桥", "站前", "新村")
_TOWNS = ("中村", "茅坪", "西镇", "周家", "白石", "黄土岭", "清水", "杨柳", "大桥", "三合", "柏林",
          "马坊", "龙口", "沙河", "石桥", "太平")
_BUREAUS = ("教育", "交通运输", "生态环境", "自然资源和规划", "市场监督管理", "住房和城乡建设",
            "卫生健康", "民政", "财政", "人力资源和社会保障", "农业农村", "水利", "司法", "应急管理")


def random_org(rng: random.Random) -> str:
    """An invented issuing body: 街道办事处, 镇/乡人民政府, a 局, or a city government."""
    kind = rng.choices(("street", "town", "township", "city_bureau", "district_bureau", "city"),
                       weights=(4, 3, 1, 2, 2, 1))[0]
    city = rng.choice(_CITIES)
    if kind == "street":
        return f"{city}市{rng.choice(_DISTRICTS)}区{rng.choice(_STREETS)}街道办事处"
    if kind == "town":
        return f"{city}县{rng.choice(_TOWNS)}镇人民政府"
    if kind == "township":
        return f"{city}县{rng.choice(_TOWNS)}乡人民政府"
    if kind == "city_bureau":
        return f"{city}市{rng.choice(_BUREAUS)}局"
    if kind == "district_bureau":
        return f"{city}市{rng.choice(_DISTRICTS)}区{rng.choice(_BUREAUS)}局"
    return f"{city}市人民政府"


def _self_name(org: str) -> str:
    """How the unit calls itself in its text: 我街道, 我镇, 我局 …"""
    if "街道" in org:
        return "我街道"
    if org.endswith("镇人民政府"):
        return "我镇"
    if org.endswith("乡人民政府"):
        return "我乡"
    if org.endswith("局"):
        return "我局"
    if org.endswith("市人民政府"):
        return "市政府"
    return "本机关"


def _makes_rules(org: str) -> bool:
    """Only a city government makes 规章 (a 街道 or 乡镇 never does: check C6)."""
    return org.endswith("市人民政府")


def _portal(org: str) -> str:
    i = org.find("市")
    if i < 0:
        i = org.find("县")
    return (org[: i + 1] if i >= 0 else org) + "人民政府门户网站"


# ---------------------------------------------------------------- numbers
def _count(rng: random.Random, zero_share: float, scale: float) -> int:
    """0 with probability zero_share, else a small positive count (about `scale` on average)."""
    if rng.random() < zero_share:
        return 0
    return 1 + int(rng.expovariate(1.0 / max(scale, 0.01)))


def _ids(fmt: Format, code: str) -> list[Identity]:
    return [i for i in fmt.identities if i.code == code]


def _t3(rng: random.Random, fmt: Format, zero_share: float) -> dict[str, dict[str, int]]:
    spec = fmt.table("t3")
    h1, h2, h3 = _ids(fmt, "H1"), _ids(fmt, "H2"), _ids(fmt, "H3")
    sum_col = h3[0].lhs[0][2]                           # 总计
    parts = [c for _, _, c in h3[0].rhs]                # 自然人 + the organisation columns
    total_row = h2[0].lhs[0][1]                         # （七）总计
    outcomes = [r for _, r, _ in h2[0].rhs]             # （一）…（六）
    new_row, co_row = (r for _, r, _ in h1[0].lhs)      # 一、 二、
    cf_row = next(r for _, r, _ in h1[0].rhs if r != total_row)  # 四、

    t: dict[str, dict[str, int]] = {r.key: {} for r in spec.cell_rows()}
    for r in outcomes:
        for c in parts:
            scale = 2.5 if c == parts[0] else 0.4      # most applicants are natural persons
            t[r][c] = _count(rng, zero_share, scale)
    for c in parts:
        t[total_row][c] = sum(t[r][c] for r in outcomes)
        t[cf_row][c] = _count(rng, zero_share, 1.0)
        owed = t[total_row][c] + t[cf_row][c]
        t[co_row][c] = min(_count(rng, zero_share, 1.0), owed)
        t[new_row][c] = owed - t[co_row][c]
    for r in t:
        t[r][sum_col] = sum(t[r][c] for c in parts)
    # Column order as declared.
    return {r: {c.key: t[r][c.key] for c in spec.columns_of(r)} for r in t}


def _t4(rng: random.Random, fmt: Format, zero_share: float) -> dict[str, dict[str, int]]:
    spec = fmt.table("t4")
    t: dict[str, dict[str, int]] = {}
    h4 = {i.key: i for i in _ids(fmt, "H4")}
    for row in spec.cell_rows():
        ident = h4[row.key]
        vals = {c: _count(rng, zero_share, 1.0) for _, _, c in ident.rhs}
        vals[ident.lhs[0][2]] = sum(vals.values())
        t[row.key] = {c.key: vals[c.key] for c in spec.columns_of(row.key)}
    return t


def _money(rng: random.Random, zero_share: float, decimals: int, lo: float, hi: float) -> float:
    if rng.random() < zero_share:
        return 0.0
    return round(rng.uniform(lo, hi), decimals)


def _t2(rng: random.Random, fmt: Format, zero_share: float, org: str) -> dict[str, dict[str, Any]]:
    """表二: plausible figures for each template cell (no hard identity binds them)."""
    spec = fmt.table("t2")
    rules = _makes_rules(org)
    bureau = org.endswith("局")
    t: dict[str, dict[str, Any]] = {}
    for row in spec.cell_rows():
        cols = {c.key: c for c in spec.columns_of(row.key)}
        z = zero_share if (row.key != "regulations" or rules) else 1.0
        v: dict[str, Any] = {}
        if "made" in cols:                                  # 第二十条第（一）项
            made = _count(rng, z, 3.0 if row.key == "regulations" else 6.0)
            second = _count(rng, z, 2.0)                    # 废止 (2021) / 新公开 (2019)
            stock = made + _count(rng, z, 25.0)
            for k, c in cols.items():
                v[k] = made if k == "made" else (stock if k == list(cols)[-1] else second)
            if "published" in cols:
                v["published"] = min(v["published"] + made, stock) if z < 1.0 else 0
        elif "previous" in cols:                            # 2019 第二十条第（五）（六）（八）项
            prev = _count(rng, zero_share, 40.0)
            v["previous"] = prev
            change = 0 if rng.random() < zero_share else rng.randint(-min(prev, 10), 15)
            v["change"] = change
            if "decisions" in cols:
                v["decisions"] = _count(rng, zero_share, 150.0 if bureau else 30.0)
        elif "decisions" in cols:                           # 2021 第二十条第（五）（六）项
            v["decisions"] = _count(rng, zero_share, 150.0 if bureau else 30.0)
        elif "count" in cols:                               # 2019 政府集中采购
            n = _count(rng, zero_share, 3.0)
            v["count"] = n
            if n == 0:
                v["amount"] = 0
            else:
                style = rng.randrange(3)
                if style == 0:
                    v["amount"] = rng.randint(10_000, 5_000_000)           # 元, whole
                elif style == 1:
                    v["amount"] = round(rng.uniform(10_000, 5_000_000), 2)  # 元 and 角分
                else:
                    v["amount"] = round(rng.uniform(1, 500), 4)             # 万元
        for k, c in cols.items():                           # anything left: by kind
            if k in v:
                continue
            if c.kind == MONEY:
                v[k] = _money(rng, zero_share, rng.choice((2, 4)), 0.01, 50.0)
            elif c.kind == SIGNED:
                v[k] = 0
            else:
                v[k] = _count(rng, zero_share, 5.0)
        t[row.key] = {k: v[k] for k in cols}
    return t


# ---------------------------------------------------------------- narrative
_OPENINGS = (
    "{year}年，{org}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "按照上级关于政务公开工作的部署要求，坚持“以公开为常态、不公开为例外”，扎实推进政府信息公开工作。",
    "{year}年，在上级党委、政府的正确领导下，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕中心工作，不断完善政府信息公开制度，规范公开流程，政府信息公开工作取得新进展。",
    "{year}年，{org}深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，"
    "严格执行《中华人民共和国政府信息公开条例》，持续提升政府信息公开工作质效。",
)
_ACTIVE = (
    "（一）主动公开。{self}依托{portal}，全年主动公开政府信息{n}条，其中机构职能、政策文件、"
    "财政预决算等信息及时更新，做到应公开尽公开。",
    "（一）主动公开。全年通过{portal}、政务新媒体和公开栏等渠道主动公开各类政府信息{n}条，"
    "内容涵盖工作动态、惠民政策、民生保障等方面。",
)
_REQUESTS = (
    "（二）依申请公开。{year}年共收到政府信息公开申请{new}件，上年结转{co}件，办结{done}件，"
    "结转下年度继续办理{cf}件，均在法定期限内答复。",
    "（二）依申请公开。进一步规范依申请公开的受理、登记、办理和答复流程。全年共收到政府信息公开申请{new}件，"
    "办结{done}件。",
)
_MANAGEMENT = (
    "（三）政府信息管理。严格落实信息发布保密审查制度，坚持“先审查、后公开”和“一事一审”原则，"
    "全年未发生泄密事件。",
    "（三）政府信息管理。建立健全政府信息公开属性源头认定机制，定期清理已公开的政策文件，"
    "确保公开信息准确、规范。",
)
_PLATFORM = (
    "（四）平台建设。加强{portal}政务公开专栏建设，及时更新栏目内容，提升平台的集约化水平。",
    "（四）平台建设。完善政务公开专区和便民服务窗口查阅点设置，方便群众就近查阅政府信息。",
)
_SUPERVISION = (
    "（五）监督保障。将政府信息公开工作纳入年度目标责任考核，明确专人负责，"
    "{year}年未发生因政府信息公开工作引发的责任追究情况。",
    "（五）监督保障。主动接受社会监督，广泛听取群众意见和建议，全年未收到对政府信息公开工作的投诉。",
)
_PROBLEMS = (
    "政府信息公开的深度和广度有待进一步拓展",
    "部分栏目更新不够及时，信息发布的时效性有待提高",
    "工作人员业务能力与新形势新要求还有差距",
    "政策解读形式较为单一，解读质量有待提升",
    "依申请公开答复的规范性还需进一步加强",
)
_MEASURES = (
    "加强业务培训，提升工作人员政府信息公开业务水平",
    "完善信息发布审核机制，确保公开信息及时、准确",
    "丰富政策解读形式，增强解读的针对性和可读性",
    "规范依申请公开办理流程，提高答复质量",
    "加强平台建设与管理，及时更新栏目内容",
)
_ORDINALS = "一二三四五六七八九十"


def _enum(items: list[str]) -> str:
    return "；".join(f"{_ORDINALS[i]}是{s}" for i, s in enumerate(items)) + "。"


def _sections(rng: random.Random, fmt: Format, org: str, year: int, tables: dict) -> list[dict]:
    t2, t3, t4 = tables["t2"], tables["t3"], tables["t4"]
    h3 = _ids(fmt, "H3")[0]
    sum_col = h3.lhs[0][2]
    first_col = h3.rhs[0][2]
    ctx = {"org": org, "year": year, "self": _self_name(org), "portal": _portal(org),
           "n": rng.randint(20, 600),
           "new": t3["new_received"][sum_col], "co": t3["carried_over"][sum_col],
           "done": t3["total"][sum_col], "cf": t3["carried_forward"][sum_col]}
    s1 = [rng.choice(_OPENINGS), rng.choice(_ACTIVE), rng.choice(_REQUESTS), rng.choice(_MANAGEMENT),
          rng.choice(_PLATFORM), rng.choice(_SUPERVISION)]
    s1 = [p.format(**ctx) for p in s1]

    if "published" in t2.get("normative", {}):
        s2 = (f"{year}年，{ctx['self']}新制作规范性文件{t2['normative']['made']}件，"
              f"对外公开规范性文件总数{t2['normative']['total']}件；"
              f"作出行政许可决定{t2['licensing']['decisions']}件，行政处罚决定{t2['punishment']['decisions']}件，"
              f"行政强制决定{t2['coercion']['decisions']}件。具体情况如下：")
    else:
        s2 = (f"{year}年，{ctx['self']}制发行政规范性文件{t2['normative']['made']}件，"
              f"现行有效行政规范性文件{t2['normative']['valid']}件；"
              f"作出行政许可决定{t2['licensing']['decisions']}件，行政处罚决定{t2['punishment']['decisions']}件，"
              f"行政强制决定{t2['coercion']['decisions']}件。具体情况如下：")

    h2 = _ids(fmt, "H2")[0]
    outcome_rows = [r for _, r, _ in h2.rhs]

    def group_sum(prefix: str) -> int:
        return sum(t3[r][sum_col] for r in outcome_rows if r == prefix or r.startswith(prefix + "_"))

    natural = t3["new_received"][first_col]
    s3 = (f"{year}年，{ctx['self']}共收到政府信息公开申请{ctx['new']}件，其中自然人申请{natural}件，"
          f"法人或其他组织申请{ctx['new'] - natural}件；上年结转政府信息公开申请{ctx['co']}件。"
          f"本年度办理结果：予以公开{group_sum('granted')}件，部分公开{group_sum('partial')}件，"
          f"不予公开{group_sum('denied')}件，无法提供{group_sum('unable')}件，"
          f"不予处理{group_sum('not_processed')}件，其他处理{group_sum('other')}件；"
          f"结转下年度继续办理{ctx['cf']}件。")

    review_total = t4["review"]["total"]
    lit_total = sum(t4[g]["total"] for g in t4 if g != "review")
    if review_total == 0 and lit_total == 0:
        s4 = f"{year}年，{ctx['self']}未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    else:
        r = t4["review"]
        s4 = (f"{year}年，{ctx['self']}因政府信息公开工作被申请行政复议{review_total}件，"
              f"其中结果维持{r['maintain']}件、结果纠正{r['correct']}件、其他结果{r['other']}件、"
              f"尚未审结{r['pending']}件；被提起行政诉讼{lit_total}件。")

    problems = rng.sample(_PROBLEMS, rng.randint(2, 3))
    measures = rng.sample(_MEASURES, rng.randint(2, 4))
    s5 = [f"（一）存在的主要问题。{_enum(problems)}", f"（二）改进情况。{_enum(measures)}"]

    s6: list[str] = []
    unpaid = t3.get("other_2", {}).get(sum_col)
    if unpaid is not None:  # the 2021 format has （六）2: say whether 信息处理费 was charged
        if unpaid:
            s6.append(f"{year}年，{ctx['self']}依据《政府信息公开信息处理费管理办法》发出收费通知，"
                      f"其中{unpaid}件申请的申请人逾期未缴纳信息处理费，按规定不再处理；本年度未实际收取信息处理费。")
        else:
            s6.append(f"{year}年，{ctx['self']}未收取政府信息公开信息处理费。")
    proposals = (f"{year}年，{ctx['self']}共办理人大代表建议{rng.randint(0, 12)}件、"
                 f"政协委员提案{rng.randint(0, 12)}件，均已按时办结。")
    if s6 or rng.random() < 0.5:
        s6.append(proposals)
    else:
        s6.append("本年度无其他需要报告的事项。")

    texts = ["\n".join(s1), s2, s3, s4, "\n".join(s5), "\n".join(s6)]
    return [{"number": s.number, "title": s.title, "text": texts[i]} for i, s in enumerate(fmt.sections)]


def _preamble(fmt: Format, org: str, year: int) -> str:
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{fmt.name}》"
            f"（{fmt.document}）要求编制。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
            f"本报告电子版可在{_portal(org)}下载。如对本报告有疑问，请与{org}联系。")


# ---------------------------------------------------------------- the report
def random_report(rng: random.Random, fmt: str = "2021", *, zero_share: float = 0.5,
                  year: int | None = None, org: str | None = None) -> dict:
    """A random report that satisfies every hard identity of `fmt`, in the contract's shape."""
    f = F.get(fmt)
    if org is None:
        org = random_org(rng)
    if year is None:
        first, last = f.years
        year = rng.randint(first, last if last is not None else _LAST_YEAR)
    tables = {
        "t2": _t2(rng, f, zero_share, org),
        "t3": _t3(rng, f, zero_share),
        "t4": _t4(rng, f, zero_share),
    }
    report = {
        "contract": CONTRACT,
        "org": org,
        "year": year,
        "format": f.key,
        "title": f"{org}{year}年政府信息公开工作年度报告",
        "preamble": _preamble(f, org, year),
        "sections": _sections(rng, f, org, year, tables),
        "tables": {t.key: tables[t.key] for t in f.tables},
    }
    bad = violations(report)
    if bad:  # pragma: no cover - a bug in this module
        raise AssertionError(f"synthesised report breaks {bad[0].code} ({bad[0].key})")
    return report


# ---------------------------------------------------------------- checks used by tests and fixtures
def _get(tables: dict, ref: tuple[str, str, str]) -> Any:
    t, r, c = ref
    return ((tables.get(t) or {}).get(r) or {}).get(c)


def violations(report: dict) -> list[Identity]:
    """The identities of the report's format that its tables break (missing cells count as 0)."""
    f = F.get(report["format"])
    tables = report.get("tables") or {}
    out = []
    for ident in f.identities:
        lhs = sum(_get(tables, ref) or 0 for ref in ident.lhs)
        rhs = sum(_get(tables, ref) or 0 for ref in ident.rhs)
        if lhs != rhs:
            out.append(ident)
    return out


def kind_problems(report: dict) -> list[str]:
    """Template cells that are missing or have a value of the wrong kind (H5)."""
    f = F.get(report["format"])
    tables = report.get("tables") or {}
    out = []
    for t, r, c in f.template_cells():
        v = _get(tables, (t, r, c))
        kind = f.table(t).column(r, c).kind
        where = f"{t}.{r}.{c}"
        if v is None:
            out.append(f"{where}: missing")
        elif kind == COUNT and not (type(v) is int and v >= 0):
            out.append(f"{where}: {v!r} is not a non-negative integer")
        elif kind == SIGNED and type(v) is not int:
            out.append(f"{where}: {v!r} is not an integer")
        elif kind == MONEY and (type(v) not in (int, float) or v < 0):
            out.append(f"{where}: {v!r} is not an amount")
    return out


__all__ = ["random_report", "random_org", "violations", "kind_problems"]
