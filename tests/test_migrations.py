"""Migrations build the schema; an older database is backed up and upgraded."""

import os
import stat
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from notes_tui.db.backends import is_search_object
from notes_tui.db.engine import make_engine
from notes_tui.db.migrate import alembic_config, current_revision, head_revision
from notes_tui.db.models import metadata
from notes_tui.paths import backups_dir
from notes_tui.services.context import open_context
from tests.conftest import BACKENDS, PG_URL, _pg_admin


def test_upgrade_head_gives_exactly_the_models_schema(ctx):
    with ctx.engine.connect() as conn:
        opts = {"compare_type": True,
                "include_name": lambda name, type_, parent: not is_search_object(name)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []
    assert current_revision(ctx.engine) == head_revision()


def test_older_database_is_backed_up_then_upgraded(sqlite_url, settings):
    engine = make_engine(sqlite_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO client (name, preferred_name, phone, email, "
                          "health_history, contraindications, sensitive_area_consent, archived, "
                          "created_at, updated_at) VALUES ('Old Client', '', '', '', '', '', 0, 0,"
                          " '2025-01-01 00:00:00', '2025-01-01 00:00:00')"))
    engine.dispose()
    ctx = open_context(sqlite_url, settings)
    assert current_revision(ctx.engine) == head_revision()
    backups = list(backups_dir().glob("*.sqlite3"))
    assert len(backups) == 1
    assert stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
    import sqlite3

    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("SELECT name FROM client").fetchone() == ("Old Client",)
    with ctx.read() as s:
        assert s.execute(text("SELECT name FROM client")).scalar() == "Old Client"


def test_new_database_needs_no_backup(sqlite_url, settings):
    open_context(sqlite_url, settings)
    assert not backups_dir().exists() or not list(backups_dir().iterdir())


def test_downgrade_to_base_and_back(sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = alembic_config(engine)
    for target, fn in (("head", command.upgrade), ("base", command.downgrade),
                       ("head", command.upgrade)):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            fn(cfg, target)
    assert current_revision(engine) == head_revision()
    assert Path(engine.url.database).exists()


def _db_at_0004_with_a_final_note(sqlite_url):
    """A database as the previous release made it: a client, a finalized note with a trigger
    point, an amendment, and a discarded draft whose id (the highest) was freed."""
    engine = make_engine(sqlite_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        stamp = "'2026-11-20 15:00:00'"
        conn.execute(text(
            "INSERT INTO client (id, name, preferred_name, phone, email, health_history, "
            "contraindications, sensitive_area_consent, archived, created_at, updated_at) "
            f"VALUES (1, 'Old Client', '', '', '', '', 'no deep calves', 0, 0, {stamp}, {stamp})"))
        cols = ("client_id, therapist_name, therapist_registration, session_start, timezone, "
                "technique, status, complaint, therapist_summary, client_summary, advice, "
                "what_to_expect, when_to_contact, referral, created_at, updated_at")
        vals = (f"1, 'Ana', 'R1', {stamp}, 'UTC', 'neuromuscular', 'draft', 'neck', '', '', "
                f"'', '', '', '', {stamp}, {stamp}")
        conn.execute(text(f"INSERT INTO note (id, {cols}) VALUES (1, {vals})"))
        conn.execute(text(
            "INSERT INTO note_trigger_point (note_id, position, muscle_id, muscle, side, label, "
            "referred_pain, activity, technique, note, confirmed) VALUES (1, 1, "
            "'upper_trapezius', '', 'left', '', '', 'active', 'ischemic_compression', '', 1)"))
        conn.execute(text("UPDATE note SET status = 'final', finalized_at = "
                          f"{stamp}, content_digest = 'd1' WHERE id = 1"))
        conn.execute(text("INSERT INTO amendment (note_id, author, created_at, reason, text, "
                          f"digest) VALUES (1, 'Ana', {stamp}, 'typo', 'left, not right', 'a1')"))
        conn.execute(text(f"INSERT INTO note (id, {cols}) VALUES (2, {vals})"))
        conn.execute(text("DELETE FROM note WHERE id = 2"))
    engine.dispose()


def test_0005_keeps_every_row_gives_uuids_and_never_reuses_ids(sqlite_url, settings):
    import sqlite3

    _db_at_0004_with_a_final_note(sqlite_url)
    open_context(sqlite_url, settings).dispose()
    db = sqlite3.connect(Path(make_engine(sqlite_url).url.database))
    assert db.execute("SELECT id, name, contraindications FROM client").fetchall() == [
        (1, "Old Client", "no deep calves")]
    assert db.execute("SELECT id, status, content_digest FROM note").fetchall() == [
        (1, "final", "d1")]
    assert db.execute("SELECT note_id, muscle_id FROM note_trigger_point").fetchall() == [
        (1, "upper_trapezius")]
    assert db.execute("SELECT note_id, text, content FROM amendment").fetchall() == [
        (1, "left, not right", None)]
    uuids = [r[0] for t in ("client", "note", "amendment")
             for r in db.execute(f"SELECT uuid FROM {t}")]
    assert len(set(uuids)) == 3 and all(len(u) == 36 for u in uuids)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # the lock triggers came back with the rebuilt tables
    for sql in ("UPDATE note SET complaint = 'x' WHERE id = 1", "DELETE FROM amendment"):
        try:
            db.execute(sql)
        except sqlite3.DatabaseError as exc:
            assert "final" in str(exc) or "amendments" in str(exc)
        else:
            raise AssertionError(f"{sql} was not refused after the upgrade")
    db.execute("PRAGMA foreign_keys=ON")
    with db:  # a new draft after the upgrade: the freed id 2 is not reused once 3 was given
        db.execute("INSERT INTO note (uuid, client_id, therapist_name, therapist_registration, "
                   "session_start, timezone, technique, status, complaint, therapist_summary, "
                   "client_summary, advice, what_to_expect, when_to_contact, referral, "
                   "created_at, updated_at) SELECT 'u-3', client_id, therapist_name, "
                   "therapist_registration, session_start, timezone, technique, 'draft', '', '', "
                   "'', '', '', '', '', created_at, updated_at FROM note WHERE id = 1")
        new_id = db.execute("SELECT max(id) FROM note").fetchone()[0]
        db.execute("DELETE FROM note WHERE id = ?", (new_id,))
        db.execute("INSERT INTO note (uuid, client_id, therapist_name, therapist_registration, "
                   "session_start, timezone, technique, status, complaint, therapist_summary, "
                   "client_summary, advice, what_to_expect, when_to_contact, referral, "
                   "created_at, updated_at) SELECT 'u-4', client_id, therapist_name, "
                   "therapist_registration, session_start, timezone, technique, 'draft', '', '', "
                   "'', '', '', '', '', created_at, updated_at FROM note WHERE id = 1")
    assert db.execute("SELECT max(id) FROM note").fetchone()[0] == new_id + 1


def test_discarded_draft_id_is_never_given_again(ctx, make_client, settings):
    from notes_tui.services import notes

    cid = make_client()
    with ctx.write() as s:
        first = notes.start_draft(cid, session=s, settings=settings).id
    with ctx.write() as s:
        notes.delete_draft(first, session=s, actor="Ana Lee")
    with ctx.write() as s:
        second = notes.start_draft(cid, session=s, settings=settings).id
    assert second > first


# --- migrations are frozen: their own DDL, never today's code --------------------------------

VERSIONS = Path(__file__).resolve().parents[1] / "notes_tui" / "db" / "migrations" / "versions"


def _imports_of_ours(path: Path) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "notes_tui"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "notes_tui":
            found.append(node.module)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.startswith("notes_tui.")):  # importlib.import_module("notes_tui.x")
            found.append(node.value)
    return found


def test_no_migration_imports_notes_tui():
    files = sorted(VERSIONS.glob("*.py"))
    assert len(files) >= 4
    offenders = {f.name: _imports_of_ours(f) for f in files if _imports_of_ours(f)}
    assert offenders == {}, "a migration must carry its own frozen DDL, not call today's code"


def _migration(revision: str):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_revision(revision).module


def _upgrade_to(url: str, revision: str):
    engine = make_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return engine


def _empty_database(kind: str, tmp_path: Path) -> str:
    """A database with nothing in it (the shared fixtures hand out migrated ones)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    if not PG_URL:
        pytest.skip("NOTES_TUI_TEST_PG_URL is not set (CI sets it; see .ci/run)")
    conn, u = _pg_admin()
    name = f"notes_e_{uuid.uuid4().hex[:10]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return u.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path) -> str:
    return _empty_database(request.param, tmp_path)


def test_sqlite_holds_exactly_the_frozen_statements(sqlite_url):
    """SQLite keeps each CREATE's text as written: the triggers, views and FTS tables of a
    database at 0003 are the frozen statements of 0001 and 0003, no more, no fewer."""
    import sqlite3

    engine = _upgrade_to(sqlite_url, "0003")
    engine.dispose()
    m1, m3 = _migration("0001"), _migration("0003")
    db = sqlite3.connect(engine.url.database)
    triggers = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert sorted(r[0] for r in triggers) == sorted(m1.SQLITE_LOCK_TRIGGERS)
    search = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' "
                        "OR name IN ('note_fts', 'note_fts_vocab')").fetchall()
    assert sorted(r[0] for r in search) == sorted(
        s for s in m3.SQLITE_SEARCH if s.startswith("CREATE "))
    db.close()


@pytest.mark.pg
def test_postgresql_holds_exactly_the_frozen_functions_and_triggers(tmp_path):
    """PostgreSQL keeps each function's body as written, and each trigger on its table."""
    import re

    engine = _upgrade_to(_empty_database("postgresql", tmp_path), "0003")
    frozen = _migration("0001").POSTGRESQL_LOCK_TRIGGERS
    bodies = dict(re.findall(r"FUNCTION (\w+)\(\) RETURNS trigger AS \$\$(.*?)\$\$", "\n".join(
        frozen), re.S))
    triggers = {m.group(1): m.group(2) for s in frozen
                if (m := re.match(r"CREATE TRIGGER (\w+) .* ON (\w+)\s", s, re.S))}
    with engine.connect() as conn:
        got_bodies = dict(conn.execute(text(
            "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'notes_tui%'")).all())
        got_triggers = dict(conn.execute(text(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")).all())
        search = conn.execute(text(
            "SELECT to_regclass('note_search_src'), to_regclass('note_search'), "
            "to_regclass('ix_note_search_tsv')")).one()
    engine.dispose()
    assert len(bodies) == 3 and got_bodies == bodies
    assert len(triggers) == 7 and got_triggers == triggers
    assert all(search), search


def test_downgrade_to_base_leaves_nothing_behind(empty_db_url):
    """Each frozen drop list undoes its create list on both backends."""
    engine = _upgrade_to(empty_db_url, "head")
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            left = conn.execute(text("SELECT name FROM sqlite_master WHERE name NOT LIKE "
                                     "'sqlite_%'")).scalars().all()
        else:
            left = conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION ALL "
                "SELECT proname FROM pg_proc WHERE proname LIKE 'notes_tui%' UNION ALL "
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public'")).scalars().all()
    engine.dispose()
    assert [n for n in left if not n.startswith("alembic_version")] == []
