"""Trust in values read by OCR: `read` only when confident and consistent with the identities.

    verify(report, record)       after extraction, for every template cell OCR saw:

  * 表三/表四 (bound by H1–H4; blanks count as 0):
      - suspect cells: a value OCR read with confidence below CONF, a cell whose print OCR could
        not make a number of ("o" for 0), and every value in an identity that does not hold;
      - suspects that share an identity form a group; for each group every combination of
        candidate values is tried — the reading itself, the digits the model also considered and
        the common confusions (1/7, 3/8, 0/6, …), at most two digits changed per cell;
      - exactly one combination makes every identity of the group hold: a confident value it
        keeps stays `read`; every other suspect is `inferred`, its note quoting what OCR read;
      - none or several: the group's cells are `missing`, the note quoting OCR's guess;
      - a confident value none of whose identities can be checked (a cell it shares them with is
        missing) is `missing` too: it could not be verified.
  * 表二 (no identity): `read` only when confident (CONF_T2), else `missing` with the guess.

Each cell's `where` keeps the page (or the picture, `image`), the bounding box and the confidence (`conf`).
"""
from __future__ import annotations

from itertools import combinations, product

from ...document import Problem
from ...report import BLANK, INFERRED, MISSING, NOT_APPLICABLE, READ, CellValue, Report
from . import cell_key

CONF = 0.95          # a value OCR is this sure of (`certainty`) is confident (t3/t4, checked by the identities)
CONF_T2 = 0.995      # 表二 has no identity to check against: only surer readings are read
ALT_MIN = 0.001      # a digit the model gave at least this probability is a candidate
MAX_CHANGES = 2      # digits changed per cell
MAX_CANDIDATES = 16
MAX_NODES = 200_000  # search budget per group of suspects

# digits OCR confuses (either way), and letters read for digits
CONFUSED = {"0": "689", "1": "74", "2": "7", "3": "85", "4": "19", "5": "63", "6": "058", "7": "12",
            "8": "3069", "9": "04"}
LETTERS = {"o": "0", "O": "0", "D": "0", "Q": "0", "U": "0", "l": "1", "I": "1", "|": "1", "i": "1", "T": "17",
           "J": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9", "b": "6"}


def certainty(oc) -> float:
    """How sure OCR is of the cell's number: for each digit, its probability against the other
    digits the model considered at that place (a "0" that might have been an "o" is still a sure
    0); the least sure digit counts. Text that is not a plain number: its confidence."""
    if len(oc.readings) != 1:
        return oc.conf
    r = oc.readings[0]
    out = 1.0
    for ch, p, alts in zip(r.text, r.chars, r.alts):
        if ch in _NOISE:
            continue
        if not ch.isdigit():
            return oc.conf
        total = sum(alts.values()) or p
        out = min(out, alts.get(ch, p) / total)
    return out


def verify(report: Report, record: dict) -> None:
    spec = report.spec
    if spec is None or not record:
        return
    seen: dict[tuple, object] = {}
    for key, cv in report.cells.items():
        w = cv.where
        if w is None or w.bbox is None or (w.page is None and w.image is None):
            continue
        oc = record.get(cell_key(w.image if w.image is not None else w.page, w.bbox))
        if oc is not None:
            seen[key] = oc
    if not seen:
        return
    counts = {"read": 0, "inferred": 0, "missing": 0}
    for key, oc in seen.items():
        if key[0] == "t2":
            cv = report.cells[key]
            if cv.status == READ and certainty(oc) < CONF_T2:
                _missing(cv, oc, f"把握不足（{certainty(oc):.3f}），表二没有勾稽关系可供核对")
    ids = [i for i in spec.identities if all(k[0] in report.present for k in i.cells())]
    by_cell: dict[tuple, list] = {}
    for ident in ids:
        for k in ident.cells():
            by_cell.setdefault(k, []).append(ident)
    cells = report.cells

    def known(k) -> int | None:
        cv = cells[k]
        if cv.status in (READ, INFERRED) and isinstance(cv.value, int):
            return cv.value
        if cv.status in (BLANK, NOT_APPLICABLE):
            return 0
        return None

    def holds(ident, val) -> bool | None:
        lhs = rhs = 0
        for k in ident.lhs:
            v = val(k)
            if v is None:
                return None
            lhs += v
        for k in ident.rhs:
            v = val(k)
            if v is None:
                return None
            rhs += v
        return lhs == rhs

    cand: dict[tuple, list[int]] = {}
    suspects: set[tuple] = set()
    for k, oc in seen.items():
        if k not in by_cell:
            continue
        cv = cells[k]
        if cv.status == READ and isinstance(cv.value, int):
            if certainty(oc) < CONF or any(holds(i, known) is False for i in by_cell[k]):
                suspects.add(k)
        elif cv.status == MISSING and _digits_like(oc):
            suspects.add(k)
        elif cv.status == MISSING and oc.text and cv.raw is not None:
            _missing(cv, oc, "未能识别为数字")     # OCR's misreading, never blamed on the report
        if k in suspects:
            cand[k] = candidates(oc)
            if not cand[k]:
                suspects.discard(k)
                _missing(cv, oc, "未能识别为数字")
    # groups of suspects linked by identities
    groups: list[set[tuple]] = []
    left = set(suspects)
    while left:
        k = left.pop()
        g, todo = {k}, [k]
        while todo:
            x = todo.pop()
            for ident in by_cell[x]:
                for y in ident.cells():
                    if y in left:
                        left.discard(y)
                        g.add(y)
                        todo.append(y)
        groups.append(g)
    for g in groups:
        sol = _solve(sorted(g), cand, [i for i in ids if any(k in g for k in i.cells())], known)
        if sol is None:
            for k in g:
                _missing(cells[k], seen[k], "与勾稽关系不一致或置信度不足，在常见误识范围内无法唯一确定")
            continue
        for k in g:
            cv, oc, v = cells[k], seen[k], sol[k]
            if cv.status == READ and cv.value == v and certainty(oc) >= CONF:
                continue
            codes = "、".join(sorted({i.code for i in by_cell[k]}))
            guess = oc.text.replace("\n", " ")
            cv.value, cv.status, cv.raw = v, INFERRED, oc.text
            # the note is OCR's own: what extraction said of the misread print (a letter, "0.") is
            # about the recognition, never about the report
            cv.note = (f"OCR识别为「{guess}」（置信度{oc.conf:.2f}），按勾稽关系（{codes}）在常见误识"
                                     f"（如1/7、3/8、0/6）范围内唯一确定为{v}")
            counts["inferred"] += 1
    # a confident value must be checked by at least one identity that holds
    for k, oc in seen.items():
        cv = cells[k]
        if k not in by_cell or cv.status != READ:
            continue
        results = [holds(i, known) for i in by_cell[k]]
        if False in results or True not in results:
            _missing(cv, oc, "无法用勾稽关系核对" if False not in results else "与勾稽关系不一致")
    for k, oc in seen.items():
        st = cells[k].status
        if st == READ:
            counts["read"] += 1
        elif st == MISSING and cells[k].note and "OCR识别" in cells[k].note:
            counts["missing"] += 1
    report.problems.append(Problem(
        "ocr-verified", f"OCR识别的表格单元格：{counts['read']}个经勾稽关系核对后读取，{counts['inferred']}个由勾稽关系唯一确定"
        f"（推定），{counts['missing']}个未能确认（缺失，说明中附OCR识别结果）；请对照原件核对推定和缺失的单元格。",
        f"table cells read by OCR: {counts['read']} read after checking the identities, {counts['inferred']} "
        f"determined by the identities (inferred), {counts['missing']} not confirmed (missing, OCR's guess in "
        "the note); check the inferred and missing cells against the original.", None, "info"))


def _join(note: str | None, more: str) -> str:
    return f"{note}；{more}" if note else more


def _missing(cv: CellValue, oc, why: str) -> None:
    guess = oc.text.replace("\n", " ")
    cv.status, cv.value = MISSING, None
    cv.inferable = False
    cv.note = _join(None, f"OCR识别为「{guess}」（置信度{oc.conf:.2f}），{why}，未读取；请对照原件核对")


def _digits_like(oc) -> bool:
    if len(oc.readings) != 1:
        return False
    t = _strip(oc.readings[0].text)
    return bool(t) and len(t) <= 7 and all(ch.isdigit() or ch in LETTERS for ch in t)


_NOISE = ",，.·。 '`_-~"    # separators, and specks of noise read as stops or dashes (counts have no decimals)


def _strip(text: str) -> str:
    return "".join(ch for ch in text if ch not in _NOISE)


def candidates(oc) -> list[int]:
    """Values the cell may hold: OCR's reading first, then readings with one or two digits
    changed to a digit the model also considered or a common confusion."""
    if len(oc.readings) != 1:
        return []
    r = oc.readings[0]
    text = r.text
    opts: list[list[tuple[str, float]]] = []
    for i, ch in enumerate(text):
        if ch in _NOISE:
            continue
        p = r.chars[i] if i < len(r.chars) else 0.0
        alts = r.alts[i] if i < len(r.alts) else {}
        first = ch if ch.isdigit() else (LETTERS.get(ch) or "")[:1] or None
        o: dict[str, float] = {}
        if first is not None:
            o[first] = p if ch.isdigit() else 0.5
        for d in ("" if ch.isdigit() else LETTERS.get(ch, ""))[1:]:
            o.setdefault(d, 0.25)
        for d, q in alts.items():
            if q >= ALT_MIN and d not in o:
                o[d] = q
        for d in CONFUSED.get(first or "", ""):
            o.setdefault(d, 1e-4)
        if not o:
            return []
        opts.append(sorted(o.items(), key=lambda kv: -kv[1]))
    if not opts or len(opts) > 7:
        return []
    base = [o[0][0] for o in opts]
    out: dict[int, float] = {}
    score0 = 1.0
    for o in opts:
        score0 *= o[0][1]
    out[int("".join(base))] = score0
    for n in range(1, MAX_CHANGES + 1):
        for pos in combinations(range(len(opts)), n):
            for choice in product(*[opts[i][1:] for i in pos]):
                digits = list(base)
                s = score0
                for i, (d, q) in zip(pos, choice):
                    digits[i] = d
                    s *= q / max(opts[i][0][1], 1e-9)
                if len(digits) > 1 and digits[0] == "0":
                    continue
                v = int("".join(digits))
                out[v] = max(out.get(v, 0.0), s)
    first_v = int("".join(base))
    rest = sorted((v for v in out if v != first_v), key=lambda v: -out[v])
    return [first_v] + rest[:MAX_CANDIDATES - 1]


def _solve(group: list[tuple], cand: dict, idents: list, known) -> dict | None:
    """The one assignment of candidate values to the group's cells under which every identity of
    the group holds (identities with a cell of unknown value outside the group are not used);
    None when there is none, several, or the search budget runs out."""
    def outside(k):
        return None if k in cand_set else known(k)

    cand_set = set(group)
    usable = []
    for ident in idents:
        if any(k not in cand_set and known(k) is None for k in ident.cells()):
            continue
        usable.append(ident)
    if not usable:
        return None
    # order: cells of the most constrained identities first; check an identity once complete
    order = sorted(group, key=lambda k: (len(cand[k]), k))
    pos = {k: i for i, k in enumerate(order)}
    checks: list[list] = [[] for _ in order]
    for ident in usable:
        last = max(pos[k] for k in ident.cells() if k in cand_set)
        fixed = sum(outside(k) for k in ident.lhs if k not in cand_set) - \
            sum(outside(k) for k in ident.rhs if k not in cand_set)
        checks[last].append((ident, fixed))
    val: dict[tuple, int] = {}
    found: list[dict] = []
    nodes = 0

    def ok(i: int) -> bool:
        for ident, fixed in checks[i]:
            s = fixed + sum(val[k] for k in ident.lhs if k in cand_set) - \
                sum(val[k] for k in ident.rhs if k in cand_set)
            if s != 0:
                return False
        return True

    def go(i: int) -> bool:
        nonlocal nodes
        if i == len(order):
            found.append(dict(val))
            return len(found) > 1
        k = order[i]
        for v in cand[k]:
            nodes += 1
            if nodes > MAX_NODES:
                return True
            val[k] = v
            if ok(i) and go(i + 1):
                return True
        del val[k]
        return False

    stopped = go(0)
    if stopped or len(found) != 1:
        return None
    return found[0]
