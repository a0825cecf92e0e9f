"""Encryption at rest (SQLCipher): real files, real processes, the bytes on the disk read back."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from notes_tui.db import encryption

PASS = "correct horse battery staple"


def run(*args, db: Path, input: str | None = None, env: dict | None = None, check=True):
    cmd = [sys.executable, "-m", "notes_tui", "--db", str(db), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, input=input,
                          env={**os.environ, **(env or {})}, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture
def passfile(tmp_path) -> dict:
    p = tmp_path / "pass"
    p.write_text(PASS + "\n", encoding="utf-8")
    p.chmod(0o600)
    return {encryption.PASSPHRASE_ENV: str(p)}


@pytest.fixture
def encrypted(tmp_path) -> tuple[Path, str, list[str]]:
    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "5", "--notes", "20", db=db)
    names = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM client")]
    plain_dump = run("dump", db=db).stdout
    out = run("db", "encrypt", db=db, input=PASS + "\n").stdout
    assert "encrypted:" in out
    return db, plain_dump, names


def test_encrypted_file_is_not_readable_and_holds_no_client_name(encrypted, passfile):
    db, _, names = encrypted
    run("clients", db=db, env=passfile)  # the app's use leaves a -wal behind too
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()
    for f in [db, *(Path(str(db) + s) for s in ("-wal", "-shm"))]:
        if f.exists():
            raw = f.read_bytes()
            assert b"SQLite format 3" not in raw[:16]
            for name in names:
                for part in name.split():
                    assert part.encode() not in raw, (f.name, part)
    assert not list(db.parent.glob("*.converting*"))
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_opened_with_passphrase_file_lists_searches_and_verifies(encrypted, passfile):
    db, _, names = encrypted
    out = run("clients", db=db, env=passfile).stdout
    assert all(n in out for n in names)
    found = run("search", "neck", db=db, env=passfile).stdout  # FTS5 inside SQLCipher
    assert "«neck»" in found
    assert run("verify", db=db, env=passfile).stdout.startswith("ok:")


def test_fts5_is_compiled_in():
    con = encryption.dbapi().connect(":memory:")
    opts = {r[0] for r in con.execute("PRAGMA compile_options")}
    assert "ENABLE_FTS5" in opts
    assert con.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")


def test_wrong_or_missing_passphrase_is_one_line_and_non_zero(encrypted):
    db, _, _ = encrypted
    wrong = run("clients", db=db, input="not it\n", check=False)
    assert wrong.returncode == 1
    assert wrong.stderr.strip().splitlines() == [
        f"notes-tui: {db}: wrong passphrase (or not a notes-tui database)"]
    none = run("clients", db=db, input="", check=False)
    assert none.returncode == 1 and len(none.stderr.strip().splitlines()) == 1


def test_passphrase_file_readable_by_others_is_refused(encrypted, tmp_path):
    db, _, _ = encrypted
    p = tmp_path / "loose"
    p.write_text(PASS, encoding="utf-8")
    p.chmod(0o644)
    proc = run("clients", db=db, env={encryption.PASSPHRASE_ENV: str(p)}, check=False)
    assert proc.returncode == 1 and "readable by others" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_encrypt_then_decrypt_round_trips_every_note(encrypted, passfile):
    db, plain_dump, _ = encrypted
    assert run("dump", db=db, env=passfile).stdout == plain_dump
    out = run("db", "decrypt", db=db, input=PASS + "\n").stdout
    kept = Path(out.split("encrypted original kept: ")[1].strip())
    assert encryption.is_encrypted(kept) and not encryption.is_encrypted(db)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM note").fetchone()[0] == 20
    assert run("dump", db=db).stdout == plain_dump
    assert run("verify", db=db).stdout.startswith("ok:")
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_encrypt_twice_and_decrypt_plain_are_refused(encrypted, tmp_path):
    db, _, _ = encrypted
    again = run("db", "encrypt", db=db, input=PASS + "\n", check=False)
    assert again.returncode == 1 and "already encrypted" in again.stderr
    plain = tmp_path / "plain.sqlite3"
    run("demo", "--clients", "1", "--notes", "1", db=plain)
    dec = run("db", "decrypt", db=plain, input=PASS + "\n", check=False)
    assert dec.returncode == 1 and "not encrypted" in dec.stderr


def test_services_open_an_encrypted_file_with_the_passphrase_file(encrypted, passfile,
                                                                  monkeypatch):
    """What the app does before its first screen (NotesApp.open_services -> open_context)."""
    from notes_tui.services.api import Services
    from notes_tui.services.context import open_context

    db, _, names = encrypted
    with pytest.raises(encryption.PassphraseNeeded):
        open_context(f"sqlite:///{db}")
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, passfile[encryption.PASSPHRASE_ENV])
    ctx = open_context(f"sqlite:///{db}")
    try:
        with ctx.read() as s:
            from sqlalchemy import text
            got = {r[0] for r in s.execute(text("SELECT name FROM client"))}
        assert got == set(names)
        assert Services(ctx) is not None
    finally:
        ctx.dispose()


def test_encrypt_takes_a_backup_first_and_leaves_no_plain_backup(tmp_path, passfile):
    import json

    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "4", "--notes", "8", db=db)
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("SELECT name FROM client")]
    con.close()
    run("backup", db=db)  # a plain backup from before
    from notes_tui.paths import backups_dir

    run("restore", next(backups_dir().glob("notes-*.sqlite")).as_posix(), "--yes",
        db=db)  # which keeps a plain copy of the database aside
    out = run("db", "encrypt", db=db, input=PASS + "\n").stdout
    [aside] = db.parent.glob("notes.sqlite3.before-restore-*")
    assert f"encrypted too: {aside}" in out
    assert not aside.read_bytes().startswith(b"SQLite format 3")
    listed = json.loads(run("backups", "--json", db=db, env=passfile).stdout)
    # (rotation keeps the newest of the day: the earlier plain one may be gone already)
    assert "encrypted:" in out and f"backups: {len(listed)} encrypted" in out
    assert listed[0]["reason"] == "before encrypt"
    assert all(e["encrypted"] and e["status"] == "ok" for e in listed)
    for entry in listed:
        raw = Path(entry["path"]).read_bytes()
        assert not raw.startswith(b"SQLite format 3")
        for name in names:
            assert name.split()[0].encode() not in raw, (entry["file"], name)
    newest = listed[0]["path"]
    restored = run("restore", newest, "--yes", db=db, env=passfile)
    assert restored.returncode == 0
    assert run("verify", db=db, env=passfile).stdout.startswith("ok")
