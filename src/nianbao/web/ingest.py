"""Uploads → stored files → reports, with the library doing the work.

    accept(user, unit, files)     store every file (zips expanded safely), queue them, return the Upload
    process(upload_file)          read + extract + check one queued file (the background worker calls this)
    build(report, upto)           the library Report for a stored report with its corrections applied
    correct(report, user, …)      a new Version with the corrected values, checks run again
    recount(report)               open error/warning/info counts (dismissed findings excluded)

Nothing is half-written: a file is either a Report with version 1 and its findings, or an UploadFile
that says why it failed. The same file (sha256) is never stored twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import zipfile
import zlib

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..readers.detect import REPORT_SUFFIXES, skip_reason
from ..readers.legacy import soffice
from ..corpus.units import normalise_unit
from ..errors import NianbaoError
from . import derived
from .models import Correction, Decision, Finding, Report, Unit, Upload, UploadFile, Version

log = logging.getLogger("nianbao.web")

OLD_WORD = (".doc", ".wps", ".et", ".xls")


class UploadRefused(NianbaoError):
    pass


# ----------------------------------------------------------------------------------------- accepting
def _readable_content(head: bytes) -> bool:
    """A file named .doc/.wps whose bytes are something a reader takes: OA systems save
    single-file web pages (MHTML) or HTML as ".doc"; some tools name a DOCX or PDF .doc."""
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return sniff.startswith((b"mime-version:", b"<!doctype html", b"<html", b"%pdf")) or \
        head.startswith(b"PK\x03\x04")


def _kind_problem(name: str, head: bytes = b"") -> tuple[str, str] | None:
    low = name.lower()
    if low.endswith(OLD_WORD) and not _readable_content(head) and (low.endswith(".xls") or soffice() is None):
        return ("old-format", "旧版 Word/WPS 格式（.doc/.wps）无法读取（服务器未安装 LibreOffice）；"
                              "请在 Word 或 WPS 中“另存为” .docx 或 PDF 后再上传。")
    if low.endswith(REPORT_SUFFIXES):
        return None     # .doc/.wps/.et/.rtf/.odt are read through LibreOffice (readers/legacy.py)
    if low.endswith(OLD_WORD) and _readable_content(head):
        return None
    if reason := skip_reason(name):
        return reason[0], reason[1]
    return ("unsupported-type", "不支持的文件类型；可上传 .docx、.pdf、.html、.txt、.ofd、图片（.png、.jpg，需OCR）或包含这些文件的 .zip。")


def _hash_chunks(chunks) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    for c in chunks:
        h.update(c)
        n += len(c)
    return h.hexdigest(), n


def _queue(upload: Upload, name: str, content: File | bytes) -> UploadFile:
    if isinstance(content, bytes):
        problem = _kind_problem(name, content[:2048])
        sha, size = hashlib.sha256(content).hexdigest(), len(content)
        content = ContentFile(content)
    else:
        content.seek(0)
        problem = _kind_problem(name, content.read(2048))
        sha, size = _hash_chunks(content.chunks())
        content.seek(0)
    uf = UploadFile(upload=upload, name=name[:500], size=size, sha256=sha)
    if problem:
        uf.status, uf.error_code, uf.error, uf.finished = UploadFile.FAILED, problem[0], problem[1], timezone.now()
    elif size > settings.MAX_FILE_BYTES:
        uf.status, uf.error_code, uf.finished = UploadFile.FAILED, "too-large", timezone.now()
        uf.error = f"文件过大（{size / 1048576:.0f} MB，单个文件上限 {settings.MAX_FILE_BYTES // 1048576} MB）。"
    else:
        uf.file.save(f"{sha[:16]}{os.path.splitext(name)[1].lower()[:8]}", content, save=False)
    uf.save()
    return uf


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Chinese Windows zips store GBK names without the UTF-8 flag; zipfile decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _refuse_zip(upload: Upload, name: str, code: str, message: str) -> None:
    UploadFile.objects.create(upload=upload, name=name, size=0, sha256="", status=UploadFile.FAILED,
                              error_code=code, error=message, finished=timezone.now())


def _zip_problem(infos: list[zipfile.ZipInfo], entries: int) -> tuple[str, str] | None:
    """Why a whole zip is refused, judged from its directory alone (nothing is read or written yet):
    too many members, too large expanded, a compression ratio no set of reports has — over all members
    together whatever their size (300 members of 1 MiB of zeros each pass any per-member test), or of
    one member — or a password."""
    if entries > settings.MAX_ZIP_MEMBERS:
        return ("zip-too-many", f"压缩包内文件过多（{entries} 个，上限 {settings.MAX_ZIP_MEMBERS} 个）；请分批上传。")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > settings.MAX_ZIP_TOTAL_BYTES:
        return ("zip-too-large", f"压缩包解压后过大（{total / 1048576:.0f} MB，上限 "
                                 f"{settings.MAX_ZIP_TOTAL_BYTES // 1048576} MB）；请分批上传。")
    if total > settings.ZIP_TOTAL_RATIO_FLOOR and total > settings.MAX_ZIP_TOTAL_RATIO * max(packed, 1):
        return ("zip-bomb", f"压缩包整体压缩比异常（{packed / 1024:.0f} KB 解压后为 {total / 1048576:.0f} MB，"
                            f"{total // max(packed, 1)} 倍），疑似“压缩炸弹”，已拒绝整个压缩包。")
    for i in infos:
        if i.file_size > settings.ZIP_RATIO_FLOOR and i.file_size > settings.MAX_ZIP_RATIO * max(i.compress_size, 1):
            return ("zip-bomb", f"压缩包内“{_zip_name(i)}”的压缩比异常（{i.file_size // max(i.compress_size, 1)} 倍），"
                                "疑似“压缩炸弹”，已拒绝整个压缩包。")
        if i.flag_bits & 0x1:
            return ("zip-encrypted", "压缩包有密码保护，无法读取；请去掉密码后上传。")
    return None


def _expand_zip(upload: Upload, name: str, fileobj) -> None:
    """Members become queued files. Refused whole, before anything is read or stored (_zip_problem)."""
    try:
        zf = zipfile.ZipFile(fileobj)
        entries = zf.infolist()
        infos = [i for i in entries if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return _refuse_zip(upload, name, "bad-zip", "压缩包已损坏或不是 zip 格式，无法打开；请重新压缩后上传。")
    if problem := _zip_problem(infos, len(entries)):
        return _refuse_zip(upload, name, *problem)
    for i in infos:
        member = _zip_name(i)
        base = os.path.basename(member)
        if base.startswith((".", "~$")) or "__MACOSX" in member:
            continue
        display = f"{name}!/{member}"
        if base.lower().endswith(".zip"):
            _refuse_zip(upload, display, "nested-zip", "压缩包中的压缩包不予展开；请解压后上传。")
            continue
        try:
            with zf.open(i) as fh:
                head = fh.read(2048)
            problem = _kind_problem(base, head)
            if problem:
                _refuse_zip(upload, display, *problem)
                continue
            with zf.open(i) as fh:
                data = fh.read(settings.MAX_FILE_BYTES + 1)     # never trust the header's size
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
            _refuse_zip(upload, display, "bad-zip-member", "压缩包内该文件已损坏或使用了不支持的压缩方式，无法解压；请重新压缩后上传。")
            continue
        _queue(upload, display, data)


def accept(user, unit: Unit | None, files) -> Upload:
    """`files`: Django UploadedFile objects (one, many, or a folder's files). Returns the Upload."""
    upload = Upload.objects.create(user=user, unit=unit)
    for f in files:
        name = os.path.basename((f.name or "未命名").replace("\\", "/"))
        if name.startswith((".", "~$")):
            continue                                   # folder uploads bring hidden and lock files
        if name.lower().endswith(".zip"):
            _expand_zip(upload, name, f)
        else:
            _queue(upload, name, f)
    from . import jobs
    jobs.wake()
    return upload


# ----------------------------------------------------------------------------------------- processing
DUPLICATE_MESSAGE = "与已有文件相同，未重复保存。"      # never names the other report: it may be in another scope


def _fail(uf: UploadFile, code: str, message: str, report: Report | None = None, status=UploadFile.FAILED) -> None:
    uf.status, uf.error_code, uf.error, uf.report, uf.finished = status, code, message, report, timezone.now()
    discard_file(uf)
    uf.save(update_fields=["status", "error_code", "error", "report", "finished", "file"])


def discard_file(uf: UploadFile) -> None:
    """A failed or duplicate file's stored copy is removed (a report keeps its own source file), and what
    was derived from it (a conversion kept while reading it) unless a report keeps the same content."""
    name = uf.file.name if uf.file else ""
    if uf.sha256 and not Report.objects.filter(sha256=uf.sha256).exists():
        derived.discard(uf.sha256)
    if name and not Report.objects.filter(source=name).exists():
        try:
            uf.file.storage.delete(name)
        except OSError as e:
            log.warning("could not remove %s: %s", name, e)
    if name:
        uf.file = ""


def purge_failed_files() -> int:
    """Remove the stored copies that failed and duplicate files left (at worker start: older versions
    kept them)."""
    n = 0
    for uf in UploadFile.objects.filter(status__in=[UploadFile.FAILED, UploadFile.DUPLICATE]).exclude(file=""):
        discard_file(uf)
        uf.save(update_fields=["file"])
        n += 1
    return n


def _candidates(upload: Upload):
    from . import scope
    root = upload.unit
    qs = root.subtree() if root is not None else scope.units(upload.user)
    return root, qs


def resolve_unit(upload: Upload, org: str | None) -> tuple[Unit | None, str]:
    """The unit a report belongs to: matched inside the chosen unit (or the uploader's scope) by the corpus's
    unit identity (web/units.match_unit): a name several units fit is not assigned, its candidates listed."""
    from .units import match_unit, unit_label
    root, qs = _candidates(upload)
    if org:
        found, how = match_unit(org, qs)
        if how in ("exact", "rule"):
            return found[0], ""
        if how == "ambiguous":
            names = "、".join(unit_label(u) for u in found[:5])
            return None, f"报告中的机关“{org}”对应多个单位（{names}）；未保存。请上传时选择具体单位。"
        # a known unit elsewhere: never file one unit's report under another
        others, _ = match_unit(org, Unit.objects.exclude(pk__in=qs.values("pk")).filter(key=normalise_unit(org)))
        if others:
            where = f"“{root.name}”及其下级" if root is not None else "您的权限范围"
            return None, (f"报告中的发布机关是“{org}”，不属于{where}；未保存。"   # the printed name only: nothing from the other scope
                          "请确认文件是否选错，或由该单位（或其上级审核人）上传。")
        if found:                      # the same name at another place: never the chosen unit, nor the author's
            names = "、".join(unit_label(u) for u in found[:5])
            return None, (f"报告中的机关“{org}”与单位“{names}”名称相近但地名不符，不是同一单位；未保存。"
                          "请确认文件是否选错；如确为该单位，请在单位表中写出它的完整名称。")
    if root is not None:
        return root, ""
    one = list(qs[:2])
    if len(one) == 1:                                 # an author: their own unit
        return one[0], ""
    if org:
        return None, f"在您的权限范围内找不到报告中的机关“{org}”；请在上传时选择单位，或请管理员先导入该单位。"
    return None, "报告中没有识别出发布机关；请在上传时选择单位。"


def process(uf: UploadFile) -> None:
    """One queued file → a Report (version 1 with findings), a duplicate link, or a failure reason."""
    from ..extract import extract
    from ..readers import read_bytes
    existing = Report.objects.filter(sha256=uf.sha256, withdrawn__isnull=True).first()
    if existing is not None:
        return _fail(uf, "duplicate", DUPLICATE_MESSAGE, existing, UploadFile.DUPLICATE)
    from .. import limits
    from ..readers import ocr
    try:
        with uf.file.open("rb") as fh:
            data = fh.read()
        # scans are read by OCR when the extra is installed; a LibreOffice conversion is kept (derived.py)
        with limits.time_limit(), ocr.switched(True), derived.conversions():
            doc = read_bytes(data, uf.name)
            rep = extract(doc)
    except NianbaoError as e:
        return _fail(uf, e.code, e.message)
    except OSError as e:
        return _fail(uf, "storage", f"读取已上传文件失败：{e}")
    except (MemoryError, RecursionError):
        return _fail(uf, "too-complex", "文件过大/过于复杂：读取时内存或嵌套层数超出上限。")
    unit, why = resolve_unit(uf.upload, rep.org)
    if unit is None:
        return _fail(uf, "unit-unknown", why)
    withdrawn = (Report.objects.filter(sha256=uf.sha256, withdrawn__isnull=False).select_related("unit")
                 .order_by("-withdrawn", "-id").first())
    try:
        with transaction.atomic():
            report = Report.objects.create(
                unit=unit, year=rep.year, org=rep.org or "", title=rep.title or "", format=rep.format or "",
                kind=rep.source.kind, sha256=uf.sha256, source=uf.file.name, source_name=uf.name,
                uploaded_by=uf.upload.user)
            version = Version.objects.create(report=report, number=1, data=rep.to_dict(),
                                             created_by=uf.upload.user,
                                             note="重新上传（此文件曾被撤回）" if withdrawn else "上传")
            check(report, version, rep)
            note = reuploaded(uf, report, withdrawn) if withdrawn is not None else ""
            uf.status, uf.report, uf.finished, uf.error = UploadFile.DONE, report, timezone.now(), note
            uf.error_code = "reuploaded" if note else ""
            uf.save(update_fields=["status", "report", "finished", "error", "error_code"])
    except IntegrityError:                             # the same file finished first in another worker
        existing = Report.objects.filter(sha256=uf.sha256, withdrawn__isnull=True).first()
        return _fail(uf, "duplicate", DUPLICATE_MESSAGE, existing, UploadFile.DUPLICATE)
    try:                            # the source view, rendered from this reading: its first view reads nothing
        from . import source
        source.prepare(report, doc, data, version.data)
    except Exception:
        log.exception("keeping the source view of report %s failed", report.pk)
    from . import review
    try:                            # cross-year by data, not by upload order: Y−1 and Y+1 are checked again
        review.arrived(report)
    except Exception:               # the report is stored; a neighbour that cannot be re-checked keeps its findings
        log.exception("re-checking the neighbours of report %s failed", report.pk)


def reuploaded(uf: UploadFile, report: Report, old: Report) -> str:
    """A withdrawn report's file uploaded again is a new report (the withdrawn one stays withdrawn, in the
    history). When it is filed under the same unit and year, the history says so (an Event); the uploader
    is told when it was withdrawn, by whom and why, if the withdrawn report is in their scope (nothing
    from another scope). Returns the note for the upload page ("" when nothing may be said)."""
    from . import review, scope
    from .models import Event
    w = Event.objects.filter(report=old, kind=Event.WITHDRAW).select_related("user__profile").order_by("-id").first()
    when = f"{timezone.localtime(old.withdrawn):%Y-%m-%d %H:%M}"
    by, why = (review.who(w.user), w.text) if w is not None else ("？", "")
    if old.unit_id == report.unit_id and old.year == report.year and report.year is not None:
        review.record(Event.REUPLOAD, report.unit, report.year, uf.upload.user, report,
                      data={"withdrawn_report": old.pk, "withdrawn": when, "by": by, "reason": why,
                            "source_name": uf.name})
    if not scope.units(uf.upload.user).filter(pk=old.unit_id).exists():
        return ""
    return (f"此文件曾于 {when} 由 {by} 撤回（理由：{why or '未填写'}），现已作为新报告重新保存；"
            "撤回的报告和撤回记录仍保留在审核历史中。如不应恢复，请审核人再次撤回。")


def accept_now(user, unit: Unit, name: str, data: bytes) -> UploadFile:
    """One file stored and processed at once, not queued (a composed report its author submits)."""
    upload = Upload.objects.create(user=user, unit=unit)
    sha = hashlib.sha256(data).hexdigest()
    uf = UploadFile(upload=upload, name=name[:500], size=len(data), sha256=sha, status=UploadFile.PROCESSING)
    uf.file.save(f"{sha[:16]}{os.path.splitext(name)[1].lower()[:8]}", ContentFile(data), save=False)
    uf.save()
    process(uf)
    uf.refresh_from_db()
    return uf


# ----------------------------------------------------------------------------------------- checks and versions
def previous_report(report: Report):
    """The library Report of the same unit's latest report for the year before (for X101–X104)."""
    from ..report import from_contract
    if report.year is None:
        return None
    prev = (Report.objects.filter(unit=report.unit, year=report.year - 1, withdrawn__isnull=True)
            .exclude(pk=report.pk).order_by("-created", "-id").first())
    if prev is None or prev.current is None:
        return None
    return from_contract(prev.current.data)


def finding_key(f) -> str:
    key = "|".join([f.code, f.table or "", f.row or "", f.col or ""])
    section = (f.values or {}).get("section")
    return f"{key}|§{section}" if section is not None else key      # one key per section (S101 五 ≠ 六)


def check(report: Report, version: Version, rep) -> list:
    from ..checks import run_checks
    findings = run_checks(rep, previous=previous_report(report))
    version.findings.all().delete()
    keys, seen = [], {}
    for f in findings:          # a rule may report the same cell twice (X104 per section): #2, #3 …
        k = finding_key(f)
        seen[k] = seen.get(k, 0) + 1
        keys.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    Finding.objects.bulk_create([
        Finding(version=version, key=keys[i], code=f.code, severity=f.severity, message=f.message,
                table=f.table or "", row=f.row or "", col=f.col or "", data=f.to_dict(), order=i)
        for i, f in enumerate(findings)])
    recount(report, version)
    return findings


def recount(report: Report, version: Version | None = None) -> None:
    version = version or report.current
    dismissed = set(report.decisions.filter(status=Decision.DISMISSED).values_list("key", flat=True))
    counts = {"error": 0, "warning": 0, "info": 0}
    for key, sev in version.findings.values_list("key", "severity"):
        if key not in dismissed and sev in counts:
            counts[sev] += 1
    report.errors, report.warnings, report.infos = counts["error"], counts["warning"], counts["info"]
    report.save(update_fields=["errors", "warnings", "infos"])


def parse_value(text) -> int | float | None:
    """A corrected value as typed: empty → None; '1,234' and full-width digits accepted."""
    from ..extract.numbers import READ, parse_value as parse_cell
    if text is None or str(text).strip() == "":
        return None
    p = parse_cell(str(text))
    if p is None or p.status != READ:
        raise UploadRefused("bad-value", f"“{text}”不是有效的数字。", f"'{text}' is not a number.")
    return p.value


def _apply(rep, table: str, row: str, col: str, value, note: str) -> None:
    from ..report import BLANK, READ, CellValue
    cv = rep.cells.get((table, row, col))
    if cv is None:
        cv = rep.cells[(table, row, col)] = CellValue(table, row, col)
    cv.value = value
    cv.raw = None if value is None else str(value)
    cv.status = READ if value is not None else BLANK
    cv.note = note
    rep.present.add(table)


def build(report: Report, upto: int | None = None):
    """Re-read the stored source and apply every correction up to version `upto` (default: current)."""
    from .. import limits
    from ..extract import extract
    from ..readers import ocr, read_bytes
    with report.source.open("rb") as fh, limits.time_limit(), ocr.switched(True), derived.conversions():
        rep = extract(read_bytes(fh.read(), report.source_name))
    qs = Correction.objects.filter(version__report=report).select_related("user__profile", "version").order_by("version__number", "id")
    if upto is not None:
        qs = qs.filter(version__number__lte=upto)
    for c in qs:
        _apply(rep, c.table, c.row, c.col, c.after, _note(c.user, c.created, c.before, c.after))
    return rep


def _note(user, when, before, after) -> str:
    from .scope import display_name
    who = display_name(user)
    return f"人工更正：{who} 于 {timezone.localtime(when):%Y-%m-%d %H:%M} 由 {before if before is not None else '空'} 改为 {after if after is not None else '空'}"


@transaction.atomic
def correct(report: Report, user, changes: list[tuple[str, str, str, object]], reason: str) -> Version:
    """`changes`: (table, row, col, new value as typed). Creates version n+1 and re-runs the checks."""
    rep = build(report)
    spec = rep.spec
    valid = set(spec.template_cells()) if spec else set()
    parsed = []
    for t, r, c, text in changes:
        if (t, r, c) not in valid:
            raise UploadRefused("bad-cell", f"表格单元格 {t}/{r}/{c} 不在该报告格式中。", f"no cell {t}/{r}/{c}.")
        new = parse_value(text)
        cv = rep.cells.get((t, r, c))
        old = cv.value if cv else None
        if new != old:
            parsed.append((t, r, c, old, new))
    if not parsed:
        raise UploadRefused("no-change", "没有改动任何数值。", "nothing changed.")
    current = report.current
    version = Version.objects.create(report=report, number=current.number + 1, data={}, created_by=user,
                                     note=reason[:500])
    now = timezone.now()
    for t, r, c, old, new in parsed:
        Correction.objects.create(version=version, table=t, row=r, col=c, before=old, after=new,
                                  reason=reason[:500], user=user)
        _apply(rep, t, r, c, new, _note(user, now, old, new))
    version.data = rep.to_dict()
    version.save(update_fields=["data"])
    check(report, version, rep)
    return version
