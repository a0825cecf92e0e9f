"""The notes-tui Textual app (the shell: the clients list; the guided note flow builds on it).

Start-up never waits for SQLAlchemy or ReportLab: the first frame is drawn by Textual alone, and
the services (which import SQLAlchemy) are opened in a worker thread after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from notes_tui.ui.screens.clients import ClientsScreen

if TYPE_CHECKING:
    from notes_tui.settings import Settings


class NotesApp(App[int]):
    TITLE = "notes-tui"
    SUB_TITLE = "session notes"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("slash,ctrl+f", "search", "Search", id="app.search"),
    ]

    def __init__(self, url: str, settings: Settings, *, context_factory=None) -> None:
        super().__init__()
        self.url = url
        self.settings = settings
        self._context_factory = context_factory
        self.services = None  # a services Context, opened in a worker after the first frame
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def on_mount(self) -> None:
        self.push_screen(ClientsScreen())
        if not self.is_headless:
            self._install_signal_handlers()

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP (terminal closed) become a clean exit: unmount hooks run and the
        terminal is restored. Textual's driver handles neither by itself."""
        import asyncio
        import signal

        if hasattr(signal, "SIGHUP"):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self.exit)

    def action_search(self) -> None:
        from notes_tui.ui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def on_note_chosen(self, message) -> None:
        """A search result was chosen: open that note."""
        from notes_tui.ui.screens.note_view import NoteViewScreen

        self.push_screen(NoteViewScreen(message.note_id))

    def open_services(self):
        """Called from a worker thread: imports SQLAlchemy, migrates, returns the context."""
        if self.services is None:
            if self._context_factory is not None:
                self.services = self._context_factory()
            else:
                from notes_tui.services.context import open_context

                self.services = open_context(self.url, self.settings)
        return self.services


def make_app(url: str, settings: Settings, **kwargs) -> NotesApp:
    return NotesApp(url, settings, **kwargs)
