"""Schema management: a new database is built by the migrations; one at an older revision is
backed up (a timestamped 0600 copy of the SQLite file, made with SQLite's backup API) and then
upgraded. Never `create_all` on a user's file.

A database at a revision this notes-tui does not know (written by a newer notes-tui) is refused
before anything is touched: `DatabaseTooNew` names both revisions and what to do, and no backup
is made. A backup is made only when an upgrade will run, and only once per file content: a start
that fails during the upgrade and is tried again keeps the first copy rather than adding another.
"""

from __future__ import annotations

import filecmp
import glob
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine.interfaces import DBAPIConnection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False)
                            .replace("%", "%%"))
    return cfg


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return cast(str, _script().get_current_head())  # the migrations folder has one head


class DatabaseTooNew(Exception):
    """The database was upgraded by a newer notes-tui: this one cannot read or change it."""

    def __init__(self, found: str, head: str) -> None:
        self.found, self.head = found, head
        super().__init__(f"this database is at revision {found}, newer than this notes-tui "
                         f"({head}): install a newer notes-tui, or open a backup")


def current_revision(engine: Engine) -> str | None:
    """The database's revision, read in a read-only transaction: a start that finds the schema
    at head never waits for another process's write lock."""
    from alembic.runtime.migration import MigrationContext

    from notes_tui.db.engine import reading

    with reading(engine).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None

    def crossed(self, revision: str) -> bool:
        """This upgrade ran `revision` on a database that existed before it (not a new one)."""
        if self.before is None or self.before == self.after:
            return False
        ran = {r.revision for r in _script().iterate_revisions(self.after, self.before)}
        return revision in ran and revision != self.before


def backup_sqlite(db_file: Path, backups: Path, label: str) -> Path:
    from notes_tui.paths import ensure_private_dir

    ensure_private_dir(backups)  # 0700 when made here; a folder of the user's keeps its mode
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


def backup_once(db_file: Path, backups: Path, label: str) -> Path:
    """A backup of `db_file`, or the earlier one of the same bytes (same file, same revision,
    nothing written since): repeated failed upgrades leave one copy, not one per start."""
    fresh = backup_sqlite(db_file, backups, label)
    size = fresh.stat().st_size
    for old in sorted(backups.glob(f"{glob.escape(db_file.stem)}-*.sqlite3"), reverse=True):
        if old != fresh and old.stat().st_size == size and filecmp.cmp(old, fresh, shallow=False):
            fresh.unlink()
            return old
    return fresh


def upgrade(engine: Engine, *, backups: Path | None = None) -> UpgradeResult:
    """Bring the schema to head. Backs up an existing SQLite database before changing it.
    Raises DatabaseTooNew, touching nothing, when the database is ahead of this notes-tui, and
    ReadOnlyDatabase when a read-only file would need an upgrade (or is empty)."""
    from alembic import command

    from notes_tui.db.engine import is_read_only, protect_sqlite_files, sqlite_path
    from notes_tui.db.sqlite_file import ReadOnlyDatabase

    before = current_revision(engine)
    script = _script()
    head = cast(str, script.get_current_head())
    backup = None
    if before == head:
        return UpgradeResult(before, head, None)
    if before is not None and before not in {r.revision for r in script.walk_revisions()}:
        raise DatabaseTooNew(before, head)
    db_file = sqlite_path(str(engine.url))
    if is_read_only(engine):
        why = (": it is empty, and a new database cannot be made in it" if before is None else
               f": it needs an upgrade from {before} to {head} first; open it writable once")
        raise ReadOnlyDatabase(db_file or str(engine.url), why)
    if before is not None and db_file is not None and backups is not None:
        backup = backup_once(db_file, backups, f"before-{head}")
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # A table rebuild (migration 0005) drops a parent table: with foreign keys on, that
            # would cascade to its children. The pragma only takes effect outside a
            # transaction, so it is set on the driver's connection before SQLAlchemy begins.
            dbapi = cast("DBAPIConnection", conn.connection.dbapi_connection)
            dbapi.execute("PRAGMA foreign_keys=OFF")
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
                dbapi.execute("PRAGMA foreign_keys=ON")
    protect_sqlite_files(str(engine.url))
    return UpgradeResult(before, head, backup)
