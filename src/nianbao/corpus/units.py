"""Issuing-body names → one unit key across years: 临清市先锋路街道办事处 = 先锋路街道.

Rules: drop 办事处/人民政府 suffixes (街道办事处 → 街道, 镇人民政府 → 镇), then drop leading
province/city/county names while a township-level name remains. Departments keep their full name.
A mapping file (CSV with columns 名称,单位) overrides the rules for names they cannot settle.
"""
from __future__ import annotations

import csv
import re

_PREFIX = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:自治州|自治县|自治旗|地区|省|市|区|县|旗|盟)")
_TOWNSHIP = re.compile(r"(街道|镇|乡|苏木|街)$")


def normalise_unit(name: str | None, mapping: dict[str, str] | None = None) -> str | None:
    if not name:
        return None
    name = re.sub(r"\s+", "", name)
    if mapping and name in mapping:
        return mapping[name]
    s = re.sub(r"街道办事处$", "街道", name)
    s = re.sub(r"(镇|乡)人民政府$", r"\1", s)
    s = re.sub(r"办事处$", "", s) or s
    if _TOWNSHIP.search(s):
        while True:
            m = _PREFIX.match(s)
            if not m or not _TOWNSHIP.search(s[m.end():]) or len(s) - m.end() < 3:
                break
            s = s[m.end():]
    if mapping and s in mapping:
        return mapping[s]
    return s


def load_mapping(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {row["名称"].strip(): row["单位"].strip() for row in csv.DictReader(fh) if row.get("名称")}
