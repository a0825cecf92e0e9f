"""Form dialogs never lose a word: Esc (or Cancel) on a form with something typed asks before
throwing it away, and "keep editing" goes back to the field with the text still there. A problem
shown under a field goes as soon as that field is edited, and names the field it is about."""

from textual.widgets import Input, Static, TextArea

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import ConfirmDialog, FormDialog
from notes_tui.ui.screens.clients import ClientsScreen
from notes_tui.ui.screens.final_note import FinalNoteScreen
from notes_tui.ui.widgets.field_message import FieldMessage
from tests.conftest import full_note
from tests.ui.helpers import settle


def _client_names(ctx) -> list[str]:
    with ctx.read() as s:
        return [c.name for c in clients.list_clients(session=s, include_archived=True)]


def _question(app) -> str:
    return str(app.screen.query_one(".dialog-title", Static).render())


async def _open_client_form(pilot) -> FormDialog:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormDialog)
    return form


async def test_esc_on_a_typed_client_form_asks_and_keeps_the_text(sctx, settings):
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_client_form(pilot)
        name = form.query_one("#f-name", Input)
        await pilot.press(*"Jane Doe")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard what you typed?" in _question(app)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert app.screen is form
        assert name.value == "Jane Doe"
        assert app.focused is name
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # Esc in the question is "keep editing" too
        await settle(pilot)
        assert app.screen is form and app.focused is name
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # Enter is the safe answer: keep editing
        await settle(pilot)
        assert app.screen is form and app.focused is name
        await pilot.press(*" Jr")  # the field still takes keys
        await settle(pilot)
        assert name.value == "Jane Doe Jr"
        await pilot.press("escape", "y")  # the question takes its keys (not held back)
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    assert _client_names(sctx) == []


async def test_cancel_button_on_a_typed_form_asks_and_focus_goes_back_to_the_field(sctx,
                                                                                   settings):
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_client_form(pilot)
        await pilot.press(*"Jane", "tab", *"Jay")
        await settle(pilot)
        preferred = form.query_one("#f-preferred_name", Input)
        assert app.focused is preferred
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#no")
        await settle(pilot)
        assert app.screen is form
        assert app.focused is preferred  # not the Cancel button
        assert form.values()["name"] == "Jane"
        await pilot.click("#cancel")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    assert _client_names(sctx) == []


async def test_esc_on_an_untouched_form_closes_at_once(sctx, settings):
    with sctx.write() as s:
        cid = clients.create_client({"name": "Ann Active", "phone": "555-0100"}, session=s,
                                    actor="A").id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_client_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        await _open_client_form(pilot)
        await pilot.press("J", "backspace")  # typed and taken back: nothing to lose
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        from notes_tui.ui.screens.client_form import client_dialog

        closed: list = []
        app.push_screen(client_dialog(cid, {"name": "Ann Active", "phone": "555-0100"}),
                        closed.append)  # an edit form opened with values, left as it was
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert closed == [None]
    assert _client_names(sctx) == ["Ann Active"]


async def _final_note(sctx) -> tuple[int, int]:
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana Lee").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    return cid, nid


async def _open_amendment(app, pilot, cid: int) -> FormDialog:
    await settle(pilot)
    app.go_to_client(cid)
    await settle(pilot)
    await pilot.press("enter")  # the finalized note, read-only
    await settle(pilot)
    assert isinstance(app.screen, FinalNoteScreen)
    await pilot.press("m")  # the note opens to correct; a correction in words changes no field
    await settle(pilot)
    await pilot.press("f6", "f")  # review, then save the amendment: the reason is asked
    await settle(pilot)
    form = app.screen
    assert isinstance(form, FormDialog)
    return form


async def test_an_amendment_survives_esc_and_keep_editing_then_saves(sctx, settings):
    cid, nid = await _final_note(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_amendment(app, pilot, cid)
        await pilot.press(*"Wrong date", "tab", *"The session was on Monday.")
        await settle(pilot)
        area = form.query_one("#f-amendment", TextArea)
        assert app.focused is area
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and app.focused is area
        assert area.text == "The session was on Monday."
        await pilot.press(*" Not Tuesday.", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)
        # said at the top of the note, and in the client's history
        shown = str(app.screen.query_one("#note-body").content)  # Hanging: str() is the text
        assert "Amended 1 time since it was finalized" in shown.split("1 Assessment")[0]
        await pilot.press("escape")
        await settle(pilot)
        history = app.screen.query_one("#history")
        assert str(history.get_row_at(0)[-1]) == "amended"
    with sctx.read() as s:
        amendments = notes.get_note(nid, session=s).amendments
    assert [(a.reason, a.text) for a in amendments] == [
        ("Wrong date", "The session was on Monday. Not Tuesday.")]


async def test_a_field_message_names_the_field_and_goes_once_the_field_is_edited(sctx,
                                                                                 settings):
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_client_form(pilot)
        name_message = form.query_one("#m-name", FieldMessage)
        await pilot.press("ctrl+s")  # nothing typed
        await settle(pilot)
        assert app.screen is form
        assert name_message.message == "Name is required"
        await pilot.press("J")
        await settle(pilot)
        assert name_message.message == ""
        await pilot.press(*"ane Doe", "tab", "tab", *"2026-02-30", "ctrl+s")
        await settle(pilot)
        dob_message = form.query_one("#m-date_of_birth", FieldMessage)
        assert "2026-02-30 is not a real date" in dob_message.message
        assert app.focused is form.query_one("#f-date_of_birth", Input)
        await pilot.press("backspace")
        await settle(pilot)
        assert dob_message.message == ""
        await pilot.press("backspace", *"28", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    assert _client_names(sctx) == ["Jane Doe"]


async def test_a_message_under_a_text_area_goes_once_it_is_edited(sctx, settings):
    cid, nid = await _final_note(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_amendment(app, pilot, cid)
        await pilot.press("ctrl+s")
        await settle(pilot)
        reason = form.query_one("#m-reason", FieldMessage)
        assert reason.message == "Reason is required"
        await pilot.press(*"Wrong date", "ctrl+s")
        await settle(pilot)
        assert reason.message == ""
        amendment = form.query_one("#m-amendment", FieldMessage)
        assert amendment.message == "Amendment is required"
        assert app.focused is form.query_one("#f-amendment", TextArea)
        await pilot.press("M")
        await settle(pilot)
        assert amendment.message == ""
    with sctx.read() as s:
        assert notes.get_note(nid, session=s).amendments == ()


async def test_the_client_form_takes_the_consent_form_date_and_a_pressure_limit(sctx, settings):
    """Both are typed on the client form; a wrong one is said under its own field, and the
    edit form shows what was saved."""
    from notes_tui.ui.screens.client_form import client_initial

    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_client_form(pilot)
        await pilot.press(*"Mara Quint", *["tab"] * 6, *"2099-01-01", "tab", *"12", "ctrl+s")
        await settle(pilot)
        limit = form.query_one("#m-pressure_limit", FieldMessage)
        assert "'12' is not a whole number from 1 to 10" in limit.message
        assert app.focused is form.query_one("#f-pressure_limit", Input)
        await pilot.press("backspace", "backspace", "6", "x", "ctrl+s")  # x: not a digit
        await settle(pilot)
        signed = form.query_one("#m-sensitive_area_consent_on", FieldMessage)
        assert "2099-01-01 is in the future" in signed.message
        assert app.focused is form.query_one("#f-sensitive_area_consent_on", Input)
        await pilot.press(*["backspace"] * 10, *"2026-11-02", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    with sctx.read() as s:
        [c] = clients.list_clients(session=s)
        detail = clients.get_client(c.id, session=s)
    assert (detail.pressure_limit, str(detail.sensitive_area_consent_on)) == (6, "2026-11-02")
    shown = client_initial(detail)
    assert (shown["pressure_limit"], shown["sensitive_area_consent_on"]) == (6, "2026-11-02")
