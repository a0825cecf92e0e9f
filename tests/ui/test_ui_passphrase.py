"""An encrypted database asks for its passphrase at start, without echo; a wrong one is said under
the field and asked again; Esc quits; the passphrase is written nowhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from notes_tui.ui.app import make_app
from notes_tui.ui.screens.passphrase import PassphraseDialog
from tests.ui.helpers import until

pytest.importorskip("sqlcipher3", reason="the 'encryption' extra (make env installs it)")

PASS = "correct horse battery staple"



@pytest.fixture
def encrypted(tmp_path, settings) -> str:
    from notes_tui.db import encryption
    from notes_tui.services.clients import create_client
    from notes_tui.services.context import open_context

    path = tmp_path / "notes.sqlite3"
    ctx = open_context(f"sqlite:///{path}", settings)
    with ctx.write() as s:
        create_client({"name": "Jane Doe"}, session=s, actor="A")
    ctx.dispose()
    encryption.encrypt_file(path, PASS)
    return f"sqlite:///{path}"


def _rows(app) -> list[str]:
    table = app.screen.query("#clients").first(DataTable) if app.screen.query("#clients") \
        else None
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)] if table else []


async def test_asked_without_echo_a_wrong_one_is_said_and_asked_again(encrypted, settings,
                                                                     monkeypatch):
    monkeypatch.delenv("NOTES_TUI_PASSPHRASE_FILE", raising=False)
    app = make_app(encrypted, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PassphraseDialog)
                    and app.screen.query("#passphrase"), what="the passphrase is asked")
        field = app.screen.query_one("#passphrase", Input)
        assert field.password  # typed, not shown
        await pilot.press(*"not the one", "enter")
        await until(pilot, lambda: isinstance(app.screen, PassphraseDialog)
                    and "try again" in str(app.screen.query_one("#m-passphrase").render()),
                    what="a wrong passphrase is said under the field")
        assert "not the one" not in app.export_screenshot()
        await pilot.press(*PASS, "enter")
        await until(pilot, lambda: _rows(app) == ["Jane Doe"], what="the clients are listed")
        assert PASS not in app.export_screenshot()
    folders = [Path(encrypted.split(":///", 1)[1]).parent] + [
        Path(os.environ[k]) for k in ("NOTES_TUI_CONFIG_DIR", "NOTES_TUI_DATA_DIR",
                                      "NOTES_TUI_STATE_DIR", "NOTES_TUI_EXPORTS")]
    written = [p for folder in folders if folder.exists() for p in folder.rglob("*")
               if p.is_file()]
    assert written  # the database, its WAL, the log: something was there to look in
    for f in written:
        assert PASS.encode() not in f.read_bytes(), f  # the passphrase is written nowhere


async def test_escape_quits_without_opening(encrypted, settings, monkeypatch):
    monkeypatch.delenv("NOTES_TUI_PASSPHRASE_FILE", raising=False)
    app = make_app(encrypted, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PassphraseDialog)
                    and app.screen.query("#passphrase"), what="the passphrase is asked")
        await pilot.press("escape")
        await until(pilot, lambda: not app.is_running, what="Esc quits")
    assert app.services is None
