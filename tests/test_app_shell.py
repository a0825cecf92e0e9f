"""The app shell, driven with Pilot on a real SQLite file."""

import contextlib

from rich.text import Text
from textual.widgets import DataTable, Static

from notes_tui.services import clients
from notes_tui.ui.app import make_app
from tests.conftest import hostile


async def _wait_loaded(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_lists_clients_from_the_database(sctx, settings):
    with sctx.write() as s:
        for name in ("Ana Silva", "Ben Okafor"):
            clients.create_client({"name": name}, session=s, actor="Ana")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_loaded(pilot)
        table = pilot.app.screen.query_one("#clients", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == ["Ana Silva", "Ben Okafor"]
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_empty_database_shows_a_welcome(sqlite_url, settings):
    app = make_app(sqlite_url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_loaded(pilot)
        status = pilot.app.screen.query_one("#status", Static)
        assert "No clients yet" in str(status.render())
        welcome = pilot.app.screen.query_one("#welcome")
        assert welcome.display and "Welcome to notes-tui" in str(
            welcome.query_one(Static).render())


async def test_hostile_names_are_shown_literally(sctx, settings):
    stored = []
    with sctx.write() as s:
        for e in hostile("name"):
            with contextlib.suppress(ValueError):
                stored.append(clients.create_client({"name": e["value"]}, session=s,
                                                    actor="A").name)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_loaded(pilot)
        table = pilot.app.screen.query_one("#clients", DataTable)
        shown = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert "[@click=app.quit]Jane[/]" in shown and "[/]" in shown
        assert all(isinstance(table.get_row_at(i)[0], Text) for i in range(table.row_count))
        for i in range(table.row_count):  # click every name: none runs an action
            table.move_cursor(row=i)
        await pilot.click("#clients")
        await pilot.pause()
        assert pilot.app.is_running
