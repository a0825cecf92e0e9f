"""Templates in the app: a note started from a template through the keyboard arrives with its
suggestions "to confirm" on the chosen side, and a finalized note can be saved as a template."""

import tomllib

from notes_tui.paths import user_templates_dir
from notes_tui.services import notes
from notes_tui.services.templates import list_templates
from notes_tui.ui.app import make_app
from notes_tui.ui.note_templates import SideDialog
from notes_tui.ui.screens.editor import NoteEditor
from tests.conftest import full_note
from tests.ui.helpers import settle


def _client(ctx, name="Jane Doe"):
    from notes_tui.services.clients import create_client

    with ctx.write() as s:
        return create_client({"name": name, "consent_on_file": "2026-01-05"}, session=s,
                             actor="Ana Lee").id


async def test_a_note_from_a_template_through_the_keyboard(sctx, settings):
    cid = _client(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"jaw")  # type-ahead over names, summaries and muscles
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SideDialog)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
    with sctx.read() as s:
        [draft] = notes.list_notes(session=s, client_id=cid)
        content = notes.get_note(draft.id, session=s).content
        view = notes.get_note(draft.id, session=s)
    assert view.template_id == "jaw_tmj"
    assert [tp.muscle_id for tp in content.trigger_points] == ["masseter", "temporalis"]
    assert {tp.side.value for tp in content.trigger_points} == {"left"}
    assert not any(tp.confirmed for tp in content.trigger_points)
    assert "jaw" in content.when_to_contact.lower() and "when_to_contact" in content.to_confirm


async def test_escape_from_the_picker_makes_no_note(sctx, settings):
    cid = _client(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"heel", "enter")
        await settle(pilot)
        await pilot.press("escape")  # no side chosen
        await settle(pilot)
    with sctx.read() as s:
        assert notes.list_notes(session=s, client_id=cid) == []


async def test_save_a_finalized_note_as_a_template(sctx, settings):
    cid = _client(sctx, "Jane {Doe}")
    with sctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("enter")  # the finalized note, read-only
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"Temple headache, left", "ctrl+s")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"Temple headache, left", "ctrl+s")  # the same name again
        await settle(pilot)
        message = str(app.screen.query_one("#m-template_name").render())
        assert "already exists" in message
    path = user_templates_dir() / "temple_headache_left.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["name"] == "Temple headache, left"
    assert [tp["muscle"] for tp in doc["trigger_point"]] == [
        tp["muscle_id"] for tp in full_note()["trigger_points"]]
    assert list_templates(sctx).get("temple_headache_left").source == "user"
