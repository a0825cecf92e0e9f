"""Schema management: a new database is built by the migrations; one at an older revision is
backed up (a timestamped 0600 copy of the SQLite file, made with SQLite's backup API) and then
upgraded. Never `create_all` on a user's file.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False)
                            .replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None


def backup_sqlite(db_file: Path, backups: Path, label: str) -> Path:
    backups.mkdir(parents=True, exist_ok=True)
    os.chmod(backups, 0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"{db_file.stem}-{stamp}-{label}.sqlite3"
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    src = sqlite3.connect(str(db_file))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)
    return target


def upgrade(engine: Engine, *, backups: Path | None = None) -> UpgradeResult:
    """Bring the schema to head. Backs up an existing SQLite database before changing it."""
    from alembic import command

    from notes_tui.db.engine import protect_sqlite_files, sqlite_path

    before = current_revision(engine)
    head = head_revision()
    backup = None
    if before == head:
        return UpgradeResult(before, head, None)
    db_file = sqlite_path(str(engine.url))
    if before is not None and db_file is not None and backups is not None:
        backup = backup_sqlite(db_file, backups, f"before-{head}")
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # A table rebuild (migration 0005) drops a parent table: with foreign keys on, that
            # would cascade to its children. The pragma only takes effect outside a
            # transaction, so it is set on the driver's connection before SQLAlchemy begins.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if engine.dialect.name == "sqlite":
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the upgrade broke {len(broken)} references "
                                           f"(first: {broken[0]}); nothing was changed")
        finally:
            if engine.dialect.name == "sqlite":
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    protect_sqlite_files(str(engine.url))
    return UpgradeResult(before, head, backup)
