"""Bindings have ids and descriptions, help is generated from them, and user text is inert."""

import contextlib
import inspect
import io

from rich.console import Console
from textual.binding import Binding
from textual.widgets import Input, Static

import notes_tui.ui.app as app_module
from notes_tui.services import clients, notes
from notes_tui.ui import dialogs
from notes_tui.ui import help as help_module
from notes_tui.ui.app import make_app
from notes_tui.ui.screens import client, final_note
from notes_tui.ui.screens import clients as clients_screen
from notes_tui.ui.screens.editor import screen as editor
from notes_tui.ui.widgets import row_table
from tests.conftest import full_note, hostile
from tests.ui.helpers import settle


def test_every_binding_has_an_id_and_a_description():
    modules = (app_module, dialogs, help_module, client, clients_screen, editor, final_note,
               row_table)
    found = 0
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for b in cls.__dict__.get("BINDINGS", []):
                assert isinstance(b, Binding), (cls, b)
                assert b.id and b.description, (cls, b)
                found += 1
    assert found > 30


async def test_f1_help_is_generated_from_live_bindings_and_question_mark_types(sctx, settings):
    with sctx.write() as s:
        clients.create_client({"name": "Jane Doe"}, session=s, actor="A")
    app = make_app(sctx.url, settings, )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")  # the search field has focus: "?" is typed
        assert app.screen.query_one("#search", Input).value == "?"
        await pilot.press("backspace", "f1")
        assert isinstance(app.screen, help_module.HelpScreen)
        console = Console(width=120, file=io.StringIO(), record=True)
        for renderable in app.screen.renderables:
            console.print(renderable)
        shown = console.export_text()
        assert "Add client" in shown and "fuzzy" in shown  # live bindings and the screen HELP
        assert "Step" not in shown  # only what applies here
        # the app's own keys come before Textual's editing and moving keys
        assert shown.index("Add client") < shown.index("Editing and moving")
        assert shown.index("Editing and moving") < shown.index("Move cursor")
        await pilot.press("escape")
        assert not isinstance(app.screen, help_module.HelpScreen)


async def test_hostile_text_is_shown_literally_on_client_and_editor(sctx, settings):
    names = []
    with sctx.write() as s:
        for e in hostile("name"):
            with contextlib.suppress(ValueError):
                c = clients.create_client({"name": e["value"]}, session=s, actor="A")
                names.append((c.id, e["value"]))
        cid = next(i for i, n in names if n == "[@click=app.quit]Jane[/]")
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note(
            complaint="[/]\x1b[2J[b]bold?[/b]", trigger_points=[
                {"muscle": "[@click=app.quit]m[/]", "side": "left"}])).id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        head = str(app.screen.query_one("#client-head", Static).render())
        assert "[@click=app.quit]Jane[/]" in head
        await pilot.click("#client-head")
        app.open_note(nid, cid, 2)
        await settle(pilot)
        table = app.screen.query_one("#t-trigger_points")
        assert "[@click=app.quit]m[/]" in str(table.get_row_at(0)[1])
        await pilot.click("#t-trigger_points")
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.query_one("#f-complaint").text.startswith("[/]")
        await pilot.press("f6")
        await settle(pilot)
        assert app.is_running


def test_wrapped_lines_keep_the_indent_of_the_line_they_continue():
    from rich.console import Console as RichConsole
    from rich.text import Text

    from notes_tui.ui.text import Hanging

    text = Text("1. Upper trapezius Right\n   refers to Posterolateral neck, behind the ear, temple "
                "(tension-type headache)\n• sternocleidomastoid, inner part (front of the neck)")
    console = RichConsole(width=40, file=io.StringIO(), record=True)
    console.print(Hanging(text))
    lines = console.export_text().splitlines()
    assert lines[1].startswith("   refers to") and len(lines) >= 5
    referral = [ln for ln in lines[2:] if not ln.startswith("•")][:2]
    assert all(ln.startswith("   ") and ln[3] != " " for ln in referral)
    bullet = lines.index(next(ln for ln in lines if ln.startswith("•")))
    assert lines[bullet + 1].startswith("  ") and lines[bullet + 1][2] != " "
    assert str(Hanging(text)) == text.plain
