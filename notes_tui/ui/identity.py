"""The therapist's name and registration number, set from the app: they sign every note,
amendment and audit event, and print on the handout. Written to settings.toml (only those two
lines change); a draft started before they were set takes them too."""

from __future__ import annotations

from dataclasses import replace

from notes_tui.ui.dialogs import FieldSpec, FormDialog


def identity_dialog(app, note_id: int | None = None) -> FormDialog:
    """A form for the name (required) and registration number. On save the app's settings and
    the services' settings change at once, and draft `note_id` (if any, and unsigned) is
    signed."""
    current = app.settings

    def save(ctx, data: dict) -> None:
        from notes_tui.domain.text import FieldError
        from notes_tui.services.identity import set_identity
        from notes_tui.settings import SettingsError

        try:
            written = set_identity(data["therapist_name"], data["registration_number"])
        except SettingsError as exc:  # the file would no longer load: it is left as it was
            raise FieldError("settings file", str(exc)) from None
        ctx.settings = replace(ctx.settings, therapist_name=written.therapist_name,
                               registration_number=written.registration_number)
        if note_id is not None:
            from notes_tui.services.notes import sign_draft

            with ctx.write() as s:
                sign_draft(note_id, name=written.therapist_name,
                           registration=written.registration_number, session=s,
                           actor=written.author)

    return FormDialog("Your name signs your notes (saved in settings.toml)", [
        FieldSpec("therapist_name", "Your name (required)", current.therapist_name),
        FieldSpec("registration_number", "Registration number", current.registration_number,
                  max_length=100),
    ], save=save)


def adopt_saved_identity(app) -> None:
    """After the dialog saved: the app's own settings take the values the services now hold."""
    if app.services is not None:
        app.settings = replace(app.settings,
                               therapist_name=app.services.settings.therapist_name,
                               registration_number=app.services.settings.registration_number)
