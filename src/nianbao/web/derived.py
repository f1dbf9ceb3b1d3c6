"""Files derived from a stored report file, kept on disk so that a page view never does the work again:
the LibreOffice conversion of a .doc/.wps/.rtf/.odt/.et (3–6 s each), the rendered source view of a
Word, web, OFD, legacy or picture report (a read, or OCR, per view otherwise), a PDF's page sizes and
page images.

    MEDIA_ROOT/derived/<sha[:2]>/<sha>/<name>      one folder per stored file content (sha256)

    get(sha, name) / put(sha, name, data)   read / write one derived file (written atomically: a reader
                                            never sees half a file, two writers never mix)
    conversions()                           context: LibreOffice conversions go through the cache
    discard(sha)                            remove a file's derived folder (its stored file is purged)
    purge_orphans()                         at worker start: folders whose file no report keeps

Every name carries what it depends on, so that nothing stale is ever served: a conversion the
LibreOffice program and the conversion's target (`converter_id`), a rendered view the code that
renders it (`code_id`) and the positions it marks.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings

log = logging.getLogger("nianbao.web")

CONVERT_FORMAT = 1          # bump when what is cached for a conversion changes


def folder(sha: str) -> Path:
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        raise ValueError(f"not a sha256: {sha!r}")
    return Path(settings.MEDIA_ROOT, "derived", sha[:2], sha)


def path(sha: str, name: str) -> Path:
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(name)
    return folder(sha) / name


def get(sha: str, name: str) -> bytes | None:
    try:
        return path(sha, name).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None


def put(sha: str, name: str, data: bytes) -> Path:
    """Write atomically: a temporary file beside the target, then one rename."""
    target = path(sha, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def discard(sha: str) -> bool:
    """Remove everything derived from a file content; True if there was something."""
    try:
        d = folder(sha)
    except ValueError:
        return False
    if not d.exists():
        return False
    shutil.rmtree(d, ignore_errors=True)
    try:
        d.parent.rmdir()            # the <sha[:2]> folder, when it is empty now
    except OSError:
        pass
    return True


def purge_orphans() -> int:
    """Remove derived folders whose file content no report keeps (any report, withdrawn ones included), and
    the page images older versions kept under MEDIA_ROOT/pages."""
    from .models import Report
    shutil.rmtree(Path(settings.MEDIA_ROOT, "pages"), ignore_errors=True)
    root = Path(settings.MEDIA_ROOT, "derived")
    if not root.exists():
        return 0
    found = {p.name: p for p in root.glob("??/*") if p.is_dir()}
    if not found:
        return 0
    kept = set(Report.objects.filter(sha256__in=list(found)).values_list("sha256", flat=True))
    n = 0
    for sha in found.keys() - kept:
        n += discard(sha)
    return n


# ----------------------------------------------------------------------------------------- what names depend on
def converter_id(kind: str) -> str | None:
    """Which conversion a cached result is: the LibreOffice program (its resolved path, size and change
    time: an upgrade changes them), the conversion's target for the kind, and CONVERT_FORMAT. None without
    LibreOffice."""
    from ..readers import legacy
    exe = legacy.soffice()
    if exe is None:
        return None
    full = shutil.which(exe) or exe
    try:
        real = os.path.realpath(full)
        st = os.stat(real)
        stamp = f"{real}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        stamp = full
    return _digest(f"{CONVERT_FORMAT}|{legacy._CONVERT[kind][:2]}|{stamp}")


@lru_cache(maxsize=1)
def code_id() -> str:
    """The version of the code that turns a stored file into what the source view shows: the readers,
    the Document model and the view itself (a fingerprint of their source; changes with any upgrade)."""
    import nianbao
    base = Path(nianbao.__file__).parent
    h = hashlib.sha256(nianbao.__version__.encode())
    files = sorted((base / "readers").rglob("*.py")) + [base / "document.py", base / "web" / "source.py"]
    for p in files:
        h.update(str(p.relative_to(base)).encode())
        try:
            h.update(p.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------------------- LibreOffice
class ConversionCache:
    """What readers.legacy asks before it starts LibreOffice, and tells after a conversion."""

    @staticmethod
    def _name(data: bytes, kind: str) -> tuple[str, str] | None:
        conv = converter_id(kind)
        if conv is None:
            return None
        return hashlib.sha256(data).hexdigest(), f"convert-{kind}-{conv}.bin"

    def get(self, data: bytes, kind: str) -> bytes | None:
        key = self._name(data, kind)
        hit = get(*key) if key else None
        return hit or None

    def put(self, data: bytes, kind: str, converted: bytes) -> None:
        key = self._name(data, kind)
        if key and converted:
            try:
                put(*key, converted)
            except OSError as e:          # a full disk costs the next view a conversion, nothing else
                log.warning("could not cache a conversion: %s", e)


@contextmanager
def conversions():
    """LibreOffice conversions inside the block are looked up in, and kept in, the cache."""
    from ..readers import legacy
    token = legacy.CACHE.set(ConversionCache())
    try:
        yield
    finally:
        legacy.CACHE.reset(token)
