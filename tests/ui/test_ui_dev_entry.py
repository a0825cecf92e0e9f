"""`textual run --dev notes_tui.ui.dev:app` (README, Development): the module-level app is the
real one, on the database NOTES_TUI_DB names and with the settings from settings.toml."""

import importlib
import sys

from notes_tui.paths import settings_file
from notes_tui.ui.app import NotesApp
from tests.ui.helpers import settle


async def test_the_dev_entry_point_opens_the_configured_database_with_the_settings(
        tmp_path, monkeypatch):
    db = tmp_path / "dev.sqlite"
    monkeypatch.setenv("NOTES_TUI_DB", str(db))
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('theme = "textual-light"\ntherapist_name = "Ana Lee"\n',
                               encoding="utf-8")
    monkeypatch.delitem(sys.modules, "notes_tui.ui.dev", raising=False)
    dev = importlib.import_module("notes_tui.ui.dev")
    monkeypatch.delitem(sys.modules, "notes_tui.ui.dev")
    app = dev.app
    assert isinstance(app, NotesApp)
    assert app.url == "sqlite:///" + str(db.resolve())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert app.settings.therapist_name == "Ana Lee"
        assert app.services is not None
    assert db.is_file()  # the database was created and migrated where NOTES_TUI_DB says
