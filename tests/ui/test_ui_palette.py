"""The command palette (ctrl+p): go to a client and start a new note by searching for the
client, open a draft, finalize, and the theme."""

from textual.command import CommandPalette

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.client import ClientScreen
from notes_tui.ui.screens.editor import NoteEditor
from tests.ui.helpers import settle


def _seed(ctx) -> tuple[int, int]:
    with ctx.write() as s:
        clients.create_client({"name": "Ann Other"}, session=s, actor="A")
        jane = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
    return jane, 0


def _prompts(app) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def _palette(pilot, text: str) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text)
    await settle(pilot)
    await pilot.pause(0.3)  # the palette gathers its hits on a short debounce
    await settle(pilot)
    return _prompts(pilot.app)


async def test_go_to_client_and_new_note_through_the_palette(sctx, settings):
    jane, _ = _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await _palette(pilot, "jane")
        assert any("Go to client: Jane Doe" in p for p in shown), shown
        assert any("New note for Jane Doe" in p for p in shown), shown
        assert not any("Ann Other" in p for p in shown)
        await pilot.press("enter")  # the best hit: go to the client
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == jane

        shown = await _palette(pilot, "new note for jane")
        assert "New note for Jane Doe" in shown[0], shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.client_id == jane
        draft = app.screen.note_id
        with sctx.read() as s:
            [summary] = notes.list_notes(session=s, client_id=jane)
        assert summary.id == draft and summary.status == "draft"
        await pilot.press(*"Neck")  # a new note left untouched would not be kept
        await settle(pilot)

        # the editor offers finalize; the clients screen offers the open draft and the theme
        shown = await _palette(pilot, "finalize")
        assert any("Finalize note" in p for p in shown), shown
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "escape")  # editor, then the client screens
        await settle(pilot)
        shown = await _palette(pilot, "open draft")
        assert any("Open draft: Jane Doe" in p for p in shown), shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor) and app.screen.note_id == draft
        shown = await _palette(pilot, "theme")
        assert any("theme" in p.lower() for p in shown), shown


def test_the_client_part_of_a_palette_query():
    from notes_tui.ui.commands import client_query

    assert client_query("jane") == ("jane", False)
    assert client_query("New note for  Jane D") == ("Jane D", True)
    assert client_query("go to client: jane") == ("jane", True)
    assert client_query("go to jane") == ("jane", True)
    assert client_query("gordon") == ("gordon", False)  # a name, not "go"


async def test_a_note_from_a_template_through_the_palette(sctx, settings):
    from notes_tui.ui.dialogs import PickerDialog

    jane, _ = _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(jane)
        await settle(pilot)
        shown = await _palette(pilot, "template")
        assert any("New note from a template" in p for p in shown), shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerDialog)
        await pilot.press(*"heel", "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
    with sctx.read() as s:
        [summary] = notes.list_notes(session=s, client_id=jane)
        assert notes.get_note(summary.id, session=s).template_id == "heel_pain"


async def test_your_name_through_the_palette(sctx, settings):
    """From anywhere: ctrl+p "your name" asks for the name and registration; saved, they sign
    what the therapist writes next."""
    from notes_tui.paths import settings_file
    from notes_tui.settings import load_settings
    from notes_tui.ui.dialogs import FormDialog

    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = await _palette(pilot, "your name")
        assert "Your name and registration number" in shown[0], shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*["backspace"] * 7, *"Bo Ek", "ctrl+s")  # the form held "Ana Lee"
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
        assert app.settings.therapist_name == "Bo Ek"
        assert app.settings.timezone == "America/Toronto"  # the rest of the settings unchanged
    assert load_settings(settings_file()).therapist_name == "Bo Ek"
