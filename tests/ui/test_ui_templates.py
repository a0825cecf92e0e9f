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
from tests.ui.helpers import note_content, settle


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


async def test_the_template_named_for_the_typed_words_comes_first(sctx, settings):
    """"headache" is in the jaw template's summary too; the one called headache comes first,
    and several words match in any order ("neck desk")."""
    cid = _client(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        options = app.screen.query_one("#picker-options")
        await pilot.press(*"headache")
        await settle(pilot)
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert shown == ["tension_headache", "jaw_tmj"]
        await pilot.press(*["backspace"] * 8, *"neck desk")
        await settle(pilot)
        assert options.get_option_at_index(0).id == "desk_neck_shoulders"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SideDialog)


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


async def test_template_to_finalized_note_confirming_every_suggestion(sctx, settings):
    """The whole way in the app: a template note shows its questions in the empty fields, each
    suggestion must be confirmed (Y a table, ctrl+o a field) and then the note finalizes."""
    from textual.widgets import TextArea

    from notes_tui.ui.widgets.row_table import RowTable

    cid = _client(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("t", *"jaw", "enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        complaint = editor.query_one("#f-complaint", TextArea)
        assert complaint.text == "" and "Clenching or grinding" in str(complaint.placeholder)
        assert "Mouth opening" in str(editor.query_one("#h-rom").render())
        await pilot.press(*"Left jaw aches after clenching at night", "tab", "6")
        assert "Mouth opening" in str(editor.query_one("#h-rom").render())  # no row yet
        # F2-F6 are the steps 1-5 (F1 is help)
        await pilot.press("f3", "Y", "f4", "Y", "f5", "2")
        editor.query_one("#t-home_care", RowTable).focus()
        await pilot.pause()
        await pilot.press("Y")
        for key in ("advice", "what_to_expect", "when_to_contact", "next_visit_days"):
            editor.query_one(f"#f-{key}").focus()
            await pilot.pause()
            await pilot.press("ctrl+o")
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    with sctx.read() as s:
        [note] = notes.list_notes(session=s, client_id=cid)
        view = notes.get_note(note.id, session=s)
    assert view.is_final, "the template note did not finalize"
    c = view.content
    assert c.complaint == "Left jaw aches after clenching at night" and c.pain_before == 6
    assert c.pain_after == 2 and c.to_confirm == []
    assert all(tp.confirmed for tp in c.trigger_points)
    assert {tp.side.value for tp in c.trigger_points} == {"bilateral"}
    assert all(cue.confirmed for cue in c.cues) and all(h.confirmed for h in c.home_care)
    assert c.next_visit_days == 7 and "jaw" in c.when_to_contact.lower()
    assert "Clenching" not in c.complaint + c.therapist_summary  # prompts are never content


async def test_a_template_prompt_is_shown_as_typed_never_as_markup(sctx, settings):
    user = user_templates_dir()
    user.mkdir(parents=True, exist_ok=True)
    (user / "odd.toml").write_text(
        'name = "Odd prompts"\nsummary = "hostile"\n[prompts]\n'
        'complaint = "[@click=app.quit]Where[/] \\u001b[2J does it hurt?"\n'
        'posture = "[b]Head[/b] forward?"\n', encoding="utf-8")
    cid = _client(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("t", *"odd prompts", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor), app.screen
        from textual.widgets import TextArea

        shown = str(editor.query_one("#f-complaint", TextArea).placeholder)
        assert "[@click=app.quit]Where[/]" in shown and "\x1b" not in shown
        assert "[b]Head[/b] forward?" in str(editor.query_one("#h-posture").render())
        assert not app._exit


async def test_a_sentence_from_the_wording_library_goes_into_when_to_get_in_touch(sctx,
                                                                                  settings):
    from textual.widgets import TextArea

    from notes_tui.ui.dialogs import PickerDialog

    cid = _client(sctx)
    with sctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=sctx.settings).id
        notes.save_draft(nid, {"when_to_contact": "Call me with any questions."}, session=s,
                         actor="A")
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 4)
        await settle(pilot)
        editor = app.screen
        area = editor.query_one("#f-when_to_contact", TextArea)
        area.focus()
        await pilot.pause()
        assert any(b.binding.action == "wording" for b in editor.active_bindings.values())
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, PickerDialog)
        await pilot.press(*"jaw", "enter")
        await settle(pilot)
        assert app.screen is editor and app.focused is area
        await pilot.press("ctrl+l")  # the same sentence again is not added twice
        await settle(pilot)
        await pilot.press(*"jaw", "enter")
        await settle(pilot)
        editor.query_one("#f-advice", TextArea).focus()  # no library for advice
        await pilot.pause()
        assert not any(b.binding.action == "wording" for b in editor.active_bindings.values())
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = note_content(sctx, nid).content.when_to_contact
    lines = text.split("\n")
    assert lines[0] == "Call me with any questions." and len(lines) == 2
    assert "dentist" in lines[1]  # the [when_to_contact.jaw] sentence of the library
