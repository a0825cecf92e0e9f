"""Autosave: every edit reaches the draft in the database within about a second.

Debounced (save after `idle` seconds without typing) with a maximum wait (`max_wait` after the
first unsaved edit), so that continuous typing is saved too: a pure debounce never fires while
the therapist keeps typing. Saves run in a worker thread (typing never waits on the database);
a lock keeps them in order and a sequence number drops a snapshot older than one already saved.
`flush_sync` saves in the calling thread, for quit, signals and the fatal-error path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

IDLE = 0.5
MAX_WAIT = 1.0


class Autosaver:
    def __init__(self, node, snapshot: Callable[[], Any], write: Callable[[Any, Any], bool],
                 status: Callable[[str], None], *, idle: float = IDLE,
                 max_wait: float = MAX_WAIT) -> None:
        self.node = node  # the screen whose timers and workers this uses
        self.snapshot = snapshot  # UI thread: the content to save, or None when not ready
        self.write = write  # worker thread: write(services, content) -> changed
        self.status = status  # UI thread: "saving", "saved", or "error: ..."
        self.idle, self.max_wait = idle, max_wait
        self._timer = None
        self._dirty_since: float | None = None
        self._seq = 0
        self._saved_seq = 0
        self._lock = threading.Lock()
        self.saves = 0  # how many saves wrote something (for tests)

    @property
    def dirty(self) -> bool:
        return self._dirty_since is not None

    def touch(self) -> None:
        """An edit happened (UI thread)."""
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if self._timer is not None:
            self._timer.stop()
        wait = min(self.idle, self.max_wait - (now - self._dirty_since))
        if wait <= 0:
            self.save_now()
        else:
            self._timer = self.node.set_timer(wait, self.save_now)

    def _take(self):
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        content = self.snapshot()
        if content is None:
            return None, 0
        self._dirty_since = None
        self._seq += 1
        return content, self._seq

    def save_now(self) -> None:
        """Save at once, in a worker thread (UI thread)."""
        content, seq = self._take()
        if content is None:
            return
        self.status("saving")
        app = self.node.app

        def run() -> None:
            try:
                self._write(app.open_services(), content, seq)
            except Exception as exc:  # told in one line and logged; the widgets keep the text
                app.call_from_thread(self._failed, exc)
                return
            app.call_from_thread(self.status, "saved")

        self.node.run_worker(run, thread=True, group="autosave")

    def flush_sync(self) -> None:
        """Save now in this thread (quit, a signal, a crash). Never raises."""
        try:
            content, seq = self._take()
            if content is None:
                return
            self._write(self.node.app.open_services(), content, seq)
        except Exception as exc:  # the last chance failed: log it, keep going with the exit
            from notes_tui.errorlog import log_unexpected

            log_unexpected(exc)

    def _write(self, services, content, seq: int):
        with self._lock:
            if seq <= self._saved_seq:
                return None  # a newer snapshot was saved already
            changed = self.write(services, content)
            self._saved_seq = seq
            if changed:
                self.saves += 1
            return changed

    def _failed(self, exc: BaseException) -> None:
        from notes_tui.domain.text import FieldError

        if isinstance(exc, FieldError):
            self.status(f"not saved: {exc}")
            return
        from notes_tui.errorlog import log_unexpected

        log_unexpected(exc)
        self.status(f"not saved ({type(exc).__name__}); retrying on the next edit")
        self._dirty_since = self._dirty_since or time.monotonic()
