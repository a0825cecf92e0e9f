"""The recurrence grid, driven with Pilot: a client whose right upper trapezius was active in 3 of
the last 5 finalized sessions shows it on the client screen, and r opens the grid with the point
flagged first, one column per session (newest first), at 80x24 and 120x40."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Static

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.client import ClientScreen
from notes_tui.ui.screens.recurrence import RecurrenceScreen
from tests.conftest import full_note
from tests.ui.helpers import steady, until

DAY = date(2026, 11, 2)
UT_R = {"muscle_id": "upper_trapezius", "side": "right", "pressure": 6, "response": "released"}
LS_L = {"muscle_id": "levator_scapulae", "side": "left", "pressure": 5, "response": "reduced"}


def _client_with_seven_sessions(ctx) -> int:
    with ctx.write() as s:
        cid = clients.create_client({"name": "Rosa [red]Díaz[/red]", "consent_on_file":
                                     "2026-01-05"}, session=s, actor="Ana").id
    plan = ((5, [UT_R]), (4, [LS_L]), (3, [UT_R]), (2, [LS_L]), (1, [UT_R]), (6, [LS_L]),
            (7, [LS_L]))
    for weeks, points in plan:
        with ctx.write() as s:
            nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                    content=full_note(trigger_points=points, cues=[]),
                                    session_start=f"{DAY - timedelta(weeks=weeks)} 10:00").id
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="Ana Lee")
    return cid


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_grid_flags_a_point_active_in_three_of_five(ctx, settings, size):
    cid = _client_with_seven_sessions(ctx)
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        app.go_to_client(cid)
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.page is not None)
        side = str(app.screen.query_one("#trend", Static).render())
        assert "Recurring trigger points (r: the grid)" in side
        assert "Upper trapezius, right: active in 3 of the last 5" in side
        assert "Levator scapulae" not in side  # active 4 times, but only 2 of the last 5
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RecurrenceScreen)
                    and app.screen.grid is not None)
        screen = app.screen
        head = str(screen.query_one("#recurrence-head", Static).render())
        assert head.startswith("1 recurring") and "7 finalized sessions" in head
        table = screen.query_one("#recurrence", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:2] == ["Muscle, side\n", "Active\nlast 5"]
        newest = DAY - timedelta(weeks=1)
        assert labels[2] == f"{newest:%Y}\n{newest:%m-%d}" and len(labels) == 2 + 7
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][:2] == ["Upper trapezius, right", "3/5 !"]
        assert rows[0][2:] == ["A6✓", "·", "A6✓", "·", "A6✓", "·", "·"]
        assert rows[1][:2] == ["Levator scapulae, left", "2/5"]
        # the point and its count are drawn, and the first session's column is on screen
        shown = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "Upper trapezius, right" in shown and "3/5 !" in shown and "A6✓" in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
