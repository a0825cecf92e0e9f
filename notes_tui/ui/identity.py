"""The therapist's name and registration number, set from the app: they sign every note,
amendment and audit event, and print on the handout. Written to settings.toml (only those two
lines change); a draft started before they were set takes them too."""

from __future__ import annotations

from notes_tui.ui.dialogs import FieldSpec, FormDialog


def identity_dialog(app, note_id: int | None = None) -> FormDialog:
    """A form for the name (required) and registration number. On save the one settings object
    the app and the services share takes them (`services.identity.set`), and draft `note_id`
    (if any, and unsigned) is signed."""
    current = app.settings

    def save(services, data: dict) -> None:
        services.identity.set(data["therapist_name"], data["registration_number"],
                              sign_note_id=note_id)

    return FormDialog("Your name signs your notes (saved in settings.toml)", [
        FieldSpec("therapist_name", "Your name (required)", current.therapist_name),
        FieldSpec("registration_number", "Registration number", current.registration_number,
                  max_length=100),
    ], save=save)
