"""Long tables (one row per cell) in CSV or XLSX, written atomically."""
from __future__ import annotations

import csv
import json
import os
import tempfile

COLUMNS = ("path", "sha256", "kind", "org", "year", "format", "table", "row", "col", "value", "raw",
           "status", "unit", "where", "note", "error")
HEADERS_ZH = ("文件", "SHA256", "类型", "发布机关", "年度", "格式", "表", "行", "列", "数值", "原文", "状态", "单位",
              "位置", "说明", "错误")


def long_rows(results: list[dict]):
    for d in results:
        src = d.get("source", {})
        if "error" in d:
            yield {"path": src.get("path"), "error": d["error"]["message"]}
            continue
        base = {"path": src.get("path"), "sha256": src.get("sha256"), "kind": src.get("kind"),
                "org": d.get("org"), "year": d.get("year"), "format": d.get("format")}
        for c in d.get("cells", []):
            yield {**base, "table": c["table"], "row": c["row"], "col": c["col"], "value": c["value"],
                   "raw": c["raw"], "status": c["status"], "unit": c["unit"],
                   "where": json.dumps(c["where"], ensure_ascii=False) if c.get("where") else "",
                   "note": c.get("note")}


def _atomic(path: str, suffix: str):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=suffix, dir=folder)
    os.close(fd)
    return tmp


def write_long_table(results: list[dict], path: str, kind: str) -> int:
    tmp = _atomic(path, "." + kind)
    n = 0
    try:
        if kind == "csv":
            with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
                w = csv.writer(fh)
                w.writerow(COLUMNS)
                for row in long_rows(results):
                    w.writerow([row.get(k) if row.get(k) is not None else "" for k in COLUMNS])
                    n += 1
        else:
            from openpyxl import Workbook
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("cells")
            ws.append(list(HEADERS_ZH))
            ws.append(list(COLUMNS))
            for row in long_rows(results):
                ws.append([row.get(k) for k in COLUMNS])
                n += 1
            wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return n
