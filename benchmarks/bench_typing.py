"""Typing: time from a key press to the next composed frame while typing into a note field of
the real editor (autosave running), against the same typing into a bare TextArea in a bare
Textual app in the same run (the floor is Textual's frame pacing, about 17 ms).

One key at a time: the key event is posted, then the next composed frame is awaited (no sleeps).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

KEYS = 200
WORDS = ["upper", "trapezius", "levator", "scapulae", "rhomboid", "infraspinatus", "trigger", "point", "referral", "tension", "posture", "forward", "head", "ischemic", "compression", "stretch", "advice"]


def _keys() -> list[str]:
    rng = random.Random(1)
    text = " ".join(rng.choice(WORDS) for _ in range(60))[:KEYS]
    return ["space" if c == " " else c for c in text]


def _instrument(app) -> asyncio.Event:
    frame = asyncio.Event()
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        if renderable is not None:
            frame.set()

    app._display = display
    return frame


async def _type(app, pilot, frame: asyncio.Event) -> list[float]:
    from textual import events

    out = []
    for k in _keys():
        frame.clear()
        t = time.perf_counter()
        app._driver.send_message(events.Key(k, k if len(k) == 1 else " "))
        await frame.wait()
        out.append(time.perf_counter() - t)
    await pilot.pause()
    return out


async def bare() -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, TextArea

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield TextArea(id="ta")
            yield Footer()

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        frame = _instrument(app)
        app.query_one("#ta").focus()
        await pilot.pause()
        return await _type(app, pilot, frame)


async def open_editor(app, pilot, note_id: int, client_id: int):
    """Open the real editor on the note, wait until it has loaded, focus its first text field;
    returns the editor screen."""
    from textual.widgets import TextArea

    from notes_tui.ui.screens.editor import NoteEditor

    await app.workers.wait_for_complete()
    await app.push_screen(NoteEditor(note_id, client_id))
    await pilot.pause(0.5)
    await app.workers.wait_for_complete()
    app.screen.query(TextArea).first().focus()
    await pilot.pause()
    return app.screen


async def real(url: str, note_id: int, client_id: int, state_dir: Path) -> list[float]:
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app

    # A state dir of its own each run: a run ends with the editor open, which leaves a "resume
    # this draft?" mark that the next run would open with (and the user's own marks stay theirs)
    os.environ["NOTES_TUI_STATE_DIR"] = str(state_dir)
    app = make_app(url, Settings(therapist_name="B"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(app, pilot, note_id, client_id)
        frame = _instrument(app)
        times = await _type(app, pilot, frame)
        await pilot.pause(1.5)
        await app.workers.wait_for_complete()
        return times


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def main() -> None:
    from notes_tui.services import notes
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'typing.sqlite3'}"
        ctx = open_context(url, Settings(therapist_name="B"))
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=20, notes=100, seed=2, tz="UTC",
                      therapist="B", registration="R")
        with ctx.write() as s:
            cid = notes.list_notes(session=s, limit=1)[0].client_id
            nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
        ctx.dispose()
        floor, app = [], []
        for run in range(3):  # alternate: drift hits both alike
            floor += asyncio.run(bare())
            app += asyncio.run(real(url, nid, cid, Path(tmp) / f"state-{run}"))
    f50, f95 = statistics.median(floor) * 1000, p95(floor) * 1000
    a50, a95 = statistics.median(app) * 1000, p95(app) * 1000
    print(f"key to frame: editor p50 {a50:.1f} ms, p95 {a95:.1f} ms | bare TextArea p50 "
          f"{f50:.1f} ms, p95 {f95:.1f} ms | ratio p50 {a50 / f50:.2f}x (aim <= 1.1x), "
          f"p95 {a95 / f95:.2f}x (aim <= 1.5x); {len(app)} keys each")
