"""PDF reader: the text layer with positions, and tables rebuilt from their ruling lines (or,
drawn without vertical rules, from the positions of their text). One module per stage:

    bytes ─ _open() ─▶ MuPDF document (encrypted / damaged / truncated → ReadError)
          ─ per page, page.read_page():
                layer.py       stage 1  text layer and vector paths (one MuPDF pass)
                ruled.py       stage 2  ruled grids → cells → text into cells
                positions.py   stage 3  tables without (enough) rules, from text positions
          ─ continuation.py    stage 4  running headers dropped, tables joined across pages
            cut.py                      numbers at a page's bottom that the break may have cut: not read
          ─ paragraphs.py      stage 5  the remaining lines as paragraphs
          ═▶ Document(blocks: tables and paragraphs in page order, problems)

Problems and errors:
  * a page without usable text that has images → Problem needs-ocr (warning) for that page; a
    page whose text is mostly U+FFFD / private-use glyphs (a font without character mapping) →
    needs-ocr too and its text is not emitted; a few such glyphs → pdf-unmapped-glyphs (warning),
    U+FFFD kept in the text; no usable text on any page → ReadError needs-ocr;
  * open password → ReadError pdf-encrypted (an owner password alone does not matter);
  * MuPDF cannot open it, no pages, a page fails to load → ReadError pdf-damaged. MuPDF repairs
    a truncated file and would show what survived (half a table whose missing values look like
    empty cells), so a file that needed repair and lacks its closing %%EOF is refused as
    pdf-damaged too; a repaired file that is complete (a broken xref table) is read, with an
    info Problem pdf-repaired.
"""
from __future__ import annotations

import gc

import pymupdf

from ... import limits
from ...document import Document, Problem, Source, Where
from ...errors import ReadError
from .continuation import join_pages
from .page import PageResult, page_stages, read_page
from .paragraphs import _make_paragraphs

__all__ = ["read", "page_stages", "assemble"]

_NEEDS_OCR_ZH = "PDF 没有文字层（扫描件），需要OCR识别后才能读取；请提供可复制文字的 PDF 或 Word 原件。"
_NEEDS_OCR_EN = ("the PDF has no text layer (a scan); it needs OCR before it can be read; provide a PDF "
                 "with selectable text or the original Word file.")
_DAMAGED_ZH = "PDF 文件已损坏或不完整（可能下载中断），无法读取；请重新导出或下载。"
_DAMAGED_EN = ("the PDF is damaged or incomplete (the download may have been interrupted) and cannot be "
               "read; export or download it again.")


def _open(data: bytes):
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception:  # noqa: BLE001 - any failure to open is a damaged file for the user
        raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN) from None
    if doc.needs_pass:
        doc.close()
        raise ReadError("pdf-encrypted", "PDF 已加密（设有打开密码），无法读取；请提供未加密的版本。",
                        "the PDF is encrypted (it has an open password) and cannot be read; provide an "
                        "unencrypted version.")
    if doc.page_count == 0 or (doc.is_repaired and b"%%EOF" not in data[-2048:]):
        # MuPDF rebuilds a truncated file from the objects it finds: the pages come out with
        # whatever content survived (half a table looks like a table with empty cells), so a file
        # cut short is refused rather than read in part.
        doc.close()
        raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN)
    return doc


def read(data: bytes, source: Source) -> Document:
    # The page dicts are thousands of small containers without reference cycles; pausing the
    # cyclic GC while they are alive saves ~8% (collections would only traverse them).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _read(data, source)
    finally:
        if gc_was_on:
            gc.enable()


def _read(data: bytes, source: Source) -> Document:
    from .. import ocr

    use_ocr = ocr.enabled()
    scanned: list[int] = []
    ocr_pages: dict = {}
    doc = _open(data)
    try:
        source.pages = doc.page_count
        pages: list[PageResult] = []
        problems: list[Problem] = []
        for i in range(doc.page_count):
            limits.check_time()
            try:
                page = doc.load_page(i)
                pr = read_page(page, i + 1)
                no_text_images = not pr.has_text and not pr.garbled and bool(page.get_images())
            except ReadError:
                raise
            except Exception:  # noqa: BLE001 - a page MuPDF cannot interpret: damaged file
                raise ReadError("pdf-damaged", _DAMAGED_ZH, _DAMAGED_EN) from None
            n = i + 1
            if (pr.garbled or no_text_images) and use_ocr:
                scanned.append(n)
            elif pr.garbled or no_text_images:
                zh, en = ocr.hint()
                problems.append(Problem(
                    code="needs-ocr",
                    message=(f"第{n}页没有文字层（扫描件），需要OCR识别后才能读取；请{zh}。" if not pr.garbled else
                             f"第{n}页的文字编码无法识别（字体缺少字符映射），需要OCR识别后才能读取；请{zh}。"),
                    message_en=(f"page {n} has no text layer (a scan); it needs OCR before it can be read; {en}."
                                if not pr.garbled else f"page {n} has text in an unreadable font encoding (no "
                                f"character mapping); it needs OCR before it can be read; {en}."),
                    where=Where(page=n), severity="warning"))
            elif pr.n_unknown:
                problems.append(Problem(
                    code="pdf-unmapped-glyphs",
                    message=f"第{n}页有 {pr.n_unknown} 个字符无法识别（字体缺少字符映射），显示为 �。",
                    message_en=f"page {n} has {pr.n_unknown} characters that cannot be decoded (the font "
                    "has no character mapping); they show as �.",
                    where=Where(page=n), severity="warning"))
            pages.append(pr)
        if scanned:
            ocr_pages, more = ocr.pdf_pages(doc, scanned, source.path)
            problems.extend(more)
            for n, op in ocr_pages.items():
                pages[n - 1] = op.result
            if ocr_pages:      # pages over the time or size limit have their own problem
                problems.append(Problem(
                    code="ocr", severity="info",
                    message=f"第{_ranges(sorted(ocr_pages))}页没有文字层（扫描件），已用OCR识别；识别出的数值须与勾稽关系一致才算读取。",
                    message_en=f"page(s) {_ranges(sorted(ocr_pages))} have no text layer (a scan) and were read by "
                    "OCR; a value OCR read counts as read only when it agrees with the identities."))
        if doc.is_repaired:
            problems.insert(0, Problem(
                code="pdf-repaired", severity="info",
                message="PDF 文件的目录结构有误，已自动修复后读取；如内容缺失，请重新导出。",
                message_en="the PDF's cross-reference structure was broken and has been repaired for "
                "reading; if content is missing, export the file again."))
    finally:
        doc.close()
        pymupdf.TOOLS.reset_mupdf_warnings()
    if not any(p.has_text for p in pages):
        late = [p.where.page for p in problems if p.code == "ocr-timeout"]
        if late:
            raise ocr.timeout_error(late)
        big = next((p for p in problems if p.code == "image-too-large"), None)
        if big is not None:
            raise ReadError(big.code, big.message, big.message_en)
        if scanned:
            raise ReadError("needs-ocr", "PDF 没有文字层（扫描件），OCR 未能识别出文字；请提供可复制文字的 PDF 或 Word 原件。",
                            "the PDF has no text layer (a scan) and OCR recognised no text; provide a PDF with "
                            "selectable text or the original Word file.")
        zh, en = ocr.hint()
        raise ReadError("needs-ocr", _NEEDS_OCR_ZH.replace("；请", f"；请{zh}，或"),
                        _NEEDS_OCR_EN.replace("; provide", f"; {en}, or provide"))
    out = Document(source=source, blocks=assemble(pages), problems=problems)
    return ocr.attach(out, list(ocr_pages.values())) if ocr_pages else out


def _ranges(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def assemble(pages: list[PageResult]) -> list:
    """Stages 4–5: tables joined across pages and the remaining lines as paragraphs, in page order."""
    tables = join_pages(pages)

    paragraphs = _make_paragraphs(pages)
    blocks = []
    for p in pages:
        items: list[tuple[float, int, object]] = [(y, 1, para) for y, para in paragraphs.get(p.number, [])]
        for t in p.tables:
            if id(t) in tables:
                items.append((t.bbox[1], 0, tables[id(t)]))
        items.sort(key=lambda it: (it[0], it[1]))
        blocks.extend(it[2] for it in items)
    return blocks
