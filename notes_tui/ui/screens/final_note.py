"""A finalized note, read-only, with "amend" (the editor on its current revision)."""

from __future__ import annotations

from textual.binding import Binding

from notes_tui.ui.screens.note_view import NoteViewScreen


class FinalNoteScreen(NoteViewScreen):
    """A finalized note opens read-only; m adds an amendment."""

    HELP = ("This note is finalized and read-only. m amends it: the five steps open on the note "
            "to correct, and f on Review saves the correction with its reason (the original stays "
            "as it was; the client's handout and the next 'same as last time' take the correction). e writes the client handout PDF. t saves its points, cues, home care and "
            "follow-up wording as a template for other clients. Esc goes back.")
    BINDINGS = [
        Binding("m", "amend", "Amend", id="final_note.amend"),
        Binding("t", "save_template", "Save as template", id="final_note.save_template"),
    ]

    def action_save_template(self) -> None:
        from notes_tui.ui.note_templates import save_as_template_dialog

        def saved(data: dict | None) -> None:
            if data:
                self.notify(f"Template saved: {data['path']}", markup=False, timeout=8)

        self.app.push_screen(save_as_template_dialog(self.note_id), saved)

    def action_amend(self) -> None:
        from notes_tui.ui.screens.editor.amend import AmendEditor

        if self._view is not None:
            self.app.push_screen(AmendEditor(self.note_id, self._view.client_id))

    def on_screen_resume(self) -> None:
        self.load()  # back from amending: the note view shows the amendment
