"""The editor while its note is still loading, and the two things that made editor pictures
differ from run to run (a blinking cursor; table columns measured after a frame was drawn)."""

import threading

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Input, TextArea

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.widgets.table import Table
from tests.ui.helpers import client_with_draft, note_content, settle


def _slow_load(monkeypatch, note_id: int) -> threading.Event:
    """The editor's load of `note_id` waits until the returned event is set."""
    release = threading.Event()
    real = notes.get_note

    def get_note(nid, *, session):
        if nid == note_id and not release.is_set():
            assert release.wait(10), "the test never released the load"
        return real(nid, session=session)

    monkeypatch.setattr(notes, "get_note", get_note)
    return release


async def test_keys_typed_while_the_note_loads_land_where_they_were_aimed(sctx, settings,
                                                                          monkeypatch):
    cid, nid = client_with_draft(sctx)
    with sctx.write() as s:  # something already in the draft, which the load must not lose
        notes.save_draft(nid, {"advice": "Drink water."}, session=s, actor="A")
    release = _slow_load(monkeypatch, nid)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and not editor._ready
        assert app.focused is None  # nothing to type into yet
        # complaint, Tab to pain before, 5; F5 (follow-up: the cursor goes to pain after), 3
        await pilot.press(*"Sore neck", "tab", "5", "f5", "3")
        assert not editor._ready  # all of it typed before the note arrived
        release.set()
        await settle(pilot)
        assert editor.query_one("#f-complaint", TextArea).text == "Sore neck"
        assert editor.query_one("#f-pain_before", Input).value == "5"
        assert editor.query_one("#f-pain_after", Input).value == "3"
        assert editor.step == 4
        await pilot.press("x")  # typed after the replay: goes on where the cursor is
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert editor.query_one("#f-pain_after", Input).value == "3"  # "x" refused in pain
    c = note_content(sctx, nid).content
    assert (c.complaint, c.pain_before, c.pain_after) == ("Sore neck", 5, 3)
    assert c.advice == "Drink water."


async def test_quit_is_not_held_while_the_note_loads(sctx, settings, monkeypatch):
    cid, nid = client_with_draft(sctx)
    release = _slow_load(monkeypatch, nid)
    app = make_app(sctx.url, settings)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.open_note(nid, cid)
            await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app._exit  # exiting although the note never loaded
    finally:
        release.set()


async def test_opening_a_note_does_not_count_as_an_edit(sctx, settings):
    """Loading the fields posts no Changed messages: nothing to save, no 'saving…' flicker."""
    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with sctx.write() as s:
            notes.save_draft(nid, {"complaint": "Tight calves", "pain_before": 4}, session=s,
                             actor="A")
        app.open_note(nid, cid)
        await settle(pilot)
        editor = app.screen
        assert editor.query_one("#f-complaint", TextArea).text == "Tight calves"
        assert not editor.autosaver.dirty and editor.autosaver.saves == 0


async def test_with_animations_off_the_focused_cursor_does_not_blink(sctx, settings):
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.animation_level == "none"  # tests/ui/conftest.py
        search = app.screen.query_one("#search", Input)
        assert app.focused is search and search.cursor_blink is False


class _Tables(App):
    def compose(self):
        yield Table(id="ours")
        yield DataTable(id="stock")


async def test_table_columns_fit_their_cells_in_the_first_frame_after_add_row():
    """Textual's DataTable widens a column on idle, after a frame may already have been drawn
    (and cached) with the narrow width; Table measures as the row is added."""
    app = _Tables()
    async with app.run_test(size=(80, 10)) as pilot:
        for table in app.query(DataTable):
            table.add_column("Name")
        await pilot.pause()
        for table in app.query(DataTable):
            table.add_row(Text("Jasmine Virtanen"))
        ours, stock = app.query_one("#ours", Table), app.query_one("#stock", DataTable)
        drawn = [t.render_line(1).text for t in (ours, stock)]  # a frame before idle
        assert "Jasmine Virtanen" in drawn[0]
        assert "Jasmine" not in drawn[1]  # the stock table draws "Jasm" until it measures
        await pilot.pause()
        assert "Jasmine Virtanen" in ours.render_line(1).text
        assert [c.content_width for c in ours.ordered_columns] == [16]


async def test_keys_typed_while_a_new_note_is_created_go_into_it(sctx, settings, monkeypatch):
    """n opens the editor at once; the draft is made in its worker. Typing "Sore neck" right
    after n used to reach the client screen: its n and s started two more drafts and e opened
    "Edit client"."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
    release = threading.Event()
    real = notes.start_draft

    def start_draft(*args, **kwargs):
        assert release.wait(10), "the test never released the draft"
        return real(*args, **kwargs)

    monkeypatch.setattr(notes, "start_draft", start_draft)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("n", *"Sore neck", "tab", "5")
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.note_id is None
        release.set()
        await settle(pilot)
        assert app.screen is editor and editor.note_id is not None
        await pilot.press("ctrl+s")
        await settle(pilot)
    with sctx.read() as s:
        [draft] = notes.list_notes(session=s, client_id=cid)
    c = note_content(sctx, draft.id).content
    assert (c.complaint, c.pain_before) == ("Sore neck", 5)


async def test_a_burst_of_keys_after_n_all_go_into_the_new_note(sctx, settings):
    """Keys arriving together (a fast typist, a paste-like burst through the terminal) reach the
    app before "n" has been handled: they must still end up in the new note, in order."""
    from textual import events

    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        first = notes.start_draft(cid, session=s, settings=sctx.settings).id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        burst = ["n", *"Sore neck", "tab", "5"]
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.note_id != first
        await pilot.press("ctrl+s")
        await settle(pilot)
        # down then Enter, together: the draft under the cursor after "down" is opened
        await pilot.press("escape")
        await settle(pilot)
        for key in ("down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.note_id == first
    with sctx.read() as s:
        drafts = notes.list_notes(session=s, client_id=cid)
    assert len(drafts) == 2  # the first one and exactly one new one
    c = note_content(sctx, editor.note_id).content
    assert (c.complaint, c.pain_before) == ("Sore neck", 5)


async def test_a_burst_of_keys_after_a_reaches_the_picker(sctx, settings):
    """"a" then "utr" and Enter, arriving together: the picker opens, filters and takes upper
    trapezius (before, the letters reached the table: r set a side, t was lost)."""
    from textual import events

    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 2)
        await settle(pilot)
        for key in ("a", "u", "t", "r", "enter", "l", "6"):
            app.post_message(events.Key(key, None if key == "enter" else key))
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await settle(pilot)
    [tp] = note_content(sctx, nid).content.trigger_points
    assert (tp.muscle_id, tp.side.value, tp.pressure) == ("upper_trapezius", "left", 6)
