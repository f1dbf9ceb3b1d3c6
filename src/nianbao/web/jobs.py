"""The background worker: processes queued upload files, then queued re-checks, one at a time per thread.

`nianbao serve` starts the threads; tests call `run_pending()`. A file or re-check is claimed with a
conditional UPDATE (queued → processing), so two workers never take the same one. Those left
`processing` by a stopped server are queued again when the worker starts, so nothing is lost.
"""
from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, transaction
from django.utils import timezone

from .models import Recheck, UploadFile

log = logging.getLogger("nianbao.web")
_wake = threading.Event()
_stop = threading.Event()
_threads: list[threading.Thread] = []


def wake() -> None:
    _wake.set()


def claim() -> UploadFile | None:
    for uf_id in UploadFile.objects.filter(status=UploadFile.QUEUED).order_by("id").values_list("id", flat=True)[:8]:
        with transaction.atomic():
            if UploadFile.objects.filter(pk=uf_id, status=UploadFile.QUEUED).update(status=UploadFile.PROCESSING):
                return UploadFile.objects.select_related("upload", "upload__unit", "upload__user").get(pk=uf_id)
    return None


def claim_recheck() -> Recheck | None:
    for job_id in Recheck.objects.filter(status=Recheck.QUEUED).order_by("id").values_list("id", flat=True)[:8]:
        with transaction.atomic():
            if Recheck.objects.filter(pk=job_id, status=Recheck.QUEUED).update(status=Recheck.PROCESSING):
                return Recheck.objects.select_related("report", "report__unit", "user").get(pk=job_id)
    return None


def run_recheck(job: Recheck) -> None:
    from . import review
    try:
        review.run_recheck(job)
    except Exception as e:   # never leave a re-check "processing"
        log.exception("re-checking report %s failed", job.report_id)
        Recheck.objects.filter(pk=job.pk).update(status=Recheck.FAILED, finished=timezone.now(),
                                                 error=f"内部错误：{type(e).__name__}（已记录日志，请联系管理员）。")


def run_one(uf: UploadFile) -> None:
    from . import ingest
    try:
        ingest.process(uf)
    except Exception as e:   # never leave a file "processing": record why and go on
        log.exception("processing %s failed", uf.name)
        ingest._fail(uf, "internal", f"内部错误：{type(e).__name__}: {e}（已记录日志，请联系管理员）。")


def run_pending(limit: int | None = None) -> int:
    """Uploaded files first (a re-check they queue then finds them stored), then re-checks."""
    n = 0
    while limit is None or n < limit:
        uf = claim()
        if uf is not None:
            run_one(uf)
        else:
            job = claim_recheck()
            if job is None:
                break
            run_recheck(job)
        n += 1
    return n


def requeue_stale() -> int:
    n = UploadFile.objects.filter(status=UploadFile.PROCESSING).update(status=UploadFile.QUEUED)
    return n + Recheck.objects.filter(status=Recheck.PROCESSING).update(status=Recheck.QUEUED)


def _loop() -> None:
    while not _stop.is_set():
        close_old_connections()
        try:
            n = run_pending(limit=50)
        except Exception:
            log.exception("worker loop")
            n = 0
        if n == 0:
            _wake.wait(timeout=2.0)
            _wake.clear()


def start(threads: int = 1) -> None:
    from . import ingest
    requeue_stale()
    ingest.purge_failed_files()
    from . import derived
    derived.purge_orphans()
    _stop.clear()
    for i in range(threads):
        t = threading.Thread(target=_loop, name=f"nianbao-worker-{i}", daemon=True)
        t.start()
        _threads.append(t)


def stop() -> None:
    _stop.set()
    _wake.set()
    for t in _threads:
        t.join(timeout=10)
    _threads.clear()
