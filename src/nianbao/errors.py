"""Errors a user sees: a code, a Chinese message, an English message. Never a traceback."""
from __future__ import annotations


class NianbaoError(Exception):
    """An input the program cannot use. `code` is stable; messages name the file and what to do."""

    def __init__(self, code: str, message: str, message_en: str, path: str | None = None):
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en
        self.path = path

    def text(self, lang: str = "zh") -> str:
        msg = self.message if lang == "zh" else self.message_en
        if self.path:
            return f"{self.path}: {msg}"
        return msg

    def to_dict(self, lang: str = "zh") -> dict:
        return {"code": self.code, "message": self.message if lang == "zh" else self.message_en}


class ReadError(NianbaoError):
    """The file could not be read as a report (empty, binary junk, truncated, encrypted, …)."""


class UsageError(NianbaoError):
    """The command line was wrong."""
