"""Reads never wait for a writer: while another process holds the SQLite write lock (a real
write transaction, left open), the CLI's lists, dump and search and the services' read verbs all
answer, and none of them sees the other process's uncommitted change. A read is a read-only
snapshot on both backends: a write inside one is refused loudly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from notes_tui.services.api import Services
from notes_tui.services.clients import create_client

# A second process that writes a client and keeps its transaction open (so it holds the SQLite
# write lock) until its standard input closes; then it rolls back.
HOLDER = textwrap.dedent("""
    import sys
    from notes_tui.services.clients import create_client
    from notes_tui.services.context import open_context
    from notes_tui.settings import Settings

    ctx = open_context(sys.argv[1], Settings(therapist_name="Holder"), migrate=False)
    try:
        with ctx.write() as s:
            create_client({"name": "Uncommitted Person"}, session=s, actor="holder")
            s.flush()
            print("locked", flush=True)
            sys.stdin.read()
            raise KeyboardInterrupt  # roll back: nothing of this is ever committed
    except KeyboardInterrupt:
        print("released", flush=True)
""")


def _cli(db, *args) -> list[str]:
    return [sys.executable, "-m", "notes_tui", "--db", str(db), *args]


@pytest.fixture
def loaded(sctx):
    Services(sctx).demo.load(clients=3, notes=12, seed=4)
    return sctx


@pytest.fixture
def holder(loaded, tmp_path):
    """Another process holding the write lock; yields a check that it still holds it."""
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen([sys.executable, str(script), loaded.url], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    db_file = loaded.url.removeprefix("sqlite:///")

    def still_holds() -> bool:
        if proc.poll() is not None:
            return False
        probe = sqlite3.connect(db_file, timeout=0.05, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()

    assert still_holds(), "the holder must really hold the write lock"
    yield still_holds
    proc.stdin.close()
    assert proc.stdout.readline().strip() == "released"
    proc.wait(timeout=60)


def test_the_cli_lists_dump_and_search_while_another_process_writes(loaded, holder, tmp_path):
    db = loaded.url.removeprefix("sqlite:///")
    commands = {
        "clients": _cli(db, "clients", "--json"),
        "notes": _cli(db, "notes", "--json"),
        "dump": _cli(db, "dump", str(tmp_path / "dump.json")),
        "search": _cli(db, "search", "--json", "jaw"),
        "verify": _cli(db, "verify"),
    }
    # all at once: each would wait 10 s (the busy timeout) and fail if a read took the lock
    procs = {name: subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for name, cmd in commands.items()}
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name}: {stderr}"
        out[name] = stdout
    assert holder(), "every read finished while the other process still held the write lock"
    clients = json.loads(out["clients"])
    assert len(clients) == 3 and "Uncommitted Person" not in {c["name"] for c in clients}
    assert len(json.loads(out["notes"])) == 12
    dumped = json.loads((tmp_path / "dump.json").read_text(encoding="utf-8"))
    assert len(dumped["clients"]) == 3 and len(dumped["notes"]) == 12
    assert json.loads(out["search"])["results"], "the demo notes mention the jaw"
    assert out["verify"].startswith("ok:")


def test_the_services_read_verbs_answer_while_another_process_writes(loaded, holder):
    services = Services(loaded)
    clients = services.clients.list()
    assert len(clients) == 3
    cid = clients[0].id
    assert services.clients.get(cid).name == clients[0].name
    assert services.clients.find(clients[0].name[:4])
    history = services.clients.history(cid)
    notes = services.notes.list()
    assert len(notes) == 12 and history.client.id == cid
    view = services.notes.get(notes[0].id)
    opened = services.notes.open_draft(notes[0].id)
    assert opened.note.id == view.id
    page = services.search.notes("jaw")
    assert page.hits
    assert services.templates.list().templates
    assert holder(), "every read finished while the other process still held the write lock"


def test_a_write_inside_a_read_is_refused_loudly(ctx):
    with pytest.raises(Exception, match="(?i)read-?only"), ctx.read() as s:
        s.execute(text("UPDATE audit_head SET seq = seq + 1"))
    # an ORM change left pending, too
    with pytest.raises(Exception, match="(?i)read-?only"), ctx.read() as s:
        create_client({"name": "Written In A Read"}, session=s, actor="x")
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM client")).scalar() == 0
    with ctx.write() as s:  # the connection went back to the pool fit for writing
        create_client({"name": "Written In A Write"}, session=s, actor="x")
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM client")).scalar() == 1


def test_a_read_sees_one_snapshot_from_its_first_statement_to_its_end(ctx):
    with ctx.write() as s:
        create_client({"name": "First"}, session=s, actor="x")
    with ctx.read() as s:
        before = s.execute(text("SELECT count(*) FROM client")).scalar()
        with ctx.write() as w:  # another transaction commits in the middle of the read
            create_client({"name": "Second"}, session=w, actor="x")
        names = s.execute(text("SELECT name FROM client")).scalars().all()
    assert before == 1 and names == ["First"]
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM client")).scalar() == 2
