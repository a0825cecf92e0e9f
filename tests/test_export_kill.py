"""T06 (RELIABILITY.md): an export killed at a random moment leaves either no handout or a whole
one, never a torn PDF, and the next export clears the killed writer's temporary file."""

import json
import os
import random
import signal
import subprocess
import sys
import time

from pypdf import PdfReader

from notes_tui.services.files import TEMP_PREFIX, sweep_stale_temps


def _cli(*args, db):
    return [sys.executable, "-m", "notes_tui", "--db", str(db), *args]


# The same command with every fsync 0.25 s slower: the temporary file then lives long enough for
# the test to see it and kill the writer inside the write, whatever the load on the machine (at
# full speed the window is under a millisecond and a busy machine let it slip past every time).
_SLOW_FSYNC = ("import os, time; _fsync = os.fsync; "
               "os.fsync = lambda fd: (time.sleep(0.25), _fsync(fd))[1]; "
               "from notes_tui.cli import main; main()")


def _slow_cli(*args, db):
    return [sys.executable, "-c", _SLOW_FSYNC, "--db", str(db), *args]


def test_an_export_killed_at_random_points_is_never_torn(tmp_path):
    db = tmp_path / "k.sqlite3"
    subprocess.run(_cli("demo", "--clients", "2", "--notes", "6", db=db), check=True,
                   capture_output=True, timeout=120)
    out = tmp_path / "out"
    notes = subprocess.run(_cli("notes", "--json", db=db), check=True, capture_output=True,
                           text=True, timeout=60).stdout
    note_id = next(n["id"] for n in json.loads(notes) if n["status"] == "final")
    started = time.perf_counter()
    done = subprocess.run(_cli("export", str(note_id), "--out", str(out), db=db), check=True,
                          capture_output=True, text=True, timeout=60)
    full_time = time.perf_counter() - started
    final = [p for p in out.rglob("*.pdf")]
    assert len(final) == 1 and done.stdout.strip() == str(final[0])
    final[0].unlink()
    rng = random.Random(6)
    kills = torn = 0
    for i in range(12):
        inside = not i % 2
        command = (_slow_cli if inside else _cli)("export", str(note_id), "--out", str(out),
                                                  db=db)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not inside:  # anywhere in the run
            time.sleep(rng.uniform(0.3, 1.05) * full_time)
        else:  # inside the write: once its temporary file appears, within the slowed fsync
            deadline = time.perf_counter() + 3 * full_time + 5
            while (proc.poll() is None and time.perf_counter() < deadline
                   and not any(out.rglob(f"{TEMP_PREFIX}*"))):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.2))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        torn += bool(list(out.rglob(f"{TEMP_PREFIX}*")))  # killed inside the write
        for path in out.rglob("*.pdf"):  # nothing, or a complete handout
            assert len(PdfReader(path).pages) >= 1
            path.unlink()
    assert kills >= 3, "the kills must land while exports are running"
    assert torn >= 3, "the kills meant for the write must land inside it"
    subprocess.run(_cli("export", str(note_id), "--out", str(out), db=db), check=True,
                   capture_output=True, timeout=60)
    leftovers = [p.name for p in out.rglob(f"{TEMP_PREFIX}*")]
    assert leftovers == [], "the next export clears temporary files of killed writers"
    [pdf] = list(out.rglob("*.pdf"))
    assert len(PdfReader(pdf).pages) >= 1


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abc"
    mine.write_bytes(b"in progress")
    parent = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-def"
    parent.write_bytes(b"in progress")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{TEMP_PREFIX}{dead.pid}-ghi"
    stale.write_bytes(b"torn")
    assert sweep_stale_temps(tmp_path) == 1
    assert mine.exists() and parent.exists() and not stale.exists()
