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
    return any(c.__name__ in ("ServiceError", "FinalizedNoteError", "DatabaseTooNew",
                              "DatabaseUnavailable") for c in type(exc).__mro__)


def in_thread(node: DOMNode, job: Callable[[Any], Any], done: Callable[[Any], None] | None = None,
              *, failed: Callable[[BaseException], None] | None = None, group: str = "db",
              exclusive: bool = False, hold_keys: bool = False) -> None:
    """Run `job(services)` in a worker thread; `done(result)` or `failed(exc)` then runs on
    `node`, posted back to it as a message (in the order of its other messages; never once the
    node has closed: a screen left while it loaded is not written to).

    `hold_keys`: the job ends in opening or closing a screen (a dialog filled from the
    database, a form closing after its save), so keys typed meanwhile wait until `done` (or
    `failed`) has run (ui/keyhold.py) instead of reaching this screen."""
    app = node.app
    off_thread(node, lambda: job(app.open_services()), done, failed=failed, group=group,
               exclusive=exclusive, hold_keys=hold_keys)


def off_thread(node: DOMNode, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
               *, failed: Callable[[BaseException], None] | None = None, group: str = "db",
               exclusive: bool = False, hold_keys: bool = False) -> None:
    """The one way the UI runs slow work: `fn()` in a Textual thread worker, its result (or
    error) posted back to `node` (see in_thread, which hands `fn` the services)."""
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
            outcome = (done, fn())
        except Exception as exc:  # handed to the UI thread: shown in one line, logged
            outcome = (failed or (lambda e: report(node, e)), exc)
        if not node.call_later(finish, *outcome) and queue is not None:
            app.call_from_thread(queue.release)  # the node has closed: nobody to tell

    node.run_worker(run, thread=True, group=group, exclusive=exclusive)
