"""First start: the app asks for the practice's details (who signs, the clinic on the handout, the
time zone, the paper); a bad email is said under its field; what is saved is in settings.toml and
in the running app at once. Later the palette's "Practice details" opens the same form."""

from __future__ import annotations

from textual.widgets import Static

from notes_tui.paths import settings_file
from notes_tui.settings import load_settings
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from tests.ui.helpers import settle, until


def _form(app) -> bool:
    return isinstance(app.screen, FormDialog) and bool(app.screen.query("#f-clinic_phone"))


async def test_first_start_asks_and_keeps_the_practice_details(sqlite_url, settings):
    from notes_tui.settings import Settings

    app = make_app(sqlite_url, Settings(timezone="America/Toronto"), first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: _form(app), what="the set-up form")
        form = app.screen
        await pilot.press(*"Ana Lee", "tab", *"RMT-1234", "tab", *"Harbour Street Massage",
                          "tab", *"416-555-0100", "tab", *"desk at harbour", "ctrl+s")
        await until(pilot, lambda: "email address" in
                    str(form.query_one("#m-clinic_email", Static).content), what="the message")
        assert not settings_file().exists()  # nothing half-written
        for _ in "desk at harbour":
            await pilot.press("backspace")
        await pilot.press(*"desk@harbour.example", "ctrl+s")
        await until(pilot, lambda: not _form(app), what="the form closes once saved")
        await settle(pilot)
        assert app.settings.clinic.phone == "416-555-0100"  # the running app's, at once
        assert app.settings.therapist_name == "Ana Lee"
    saved = load_settings()
    assert (saved.therapist_name, saved.registration_number) == ("Ana Lee", "RMT-1234")
    assert (saved.clinic.name, saved.clinic.email) == ("Harbour Street Massage",
                                                       "desk@harbour.example")
    assert saved.timezone == "America/Toronto"


async def test_not_asked_when_already_set_up_and_in_the_palette_later(sqlite_url, settings):
    app = make_app(sqlite_url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not _form(app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Practice details" in titles
        app.set_up_practice()
        await until(pilot, lambda: _form(app), what="the form from the palette")
        assert app.screen.query_one("#f-therapist_name").value == "Ana Lee"
