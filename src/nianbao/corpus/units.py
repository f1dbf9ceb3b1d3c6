"""Which unit a report belongs to.

A unit is a node of the units tree (单位表: 名称, 上级, 层级), identified by its path
(石门市/长安区/先锋路街道办事处). Without a tree it is the report's full printed issuing body, place
names included: 石门市长安区先锋路街道办事处 and 临清市先锋路街道办事处 are two units, never 先锋路街道.

How a report was matched (`Match.how`):
- `exact`  the printed name is the unit's name (or its name with its ancestors' names in front);
- `rule`   the same after the naming rule: 街道办事处 → 街道, 镇人民政府 → 镇, 人民政府 dropped, ancestors'
           names in front optional but never other place names;
- `map`    a units map (CSV 名称,单位) says so; it settles names the rules cannot;
- `ambiguous` the name fits several units (the same street office in two cities): listed with its
           candidates, never summed until a map or a fuller name settles it;
- `unknown` no unit of the tree fits.

`normalise_unit` (the short name: 先锋路街道) is kept only as the web app's `Unit.key` search column (to find
the units outside a user's scope a report may belong to, each then checked by `Tree.match`); neither the
corpus nor the web app uses it as an identity (web/units.match_unit builds a `Tree`).
"""
from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field

_PREFIX = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:自治州|自治县|自治旗|地区|省|市|区|县|旗|盟)")
_TOWNSHIP = re.compile(r"(街道|镇|乡|苏木|街)$")
EXACT, RULE, MAP, AMBIGUOUS, UNKNOWN = "exact", "rule", "map", "ambiguous", "unknown"
HOW_ZH = {EXACT: "名称一致", RULE: "按命名规则", MAP: "按映射表", AMBIGUOUS: "名称对应多个单位", UNKNOWN: "不在单位表中"}


def clean(name: str | None) -> str:
    """The printed name without whitespace (a line break in a title is not part of the name)."""
    return re.sub(r"\s+", "", name or "")


def rule_key(name: str | None) -> str:
    """The naming rule, place names kept: 临清市先锋路街道办事处 → 临清市先锋路街道, 东风镇人民政府 → 东风镇,
    临清市人民政府 → 临清市."""
    s = clean(name)
    s = re.sub(r"街道办事处$", "街道", s)
    s = re.sub(r"(镇|乡)人民政府$", r"\1", s)
    s = re.sub(r"人民政府$", "", s) or s
    s = re.sub(r"办事处$", "", s) or s
    return s


def normalise_unit(name: str | None, mapping: dict[str, str] | None = None) -> str | None:
    """The short name (先锋路街道): a search key for the web app, NOT an identity (see the module doc)."""
    if not name:
        return None
    name = clean(name)
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


@dataclass(frozen=True)
class Match:
    unit: str | None                 # the unit's identity (a tree path, or the full name without a tree)
    how: str                         # exact | rule | map | ambiguous | unknown
    candidates: tuple[str, ...] = ()  # for ambiguous: every unit the name fits; for unknown: near misses
    name: str | None = None          # the unit's printed name (tree) for display

    @property
    def settled(self) -> bool:
        return self.unit is not None


def match_name(org: str | None, mapping: dict[str, str] | None = None) -> Match:
    """Without a tree: the full printed name (naming rule applied), or the map's unit."""
    printed = clean(org)
    if not printed:
        return Match(None, UNKNOWN)
    if mapping and printed in mapping:
        return Match(mapping[printed], MAP, name=mapping[printed])
    key = rule_key(printed)
    return Match(key, EXACT if key == printed else RULE, name=key)


def load_mapping(path: str | None) -> dict[str, str]:
    """Units map: CSV with columns 名称 (as printed in reports), 单位 (a unit name, or a tree path a/b/c)."""
    if not path:
        return {}
    from ..errors import NianbaoError
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise NianbaoError("map-unreadable", f"单位映射表 {path} 无法读取：{e}。请使用 UTF-8 编码的 CSV，列为 名称,单位。",
                           f"cannot read the units map {path}: {e}.") from None
    if rows and ("名称" not in rows[0] or "单位" not in rows[0]):
        raise NianbaoError("map-columns", f"单位映射表 {path} 应有列：名称,单位。", f"{path} needs columns 名称,单位.")
    return {clean(r["名称"]): (r["单位"] or "").strip() for r in rows if r.get("名称") and r.get("单位")}


@dataclass
class Node:
    name: str
    path: str                        # 石门市/长安区/先锋路街道办事处: the identity
    parent: str | None               # parent's path
    level: str = ""
    ancestors: list[str] = field(default_factory=list)    # ancestors' names, top first


class Tree:
    """The units tree with the names each unit may be printed under."""

    def __init__(self, nodes: list[Node]):
        self.nodes = {n.path: n for n in nodes}
        self.order = [n.path for n in nodes]
        self._exact: dict[str, set[str]] = {}
        self._rule: dict[str, set[str]] = {}
        self._core: dict[str, set[str]] = {}
        for n in nodes:
            for names in _qualified(n):
                self._exact.setdefault("".join(names), set()).add(n.path)
            for names in _qualified(n, rule=True):
                self._rule.setdefault("".join(names), set()).add(n.path)
            self._core.setdefault(rule_key(n.name), set()).add(n.path)

    def children(self, path: str) -> list[Node]:
        return [self.nodes[p] for p in self.order if self.nodes[p].parent == path]

    def subtree(self, path: str) -> list[Node]:
        out, todo = [], [path]
        while todo:
            k = todo.pop(0)
            for n in self.children(k):
                out.append(n)
                todo.append(n.path)
        return out

    def find(self, name: str) -> list[str]:
        """Units a user-typed name or path designates (a region argument)."""
        name = name.strip()
        if name in self.nodes:
            return [name]
        m = self.match(name)
        return [m.unit] if m.unit else list(m.candidates if m.how == AMBIGUOUS else ())

    def match_target(self, target: str) -> Match:
        """A units map's 单位 (a path a/b/c, or a name that must fit one unit) → a map match."""
        target = target.strip()
        hits = [target] if target in self.nodes else sorted(self._exact.get(clean(target), ()) or
                                                             self._rule.get(rule_key(target), ()))
        if len(hits) == 1:
            return Match(hits[0], MAP, name=self.nodes[hits[0]].name)
        if hits:
            return Match(None, AMBIGUOUS, tuple(hits))
        return Match(None, UNKNOWN)

    def match(self, org: str | None, mapping: dict[str, str] | None = None) -> Match:
        printed = clean(org)
        if not printed:
            return Match(None, UNKNOWN)
        if mapping and printed in mapping:
            return self.match_target(mapping[printed])
        for how, hits in ((EXACT, self._exact.get(printed, ())), (RULE, self._rule.get(rule_key(printed), ()))):
            if len(hits) == 1:
                (hit,) = hits
                return Match(hit, how, name=self.nodes[hit].name)
            if hits:
                return Match(None, AMBIGUOUS, tuple(sorted(hits)))
        near = sorted(p for core, paths in self._core.items() if core and rule_key(printed).endswith(core)
                      for p in paths)
        return Match(None, UNKNOWN, tuple(near))


_BARE = {"人民政府", "办事处", "街道办事处", "街道", "镇", "乡", "政府"}


def own_names(n: Node, rule: bool = False) -> list[str]:
    """The unit's own name, and, when it begins with its ancestors' names (临清市先锋路街道办事处 under
    临清市), the same without them (先锋路街道办事处): a report may leave out its own place names, never
    print another place's."""
    f = rule_key if rule else clean
    out = [f(n.name)]
    rest = clean(n.name)
    for a in n.ancestors:
        a = clean(a)
        if a and rest.startswith(a) and f(rest[len(a):]) not in _BARE and len(rest) - len(a) >= 2:
            rest = rest[len(a):]
            out.append(f(rest))
    return out


def _qualified(n: Node, rule: bool = False):
    """The unit's name with any in-order selection of its ancestors' names in front (石门市长安区…,
    长安区…, 石门市…, …): a name printed with place names that are not its ancestors never fits."""
    f = rule_key if rule else clean
    anc = [f(a) for a in n.ancestors]
    for own in dict.fromkeys(own_names(n, rule)):
        for k in range(len(anc) + 1):
            for pick in itertools.combinations(anc, k):
                yield (*pick, own)


def build_tree(rows) -> Tree:
    """Rows with .name, .parent_name, .level (see compile.load_units) → a Tree.

    A parent is named by its name, or by a path a/b/c where the name alone is not unique. An unknown,
    ambiguous or cyclic parent is an error naming the row."""
    from ..errors import NianbaoError
    by_name: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_name.setdefault(clean(r.name), []).append(i)
    parent_of: dict[int, int | None] = {}
    problems = []
    order = sorted(range(len(rows)), key=lambda i: "/" in (rows[i].parent_name or ""))
    for i in order:
        r = rows[i]
        pn = (r.parent_name or "").strip()
        if not pn:
            parent_of[i] = None
            continue
        parts = [clean(x) for x in pn.split("/") if x.strip()]
        hits = [j for j in by_name.get(parts[-1], []) if j != i]
        if len(parts) > 1:
            hits = [j for j in hits if _ends_with(rows, parent_of, j, parts)]
        if len(hits) == 1:
            parent_of[i] = hits[0]
        elif not hits:
            problems.append(f"“{r.name}”的上级“{pn}”不在单位表中")
        else:
            problems.append(f"“{r.name}”的上级“{pn}”在单位表中出现多次；请写出上级的完整路径，如 市/区/街道")
    if problems:
        raise NianbaoError("units-parents", "单位表有问题：" + "；".join(problems[:10]) + "。",
                           f"the units file has {len(problems)} parent problem(s).")
    paths: dict[int, list[str]] = {}

    def chain(i: int, seen: tuple = ()) -> list[str]:
        if i in paths:
            return paths[i]
        if i in seen:
            raise NianbaoError("units-cycle", f"单位表中上级关系成环（{rows[i].name}）。", "cycle in the units file.")
        p = parent_of[i]
        paths[i] = ([] if p is None else chain(p, (*seen, i))) + [clean(rows[i].name)]
        return paths[i]

    nodes, seen_paths = [], set()
    for i, r in enumerate(rows):
        c = chain(i)
        path = "/".join(c)
        if path in seen_paths:
            raise NianbaoError("units-duplicate", f"单位表中“{path}”出现两次。", f"{path} appears twice.")
        seen_paths.add(path)
        nodes.append(Node(r.name.strip(), path, "/".join(c[:-1]) or None, r.level,
                          [rows[j].name for j in _ancestor_rows(parent_of, i)]))
    return Tree(nodes)


def _ancestor_rows(parent_of, i):
    out, p = [], parent_of[i]
    while p is not None:
        out.append(p)
        p = parent_of[p]
    return out[::-1]


def _ends_with(rows, parent_of, j, parts) -> bool:
    """Does row j's chain of names end with parts (a/b/c)? Uses parents already resolved."""
    names = [clean(rows[j].name)]
    p = parent_of.get(j)
    while p is not None and len(names) < len(parts):
        names.insert(0, clean(rows[p].name))
        p = parent_of.get(p)
    return names[-len(parts):] == parts
