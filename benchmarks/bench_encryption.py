"""Encryption at rest: open + first read, a draft save and a search on an SQLCipher file, as
ratios to the same database unencrypted, measured in the same run."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

NOTES = 400
ROUNDS = 20
PASS = "bench passphrase"


def _best(fn, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]  # median


def _measure(path: Path, passphrase: str | None) -> dict[str, float]:
    from notes_tui.services.api import Services
    from notes_tui.services.context import open_context
    from notes_tui.settings import Settings

    url = f"sqlite:///{path}"

    from notes_tui.db import encryption

    def open_and_read() -> None:
        ctx = open_context(url, Settings(therapist_name="B"), passphrase=passphrase)
        Services(ctx).clients.list(limit=50)
        ctx.dispose()

    def first_open() -> None:  # a new process: the key is derived once, for this open
        encryption._RAW_KEYS.clear()
        open_and_read()

    first = _best(first_open, 5)
    again = _best(open_and_read, 5)  # a second context in the same process (a worker, a backup)
    services = Services(open_context(url, Settings(therapist_name="B"), passphrase=passphrase))
    client = services.clients.list(limit=1)[0]
    note_id = services.notes.start(client.id)
    n = iter(range(10_000))
    save = _best(lambda: services.notes.save(note_id, {"complaint": f"neck pain {next(n)}"}))
    search = _best(lambda: services.search.notes("upper trapezius neck", limit=20))
    services.dispose()
    return {"first open + first read (new process)": first,
            "another open in the same process": again, "draft save": save, "search": search}


def main() -> None:
    from notes_tui.db import encryption
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.sqlite3"
        ctx = open_context(f"sqlite:///{plain}", Settings(therapist_name="B"))
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=NOTES // 8, notes=NOTES, seed=3, tz="UTC",
                      therapist="B", registration="R")
        ctx.dispose()
        enc = Path(tmp) / "enc.sqlite3"
        shutil.copy(plain, enc)
        encryption.encrypt_file(enc, PASS)
        a = _measure(plain, None)
        b = _measure(enc, PASS)
        for key in a:
            print(f"{key}: plain {a[key] * 1000:.2f} ms, encrypted {b[key] * 1000:.2f} ms, "
                  f"ratio {b[key] / a[key]:.2f}x")
