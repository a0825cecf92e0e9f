"""Database work off the keystroke path: a job runs in a worker thread with the services
façade (services/api.py: each verb opens its own transaction), and its result (or error) comes
back to the UI thread.

Expected refusals (a FieldError, a ServiceError) are shown as one line; anything else is logged
with `log_unexpected` (type and stack only: no locals, no note text) and shown as one line too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode


def report(node: DOMNode, exc: BaseException) -> None:
    """Tell the therapist what went wrong in one line (UI thread)."""
    from notes_tui.domain.text import FieldError

    app = node.app
    if isinstance(exc, FieldError) or is_refusal(exc):
        app.notify(str(exc), severity="warning", markup=False)
        return
    from notes_tui.errorlog import log_unexpected

    path = log_unexpected(exc)
    where = f"; details in {path}" if path else ""
    app.notify(f"Something went wrong ({type(exc).__name__}){where}. Your draft is kept.",
               severity="error", markup=False, timeout=10)


def is_refusal(exc: BaseException) -> bool:
    return any(c.__name__ in ("ServiceError", "FinalizedNoteError", "DatabaseTooNew")
               for c in type(exc).__mro__)


def in_thread(node: DOMNode, job: Callable[[Any], Any], done: Callable[[Any], None] | None = None,
              *, failed: Callable[[BaseException], None] | None = None, group: str = "db",
              exclusive: bool = False, hold_keys: bool = False) -> None:
    """Run `job(services)` in a worker thread; call `done(result)` or `failed(exc)` on the UI
    thread.

    `hold_keys`: the job ends in opening a screen (a dialog filled from the database), so keys
    typed meanwhile wait until `done` has run (ui/keyhold.py) instead of reaching this screen."""
    app = node.app
    queue = getattr(app, "keys", None) if hold_keys else None
    if queue is not None:
        queue.hold()

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        try:
            if callback is not None:
                callback(value)
        finally:
            if queue is not None:
                queue.release()

    def run() -> None:
        try:
            result = job(app.open_services())
        except Exception as exc:  # handed to the UI thread: shown in one line, logged
            app.call_from_thread(finish, failed or (lambda e: report(node, e)), exc)
            return
        app.call_from_thread(finish, done, result)

    node.run_worker(run, thread=True, group=group, exclusive=exclusive)
