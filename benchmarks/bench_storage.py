"""Storage: demo-data load rate and draft-save latency, against raw sqlite3 in the same run.

Floors, measured here side by side: a raw `sqlite3` transaction that inserts the same number of
rows per note (WAL, synchronous=FULL, BEGIN IMMEDIATE), and a raw one-row upsert commit for saves.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

NOTES = int(os.environ.get("BENCH_NOTES", "5000"))
SAVES = int(os.environ.get("BENCH_SAVES", "300"))


def _raw_floor(path: Path, rows_per_note: int, notes: int) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, note INTEGER, body TEXT)")
    body = "x" * 120
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for n in range(notes):
        con.executemany("INSERT INTO t (note, body) VALUES (?, ?)",
                        [(n, body)] * rows_per_note)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def _raw_save_floor(path: Path, saves: int) -> list[float]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, body TEXT)")
    out = []
    for i in range(saves):
        t = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT OR REPLACE INTO d (id, body) VALUES (1, ?)", (f"draft {i}",))
        con.execute("COMMIT")
        out.append(time.perf_counter() - t)
    con.close()
    return out


def main() -> None:
    from notes_tui.services import notes as note_service
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ctx = open_context(f"sqlite:///{tmp / 'bench.sqlite3'}", Settings(therapist_name="B"))
        start = time.perf_counter()
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=max(1, NOTES // 8), notes=NOTES, seed=1,
                      tz="UTC", therapist="B", registration="R")
        app_s = time.perf_counter() - start
        with ctx.read() as s:
            rows = s.connection().exec_driver_sql(
                "SELECT (SELECT count(*) FROM note_finding) + (SELECT count(*) FROM "
                "note_trigger_point) + (SELECT count(*) FROM note_cue) + (SELECT count(*) FROM "
                "note_home_care) + (SELECT count(*) FROM audit_event)").scalar()
        per_note = max(1, round(rows / NOTES)) + 1
        floor_s = _raw_floor(tmp / "floor.sqlite3", per_note, NOTES)
        print(f"demo load: {NOTES} notes in {app_s:.2f} s ({NOTES / app_s:,.0f} notes/s); "
              f"raw sqlite3 floor with {per_note} rows/note: {floor_s:.3f} s; "
              f"ratio {app_s / floor_s:.1f}x; 100,000 notes would take about "
              f"{app_s * 100_000 / NOTES / 60:.1f} min")

        with ctx.write() as s:
            nid = note_service.list_notes(session=s, limit=1)[0].client_id
            draft = note_service.start_draft(nid, session=s, settings=ctx.settings).id
        times = []
        for i in range(SAVES):
            t = time.perf_counter()
            with ctx.write() as s:
                note_service.save_draft(draft, {"complaint": f"typing {i}", "pain_before": 5},
                                        session=s, actor="B")
            times.append(time.perf_counter() - t)
        floor = _raw_save_floor(tmp / "save.sqlite3", SAVES)
        p50, f50 = statistics.median(times), statistics.median(floor)
        p95 = sorted(times)[int(0.95 * len(times))]
        print(f"draft save (service, audit included): p50 {p50 * 1000:.2f} ms, p95 "
              f"{p95 * 1000:.2f} ms; raw one-row commit floor p50 {f50 * 1000:.2f} ms; "
              f"ratio p50 {p50 / f50:.1f}x")
        ctx.dispose()
