"""Progress on long work: the services count their work through a plain callback; the CLI draws
a bar from it on a terminal and writes not one byte of it into a pipe or a file."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

from notes_tui.services.api import Services
from notes_tui.services.audit import verify
from notes_tui.services.interchange import import_document, write_dump
from notes_tui.services.note_digests import sealed_notes


class Calls(list):
    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))

    def check_counts_up_to(self, total: int) -> None:
        """From 0 to `total`, never backwards, never past the total it gave."""
        assert self and self[0][0] == 0 and self[-1] == (total, total)
        dones = [d for d, _ in self]
        assert dones == sorted(dones) and all(d <= t for d, t in self)


def test_the_services_report_their_progress(sctx, tmp_path):
    services = Services(sctx)
    loading = Calls()
    services.demo.load(clients=3, notes=30, seed=2, progress=loading)
    loading.check_counts_up_to(61)  # 30 notes made, 30 written, the search index and the ids

    dumping, out = Calls(), io.StringIO()
    with sctx.read() as s:
        write_dump(s, out, dumping)
    dumping.check_counts_up_to(30)

    checking = Calls()
    with sctx.read() as s:
        report = verify(s, sealed_notes=partial(sealed_notes, progress=checking, chunk=7))
    assert report.ok
    checking.check_counts_up_to(report.finalized_notes)
    assert len(checking) == 1 + -(-report.finalized_notes // 7)  # once per chunk

    client_id = services.clients.list(limit=1)[0].id
    notes_of_client = len(services.notes.list(client_id=client_id, limit=1000))
    recording = Calls()
    assert services.records.export(client_id, out=tmp_path / "pdf", progress=recording).is_file()
    recording.check_counts_up_to(notes_of_client + 1)  # each note, then laying out the PDF


def test_an_import_reports_its_progress(sctx, sqlite_url, tmp_path):
    Services(sctx).demo.load(clients=2, notes=12, seed=3)
    out = io.StringIO()
    with sctx.read() as s:
        write_dump(s, out)
    from notes_tui.services.context import open_context

    target = open_context("sqlite:///" + str(tmp_path / "b.sqlite3"), sctx.settings)
    importing = Calls()
    with target.write() as s:
        result = import_document(json.loads(out.getvalue()), session=s, actor="A",
                                 progress=importing)
    assert result.notes == 12
    importing.check_counts_up_to(13)


def _cli(*args, db: Path, stderr=subprocess.PIPE, input=None):
    return subprocess.run([sys.executable, "-m", "notes_tui", "--db", str(db), *args],
                          stdout=subprocess.PIPE, stderr=stderr, input=input,
                          env=os.environ.copy(), timeout=300, check=True)


def test_piped_output_holds_no_progress(tmp_path):
    db, other, dumped = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "all.json"
    quiet = {
        ("demo", "--clients", "3", "--notes", "30"): "",
        ("dump", str(dumped)): f"wrote {dumped}\n",
        ("verify",): "",
        ("db", "reindex"): "",
        ("record", "1", "--out", str(tmp_path / "pdf")): "",
    }
    for args, stderr in quiet.items():
        proc = _cli(*args, db=db)
        assert proc.stderr.decode() == stderr, args
        assert b"\x1b" not in proc.stdout and "━".encode() not in proc.stdout, args
    proc = _cli("import", str(dumped), db=other)
    assert proc.stderr == b"" and proc.stdout.decode().startswith("imported 3 clients, 30 notes")


def test_a_terminal_shows_progress_and_keeps_the_result_line(tmp_path):
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = _cli("demo", "--clients", "4", "--notes", "400", db=tmp_path / "a.sqlite3",
                    stderr=slave)
    finally:
        os.close(slave)
        reader.join(timeout=30)
        os.close(master)
    assert proc.stdout.decode() == "added 4 clients and 400 notes\n"  # stdout stays plain
    shown = seen.decode("utf-8", "replace")
    assert "adding sample notes" in shown and "/801" in shown
