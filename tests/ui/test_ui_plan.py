"""A course of care, driven with Pilot: a plan with two goals made at the first of three visits
(p: the goals, weekly x 6, typed at full speed), the PSFS at the first and third visit, a goal
moved to "met", then a discharge (d) that ends the plan; the client's screen follows each step
and the clinical record holds it all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Select, Static

from notes_tui.services import clients, notes
from notes_tui.services.api import Due, Services
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from notes_tui.ui.screens.client import ClientScreen
from tests.conftest import full_note, record_section
from tests.ui.helpers import steady, until

TODAY = date(2026, 11, 3)
VISITS = (TODAY - timedelta(days=14), TODAY - timedelta(days=7), TODAY)


def _side(app) -> str:
    return " ".join(str(app.screen.query_one("#trend", Static).render()).split())


async def _form(pilot, app, key: str) -> FormDialog:
    app.screen.query_one("#history").focus()
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, FormDialog))
    return app.screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_plan_with_two_goals_over_three_visits_then_a_discharge(ctx, settings, size,
                                                                        monkeypatch):
    monkeypatch.setattr(Due, "today", lambda self: TODAY)
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana").id
    for day in VISITS:
        with ctx.write() as s:
            nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note(),
                                    session_start=f"{day} 10:00").id
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="Ana Lee")
    services = Services(ctx)
    for day, (a, b) in ((VISITS[0], (3, 2)), (VISITS[2], (7, 6))):
        services.clients.add_measure(cid, "psfs", taken_on=str(day),
                                     items=f"Sitting at work: {a}\nSleeping: {b}")
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        app.go_to_client(cid)
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.page is not None)
        assert "Plan of care" not in _side(app)
        form = await _form(pilot, app, "p")
        # goal 1, Tab over its term (short), measure, target, Tab over its status; goal 2
        await pilot.press(*"Sit through a work meeting without pain", "tab", "tab",
                          *"PSFS: sitting", "tab", *"7 or more", "tab", "tab",
                          *"Sleep through the night", "tab", "tab", *"pain at night", "tab",
                          *"below 3")
        await until(pilot, lambda: form.values()["goal2_target"] == "below 3")
        form.query_one("#f-goal2_term", Select).value = "long"
        form.query_one("#f-frequency", Select).value = "weekly"
        form.query_one("#f-started_on").focus()
        await pilot.press("ctrl+u", *str(VISITS[0]), "tab", "tab", *"6", "tab",
                          *str(TODAY + timedelta(days=14)), "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and "Plan of care (p)" in _side(app))
        side = _side(app)
        assert f"since {VISITS[0]}, weekly x 6: 3 of 6 done" in side
        assert "○ Sit through a work meeting without pain (PSFS: sitting target 7 or more): " \
               "not yet" in side
        assert "PSFS 2.5 (2026-10-20) → 6.5 (2026-11-03): +4, better" in side
        # the third visit: goal 1 met
        form = await _form(pilot, app, "p")
        assert form.values()["goal1_text"] == "Sit through a work meeting without pain"
        assert form.values()["started_on"] == str(VISITS[0])  # the plan keeps its start
        form.query_one("#f-goal1_status", Select).value = "met"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and "✓ Sit through a work meeting" in _side(app))
        # discharge: where the goals ended, why, what next
        form = await _form(pilot, app, "d")
        form.query_one("#f-status", Select).value = "goals partly met"
        form.query_one("#f-reason").focus()
        await pilot.press(*"Moving away", "tab", *"Sitting much better; sleep still broken.",
                          "tab", *"Keep the stretches; see a physiotherapist for sleep.",
                          "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and "Plan of care (p)" not in _side(app))
    plan = record_section(ctx, cid, "Plan of care")
    lines = dict(plan.lines)
    assert lines["Plan"].startswith(f"since {VISITS[0]}, weekly x 6")
    assert lines["Short-term goal"].endswith(": met")
    assert lines["Long-term goal"] == "Sleep through the night (pain at night target below 3): " \
                                      "not yet"
    assert lines["Discharged"] == f"{TODAY}, goals partly met; Moving away"
    assert lines["Recommendations"] == "Keep the stretches; see a physiotherapist for sleep."


async def test_the_editor_shows_the_goals_and_the_review_says_which_moved(ctx, settings):
    from datetime import datetime

    from notes_tui.ui.screens.editor import NoteEditor
    from tests.ui.helpers import open_editor

    today = datetime.now(ctx.settings.tz).date()
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana").id
        last = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note(),
                                 session_start=f"{today - timedelta(days=7)} 10:00").id
    with ctx.write() as s:
        notes.finalize(last, session=s, actor="Ana Lee")
    services = Services(ctx)
    form = {"goal1_text": "Sit through a meeting", "goal1_status": "not yet",
            "goal2_text": "Sleep through the night", "goal2_term": "long",
            "frequency": "weekly", "started_on": str(today - timedelta(days=7))}
    services.clients.set_plan(cid, form)
    services.clients.set_plan(cid, form | {"goal1_status": "met"})  # it moved today
    with ctx.write() as s:
        draft = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note()).id
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        editor = await open_editor(pilot, draft, cid)
        await pilot.press("f5")  # the follow-up
        goals = str(editor.query_one("#plan-goals", Static).render())
        assert goals.startswith("Plan of care (weekly): ✓ Sit through a meeting: met; ")
        assert "○ Sleep through the night: not yet" in goals
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor)
                    and "Goals moved" in str(editor.query_one("#review-text", Static).content))
        review = " ".join(str(editor.query_one("#review-text", Static).content).split())
        assert f"Goals moved since the last visit: ✓ Sit through a meeting: met ({today})" \
               in review
        assert "Sleep through the night: not yet (" not in review  # it did not move
