"""UI stall: the longest gap in the app's event loop while another process holds the SQLite write
lock for 10 s and the therapist types a sentence and presses Esc (the save waits in its worker,
the screen says "saving…"), against the same typing in a bare TextArea app in the same run.

The probe is a task that wakes every 5 ms on the app's loop and records the longest time between
two wake-ups: any database call on the UI thread shows as a gap as long as the lock is held.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOLD = 10.0  # seconds the other process holds the write lock
TEXT = "Tight upper trapezius on the left"
LOCK = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""


class Probe:
    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
        return self.longest * 1000


def _keys() -> list[str]:
    return ["space" if c == " " else c for c in TEXT]


async def bare() -> float:
    from benchmarks.bench_typing import bare_app

    app = bare_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#ta").focus()
        await pilot.press("a", "backspace")  # warm up, as the editor is by loading its note
        await pilot.pause(0.5)
        probe = Probe()
        probe.start()
        await pilot.press(*_keys(), "escape")
        await pilot.pause(HOLD + 1)
        return probe.stop()


async def real(url: str, path: str, note_id: int, client_id: int, state: Path) -> float:
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app
    from notes_tui.ui.screens.editor import NoteEditor

    os.environ["NOTES_TUI_STATE_DIR"] = str(state)
    app = make_app(url, Settings(therapist_name="B"))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(NoteEditor(note_id, client_id))
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        lock = subprocess.Popen([sys.executable, "-c", LOCK, path, str(HOLD)],
                                stdout=subprocess.PIPE, text=True)
        assert lock.stdout.readline().strip() == "locked"
        probe = Probe()
        probe.start()
        await pilot.press(*_keys(), "escape")
        await pilot.pause(HOLD + 1)
        longest = probe.stop()
        lock.wait()
        await app.workers.wait_for_complete()
        return longest


def main() -> None:
    from notes_tui.services.clients import create_client
    from notes_tui.services.context import open_context
    from notes_tui.services.notes import start_draft
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "stall.sqlite3")
        url = f"sqlite:///{path}"
        ctx = open_context(url, Settings(therapist_name="B"))
        with ctx.write() as s:
            cid = create_client({"name": "Jane Doe"}, session=s, actor="B").id
            nid = start_draft(cid, session=s, settings=ctx.settings).id
        ctx.dispose()
        floor = asyncio.run(bare())
        app = asyncio.run(real(url, path, nid, cid, Path(tmp) / "state"))
    print(f"longest UI stall, typing then Esc while another process holds the write lock "
          f"{HOLD:g} s: editor {app:.0f} ms | bare TextArea {floor:.0f} ms | ratio "
          f"{app / floor:.2f}x (aim: under 100 ms)")


if __name__ == "__main__":
    main()
