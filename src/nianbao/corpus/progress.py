"""What `nianbao batch` shows while workers read long scans: the OCR page each is on, beside the bar.

A scanned page takes seconds to a minute of OCR, so a scan can hold a worker for minutes without a file
ending. Workers tell each scanned page as it starts (readers/ocr `set_reporter`); the main process shows
「OCR 扫描件.pdf 第2/5页」 as the bar's status and refreshes the bar every half second while it waits, so
that the elapsed time moves even when no file ends.

    process pool:  Status(bar); pool initializer worker_init(parent pid, status.queue); status.wait(futures)
    Dask:          submit dask_work(group, progress) instead of batch._work; status.subscribe(client)
    in process:    with status.local(): …

Without a bar (not a terminal, --quiet) nothing is sent and wait() is a plain wait.
"""
from __future__ import annotations

import os
import queue as queue_mod
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import wait as wait_any
from contextlib import contextmanager

TOPIC = "nianbao-ocr"


def page_text(label: str, done: int, total: int) -> str:
    return f"OCR {os.path.basename(label.rstrip('/')) or label} 第{done + 1}/{total}页"


class Status:
    def __init__(self, bar) -> None:
        self.bar = bar
        self.pages: dict = {}            # worker → what it is reading now
        self.queue = None
        if bar is not None:
            import multiprocessing
            self.queue = multiprocessing.Queue()

    def note(self, worker, label: str, done: int, total: int) -> None:
        if done >= total:
            self.pages.pop(worker, None)
        else:
            self.pages[worker] = page_text(label, done, total)
        if self.bar is not None:
            self.bar.set_postfix_str("；".join(self.pages[k] for k in sorted(self.pages)), refresh=False)

    def poll(self) -> None:
        """Show every page told since the last poll (each, so that none is skipped), or at least
        refresh the bar's clock."""
        while self.queue is not None:
            try:
                self.note(*self.queue.get_nowait())
            except (queue_mod.Empty, OSError, ValueError, EOFError):
                break
            self.bar.refresh()
        if self.bar is not None:
            self.bar.refresh()

    def wait(self, futures):
        """concurrent.futures.wait(FIRST_COMPLETED), showing the workers' pages meanwhile."""
        if self.bar is None:
            return wait_any(futures, return_when=FIRST_COMPLETED)
        while True:
            done, rest = wait_any(futures, timeout=0.5, return_when=FIRST_COMPLETED)
            self.poll()
            if done:
                return done, rest

    @contextmanager
    def local(self):
        """Files read in this process (--workers 0): pages shown directly."""
        from ..readers import ocr
        if self.bar is None:
            yield
            return
        ocr.set_reporter(lambda label, done, total: (self.note(0, label, done, total), self.bar.refresh()))
        try:
            yield
        finally:
            ocr.set_reporter(None)

    @contextmanager
    def subscribe(self, client):
        """Dask: the workers' pages arrive as events on TOPIC (handled on the client's thread)."""
        if self.bar is None:
            yield
            return
        def shown(event) -> None:
            self.note(*event[1])
            self.bar.refresh()
        client.subscribe_topic(TOPIC, shown)
        try:
            yield
        finally:
            try:
                client.unsubscribe_topic(TOPIC)
            except Exception:  # noqa: BLE001 - the client may be closing
                pass

    def close(self) -> None:
        if self.queue is not None:
            self.queue.close()
            self.queue.cancel_join_thread()


def worker_init(parent: int, q) -> None:
    """Process-pool worker initializer: exit with the main process, and send OCR pages to `q`."""
    from ..readers import ocr
    from .batch import _orphan_guard
    _orphan_guard(parent)
    if q is not None:
        q.cancel_join_thread()          # a worker's exit never waits on a status nobody reads
        pid = os.getpid()
        ocr.set_reporter(lambda label, done, total: q.put_nowait((pid, label, done, total)))


def dask_work(group: list, progress: bool) -> dict:
    """batch._work on a Dask worker, its OCR pages logged as events when the client shows progress."""
    from ..readers import ocr
    from .batch import _work
    if progress:
        from distributed import get_worker
        w = get_worker()
        ocr.set_reporter(lambda label, done, total: w.log_event(TOPIC, [w.address, label, done, total]))
    try:
        return _work(group)
    finally:
        ocr.set_reporter(None)
