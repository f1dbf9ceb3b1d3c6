"""What a failure depended on, so that `nianbao batch` tries it again once that changes.

    current() -> dict          this machine: nianbao's version, LibreOffice present, the OCR extra installed
    needs(data, path) -> str   the key a failure of this file is recorded with, e.g. "nianbao=0.1.0;soffice=0"
    stale(key, now) -> bool    the key no longer holds (or was never recorded): try the file again

A `.doc` that failed without LibreOffice, a scan that failed without the OCR extra, any file that failed
under an older nianbao: each failure row in the store's `files` table carries its key (column `needs`), and
a later batch re-reads the file when a part of the key differs from this machine's.
"""
from __future__ import annotations

LEGACY_KINDS = ("doc", "rtf", "odt", "et")      # read through LibreOffice (readers/legacy.py)


def current() -> dict[str, str]:
    from .. import __version__
    from ..readers import legacy
    from ..readers.ocr import available
    return {"nianbao": __version__, "soffice": "1" if legacy.soffice() else "0", "ocr": "1" if available() else "0"}


def needs(data: bytes, path: str, now: dict[str, str] | None = None) -> str:
    """The capabilities a failure of this file may have depended on: nianbao's version always; LibreOffice
    for Word/WPS/RTF/OpenDocument files; the OCR extra for everything that may hold a picture (PDF, images,
    Word, web pages, OFD), not for plain text."""
    from ..errors import NianbaoError
    from ..readers.detect import detect_kind
    now = now or current()
    try:
        kind = detect_kind(data, path)
    except NianbaoError:
        kind = ""
    parts = ["nianbao"]
    if kind in LEGACY_KINDS:
        parts.append("soffice")
    if kind != "text":
        parts.append("ocr")
    return ";".join(f"{k}={now[k]}" for k in parts)


def stale(key: str | None, now: dict[str, str]) -> bool:
    """Has any capability in `key` changed? A failure recorded without a key (by an older nianbao) is stale."""
    if not key:
        return True
    for part in key.split(";"):
        k, _, v = part.partition("=")
        if now.get(k, v) != v:
            return True
    return False
