"""Uploaded files that could not be read: what to do about each, and the list a user sees.

A failed file is not kept on the server (ingest.discard_file): the list keeps its name, size, the start
of its sha256 (to tell two versions of one file apart), when, why and what to do, so that the uploader
can fix it on their own machine and upload it again.

    advice(code)              what to do, in Chinese, for a failure's code
    unit_count(unit)          how many failed files were uploaded for a unit
    listed(files_qs, cap)     the failures of a query, at most `cap` per unit (newest first,
                              MAX_LISTED_FAILURES_PER_UNIT), and how many older ones each unit has beyond that

A failure belongs to the unit the upload was made for (the unit chosen, else the uploader's own unit).
"""
from __future__ import annotations

from django.conf import settings
from django.db.models import Count, F, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from .models import Unit, UploadFile

GENERAL = ("请在本机用 Word、WPS 或浏览器打开该文件，确认内容完整后另存为 .docx 或 PDF 再上传；"
           "仍然失败时请把文件交给管理员（服务器未保存该文件）。")

ADVICE = {
    "empty": "文件为空：请重新导出或从原处重新下载后上传。",
    "old-format": "在 Word 或 WPS 中打开，“另存为” .docx 或 PDF 后再上传。",
    "doc-legacy": "在 Word 或 WPS 中打开，“另存为” .docx 或 PDF 后再上传。",
    "convert-failed": "在 Word 或 WPS 中打开，确认能正常显示后“另存为” .docx 再上传；有密码的请先去掉密码。",
    "unsupported-type": "只上传年度报告文件本身：Word（.docx）、PDF、网页（.html）、文本（.txt）、图片（.png、.jpg）或包含它们的 zip。",
    "too-large": "文件过大：删去报告以外的附件或图片后另存，或拆分后分别上传。",
    "too-complex": "文件过大或过于复杂：另存为 PDF 或 .docx（不含多余图片、附件）后再上传。",
    "zip-too-many": "压缩包文件过多：分成几个较小的压缩包分批上传。",
    "zip-too-large": "压缩包解压后过大：分成几个较小的压缩包分批上传。",
    "zip-bomb": "压缩包异常：请直接上传报告文件，或重新压缩后上传。",
    "zip-encrypted": "去掉压缩包的密码后重新压缩上传。",
    "bad-zip": "压缩包已损坏：重新压缩后上传，或直接上传其中的报告文件。",
    "bad-zip-member": "该文件在压缩包中已损坏：重新压缩后上传，或单独上传该文件。",
    "nested-zip": "把压缩包中的压缩包解压后再上传。",
    "unit-unknown": "确认文件是否选错；上传时在“归属单位”中选择具体单位，或请管理员先导入该单位。",
    "needs-ocr": "这是扫描件或图片：请提供可复制文字的 Word 或 PDF 原件（或请管理员安装文字识别组件）。",
    "no-text": "文件中没有可读取的文字：请提供可复制文字的 Word 或 PDF 原件。",
    "image-damaged": "图片已损坏：请重新扫描或截图后上传，最好提供可复制文字的原件。",
    "image-too-large": "图片尺寸过大：缩小图片或以 300 dpi 以下的分辨率重新扫描后上传，最好提供可复制文字的原件。",
    "image-unsupported": "图片格式不支持：另存为 PNG 或 JPEG 后上传，最好提供可复制文字的原件。",
    "image-no-text": "图片中没有识别出文字：确认上传的是报告页面或表格的图片，最好提供可复制文字的原件。",
    "pdf-encrypted": "PDF 设有密码：去掉密码（或重新导出不加密的 PDF）后上传。",
    "docx-encrypted": "Word 文件设有密码：去掉密码后另存再上传。",
    "ofd-encrypted": "OFD 文件设有密码：请提供不加密的 OFD、PDF 或 Word 版本。",
    "storage": "服务器读取已上传文件失败：请稍后重新上传；多次失败请联系管理员。",
    "internal": "服务器内部错误：请联系管理员（已记录日志），并说明文件名和上传时间。",
}


def advice(code: str | None) -> str:
    if not code:
        return GENERAL
    if code in ADVICE:
        return ADVICE[code]
    if code.endswith("-damaged") or code in ("unreadable", "binary", "encoding", "html-damaged"):
        return "文件可能已损坏或不完整：从原处重新下载或重新导出，另存为 .docx 或 PDF 后上传。"
    return GENERAL


def _unit_key():
    return Coalesce(F("upload__unit_id"), F("upload__user__profile__unit_id"), Value(0))


def unit_count(unit) -> int:
    """Failed files uploaded for a unit (chosen, or the uploader's own), for the author's page."""
    return (UploadFile.objects.filter(status=UploadFile.FAILED).annotate(unit_key=_unit_key())
            .filter(unit_key=unit.pk).count())


def file_dict(f: UploadFile) -> dict:
    return {"id": f.id, "name": f.name, "size": f.size, "sha256": (f.sha256 or "")[:12] or None,
            "error": f.error, "error_code": f.error_code, "advice": advice(f.error_code),
            "upload": f.upload_id, "created": f.upload.created, "unit": getattr(f, "unit_key", None),
            "kept": False}


def listed(files, cap: int | None = None) -> dict:
    """{"files": [...newest first], "units": {unit id or None: {"listed", "total", "hidden"}}, "hidden": n,
    "cap": cap} for the failed files of `files` (a queryset of UploadFile), at most `cap` per unit."""
    cap = cap or settings.MAX_LISTED_FAILURES_PER_UNIT
    failed = files.filter(status=UploadFile.FAILED).annotate(unit_key=_unit_key())
    totals = {r["unit_key"]: r["n"] for r in failed.order_by().values("unit_key").annotate(n=Count("id"))}
    ranked = failed.annotate(rank=Window(RowNumber(), partition_by=[F("unit_key")], order_by=F("id").desc()))
    rows = list(ranked.filter(rank__lte=cap).select_related("upload").order_by("-id"))
    shown: dict = {}
    for f in rows:
        shown[f.unit_key] = shown.get(f.unit_key, 0) + 1
    names = dict(Unit.objects.filter(pk__in=[k for k in totals if k]).values_list("pk", "name"))
    units = [{"unit": k or None, "name": names.get(k, "未指定单位"), "listed": shown.get(k, 0), "total": n,
              "hidden": n - shown.get(k, 0)} for k, n in sorted(totals.items(), key=lambda kv: names.get(kv[0], ""))]
    return {"files": [file_dict(f) | {"unit": f.unit_key or None, "unit_name": names.get(f.unit_key, "未指定单位")}
                      for f in rows],
            "units": units, "hidden": sum(u["hidden"] for u in units), "cap": cap}
