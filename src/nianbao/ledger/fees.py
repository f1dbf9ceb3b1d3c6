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
