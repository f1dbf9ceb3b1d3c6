"""Which reader a file needs: by its first bytes, then by its name."""
from __future__ import annotations

import os

from ..errors import ReadError

_EXT = {".txt": "text", ".text": "text", ".csv": "text", ".md": "text", ".markdown": "text", ".htm": "html", ".html": "html",
        ".shtml": "html", ".xhtml": "html", ".mht": "html", ".mhtml": "html", ".docx": "docx", ".pdf": "pdf"}


# Pictures of report pages or tables (scans, screenshots): read by OCR (readers/ocr) when installed,
# else a failure that names the OCR extra
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

# The files a folder walk reads (`nianbao extract/check/batch DIR`, zips, web uploads): one list.
REPORT_SUFFIXES = (".txt", ".htm", ".html", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".pdf",
                   ".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".et", ".ett",   # via LibreOffice (legacy.py)
                   ".ofd") + IMAGE_SUFFIXES

# picture formats by their first bytes: read by OCR, or refused with a clear message
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OTHER_PICTURES = ((b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"))

# Files a walk finds that may hold a report but cannot be read: listed with the reason, never
# dropped silently. Anything else (notes, images of logos, spreadsheets of other data …) is not a
# report and is skipped.
_SKIP = {
    (".xls", ".dps", ".ppt"): (
        "doc-legacy", "旧版 Excel/PowerPoint 或 WPS 演示文件，不是报告正文；请提供 Word（.docx）、PDF 或网页版本。",
        "a legacy spreadsheet or presentation, not the report; provide the Word (.docx), PDF or web version."),
    (".zip", ".rar", ".7z"): ("archive", "压缩包，不在文件夹读取中展开；请解压后再读取（nianbao batch 可直接读取 zip）。",
                              "an archive, not unpacked by a folder walk; unpack it (nianbao batch reads zips)."),
}
_SKIP_BY_SUFFIX = {suf: v for sufs, v in _SKIP.items() for suf in sufs}


def skip_reason(name: str) -> tuple[str, str, str] | None:
    """(code, Chinese, English) for a file name a folder walk lists but cannot read; None for a
    report file (REPORT_SUFFIXES) or a file that is not a report at all."""
    return _SKIP_BY_SUFFIX.get(os.path.splitext(name)[1].lower())


def detect_kind(data: bytes, name: str = "") -> str:
    head = data[:2048]
    ext = os.path.splitext(name)[1].lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or head.startswith(b"BM") and (ext == ".bmp" or head[6:10] == b"\x00" * 4):
        return "image"      # a scan or screenshot: read by OCR (readers/ocr) when installed
    for magic, fmt in _OTHER_PICTURES:
        if head.startswith(magic):
            raise _picture_unsupported(fmt, name)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise _picture_unsupported("WebP", name)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext == ".ofd" or b"OFD.xml" in data[:65536] and b"word/" not in data[:65536]:
            return "ofd"
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
            return "odt"         # OpenDocument text: read through LibreOffice (legacy.py)
        if ext in ("", ".docx") or b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536]:
            return "docx"
        raise ReadError("unsupported-zip", "这是一个压缩包（ZIP），不是 Word 文档；请解压后再读取其中的报告。",
                        "this is a ZIP archive, not a Word document; unpack it and read the reports inside.",
                        name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]:
            raise ReadError("docx-encrypted", "Word 文档已加密（设有打开密码），无法读取；请提供未加密的版本。",
                            "the Word document is password-protected; provide an unencrypted copy.", name)
        if ext in (".xls", ".ppt", ".dps"):
            raise ReadError("doc-legacy", "这是旧版 Excel/PowerPoint 文件，不是年度报告正文；请提供 Word（另存为 .docx）、PDF 或网页版本。",
                            "this is a legacy Excel/PowerPoint file, not the report; provide the Word (.docx), "
                            "PDF or web version.", name)
        return "et" if ext in (".et", ".ett") else "doc"      # read through LibreOffice (legacy.py)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sniff.startswith(b"mime-version:") and b"multipart/related" in sniff:
        return "html"    # a single-file web page (.mht; OA systems export "Word" files this way)
    if sniff.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<?xml")):
        return "html"
    if ext in (".htm", ".html", ".shtml", ".xhtml") and b"<" in head:
        return "html"
    if ext in (".pdf", ".docx", ".ofd") + IMAGE_SUFFIXES:
        raise ReadError("bad-signature",
                        f"文件扩展名是 {ext}，但内容不是有效的 {ext[1:].upper()} 文件（可能已损坏或被截断）。",
                        f"the name ends in {ext} but the content is not a valid {ext[1:].upper()} file "
                        "(it may be damaged or truncated).", name)
    if _looks_binary(head):
        raise ReadError("binary", "文件内容是无法识别的二进制数据，不是文本、网页、Word 或 PDF 报告。",
                        "the content is unrecognised binary data, not a text, HTML, Word or PDF report.",
                        name)
    return "text"


def _picture_unsupported(fmt: str, name: str) -> ReadError:
    from .ocr.decode import unsupported
    e = unsupported(fmt, "这是图片文件，", "this is a picture; it")
    e.path = name
    return e


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM is text
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL))
    return control / len(head) > 0.05


_CONTROL = bytes(b for b in range(32) if b < 9 or 13 < b)
