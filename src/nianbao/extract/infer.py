"""Fill cells that a short row left ambiguous, where an identity determines them uniquely.

Only cells marked `inferable` (missing because a row printed fewer values than columns) are
ever inferred, and only from cells that were read. Cut-off cells stay missing.
"""
from __future__ import annotations

from ..document import Problem
from ..formats import FORMATS
from ..report import INFERRED, READ, Report


def infer(report: Report) -> None:
    spec = FORMATS.get(report.format or "")
    if spec is None:
        return
    cells = report.cells
    if not any(cv.inferable for cv in cells.values()):
        return
    changed = True
    inferred: dict[tuple, str] = {}
    while changed:
        changed = False
        for ident in spec.identities:
            keys = ident.cells()
            if any(k[0] not in report.present for k in keys):
                continue
            unknown = [k for k in keys if cells[k].inferable and cells[k].status != INFERRED]
            if not unknown:
                continue
            known = [k for k in keys if k not in unknown]
            if any(cells[k].status not in (READ, INFERRED) or not isinstance(cells[k].value, int) for k in known):
                continue
            lhs = sum(cells[k].value for k in ident.lhs if k in known)
            rhs = sum(cells[k].value for k in ident.rhs if k in known)
            u_lhs = [k for k in unknown if k in ident.lhs]
            u_rhs = [k for k in unknown if k in ident.rhs]
            solved: dict[tuple, int] = {}
            if len(unknown) == 1:
                v = (rhs - lhs) if u_lhs else (lhs - rhs)
                if v >= 0:
                    solved[unknown[0]] = v
            elif not u_lhs and lhs - rhs == 0:
                solved = {k: 0 for k in u_rhs}     # non-negative counts summing to 0
            elif not u_rhs and rhs - lhs == 0:
                solved = {k: 0 for k in u_lhs}
            for k, v in solved.items():
                cv = cells[k]
                cv.value, cv.status = v, INFERRED
                cv.note = (cv.note + "；" if cv.note else "") + f"由{ident.code}（{ident.name}）推定为{v}"
                inferred[k] = ident.code
                changed = True
    if inferred:
        by_row: dict[tuple[str, str], list[str]] = {}
        for (t, r, c), code in inferred.items():
            by_row.setdefault((t, r), []).append(code)
        for (t, r), codes in by_row.items():
            report.problems.append(Problem(
                "inferred", f"表{'二三四'[int(t[1]) - 2]}「{spec.table(t).row(r).label}」行的{len(codes)}个单元格由勾稽关系（{'、'.join(sorted(set(codes)))}）唯一确定，已推定填入。",
                f"table {t}: {len(codes)} cells of row '{r}' were determined by identities "
                f"({', '.join(sorted(set(codes)))}) and filled in as inferred.", None, "info"))
