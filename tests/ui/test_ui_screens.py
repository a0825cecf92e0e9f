"""The clients screen's archived clients, the minimum-size guard, and multi-line pastes into
one-line fields."""

import pytest
from textual import events
from textual.widgets import DataTable, Input, TextArea

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from notes_tui.ui.help import HelpScreen
from notes_tui.ui.screens.clients import ClientsScreen
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.screens.too_small import MIN_SIZE, TooSmallScreen
from notes_tui.ui.widgets.field_message import FieldMessage
from notes_tui.ui.widgets.inputs import PASTE_WARNING
from tests.ui.helpers import client_with_draft, note_content, settle


def _names(app) -> list[str]:
    table = app.screen.query_one("#clients", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_archived_clients_are_shown_on_request_and_restored(sctx, settings):
    with sctx.write() as s:
        clients.create_client({"name": "Ann Active"}, session=s, actor="A")
        bea = clients.create_client({"name": "Bea Gone"}, session=s, actor="A").id
        clients.archive_client(bea, session=s, actor="A")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _names(app) == ["Ann Active"]
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert _names(app) == ["Ann Active", "Bea Gone  archived"]
        assert "archived too" in str(app.screen.query_one("#status").render())
        await pilot.press("down")
        ids = {a.binding.id for a in app.screen.active_bindings.values()}
        assert "clients.restore" in ids and "clients.archive" not in ids
        await pilot.press("ctrl+r")
        await settle(pilot)
        with sctx.read() as s:
            assert not clients.get_client(bea, session=s).archived
        assert _names(app) == ["Ann Active", "Bea Gone"]
        await pilot.press("ctrl+t")  # hide archived again: Bea is back in the ordinary list
        await settle(pilot)
        assert _names(app) == ["Ann Active", "Bea Gone"]
        assert "archived too" not in str(app.screen.query_one("#status").render())


async def test_below_the_minimum_size_a_message_covers_the_app(sctx, settings):
    cid, nid = client_with_draft(sctx)
    small = (MIN_SIZE[0] - 1, MIN_SIZE[1] + 4)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(50, 15)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        shown = str(app.screen.query_one("#too-small").render())
        assert "50×15" in shown and f"{MIN_SIZE[0]}×{MIN_SIZE[1]}" in shown
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        app.open_note(nid, cid)
        await settle(pilot)
        await pilot.press(*"Sore")
        await pilot.resize_terminal(*small)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert note_content(sctx, nid).content.complaint == "Sore"  # saved as it was covered
        await pilot.press("x", "y")  # taken by the message, typed nowhere
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert app.focused is editor.query_one("#f-complaint", TextArea)
        assert app.focused.text == "Sore"


async def test_a_multi_line_paste_into_a_one_line_field_says_what_was_kept(sctx, settings):
    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")  # the add-client dialog: its name field
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.post_message(events.Paste("Jane\nDoe\n"))
        await settle(pilot)
        assert app.screen.query_one("#f-name", Input).value == "Jane"
        assert app.screen.query_one("#m-name", FieldMessage).message == PASTE_WARNING
        await pilot.press("escape")  # something was typed: the form asks before discarding it
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        app.open_note(nid, cid)
        await settle(pilot)
        editor = app.screen
        editor.query_one("#f-duration_minutes", Input).focus()
        app.post_message(events.Paste("45\n30 min of it on the neck"))
        await settle(pilot)
        assert editor.query_one("#f-duration_minutes", Input).value == "45"
        message = editor.query_one("#m-duration_minutes", FieldMessage)
        assert message.message == PASTE_WARNING
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert note_content(sctx, nid).content.duration_minutes == 45
        assert message.message == PASTE_WARNING  # still there after saving
        await pilot.press("backspace")  # the next edit clears it
        assert message.message == ""
        editor.query_one("#f-complaint", TextArea).focus()
        app.post_message(events.Paste("Neck\nand shoulders"))  # a text area keeps every line
        await settle(pilot)
        assert editor.query_one("#f-complaint", TextArea).text == "Neck\nand shoulders"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # back to the clients screen and its search field
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        app.post_message(events.Paste("Jane\nDoe"))
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "Jane"
        assert any(n.message == PASTE_WARNING for n in app._notifications)


@pytest.mark.parametrize("width", [80, 110])
async def test_the_history_status_column_stays_on_screen(sctx, settings, width):
    """The "No notes yet" row once widened the Date column for good: after the first note the
    Status column (draft or final) was pushed off an 80-column terminal; at 110 columns the side
    panel beside the history cut it off."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        with sctx.write() as s:
            notes.start_draft(cid, session=s, settings=sctx.settings, content={
                "complaint": "Right-sided neck pain and headaches at the temple"})
        app.screen.reload()
        await settle(pilot)
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == 1
        header, row = (table.render_line(i).text for i in (0, 1))
        assert "Status" in header and "draft" in row, (header, row)


async def test_back_from_a_note_the_history_cursor_is_on_that_note(sctx, settings):
    """Two drafts started and left: Enter on the history opens the one just left, not whatever
    row the cursor was on before new rows pushed it down; empty drafts stay out of the trend."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        for pain in (6, 4):
            notes.start_draft(cid, session=s, settings=sctx.settings,
                              content={"complaint": "Neck", "pain_before": pain,
                                       "pain_after": pain - 2})
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        client_screen = app.screen
        assert "Pain trend" in str(client_screen.query_one("#trend").render())
        opened = []
        for _ in range(2):
            await pilot.press("n")
            await settle(pilot)
            opened.append(app.screen.note_id)
            await pilot.press(*"Calf")
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is client_screen
        assert client_screen.current().id == opened[-1]
        trend = str(client_screen.query_one("#trend").render())
        assert "- → -" not in trend  # the new drafts have no pain yet
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.note_id == opened[0]


async def test_same_as_last_time_says_which_note_it_copied_and_warns_of_open_drafts(sctx,
                                                                                  settings):
    from tests.conftest import full_note

    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"},
                                    session=s, actor="A").id
        first = notes.start_draft(cid, session=s, settings=sctx.settings,
                                  content=full_note()).id
        notes.finalize(first, session=s, actor="A")
        notes.start_draft(cid, session=s, settings=sctx.settings)  # left open earlier
    day = note_content(sctx, first).local_start
    app = make_app(sctx.url, settings)
    told: list[str] = []  # every notice, kept (on a loaded machine a toast can expire first)
    notify = app.notify
    app.notify = lambda message, *a, **k: (told.append(str(message)), notify(message, *a, **k))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        said = " ".join(told)
    assert f"copied from the note of {day:%Y-%m-%d}" in said
    assert "1 earlier draft still open" in said


async def test_a_client_just_added_is_under_the_cursor(sctx, settings):
    with sctx.write() as s:
        for name in ("Aaron Abel", "Bea Berg", "Cleo Cruz"):
            clients.create_client({"name": name}, session=s, actor="A")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press(*"Bo Brandt", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert app.screen.current().name == "Bo Brandt"
        await pilot.press("enter")  # opens the new client
        await settle(pilot)
        assert "Bo Brandt" in str(app.screen.query_one("#client-head").render())


async def test_last_time_on_a_narrow_screen_replaces_the_step_instead_of_squeezing_it(sctx,
                                                                                      settings):
    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await settle(pilot)
        editor = app.screen
        steps, previous = editor.query_one("#steps"), editor.query_one("#previous")
        assert steps.display and not previous.display
        await pilot.press("alt+p")
        await pilot.pause()
        assert previous.display and not steps.display and previous.region.width >= 70
        assert app.focused is previous
        await pilot.press("x")  # goes nowhere: no hidden field takes it
        await pilot.press("alt+p")
        await pilot.pause()
        assert steps.display and not previous.display
        assert app.focused is editor.query_one("#f-complaint", TextArea)
        await pilot.press("alt+p", "f3")  # a step key brings the steps back too
        await pilot.pause()
        assert steps.display and editor.step == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert note_content(sctx, nid).content.complaint == ""


async def test_the_whole_client_form_fits_an_80x24_terminal(sctx, settings):
    """Bordered inputs left room for two fields at a time at 80x24; on a short terminal the form
    uses one-line inputs: all but the last field, and the Save button, show at once."""
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog) and form.has_class("-short")
        body = form.query_one(".form-body")
        assert body.max_scroll_y <= 2
        for key in ("name", "date_of_birth", "consent_on_file", "contraindications"):
            assert body.region.contains_region(form.query_one(f"#f-{key}").region), key
        save = form.query_one("#save")
        assert 0 < save.region.bottom <= 24 and save.region.height >= 1


async def test_a_draft_started_by_mistake_is_discarded_after_a_question(sctx, settings):
    """x on a draft asks first (Enter keeps it); y deletes it. A finalized note has no discard."""
    from tests.conftest import full_note

    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"},
                                    session=s, actor="A").id
        final = notes.start_draft(cid, session=s, settings=sctx.settings,
                                  content=full_note()).id
        notes.finalize(final, session=s, actor="A")
        wrong = notes.start_draft(cid, session=s, settings=sctx.settings,
                                  content={"complaint": "Wrong template"}).id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        client_screen = app.screen
        assert client_screen.current().id == wrong  # newest first
        await pilot.press("x", "enter")  # Enter answers "Keep"
        await settle(pilot)
        assert app.screen is client_screen
        with sctx.read() as s:
            assert len(notes.list_notes(session=s, client_id=cid)) == 2
        await pilot.press("x", "y")
        await settle(pilot)
        for _ in range(400):  # the history reloads in a worker once the draft is gone
            if [n.id for n in client_screen._notes] == [final]:
                break
            await pilot.pause(0.05)
        assert [n.id for n in client_screen._notes] == [final]
        await pilot.press("x")  # on the finalized note: nothing happens
        await settle(pilot)
        assert app.screen is client_screen
    with sctx.read() as s:
        assert [n.id for n in notes.list_notes(session=s, client_id=cid)] == [final]


async def test_f1_help_stays_in_the_footer_at_80_columns(sctx, settings):
    """Textual lists the app's keys after the screen's, so at 80 columns "f1 Help" was cut off
    on every screen; it is now shown at the right, beside the palette key, on each of them."""
    from textual.widgets._footer import FooterKey

    cid, _nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:

        async def help_key_on_screen() -> bool:
            await settle(pilot)
            keys = [k for k in app.screen.query(FooterKey) if k.description == "Help"]
            return len(keys) == 1 and keys[0].region.right <= 80 and keys[0].region.width > 0

        assert await help_key_on_screen()  # clients
        app.go_to_client(cid)
        assert await help_key_on_screen()
        await pilot.press("enter")  # the draft, in the editor
        assert isinstance(app.screen, NoteEditor)
        assert await help_key_on_screen()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_new_note_left_untouched_is_not_kept(sctx, settings):
    """n then Esc (or a template then Esc) leaves no draft that shows as a visit; a single
    typed letter keeps the note, and a draft opened from the history is never dropped."""
    cid, kept = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        for keys in (("n",), ("t", *"heel", "enter", "l")):
            await pilot.press(*keys)
            await settle(pilot)
            assert isinstance(app.screen, NoteEditor)
            await pilot.press("escape")
            await settle(pilot)
        with sctx.read() as s:
            assert [n.id for n in notes.list_notes(session=s, client_id=cid)] == [kept]
        await pilot.press("enter")  # the old draft, untouched: kept
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("x", "escape")
        await settle(pilot)
    with sctx.read() as s:
        rows = notes.list_notes(session=s, client_id=cid)
    assert len(rows) == 2 and kept in [n.id for n in rows]
    assert any(note_content(sctx, n.id).content.complaint == "x" for n in rows)


async def test_with_only_archived_clients_there_is_no_welcome_and_no_sample_data(sctx, settings):
    """The welcome's "load sample data" would mix twelve invented clients into a real database
    whose clients are all archived."""
    with sctx.write() as s:
        bea = clients.create_client({"name": "Bea Gone"}, session=s, actor="A").id
        clients.archive_client(bea, session=s, actor="A")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#welcome").display
        assert "Every client is archived" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+d")
        await settle(pilot)
    with sctx.read() as s:
        assert [c.id for c in clients.list_clients(session=s, include_archived=True)] == [bea]


async def test_the_unsigned_note_warning_lets_the_therapist_set_their_name(sctx):
    """No therapist_name in the settings: the review warns; Enter on the warning asks for the
    name, which goes into settings.toml, signs this draft, and the warning goes."""
    from dataclasses import replace

    from notes_tui.paths import settings_file
    from notes_tui.settings import load_settings
    from notes_tui.ui.screens.editor import finalize
    from tests.conftest import full_note

    unnamed = replace(sctx.settings, therapist_name="", registration_number="")
    sctx.settings = unnamed
    cid, nid = client_with_draft(sctx, content=full_note())
    app = make_app(sctx.url, unnamed, context_factory=lambda: sctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("enter", "f6")
        await settle(pilot)
        editor = app.screen
        [at] = [i for i, item in enumerate(editor.checklist_items) if item.key == "therapist"]
        finalize.jump(editor, at)
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Ana Lee", "tab", *"RMT-77", "ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert not any(item.key == "therapist" for item in editor.checklist_items)
        assert app.settings.therapist_name == "Ana Lee"
    assert load_settings(settings_file()).registration_number == "RMT-77"
    view = note_content(sctx, nid)
    assert (view.therapist_name, view.therapist_registration) == ("Ana Lee", "RMT-77")
