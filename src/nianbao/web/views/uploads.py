"""Uploads: one file, many, a folder or a zip. Files are stored at once and processed in the background;
the upload page shows progress (its JSON twin is polled) and lists failed files apart from reports."""
from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods

from .. import ingest, scope
from ..models import Profile, Upload, UploadFile
from ..responses import as_json, error, page, wants_json


def _uploads(user):
    qs = Upload.objects.select_related("user__profile", "unit")
    if scope.role(user) == Profile.ADMIN:
        return qs
    unit = scope.home_unit(user)
    if scope.role(user) == Profile.REVIEWER and unit is not None:
        return qs.filter(user__profile__unit__path__startswith=unit.path) | qs.filter(user=user)
    return qs.filter(user=user)


def upload_dict(u: Upload, files: bool = False, viewer=None) -> dict:
    """`viewer`: links to reports only where the viewer may see them (a duplicate of a report in another
    scope shows no link, no id and no name)."""
    listed = list(u.files.all()) if files else None
    ids = {f.report_id for f in listed or () if f.report_id}
    visible = set(scope.reports(viewer).filter(pk__in=ids).values_list("pk", flat=True)) if viewer and ids else set()
    d = {"id": u.id, "created": u.created, "user": scope.display_name(u.user), "username": u.user.username, "unit": u.unit.name if u.unit else None,
         "counts": u.counts([f.status for f in listed] if listed is not None else None), "url": f"/uploads/{u.id}/"}
    if listed is not None:
        d["files"] = [{"id": f.id, "name": f.name, "size": f.size, "status": f.status,
                       "status_label": f.get_status_display(), "error": f.error or None,
                       "error_code": f.error_code or None,
                       "report": ({"id": f.report_id, "url": f"/reports/{f.report_id}/"} if f.report_id in visible else None)}
                      for f in listed]
    return d


@require_http_methods(["GET", "POST"])
@scope.require_role(*scope.ANY)
def uploads(request):
    units = scope.units(request.user).order_by("path")
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            return error(request, 400, "no-files", "没有选择文件。请选择报告文件、文件夹或 zip 压缩包。", "no files chosen.")
        unit = None
        if request.POST.get("unit"):
            unit = units.filter(pk=request.POST["unit"]).first()
            if unit is None:
                return error(request, 404, "not-found", scope.NOT_FOUND, "unit not found or outside your scope.")
        elif scope.role(request.user) == Profile.AUTHOR:
            unit = scope.home_unit(request.user)
        up = ingest.accept(request.user, unit, files)
        if wants_json(request):
            return as_json(upload_dict(up, files=True, viewer=request.user), 201)
        return redirect(f"/uploads/{up.id}/")
    recent = _uploads(request.user)[:30]
    data = {"uploads": [upload_dict(u) for u in recent], "failed": failure_count(request.user),
            "units": [{"id": u.id, "name": u.name, "depth": u.depth, "label": "\u3000" * u.depth + u.name}
                      for u in units[:2000]]}
    return page(request, "web/uploads.html", data, extra=limits())


def limits() -> dict:
    """What the upload page states and its script checks before sending (the server checks again)."""
    return {"max_upload_bytes": settings.MAX_UPLOAD_BYTES, "max_upload_mb": settings.MAX_UPLOAD_BYTES // 1048576,
            "max_file_mb": settings.MAX_FILE_BYTES // 1048576}


@scope.require_role(*scope.ANY)
def upload_detail(request, pk: int):
    up = _uploads(request.user).filter(pk=pk).first()
    if up is None:
        return error(request, 404, "not-found", scope.NOT_FOUND, "upload not found or outside your scope.")
    data = upload_dict(up, files=True, viewer=request.user)
    return page(request, "web/upload_detail.html", data, extra={
        "failed": [f for f in data["files"] if f["status"] == UploadFile.FAILED],
        "ok": [f for f in data["files"] if f["status"] != UploadFile.FAILED]})


def _failure_files(user):
    """Files whose failures the user sees: those of the uploads they may see, and for an author also those
    uploaded for their unit by someone else (a reviewer uploading on the unit's behalf)."""
    qs = UploadFile.objects.filter(upload__in=_uploads(user))
    unit = scope.home_unit(user)
    if scope.role(user) == Profile.AUTHOR and unit is not None:
        qs = qs | UploadFile.objects.filter(upload__unit=unit)
    return qs


def failure_count(user) -> int:
    return _failure_files(user).filter(status=UploadFile.FAILED).count()


@scope.require_role(*scope.ANY)
def failures(request):
    """Every failed file of the user's uploads, with the reason and what to do (the file itself is not kept),
    at most MAX_LISTED_FAILURES_PER_UNIT per unit: kept apart from the report lists."""
    from .. import failures as fail
    return page(request, "web/failures.html", fail.listed(_failure_files(request.user)))


urlpatterns = [
    path("uploads/", uploads, name="uploads"),
    path("uploads/failed/", failures, name="upload-failures"),
    path("uploads/<int:pk>/", upload_detail, name="upload"),
]
