"""Amending a finalized note: the editor opened on the note's current revision, with nothing
saved until the therapist gives the reason. The original stays exactly as finalized; the
amendment carries the corrected content, which becomes what the client is given and what "same
as last time" takes forward."""

from __future__ import annotations

from textual.binding import Binding

from notes_tui.ui.dialogs import FieldSpec, FormDialog
from notes_tui.ui.screens.editor.screen import Loaded, NoteEditor


def amend_dialog(note_id: int, when: str, content=None) -> FormDialog:
    """The reason (required) and, optionally, words of the therapist's own. With `content` the
    amendment carries the corrected note; without it, it is a correction in words."""

    def save(services, data: dict):
        return services.notes.amend(note_id, reason=data["reason"], text=data["amendment"],
                                    content=content)

    title = f"Amend the note of {when} (the original stays as it was)"
    words = "What changed, in your words (optional: the changes are listed for you)" \
        if content is not None else "Amendment"
    return FormDialog(title, [
        FieldSpec("reason", "Reason (required)", max_length=500),
        FieldSpec("amendment", words, multiline=True),
    ], save=save)


class AmendEditor(NoteEditor):
    """The five steps on a finalized note's current revision; f on the review step saves the
    amendment (asking for the reason), Esc leaves (asking first when something was changed)."""

    HELP = ("Correct this finalized note: change any field in the five steps as you would in a "
            "draft. Nothing is saved until f on the review step, which asks for the reason and "
            "adds the correction as a dated amendment; the original stays as it was. Esc leaves "
            "(it asks first when you changed something).")
    BINDINGS = [
        Binding("f", "finalize", "Save amendment", id="amend.save", priority=True),
        Binding("escape", "back", "Back", id="amend.back"),
    ]

    def __init__(self, note_id: int, client_id: int) -> None:
        super().__init__(note_id, client_id, step=1)
        self._when = ""

    def load(self) -> None:
        from notes_tui.ui.background import in_thread

        note_id = self.note_id

        def job(services) -> Loaded:
            from notes_tui.services.presentation import present_view
            from notes_tui.ui.screens.editor.review import previous_text

            opened = services.notes.open_draft(note_id)  # reads a finalized note as well
            view, client, prev = opened.note, opened.client, opened.previous
            last = present_view(prev, services.catalog, current=True) if prev is not None \
                else None
            return Loaded(view, client.name, bool(client.consent_on_file),
                          client.contraindications, previous_text(last), {}, opened.clinic,
                          opened.progress)

        in_thread(self, job, self._fill, failed=self._load_failed, group="editor-load")

    def _fill(self, loaded: Loaded) -> None:
        from textual.widgets import Button, Label

        from notes_tui.ui.text import plain

        view = loaded.view
        self._when = f"{view.local_start:%A %d %B %Y %H:%M}"
        self._fill_fields(loaded, view.current)  # the newest correction, if there is one
        self._show_when(view.local_start, draft=False)
        self.title = f"Amend · {plain(loaded.client_name)}"
        self.sub_title = f"amending the note of {self._when}"
        for button in self.query("#finalize").results(Button):
            button.label = "Save amendment (f)"
        for label in self.query("#checklist-label").results(Label):
            label.update("Before you save the amendment")
        self._show_step(self.step)
        self._save_state("amending · f on Review saves")
        self.ready()

    # nothing is written while amending: the amendment is saved once, with its reason
    def changed(self) -> None:
        return

    def action_save(self) -> None:
        return

    def on_screen_suspend(self) -> None:
        return

    def on_unmount(self) -> None:
        return

    def action_finalize(self) -> None:
        if not self._ready:
            return
        content = self.snapshot()
        if content is None:
            return
        changed = content != self._opened_with
        app, note_id = self.app, self.note_id

        def added(amendment) -> None:
            if not amendment:
                return
            self._ready = False
            app.last_note_id = note_id  # the client's history puts its cursor on that note
            app.pop_screen()
            app.notify("Amendment added: the original stays as it was, the correction is "
                       "what the client is given from now on", markup=False)

        app.push_screen(amend_dialog(self.note_id, self._when, content if changed else None),
                        added)

    def before_quit(self, then) -> None:
        """Quitting with a correction not yet saved asks first: keep it in a recovery file (the
        next start offers it back as an amendment), go back to it, or quit without it."""
        from notes_tui.ui import recovery
        from notes_tui.ui.screens.editor import leaving

        content = self.snapshot() if self._ready and not self.kept else None
        if content is None or content == self._opened_with:
            then()
            return

        def answered(choice: str | None) -> None:
            if choice == "keep":
                problem = leaving.keep_in_file(self, "the amendment was not saved yet")
                if problem is None:
                    self.kept = True
                    then()
                else:
                    self.notify(f"The recovery file could not be written ({problem})",
                                severity="error", markup=False)
            elif choice == "drop":
                then()

        recovery.ask(self.app, "Quit with this amendment not saved yet?", [
            ("keep", "k", "Keep my changes in a recovery file (offered back next time)"),
            ("back", "g", "Go back to the amendment"),
            ("drop", "x", "Quit without them (they are lost)")], answered, cancel="back")

    def last_chance(self) -> str:
        """A signal or the fatal path: the unsaved correction goes to a recovery file."""
        from notes_tui.ui.screens.editor import leaving

        try:
            content = self.snapshot() if self._ready and not self.kept else None
            if content is None or content == self._opened_with:
                return ""
            problem = leaving.keep_in_file(self, "the amendment was not saved yet")
        except Exception:  # the exit goes on
            return "lost: an unexpected error"
        return "kept" if problem is None else f"lost: {problem}"

    def action_back(self) -> None:
        from notes_tui.ui.dialogs import ConfirmDialog

        content = self.snapshot() if self._ready else None
        if content is None or content == self._opened_with:
            self.app.pop_screen()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self._ready = False
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog("Leave without saving this amendment? What you "
                                           "changed is lost.", yes="Leave", no="Keep editing",
                                           focus_no=True), answered)
