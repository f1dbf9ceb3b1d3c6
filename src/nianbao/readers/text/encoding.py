"""Bytes → text: the encoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), damage
reported or refused, line ends and export artefacts normalised."""
from __future__ import annotations

import re

from ...document import Problem, Where
from ...errors import ReadError

# export artefacts: Word bookmarks in text exports, zero-width characters and soft hyphens
# (two patterns: an alternation would defeat the regex engine's literal scan)
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK."""
    text, encoding, _ = decode_checked(data, name)
    return text, encoding


def decode_checked(data: bytes, name: str = "") -> tuple[str, str, int]:
    """(text, encoding, damaged): `damaged` counts the byte sequences that could not be decoded and
    were replaced by U+FFFD (a UTF-16 file of odd length, a lone surrogate, a bad UTF-8 byte after a
    BOM). A file damaged throughout is refused with a ReadError instead."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _replacing(data[3:], "utf-8", "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _replacing(data, "utf-16", "utf-16", name)
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030", 0
    except UnicodeDecodeError:
        pass
    return _replacing(data, "gb18030", "gb18030", name)


def _replacing(data: bytes, codec: str, encoding: str, name: str) -> tuple[str, str, int]:
    try:
        return data.decode(codec), encoding, 0
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(10, len(text) // 100):
        if codec == "utf-16":
            raise ReadError("encoding",
                            f"文件开头标明是 UTF-16 编码，但有{bad}处字节无法解码（文件可能已损坏或被截断）；"
                            "请用记事本或 WPS 重新另存为 UTF-8 后再读取。",
                            f"the file is marked as UTF-16 but {bad} byte sequences cannot be decoded (it may be "
                            "damaged or truncated); save it again as UTF-8 and try again.", name)
        raise ReadError("encoding",
                        "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）；请用记事本或 WPS 另存为 UTF-8 后再读取。",
                        "cannot tell the text encoding (neither UTF-8 nor GBK/GB18030); save the file as UTF-8 "
                        "and try again.", name)
    return text, encoding, bad


def _damage_problem(text: str, encoding: str, bad: int) -> Problem:
    """Where the undecodable bytes are (the first lines), and what that means for the values there."""
    lines = [no for no, s in enumerate(text.split("\n"), 1) if "\ufffd" in s]
    shown = "、".join(f"第{no}行" for no in lines[:5]) + ("等" if len(lines) > 5 else "")
    name = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8", "gb18030": "GB18030"}.get(encoding, encoding)
    return Problem(
        "encoding-damaged",
        f"文件中有{bad}处字节无法按 {name} 解码（{shown}），已替换为「\ufffd」；这些位置的文字和数值不会被读取，"
        "请核对原文件是否完整。",
        f"{bad} byte sequence(s) cannot be decoded as {name} (lines {', '.join(map(str, lines[:5]))}); they were "
        "replaced by U+FFFD and no value is read there; check that the file is complete.",
        Where(line=lines[0]) if lines else None, "warning")


def normalize_lines(text: str) -> str:
    """Line ends as "\n", export artefacts removed: the text whose lines `Where.line` counts."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "[bookmark: " in text:
        text = _BOOKMARK.sub("", text)
    return text
