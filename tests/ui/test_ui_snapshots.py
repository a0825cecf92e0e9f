"""Snapshots of the clients screen, a client screen and the five editor steps, at 80x24 and
120x40, on demo data with a fixed clock and a frozen copy of the catalog (tests/ui/catalog), so
that catalog edits elsewhere do not move these pictures. Regenerate on purpose:
pytest tests/ui --snapshot-update.

What made the editor pictures differ from run to run, and where each is fixed:
* the text cursor blinked (0.5 s cycle): with animations off the app does not blink it
  (NotesApp.on_descendant_focus; tests/ui/conftest.py turns animations off);
* DataTable widened a column on idle after a frame had cached rows at the old width
  (ui/widgets/table.py measures as rows are added);
* focusing a step's first field scrolled the step after a refresh, by an amount that depended on
  what had been laid out by then (the editor now opens each step at its top);
* loading the note counted as an edit, so a "saving…" could appear half a second later
  (the editor loads its fields without Changed messages).
`steady` still waits until three screenshots in a row agree, with the workers done."""

import pytest

from notes_tui.ui.app import make_app
from tests.ui.helpers import demo_with_draft, settle, steady

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo(sqlite_url, settings):
    yield from demo_with_draft(sqlite_url, settings)


def _app(ctx, settings):
    return make_app(ctx.url, settings, context_factory=lambda: ctx)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_clients_screen(snap_compare, demo, settings, size):
    ctx, _ = demo
    assert snap_compare(_app(ctx, settings), terminal_size=size, run_before=steady)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_client_screen(snap_compare, demo, settings, size):
    ctx, draft = demo

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.go_to_client(draft.client_id)
        await steady(pilot)

    assert snap_compare(_app(ctx, settings), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_editor_step(snap_compare, demo, settings, size, step):
    """The demo's first draft opened at each step (at 80x24 the last-time panel is folded)."""
    ctx, draft = demo

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_note(draft.id, draft.client_id, step)
        await steady(pilot)

    assert snap_compare(_app(ctx, settings), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("step", [2, 5])
def test_editor_in_the_light_theme(snap_compare, demo, settings, step):
    """The trigger points (with the cursor bar on a row) and the review, in textual-light."""
    from dataclasses import replace

    ctx, draft = demo

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_note(draft.id, draft.client_id, step)
        await steady(pilot)

    app = _app(ctx, replace(settings, theme="textual-light"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
