"""The intake, driven with Pilot: a client with none says so on their screen; i opens the form,
the checklist ticks with space, medications typed one per line at full speed are saved as typed;
an intake last reviewed more than a year ago asks for a review, and setting today's date in the
form ends that."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import SelectionList, Static

from notes_tui.services import clients
from notes_tui.services.api import Due
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from notes_tui.ui.screens.client import ClientScreen
from tests.ui.helpers import steady, until

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(Due, "today", lambda self: TODAY)  # the clinic's today, as the app asks


async def _client_screen(pilot, app, cid):
    app.go_to_client(cid)
    await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                and app.screen.page is not None)
    return str(app.screen.query_one("#client-head", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_an_intake_is_entered_then_reviewed(ctx, settings, size):
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana").id
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        head = await _client_screen(pilot, app, cid)
        assert "No intake on file: i takes it" in head
        # i, then at full speed: tick the first and third conditions, Tab through the fields
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        await pilot.press("space", "down", "down", "space", "tab", *"Mild asthma", "tab",
                          *"Naprosyn 500 mg twice daily", "enter", *"Vitamin D3 1000 IU",
                          "tab", *"Latex", "tab", *"2019-04 ACL repair, left knee")
        await until(pilot, lambda: "ACL" in form.values()["surgeries"])
        assert form.query_one("#f-conditions", SelectionList).selected == [
            "high_blood_pressure", "blood_clots"]
        assert form.values()["reviewed_on"] == "2026-12-03"  # a new intake: reviewed today
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await until(pilot, lambda: "No intake" not in str(
            app.screen.query_one("#client-head", Static).render()))
        with ctx.read() as s:
            stored = clients.get_client(cid, session=s).intake
        assert stored == {
            "conditions": ["high_blood_pressure", "blood_clots"], "conditions_note": "Mild asthma",
            "medications": [{"name": "Naprosyn", "dose": "500 mg twice daily"},
                            {"name": "Vitamin D3", "dose": "1000 IU"}],
            "allergies": "Latex", "surgeries": [{"what": "ACL repair, left knee", "when": "2019-04"}],
            "reviewed_on": "2026-12-03"}
        # a year and more later it asks for a review
        old = (TODAY - timedelta(days=400)).isoformat()
        with ctx.write() as s:
            clients.update_client(cid, {"intake": stored | {"reviewed_on": old}}, session=s,
                                  actor="Ana")
        await pilot.press("escape")
        await steady(pilot)
        head = await _client_screen(pilot, app, cid)
        assert f"Intake last reviewed {old}: review it with the client (i)" in head
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        assert form.values()["reviewed_on"] == old  # a review keeps its date until it is set
        assert form.values()["medications"] == "Naprosyn 500 mg twice daily\nVitamin D3 1000 IU"
        form.query_one("#f-reviewed_on").focus()
        await pilot.press("ctrl+u", *"2026-12-03", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await until(pilot, lambda: "review it" not in str(
            app.screen.query_one("#client-head", Static).render()))
        with ctx.read() as s:
            assert clients.get_client(cid, session=s).intake["reviewed_on"] == "2026-12-03"


async def test_a_bad_line_is_named_under_its_field_and_nothing_is_saved(ctx, settings):
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint"}, session=s, actor="Ana").id
    app = make_app(ctx.url, settings, context_factory=lambda: ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        await _client_screen(pilot, app, cid)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-surgeries").focus()
        await pilot.press(*"2019-13 ACL repair", "ctrl+s")
        message = form.query_one("#m-surgeries")
        await until(pilot, lambda: bool(message.message), what="the surgeries message")
        assert "2019-13 is not a real date" in message.message
        assert isinstance(app.screen, FormDialog)  # still open, with what was typed
        assert "2019-13 ACL repair" in form.values()["surgeries"]
        with ctx.read() as s:
            assert clients.get_client(cid, session=s).intake is None
