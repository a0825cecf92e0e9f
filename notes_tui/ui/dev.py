"""The app for Textual's dev tools: `textual run --dev notes_tui.ui.dev:app`.

`textual run` imports a module and runs the app it names; NotesApp needs a database URL and the
settings, so this module builds one as `notes-tui` with no options does: the database from
NOTES_TUI_DB or the data dir's file, the settings from settings.toml. Only `textual run` (or a
developer) imports this module; nothing in the app does.
"""

from __future__ import annotations

from notes_tui.paths import database_url
from notes_tui.settings import load_settings
from notes_tui.ui.app import NotesApp, make_app

app: NotesApp = make_app(database_url(), load_settings())
