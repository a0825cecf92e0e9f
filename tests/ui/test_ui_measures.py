"""Outcome measures, driven with Pilot: a client seen three times answers the PSFS at the first
visit and again at the third. o, Enter (the PSFS), the activities with their scores, ctrl+s; the
third time the activities named the first time are filled in, and the client's screen shows the
change in words."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static, TextArea

from notes_tui.services import clients
from notes_tui.services.api import Due
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog, PickerDialog
from notes_tui.ui.screens.client import ClientScreen
from tests.ui.helpers import steady, until

FIRST, THIRD = date(2026, 10, 6), date(2026, 11, 3)


async def _record(pilot, app, day: date, keys: list[str]) -> FormDialog:
    app.screen.query_one("#history").focus()
    await pilot.press("o")
    await until(pilot, lambda: isinstance(app.screen, PickerDialog))
    await pilot.press("enter")  # the first measure: the PSFS
    await until(pilot, lambda: isinstance(app.screen, FormDialog))
    form = app.screen
    form.query_one("#f-taken_on").focus()
    await pilot.press("ctrl+u", *day.isoformat(), "tab", *keys)
    return form


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_psfs_at_the_first_and_the_third_visit_shows_its_change(ctx, settings, size,
                                                                      monkeypatch):
    monkeypatch.setattr(Due, "today", lambda self: THIRD)
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana").id
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        app.go_to_client(cid)
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.page is not None)
        form = await _record(pilot, app, FIRST, [*"Climbing stairs: 3", "enter",
                                                 *"Lifting a laundry basket: 2"])
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and "PSFS 2.5" in str(app.screen.query_one("#trend", Static).render()))
        # the third visit: the same activities, filled in; the therapist types the scores
        form = await _record(pilot, app, THIRD, [])
        area = form.query_one("#f-items", TextArea)
        assert area.text == "Climbing stairs: \nLifting a laundry basket: "
        await pilot.press("end", *"7", "down", "end", *"6", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await until(pilot, lambda: "→" in str(app.screen.query_one("#trend", Static).render()))
        side = str(app.screen.query_one("#trend", Static).render())
        assert "Outcome measures (o: record one)" in side
        assert ("PSFS 2.5 (2026-10-06) → 6.5 (2026-11-03): +4, better (a change that matters)"
                in " ".join(side.split()))
        with ctx.read() as s:
            stored = clients.get_client(cid, session=s).measures
        assert [(m["taken_on"], m["score"]) for m in stored] == [
            ("2026-10-06", 2.5), ("2026-11-03", 6.5)]
        assert [i["label"] for i in stored[1]["items"]] == ["Climbing stairs",
                                                            "Lifting a laundry basket"]


async def test_a_score_out_of_range_is_named_and_nothing_is_saved(ctx, settings, monkeypatch):
    monkeypatch.setattr(Due, "today", lambda self: THIRD)
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint"}, session=s, actor="Ana").id
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        app.go_to_client(cid)
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.page is not None)
        form = await _record(pilot, app, FIRST, [*"Climbing stairs: 12"])
        await pilot.press("ctrl+s")
        message = form.query_one("#m-items")
        await until(pilot, lambda: bool(message.message), what="the items message")
        assert "Climbing stairs: 12 is outside 0-10" in message.message
        assert isinstance(app.screen, FormDialog)
        with ctx.read() as s:
            assert clients.get_client(cid, session=s).measures is None
