"""Backups, rotation and restore on real SQLite files; the CLI through real processes."""
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from notes_tui.services import backups
from notes_tui.services.backups import (
    MANIFEST,
    BackupEntry,
    BackupError,
    NotABackup,
    read_manifest,
    restore_backup,
    rotate,
    take_backup,
)
from tests.conftest import full_note

WRITER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from notes_tui.services.context import open_context
    from notes_tui.services import notes
    from notes_tui.settings import Settings
    url, cid, stop, content = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    content = json.loads(Path(content).read_text())
    ctx = open_context(url, Settings(therapist_name="Writer"), migrate=False)
    done = 0
    while not stop.exists():
        with ctx.write() as s:
            nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
        with ctx.write() as s:
            notes.save_draft(nid, content, session=s, actor="Writer")
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="Writer")
        done += 1
    print(json.dumps({"finalized": done}))
""")


def run(*args, db: Path, input: str | None = None, env: dict | None = None, check=True):
    cmd = [sys.executable, "-m", "notes_tui", "--db", str(db), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, input=input,
                          env={**os.environ, **(env or {})}, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}: {proc.stderr}")
    return proc


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_restored(url: str) -> tuple[int, int]:
    """Integrity, verify, and every finalized note with its create and finalize events."""
    from notes_tui.services.audit import verify
    from notes_tui.services.context import open_context
    from notes_tui.services.note_digests import sealed_notes

    path = Path(url.removeprefix("sqlite:///"))
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ctx = open_context(url, migrate=False)
    try:
        with ctx.read() as s:
            report = verify(s, sealed_notes=sealed_notes)
            assert report.ok, report.problems
            finals = s.execute(text("SELECT id FROM note WHERE status = 'final'")).scalars().all()
            for action in ("create", "finalize"):
                audited = set(s.execute(text(
                    "SELECT entity_id FROM audit_event WHERE entity = 'note' AND action = :a"),
                    {"a": action}).scalars())
                assert set(finals) <= audited, action
            head = s.execute(text("SELECT seq FROM audit_head")).scalar()
            assert head == s.execute(text("SELECT max(seq) FROM audit_event")).scalar()
            notes = s.execute(text("SELECT count(*) FROM note")).scalar()
    finally:
        ctx.dispose()
    return notes, len(finals)


def test_twenty_backups_while_a_writer_finalizes_each_restore_consistent(sctx, tmp_path):
    from notes_tui.services.clients import create_client

    with sctx.write() as s:
        cid = create_client({"name": "Busy Client", "consent_on_file": "2026-01-05"},
                            session=s, actor="A").id
    script, content, stop = tmp_path / "writer.py", tmp_path / "note.json", tmp_path / "stop"
    script.write_text(WRITER)
    content.write_text(json.dumps(full_note()))
    writer = subprocess.Popen([sys.executable, str(script), sctx.url, str(cid), str(stop),
                               str(content)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    seen = []
    try:
        for i in range(20):
            result = take_backup(sctx.url, tmp_path / "backups")
            assert result.entry.status == "ok"
            assert result.path.stat().st_mode & 0o777 == 0o600
            restored = f"sqlite:///{tmp_path / f'restored-{i}.sqlite3'}"
            restore_backup(result.path, restored)
            notes, finals = check_restored(restored)
            assert (notes, finals) == (result.entry.notes, result.entry.finalized_notes)
            seen.append(notes)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert json.loads(out)["finalized"] > 0
    assert seen[-1] > seen[0], "the writer made no progress during the backups"


def _entries(folder: Path, times: list[datetime]) -> list[BackupEntry]:
    entries = []
    for t in times:
        name = f"notes-{t:%Y%m%dT%H%M%SZ}.sqlite"
        (folder / name).write_bytes(b"x")
        entries.append(BackupEntry(file=name, taken_at=t.isoformat(), status="ok"))
    return entries


def test_rotation_keeps_7_daily_4_weekly_12_monthly_and_no_foreign_file(tmp_path):
    start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    # two backups a day for 400 days
    times = [start + timedelta(days=d, hours=h) for d in range(400) for h in (0, 8)]
    entries = _entries(tmp_path, times)
    foreign = ["notes-20250101T090000Z.sqlite3", "notes.sqlite3", "holiday.jpg",
               "notes-20250102T090000Z.sqlite.bak"]
    for name in foreign:
        (tmp_path / name).write_bytes(b"not ours")
    unlisted = tmp_path / "notes-20250103T091500Z.sqlite"  # our pattern, not in the manifest
    unlisted.write_bytes(b"ours? not listed")
    kept, deleted = rotate(tmp_path, entries)
    kept_times = sorted(e.when for e in kept)
    newest = times[-1]
    days = {t.date() for t in kept_times}
    # the newest of each of the last 7 days
    last7 = sorted({t.date() for t in times})[-7:]
    assert set(last7) <= days
    for d in last7:
        assert max(t for t in times if t.date() == d) in kept_times
    # the newest of each of the last 4 ISO weeks and 12 months
    weeks = sorted({t.isocalendar()[:2] for t in times})[-4:]
    months = sorted({(t.year, t.month) for t in times})[-12:]
    for w in weeks:
        assert max(t for t in times if t.isocalendar()[:2] == w) in kept_times
    for m in months:
        assert max(t for t in times if (t.year, t.month) == m) in kept_times
    assert len(kept) <= 7 + 4 + 12 and newest in kept_times
    assert len(deleted) == len(times) - len(kept)
    for e in kept:
        assert (tmp_path / e.file).exists()
    for name in deleted:
        assert not (tmp_path / name).exists()
    for name in foreign:
        assert (tmp_path / name).read_bytes() == b"not ours"
    assert unlisted.exists()


def test_take_backup_rotates_through_the_manifest(sctx, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(10):
        take_backup(sctx.url, folder, now=start + timedelta(days=day))
    listed = read_manifest(folder)
    # 1-10 January 2026: the last 7 days (4-10) also hold the newest of both ISO weeks
    # (4 Jan, a Sunday, ends week 1) and of the month
    assert sorted(e.when.day for e in listed) == [4, 5, 6, 7, 8, 9, 10]
    on_disk = sorted(p.name for p in folder.glob("notes-*.sqlite"))
    assert on_disk == sorted(e.file for e in listed)
    assert (folder / "mine.txt").read_text() == "keep me"


def test_a_new_backups_folder_is_private_and_an_existing_one_keeps_its_mode(sctx, tmp_path):
    made = tmp_path / "new" / "backups"
    take_backup(sctx.url, made)
    assert made.stat().st_mode & 0o777 == 0o700
    shared = tmp_path / "synced"
    shared.mkdir()
    shared.chmod(0o755)
    take_backup(sctx.url, shared)
    assert shared.stat().st_mode & 0o777 == 0o755


@pytest.fixture
def demo_db(tmp_path) -> Path:
    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "4", "--notes", "12", db=db)
    return db


def _backup(db: Path, folder: Path) -> Path:
    out = run("backup", "--to", str(folder), db=db).stdout
    assert "verified" in out
    return Path(out.split()[0])


def test_cli_backup_backups_json_and_restore_keeps_the_current_db_aside(demo_db, tmp_path):
    folder = tmp_path / "b"
    path = _backup(demo_db, folder)
    listed = json.loads(run("backups", "--to", str(folder), "--json", db=demo_db).stdout)
    assert [e["file"] for e in listed] == [path.name]
    assert listed[0]["status"] == "ok" and listed[0]["present"] is True
    assert listed[0]["size"] == path.stat().st_size and listed[0]["sha256"] == sha(path)
    assert listed[0]["clients"] == 4 and listed[0]["notes"] == 12
    human = run("backups", "--to", str(folder), db=demo_db).stdout
    assert path.name in human and " ok" in human
    run("demo", "--clients", "1", "--notes", "3", "--seed", "9", db=demo_db)  # after the backup
    proc = run("restore", str(path), db=demo_db, check=False)  # no TTY, no --yes
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "--yes" in proc.stderr
    out = run("restore", str(path), "--yes", db=demo_db).stdout
    assert "verified" in out
    aside = list(demo_db.parent.glob("notes.sqlite3.before-restore-*"))
    assert len(aside) == 1
    count = "SELECT count(*) FROM note"
    assert sqlite3.connect(aside[0]).execute(count).fetchone() == (15,)
    assert sqlite3.connect(demo_db).execute(count).fetchone() == (12,)
    assert "ok:" in run("verify", db=demo_db).stdout
    assert not list(demo_db.parent.glob("*.restoring*"))


def _refused(db: Path, file: Path, words: str) -> None:
    before = sha(db)
    proc = run("restore", str(file), "--yes", db=db, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], lines
    assert "Traceback" not in proc.stderr
    assert sha(db) == before
    assert not list(db.parent.glob("*.before-restore-*"))
    assert not list(db.parent.glob("*.restoring*"))


def test_restore_refuses_a_foreign_a_corrupt_and_a_newer_file(demo_db, tmp_path):
    foreign = tmp_path / "other-app.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    con.commit()
    con.close()
    _refused(demo_db, foreign, "not a notes-tui database")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database at all\n")
    _refused(demo_db, text_file, "not a SQLite database")
    good = _backup(demo_db, tmp_path / "b")
    corrupt = tmp_path / "corrupt.sqlite"
    data = bytearray(good.read_bytes())
    page = 4096
    for i in range(2 * page, len(data) - page, 3 * page):  # scribble over pages past the first
        data[i + 100:i + 400] = os.urandom(300)
    corrupt.write_bytes(bytes(data))
    proc = run("restore", str(corrupt), "--yes", db=demo_db, check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "damaged" in proc.stderr or "not a SQLite database" in proc.stderr \
        or "failed verify" in proc.stderr
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(good.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    _refused(demo_db, newer, "newer notes-tui")


def test_restore_refuses_a_tampered_backup(demo_db, tmp_path):
    good = _backup(demo_db, tmp_path / "b")
    tampered = tmp_path / "tampered.sqlite"
    tampered.write_bytes(good.read_bytes())
    con = sqlite3.connect(tampered)
    con.execute("DROP TRIGGER trg_audit_update")
    con.execute("UPDATE audit_event SET actor = 'Mallory' WHERE seq = 2")
    con.commit()
    con.close()
    _refused(demo_db, tampered, "failed verify")


def test_restore_refuses_while_the_database_is_open(sctx, tmp_path):
    result = take_backup(sctx.url, tmp_path / "b")
    db = Path(sctx.url.removeprefix("sqlite:///"))
    before = sha(db)
    with sctx.engine.connect() as held:  # a running notes-tui has a connection open
        held.exec_driver_sql("SELECT count(*) FROM note").fetchall()
        with pytest.raises(BackupError, match="in use"):
            restore_backup(result.path, sctx.url)
    assert sha(db) == before
    assert not list(db.parent.glob("*.before-restore-*"))


def test_a_failed_check_lists_the_backup_as_failed_and_leaves_no_file(sctx, tmp_path,
                                                                       monkeypatch):
    def broken(*args, **kwargs):
        raise NotABackup("the backup of x: failed verify (made up)")

    monkeypatch.setattr(backups, "check_copy", broken)
    folder = tmp_path / "b"
    with pytest.raises(BackupError, match="failed verify"):
        take_backup(sctx.url, folder)
    assert not list(folder.glob("notes-*.sqlite")) and not list(folder.glob(".*partial*"))
    [entry] = read_manifest(folder)
    assert entry.status == "failed" and "made up" in entry.error
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["backups"][0]["status"] == "failed"


def test_backup_is_audited_and_quit_backup_only_after_a_change(sctx, tmp_path, monkeypatch):
    from dataclasses import replace

    from notes_tui.services.api import Services
    from notes_tui.settings import Backups

    sctx.settings = replace(sctx.settings, backups=Backups(folder=str(tmp_path / "b")))
    services = Services(sctx)
    assert services.backups.due(on_quit=True)  # no backup yet
    result = services.backups.take(reason="quit")
    with sctx.read() as s:
        last = s.execute(text("SELECT action, entity, digest FROM audit_event "
                              "ORDER BY seq DESC LIMIT 1")).one()
    assert tuple(last) == ("backup", "database", result.entry.sha256)
    assert not services.backups.due(on_quit=True)  # only the backup's own event since
    assert not services.backups.due(on_quit=False)
    assert services.backups.due(on_quit=False, now=datetime.now(UTC) + timedelta(hours=25))
    from notes_tui.services.clients import create_client

    with sctx.write() as s:
        create_client({"name": "New"}, session=s, actor="A")
    assert services.backups.due(on_quit=True)
    sctx.settings = replace(sctx.settings, backups=Backups(folder=str(tmp_path / "b"),
                                                           automatic=False))
    assert not services.backups.due(on_quit=True)


def test_postgres_backup_is_one_line_exit_2(tmp_path):
    proc = run("backup", db="postgresql+psycopg://nobody@127.0.0.1:1/none", check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "notes-tui: backups here are for the SQLite file: on PostgreSQL use pg_dump / "
        "your provider's backups"]


def test_encrypted_database_gives_an_encrypted_backup(tmp_path):
    pytest.importorskip("sqlcipher3")
    from notes_tui.db import encryption
    from notes_tui.services.api import Services
    from notes_tui.services.context import open_context

    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "3", "--notes", "6", db=db)
    names = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM client")]
    passphrase = "correct horse battery staple"
    encryption.encrypt_file(db, passphrase)
    ctx = open_context(f"sqlite:///{db}", passphrase=passphrase)
    try:
        result = Services(ctx).backups.take(to=tmp_path / "b")
    finally:
        ctx.dispose()
    assert result.entry.encrypted
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(result.path).execute("SELECT * FROM sqlite_master").fetchall()
    raw = result.path.read_bytes()
    assert all(name.encode() not in raw for name in names)
    restored = tmp_path / "restored.sqlite3"
    restore_backup(result.path, f"sqlite:///{restored}", passphrase)
    assert encryption.is_encrypted(restored)
    con = encryption.open_raw(restored, passphrase)
    assert sorted(r[0] for r in con.execute("SELECT name FROM client")) == sorted(names)
    con.close()
    with pytest.raises(BackupError):
        restore_backup(result.path, f"sqlite:///{tmp_path / 'x.sqlite3'}")  # no passphrase


def test_two_restores_in_one_second_keep_both_databases_aside(sctx, tmp_path):
    result = take_backup(sctx.url, tmp_path / "b")
    target = tmp_path / "t.sqlite3"
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for _ in range(3):
        restore_backup(result.path, f"sqlite:///{target}", now=now)
    aside = sorted(p.name for p in tmp_path.glob("t.sqlite3.before-restore-*"))
    assert aside == ["t.sqlite3.before-restore-20260301T120000Z",
                     "t.sqlite3.before-restore-20260301T120000Z-2"]


@pytest.mark.parametrize("command", ["backup", "backups", "restore", "retention"])
def test_new_commands_have_help(command, tmp_path):
    proc = run(command, "--help", db=tmp_path / "none.sqlite3")
    assert proc.stdout.startswith("Usage:") and not (tmp_path / "none.sqlite3").exists()


def test_settings_backups_folder_is_used_and_located(demo_db, tmp_path):
    from notes_tui.paths import settings_file

    folder = tmp_path / "synced backups"
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text(f'[backups]\nfolder = "{folder}"\nautomatic = false\n')
    out = run("backup", db=demo_db).stdout
    assert out.startswith(str(folder / "notes-"))
    assert json.loads(run("locate", "--json", db=demo_db).stdout)["backups"] == str(folder)
    assert len(json.loads(run("backups", "--json", db=demo_db).stdout)) == 1
    settings_file().write_text('[backups]\nautomatic = "yes"\n')
    proc = run("backups", db=demo_db, check=False)
    assert proc.returncode == 1 and "backups.automatic: must be true or false" in proc.stderr


def test_a_backup_from_an_older_release_restores_and_is_upgraded_on_open(tmp_path):
    from notes_tui.db.migrate import current_revision, head_revision
    from notes_tui.services.context import open_context
    from tests.test_migrations import _db_at_0004_with_a_final_note

    old = tmp_path / "old.sqlite3"
    _db_at_0004_with_a_final_note(f"sqlite:///{old}")
    target = tmp_path / "notes.sqlite3"
    result = restore_backup(old, f"sqlite:///{target}")
    assert result.facts.schema_revision == "0004" and not result.facts.verified
    assert result.facts.clients == 1
    ctx = open_context(f"sqlite:///{target}")  # upgraded here, as on any start
    try:
        assert current_revision(ctx.engine) == head_revision()
        with ctx.read() as s:
            assert s.execute(text("SELECT name FROM client")).scalars().all() == ["Old Client"]
    finally:
        ctx.dispose()
