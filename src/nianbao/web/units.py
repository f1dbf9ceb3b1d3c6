"""Import the unit tree from a units file (名称, 上级, 层级; XLSX or CSV) into `Unit` rows.

    import_units(path) -> {"created": n, "updated": n, "unchanged": n, "total": n}

The file is read by the library (`corpus.compile.load_units`); a unit is identified by its parent and
its normalised name (`corpus.units.normalise_unit`), so importing the same file twice changes nothing
and a corrected file updates names and levels in place. Parents are created before their children
whatever the row order. A parent is looked up first in the file, then among the units already in the
database. A bad file — empty, a row without a name, an unknown or ambiguous parent, a cycle, the same
name twice under one parent — is refused whole with every problem and its row number; nothing is
written (one transaction).
"""
from __future__ import annotations

import csv
import os
import tempfile
from functools import lru_cache

from django.db import transaction

from ..corpus.compile import load_units
from ..errors import NianbaoError
from .models import Unit

SUFFIXES = (".xlsx", ".xlsm", ".csv")


class UnitImportError(NianbaoError):
    """The file is refused whole. `problems`: [(row number or None, Chinese message)]."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        shown = "；".join((f"第 {r} 行：{m}" if r else m) for r, m in problems[:20])
        more = f"；另有 {len(problems) - 20} 处" if len(problems) > 20 else ""
        super().__init__("units-invalid", f"单位文件有 {len(problems)} 处问题，未导入任何单位：{shown}{more}。",
                         f"the units file has {len(problems)} problem(s); nothing was imported.")


def _row_numbers(path: str) -> list[int]:
    """1-based sheet row numbers of the data rows `load_units` returns (it skips empty rows)."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [[("" if c is None else str(c)).strip() for c in r] for r in wb.active.iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = [[c.strip() for c in r] for r in csv.reader(fh)]
    return [i for i, r in enumerate(rows, start=1) if i > 1 and any(r)]


def _utf8_copy(path: str) -> str | None:
    """A CSV saved by Excel on Chinese Windows is GBK: a UTF-8 copy of it for the library reader."""
    if not path.lower().endswith(".csv"):
        return None
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        data.decode("utf-8-sig")
        return None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    fd, tmp = tempfile.mkstemp(prefix="nianbao-units-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return tmp


def _read(path: str):
    copy = _utf8_copy(path)
    try:
        return _read_utf8(copy or path)
    finally:
        if copy:
            os.unlink(copy)


def _read_utf8(path: str):
    try:
        units = load_units(path)
    except NianbaoError as e:
        raise UnitImportError([(None, e.message.rstrip("。"))]) from None
    except (UnicodeDecodeError, csv.Error, KeyError, IndexError, TypeError) as e:
        raise UnitImportError([(None, f"文件无法按单位表读取（{type(e).__name__}）；请使用 CSV（UTF-8 或 GBK 编码）或 "
                                      "XLSX，列为 名称、上级、层级")]) from None
    except Exception as e:        # openpyxl raises its own types for a file that is not a workbook
        raise UnitImportError([(None, f"文件不是有效的 XLSX 或 CSV（{type(e).__name__}）")]) from None
    rows = _row_numbers(path)
    if len(rows) != len(units):       # cannot happen with the same reader; never report wrong numbers
        rows = [None] * len(units)
    return units, rows


def _plan(units, rows) -> list[dict]:
    """Resolve parents and order parents first; raise UnitImportError with every problem found."""
    problems: list[tuple[int | None, str]] = []
    if not units:
        raise UnitImportError([(None, "文件中没有任何单位（第一行应为列名：名称、上级、层级）")])
    items = []
    for u, row in zip(units, rows):
        if not u.key:
            problems.append((row, "名称为空"))
            continue
        items.append({"row": row, "name": u.name.strip(), "key": u.key, "parent_key": u.parent, "level": u.level,
                      "parent": None, "existing_parent": None})
    by_key: dict[str, list[dict]] = {}
    for it in items:
        by_key.setdefault(it["key"], []).append(it)
    seen: dict[tuple, dict] = {}
    for it in items:
        pk = it["parent_key"]
        if pk == it["key"]:
            problems.append((it["row"], f"“{it['name']}”的上级是它自己"))
            continue
        if pk is not None:
            in_file = by_key.get(pk, [])
            if len(in_file) > 1:
                rs = "、".join(str(x["row"]) for x in in_file)
                problems.append((it["row"], f"上级“{pk}”在文件中出现多次（第 {rs} 行），无法确定是哪一个"))
                continue
            if in_file:
                it["parent"] = in_file[0]
            else:
                found = list(Unit.objects.filter(key=pk)[:2])
                if not found:
                    problems.append((it["row"], f"上级“{pk}”不在文件中，也不是已有单位"))
                    continue
                if len(found) > 1:
                    problems.append((it["row"], f"上级“{pk}”对应多个已有单位，请在文件中列出其完整上级"))
                    continue
                it["existing_parent"] = found[0]
        ident = (id(it["parent"]) if it["parent"] else None,
                 it["existing_parent"].pk if it["existing_parent"] else None, it["key"])
        if ident in seen:
            problems.append((it["row"], f"“{it['name']}”与第 {seen[ident]['row']} 行重复（同一上级下名称相同）"))
            continue
        seen[ident] = it
    # order: parents first; a chain of parents that comes back to itself is a cycle
    ordered: list[dict] = []
    done: set[int] = set()
    cyclic: set[int] = set()
    for it in items:
        chain: list[dict] = []
        cur = it
        while cur is not None and id(cur) not in done and id(cur) not in cyclic:
            if any(cur is x for x in chain):
                cycle = chain[next(i for i, x in enumerate(chain) if x is cur):]
                cyclic.update(id(x) for x in cycle)
                names = "→".join(x["name"] for x in cycle + [cur])
                problems.append((min(x["row"] or 0 for x in cycle) or None, f"上级关系成环：{names}"))
                break
            chain.append(cur)
            cur = cur["parent"]
        else:
            if cur is None or id(cur) in done:
                for x in reversed(chain):
                    done.add(id(x))
                    ordered.append(x)
    if problems:
        unique, keep = set(), []
        for p in problems:
            if p not in unique:
                unique.add(p)
                keep.append(p)
        raise UnitImportError(sorted(keep, key=lambda p: (p[0] or 0)))
    return ordered


def import_units(path: str) -> dict[str, int]:
    """Import a units file; returns counts. Raises UnitImportError (nothing written) for a bad file."""
    units, rows = _read(path)
    plan = _plan(units, rows)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for it in plan:
            parent = it["parent"]["unit"] if it["parent"] else it["existing_parent"]
            unit = Unit.objects.filter(parent=parent, key=it["key"]).first()
            if unit is None:
                unit = Unit.objects.create(name=it["name"], key=it["key"], parent=parent, level=it["level"])
                counts["created"] += 1
            else:
                changed = []
                if unit.name != it["name"]:
                    unit.name = it["name"]
                    changed.append("name")
                if it["level"] and unit.level != it["level"]:
                    unit.level = it["level"]
                    changed.append("level")
                if changed:
                    Unit.objects.filter(pk=unit.pk).update(**{f: getattr(unit, f) for f in changed})
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            it["unit"] = unit
    counts["total"] = sum(counts.values())
    return counts


def import_upload(uploaded) -> dict[str, int]:
    """An uploaded file (Django UploadedFile): stored to a temporary file with its suffix, then imported."""
    suffix = os.path.splitext(uploaded.name or "")[1].lower()
    if suffix not in SUFFIXES:
        raise UnitImportError([(None, f"不支持的文件类型“{suffix or '无扩展名'}”；请上传 .xlsx 或 .csv 单位表")])
    fd, tmp = tempfile.mkstemp(prefix="nianbao-units-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in uploaded.chunks():
                fh.write(chunk)
        return import_units(tmp)
    finally:
        os.unlink(tmp)


def _rows(qs) -> dict[int, tuple[str, int | None, str]]:
    return {pk: (name, parent, path) for pk, name, parent, path in qs.values_list("pk", "name", "parent_id", "path")}


def _tree(units: dict[int, tuple], printed: str):
    """A corpus units tree of the units the printed name could designate: each unit's own name (any form)
    must end the name; ancestors are looked up (also outside `units`) so that their names may precede it.
    Returns (Tree, {tree path: pk})."""
    from ..corpus.units import Node, Tree, clean, rule_key
    ends = (clean(printed), rule_key(printed))
    ids = {int(x) for _, _, path in units.values() for x in path.strip("/").split("/") if x}
    names = {pk: name for pk, (name, _, _) in units.items()}
    missing = ids - names.keys()
    if missing:
        names.update(dict(Unit.objects.filter(pk__in=missing).values_list("pk", "name")))
    nodes, pks = [], {}
    for pk, (name, _, path) in units.items():
        chain = [int(x) for x in path.strip("/").split("/") if x][:-1]
        anc = tuple(names[i] for i in chain if i in names)
        node_path, owns = _own_names(name, anc)
        if not any(e.endswith(own) for own in owns for e in ends):
            continue
        node = Node(name, node_path, None, "", list(anc))
        if node.path in pks:                 # two units printed alike at one place: keep both apart
            node.path = f"{node.path}#{pk}"
        pks[node.path] = pk
        nodes.append(node)
    return Tree(nodes), pks


@lru_cache(maxsize=1 << 16)
def _own_names(name: str, ancestors: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """A unit's tree path and the names it may be printed under (corpus.units.own_names, plain and by the
    rule), remembered by name and ancestors' names: every upload matches against the whole tree in scope,
    and computing these again for each of 3,000 units cost about 0.3 s an upload (bench/web_units.py). Keyed
    by the names themselves, so a renamed or moved unit, or a new units import, is never served stale."""
    from ..corpus.units import Node, clean, own_names
    node = Node(name, "/".join(clean(a) for a in [*ancestors, name]), None, "", list(ancestors))
    return node.path, frozenset(o for o in (*own_names(node), *own_names(node, rule=True)) if o)


NEAR = "near"


def match_unit(org: str | None, qs) -> tuple[list[Unit], str]:
    """The units of `qs` a report's printed issuing body designates, by the corpus's unit identity: the
    unit's name, optionally with its ancestors' names in front, exactly or by the naming rule (街道办事处 →
    街道 …); never a short name that another place's unit shares. Returns ([unit], how) when it is settled,
    (several units, "ambiguous") when the name fits several (never assigned), (units, "near") when it is a
    unit's own name preceded by place names that are not its ancestors (临清市先锋路街道办事处 against
    石门市/长安区/先锋路街道办事处: another place's unit, never assigned), ([], "unknown") otherwise."""
    from ..corpus.units import AMBIGUOUS, clean
    if not clean(org):
        return [], "unknown"
    tree, pks = _tree(_rows(qs), org)
    m = tree.match(org)
    if m.unit is not None:
        return [Unit.objects.get(pk=pks[m.unit])], m.how
    if m.candidates:       # ambiguous, or "near": the unit's own name with place names not its ancestors'
        return list(Unit.objects.filter(pk__in=[pks[c] for c in m.candidates])), m.how if m.how == AMBIGUOUS else NEAR
    return [], "unknown"


def unit_label(unit: Unit) -> str:
    """The unit with its ancestors (临清市／临清市先锋路街道办事处): how an ambiguous name's candidates are listed."""
    return "／".join(a.name for a in [*unit.ancestors(), unit])


def find_unit(name: str) -> tuple[Unit | None, str]:
    """A unit by its name as written, its path (临清市/先锋路街道办事处) or the unit identity of `match_unit`;
    (None, Chinese reason) when none or several."""
    name = (name or "").strip()
    found = list(Unit.objects.filter(name=name)[:6])
    if not found and "/" in name:
        parts = [p.strip() for p in name.split("/") if p.strip()]
        found = [u for u in Unit.objects.filter(name=parts[-1])
                 if [a.name for a in u.ancestors()][-(len(parts) - 1):] == parts[:-1]] if parts else []
    if not found:
        found, _ = match_unit(name, Unit.objects.all())
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"找不到单位“{name}”；请先导入单位表（nianbao manage import_units 单位.xlsx）。"
    paths = "、".join(unit_label(u) for u in found[:5])
    return None, f"“{name}”对应多个单位（{paths}）；请写出完整名称或路径（如 市/区/街道）。"


def tree_rows(units=None) -> list[Unit]:
    """Units (default: all) in tree order: each parent before its children, siblings in creation order.
    A unit whose parent is not in `units` is a root."""
    units = list(units if units is not None else Unit.objects.all())
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for u in sorted(units, key=lambda u: u.pk):
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    out: list[Unit] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        u = todo.pop()
        out.append(u)
        todo.extend(reversed(children.get(u.pk, [])))
    return out
