"""Automatic backups while the app runs (settings `[backups] automatic`, on by default).

- While open: a check two minutes after the start and then every hour takes a backup when the
  last good one in the backups folder is 24 hours old (or there is none). It runs in a worker
  thread: typing never waits for it.
- On quit, once every open draft is saved: a backup when anything was recorded in the audit trail
  since the last good backup (its `audit_seq` in the manifest; a backup's own event does not
  count). The app exits when it is done (about half a second on the demo data); the screen stays
  live meanwhile.

A backup that fails is a notification (on quit: one line printed after the app closes), never a
crash. PostgreSQL is skipped (the server's backups are the clinic's job).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

FIRST_CHECK = 120.0  # seconds after the start
CHECK_EVERY = 3600.0


def _line(exc: BaseException) -> str:
    from notes_tui.ui.background import is_refusal

    text = str(exc).splitlines()[0] if str(exc) else ""
    if text and (is_refusal(exc) or isinstance(exc, OSError)):
        return text
    from notes_tui.errorlog import log_unexpected

    path = log_unexpected(exc)
    return f"{type(exc).__name__}" + (f"; details in {path}" if path else "")


class AutoBackup:
    def __init__(self, app: App) -> None:
        self.app = app
        self.running = False

    @property
    def _on(self) -> bool:
        services = getattr(self.app, "services", None)
        return services is not None and services.settings.backups.automatic

    def start(self) -> None:
        self.app.set_timer(FIRST_CHECK, self.tick)
        self.app.set_interval(CHECK_EVERY, self.tick)

    def tick(self) -> None:
        """The daily backup, when one is due; never two at once."""
        if not self._on or self.running:
            return
        from notes_tui.ui.background import in_thread

        self.running = True

        def job(services):
            if services.backups.due(on_quit=False):
                return services.backups.take(reason="daily")
            return None

        def done(result) -> None:
            self.running = False
            for warning in getattr(result, "warnings", ()):
                self.app.notify(warning, severity="warning", markup=False)

        def failed(exc: BaseException) -> None:
            self.running = False
            self.app.notify(f"The automatic backup failed: {_line(exc)}", severity="error",
                            markup=False, timeout=15)

        in_thread(self.app, job, done, failed=failed, group="backup")

    def on_quit(self, then: Callable[[str], None]) -> None:
        """Take the quit backup if anything changed, then `then(message)`: "" when all is
        well, else the one line to print once the app has closed."""
        if not self._on:
            then("")
            return
        from notes_tui.ui.background import in_thread

        def job(services):
            if services.backups.due(on_quit=True):
                self.app.call_from_thread(self.app.notify, "Taking a backup before closing…",
                                          markup=False)
                return services.backups.take(reason="quit")
            return None

        def done(result) -> None:
            warnings = getattr(result, "warnings", ())
            then(f"notes-tui: {warnings[0]}" if warnings else "")

        def failed(exc: BaseException) -> None:
            then(f"notes-tui: the backup on quit failed: {_line(exc)}")

        in_thread(self.app, job, done, failed=failed, group="backup")
