"""Autosave: every edit reaches the draft in the database within about a second, and a save that
fails is tried again on a timer until it gets through or the therapist leaves.

Debounced (save after `idle` seconds without typing) with a maximum wait (`max_wait` after the
first unsaved edit), so that continuous typing is saved too: a pure debounce never fires while
the therapist keeps typing. Saves run in a worker thread (typing never waits on the database),
one at a time: an edit made while a save is running is saved right after it. A lock keeps the
writes in order and a sequence number drops a snapshot older than one already saved.

A failed save is retried after 1 s, 2 s, then every 5 s, with or without keys, and the status
line says why and since when ("not saved since 14:02: the disk is full; retrying"). A draft
finalized or discarded by another program is never retried: `gone` tells the editor, which may
hand back where the text goes from then on (a recovery file), so typing is never dropped.

Leaving waits for the save through `when_saved` (the screen keeps drawing). `save_bounded` is
the last-chance path where no event loop can be waited on (a signal, the fatal-error path): it
waits a bounded time in the calling thread and tells the caller whether the text got through.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

IDLE = 0.3
MAX_WAIT = 0.5
RETRY = (1.0, 2.0, 5.0)  # seconds after the 1st, 2nd, 3rd and later failed saves
LAST_CHANCE_WAIT = 3.0  # a signal or a crash waits this long for the database, then keeps a file


class Failure:
    """Why the text is not saved, since when (wall clock, for the status line)."""

    def __init__(self, exc: BaseException, reason: str, since: datetime) -> None:
        self.exc, self.reason, self.since = exc, reason, since

    def line(self, retrying: bool = True) -> str:
        tail = "; retrying" if retrying else ""
        return f"not saved since {self.since:%H:%M}: {self.reason}{tail}"


def reason_for(exc: BaseException) -> str:
    """Plain words for why a save failed; an error that is no plain fact is logged."""
    from notes_tui.domain.text import FieldError
    from notes_tui.services.recovery import is_gone, plain_reason

    if isinstance(exc, FieldError):
        return str(exc)
    gone = is_gone(exc)
    if gone:
        return f"the note was {gone} in another program"
    words = plain_reason(exc)
    if words is not None:
        return words
    from notes_tui.errorlog import log_unexpected

    path = log_unexpected(exc)
    return "an unexpected error" + (f" (details in {path})" if path else "")


class Autosaver:
    def __init__(self, node, snapshot: Callable[[], Any], write: Callable[[Any, Any], bool],
                 status: Callable[[str], None], *, idle: float = IDLE,
                 max_wait: float = MAX_WAIT, retry: tuple[float, ...] = RETRY,
                 gone: Callable[[BaseException], tuple | None] | None = None) -> None:
        self.node = node  # the screen whose timers this uses (workers run on the app)
        self.snapshot = snapshot  # UI thread: the content to save, or None when not ready
        self.write = write  # worker thread: write(services, content) -> changed
        self.status = status  # UI thread: "saving", "saved", or the line to show
        # UI thread: the draft was finalized or discarded elsewhere; returns None (stop) or a
        # new (snapshot, write) pair that the saves use from then on
        self.gone = gone
        self.idle, self.max_wait, self.retry = idle, max_wait, retry
        self._timer = None
        self._retry_timer = None
        self._dirty_since: float | None = None
        self._busy = False  # a save is running in a worker
        self._again = False  # asked to save while one was running
        self._waiters: list[Callable[[BaseException | None], None]] = []
        self._stopped = False
        self.failure: Failure | None = None  # the last save failed (and nothing saved since)
        self.attempts = 0  # failed saves in a row
        self._seq = 0
        self._saved_seq = 0
        self._lock = threading.Lock()
        self.saves = 0  # how many saves wrote something (for tests)

    @property
    def dirty(self) -> bool:
        """Something typed is not in the database yet (or a save of it is still running)."""
        return self._dirty_since is not None or self._busy

    @property
    def stopped(self) -> bool:
        return self._stopped

    def touch(self) -> None:
        """An edit happened (UI thread)."""
        if self._stopped:
            return
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
        self._seq += 1
        return content, self._seq

    def save_now(self) -> None:
        """Save at once, in a worker thread (UI thread). While a save runs, the next one waits
        for it (a locked database must not pile up threads)."""
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        content, seq = self._take()
        if content is None:
            return
        self._dirty_since = None
        self._busy, self._again = True, False
        if self.failure is None:
            self.status("saving")
        app = self.node.app

        def run() -> None:
            try:
                self._write(app.open_services(), content, seq)
            except Exception as exc:  # told in one line on the UI thread; the widgets keep it
                self._report(app, exc)
                return
            self._report(app, None)

        app.run_worker(run, thread=True, group="autosave")

    def _report(self, app, exc: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the app's loop is gone (it exited meanwhile)
            app.call_from_thread(self._done, exc)

    def _done(self, exc: BaseException | None) -> None:
        """A save ended (UI thread)."""
        self._busy = False
        if exc is None:
            self.failure, self.attempts = None, 0
            if self._again or (self._waiters and self._dirty_since is not None):
                self.save_now()
                return
            if self._dirty_since is None:
                self.status("saved")
                self._wake(None)
            return
        from notes_tui.domain.text import FieldError
        from notes_tui.services.recovery import is_gone

        self._dirty_since = self._dirty_since or time.monotonic()  # still to save
        since = self.failure.since if self.failure is not None else self._now()
        self.failure = Failure(exc, reason_for(exc), since)
        self.attempts += 1
        if is_gone(exc):
            redirect = self.gone(exc) if self.gone is not None else None
            if redirect is None:
                self._stopped = True
                self.status(self.failure.line(retrying=False))
            else:  # the text goes elsewhere now (the editor's recovery file)
                self.snapshot, self.write = redirect
                self.failure, self.attempts = None, 0
                self._timer = self.node.set_timer(0, self.save_now)
            self._wake(exc)
            return
        retrying = not isinstance(exc, FieldError)  # a refused value needs the therapist
        self.status(self.failure.line(retrying))
        if retrying:
            delay = self.retry[min(self.attempts, len(self.retry)) - 1]
            self._retry_timer = self.node.set_timer(delay, self._retry)
        self._wake(exc)

    def _retry(self) -> None:
        self._retry_timer = None
        if not self._stopped and self._dirty_since is not None:
            self.save_now()

    def now(self) -> datetime:
        return self._now()

    def _now(self) -> datetime:
        tz = getattr(getattr(self.node.app, "settings", None), "tz", None)
        return datetime.now(tz) if tz is not None else datetime.now().astimezone()

    def _wake(self, exc: BaseException | None) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter(exc)

    def when_saved(self, callback: Callable[[BaseException | None], None]) -> None:
        """Save what is not saved yet and call `callback(None)` once it is in the database, or
        `callback(exc)` when that save failed (UI thread; the caller asks the therapist)."""
        if self._stopped and self.failure is not None:
            callback(self.failure.exc)
            return
        if not self.dirty or self._stopped:
            callback(None)
            return
        self._waiters.append(callback)
        if not self._busy:
            self.save_now()
            if not self._busy and self._waiters:  # nothing could be taken to save
                self._wake(None)

    def stop(self) -> None:
        """The therapist left (the text was saved or kept elsewhere): no more saves or retries."""
        self._stopped = True
        for timer in (self._timer, self._retry_timer):
            if timer is not None:
                timer.stop()
        self._timer = self._retry_timer = None

    def save_bounded(self, timeout: float = LAST_CHANCE_WAIT) -> tuple[Any, BaseException | None]:
        """The last chance (a signal, the fatal path, an exit with no loop to wait on): save
        the current content in a thread, waiting at most `timeout` seconds here. Returns
        (content, None) when saved or nothing needed saving, (content, error) when it did not
        get through (the caller keeps `content` in a recovery file). Never raises."""
        if not self.dirty and self.failure is None:
            return None, None
        try:
            content, seq = self._take()
        except Exception as exc:  # widgets half torn down: nothing to take
            return None, exc
        if content is None:
            return None, None
        app = self.node.app
        outcome: list[BaseException | None] = []

        def run() -> None:
            try:
                self._write(app.open_services(), content, seq)
                outcome.append(None)
            except Exception as exc:  # reported to the caller
                outcome.append(exc)

        thread = threading.Thread(target=run, name="notes-tui-last-save", daemon=True)
        thread.start()
        thread.join(timeout)
        if not outcome:
            return content, TimeoutError("the database did not answer in time")
        if outcome[0] is None:
            self._dirty_since, self.failure = None, None
        return content, outcome[0]

    def _write(self, services, content, seq: int):
        with self._lock:
            if seq <= self._saved_seq:
                return None  # a newer snapshot was saved already
            changed = self.write(services, content)
            self._saved_seq = seq
            if changed:
                self.saves += 1
            return changed
