"""UI stalls: the longest time the app's event loop could not run (so could not draw a frame or
take a key), (a) while another process holds the SQLite write lock for 10 s and the therapist
types into an open draft and presses Esc, and (b) while exports render (a handout from the note
view, and a 40-session clinical record, each in a worker thread as the app runs them). Aim:
under 100 ms.

The probe is a task on the app's own event loop that sleeps 5 ms and notes how late it woke;
any handler that blocks the loop (a database call on the UI thread, a render holding the GIL)
shows as the longest lateness. The floor, in the same run: the same probe in a bare Textual app
doing the same visible work with no database (the same keys into a TextArea, Esc closing the
screen; the same PDFs rendered by ReportLab from the same plain data in a worker thread).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

LOCK_SECONDS = 10.0
TEXT = "left upper trapezius tender, referral to the temple"
KEY_GAP = 0.04  # a brisk typist: 25 keys a second

# Another process: take the write lock, say so, hold it LOCK_SECONDS, let go.
HOLDER = textwrap.dedent(f"""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep({LOCK_SECONDS})
    con.execute("ROLLBACK")
""")


class Probe:
    """The longest lateness of a 5 ms sleep on the running event loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - t - 0.005)

    def start(self) -> None:
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> float:
        self._task.cancel()
        return self.worst


async def _type_and_escape(app) -> None:
    from textual import events

    for ch in TEXT:
        key = "space" if ch == " " else ch
        app._driver.send_message(events.Key(key, ch))
        await asyncio.sleep(KEY_GAP)
    app._driver.send_message(events.Key("escape", None))


async def _until(predicate, timeout: float) -> None:
    end = time.perf_counter() + timeout
    while not predicate() and time.perf_counter() < end:
        await asyncio.sleep(0.02)


# --- (a) typing and Esc while another process holds the write lock --------------------------

async def typing_app(url: str, note_id: int, client_id: int, db_file: str) -> float:
    from benchmarks.bench_typing import open_editor
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app

    app = make_app(url, Settings(therapist_name="B"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(app, pilot, note_id, client_id)
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, db_file], stdout=subprocess.PIPE,
                                  text=True)
        assert holder.stdout.readline().strip() == "locked"
        probe = Probe()
        probe.start()
        await _type_and_escape(app)
        await _until(lambda: app.screen is not editor, LOCK_SECONDS + 5)
        await _until(lambda: holder.poll() is not None, LOCK_SECONDS + 5)
        await pilot.pause(0.3)
        worst = probe.stop()
        holder.wait()
        await app.workers.wait_for_complete()
        return worst


async def typing_floor() -> float:
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Footer, Header, TextArea

    class Editor(Screen):
        BINDINGS = [("escape", "app.pop_screen", "Back")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield TextArea(id="ta")
            yield Footer()

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Footer()

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = Editor()
        await app.push_screen(editor)
        await pilot.pause()
        editor.query_one("#ta").focus()
        await pilot.pause()
        probe = Probe()
        probe.start()
        await _type_and_escape(app)
        await _until(lambda: app.screen is not editor, 5)
        await pilot.pause(0.3)
        return probe.stop()


# --- (b) exports rendering -------------------------------------------------------------------

async def export_app(url: str, note_id: int, big_client: int) -> tuple[float, float]:
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app
    from notes_tui.ui.screens.note_view import NoteViewScreen

    app = make_app(url, Settings(therapist_name="B"))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(NoteViewScreen(note_id))
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        probe = Probe()
        probe.start()
        await pilot.press("e")  # the note view's handout export (a worker thread)
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        handout = probe.stop()

        def record() -> None:  # as a screen would run it: a worker thread calling the façade
            app.open_services().records.export(big_client)

        probe.start()
        app.run_worker(record, thread=True)
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        return handout, probe.stop()


async def export_floor(handout_data, record_data) -> tuple[float, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    from notes_tui.export import render_handout, render_record

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("a note", id="body")
            yield Footer()

    out = []
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for render, data in ((render_handout, handout_data), (render_record, record_data)):
            probe = Probe()
            probe.start()

            def work(render=render, data=data) -> None:
                pdf = render(data)
                app.call_from_thread(app.notify, f"written: {len(pdf)} bytes")

            app.run_worker(work, thread=True)
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            out.append(probe.stop())
    return out[0], out[1]


# --- the run ----------------------------------------------------------------------------------

def _setup(tmp: Path):
    from sqlalchemy import select

    from notes_tui.db.models import Note
    from notes_tui.paths import templates_dir
    from notes_tui.services import notes
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.services.handouts import handout_data, load_handout_template
    from notes_tui.services.records import record_data
    from notes_tui.settings import Settings

    db_file = tmp / "stall.sqlite3"
    url = f"sqlite:///{db_file}"
    ctx = open_context(url, Settings(therapist_name="B"))
    with ctx.write() as s:
        load_demo(ctx.catalog, session=s, clients=20, notes=100, seed=2, tz="UTC",
                  therapist="B", registration="R")
    with ctx.write() as s:  # one client with 40 sessions: a clinical record of many pages
        load_demo(ctx.catalog, session=s, clients=1, notes=40, seed=9, tz="UTC",
                  therapist="B", registration="R")
    template = load_handout_template(templates_dir() / "handout" / "handout.toml", None)
    with ctx.write() as s:
        big = s.execute(select(Note.client_id).order_by(Note.id.desc()).limit(1)).scalar()
        final = notes.list_notes(session=s, status="final", limit=1)[0]
        nid = notes.start_draft(final.client_id, session=s, settings=ctx.settings).id
    with ctx.read() as s:
        h_data = handout_data(notes.get_note(final.id, session=s), session=s,
                              catalog=ctx.catalog, settings=ctx.settings, template=template)
        r_data = record_data(big, session=s, catalog=ctx.catalog, settings=ctx.settings,
                             template=template)
    ctx.dispose()
    return url, str(db_file), nid, final.client_id, final.id, big, h_data, r_data


RUNS = 3  # exports: app and floor alternate, the worst of each kept


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, db_file, draft, client, final, big, h_data, r_data = _setup(Path(tmp))
        os.environ["NOTES_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        os.environ["NOTES_TUI_EXPORTS"] = str(Path(tmp) / "exports")
        typing_floor_s = asyncio.run(typing_floor())
        typing_s = asyncio.run(typing_app(url, draft, client, db_file))
        floors, apps = [], []
        for _ in range(RUNS):
            floors.append(asyncio.run(export_floor(h_data, r_data)))
            apps.append(asyncio.run(export_app(url, final, big)))

    def row(name: str, app_s: float, floor_s: float) -> str:
        verdict = "met" if app_s < 0.1 else "NOT met"
        return (f"{name}: longest stall {app_s * 1000:.0f} ms vs bare Textual "
                f"{floor_s * 1000:.0f} ms -> {app_s / max(floor_s, 1e-3):.1f}x "
                f"(aim < 100 ms: {verdict})")

    print(row(f"(a) typing {len(TEXT)} keys + Esc, write lock held {LOCK_SECONDS:.0f} s by "
              "another process", typing_s, typing_floor_s))
    print(row(f"(b) handout export from the note view, worst of {RUNS}",
              max(a[0] for a in apps), max(f[0] for f in floors)))
    print(row(f"(b) clinical record export, {len(r_data.notes)} sessions, worst of {RUNS}",
              max(a[1] for a in apps), max(f[1] for f in floors)))
