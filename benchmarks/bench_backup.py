"""Backup and restore: a verified backup (copy, integrity_check, verify, manifest, rotation)
and a checked restore, on the demo data and on a larger record, with the plain copy (the
backup API alone) as the floor measured in the same run."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

SIZES = [(20, 120), (400, 10_000)]  # (clients, notes): `notes-tui demo`'s default, larger
ROUNDS = 5


def _median(fn, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def _one(tmp: Path, clients: int, notes: int) -> None:
    from notes_tui.services.backups import restore_backup, take_backup
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    db = tmp / f"notes-{notes}.sqlite3"
    url = f"sqlite:///{db}"
    ctx = open_context(url, Settings(therapist_name="B"))
    with ctx.write() as s:
        load_demo(ctx.catalog, session=s, clients=clients, notes=notes, seed=3, tz="UTC",
                  therapist="B", registration="R")
    ctx.dispose()
    folder = tmp / f"backups-{notes}"
    n = iter(range(1000))

    def plain_copy() -> None:
        src, dst = sqlite3.connect(db), sqlite3.connect(tmp / f"copy-{next(n)}.sqlite")
        src.backup(dst)
        dst.close()
        src.close()

    floor = _median(plain_copy)
    last = []

    def backup() -> None:
        last.append(take_backup(url, folder).path)

    taken = _median(backup)
    target = f"sqlite:///{tmp / f'restored-{notes}.sqlite3'}"
    restored = _median(lambda: restore_backup(last[-1], target))
    size = db.stat().st_size / 1e6
    print(f"{clients} clients, {notes} notes ({size:.1f} MB): backup API copy "
          f"{floor * 1000:.0f} ms; verified backup {taken * 1000:.0f} ms "
          f"({taken / floor:.1f}x); checked restore {restored * 1000:.0f} ms "
          f"({restored / floor:.1f}x)")


def main() -> None:
    from notes_tui.services.backups import take_backup  # noqa: F401 - imports out of the timing

    with tempfile.TemporaryDirectory() as tmp:
        for clients, notes in SIZES:
            _one(Path(tmp), clients, notes)


if __name__ == "__main__":
    main()
