"""The background worker: processes queued upload files one at a time per thread.

`nianbao serve` starts the threads; tests call `run_pending()`. A file is claimed with a conditional
UPDATE (queued → processing), so two workers never take the same file. Files left `processing` by a
stopped server are queued again when the worker starts, so nothing uploaded is lost.
"""
from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, transaction

from .models import UploadFile

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


def run_one(uf: UploadFile) -> None:
    from . import ingest
    try:
        ingest.process(uf)
    except Exception as e:   # never leave a file "processing": record why and go on
        log.exception("processing %s failed", uf.name)
        ingest._fail(uf, "internal", f"内部错误：{type(e).__name__}: {e}（已记录日志，请联系管理员）。")


def run_pending(limit: int | None = None) -> int:
    n = 0
    while limit is None or n < limit:
        uf = claim()
        if uf is None:
            break
        run_one(uf)
        n += 1
    return n


def requeue_stale() -> int:
    return UploadFile.objects.filter(status=UploadFile.PROCESSING).update(status=UploadFile.QUEUED)


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
