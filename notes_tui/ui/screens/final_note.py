"""A finalized note, read-only, with "add amendment"."""

from __future__ import annotations

from textual.binding import Binding

from notes_tui.ui.dialogs import FieldSpec, FormDialog
from notes_tui.ui.screens.note_view import NoteViewScreen


def amend_dialog(note_id: int) -> FormDialog:
    def save(services, data: dict) -> None:
        services.notes.amend(note_id, reason=data["reason"], text=data["amendment"])

    return FormDialog("Add an amendment (the original note stays as it was)", [
        FieldSpec("reason", "Reason (required)", max_length=500),
        FieldSpec("amendment", "Amendment", multiline=True),
    ], save=save)


class FinalNoteScreen(NoteViewScreen):
    """A finalized note opens read-only; m adds an amendment."""

    HELP = ("This note is finalized and read-only. m adds an amendment (the original stays as it "
            "was). e writes the client handout PDF. t saves its points, cues, home care and "
            "follow-up wording as a template for other clients. Esc goes back.")
    BINDINGS = [
        Binding("m", "amend", "Add amendment", id="final_note.amend"),
        Binding("t", "save_template", "Save as template", id="final_note.save_template"),
    ]

    def action_save_template(self) -> None:
        from notes_tui.ui.note_templates import save_as_template_dialog

        def saved(data: dict | None) -> None:
            if data:
                self.notify(f"Template saved: {data['path']}", markup=False, timeout=8)

        self.app.push_screen(save_as_template_dialog(self.note_id), saved)

    def action_amend(self) -> None:
        def added(data: dict | None) -> None:
            if data:
                self.notify("Amendment added")
                self.load()

        self.app.push_screen(amend_dialog(self.note_id), added)
