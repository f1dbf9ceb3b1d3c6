"""`nianbao debug`: the grid each reader rebuilt, and how every template cell was mapped."""
from __future__ import annotations

import unicodedata

from .document import Document, Paragraph, Table
from .extract import extract
from .formats import FORMATS


def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _fit(s: str, width: int) -> str:
    s = s.replace("\n", "⏎")
    out, w = "", 0
    for ch in s:
        cw = _w(ch)
        if w + cw > width:
            return out + "…" + " " * (width - w - 1 if width - w - 1 > 0 else 0)
        out += ch
        w += cw
    return out + " " * (width - w)


def debug_text(doc: Document, lang: str = "zh", width: int = 14) -> str:
    zh = lang == "zh"
    out: list[str] = []
    src = doc.source
    out.append(f"{'文件' if zh else 'file'}: {src.path}  {'类型' if zh else 'kind'}: {src.kind}  "
               f"{'编码' if zh else 'encoding'}: {src.encoding or '-'}  sha256: {src.sha256[:16]}…")
    out.append(("== 读取器重建的内容 ==" if zh else "== what the reader rebuilt =="))
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(f"  ¶ {b.where.describe():<10} {b.text[:60]}")
            continue
        t: Table = b
        kind = ("逐格线性（无法确定行）" if zh else "linear (rows unknown)") if t.linear else ("网格" if zh else "grid")
        out.append(f"  ▦ {'表格' if zh else 'table'} {t.index + 1}: {t.n_rows}×{t.n_cols} {kind}  {t.where.describe()}")
        for r, row in enumerate(t.rows):
            cells = []
            for c in range(t.n_cols):
                cell = row[c] if c < len(row) else None
                if cell is None:
                    cells.append(_fit("·", width))
                elif cell.row != r or cell.col != c:
                    cells.append(_fit("〃", width))   # covered by a merged cell
                else:
                    cells.append(_fit(cell.text, width))
            out.append(f"    {r:>3} │" + "│".join(cells))
    for p in doc.problems:
        out.append(f"  ! {p.code}: {p.message if zh else p.message_en}")
    report = extract(doc)
    out.append("")
    out.append("== 映射结果 ==" if zh else "== mapping ==")
    out.append(f"  {'发布机关' if zh else 'org'}: {report.org}  {'年度' if zh else 'year'}: {report.year}  "
               f"{'格式' if zh else 'format'}: {report.format}")
    for s in report.sections:
        out.append(f"  § {s.number} {s.title}  ({s.where.describe() if s.where else ''})")
    if report.format:
        spec = FORMATS[report.format]
        for t in spec.tables:
            present = t.key in report.present
            out.append(f"  [{t.key}] {t.title}" + ("" if present else ("  —— 未找到" if zh else "  —— not found")))
            if not present:
                continue
            for r, c in t.cells():
                cv = report.cells[(t.key, r.key, c.key)]
                where = cv.where.describe() if cv.where else ""
                out.append(f"    {r.key:<16} {c.key:<10} {str(cv.value):>12}  {cv.status:<14} "
                           f"raw={cv.raw!r:<10} {where}  {cv.note or ''}")
    for e in report.extra_rows:
        out.append(f"  + extra {e.table} {e.label[:30]} parent={e.parent} after={e.after} {e.values} raw={e.raw}")
    for p in report.problems:
        out.append(f"  ! {p.code}: {p.message if zh else p.message_en}")
    return "\n".join(out) + "\n"
