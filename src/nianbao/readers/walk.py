"""Folder walks that never drop a file silently (`nianbao extract/check/batch DIR`).

    walk(paths, archives=False) -> Iterator[Found]

Files are given in argument order; a folder is walked in sorted path order. Every report file
(REPORT_SUFFIXES, with .doc/.wps/.et/.rtf/.odt read through LibreOffice, .ofd, and pictures — .png .jpg
.jpeg .tif .tiff .bmp, read by OCR or failing with what to install) is a `Found` to read. A
file that may hold a report but cannot be read (.xls, an archive when `archives` is False) and a
sub-folder that cannot be opened (permissions) are a `Found` with the reason in `error`, so that the caller
lists them; so is a symbolic link to a folder, which is not followed (it may loop back, or list the same
files twice). Hidden files,
Office lock files (~$…) and files that are not reports at all (notes, data) are skipped.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..errors import ReadError
from .detect import REPORT_SUFFIXES, skip_reason

ARCHIVES = (".zip",)


@dataclass
class Found:
    path: str
    error: ReadError | None = None


def _dir_error(e: OSError, top: str) -> Found:
    path = e.filename or top
    if isinstance(e, PermissionError):
        from . import permission_denied
        return Found(path, permission_denied(path))
    return Found(path, ReadError("os-error", f"无法打开文件夹：{e.strerror}。", f"cannot open the folder: {e.strerror}.",
                                 path))


def _walk_dir(top: str, archives: bool) -> Iterator[Found]:
    found: list[Found] = []
    for root, dirs, files in os.walk(top, onerror=lambda e: found.append(_dir_error(e, top))):
        dirs.sort()
        for d in [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            full = os.path.join(root, d)
            found.append(Found(full, ReadError(
                "symlink", f"文件夹的符号链接不予展开（可能循环或重复读取，指向 {os.path.realpath(full)}）；"
                "如需读取，请直接给出它指向的文件夹。",
                "a symbolic link to a folder is not followed (it may loop); give the folder it points to.", full)))
        for f in files:
            if f.startswith((".", "~$")):
                continue
            full = os.path.join(root, f)
            low = f.lower()
            if low.endswith(REPORT_SUFFIXES) or archives and low.endswith(ARCHIVES):
                found.append(Found(full))
            elif reason := skip_reason(f):
                found.append(Found(full, ReadError(reason[0], reason[1], reason[2], full)))
    found.sort(key=lambda x: x.path)
    yield from found


def walk(paths: Iterable[str], archives: bool = False) -> Iterator[Found]:
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            yield from _walk_dir(p, archives)
        else:
            yield Found(p)
