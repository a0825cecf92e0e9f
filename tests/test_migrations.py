"""Migrations build the schema; an older database is backed up and upgraded."""

import os
import stat
from pathlib import Path

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
