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


def practice_dialog(app) -> FormDialog:
    """The first-run set-up (and the palette's "Practice details"): who signs, the clinic the
    handout names and how clients get in touch, the time zone and the paper. Saved to
    settings.toml (its comments and other lines kept) and used at once."""
    from notes_tui.settings import PAPER_SIZES

    s = app.settings
    c = s.clinic

    def save(services, data: dict) -> None:
        services.identity.set_practice(data)

    return FormDialog("Your practice (saved in settings.toml; the handout shows the clinic)", [
        FieldSpec("therapist_name", "Your name (required)", s.therapist_name),
        FieldSpec("registration_number", "Registration number", s.registration_number,
                  max_length=100),
        FieldSpec("clinic_name", "Clinic name", c.name),
        FieldSpec("clinic_phone", "Phone", c.phone, max_length=100),
        FieldSpec("clinic_email", "Email", c.email),
        FieldSpec("clinic_address", "Address", c.address, max_length=500),
        FieldSpec("clinic_website", "Website", c.website),
        FieldSpec("timezone", "Time zone (this computer's unless you change it)", s.timezone,
                  max_length=64, placeholder="America/Toronto"),
        FieldSpec("paper_size", "Paper", s.paper_size,
                  choices=[(size, size) for size in PAPER_SIZES]),
    ], save=save)
