"""Nothing typed is dropped: on a full disk, a read-only database, a write lock another process
holds past the busy timeout, and a draft finalized or discarded by another process while it is
open, every character typed ends up in the database or in a recovery file that the next start
offers back (checked by starting a second app on the same files and accepting the offer).

The failures are real where they can be (another process holding SQLite's write lock or a
PostgreSQL row lock, another process finalizing the note, SQLite's own read-only refusal); the
full disk is a fake that raises OSError(ENOSPC) from the write path (services.notes'
write_note_content), because no test should fill a real disk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from notes_tui.services import notes as notes_module
from notes_tui.ui.app import make_app
from notes_tui.ui.recovery import ChoiceDialog
from notes_tui.ui.screens.clients import ClientsScreen
from notes_tui.ui.screens.editor import NoteEditor
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, settle, until

ROOT = Path(__file__).resolve().parents[2]



async def open_editor(pilot, note_id: int, client_id: int) -> NoteEditor:
    await settle(pilot)
    pilot.app.open_note(note_id, client_id)
    await until(pilot, lambda: isinstance(pilot.app.screen, NoteEditor)
                and pilot.app.screen.editing_draft, what="the editor opens")
    return pilot.app.screen


async def asked(pilot, what: str, limit: float = 40.0) -> str:
    """Wait for the choice dialog to be on screen (composed); return its question."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ChoiceDialog)
                and bool(app.screen.query(".dialog-title")), limit, what)
    return str(app.screen.query_one(".dialog-title", Static).render())


@contextlib.asynccontextmanager
async def editing(url: str, settings, note_id: int, client_id: int):
    """The app on `url` with the editor open on the draft: (app, pilot, editor)."""
    app = make_app(url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, note_id, client_id)
        yield app, pilot, editor


def status(editor: NoteEditor) -> str:
    """The save state: the step bar's, or in full the notice line's when a save failed."""
    bar = str(editor.query_one("#save-state", Static).render())
    if bar.startswith("✗"):
        return str(editor.query_one("#notice", Static).render())
    return bar


def recovery_files() -> list[Path]:
    from notes_tui.paths import recovery_dir

    return sorted(recovery_dir().glob("note-*.json"))


def complaint(app) -> str:
    return app.screen.query_one("#f-complaint", TextArea).text


class DiskFull:
    """The write path raises ENOSPC until `free()`."""

    def __init__(self, monkeypatch) -> None:
        self.full = True
        real = notes_module.write_note_content

        def write(*args, **kwargs):
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)

        monkeypatch.setattr(notes_module, "write_note_content", write)

    def free(self) -> None:
        self.full = False


async def accept_recovery_offer(url: str, settings, key: str = "r"):
    """Start a second app on the same files and take the recovery offer with `key`; return
    the app's editor text of the complaint when the offer reopened the note."""
    again = make_app(url, settings)
    async with again.run_test(size=(120, 40)) as pilot:
        question = await asked(pilot, "the recovery offer")
        await pilot.press(key)
        await until(pilot, lambda: isinstance(again.screen, NoteEditor)
                    and again.screen.editing_draft, what="the restored note opens")
        text = complaint(again)
        await pilot.press("ctrl+q")
        await settle(pilot)
    return question, text


# --- a full disk ---------------------------------------------------------------------------

@pytest.fixture
def full_disk(sctx, monkeypatch):
    """A client with a draft, and the disk full until `.free()`: (client, note, disk)."""
    cid, nid = client_with_draft(sctx)
    return cid, nid, DiskFull(monkeypatch)


async def test_full_disk_is_retried_on_a_timer_and_saved_without_a_key(sctx, settings,
                                                                         full_disk):
    cid, nid, disk = full_disk
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        await pilot.press(*"Neck stiff after a long drive")
        await until(pilot, lambda: "the disk is full" in status(editor),
                    what="the status says why")
        line = status(editor)
        assert line.startswith("Not saved since ") and "; retrying." in line
        assert "OSError" not in line and "ENOSPC" not in line  # plain words, no class name
        assert note_content(sctx, nid).content.complaint == ""
        failed_before = editor.autosaver.attempts
        disk.free()  # no key is pressed from here on: the retry timer saves it
        await until(pilot, lambda: note_content(sctx, nid).content.complaint ==
                    "Neck stiff after a long drive", what="the retry saves the text")
        assert failed_before >= 1
        await until(pilot, lambda: status(editor) == "✓ saved", what="the status says saved")
        assert str(editor.query_one("#notice", Static).render()) == ""  # the problem is gone
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert recovery_files() == []


async def test_quit_on_a_full_disk_asks_and_the_next_start_restores_the_text(sctx, settings,
                                                                              full_disk):
    cid, nid, disk = full_disk
    typed = "Sharp pain at the left scapula since Monday"
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        await pilot.press(*typed)
        await pilot.press("ctrl+q")  # at once, before any save could have got through
        question = await asked(pilot, "quitting asks first")
        assert app.is_running  # it did not quit with the text unsaved
        assert "the disk is full" in question
        await pilot.press("k")  # keep my text in a recovery file
        await settle(pilot)
    assert app.return_code == 0 and editor.kept
    files = recovery_files()
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    kept = json.loads(files[0].read_text(encoding="utf-8"))
    assert kept["note_id"] == nid and kept["client_id"] == cid
    assert kept["content"]["complaint"] == typed and kept["kept_at"]
    assert note_content(sctx, nid).content.complaint == ""  # the disk never took it

    disk.free()
    question, text = await accept_recovery_offer(sctx.url, settings, "r")
    assert "Jane Doe" in question and "the disk is full" in question
    assert text == typed
    assert note_content(sctx, nid).content.complaint == typed
    assert recovery_files() == []


async def test_esc_on_a_full_disk_can_go_back_to_the_note(sctx, settings, full_disk):
    cid, nid, disk = full_disk
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        await pilot.press(*"Tight calves")
        await pilot.press("escape")
        await asked(pilot, "Esc asks")
        await pilot.press("g")  # go back to the note
        await settle(pilot)
        assert app.screen is editor and complaint(app) == "Tight calves"
        await pilot.press(*" and feet")
        disk.free()
        await pilot.press("escape")  # now it saves, then leaves
        await until(pilot, lambda: isinstance(app.screen, ClientsScreen)
                    or not isinstance(app.screen, NoteEditor), what="Esc leaves")
    assert note_content(sctx, nid).content.complaint == "Tight calves and feet"


async def test_a_signal_on_a_full_disk_keeps_the_text_in_a_recovery_file(sctx, settings,
                                                                          full_disk):
    """SIGTERM/SIGHUP call save_and_exit: no question, a bounded wait, then the file."""
    cid, nid, disk = full_disk
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        await pilot.press(*"Jaw clicks")
        app.save_and_exit()  # what the SIGTERM handler runs
        await settle(pilot)
    assert len(recovery_files()) == 1
    disk.free()
    _question, text = await accept_recovery_offer(sctx.url, settings, "r")
    assert text == "Jaw clicks" and note_content(sctx, nid).content.complaint == "Jaw clicks"


# --- a read-only database --------------------------------------------------------------------

class ReadOnly:
    """SQLite refuses every write ("attempt to write a readonly database") while on: each
    transaction of the app's engine sets PRAGMA query_only. (chmod cannot do it here: the tests
    may run as root, and an open connection keeps its write access anyway.)"""

    def __init__(self, app) -> None:
        from sqlalchemy import event

        self.on = True

        def begin(conn) -> None:
            conn.exec_driver_sql(f"PRAGMA query_only={'ON' if self.on else 'OFF'}")

        event.listen(app.services._ctx.engine, "begin", begin)


async def test_a_read_only_database_keeps_the_text_for_the_next_start(sctx, settings):
    cid, nid = client_with_draft(sctx)
    typed = "Lower back, worse sitting"
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        ReadOnly(app)
        await pilot.press(*typed)
        await until(pilot, lambda: "the database is read-only" in status(editor),
                    what="the status says the database is read-only")
        await pilot.press("escape")
        await asked(pilot, "Esc asks")
        await pilot.press("k")
        await until(pilot, lambda: not isinstance(app.screen, (NoteEditor, ChoiceDialog)),
                    what="the editor closes once the text is kept")
    assert note_content(sctx, nid).content.complaint == ""
    assert len(recovery_files()) == 1
    _question, text = await accept_recovery_offer(sctx.url, settings, "r")
    assert text == typed and note_content(sctx, nid).content.complaint == typed


# --- another process holds the write lock ------------------------------------------------------

SQLITE_LOCK = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()  # held until the test says so
con.execute("COMMIT")
"""


class Lock:
    """Another process holding a lock until `release()` (or the end of the test)."""

    def __init__(self, script: str, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", script, *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"
        self.since = time.monotonic()

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        self.proc.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.release()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


LOCK_HELD = 30.0  # seconds another process holds the write lock in the test below


async def test_a_lock_held_past_the_busy_timeout_quit_waits_then_asks(sctx, settings):
    """Another process holds SQLite's write lock for 30 s, longer than the busy timeout (10 s):
    autosave really gives up once; quit waits for it with the screen live, then asks; going
    back, the retry timer saves the text once the lock is gone, without a key."""
    from notes_tui.db.engine import BUSY_TIMEOUT_MS

    cid, nid = client_with_draft(sctx)
    typed = "Shoulder pain reaching up"
    path = sctx.url.removeprefix("sqlite:///")
    async with editing(sctx.url, settings, nid, cid) as (app, pilot, editor):
        with Lock(SQLITE_LOCK, path) as lock:
            await pilot.press(*typed)
            await pilot.press("ctrl+q")
            await pilot.pause(0.5)
            assert app.is_running and app.screen is editor  # waiting, not frozen, not gone
            assert status(editor) == "saving…"
            question = await asked(pilot, "the quit asks once the save gave up", limit=40)
            assert time.monotonic() - lock.since >= BUSY_TIMEOUT_MS / 1000  # it gave up once
            assert "another program is writing to the database" in question
            await pilot.press("g")  # back to the note; no more keys from here
            await pilot.pause(1.5)  # the retries fail while the lock is still held
            assert editor.autosaver.failure is not None and editor.autosaver.attempts >= 1
            # the lock stays held for LOCK_HELD seconds in all (the 30 s): the retries
            # keep failing, the text stays where it was typed
            await until(pilot, lambda: time.monotonic() - lock.since >= LOCK_HELD,
                        limit=LOCK_HELD + 10, what="the lock held its full time")
            assert editor.autosaver.failure is not None
            assert editor.query_one("#f-complaint", TextArea).text == typed
            lock.release()
            await until(pilot, lambda: note_content(sctx, nid).content.complaint == typed,
                        limit=40, what="the retry timer saves it after the lock")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, what="quit once saved")
    assert recovery_files() == []


PG_LOCK = """
import sys, time
import psycopg
con = psycopg.connect(sys.argv[1])
con.execute("SELECT id FROM note WHERE id = %s FOR UPDATE", (int(sys.argv[2]),))
print("locked", flush=True)
sys.stdin.readline()  # held until the test says so
con.commit()
"""


@pytest.fixture
def pg_ctx(settings):
    from notes_tui.services.context import open_context
    from tests.conftest import PG_URL, _pg_database

    if not PG_URL:
        pytest.skip("NOTES_TUI_TEST_PG_URL is not set (CI sets it; see .ci/run)")
    context = open_context(_pg_database(), settings)
    yield context
    context.dispose()


@pytest.mark.pg
async def test_postgresql_a_row_lock_held_by_another_process_quit_waits_live(pg_ctx, settings):
    """On PostgreSQL another process holding the note's row lock makes the save wait (there is
    no busy timeout): quit waits for it with the screen live and saying "saving…", then exits
    with the text saved."""
    from sqlalchemy.engine import make_url

    cid, nid = client_with_draft(pg_ctx)
    app = make_app(pg_ctx.url, settings)
    typed = "Mid back tight on the right"
    conninfo = make_url(pg_ctx.url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        with Lock(PG_LOCK, conninfo, str(nid)) as lock:
            await pilot.press(*typed)
            await pilot.press("ctrl+q")
            await pilot.pause(1.0)
            assert app.is_running and app.screen is editor and status(editor) == "saving…"
            await pilot.press("f4")  # the screen still takes keys while it waits
            await pilot.pause(0.2)
            assert editor.step == 3 and app.is_running
            lock.release()
            await until(pilot, lambda: not app.is_running, limit=30, what="quit once saved")
    assert note_content(pg_ctx, nid).content.complaint == typed
    assert recovery_files() == []


# --- finalized or discarded elsewhere ---------------------------------------------------------

ELSEWHERE = """
import sys
from notes_tui.services.api import Services
from notes_tui.services.context import open_context
from notes_tui.settings import Settings

services = Services(open_context(sys.argv[1], Settings(therapist_name="Ana Lee",
                                                       registration_number="RMT-1234")))
getattr(services.notes, sys.argv[2])(int(sys.argv[3]))
services.dispose()
"""


def elsewhere(url: str, verb: str, note_id: int) -> None:
    subprocess.run([sys.executable, "-c", ELSEWHERE, url, verb, str(note_id)], check=True,
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def _finalizable(ctx) -> tuple[int, int]:
    from notes_tui.services.clients import create_client

    with ctx.write() as s:
        cid = create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"}, session=s,
                            actor="A").id
        nid = notes_module.start_draft(cid, session=s, settings=ctx.settings,
                                       content=full_note(complaint="Headaches")).id
    return cid, nid


async def _type_then_taken_away(pilot, ctx, nid, cid, verb: str):
    """Type, the draft is finalized (or discarded) by another process, type on: the editor says
    so at the next save and keeps every key (into the recovery file); Esc asks where it goes."""
    editor = await open_editor(pilot, nid, cid)
    area = editor.query_one("#f-complaint", TextArea)
    area.move_cursor(area.document.end)
    await pilot.press(*" at the temples")
    await until(pilot, lambda: "temples" in note_content(ctx, nid).content.complaint,
                what="the first words are saved")
    elsewhere(ctx.url, verb, nid)  # another process finalizes (or discards) the draft
    await pilot.press(*" every evening")
    await until(pilot, lambda: editor.gone is not None, limit=20, what="the editor finds out")
    await until(pilot, lambda: f"{verb[:-1] if verb.endswith('e') else verb}ed in another "
                "program" in status(editor), what="the editor says so")
    assert complaint(pilot.app) == "Headaches at the temples every evening"  # no key lost
    await until(pilot, lambda: [json.loads(p.read_text())["content"]["complaint"]
                                for p in recovery_files()] ==
                ["Headaches at the temples every evening"], what="kept in the recovery file")
    assert not editor.editing_draft and pilot.app.screen is editor
    await pilot.press("escape")
    question = await asked(pilot, "Esc asks where the text goes", limit=20)
    return editor, question


@contextlib.asynccontextmanager
async def taken_away(ctx, settings, verb: str):
    """A finalizable draft open in the app, typed into, then finalized (or discarded) by another
    process and typed into again; Esc asked where the text goes: (app, pilot, editor,
    question)."""
    cid, nid = _finalizable(ctx)
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        editor, question = await _type_then_taken_away(pilot, ctx, nid, cid, verb)
        yield app, pilot, editor, question


async def test_finalized_elsewhere_keeps_the_text_as_an_amendment(ctx, settings):
    async with taken_away(ctx, settings, "finalize") as (app, pilot, editor, question):
        nid = editor.note_id
        assert "finalized in another program" in question
        await pilot.press("a")  # as an amendment
        await until(pilot, lambda: app.screen is not editor and
                    app.screen.query("#f-reason"), what="the amendment form")
        await pilot.press(*"typed after it was finalized elsewhere")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: note_content(ctx, nid).amendments, what="the amendment")
        await settle(pilot)
    view = note_content(ctx, nid)
    assert view.is_final
    assert view.current.complaint == "Headaches at the temples every evening"
    assert recovery_files() == []


async def test_discarded_elsewhere_keeps_the_text_as_a_new_draft(ctx, settings):
    async with taken_away(ctx, settings, "discard") as (app, pilot, editor, question):
        cid, nid = editor.client_id, editor.note_id
        assert "discarded in another program" in question
        await pilot.press("d")  # a new draft for the client
        await until(pilot, lambda: editor not in app.screen_stack, what="Esc then leaves")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    with ctx.read() as s:
        [draft] = notes_module.list_notes(session=s, client_id=cid)
    assert draft.id != nid and draft.status == "draft"
    assert note_content(ctx, draft.id).content.complaint == \
        "Headaches at the temples every evening"
    assert recovery_files() == []


async def test_finalized_elsewhere_then_quit_keeps_the_text_for_the_next_start(ctx, settings):
    async with taken_away(ctx, settings, "finalize") as (app, pilot, editor, _question):
        nid = editor.note_id
        await pilot.press("escape")  # not now: back to the note, typing goes on
        await settle(pilot)
        assert app.screen is editor
        await pilot.press(*", worse on Mondays")
        await until(pilot, lambda: [json.loads(p.read_text())["content"]["complaint"]
                                    for p in recovery_files()] ==
                    ["Headaches at the temples every evening, worse on Mondays"],
                    what="the later keys are kept too")
        await pilot.press("ctrl+q")  # quitting asks again where the text goes
        await asked(pilot, "quit asks")
        await pilot.press("k")
        await until(pilot, lambda: not app.is_running, what="quit once kept")
    assert len(recovery_files()) == 1
    question, _text = await _offer_amendment(ctx.url, settings)
    assert "finalized" in question
    assert note_content(ctx, nid).current.complaint == \
        "Headaches at the temples every evening, worse on Mondays"
    assert recovery_files() == []


async def _offer_amendment(url, settings):
    again = make_app(url, settings)
    async with again.run_test(size=(120, 40)) as pilot:
        question = await asked(pilot, "the recovery offer")
        await pilot.press("a")
        await until(pilot, lambda: again.screen.query("#f-reason"), what="the amendment form")
        await pilot.press(*"kept when it was finalized elsewhere")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not isinstance(again.screen, ChoiceDialog)
                    and not again.screen.query("#f-reason"), what="the amendment is saved")
        await pilot.press("ctrl+q")
        await settle(pilot)
    return question, None


# --- a corrupt recovery file -------------------------------------------------------------------

async def test_a_corrupt_recovery_file_is_set_aside_with_a_message(sctx, settings):
    from notes_tui.paths import ensure_private_dir, recovery_dir

    folder = ensure_private_dir(recovery_dir())
    (folder / "note-3-abc.json").write_text('{"format": "notes-tui-recovery", "content": {',
                                            encoding="utf-8")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: any("set aside" in n.message
                                       for n in app._notifications),
                    what="the message")
        assert app.is_running and not isinstance(app.screen, ChoiceDialog)
    assert recovery_files() == [] and (folder / "note-3-abc.json.corrupt").exists()


# --- an amendment being written when the app is quit --------------------------------------------

async def test_quitting_an_unsaved_amendment_asks_and_the_next_start_offers_it(sctx, settings):
    from notes_tui.ui.screens.editor.amend import AmendEditor

    cid, nid = _finalizable(sctx)
    with sctx.write() as s:
        notes_module.finalize(nid, session=s, actor="Ana Lee")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        app.push_screen(AmendEditor(nid, cid))
        await until(pilot, lambda: isinstance(app.screen, AmendEditor) and app.screen._ready,
                    what="the amendment opens")
        area = app.screen.query_one("#f-complaint", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press(*", worse in the evening")
        await pilot.press("ctrl+q")
        question = await asked(pilot, "quitting asks first")
        assert "amendment not saved" in question
        await pilot.press("k")
        await until(pilot, lambda: not app.is_running, what="quit once kept")
    assert len(recovery_files()) == 1
    question, _ = await _offer_amendment(sctx.url, settings)
    assert "finalized" in question
    assert note_content(sctx, nid).current.complaint == "Headaches, worse in the evening"
