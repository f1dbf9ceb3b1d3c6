"""Readers: bytes → `Document`, one module per input kind behind one interface.

    read(path) -> Document          # detect the kind, check the size, dispatch
    read_bytes(data, name) -> Document

Each reader module exposes `read(data: bytes, source: Source) -> Document` and raises
`ReadError` (with a Chinese and an English message) for input it cannot use.
"""
from __future__ import annotations

import hashlib
import os
import re

from .. import limits
from ..document import Document, Source
from ..errors import ReadError
from .detect import REPORT_SUFFIXES, detect_kind, skip_reason

MAX_BYTES = limits.MAX_ANY  # per kind: limits.MAX_BYTES (text 1 MB, web pages 16 MB, Word and PDF 64 MB)


def _reader(kind: str):
    if kind == "text":
        from . import text as mod
    elif kind == "html":
        from . import html as mod
    elif kind == "docx":
        from . import docx as mod
    elif kind == "pdf":
        from . import pdf as mod
    elif kind in ("doc", "rtf", "odt", "et"):
        from . import legacy as mod
    elif kind == "ofd":
        from . import ofd as mod
    elif kind == "image":
        from . import ocr as mod
    else:  # pragma: no cover - detect_kind only returns these kinds
        raise ValueError(kind)
    return mod


def read_bytes(data: bytes, name: str = "<bytes>", kind: str | None = None, folder: str | None = None) -> Document:
    """`folder`: where the file lies on disk (Source.folder: a web page's pictures beside it are read)."""
    if not data:
        raise ReadError("empty", "文件为空（0 字节），请确认上传或导出是否完整。",
                        "the file is empty (0 bytes); check that it was exported or uploaded completely.",
                        name)
    if len(data) > MAX_BYTES:
        raise limits.too_large(len(data), None, name)
    kind = kind or detect_kind(data, name)
    if len(data) > limits.MAX_BYTES[kind]:
        raise limits.too_large(len(data), kind, name)
    limits.check_time()
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), kind=kind, size=len(data), folder=folder)
    try:
        doc = _reader(kind).read(data, source)
        doc.open_end = open_end(data, kind)
        return doc
    except ReadError as e:
        e.path = e.path or name
        raise
    except (RecursionError, MemoryError) as e:
        raise ReadError("unreadable", f"文件结构异常，无法读取（{type(e).__name__}）。",
                        f"the file's structure is abnormal and cannot be read ({type(e).__name__}).",
                        name) from None


def open_end(data: bytes, kind: str) -> bool:
    """True when a text or web page ends right after a character that could be part of a value:
    no line end, cell separator (tab, "|", space) or tag end after it — a file cut off mid-cell. A text
    whose last line is begun but holds only tabs ("…\n\t", the indent of a cell-per-line layout) is
    cut too: that line's cell was cut off before its content. (A last line of spaces makes no cell.)"""
    if kind not in ("text", "html"):
        return False
    tail = data[-8:].replace(b"\x00", b"")        # UTF-16: the high bytes of ASCII characters
    if not tail:
        return False
    last = tail[-1:]
    if kind == "html":
        return last not in (b">", b"\n", b"\r", b" ", b"\t") or _in_open_cell(data)
    if last == b"\t":
        return tail.rstrip(b"\t")[-1:] in (b"\n", b"\r")
    return last not in (b"\n", b"\r", b"|", b" ", b"\x0c")


_CELL_OPEN = re.compile(rb"<t[dh][\s>]", re.I)
_CELL_CLOSED = re.compile(rb"</t[dhr][\s>]|</table|</body|</html|<tr[\s>]", re.I)


def _in_open_cell(data: bytes) -> bool:
    """A web page that ends inside a table cell it opened ("…<td class=\"value\">"): the cell's text
    was cut off."""
    tail = data[-65536:].replace(b"\x00", b"")
    opens = [m.end() for m in _CELL_OPEN.finditer(tail)]
    return bool(opens) and not _CELL_CLOSED.search(tail, opens[-1])


def permission_denied(path: str) -> ReadError:
    return ReadError("permission", "权限不足，无法读取该文件或文件夹；请检查访问权限（或以有权限的账户运行）。",
                     "permission denied: the file or folder cannot be read; check its permissions.", path)


def read(path: str | os.PathLike, kind: str | None = None) -> Document:
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise ReadError("not-found", "文件不存在，请检查路径。", "no such file; check the path.", path) from None
    except PermissionError:
        raise permission_denied(path) from None
    except OSError as e:
        raise ReadError("os-error", f"无法打开文件：{e.strerror}。", f"cannot open the file: {e.strerror}.",
                        path) from None
    if os.path.isdir(path):
        raise ReadError("is-directory", "这是一个文件夹，不是文件。", "this is a folder, not a file.", path)
    if size > MAX_BYTES:
        raise limits.too_large(size, None, path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except PermissionError:
        raise permission_denied(path) from None
    except OSError as e:
        raise ReadError("os-error", f"无法读取文件：{e.strerror}。", f"cannot read the file: {e.strerror}.",
                        path) from None
    return read_bytes(data, path, kind, folder=os.path.dirname(os.path.abspath(path)))


__all__ = ["read", "read_bytes", "detect_kind", "MAX_BYTES", "REPORT_SUFFIXES", "skip_reason",
           "permission_denied"]
