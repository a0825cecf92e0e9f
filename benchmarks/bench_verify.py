"""Audit: verify vs reading and hashing the same rows; audit events per minute of typing.

`notes-tui verify` on a demo database of 100,000 notes, and the audit events one minute of
continuous typing in the editor records.

Floor, measured here side by side: raw `sqlite3` reading the same rows (every audit event in
order, every finalized note, their finding, trigger-point, cue and home-care rows) and hashing
each with hashlib. Each side runs in its own process, so its peak memory (VmHWM, and the
growth above the process's size just before it starts) is its own.

BENCH_VERIFY_NOTES sets the size (default 100,000); BENCH_VERIFY_DB keeps the database at that
path and reuses it when it is already there (the demo load is the slow part); BENCH_VERIFY_RUNS
(default 3) alternating runs of each, the best of each reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTES = int(os.environ.get("BENCH_VERIFY_NOTES", "100000"))
KEEP = os.environ.get("BENCH_VERIFY_DB")
RUNS = int(os.environ.get("BENCH_VERIFY_RUNS", "3"))
CHILDREN = ("note_finding", "note_trigger_point", "note_cue", "note_home_care", "note_work")


def _rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a child's ru_maxrss starts at
    its parent's size (Linux carries it over fork and exec)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return next(int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmHWM:")) / 1024


def _app(path: str) -> dict:
    from notes_tui.services.audit import verify
    from notes_tui.services.context import open_context
    from notes_tui.services.note_digests import sealed_notes

    ctx = open_context(f"sqlite:///{path}", migrate=False)
    ctx.engine.connect().close()
    before = _rss_mib()
    start = time.perf_counter()
    with ctx.read() as s:
        report = verify(s, sealed_notes=sealed_notes)
    seconds = time.perf_counter() - start
    assert report.ok, report.problems[:5]
    return {"seconds": seconds, "before": before, "peak": _rss_mib(), "events": report.events,
            "notes": report.finalized_notes}


def _floor(path: str) -> dict:
    before = _rss_mib()
    start = time.perf_counter()
    con = sqlite3.connect(path)
    queries = ["SELECT * FROM audit_event ORDER BY seq",
               "SELECT * FROM note WHERE status = 'final' ORDER BY id"]
    queries += [f"SELECT c.* FROM {t} c JOIN note n ON n.id = c.note_id WHERE n.status = 'final' "
                "ORDER BY c.note_id, c.position" for t in CHILDREN]
    rows = 0
    for query in queries:
        for row in con.execute(query):
            hashlib.sha256(repr(row).encode()).digest()
            rows += 1
    con.close()
    return {"seconds": time.perf_counter() - start, "before": before, "peak": _rss_mib(),
            "rows": rows}


def _run(which: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, which, str(path)], check=True,
                         capture_output=True, text=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _build(path: Path) -> None:
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    ctx = open_context(f"sqlite:///{path}", Settings(therapist_name="B"))
    start = time.perf_counter()
    with ctx.write() as s:
        load_demo(ctx.catalog, session=s, clients=max(1, NOTES // 8), notes=NOTES, seed=1,
                  tz="UTC", therapist="B", registration="R")
    ctx.dispose()
    print(f"demo database: {NOTES:,} notes in {time.perf_counter() - start:.0f} s")


def typing_events(tmp: Path) -> tuple[int, int]:
    """Audit events from one minute of typing at the editor's autosave pace (one save a second,
    60 saves of a changing complaint, no real sleeping): with the editor's editing-session
    token, and without one (how every save was audited before)."""
    from notes_tui.services import clients, notes
    from notes_tui.services.context import open_context
    from notes_tui.settings import Settings

    ctx = open_context(f"sqlite:///{tmp / 'typing.sqlite3'}", Settings(therapist_name="B"))
    counts = []
    for token in ("one-editing-session", None):
        with ctx.write() as s:
            cid = clients.create_client({"name": "Typing Test"}, session=s, actor="B").id
            nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
        for second in range(60):
            with ctx.write() as s:
                notes.save_draft(nid, {"complaint": "stiff neck " + "x" * second}, session=s,
                                 actor="B", edit_session=token)
        with ctx.read() as s:
            counts.append(s.connection().exec_driver_sql(
                "SELECT count(*) FROM audit_event WHERE entity = 'note' AND action = 'update' "
                f"AND entity_id = {nid}").scalar())
    ctx.dispose()
    return counts[0], counts[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with_token, without = typing_events(tmp)
        print(f"audit events per minute of continuous typing (60 autosaves): {with_token} with "
              f"the editor's editing session; {without} without one (before)")
        path = Path(KEEP) if KEEP else tmp / "verify.sqlite3"
        if not path.exists():
            _build(path)
        apps, floors = [], []
        for _ in range(RUNS):  # alternating, best of each: the machine's noise, not the app's
            apps.append(_run("app", path))
            floors.append(_run("floor", path))
        app = min(apps, key=lambda r: r["seconds"])
        floor = min(floors, key=lambda r: r["seconds"])
        print(f"verify, {app['notes']:,} finalized notes, {app['events']:,} events: "
              f"{app['seconds']:.2f} s; floor (sqlite3 + hashlib over the same "
              f"{floor['rows']:,} rows): {floor['seconds']:.2f} s; "
              f"ratio {app['seconds'] / floor['seconds']:.2f}x")
        print(f"verify peak memory (its best run): {app['peak']:.0f} MiB ({app['peak'] - app['before']:.0f} MiB "
              f"above the process before it ran); floor: {floor['peak']:.0f} MiB "
              f"({floor['peak'] - floor['before']:.0f} MiB above)")


if __name__ == "__main__":
    print(json.dumps((_app if sys.argv[1] == "app" else _floor)(sys.argv[2])))
