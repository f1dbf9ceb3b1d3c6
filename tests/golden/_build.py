"""Builds the golden files in this directory from values typed by hand after reading the sources.

Nothing here parses the sources: every value below was read by a person from the text file named
in the function's docstring (line numbers refer to `cat -n` of that file). Run:

    python tests/golden/_build.py

Conventions (see the brief / data contract):
- a value is given as the raw text printed in the cell ("0", "+10", "10268898元"); `num()` turns it
  into the JSON number; "" means a blank cell (status blank), "/" "—" "-" "无" mean not_applicable.
- `MISSING` marks a cell that is cut off or ambiguous (value null, status missing).
- `inferred(v)` marks a value not printed (or not readable) but forced by an identity plus
  non-negativity.
- every template cell of every table that appears must be set explicitly; `finish()` refuses
  unset cells and re-checks the identities H1-H4 on the cells that have values.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------ templates (template order)
T2_2019 = {
    "regulations": ("made", "published", "total"),
    "normative": ("made", "published", "total"),
    "licensing": ("previous", "change", "decisions"),
    "other_services": ("previous", "change", "decisions"),
    "punishment": ("previous", "change", "decisions"),
    "coercion": ("previous", "change", "decisions"),
    "fees": ("previous", "change"),
    "procurement": ("count", "amount"),
}
T2_2021 = {
    "regulations": ("made", "repealed", "valid"),
    "normative": ("made", "repealed", "valid"),
    "licensing": ("decisions",),
    "punishment": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}
T3_COLS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
T3_OUTCOMES_COMMON = (
    "granted", "partial",
    *(f"denied_{i}" for i in range(1, 9)),
    *(f"unable_{i}" for i in range(1, 4)),
    *(f"not_processed_{i}" for i in range(1, 6)),
)
T3_OUTCOMES = {"2019": T3_OUTCOMES_COMMON + ("other",),
               "2021": T3_OUTCOMES_COMMON + ("other_1", "other_2", "other_3")}
T4_GROUPS = ("review", "direct", "after_review")
T4_COLS = ("maintain", "correct", "other", "pending", "total")


def template(table: str, fmt: str) -> dict[str, tuple[str, ...]]:
    if table == "t2":
        return T2_2019 if fmt == "2019" else T2_2021
    if table == "t3":
        rows = ("new_received", "carried_over", *T3_OUTCOMES[fmt], "total", "carried_forward")
        return {r: T3_COLS for r in rows}
    return {g: T4_COLS for g in T4_GROUPS}


# ------------------------------------------------------------------ cell values
class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


class inferred:  # noqa: N801 - reads like a marker
    def __init__(self, value):
        self.value = value


FULLWIDTH = str.maketrans("０１２３４５６７８９＋－．，", "0123456789+-.,")
NOT_APPLICABLE = {"/", "／", "—", "——", "-", "无"}


def num(raw: str):
    """The JSON number for a printed cell: '+10' -> 10, '183.2867' -> 183.2867, '10268898元' -> 10268898."""
    s = raw.translate(FULLWIDTH).strip().strip("\u3000").strip()
    s = s.replace(",", "")
    s = re.sub(r"(万元|元)$", "", s)
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", s):
        raise ValueError(f"not a number: {raw!r}")
    v = float(s)
    return int(v) if "." not in s else v


def cell_of(x):
    """(value, status) for one typed cell."""
    if x is MISSING:
        return None, "missing"
    if isinstance(x, inferred):
        return x.value, "inferred"
    if isinstance(x, str):
        s = x.strip().strip("\u3000").strip()
        if s == "":
            return None, "blank"
        if s in NOT_APPLICABLE:
            return None, "not_applicable"
        return num(s), "read"
    raise TypeError(x)


# ------------------------------------------------------------------ one golden file
class Golden:
    def __init__(self, source: str, *, org, year, fmt, sections, tables=("t2", "t3", "t4")):
        self.source, self.org, self.year, self.fmt, self.sections = source, org, year, fmt, sections
        self.tables = {t: ({r: {c: "unset" for c in cols} for r, cols in template(t, fmt).items()}
                           if t in tables else None) for t in ("t2", "t3", "t4")}
        self.status: dict[str, str] = {}
        self.extra_rows: list[dict] = []
        self.notes: list[str] = []

    # -- setting cells
    def cell(self, t, r, c, x):
        tab = self.tables[t]
        if tab is None or r not in tab or c not in tab[r]:
            raise KeyError((t, r, c))
        if tab[r][c] != "unset":
            raise ValueError(f"set twice: {t}.{r}.{c}")
        value, status = cell_of(x)
        tab[r][c] = value
        if status != "read":
            self.status[f"{t}.{r}.{c}"] = status

    def row(self, t, r, *xs):
        """One printed row: one typed cell per template column, in template order.
        A single string with spaces ('0 0 0') is split; a single marker is repeated."""
        cols = self.tables[t][r]
        if len(xs) == 1 and isinstance(xs[0], str) and " " in xs[0].strip():
            xs = tuple(xs[0].split())
        if len(xs) == 1 and len(cols) > 1:
            xs = xs * len(cols)
        if len(xs) != len(cols):
            raise ValueError(f"{t}.{r}: {len(xs)} values for {len(cols)} columns")
        for c, x in zip(cols, xs):
            self.cell(t, r, c, x)

    def rows(self, t, rs, *xs):
        for r in rs:
            self.row(t, r, *xs)

    def rest(self, t, x):
        """Every cell of table t not set yet (used for 'all remaining cells are 0' and for cut-offs)."""
        for r, cols in self.tables[t].items():
            for c, v in cols.items():
                if v == "unset":
                    self.cell(t, r, c, x)

    def extra(self, t, parent, label, **values):
        self.extra_rows.append({"table": t, "parent": parent, "label": label,
                                "values": {k: num(v) for k, v in values.items()}})

    def note(self, text):
        self.notes.append(text)

    # -- checks and output
    def _check(self):
        for t, tab in self.tables.items():
            if tab is None:
                continue
            for r, cols in tab.items():
                for c, v in cols.items():
                    if v == "unset":
                        raise ValueError(f"{self.source}: {t}.{r}.{c} never set")
        for k, s in self.status.items():
            t, r, c = k.split(".")
            v = self.tables[t][r][c]
            if (s == "inferred") != (v is not None):
                raise ValueError(f"{self.source}: {k} status {s} with value {v}")
        problems = []

        def known(vals):
            return all(v is not None for v in vals)

        t3 = self.tables["t3"]
        if t3:
            outcomes = T3_OUTCOMES[self.fmt]
            for c in T3_COLS:
                a = [t3["new_received"][c], t3["carried_over"][c]]
                b = [t3["total"][c], t3["carried_forward"][c]]
                if known(a + b) and sum(a) != sum(b):
                    problems.append(f"H1 {c}")
                o = [t3[r][c] for r in outcomes]
                if known(o + [t3["total"][c]]) and sum(o) != t3["total"][c]:
                    problems.append(f"H2 {c}")
            for r, cols in t3.items():
                parts = [cols[c] for c in T3_COLS[:-1]]
                if known(parts + [cols["total"]]) and sum(parts) != cols["total"]:
                    problems.append(f"H3 {r}")
        t4 = self.tables["t4"]
        if t4:
            for g, cols in t4.items():
                parts = [cols[c] for c in T4_COLS[:-1]]
                if known(parts + [cols["total"]]) and sum(parts) != cols["total"]:
                    problems.append(f"H4 {g}")
        if problems:
            print(f"  identity violations in {self.source}: {problems}")

    def finish(self):
        self._check()
        stem = Path(self.source).stem
        out = {
            "source": self.source, "org": self.org, "year": self.year, "format": self.fmt,
            "sections": self.sections, "tables": self.tables, "status": self.status,
            "extra_rows": self.extra_rows, "notes": " ".join(self.notes),
        }
        path = HERE / f"{stem}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        n = sum(len(cols) for tab in self.tables.values() if tab for cols in tab.values())
        print(f"{path.name}: {n} cells, {len(self.status)} non-read, {len(self.extra_rows)} extra rows")



# ================================================================== seeds (complete reports)


def seed_000():
    """seeds/000_ca8a2528f0fad91b.txt — 先锋路街道 2020, 2019 format, one cell per tab-line."""
    g = Golden("seeds/000_ca8a2528f0fad91b.txt", org="先锋路街道", year=2020, fmt="2019",
               sections=[1, 2, 3, 4, 5, 6])  # headings at lines 1, 9, 85, 350, 404, 410
    # 表二 lines 10-81: every value cell is 0 (some padded with full-width spaces, e.g. "　0　" l.20)
    g.row("t2", "regulations", "0 0 0")        # l.20-22
    g.row("t2", "normative", "0 0 0")          # l.25-27
    g.row("t2", "licensing", "0 0 0")          # l.37-39
    g.row("t2", "other_services", "0 0 0")     # l.42-44
    g.row("t2", "punishment", "0 0 0")         # l.54-56
    g.row("t2", "coercion", "0 0 0")           # l.59-61
    g.row("t2", "fees", "0 0")                 # l.70-71
    g.row("t2", "procurement", "0 0")          # l.80-81
    # 表三 lines 104-346: all 23 rows print seven 0s
    g.rest("t3", "0")
    # 表四 lines 386-400: fifteen 0s
    g.rest("t4", "0")
    g.note("org from the first sentence (l.2 '2020年，先锋路街道政府信息公开工作…'); no title line. "
           "Section 六 says only '无'.")
    g.finish()


def seed_001():
    """seeds/001_31451f56acce7a8f.txt — 景山街道 2020, 2019 format."""
    g = Golden("seeds/001_31451f56acce7a8f.txt", org="景山街道", year=2020, fmt="2019",
               sections=[1, 2, 3, 4, 5, 6])  # l.4 "1、 总体情况", l.10, 91, 356, 404, 415
    g.row("t2", "regulations", "0 0 0")        # l.20-22
    g.row("t2", "normative", "0 0 0")          # l.25-27
    g.row("t2", "licensing", "0 0 0")          # l.37-39
    # l.41-51: 其他对外管理服务事项 split into sub-rows 行政检查 (0,0,0) and 行政确认 (0,+10,0)
    g.row("t2", "other_services", MISSING)
    g.extra("t2", "other_services", "行政检查", previous="0", change="0", decisions="0")
    g.extra("t2", "other_services", "行政确认", previous="0", change="+10", decisions="0")
    g.row("t2", "punishment", "0", "+337", "122")  # l.61-63
    g.row("t2", "coercion", "0", "+20", "0")       # l.66-68
    g.row("t2", "fees", "0 0")                     # l.77-78
    g.row("t2", "procurement", "26", "183.2867")   # l.87-88; header l.84 "采购总金额（万元，保留四位小数）"
    # 表三
    g.row("t3", "new_received", "8 0 0 0 0 0 8")   # l.110-116
    g.row("t3", "granted", "7 0 0 0 0 0 7")        # l.129-135
    g.row("t3", "denied_2", "1 0 0 0 0 0 1")       # l.162-168
    g.row("t3", "total", "8 0 0 0 0 0 8")          # l.338-344
    g.rest("t3", "0")                              # every other row prints seven 0s
    g.rest("t4", "0")                              # l.387-401
    g.note("其他对外管理服务事项 is split into sub-rows 行政检查 and 行政确认 (l.41-51): template row "
           "other_services null/missing, both sub-rows in extra_rows, no sum invented. "
           "采购总金额 header (l.84) says 万元，保留四位小数: amount 183.2867 is in 万元. "
           "四、结转 row label carries a '[bookmark: _GoBack]' artefact (l.346).")
    g.finish()


def seed_002():
    """seeds/002_4db7ac69ce8a2181.txt — 临清市先锋路街道办事处 2021, 2021 format, tab-separated rows."""
    g = Golden("seeds/002_4db7ac69ce8a2181.txt", org="临清市先锋路街道办事处", year=2021, fmt="2021",
               sections=[1, 2, 3, 4, 5, 6])  # l.7, 21, 39, 73, 80, 97
    g.row("t2", "regulations", "0 0 0")        # l.25
    g.row("t2", "normative", "0 0 0")          # l.26, label printed as 2019's "规范性文件"
    g.row("t2", "licensing", "0")              # l.30
    g.row("t2", "punishment", "0")             # l.33
    g.row("t2", "coercion", "0")               # l.34
    g.row("t2", "fees", "0")                   # l.37
    # 表三 l.44-71. l.47 (二)部分公开 and l.48 1.属于国家秘密 print only SIX 0s for seven columns:
    # which column is missing is ambiguous -> missing as printed; (七)总计 (l.70) is all 0 and every
    # other outcome row is 0, so H2 + non-negativity force both rows to 0 in every column.
    g.row("t3", "partial", inferred(0))
    g.row("t3", "denied_1", inferred(0))
    g.rest("t3", "0")   # all other rows print seven 0s (l.65 other_1 row is split over l.65/67)
    # 表四 l.78: five empty cells (行政复议) then ten 0s
    g.row("t4", "review", "")
    g.row("t4", "direct", "0 0 0 0 0")
    g.row("t4", "after_review", "0 0 0 0 0")
    g.note("t3 partial (l.47) and denied_1 (l.48) print six values for seven columns -> ambiguous; "
           "inferred 0 from H2 ((七)总计 all 0, all other outcome rows 0, counts non-negative). "
           "Alternative reading considered for l.47: its fields are ['', label, '', 0×6]; aligned "
           "with l.46 ['三…', label, 0×7] the empty field would be a blank 自然人 cell, but l.44 shows "
           "this converter also emits an empty filler after a spanning label, and l.48 drops a value "
           "with no placeholder at all, so the position is not trustworthy -> ambiguous. "
           "t4 row (l.78) leaves the five 行政复议 cells empty -> blank. "
           "t2 prints '规范性文件' (2019 label) in a 2021-format table: still the normative row. "
           "l.65/67: （六）1 label broken over two lines; its values are on l.65.")
    g.finish()


def seed_003():
    """seeds/003_74ac7cc249356a73.txt — 平湖街道办事处 2020, 2019 format, no title."""
    g = Golden("seeds/003_74ac7cc249356a73.txt", org="平湖街道办事处", year=2020, fmt="2019",
               sections=[1, 2, 3, 4, 5])  # l.2 一、基本情况, l.6 二、主动公开信息情况, l.83, 345, 390
    g.row("t2", "regulations", "0 0 0")        # l.17-19
    g.row("t2", "normative", "0 0 0")          # l.22-24
    g.row("t2", "licensing", "0 1 0")          # l.34-36
    g.row("t2", "other_services", "0 0 0")     # l.39-41
    g.row("t2", "punishment", "0 125 0")       # l.51-53
    g.row("t2", "coercion", "0 0 0")           # l.56-58
    g.row("t2", "fees", "0 0")                 # l.67-68
    g.row("t2", "procurement", "2", "10268898元")  # l.77-78
    g.rest("t3", "0")                          # l.101-342, all cells " 0" / "0"
    g.rest("t4", "0")                          # l.373-387
    g.note("org from the signature line l.394 '平湖街道办事处' (no title; the first sentence says only "
           "'街道'; l.5 also names '平湖街道'). No section 六 heading. 采购总金额 '10268898元' (unit 元 "
           "in the cell). l.80 prints an extra label row '2020年本行政区域（或本部门）政府信息公开发布总数量"
           "（非新闻类、消息类）：' with no value: not a template row, not listed in extra_rows.")
    g.finish()


def seed_004():
    """seeds/004_ad88d0bc66619eac.txt — 剑光街道办事处 2020, 2019 format."""
    g = Golden("seeds/004_ad88d0bc66619eac.txt", org="剑光街道办事处", year=2020, fmt="2019",
               sections=[1, 2, 3, 4, 5, 6])  # l.1, 23, 100, 370, 415, 417
    g.row("t2", "regulations", "0 0 0")        # l.32-34
    g.row("t2", "normative", "162 162 568")    # l.37-39
    g.row("t2", "licensing", "0 0 0")          # l.49-51
    g.row("t2", "other_services", "0 0 0")     # l.54-56
    g.row("t2", "punishment", "0 0 0")         # l.66-68, block header misprinted 第二十六条第（六）项 (l.58)
    g.row("t2", "coercion", "0 0 0")           # l.71-73
    g.row("t2", "fees", "0 0")                 # l.83-84 (l.85 is an empty extra 4th cell)
    g.row("t2", "procurement", "69", "1072991.52")  # l.95-96 (l.97 empty extra cell)
    g.rest("t3", "0")                          # l.119-367, all 0
    g.rest("t4", "0")                          # l.398-412
    g.note("org from l.2 '由剑光街道办事处编制'. Block header l.58 '第二十六条第（六）项' is a misprint of "
           "第二十条第（六）项; its rows still extract. 表三 has no '三、本年度办理结果' label (l.137 is an "
           "empty cell); 总计 column header comes after 其他 in the second header row (l.117). "
           "Lines 19-20 '一、明确责任…' '二、强化监督…' are sub-items of （五）, not section headings. "
           "采购总金额 1072991.52 has no unit printed.")
    g.finish()


# ================================================================== real excerpts (cut off)


def p01():
    """real/p01_yuyang_tuofenglu_2020.txt — blank-line separated cells, cut in 表三."""
    g = Golden("real/p01_yuyang_tuofenglu_2020.txt", org="驼峰路街道办事处", year=2020, fmt="2019",
               sections=[1, 2, 3], tables=("t2", "t3"))  # l.3, 23, 135; l.19 "(四)因政府信息公开申请的行政复议…" is a sub-heading
    g.row("t2", "regulations", "0 0 0")        # l.37, 39, 41
    g.row("t2", "normative", "0 0 0")          # l.45-49
    g.row("t2", "licensing", "0 0 0")          # l.63-67
    g.row("t2", "other_services", "0 0 0")     # l.71-75
    g.row("t2", "punishment", "0 0 0")         # l.89-93
    g.row("t2", "coercion", "0 0 0")           # l.97-101
    g.row("t2", "fees", "0 0")                 # l.114, 116 (two blank lines after = empty 4th cell)
    g.row("t2", "procurement", "0 0")          # l.130, 132
    # 表三: l.158 label, l.159-165 seven blank lines, l.166 " 0". One blank line separates cells,
    # each extra blank line is one empty cell (same as the empty 4th cell of the (八)/(九) rows,
    # l.110-111, 116-118) -> six blank cells, then 总计 0.
    g.row("t3", "new_received", "", "", "", "", "", "", "0")
    g.row("t3", "carried_over", "", "", "", "", "", "", "0")   # l.168-176, same layout
    # l.180 (一)予以公开, l.181-187 seven blank lines, l.188 a single space and the file ends (no
    # newline): the same layout as rows 一/二 cut right after the leading space of " 0".
    # -> six blank cells are fully visible; 总计 is cut off.
    g.row("t3", "granted", "", "", "", "", "", "", MISSING)
    g.rest("t3", MISSING)
    g.note("Year from the text (l.13, l.21: 2020年度); title has no year. "
           "表三 rows 一/二: six blank cells then 总计 0 (blank-line layout: one blank line separates "
           "cells, each extra blank line is an empty cell). Narrative l.13 says no requests were "
           "received, but blank is not 0. "
           "(一)予以公开: seven blank lines then the file ends with a lone space (the ' ' that starts "
           "' 0' in rows 一/二), so natural…other_org are blank (seen) and only total is cut off "
           "(missing). DISAGREES with the lead's 'all 7 missing'. Rows after it: missing. 表四 never "
           "starts.")
    g.finish()


def p03():
    """real/p03_yizhou_liyuan_2020.txt — blank-line separated, cut in 表二 at '第二十条第('."""
    g = Golden("real/p03_yizhou_liyuan_2020.txt", org="伊州区丽园街道办事处", year=2020, fmt="2019",
               sections=[1, 2], tables=("t2",))  # l.11, 19
    g.row("t2", "regulations", "5 5 5")        # l.33-37
    g.row("t2", "normative", "5 5 5")          # l.41-45
    g.row("t2", "licensing", "0 0 0")          # l.59-63 (header l.53 printed '本年增/')
    g.row("t2", "other_services", "0 0 0")     # l.67-71
    g.rest("t2", MISSING)                      # l.73 '第二十条第(' cut: punishment…procurement
    g.note("Title on l.5 (l.1-3 are the portal's header). Excerpt ends at l.73 '第二十条第(': "
           "punishment, coercion, fees, procurement missing; 表三/表四 never start.")
    g.finish()


def p05():
    """real/p05_huangpi_sanliqiao_2020.txt — pipes, one cell per line, instructions in label cells."""
    g = Golden("real/p05_huangpi_sanliqiao_2020.txt", org=None, year=2020, fmt="2019",
               sections=[1, 2], tables=("t2",))  # l.1, 3
    g.row("t2", "regulations", "0 0 0")        # l.13-15
    g.row("t2", "normative", "87 0 0")         # l.18-20 (as printed: made 87, published 0, total 0)
    # l.22-25: non-template row 其他主动公开文件 (0, 0, 0) inside the （一） block
    g.extra("t2", None, "其他主动公开文件", made="0", published="0", total="0")
    g.row("t2", "licensing", "0 0 0")          # l.35-37
    g.row("t2", "other_services", "0 0 0")     # l.40-42
    g.row("t2", "punishment", "0 0 0")         # l.52-54
    g.rest("t2", MISSING)                      # l.56 '行政强' cut mid-label: coercion, fees, procurement
    g.note("org null: no title, no 编制 phrase, no signature; the first sentence says only '我街'. "
           "Label cells carry filling instructions in parentheses (规章(设区的市…), 规范性文件(…), "
           "column headers '上一年项目数量 (指2019年事项数)' …). normative printed 87/0/0 (made 87 but "
           "published 0 and total 0 — kept as printed). Extra row '其他主动公开文件(含以本单位或本单位"
           "办公室名义正式签发的…栏目数据)' 0/0/0 in the （一） block is not a template row: listed in "
           "extra_rows with parent null (it is an added row, not a split of a template row). "
           "l.56 '行政强' is cut mid-label -> coercion missing.")
    g.finish()


def p07():
    """real/p07_cqsdj_ytz_2022.txt — pipes with cells split over two lines."""
    g = Golden("real/p07_cqsdj_ytz_2022.txt", org=None, year=2022, fmt="2021",
               sections=[1, 2], tables=("t2",))  # l.2, 9
    g.row("t2", "regulations", "0 0 0")        # l.19-21
    g.row("t2", "normative", "0 0 0")          # l.24-26
    g.row("t2", "licensing", "0")              # l.34 ' 0  | ||'
    g.rest("t2", MISSING)                      # l.41 ' 行' cut: punishment, coercion, fees
    g.note("org null: the preamble (l.1) says only '编制本报告' and the text says '我镇'; the unit is not "
           "named anywhere in the excerpt. Year from l.1 statistics period 2022.")
    g.finish()


def p09():
    """real/p09_zhenan_maoping_2022.txt — pipes after a portal metadata header; cut at 表三 header."""
    g = Golden("real/p09_zhenan_maoping_2022.txt", org="茅坪回族镇", year=2022, fmt="2021",
               sections=[1, 2, 3], tables=("t2", "t3"))  # l.5, 8, 49
    g.row("t2", "regulations", "0 0 0")        # l.16-18
    g.row("t2", "normative", "0 0 0")          # l.20-22
    g.row("t2", "licensing", "0")              # l.29
    g.row("t2", "punishment", "0")             # l.37
    g.row("t2", "coercion", "0")               # l.40
    g.row("t2", "fees", "0")                   # l.48
    g.rest("t3", MISSING)                      # l.50: only the header note, cut
    g.note("org from l.4 '现将茅坪回族镇2022年度政府信息公开工作报告如下' (发布机构 '镇安县政府' on l.1 is "
           "the portal field, not the issuer). 表三 has started (l.50 its header note, cut mid-sentence) "
           "-> object with every cell missing. 表四 never starts.")
    g.finish()


def p11():
    """real/p11_jiaxian_xizhen_2022.txt — 2022 report in the 2019 layout, tables with no values."""
    g = Golden("real/p11_jiaxian_xizhen_2022.txt", org="螅镇", year=2022, fmt="2019",
               sections=[1, 2, 3], tables=("t2", "t3"))  # l.5, 9, 73
    g.rest("t2", "")                           # l.21-71: every row label printed, no values at all
    # 表三 l.95-127: row labels with no values -> blank
    g.rows("t3", ["new_received", "carried_over", "granted", "partial",
                  *(f"denied_{i}" for i in range(1, 9)), "unable_1", "unable_2"], "")
    g.rest("t3", MISSING)                      # l.129 '3.补正后申请内容' cut mid-label, and after
    g.note("2022 report whose tables follow the 2019 format (本年新制作数量, 上一年项目数量, 采购项目数量, "
           "one （六） row expected). Tables printed with labels only, no values: every printed row "
           "blank. l.129 '3.补正后申请内容' is cut mid-label -> unable_3 missing, as are all later rows. "
           "表四 never starts.")
    g.finish()


def p13():
    """real/p13_huichang_zhongcun_2020.txt — blank-line separated with leading spaces."""
    g = Golden("real/p13_huichang_zhongcun_2020.txt", org="中村乡", year=2020, fmt="2019",
               sections=[1, 2], tables=("t2",))  # l.11, 15; l.127 '三、收到' cut mid-heading
    g.row("t2", "regulations", "0 0 0")        # l.33-37
    g.row("t2", "normative", "5 5 5")          # l.41-45
    g.row("t2", "licensing", "0 0 0")          # l.59-63
    g.row("t2", "other_services", "0 0 0")     # l.67-71
    g.row("t2", "punishment", "0 0 0")         # l.85-89
    g.row("t2", "coercion", "0 0 0")           # l.93-97
    g.row("t2", "fees", "0 0")                 # l.109-111
    g.row("t2", "procurement", "1", "8040")    # l.123, 125 (complete: followed by l.127 '三、收到')
    g.note("Title l.5. '三、收到' at the very end (l.127) is cut mid-heading: not counted, and 表三 "
           "never starts. 采购总金额 8040 has no unit printed.")
    g.finish()


def p15():
    """real/p15_tongyu_tuanjie_2020.txt — blank-line separated, ends inside 表二 (九)."""
    g = Golden("real/p15_tongyu_tuanjie_2020.txt", org="团结乡", year=2020, fmt="2019",
               sections=[1, 2], tables=("t2",))  # l.11, 41
    g.row("t2", "regulations", "0 0 0")        # l.57-61
    g.row("t2", "normative", "0 0 0")          # l.65-69
    g.row("t2", "licensing", "0 0 0")          # l.83-87
    g.row("t2", "other_services", "0 0 0")     # l.91-95
    g.row("t2", "punishment", "0 0 0")         # l.109-113
    g.row("t2", "coercion", "0 0 0")           # l.117-121
    g.row("t2", "fees", "0 0")                 # l.133-135
    g.row("t2", "procurement", "0 0")          # l.147, 149; l.151 '20' = start of cut-off text
    g.note("Title l.3. Statistics period misprinted '自20201月1日起至202012月31日止' (l.15): year 2020. "
           "Procurement count 0 and amount 0 (l.147, 149); the final '20' (l.151, no newline) is the "
           "start of cut-off text, not a value. 表三/表四 never start.")
    g.finish()


def p17():
    """real/p17_haizhu_guanzhou_2023.txt — pipes, one table row per line; cut in 表三 （三）6."""
    g = Golden("real/p17_haizhu_guanzhou_2023.txt", org="官洲街道办事处", year=2023, fmt="2021",
               sections=[1, 2, 3], tables=("t2", "t3"))  # l.1, 3, 18
    g.row("t2", "regulations", "0 0 0")        # l.6
    g.row("t2", "normative", "0 0 0")          # l.7
    g.row("t2", "licensing", "0")              # l.10
    g.row("t2", "punishment", "1472")          # l.13
    g.row("t2", "coercion", "0")               # l.14
    g.row("t2", "fees", "0")                   # l.17
    g.row("t3", "new_received", "1 0 0 0 0 0 1")   # l.22
    g.row("t3", "carried_over", "0 0 0 0 0 0 0")   # l.23
    g.row("t3", "granted", "0 0 0 0 0 0 0")        # l.24
    g.row("t3", "partial", "0 0 0 0 0 0 0")        # l.25
    g.rows("t3", ["denied_1", "denied_2", "denied_3", "denied_4", "denied_5"],
           "0 0 0 0 0 0 0")                        # l.26-30
    g.row("t3", "denied_6", "0", "0", "0", "0", "0", "0", MISSING)  # l.31: six 0s, file ends
    g.rest("t3", MISSING)
    g.note("org from the first sentence of 一 (l.2 '…官洲街道办事处认真贯彻落实…'); no title. "
           "l.31 '6.属于四类过程性信息' shows six 0s and the excerpt ends (no closing '|'): "
           "natural…other_org read as 0 (a count printed as '0' cannot continue into another number), "
           "total missing; later rows missing. 表四 never starts.")
    g.finish()


def p19():
    """real/p19_dazhu_zhoujia_2024.txt — pipes, cut after 表二 （一）."""
    g = Golden("real/p19_dazhu_zhoujia_2024.txt", org="大竹县周家镇", year=2024, fmt="2021",
               sections=[1, 2], tables=("t2",))  # l.2, 8
    g.row("t2", "regulations", "0 0 0")        # l.11 (label '规 章')
    g.row("t2", "normative", "0 0 0")          # l.12
    g.rest("t2", MISSING)                      # l.13 '第二十条第(' cut
    g.note("org from the preamble l.1 '编制大竹县周家镇2024年政府信息公开工作年度报告' (no title line; "
           "the text also says '周家镇'). Cut at l.13: licensing, punishment, coercion, fees missing.")
    g.finish()


def p21():
    """real/p21_beichen_jiarongli_2021.txt — pipes, one cell per line; cut at 表二 （八） header."""
    g = Golden("real/p21_beichen_jiarongli_2021.txt", org="佳荣里街", year=2021, fmt="2021",
               sections=[1, 2], tables=("t2",))  # l.2, 9; l.3 '(一)概述' is a sub-heading
    g.row("t2", "regulations", "0 0 0")        # l.16-18
    g.row("t2", "normative", "0 0 0")          # l.20-22
    g.row("t2", "licensing", "0")              # l.27
    g.row("t2", "punishment", "0")             # l.32
    g.row("t2", "coercion", "0")               # l.34
    g.rest("t2", MISSING)                      # l.35 （八） block header only: fees missing
    g.note("Title l.1. The excerpt ends with the （八） block header (l.35): fees row never printed "
           "-> missing. Narrative l.6 mentions 1 request received (表三 not reached).")
    g.finish()


# ================================================================== real layouts, reproduced (complete)


def md_heping_2022():
    """../fixtures/text_layouts/md_heping_2022.md — a markdown conversion of a 2021-format report: every
    table group under its own "###" heading, placeholder column headers "数据1 … 数据6 | 总计", the
    表三 applicant header split into three mini-tables, 表四 as three mini-tables, "-" for empty cells."""
    g = Golden("../fixtures/text_layouts/md_heping_2022.md", org="青山区和平街道办事处", year=2022, fmt="2021",
               sections=[1, 2, 3, 4, 5, 6])  # l.5, 21, 49, 142, 164, 168 ("## …")
    g.row("t2", "regulations", "0 0 0")            # l.27
    g.row("t2", "normative", "2 1 15")             # l.28
    g.row("t2", "licensing", "36")                 # l.34
    g.row("t2", "punishment", "128")               # l.40
    g.row("t2", "coercion", "4")                   # l.41
    g.row("t2", "fees", "1.25")                    # l.47
    g.row("t3", "new_received", "12 3 0 0 1 0 16")  # l.69, under "### 一、本年新收…"
    g.row("t3", "carried_over", "1 0 0 0 0 0 1")    # l.75
    g.row("t3", "granted", "5 1 0 0 0 0 6")         # l.83
    g.row("t3", "partial", "2 0 0 0 1 0 3")         # l.89
    g.row("t3", "denied_4", "1 0 0 0 0 0 1")        # l.98
    g.row("t3", "unable_1", "3 1 0 0 0 0 4")        # l.108
    g.row("t3", "unable_3", "1 0 0 0 0 0 1")        # l.110
    g.row("t3", "not_processed_1", "1 0 0 0 0 0 1")  # l.116
    g.row("t3", "other_2", "-")                     # l.127: seven "-"
    g.row("t3", "total", "13 2 0 0 1 0 16")         # l.134
    g.row("t3", "carried_forward", "0 1 0 0 0 0 1")  # l.140
    g.rest("t3", "0")                               # every other 表三 row prints seven 0s
    g.row("t4", "review", "1 0 0 0 1")              # l.148
    g.row("t4", "direct", "0 0 0 0 0")              # l.156
    g.row("t4", "after_review", "-")                # l.162: five "-"
    g.note("Title l.1 '# 青山区和平街道办事处2022年…'. '-' cells (l.127, l.162) are not_applicable per the "
           "contract. The '数据1 … 数据6 | 总计' header rows are the converter's placeholders, not rows.")
    g.finish()


def md_qingshuiqiao_2020():
    """../fixtures/text_layouts/md_qingshuiqiao_2020.md — a markdown conversion of a 2019-format report:
    bold "## **一、…**" headings, ":---:" rules, "<br>" inside cells, groups under "###" headings, the
    single （六）其他处理 row as a small values-only table, 表四 as one table with a three-row header."""
    g = Golden("../fixtures/text_layouts/md_qingshuiqiao_2020.md", org="宁远县清水桥镇人民政府", year=2020,
               fmt="2019", sections=[1, 2, 3, 4, 5, 6])  # l.7, 17, 52, 143, 151, 155
    g.row("t2", "regulations", "-")                 # l.23: three "-"
    g.row("t2", "normative", "3 3 11")              # l.24 (label with "<br>（含…）")
    g.row("t2", "licensing", "12 +2 45")            # l.30
    g.row("t2", "other_services", "30 -3 210")      # l.31
    g.row("t2", "punishment", "5 0 17")             # l.37
    g.row("t2", "coercion", "2 0 1")                # l.38
    g.row("t2", "fees", "4 -1")                     # l.44
    g.row("t2", "procurement", "6", "87.3520")      # l.50; header l.48 "采购总金额<br>（万元）"
    g.row("t3", "new_received", "7 1 0 0 0 1 9")    # l.72
    g.row("t3", "granted", "4 1 0 0 0 0 5")         # l.86
    g.row("t3", "partial", "1 0 0 0 0 0 1")         # l.92
    g.row("t3", "unable_1", "1 0 0 0 0 1 2")        # l.111
    g.row("t3", "not_processed_2", "1 0 0 0 0 0 1")  # l.120
    g.row("t3", "total", "7 1 0 0 0 1 9")           # l.135
    g.rest("t3", "0")                               # every other row, （六） (l.129) included, seven 0s
    g.row("t4", "review", "0 1 0 0 1")              # l.149, first five values
    g.row("t4", "direct", "0 0 0 1 1")              # l.149, next five
    g.row("t4", "after_review", "0 0 0 0 0")        # l.149, last five
    g.note("Title l.1; the issuing body also in l.5 '由宁远县清水桥镇人民政府编制'. 规章 prints '-' three times "
           "(not_applicable). Amount 87.3520 in 万元 (header l.48).")
    g.finish()


def pipes_longgang_2024():
    """../fixtures/text_layouts/pipes_longgang_2024.txt — a pipe export as pasted from a web page (h07's
    layout, complete): one table row per line, no leading pipe, a trailing " |"; the first row of a
    group carries the group label as its first cell ("三、本年度办理结果 | (一)予以公开 | 2 | …")."""
    g = Golden("../fixtures/text_layouts/pipes_longgang_2024.txt", org="深圳市龙岗区文化广电旅游体育局",
               year=2024, fmt="2021", sections=[1, 2, 3, 4, 5, 6])  # l.2, 5, 20, 49, 54, 56
    g.row("t2", "regulations", "0 0 0")             # l.8
    g.row("t2", "normative", "5 1 25")              # l.9
    g.row("t2", "licensing", "0")                   # l.12
    g.row("t2", "punishment", "0")                  # l.15
    g.row("t2", "coercion", "0")                    # l.16
    g.row("t2", "fees", "0")                        # l.19
    g.row("t3", "new_received", "58 7 0 0 1 0 66")  # l.24
    g.row("t3", "carried_over", "2 0 0 0 0 0 2")    # l.25
    g.row("t3", "granted", "2 1 0 0 0 0 3")         # l.26, after the group label
    g.row("t3", "partial", "16 1 0 0 0 0 17")       # l.27
    g.row("t3", "denied_5", "1 0 0 0 0 0 1")        # l.32
    g.row("t3", "unable_1", "20 3 0 0 1 0 24")      # l.36
    g.row("t3", "unable_2", "2 0 0 0 0 0 2")        # l.37
    g.row("t3", "unable_3", "1 0 0 0 0 0 1")        # l.38
    g.row("t3", "not_processed_1", "5 0 0 0 0 0 5")  # l.39
    g.row("t3", "not_processed_2", "3 0 0 0 0 0 3")  # l.40
    g.row("t3", "other_1", "2 0 0 0 0 0 2")         # l.44
    g.row("t3", "other_3", "4 1 0 0 0 0 5")         # l.46
    g.row("t3", "total", "56 6 0 0 1 0 63")         # l.47
    g.row("t3", "carried_forward", "4 1 0 0 0 0 5")  # l.48
    g.rest("t3", "0")                               # the other rows print seven 0s
    g.row("t4", "review", "2 0 0 1 3")              # l.53, values 1-5
    g.row("t4", "direct", "1 0 0 0 1")              # l.53, values 6-10
    g.row("t4", "after_review", "0 0 0 1 1")        # l.53, values 11-15
    g.note("Title l.1. 表三 header on three lines (l.21-23); 表四's header on three lines (l.50-52), its values "
           "on one line (l.53).")
    g.finish()


def pipes_tantou_2020():
    """../fixtures/text_layouts/pipes_tantou_2020.txt — a pipe export with outer pipes in which every
    merged cell is repeated in each row and column it spans (a scraper that expands spans): the group
    label on every 表三 row, "（七）总计 | （七）总计", "行政复议" five times."""
    g = Golden("../fixtures/text_layouts/pipes_tantou_2020.txt", org="长乐区潭头镇人民政府", year=2020,
               fmt="2019", sections=[1, 2, 3, 4, 5, 6])  # l.5, 7, 26, 53, 58, 60
    g.row("t2", "regulations", "0 0 0")             # l.10
    g.row("t2", "normative", "1 1 6")               # l.11
    g.row("t2", "licensing", "3 0 8")               # l.14
    g.row("t2", "other_services", "15 +4 96")       # l.15
    g.row("t2", "punishment", "0 0 0")              # l.18
    g.row("t2", "coercion", "0 0 0")                # l.19
    g.row("t2", "fees", "2 0")                      # l.22 (then an empty 4th cell)
    g.row("t2", "procurement", "1", "35600元")      # l.25 (then an empty 4th cell)
    g.row("t3", "new_received", "4 0 0 0 0 0 4")    # l.30
    g.row("t3", "carried_over", "1 0 0 0 0 0 1")    # l.31
    g.row("t3", "granted", "2 0 0 0 0 0 2")         # l.32
    g.row("t3", "unable_1", "1 0 0 0 0 0 1")        # l.42
    g.row("t3", "other", "1 0 0 0 0 0 1")           # l.50
    g.row("t3", "total", "4 0 0 0 0 0 4")           # l.51
    g.row("t3", "carried_forward", "1 0 0 0 0 0 1")  # l.52
    g.rest("t3", "0")
    g.row("t4", "review", "1 0 0 0 1")              # l.57
    g.row("t4", "direct", "0 0 0 0 0")
    g.row("t4", "after_review", "0 0 0 0 0")
    g.note("Merged cells repeated across their span: kept once. The （八）/（九） rows end in an empty 4th cell.")
    g.finish()


def separator_ankang_2019():
    """../fixtures/text_layouts/separator_ankang_2019.txt — one cell per line with a line holding only
    "|" between cells: real/h05's excerpt (l.1-119, byte for byte) completed with 表三, 表四 and the last
    two sections in the same layout. Each table ends at the section heading that follows its last cell."""
    g = Golden("../fixtures/text_layouts/separator_ankang_2019.txt", org=None, year=2019, fmt="2019",
               sections=[1, 2, 3, 4, 5, 6])  # l.1, 6, 113, 509, 577, 579
    g.row("t2", "regulations", "0 0 0")             # l.19, 21, 23 (as in h05's gold)
    g.row("t2", "normative", "30 30 30")            # l.27-31
    g.row("t2", "licensing", "0 0 0")               # l.45-49
    g.row("t2", "other_services", "0 0 0")          # l.53-57
    g.row("t2", "punishment", "0 0 0")              # l.71-75
    g.row("t2", "coercion", "0 0 0")                # l.79-83
    g.row("t2", "fees", "0 0")                      # l.95-97
    g.row("t2", "procurement", "8", "160.5964万元")  # l.109, 111
    g.row("t3", "new_received", "6 0 0 0 0 0 6")    # l.136-148
    g.row("t3", "granted", "3 0 0 0 0 0 3")         # l.170-182
    g.row("t3", "partial", "1 0 0 0 0 0 1")         # l.186-198
    g.row("t3", "unable_1", "2 0 0 0 0 0 2")        # l.334-346
    g.row("t3", "total", "6 0 0 0 0 0 6")           # l.480-492
    g.rest("t3", "0")
    g.rest("t4", "0")                               # l.548-576 (every other line)
    g.note("org null: the excerpt names the body only as '我局'. 表三 header l.114-133; the 表二 → 表三 "
           "transition (l.111-114) and 表三 → 表四 (l.507-511) both put the section heading between two cells.")
    g.finish()


if __name__ == "__main__":
    for build in (seed_000, seed_001, seed_002, seed_003, seed_004,
                  p01, p03, p05, p07, p09, p11, p13, p15, p17, p19, p21,
                  md_heping_2022, md_qingshuiqiao_2020, pipes_longgang_2024, pipes_tantou_2020,
                  separator_ankang_2019):
        build()
