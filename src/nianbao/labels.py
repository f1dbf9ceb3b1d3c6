"""Label normalisation: the printed label of a row, column or heading → a comparable key.

Removes whitespace and line breaks, unifies half- and full-width punctuation, drops the
numbering ("（一）", "(一)", "1.", "1、", "一、", and "，" printed for "、") and filling instructions in brackets that
some units print inside the label cell.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WIDTH = str.maketrans({
    "(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "．": ".", "、": "、",
    "\"": "", "“": "", "”": "", "‘": "", "’": "", "'": "", "《": "", "》": "",
    "〈": "", "〉": "", "<": "", ">": "", "　": "", "０": "0", "１": "1", "２": "2", "３": "3",
    "４": "4", "５": "5", "６": "6", "７": "7", "８": "8", "９": "9", "／": "/",
})
_WS = re.compile(r"\s+")
# "，" is printed for "、" too ("一，本年新收…", "1，属于国家秘密"), but not inside a number ("1，234")
_NUMBERING = re.compile(r"^(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+[、，]|\d{1,2}\s*(?:[、.．）)]|，(?!\d))|（\d{1,2}）)")
_CN_NUM = "一二三四五六七八九十"


# Caches: a label repeats across reports, so texts up to _SHORT characters stay cached for the whole
# process; a paragraph repeats only within its report, so longer texts get a small cache of their own
# (a batch worker reads 100,000 reports: a big cache of paragraphs would hold tens of MB of text).
_SHORT = 100


def _two_caches(f, short: int = 4096, long: int = 256):
    fast, slow = lru_cache(maxsize=short)(f), lru_cache(maxsize=long)(f)

    def cached(text: str):
        return fast(text) if len(text) <= _SHORT else slow(text)
    cached.__doc__, cached.__name__, cached.__wrapped__ = f.__doc__, f.__name__, f
    return cached


@_two_caches
def norm(text: str) -> str:
    """Whitespace removed, punctuation unified; numbering kept."""
    return _WS.sub("", text.translate(_WIDTH))


@_two_caches
def strip_numbering(text: str) -> str:
    """norm() and the leading numbering removed: "（三）不予公开" → "不予公开"."""
    s = norm(text)
    m = _NUMBERING.match(s)
    return s[m.end():] if m else s


def numbering(text: str) -> tuple[str, int] | None:
    """("paren"|"dun"|"arabic", number) of a label's leading numbering, or None."""
    s = norm(text)
    m = _NUMBERING.match(s)
    if not m:
        return None
    tok = m.group(0)
    if tok.startswith("（"):
        inner = tok[1:-1]
        return ("paren", int(inner) if inner.isdigit() else _cn(inner))
    if tok[0].isdigit():
        return ("arabic", int(re.match(r"\d+", tok).group(0)))
    return ("dun", _cn(tok[:-1]))


def _cn(s: str) -> int:
    if s == "十":
        return 10
    if len(s) == 1:
        return _CN_NUM.index(s) + 1
    if s.startswith("十"):
        return 10 + _CN_NUM.index(s[1]) + 1
    return (_CN_NUM.index(s[0]) + 1) * 10 + (_CN_NUM.index(s[2]) + 1 if len(s) > 2 else 0)


_BRACKETED = re.compile(r"（[^（）]*）")


@_two_caches
def core(text: str) -> str:
    """strip_numbering() and bracketed notes removed: "规章（设区的市…）" → "规章"."""
    s = strip_numbering(text)
    out = _BRACKETED.sub("", s)
    return out or s
