"""The pictures of a web page, found for OCR (readers/ocr/picture.py): where each ``<img src>`` is.

    pictures(found, source, original) -> [Pic]

* ``data:`` URI: decoded (base64 or percent-encoded);
* a single-file web page (MHTML): the part whose Content-Location is the src (or ends with it, or has
  its file name), or whose Content-ID a ``cid:`` src names;
* a page read from disk (`Source.folder`): a file beside the page or below its folder. Never a file
  outside that folder (``../``, an absolute path, a link leading out), so a page cannot make the
  program read other files; never an upload's neighbours (uploads have no folder);
* a picture on the web (http, https, //): not fetched (no network).

A picture that cannot be had is a `Pic` without a loader and with the reason; pictures on the web are
one reason for all of them.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from .. import limits
from ..document import Source, Where
from ..errors import ReadError
from .ocr.picture import Pic

CSS_PX_PER_INCH = 96


def _damaged(name: str) -> ReadError:
    return ReadError("image-damaged", f"网页中的图片 {name} 已损坏（数据不完整），无法读取。",
                     f"the picture {name} in the page is damaged (incomplete data).")


def _data_uri(s: str, name: str) -> bytes:
    head, _, payload = s.partition(",")
    if ";base64" in head.lower():
        payload = re.sub(r"\s+", "", unquote(payload))
        try:
            return base64.b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            raise _damaged(name) from None
    return unquote_to_bytes(payload)


def _mhtml_parts(data: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(Content-Location → bytes, Content-ID → bytes) of a single-file web page's non-HTML parts."""
    import email
    import email.policy
    by_loc: dict[str, bytes] = {}
    by_id: dict[str, bytes] = {}
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.is_multipart() or part.get_content_maintype() == "text":
                continue
            body = part.get_payload(decode=True)
            if not body:
                continue
            loc = (part.get("Content-Location") or "").strip()
            cid = (part.get("Content-ID") or "").strip().strip("<>")
            if loc:
                by_loc[loc] = body
            if cid:
                by_id[cid] = body
    except (ValueError, TypeError, LookupError, IndexError):
        pass
    return by_loc, by_id


def _in_parts(src: str, by_loc: dict[str, bytes], by_id: dict[str, bytes]) -> bytes | None:
    if src.lower().startswith("cid:"):
        return by_id.get(src[4:])
    if src in by_loc:
        return by_loc[src]
    tail = "/" + src.lstrip("./").replace("\\", "/")
    hit = [v for k, v in by_loc.items() if k.replace("\\", "/").endswith(tail)]
    if len(hit) == 1:
        return hit[0]
    base = os.path.basename(src.replace("\\", "/"))
    hit = [v for k, v in by_loc.items() if os.path.basename(k.replace("\\", "/")) == base]
    return hit[0] if len(hit) == 1 else None


def _local(src: str, folder: str) -> tuple[object, tuple[str, str] | None]:
    """(loader, None) for a file beside the page or below its folder; (None, why) otherwise."""
    parts = urlsplit(src.replace("\\", "/"))
    path = unquote(parts.path)
    base = os.path.realpath(folder)
    full = os.path.realpath(os.path.join(base, path.lstrip("/") if parts.scheme == "" and not path.startswith("/")
                                         else path))
    if not full.startswith(base + os.sep):
        return None, (f"网页中的图片 {src} 不在网页所在的文件夹内，不予读取；请把图片与网页放在同一文件夹，或提供原件。",
                      f"the picture {src} is outside the page's folder and is not read; keep the pictures with "
                      "the page, or provide the original.")
    if not os.path.isfile(full):
        return None, (f"网页中的图片 {src} 不存在（保存网页时可能没有一并保存图片），其中的表格无法识别；"
                      "请用“网页，全部”或单个文件网页（.mht）保存，或提供原件。",
                      f"the picture {src} does not exist (the page may have been saved without its pictures); "
                      "save the complete page or a single-file page (.mht), or provide the original.")

    def load() -> bytes:
        size = os.path.getsize(full)
        if size > limits.MAX_BYTES["image"]:
            raise limits.too_large(size, "image", full)
        with open(full, "rb") as fh:
            return fh.read(limits.MAX_BYTES["image"] + 1)
    return load, None


def pictures(found: list[tuple[int, str, int | None, int]], source: Source, original: bytes) -> list[Pic]:
    """`found`: (blocks index, src, drawn width in CSS px, source line) of each content picture."""
    from .html import is_mhtml
    by_loc, by_id = _mhtml_parts(original) if is_mhtml(original) else ({}, {})
    out: list[Pic] = []
    web: list[str] = []
    for k, (at, src, width_px, line) in enumerate(found, 1):
        s = src.strip()
        low = s.lower()
        width_in = width_px / CSS_PX_PER_INCH if width_px else None
        where = Where(line=line)
        if low.startswith("data:"):
            name = f"{s[:s.find(',')][:40] if ',' in s else 'data:'}（第{k}张图片）"
            out.append(Pic(name, (lambda s=s, name=name: _data_uri(s, name)), at, where, width_in))
            continue
        data = _in_parts(s, by_loc, by_id) if (by_loc or by_id) else None
        if data is not None:
            out.append(Pic(s, (lambda data=data: data), at, where, width_in))
        elif low.startswith(("http:", "https:", "ftp:", "//")):
            web.append(s)
        elif source.folder and not low.startswith("cid:"):
            load, why = _local(s, source.folder)
            out.append(Pic(s, load, at, where, width_in, why))
        else:
            out.append(Pic(s, None, at, where, width_in, (
                f"网页中的图片 {s} 未随网页提供，其中的表格无法识别；请上传单个文件网页（.mht）或提供原件。",
                f"the picture {s} did not come with the page; upload a single-file page (.mht) or the original.")))
    if web:
        out.append(Pic(web[0], None, 0, Where(line=found[0][3]), None, (
            f"网页中有 {len(web)} 张图片链接到网上（如 {web[0][:80]}），不联网下载，其中的表格无法识别；"
            "请保存完整网页（含图片）或提供原件。",
            f"{len(web)} picture(s) of the page link to the web (e.g. {web[0][:80]}) and are not downloaded; "
            "save the complete page with its pictures, or provide the original.")))
    return out
