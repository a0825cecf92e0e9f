"""The notes-tui Textual app: clients, a client's history, the guided note editor.

Start-up never waits for SQLAlchemy or ReportLab: the first frame is drawn by Textual alone, and
the services (which import SQLAlchemy) are opened in a worker thread after it.

On quit (and once a day while open) a verified backup is taken in a worker (ui/auto_backup.py).

Never lose a word: quit waits for the open draft's save in its worker (the screen keeps drawing)
and asks when it cannot be saved (ui/screens/editor/leaving.py); SIGTERM and SIGHUP save it with
a bounded wait, else keep it in a recovery file that the next start offers back (ui/recovery.py).
A handler that raises is caught where it can be (`guard.guarded`), and the fatal path does the
same as a signal, logs the error without locals or note text, and prints one line instead of
Textual's traceback with locals.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding

from notes_tui.ui.commands import ClientCommands
from notes_tui.ui.keyhold import KeyQueue
from notes_tui.ui.screens.clients import ClientsScreen

if TYPE_CHECKING:
    from notes_tui.settings import Settings


THEME_SETTLE = 1.0  # seconds without another theme change before the choice is kept


class NotesApp(App[int]):
    TITLE = "notes-tui"
    SUB_TITLE = "session notes"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ClientCommands}
    HELP = ("ctrl+p opens the command palette (go to a client, new note, from a template, open a "
            "draft, finalize, theme).")
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("slash,ctrl+f", "search", "Search notes", id="app.search"),
        Binding("f1", "help", "Help", id="app.help", priority=True, show=False),  # NotesFooter shows it
        Binding("question_mark", "help_key", "Help", id="app.help_key", show=False),
    ]

    def __init__(self, url: str, settings: Settings, *, context_factory=None,
                 passphrase: str | None = None, first_run: bool = False,
                 notices: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.url = url
        self.first_run = first_run  # no settings.toml yet: the practice's details are asked
        # an encrypted database's passphrase: asked at start (screens/passphrase.py), kept in
        # memory only, handed to the context that keys every connection with it
        self.passphrase = passphrase
        self._notices = notices  # warnings from the command line (a db others can read)
        self._settings = settings  # until the services are open; then theirs (the same object)
        self._context_factory = context_factory
        self.services = None  # the services façade (services/api.py), opened in a worker
        self.last_note_id: int | None = None  # the note opened last (editor or read-only view)
        self._crash_line = ""
        self._open_lock = threading.Lock()
        self.keys = KeyQueue(self)
        if settings.keymap:
            self.set_keymap(settings.keymap)
        self._unknown_theme = ""
        self._theme_timer = None
        if settings.theme:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                self._unknown_theme = settings.theme

    @property
    def settings(self) -> Settings:
        """The one settings object the app and the services share: the services' own once they
        are open (the identity form replaces it there), before that the one the app was
        started with (the services are opened with it)."""
        return self.services.settings if self.services is not None else self._settings

    def on_mount(self) -> None:
        self.push_screen(ClientsScreen())
        if self.first_run:
            self.set_up_practice()
        if self._unknown_theme:
            self.notify(f"settings.toml names a theme this version does not have "
                        f"({self._unknown_theme!r}); the default is used", severity="warning",
                        markup=False)
        for notice in self._notices:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        self.watch(self, "theme", self._keep_theme, init=False)
        if not self.is_headless:
            self._install_signal_handlers()
        self._check_size(*self.size)
        from notes_tui.ui.auto_backup import AutoBackup

        self.auto_backup = AutoBackup(self)
        self.auto_backup.start()

    def _keep_theme(self, _name: str) -> None:
        """A theme chosen in the app (the palette's "Change theme") is kept in settings.toml,
        in a worker, once the choice has settled (the palette previews each theme it passes):
        the next start opens in it."""
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(THEME_SETTLE, self._write_theme)

    def _write_theme(self) -> None:
        self._theme_timer = None
        name = self.theme
        if name == self.settings.theme:
            return
        from notes_tui.ui.background import in_thread

        in_thread(self, lambda services: services.identity.set_theme(name), group="theme")

    def on_resize(self, event) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Below the minimum size a clear message covers the app (screens/too_small.py)."""
        from notes_tui.ui.screens.too_small import TooSmallScreen, too_small

        covered = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height):
            if covered:
                self.screen.show(width, height)
            else:
                self.push_screen(TooSmallScreen())
        elif covered:
            self.pop_screen()

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP (terminal closed) save the open draft and exit cleanly (unmount
        hooks run, the terminal is restored). Textual's driver handles neither by itself."""
        import asyncio
        import signal

        if hasattr(signal, "SIGHUP"):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self.save_and_exit)

    def save_and_exit(self) -> None:
        """SIGTERM or SIGHUP: no time to ask. Save with a bounded wait, else keep the text in a
        recovery file, then exit."""
        self.keep_open_drafts_now()
        self.exit()

    def _editors(self) -> list:
        """The open editors, topmost first."""
        return [s for s in reversed(self.screen_stack) if hasattr(s, "before_quit")]

    def save_open_drafts(self) -> None:
        """Start a save of every open editor's draft (in its worker). Never blocks or raises."""
        for screen in self._editors():
            save = getattr(screen, "action_save", None)
            if save is not None:
                try:
                    save()
                except Exception as exc:  # a half-built editor: logged
                    from notes_tui.errorlog import log_unexpected

                    log_unexpected(exc)

    def keep_open_drafts_now(self) -> list[str]:
        """The last chance, in this thread (a signal, the fatal path): each open editor saves
        within a bounded wait or keeps its text in a recovery file. Returns what happened to
        each ("saved", "kept", "lost: why", or "" when nothing needed saving)."""
        return [screen.last_chance() for screen in self._editors()]

    async def action_quit(self) -> None:
        """Each open editor saves first (waiting in its worker, the screen live), asking when
        it cannot; the app exits once every one is saved or its text kept."""
        editors = self._editors()

        def next_editor() -> None:
            if editors:
                editors.pop(0).before_quit(next_editor)
            else:
                self.auto_backup.on_quit(self._exit_after_backup)

        next_editor()

    def _exit_after_backup(self, message: str) -> None:
        """The quit backup is done (ui/auto_backup.py); a failure is one line after closing."""
        self.exit(message=Text(message) if message else None)

    # --- keys and focus ----------------------------------------------------------------------

    async def on_event(self, event) -> None:
        """While a screen is opening, keys wait for it (ui/keyhold.py)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self.keys.take(event):
            return
        await super().on_event(event)

    def push_screen(self, screen, callback=None, wait_for_dismiss: bool = False):
        if getattr(screen, "HOLDS_KEYS", False):
            self.keys.hold()  # released by the screen's ready()
            callback = self.keys.after_result(screen, callback)
        return super().push_screen(screen, callback, wait_for_dismiss=wait_for_dismiss)

    def on_line_input_truncated(self, event) -> None:
        """A multi-line paste into a one-line field no screen placed a message for."""
        from notes_tui.ui.widgets.inputs import PASTE_WARNING

        self.notify(PASTE_WARNING, severity="warning", markup=False)

    def on_descendant_focus(self, event) -> None:
        """With animations off (TEXTUAL_ANIMATIONS=none, as the tests run) the text cursor does
        not blink either: a blinking cursor is an animation, and a picture taken at a random
        point of its 0.5 s cycle would differ from run to run."""
        widget = event.widget
        if self.animation_level == "none" and hasattr(widget, "cursor_blink"):
            widget.cursor_blink = False

    # --- errors ----------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """The fatal path (an exception no handler caught): save the draft, log the error without
        locals or messages, then let Textual end the app (tests still see the exception)."""
        from notes_tui.errorlog import log_unexpected

        outcomes = [o for o in self.keep_open_drafts_now() if o]
        path = log_unexpected(error)
        where = f" Details: {path}" if path else ""
        lost = [o.removeprefix("lost: ") for o in outcomes if o.startswith("lost")]
        if lost:
            told = f" Your last changes could not be saved ({lost[0]})."
        elif "kept" in outcomes:
            told = (" Your text could not be saved and was kept in a recovery file; the next "
                    "start offers it back.")
        else:
            told = " Your draft was saved."
        self._crash_line = (f"notes-tui stopped after an unexpected error "
                            f"({type(error).__name__}).{told}{where}")
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Replaces Textual's exit traceback, which prints local variables (note text)."""
        self.bell()
        self._exit_renderables.append(Text(self._crash_line or "notes-tui stopped."))
        self._close_messages_no_wait()

    # --- navigation --------------------------------------------------------------------------

    def action_search(self) -> None:
        from notes_tui.ui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def on_note_chosen(self, message) -> None:
        """A search result was chosen: open that note."""
        from notes_tui.ui.screens.note_view import NoteViewScreen

        self.push_screen(NoteViewScreen(message.note_id))

    def go_to_client(self, client_id: int) -> None:
        from notes_tui.ui.screens.client import ClientScreen

        self.push_screen(ClientScreen(client_id))

    def new_note_for(self, client_id: int, same: bool = False) -> None:
        from notes_tui.ui.screens.client import ClientScreen

        screen = ClientScreen(client_id)
        self.push_screen(screen)
        self.call_after_refresh(screen.action_new_note, same)

    def open_note(self, note_id: int, client_id: int, step: int = 1) -> None:
        from notes_tui.ui.screens.client import ClientScreen
        from notes_tui.ui.screens.editor import NoteEditor

        self.push_screen(ClientScreen(client_id))
        self.push_screen(NoteEditor(note_id, client_id, step))

    def offer_resume(self) -> None:
        """At start: first the text kept in recovery files (ui/recovery.py), then the draft
        the editor was on when the app last stopped."""
        from notes_tui.ui.recovery import offer_kept

        offer_kept(self, self._offer_draft)

    def _offer_draft(self) -> None:
        """After a quit, a crash or a kill inside the editor: offer to go back to the draft."""
        from notes_tui.ui import resume

        mark = resume.recall()
        if mark is None:
            return

        def job(services):
            return services.notes.get(mark["note_id"])

        def found(view) -> None:
            from notes_tui.ui.dialogs import ConfirmDialog
            from notes_tui.ui.text import plain

            if view.is_final or view.client_id != mark["client_id"]:
                resume.forget()
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    self.open_note(view.id, view.client_id, mark["step"])
                else:
                    resume.forget()

            self.push_screen(ConfirmDialog(
                f"Resume the draft for {plain(view.client_name)} "
                f"({view.local_start:%Y-%m-%d %H:%M}) where you left it?",
                yes="Resume", no="Not now"), answered)

        from notes_tui.ui.background import in_thread

        in_thread(self.screen, job, found, failed=lambda _e: resume.forget(), group="resume")

    # --- help and commands -------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "help_key":
            return not self._typing()  # "?" is a character while a text field has focus
        return True

    def action_help_key(self) -> None:
        self.action_help()

    def _typing(self) -> bool:
        from textual.widgets import Input, TextArea

        return isinstance(self.focused, (Input, TextArea))

    def action_help(self) -> None:
        from notes_tui.ui.help import HelpScreen, help_text

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_text(self.screen)))

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Help for this screen and its keys", self.action_help)
        yield SystemCommand("Your name and registration number",
                            "They sign your notes and print on the handout",
                            lambda: self.set_identity(screen))
        yield SystemCommand("Practice details",
                            "Your name, the clinic's name, phone, email and address on the "
                            "handout, time zone, paper", self.set_up_practice)
        new_note = getattr(screen, "action_new_note", None)
        if new_note is not None:
            yield SystemCommand("New note", "Start a blank note for this client",
                                lambda: new_note(False))
            yield SystemCommand("New note, same as last time",
                                "Start with last time's points, cues and home care",
                                lambda: new_note(True))
        from_template = getattr(screen, "action_from_template", None)
        if from_template is not None:
            yield SystemCommand("New note from a template",
                                "Pick a presentation (tension headache, low back, jaw...)",
                                from_template)
        save_template = getattr(screen, "action_save_template", None)
        if save_template is not None:
            yield SystemCommand("Save this note as a template",
                                "Its points, cues, home care and follow-up, for other clients",
                                save_template)
        finalize = getattr(screen, "action_finalize", None)
        if finalize is not None:
            yield SystemCommand("Finalize note", "Review and finalize this note",
                                lambda: (screen.action_step(5), finalize()))

    def set_up_practice(self) -> None:
        """The practice's details in one form (the first-run set-up; the palette later)."""
        from notes_tui.ui.identity import practice_dialog

        def saved(data: dict | None) -> None:
            if data:
                self.notify("Saved: your name signs your notes and the clinic's details are "
                            "on the handout", markup=False)

        self.push_screen(practice_dialog(self), saved)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's "Screenshot": a 0600 file in the state dir, not ~/Downloads
        (ui/screenshot.py). `path` and `time_format` are Textual's and are not used."""
        return str(self.save_screenshot(filename))

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        from notes_tui.ui.screenshot import save_private

        saved = save_private(self.export_screenshot(), filename)
        self.notify(f"Saved the screenshot (private, it shows client names) to {saved}",
                    title="Screenshot", markup=False)
        return str(saved)

    def set_identity(self, screen) -> None:
        """Ask for the therapist's name and registration number (saved in settings.toml); a
        draft open in the editor without a name takes it too."""
        from notes_tui.ui.identity import identity_dialog
        from notes_tui.ui.screens.editor import NoteEditor, finalize

        editing = isinstance(screen, NoteEditor) and screen.editing_draft
        note_id = screen.note_id if editing else None  # a draft loaded in the editor

        def saved(data: dict | None) -> None:
            if data:
                self.notify("Your name is saved; it signs your notes from now on", markup=False)
                if editing:  # its checklist drops the warning
                    finalize.refresh_review(screen)

        self.push_screen(identity_dialog(self, note_id), saved)

    def open_services(self):
        """Called from a worker thread: imports SQLAlchemy, migrates, returns the services
        façade (services/api.py) every screen calls."""
        with self._open_lock:
            return self._open_services()

    def _open_services(self):
        if self.services is None:
            from notes_tui.services.api import Services

            if self._context_factory is not None:
                services = Services(self._context_factory())
            else:
                from notes_tui.services.context import open_context

                services = Services(open_context(self.url, self._settings,
                                                 passphrase=self.passphrase))
                services.warm_up()  # parse the catalog here, off the UI thread
            self.services = services
            if services.read_only:
                self.call_later(self._show_read_only)
        return self.services

    def _show_read_only(self) -> None:
        """A read-only database: the title says so, and each change is refused in one line
        (services raise ReadOnlyDatabase; ui/background.py shows it)."""
        self.title = f"{self.TITLE} · read-only"
        self.notify("This database is read-only: you can read and search, not change anything",
                    severity="warning", markup=False, timeout=10)


def make_app(url: str, settings: Settings, **kwargs) -> NotesApp:
    return NotesApp(url, settings, **kwargs)
