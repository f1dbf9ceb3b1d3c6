"""A report as a self-contained HTML page with the tables in the official layout.

Every text goes through `html.escape` on its way into a template; the page has its styles
inline (no external CSS or JS).
"""
from __future__ import annotations

from html import escape
from string import Template

from .layout import (HEADER, HEADING, ITEM, LABEL, NOTE, PARAGRAPH, TITLE, VALUE, LCell,
                     TableLayout, report_blocks, report_title)

_PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>$title</title>
<style>
body{font-family:"仿宋_GB2312","仿宋","FangSong","宋体","SimSun","Noto Serif CJK SC",serif;font-size:16pt;line-height:1.6;max-width:52em;margin:2em auto;padding:0 1em}
h1{font-family:"方正小标宋简体","宋体","SimSun","Noto Serif CJK SC",serif;font-size:22pt;font-weight:normal;text-align:center}
h2{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-size:16pt;font-weight:normal;margin:0.6em 0 0.2em;text-indent:2em}
p{text-indent:2em;margin:0.2em 0}
table{border-collapse:collapse;margin:0.6em auto;font-family:"宋体","SimSun","Noto Serif CJK SC",serif;font-size:10.5pt;line-height:1.3}
td{border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle}
td.label{text-align:left}
td.note{font-size:9pt}
</style>
</head>
<body>
<h1>$title</h1>
$body
</body>
</html>
""")
_P = Template('<p>$text</p>')
_H2 = Template('<h2>$text</h2>')
_TABLE = Template('<table border="1" cellspacing="0" cellpadding="0" class="$cls">\n$rows\n</table>')
_TR = Template('<tr>$cells</tr>')
_TD = Template('<td$attrs>$text</td>')

_CLASS = {HEADER: "header", ITEM: "item", NOTE: "note", LABEL: "label", VALUE: "value"}


def _attr(name: str, value: object) -> str:
    return f' {name}="{escape(str(value), quote=True)}"'


def _td(cell: LCell) -> str:
    attrs = _attr("class", _CLASS.get(cell.kind, cell.kind))
    if cell.rowspan > 1:
        attrs += _attr("rowspan", cell.rowspan)
    if cell.colspan > 1:
        attrs += _attr("colspan", cell.colspan)
    return _TD.substitute(attrs=attrs, text=escape(cell.text))


def table_html(t: TableLayout) -> str:
    rows = "\n".join(_TR.substitute(cells="".join(_td(c) for c in row)) for row in t.rows)
    return _TABLE.substitute(cls=escape(t.key, quote=True), rows=rows)


def to_html(report: dict) -> str:
    """A full UTF-8 HTML page: title, preamble, the six sections, 表二/表三/表四 in place."""
    parts: list[str] = []
    for kind, item in report_blocks(report):
        if kind == TITLE:
            continue  # in the page template
        if kind == HEADING:
            parts.append(_H2.substitute(text=escape(item)))
        elif kind == PARAGRAPH:
            parts.append(_P.substitute(text=escape(item)))
        else:
            parts.append(table_html(item))
    return _PAGE.substitute(title=escape(report_title(report)), body="\n".join(parts))
