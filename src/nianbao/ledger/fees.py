"""信息处理费 (国办函〔2020〕109号): per request within a calendar month, or per page."""
from __future__ import annotations


def per_request_fee(nth: int) -> int:
    """Fee for the applicant's nth request in one calendar month (1-based), in 元.

    ≤10 free; 11–30: 100 元 each; above 30, in bands of 10, each band 100 元 more per request
    (31–40: 200, 41–50: 300, …)."""
    if nth <= 10:
        return 0
    if nth <= 30:
        return 100
    return 100 + 100 * ((nth - 31) // 10 + 1)


def per_request_total(count: int) -> int:
    """Total for `count` requests by the same applicant in one calendar month."""
    return sum(per_request_fee(i) for i in range(1, count + 1))


def per_page_fee(pages: int) -> int:
    """Fee for one request by pages, in 元: ≤30 free; 31–100: 10 元/页; 101–200: 20 元/页; >200: 40 元/页
    (each band charged on the pages within it)."""
    fee = 0
    for lo, hi, rate in ((31, 100, 10), (101, 200, 20), (201, None, 40)):
        if pages >= lo:
            top = pages if hi is None else min(pages, hi)
            fee += (top - lo + 1) * rate
    return fee


# ------------------------------------------------------------------ from the ledger
from dataclasses import dataclass  # noqa: E402


@dataclass
class FeeLine:
    request: object               # ledger.Request
    way: str                      # 按件 | 按量
    nth: int                      # the applicant's nth request in that natural month (按件)
    pages: int | None
    amount: int                   # 元
    basis: str                    # how, in Chinese


def ledger_fees(requests) -> list[FeeLine]:
    """The fee of every request whose 收费方式 is recorded. 按件 counts the applicant's requests received in the
    same natural month (all of them, charged or not, in order of receipt); 按量 charges the request's pages.
    An applicant is known by the 申请人 column; a request without one counts alone."""
    from collections import defaultdict
    groups: dict[tuple, list] = defaultdict(list)
    for k, r in enumerate(requests):
        who = r.applicant.strip() or f"#{k}"
        groups[(who, r.received.year, r.received.month)].append(r)
    nth: dict[int, int] = {}
    for reqs in groups.values():
        for i, r in enumerate(sorted(reqs, key=lambda r: (r.received, r.row)), start=1):
            nth[id(r)] = i
    out = []
    for r in requests:
        if r.fee_way == "按件":
            n = nth[id(r)]
            out.append(FeeLine(r, "按件", n, None, per_request_fee(n),
                               f"{r.applicant or '（未填申请人）'} {r.received.year}年{r.received.month}月第 {n} 件"))
        elif r.fee_way == "按量":
            out.append(FeeLine(r, "按量", nth[id(r)], r.pages, per_page_fee(r.pages or 0), f"{r.pages} 页"))
    return out
