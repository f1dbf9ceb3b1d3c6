"""Text layouts found in real published reports, reproduced from a report dict (for bench/accuracy.py).

These are not the project's own renders (render/text.py): they copy what converters and portals
produce, as seen in ../shared/real and described in issue 16 (tests/fixtures/text_layouts has one
hand-checked complete report of each):

- ``separator``: one cell per line with a line holding only ``|`` between cells (real/h05): a
  merged cell once, an empty cell an empty line; headings and paragraphs as plain lines.
- ``markdown``: a markdown conversion: ``# title``, ``## 一、…`` headings, every table group
  under its own ``###`` heading over a small pipe table with a ``|---|`` rule, placeholder
  column names (``数据1 … 数据6 | 总计``) over rows that print only values, the 表三 applicant
  header as three mini-tables, 表四 as three mini-tables, ``-`` for an empty cell.
- ``markdownify``: an HTML page through an HTML→markdown converter (markdownify, markitdown): an
  empty header row over each table, a merged cell followed by empty cells for the columns it
  spans, rows under a cell merged down print fewer cells.
- ``pipe_rows``: one table row per line as pasted from a web page (real/h07): cells that start
  in the row, ``a | b | c |``, no leading pipe; a group label only on its first row.
- ``pipe_spans``: ``| a | b | c |`` with every merged cell repeated in each row and column it
  spans (a scraper that expands spans).
"""
from __future__ import annotations

from nianbao import formats as F
from nianbao.render.layout import HEADING, PARAGRAPH, TABLE, TITLE, format_value, report_blocks


def _lines(report: dict, table) -> str:
    out: list[str] = []
    for kind, item in report_blocks(report):
        if kind == TABLE:
            out.extend(table(item, report))
        elif item:
            out.append(item)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ separator lines (h05)
def _origin_texts(t) -> list[str]:
    grid = t.grid()
    return [c.text for r, row in enumerate(grid) for i, c in enumerate(row) if c.row == r and c.col == i]


def separator(report: dict) -> str:
    return _lines(report, lambda t, rep: "\n|\n".join(_origin_texts(t)).split("\n"))


# ------------------------------------------------------------------ pipe exports
def pipe_rows(report: dict) -> str:
    def table(t, rep):
        grid = t.grid()
        out = []
        for r, row in enumerate(grid):
            cells = [c.text for i, c in enumerate(row) if c.row == r and c.col == i]
            out.append(" | ".join(cells) + " |")
        return out
    return _lines(report, table)


def pipe_spans(report: dict) -> str:
    return _lines(report, lambda t, rep: ["| " + " | ".join(c.text for c in row) + " |" for row in t.grid()])


# ------------------------------------------------------------------ markdown
def _md_row(cells) -> str:
    return "| " + " | ".join(c if c != "" else "-" for c in cells) + " |"


def _md_table(header, rows) -> list[str]:
    return ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header), *(_md_row(r) for r in rows), ""]


def _vals(report: dict, t: str, row: str, cols) -> list[str]:
    values = report["tables"][t].get(row) or {}
    return [format_value(c, values.get(c.key)) for c in cols]


def _md_t2(spec, report) -> list[str]:
    out = []
    for b in spec.blocks:
        out += [f"### {b.item}", *_md_table(["信息内容", *(c.label for c in b.columns)],
                                           [[spec.row(k).label, *_vals(report, "t2", k, b.columns)] for k in b.rows])]
    return out


def _md_t3(spec, report) -> list[str]:
    cols = spec.columns
    placeholders = [f"数据{i}" for i in range(1, len(cols))] + ["总计"]
    out = ["", spec.note, "", "### 申请人情况", "", "| 自然人 |", "|---|", "",
           "| 法人或其他组织 |" + " |" * 4, "|" + "---|" * 5, "| " + " | ".join(c.label for c in cols[1:-1]) + " |",
           "", "| 总计 |", "|---|", ""]
    rows = list(spec.rows)
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.has_cells:
            subs = [r for r in rows[i + 1:] if r.group == row.label]
            out.append(f"### {row.label}")
            if subs:
                out += _md_table(["项目", *placeholders],
                                 [[s.label, *_vals(report, "t3", s.key, cols)] for s in subs])
                i += 1 + len(subs)
                continue
            out.append("")
            i += 1
            continue
        out += [f"### {row.label}", *_md_table(placeholders, [_vals(report, "t3", row.key, cols)])]
        i += 1
    return out


def _md_t4(spec, report) -> list[str]:
    cols = spec.columns
    out = []
    for row in spec.rows:
        level = "###" if row.key == "review" else "####"
        if row.key == "direct":
            out += ["### 行政诉讼", ""]
        out += [f"{level} {row.label}", *_md_table([c.label for c in cols], [_vals(report, "t4", row.key, cols)])]
    return out


def markdown(report: dict) -> str:
    fmt = F.get(report["format"])
    out: list[str] = []
    for kind, item in report_blocks(report):
        if kind == TITLE and item:
            out += [f"# {item}", ""]
        elif kind == HEADING and item:
            out += [f"## {item}", ""]
        elif kind == PARAGRAPH and item:
            out += [item, ""]
        elif kind == TABLE:
            spec = fmt.table(item.key)
            out += {"t2": _md_t2, "t3": _md_t3, "t4": _md_t4}[item.key](spec, report)
    return "\n".join(out) + "\n"


def markdownify(report: dict) -> str:
    """An HTML page through an HTML→markdown converter of the markdownify kind (markitdown): each
    table under an empty header row and its rule, a merged cell's text followed by an empty cell
    for each further column it spans, positions covered from the row above left out."""
    out: list[str] = []
    for kind, item in report_blocks(report):
        if kind == TITLE and item:
            out += [f"# {item}", ""]
        elif kind == HEADING and item:
            out += [f"## {item}", ""]
        elif kind == PARAGRAPH and item:
            out += [item, ""]
        elif kind == TABLE:
            n = item.n_cols
            out += ["| " + " | ".join([""] * n) + " |", "| " + " | ".join(["---"] * n) + " |"]
            for r, row in enumerate(item.grid()):
                cells = []
                for i, c in enumerate(row):
                    if c.row == r and c.col == i:
                        cells += [c.text] + [""] * (c.colspan - 1)
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
    return "\n".join(out) + "\n"


LAYOUTS = {"separator": separator, "markdown": markdown, "markdownify": markdownify, "pipe_rows": pipe_rows,
           "pipe_spans": pipe_spans}
