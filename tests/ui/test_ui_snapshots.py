"""Snapshots of the clients screen and a client screen, at 80x24 and 120x40, on demo
data with a fixed clock and a frozen copy of the catalog (tests/ui/catalog), so that catalog edits
elsewhere do not move these pictures. Regenerate on purpose: pytest tests/ui --snapshot-update."""

import pytest

from notes_tui.services.context import open_context
from notes_tui.ui.app import make_app
from tests.ui.helpers import SNAPSHOT_CATALOG, seed_demo, settle, steady

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo(sqlite_url, settings):
    ctx = open_context(sqlite_url, settings, catalog_dirs=(SNAPSHOT_CATALOG, None))
    seed_demo(ctx, settings)
    from notes_tui.services.notes import list_notes

    with ctx.read() as s:
        draft = list_notes(session=s, status="draft", limit=1)[0]
    yield ctx, draft
    ctx.dispose()


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


# The five editor steps are not snapshot-tested yet: their pictures were not deterministic
# (the review step's scroll position and table measuring land at varying times; 1-2 of 10
# failed per run). The Pilot tests in test_ui_flow.py cover their behaviour meanwhile.
