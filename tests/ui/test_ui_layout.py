"""At 80x24 every screen stays readable: the footer's keys are whole (the way back and the main
action among them), table columns narrow a long name with an ellipsis instead of pushing the
other columns off screen, and multi-line fields show three lines of text."""

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, TextArea

from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.table import fit_widths
from tests.ui.helpers import demo_with_draft, settle, steady

LONG_NAME = "Maximiliana Wilhelmina von Hohenzollern-Sigmaringen-Auerstedt"


@pytest.fixture
def demo(sqlite_url, settings):
    yield from demo_with_draft(sqlite_url, settings, extra_clients=(LONG_NAME,))


def _app(ctx, settings):
    return make_app(ctx.url, settings, context_factory=lambda: ctx)


def assert_footer_whole(app, *labels: str) -> None:
    """Each label is a footer key drawn whole: its region holds all of its text and ends left
    of the help keys at the right, on screen."""
    footer = app.screen.query_one(NotesFooter)
    right = footer.query_one("HorizontalGroup.-right")
    shown = []
    for key in footer.query("FooterKey"):
        text = key.render().plain
        if key.parent is right:
            continue
        assert key.region.width >= cell_len(text), text
        assert key.region.right <= right.region.x <= app.size.width, text
        shown.append(" ".join(text.split()))
    for label in labels:
        assert label in shown, (label, shown)
    assert "f1 Help" in [" ".join(k.render().plain.split()) for k in right.query("FooterKey")]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_each_screen_shows_its_main_keys_whole(demo, settings, size):
    ctx, draft = demo
    app = _app(ctx, settings)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        assert_footer_whole(app, "^q Quit", "^n Add client", "/ Search notes", "^o Due back")
        app.go_to_client(draft.client_id)
        await steady(pilot)
        assert_footer_whole(app, "esc Back", "n New note", "s Same as last", "t From template")
        for step in (1, 2, 4):
            app.open_note(draft.id, draft.client_id, step)
            await steady(pilot)
            assert isinstance(app.screen, NoteEditor)
            assert_footer_whole(app, "esc Back", "^n Next step", "^r Last time")
            await pilot.press("escape")
            await steady(pilot)
        app.open_note(draft.id, draft.client_id, 5)
        await steady(pilot)
        assert_footer_whole(app, "esc Back", "f Finalize", "^n Next step")


async def test_a_long_client_name_narrows_with_an_ellipsis_and_keeps_the_other_columns(
        demo, settings):
    ctx, _ = demo
    app = _app(ctx, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        table = app.screen.query_one("#clients", DataTable)
        header = table.render_line(0).text
        for label in ("Name", "Preferred", "Last visit", "Drafts", "Notes"):
            assert label in header, header
        rows = [table.render_line(y).text for y in range(1, table.row_count + 1)]
        long_row = next(r for r in rows if r.lstrip().startswith("Maximiliana"))
        assert "…" in long_row and LONG_NAME not in long_row
        assert long_row.rstrip().endswith("0")  # its Notes count is still on screen
        assert any("Kofi Evans" in r and "2026-02-28" in r for r in rows)  # 2 days before today
        assert table.virtual_size.width <= table.size.width  # nothing to scroll sideways to
        # with room, the whole name comes back
        await pilot.resize_terminal(140, 40)
        await steady(pilot)
        rows = [table.render_line(y).text for y in range(1, table.row_count + 1)]
        assert any(LONG_NAME in r for r in rows)


async def _open_step(pilot, draft, step: int) -> None:
    await settle(pilot)
    pilot.app.open_note(draft.id, draft.client_id, step)
    await steady(pilot)


async def test_trigger_points_keep_every_column_at_80x24(demo, settings):
    ctx, draft = demo
    app = _app(ctx, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_step(pilot, draft, 2)
        table = app.screen.query_one("#t-trigger_points", DataTable)
        header = table.render_line(0).text
        for label in ("Muscle", "Side", "Pressure", "Response", "Refers to"):
            assert label in header, header
        first = table.render_line(1).text
        assert "Soleus" in first and "4/10" in first
        # "Refers to" shows more than the five characters it used to, ending in "…"
        refers = first[header.index("Refers to"):].strip()
        assert len(refers) >= 12 and refers.endswith("…"), first
        assert table.virtual_size.width <= table.size.width


async def test_multi_line_fields_show_three_lines(demo, settings):
    ctx, draft = demo
    app = _app(ctx, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_step(pilot, draft, 1)
        for key in ("complaint", "pain_locations"):
            area = app.screen.query_one(f"#f-{key}", TextArea)
            assert area.scrollable_content_region.height >= 3, key
        area = app.screen.query_one("#f-pain_locations", TextArea)
        area.load_text("heel\narch\ncalf")
        await settle(pilot)
        shown = [area.render_line(y).text for y in range(area.size.height)]
        for place in ("heel", "arch", "calf"):
            assert any(place in line for line in shown), shown


async def test_the_client_form_shows_three_lines_a_text_field_when_there_is_room(demo, settings):
    """At 40 rows; at 24 the short form keeps every field in view instead (test_ui_screens)."""
    ctx, draft = demo
    app = _app(ctx, settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(draft.client_id)
        await steady(pilot)
        await pilot.press("e")
        await steady(pilot)
        assert isinstance(app.screen, FormDialog) and not app.screen.has_class("-short")
        areas = list(app.screen.query(TextArea))
        assert areas
        for area in areas:
            assert area.scrollable_content_region.height >= 3, area.id


def test_fit_widths_caps_the_widest_and_keeps_the_floors():
    assert fit_widths([10, 5], [8, 5], 20) == [10, 5]  # fits: untouched
    assert fit_widths([60, 9, 10, 6, 5], [8, 9, 10, 6, 5], 60) == [30, 9, 10, 6, 5]
    assert fit_widths([22, 10, 8, 8, 30], [8, 8, 8, 8, 9], 60) == [17, 10, 8, 8, 17]
    assert fit_widths([50, 50], [8, 9], 10) == [8, 9]  # no room: the floors, it scrolls


async def test_a_final_note_and_its_amendment_show_their_main_keys_whole(demo, settings):
    from notes_tui.services.notes import list_notes
    from notes_tui.ui.screens.final_note import FinalNoteScreen

    ctx, _ = demo
    with ctx.read() as s:
        final = list_notes(session=s, status="final", limit=1)[0]
    app = _app(ctx, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        app.go_to_client(final.client_id)
        await steady(pilot)
        app.push_screen(FinalNoteScreen(final.id))
        await steady(pilot)
        assert_footer_whole(app, "esc Back", "m Amend", "e Handout PDF")
        await pilot.press("m")
        await steady(pilot)
        assert_footer_whole(app, "esc Back", "^n Next step", "^r Last time")
        await pilot.press("f6")
        await steady(pilot)
        assert_footer_whole(app, "esc Back", "f Save amendment", "^n Next step")
