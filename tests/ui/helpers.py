"""Helpers for the UI tests: settle the app, count keys, seed demo data with a fixed clock."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

FIXED_TODAY = date(2026, 3, 2)
SNAPSHOT_CATALOG = Path(__file__).parent / "catalog"


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up (no sleeps beyond Textual's own pauses)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot, condition, limit: float = 40.0, what: str = "") -> None:
    """Pause until `condition()` holds (a bound, not a timing: it fails only when it never
    happens)."""
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, f"never happened: {what}"
        await pilot.pause(0.1)


def pdf_text(path) -> str:
    """A PDF's text as pypdf reads it, whitespace folded."""
    from pypdf import PdfReader

    return " ".join("\n".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


async def steady(pilot, limit: int = 60) -> None:
    """Settle, then pause until three screenshots in a row are the same, with the workers done
    each time (tables measure their cells on idle; the review step loads its checklist in a
    worker after the first frames)."""
    await settle(pilot)
    previous, same = None, 0
    for _ in range(limit):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shot = pilot.app.export_screenshot()
        same = same + 1 if shot == previous else 0
        if same >= 2:
            return
        previous = shot


class KeyCounter:
    """Presses keys through Pilot, counting every press except free text."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0
        self.log: list[str] = []

    async def keys(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            self.log.append(key)
            await self.pilot.press(key)
        await settle(self.pilot, 1)

    async def text(self, value: str) -> None:
        """Free text: typed key by key, not counted."""
        await self.pilot.press(*value)
        await settle(self.pilot, 1)


def seed_demo(ctx, settings, *, clients: int = 12, notes: int = 60) -> None:
    """The sample data with a fixed 'today', so dates in snapshots never move."""
    from notes_tui.domain.enums import AuditAction
    from notes_tui.services.demo import generate
    from notes_tui.services.interchange import write_records

    c, n = generate(ctx.catalog, clients=clients, notes=notes, seed=7, tz=settings.timezone,
                    therapist=settings.therapist_name,
                    registration=settings.registration_number, today=FIXED_TODAY)
    with ctx.write() as s:
        write_records(s, c, n, actor="test", action=AuditAction.CREATE)


def demo_with_draft(sqlite_url, settings, *, extra_clients: tuple[str, ...] = ()):
    """For a fixture: (context, the demo's first draft) on demo data with the frozen catalog,
    plus clients with no notes named `extra_clients`; disposed afterwards."""
    from notes_tui.services import clients
    from notes_tui.services.context import open_context
    from notes_tui.services.notes import list_notes

    ctx = open_context(sqlite_url, settings, catalog_dirs=(SNAPSHOT_CATALOG, None))
    seed_demo(ctx, settings)
    with ctx.write() as s:
        for name in extra_clients:
            clients.create_client({"name": name}, session=s, actor="A")
    with ctx.read() as s:
        draft = list_notes(session=s, status="draft", limit=1)[0]
    yield ctx, draft
    ctx.dispose()


def note_content(ctx, note_id: int):
    from notes_tui.services.notes import get_note

    with ctx.read() as s:
        return get_note(note_id, session=s)


def only_note(ctx, client_id: int | None = None):
    from notes_tui.services.notes import list_notes

    with ctx.read() as s:
        rows = list_notes(session=s, client_id=client_id)
    assert len(rows) == 1, rows
    return note_content(ctx, rows[0].id)


def client_with_draft(ctx, content=None, name: str = "Jane Doe") -> tuple[int, int]:
    """A client and one draft note for them: (client id, note id)."""
    from notes_tui.services.clients import create_client
    from notes_tui.services.notes import start_draft

    with ctx.write() as s:
        cid = create_client({"name": name}, session=s, actor="A").id
        nid = start_draft(cid, session=s, settings=ctx.settings, content=content).id
    return cid, nid


async def open_editor(pilot, note_id: int, client_id: int):
    """Open a draft in the editor from the clients list and wait until it takes keys; returns
    the editor."""
    from notes_tui.ui.screens.editor import NoteEditor

    app = pilot.app
    await settle(pilot)
    app.open_note(note_id, client_id)
    await until(pilot, lambda: isinstance(app.screen, NoteEditor) and app.screen.editing_draft,
                what="the editor")
    return app.screen
