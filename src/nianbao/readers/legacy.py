"""Legacy office files (.doc/.dot, .wps/.wpt, .rtf, .odt, .et/.ett) read through LibreOffice.

    read(data, source) -> Document       source.kind is "doc" | "rtf" | "odt" | "et"

When LibreOffice (`soffice`) is on the machine, the file is converted in a throwaway folder with a
profile of its own (`-env:UserInstallation=…`, so two conversions at once never share one, and a
LibreOffice the user has open is never touched), within a timeout (the file's time limit, at most
CONVERT_SECONDS); on timeout the whole process group is killed. A Word or WPS text file becomes DOCX
and is read by the DOCX reader; a WPS spreadsheet (.et) becomes HTML (LibreOffice Calc) and is read
by the HTML reader, its rows holding a single cell across the sheet (title, headings, text) turned
back into paragraphs. The Document keeps the original file as its source (path, sha256, kind); an
info problem says that positions (table, row, column) are those of the converted document.

Without LibreOffice the file gets the clear message it always had (save it as .docx).
NIANBAO_SOFFICE names the program (a path); set to an empty string, LibreOffice is not used.

A caller that keeps conversions (the web app: web/derived.py) sets `CACHE` to an object with
`get(data, kind) -> bytes | None` and `put(data, kind, converted)`; a hit starts no LibreOffice.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextvars import ContextVar
from pathlib import Path

from .. import limits
from ..document import Cell, Document, Paragraph, Problem, Source, Table, Where
from ..errors import ReadError

CONVERT_SECONDS = 120.0      # one conversion, at most (also bounded by the file's time limit)
CACHE: ContextVar = ContextVar("nianbao_legacy_cache", default=None)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# kind → (input suffix LibreOffice is given, --convert-to target, reader of the result)
_CONVERT = {"doc": (".doc", "docx:MS Word 2007 XML", "docx"),
            "rtf": (".rtf", "docx:MS Word 2007 XML", "docx"),
            "odt": (".odt", "docx:MS Word 2007 XML", "docx"),
            "et": (".xls", "html:HTML (StarCalc)", "html")}

_WHAT = {".wps": ("WPS 文字（.wps）文件", "a WPS Writer (.wps) file"),
         ".wpt": ("WPS 文字模板（.wpt）文件", "a WPS Writer template (.wpt)"),
         ".dot": ("Word 模板（.dot）文件", "a Word template (.dot)"),
         ".et": ("WPS 表格（.et）文件", "a WPS Spreadsheets (.et) file"),
         ".ett": ("WPS 表格模板（.ett）文件", "a WPS Spreadsheets template (.ett)"),
         ".rtf": ("RTF 文件", "an RTF file"),
         ".odt": ("OpenDocument 文本（.odt）文件", "an OpenDocument text (.odt) file")}


def soffice() -> str | None:
    """The LibreOffice program to convert with, or None."""
    env = os.environ.get("NIANBAO_SOFFICE")
    if env is not None:
        return env.strip() or None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _what(kind: str, path: str) -> tuple[str, str]:
    ext = os.path.splitext(path)[1].lower()
    if ext in _WHAT:
        return _WHAT[ext]
    if kind in ("rtf", "odt"):
        return _WHAT["." + kind]
    if kind == "et":
        return _WHAT[".et"]
    if ext == ".docx":
        return "旧版 Word（.doc）文件（文件名是 .docx，内容却是旧版格式）", "a legacy Word (.doc) file named .docx"
    return "旧版 Word（.doc）文件", "a legacy Word (.doc) file"


def no_soffice(kind: str, path: str) -> ReadError:
    """Today's message when LibreOffice is not installed."""
    zh, en = _what(kind, path)
    if kind == "et":
        return ReadError("doc-legacy", f"这是{zh}，需要 LibreOffice 才能读取，本机未安装；请提供 Word（.docx）、PDF 或网页版本"
                         "（或安装 LibreOffice 后重试）。",
                         f"this is {en}; reading it needs LibreOffice, which is not installed; provide the Word "
                         "(.docx), PDF or web version (or install LibreOffice).", path)
    code = kind if kind in ("rtf", "odt") else "doc-legacy"
    return ReadError(code, f"这是{zh}，需要 LibreOffice 才能读取，本机未安装；请在 Word 或 WPS 中另存为 .docx 后再读取"
                     "（或安装 LibreOffice 后重试）。",
                     f"this is {en}; reading it needs LibreOffice, which is not installed; save it as .docx "
                     "in Word or WPS (or install LibreOffice).", path)


def _failed(kind: str, path: str, why_zh: str = "", why_en: str = "") -> ReadError:
    zh, en = _what(kind, path)
    to = "请提供 Word（.docx）、PDF 或网页版本" if kind == "et" else "请在 Word 或 WPS 中打开并另存为 .docx 后再读取"
    to_en = "provide the Word (.docx), PDF or web version" if kind == "et" else "open it in Word or WPS and save it as .docx"
    return ReadError("convert-failed",
                     f"这是{zh}，LibreOffice 未能打开它{why_zh}（文件可能已损坏、不完整或设有密码）；{to}。",
                     f"this is {en}; LibreOffice could not open it{why_en} (the file may be damaged, incomplete or "
                     f"password-protected); {to_en}.", path)


def convert(data: bytes, kind: str, path: str = "") -> bytes:
    """The file converted by LibreOffice (DOCX bytes, or HTML for a spreadsheet). A run that ends without
    a result is tried once more in a new folder and profile (LibreOffice's first start in a fresh profile
    can fail on a busy machine); a file it cannot open fails twice and gets `convert-failed`."""
    exe = soffice()
    if exe is None:
        raise no_soffice(kind, path)
    out = _convert_once(exe, data, kind, path)
    if out is None:
        out = _convert_once(exe, data, kind, path)
    if out is None:
        raise _failed(kind, path)
    return out


def _cached_convert(data: bytes, kind: str, path: str) -> bytes:
    cache = CACHE.get()
    hit = cache.get(data, kind) if cache is not None else None
    if hit is not None:
        return hit
    out = convert(data, kind, path)
    if cache is not None:
        cache.put(data, kind, out)
    return out


def _convert_once(exe: str, data: bytes, kind: str, path: str) -> bytes | None:
    suffix, target, _ = _CONVERT[kind]
    left = limits.remaining()
    seconds = CONVERT_SECONDS if left is None else min(CONVERT_SECONDS, left)
    if seconds <= 0:
        limits.check_time()
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp, "in" + suffix)       # a plain name: LibreOffice picks its filter by content and suffix
        src.write_bytes(data)
        out_dir = Path(tmp, "out")
        cmd = [exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--invisible",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", target, "--outdir", str(out_dir), str(src)]
        env = dict(os.environ, HOME=tmp)     # nothing written into the user's home
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=tmp, env=env, start_new_session=True)
        except OSError as e:
            raise ReadError("convert-failed", f"无法启动 LibreOffice（{exe}：{e.strerror or e}）；请检查安装，"
                            "或把文件另存为 .docx 后再读取。",
                            f"cannot start LibreOffice ({exe}: {e.strerror or e}); check the installation, or save "
                            "the file as .docx.", path) from None
        try:
            proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill(proc)
            s = f"{seconds:g}"
            raise limits.too_complex(f"LibreOffice 转换超过 {s} 秒仍未完成，已停止",
                                     f"the LibreOffice conversion did not finish within {s} s and was stopped",
                                     path) from None
        finally:
            _kill(proc)
        out = out_dir / ("in" + (".docx" if target.startswith("docx") else ".html"))
        if not out.is_file() or out.stat().st_size == 0:
            return None
        return out.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    """Kill what is left of the conversion's process group (soffice starts soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.returncode is None:
        proc.communicate()


def read(data: bytes, source: Source) -> Document:
    kind, path = source.kind, source.path
    if soffice() is None:
        raise no_soffice(kind, path)
    if kind == "doc" and (len(data) < 1536 or not data.startswith(OLE)):
        raise _failed(kind, path, "（不是完整的 Word 文件）", " (it is not a complete Word file)")
    if kind == "et" and (len(data) < 1536 or not data.startswith(OLE)):
        raise _failed(kind, path, "（不是完整的表格文件）", " (it is not a complete spreadsheet file)")
    converted = _cached_convert(data, kind, path)
    reader = _CONVERT[kind][2]
    if len(converted) > limits.MAX_BYTES[reader]:
        raise limits.too_large(len(converted), reader, path)
    limits.check_time()
    if reader == "docx":
        from . import docx as mod
    else:
        from . import html as mod
    doc = mod.read(converted, source)
    if kind == "et":
        doc.blocks = sheet_blocks(doc.blocks)
    doc.problems.insert(0, Problem(
        "converted", "由 LibreOffice 转换为 " + ("Word（.docx）" if reader == "docx" else "网页") + " 后读取；"
        "表格、行、列的位置按转换后的文档计。",
        "read after conversion by LibreOffice to " + ("DOCX" if reader == "docx" else "HTML") +
        "; table, row and column positions are those of the converted document.", None, "info"))
    return doc


# ----------------------------------------------------------------------------------------- sheets
def sheet_blocks(blocks: list) -> list:
    """A spreadsheet comes out as one grid: its rows that hold one cell across the whole sheet
    (the title, headings, paragraphs of text) become paragraphs, and the rows between them tables."""
    out: list = []
    for b in blocks:
        if not isinstance(b, Table) or b.n_cols < 2:
            out.append(b)
            continue
        run: list[int] = []
        for r in range(b.n_rows):
            text = _single(b, r)
            if text is None:
                run.append(r)
                continue
            if run:
                out.append(_sub_table(b, run))
                run = []
            if text:
                out.append(Paragraph(text, Where(table=b.index, row=r, col=0)))
        if run:
            out.append(_sub_table(b, run))
    k = 0
    for b in out:
        if isinstance(b, Table):
            b.index = k
            k += 1
    return out


def _single(t: Table, r: int) -> str | None:
    """The text of a row covered by one cell that starts on it and ends on it, else None."""
    row = t.rows[r]
    cells = {id(c): c for c in row if c is not None}
    if len(cells) != 1:
        texts = [c.text for c in cells.values() if c.text.strip()]
        if len(texts) == 0 and all(c.rowspan == 1 and c.row == r for c in cells.values()):
            return ""
        return None
    (c,) = cells.values()
    if c.row != r or c.rowspan != 1:
        return None
    return c.text.strip()


def _sub_table(t: Table, rows: list[int]) -> Table:
    """Grid rows [rows] of t as a table of their own (rows are contiguous; spans clipped)."""
    first, last = rows[0], rows[-1]
    new: dict[int, Cell] = {}
    grid: list[list[Cell | None]] = []
    for r in rows:
        line: list[Cell | None] = []
        for c in t.rows[r]:
            if c is None:
                line.append(None)
                continue
            n = new.get(id(c))
            if n is None:
                top = max(c.row, first)
                bottom = min(c.row + c.rowspan - 1, last)
                n = Cell(c.text if top == c.row else "", top - first, c.col, bottom - top + 1, c.colspan, c.where)
                new[id(c)] = n
            line.append(n)
        grid.append(line)
    return Table(grid, t.index, Where(table=t.index, row=first))
