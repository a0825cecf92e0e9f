"""The due-back screen, driven with Pilot on the sample data (fixed today): ctrl+o from the
clients list lists the overdue clients first, Enter opens the one chosen, c writes the calendar
file, and keys typed at full speed before the list is in reach the row they aim at."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from textual.widgets import DataTable, Static

from notes_tui.services.api import Due
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.client import ClientScreen
from notes_tui.ui.screens.due import DueScreen
from tests.ui.helpers import FIXED_TODAY, demo_with_draft, steady, until


@pytest.fixture
def demo(sqlite_url, settings, monkeypatch):
    monkeypatch.setattr(Due, "today", lambda self: FIXED_TODAY)  # the sample data's today
    yield from demo_with_draft(sqlite_url, settings)


def _rows(screen) -> list[list[str]]:
    table = screen.query_one("#due", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_due_screen_lists_the_overdue_and_opens_the_client(demo, settings, size,
                                                                     tmp_path, monkeypatch):
    ctx, _draft = demo
    monkeypatch.setenv("NOTES_TUI_EXPORTS", str(tmp_path / "exports"))
    with ctx.read() as s:
        from notes_tui.services.due import due_list

        expected = due_list(s, FIXED_TODAY)
    overdue = [d for d in expected if d.state.value == "overdue"]
    assert len(overdue) >= 2  # the sample data has some
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, DueScreen) and app.screen._loaded)
        screen = app.screen
        head = str(screen.query_one("#due-head", Static).render())
        assert f"{len(overdue)} overdue" in head and "Monday 02 March 2026" in head
        rows = _rows(screen)
        assert rows[0][0] == overdue[0].when(FIXED_TODAY)
        assert rows[0][0].startswith("overdue by ")
        assert [r[1] for r in rows] == [d.name for d in expected]
        lapsed = [r[0] for r, d in zip(rows, expected, strict=True) if d.state.value == "lapsed"]
        assert lapsed and all(w.startswith("lapsed, ") for w in lapsed)
        assert rows[0][2] == f"{overdue[0].planned:%Y-%m-%d}"
        assert rows[0][3] == f"{overdue[0].last_visit:%Y-%m-%d}"
        # the second overdue client, at full speed: down and Enter before anything settles
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.page is not None)
        assert app.screen.client_id == overdue[1].client_id
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DueScreen))
        await pilot.press("c")
        path = tmp_path / "exports" / f"due-back-{FIXED_TODAY:%Y-%m-%d}.ics"
        await until(pilot, path.exists, what="the calendar file")
        events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
        assert len(events) == sum(d.state.value != "lapsed" for d in expected)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DueScreen))
