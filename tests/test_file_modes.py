"""No harm to files that are not ours, under a permissive umask (022) and none at all (000): the
CLI runs as a real process. What the app creates is private (folders 0700, database and exports
0600); what already exists keeps its mode; another program's SQLite file and a misspelt path are
refused, touching nothing; a read-only database still reads; settings text is cleaned."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

UMASKS = [0o022, 0o000]


def _mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def cli(*args: str, db: Path | None = None, umask: int = 0o022, input: str | None = None,
        env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "notes_tui"] + (["--db", str(db)] if db is not None else [])
    return subprocess.run(cmd + list(args), capture_output=True, text=True, input=input,
                          env={**os.environ, **(env or {})}, timeout=300,
                          preexec_fn=lambda: os.umask(umask))


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, proc.stderr
    return proc


def one_line(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr + proc.stdout
    [line] = proc.stderr.strip().splitlines()
    return line


def _below(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


# --- what the app creates --------------------------------------------------------------------

@pytest.mark.parametrize("umask", UMASKS, ids=["umask022", "umask000"])
def test_what_the_app_creates_is_private_whatever_the_umask(tmp_path, umask):
    db = tmp_path / "new" / "deeper" / "notes.sqlite3"
    exports = tmp_path / "exp" / "handouts"
    env = {"NOTES_TUI_EXPORTS": str(exports)}
    ok(cli("demo", "--clients", "2", "--notes", "6", db=db, umask=umask))
    assert _mode(tmp_path / "new") == _mode(tmp_path / "new" / "deeper") == 0o700
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            assert _mode(f"{db}{suffix}") == 0o600, suffix
    note = next(n["id"] for n in json.loads(ok(cli("notes", "--json", db=db)).stdout)
                if n["status"] == "final")
    pdf = Path(ok(cli("export", str(note), db=db, umask=umask, env=env)).stdout.strip())
    record = Path(ok(cli("record", "1", db=db, umask=umask, env=env)).stdout.strip())
    dumped = tmp_path / "dumps" / "all.json"
    ok(cli("dump", str(dumped), db=db, umask=umask))
    assert pdf.is_file() and record.is_file() and pdf.parent.parent == exports
    for path in [*_below(tmp_path / "exp"), dumped.parent]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert _mode(dumped) == 0o600


@pytest.mark.parametrize("umask", UMASKS, ids=["umask022", "umask000"])
def test_a_new_database_its_wal_and_shm_and_the_data_dir_are_private(settings, umask):
    from notes_tui.paths import data_dir, default_db_path
    from notes_tui.services import clients
    from notes_tui.services.context import open_context

    old = os.umask(umask)
    try:
        ctx = open_context(f"sqlite:///{default_db_path()}", settings)
        with ctx.write() as s:
            clients.create_client({"name": "Jane"}, session=s, actor="Ana")
        with ctx.engine.connect():
            assert _mode(data_dir()) == 0o700
            for suffix in ("", "-wal", "-shm"):
                assert _mode(f"{default_db_path()}{suffix}") == 0o600, suffix
        ctx.dispose()
    finally:
        os.umask(old)


@pytest.mark.parametrize("umask", UMASKS, ids=["umask022", "umask000"])
def test_ensure_private_dir_makes_missing_parents_private_and_leaves_existing_ones(tmp_path,
                                                                                  umask):
    from notes_tui.paths import ensure_private_dir

    mine = tmp_path / "mine"
    mine.mkdir()
    os.chmod(mine, 0o755)
    old = os.umask(umask)
    try:
        ensure_private_dir(mine / "a" / "b")
        ensure_private_dir(mine)
    finally:
        os.umask(old)
    assert _mode(mine) == 0o755
    assert _mode(mine / "a") == _mode(mine / "a" / "b") == 0o700


# --- what exists keeps its mode --------------------------------------------------------------

@pytest.mark.parametrize("umask", UMASKS, ids=["umask022", "umask000"])
def test_a_sticky_shared_folder_keeps_1777(tmp_path, umask):
    shared = tmp_path / "everyones"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    db = shared / "notes.sqlite3"
    ok(cli("demo", "--clients", "1", "--notes", "2", db=db, umask=umask))
    ok(cli("clients", db=db, umask=umask))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert _mode(db) == 0o600


def test_an_existing_exports_folder_keeps_its_mode(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    os.chmod(exports, 0o755)
    db = tmp_path / "a.sqlite3"
    ok(cli("demo", "--clients", "1", "--notes", "2", db=db))
    record = Path(ok(cli("record", "1", db=db, env={"NOTES_TUI_EXPORTS": str(exports)}))
                  .stdout.strip())
    assert _mode(exports) == 0o755
    assert _mode(record.parent) == 0o700 and _mode(record) == 0o600


@pytest.mark.parametrize("umask", UMASKS, ids=["umask022", "umask000"])
def test_a_database_others_can_read_keeps_its_mode_and_a_warning_says_so(tmp_path, umask):
    db = tmp_path / "a.sqlite3"
    ok(cli("demo", "--clients", "2", "--notes", "3", db=db))
    os.chmod(db, 0o644)
    proc = ok(cli("clients", db=db, umask=umask))
    assert len(proc.stdout.splitlines()) == 2
    assert one_line(proc) == (f"notes-tui: warning: {db} can be read by other users of this "
                              "computer (chmod 600 it to keep the notes private)")
    assert _mode(db) == 0o644
    os.chmod(db, 0o600)
    assert ok(cli("clients", db=db)).stderr == ""


# --- files that are not ours -----------------------------------------------------------------

def _foreign(path: Path) -> bytes:
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT);"
                      "INSERT INTO contacts (name) VALUES ('Someone else''s data');")
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("args", [("clients",), ("demo", "--clients", "1", "--notes", "1"),
                                  ("db", "upgrade"), ("verify",), ("--create", "dump")])
def test_another_programs_sqlite_file_is_refused_and_left_byte_for_byte(tmp_path, args):
    db = tmp_path / "photos.db"
    before = _foreign(db)
    os.chmod(db, 0o644)
    proc = cli(*args, db=db)
    assert proc.returncode == 2
    assert one_line(proc) == (f"notes-tui: {db} is not a notes-tui database (it has tables of "
                              "another program); nothing was changed")
    assert db.read_bytes() == before and _mode(db) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.db"]  # no -wal, no -shm
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_an_empty_file_is_ours_to_fill(tmp_path):
    db = tmp_path / "empty.sqlite3"
    db.touch()
    os.chmod(db, 0o600)
    assert ok(cli("clients", db=db)).stdout == ""
    assert ok(cli("verify", db=db)).stdout.startswith("ok:")


def test_an_encrypted_database_is_not_taken_for_another_programs(tmp_path):
    db = tmp_path / "secret.sqlite3"
    db.write_bytes(os.urandom(8192))  # what SQLCipher's file looks like without the key
    os.chmod(db, 0o600)
    proc = cli("clients", db=db, input="")
    assert proc.returncode != 0
    assert "not a notes-tui database" not in proc.stderr
    assert "passphrase" in one_line(proc)


# --- a path with no file ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [("clients",), ("verify",), ("dump",), ("notes",),
                                  ("search", "neck"), ("db", "upgrade")])
def test_a_misspelt_path_is_refused_and_nothing_is_created(tmp_path, args):
    db = tmp_path / "typo" / "notse.sqlite3"
    proc = cli(*args, db=db)
    assert proc.returncode == 2
    assert one_line(proc) == (f"notes-tui: no database at {db}; check the path, or pass "
                              "--create to start a new one")
    assert not (tmp_path / "typo").exists()


def test_create_starts_a_new_database_and_demo_and_import_create_one(tmp_path):
    new = tmp_path / "new.sqlite3"
    assert ok(cli("--create", "clients", db=new)).stdout == "" and new.is_file()
    demo = tmp_path / "demo.sqlite3"
    ok(cli("demo", "--clients", "2", "--notes", "2", db=demo))
    dumped = ok(cli("dump", db=demo)).stdout
    imported = tmp_path / "imported.sqlite3"
    assert "imported 2 clients" in ok(cli("import", "-", db=imported, input=dumped)).stdout
    assert _mode(new) == _mode(demo) == _mode(imported) == 0o600


def test_the_first_run_creates_the_default_database(tmp_path):
    from notes_tui.paths import default_db_path

    assert not default_db_path().exists()
    assert ok(cli("clients")).stdout == ""  # no --db, no NOTES_TUI_DB: the data dir's file
    assert default_db_path().is_file() and _mode(default_db_path()) == 0o600
    assert _mode(default_db_path().parent) == 0o700


def test_the_app_is_refused_a_misspelt_path_too(tmp_path):
    db = tmp_path / "notse.sqlite3"
    proc = cli(db=db)  # no command: the app, refused before it takes the terminal
    assert proc.returncode == 2 and "no database at" in one_line(proc)
    assert not db.exists()


# --- a read-only database --------------------------------------------------------------------

@pytest.fixture
def loaded(tmp_path) -> Path:
    db = tmp_path / "ro" / "notes.sqlite3"
    ok(cli("demo", "--clients", "3", "--notes", "9", db=db))
    return db


@pytest.mark.parametrize("how", ["file 0400", "folder 0500"])
def test_a_read_only_database_reads_and_refuses_changes_in_one_line(loaded, how, tmp_path):
    dumped = ok(cli("dump", db=loaded)).stdout
    target = loaded if how == "file 0400" else loaded.parent
    os.chmod(target, 0o400 if how == "file 0400" else 0o500)
    before = loaded.read_bytes()
    try:
        assert ok(cli("dump", db=loaded)).stdout == dumped
        assert ok(cli("verify", db=loaded)).stdout.startswith("ok:")
        assert json.loads(ok(cli("search", "--json", "status:final", db=loaded)).stdout)["results"]
        assert ok(cli("clients", db=loaded)).stdout.count("last visit") == 3
        record = cli("record", "1", db=loaded, env={"NOTES_TUI_EXPORTS": str(tmp_path / "x")})
        assert Path(ok(record).stdout.strip()).is_file()
        assert one_line(record) == ("notes-tui: warning: the database is read-only: this export "
                                    "is not recorded in its audit trail")
        doc = tmp_path / "doc.json"
        doc.write_text(dumped, encoding="utf-8")
        for args in (("demo", "--clients", "1"), ("import", str(doc)), ("db", "reindex")):
            proc = cli(*args, db=loaded)
            assert proc.returncode == 2, args
            assert one_line(proc) == f"notes-tui: the database is read-only ({loaded})", args
        assert loaded.read_bytes() == before
    finally:
        os.chmod(target, 0o600 if how == "file 0400" else 0o700)


async def test_the_app_on_a_read_only_database_says_so_and_refuses_a_change(loaded):
    from notes_tui.db.sqlite_file import ReadOnlyDatabase
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app
    from tests.ui.helpers import settle

    os.chmod(loaded, 0o400)
    try:
        app = make_app(f"sqlite:///{loaded}", Settings(therapist_name="Ana Lee"))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            services = app.open_services()
            await settle(pilot)
            assert services.read_only and "read-only" in app.title
            assert any("read-only" in n.message for n in app._notifications)
            with pytest.raises(ReadOnlyDatabase, match="the database is read-only"):
                services.clients.create({"name": "New Client"})
    finally:
        os.chmod(loaded, 0o600)


async def test_the_app_shows_the_warning_the_cli_would_print(sqlite_url):
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app
    from tests.ui.helpers import settle

    notice = "warning: /x/notes.sqlite3 can be read by other users of this computer"
    app = make_app(sqlite_url, Settings(), notices=(notice,))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert notice in [n.message for n in app._notifications]
        assert "read-only" not in app.title


# --- the screenshot and the settings ---------------------------------------------------------

async def test_the_screenshot_is_private_and_in_the_state_dir(sqlite_url, tmp_path, monkeypatch):
    from notes_tui.paths import state_dir
    from notes_tui.settings import Settings
    from notes_tui.ui.app import make_app
    from tests.ui.helpers import settle

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = make_app(sqlite_url, Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        old = os.umask(0o000)
        try:
            app.action_screenshot()
        finally:
            os.umask(old)
        await settle(pilot)
    [svg] = (state_dir() / "screenshots").iterdir()
    assert svg.suffix == ".svg" and "<svg" in svg.read_text(encoding="utf-8")
    assert _mode(svg) == 0o600 and _mode(svg.parent) == 0o700
    assert not list(tmp_path.glob("*.svg")) and not (tmp_path / "home" / "Downloads").exists()


HOSTILE_NAME = "Ana\x1b[31m Lee\u202e\u200b\x07"
HOSTILE_CLINIC = "Clinic\u2066 One\x1b]0;owned\x07"


def test_a_hostile_therapist_name_in_settings_is_cleaned_in_signatures(tmp_path):
    from notes_tui.paths import settings_file

    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text(
        f"therapist_name = {json.dumps(HOSTILE_NAME)}\n[clinic]\n"
        f"name = {json.dumps(HOSTILE_CLINIC)}\n", encoding="utf-8")
    db = tmp_path / "a.sqlite3"
    ok(cli("demo", "--clients", "2", "--notes", "6", db=db))
    notes = json.loads(ok(cli("dump", db=db)).stdout)["notes"]
    signed = {n["finalized_by"] for n in notes if n["status"] == "final"}
    assert signed == {"Ana[31m Lee"}

    from notes_tui.settings import load_settings

    loaded = load_settings()
    assert loaded.therapist_name == "Ana[31m Lee"
    assert loaded.clinic.name == "Clinic One]0;owned"
