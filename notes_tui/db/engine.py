"""Engine and session factory. Nothing is created at import: call `make_engine(url)`.

SQLite gets, on every connection: foreign_keys=ON, WAL, synchronous=FULL, busy_timeout 10 s.
A write transaction starts with BEGIN IMMEDIATE (a deferred transaction that turns into a write
fails with "database is locked" when a second process writes, whatever the busy timeout). A read
transaction, on an engine from `reading(engine)`, starts with a plain deferred BEGIN under
`PRAGMA query_only`: in WAL mode it never waits for a writer, it sees one snapshot from its first
statement to its end, and a statement in it that would write fails at once ("attempt to write a
readonly database") instead of upgrading the lock. On PostgreSQL a read transaction is
REPEATABLE READ, READ ONLY: one snapshot for every statement, and a write in it is refused.
The file, its -wal and -shm and the folder are created 0600/0700 whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from notes_tui.db.guard import install_guard

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry
    from sqlmodel import Session as SQLModelSession

BUSY_TIMEOUT_MS = 10_000
READ_OPTION = "notes_tui_read"  # the execution option that marks a read-only engine


def reading(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions are read-only snapshots (see above)."""
    return engine.execution_options(**{READ_OPTION: True})


def _is_read(conn: Connection) -> bool:
    return bool(conn.get_execution_options().get(READ_OPTION))


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _prepare_sqlite_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # a folder we do not own (e.g. /tmp) stays as it is; the files themselves are protected
    with contextlib.suppress(PermissionError):
        os.chmod(path.parent, 0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            os.chmod(p, 0o600)


class DatabaseUnavailable(Exception):
    """The database cannot be reached for a reason the user can fix; the message is one line."""


def _psycopg_present() -> None:
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        raise DatabaseUnavailable(
            "PostgreSQL needs the driver: install notes-tui with the postgres extra "
            "(pip install 'notes-tui[postgres]', or uv tool install 'notes-tui[postgres]')")


def make_engine(url: str, passphrase: str | None = None) -> Engine:
    """With `passphrase`, the SQLite file is SQLCipher's (db/encryption.py): every connection
    is opened keyed, before the pragmas below."""
    from sqlmodel import create_engine

    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            _prepare_sqlite_file(path)
        if passphrase is not None and path is not None:
            from notes_tui.db import encryption

            def _keyed() -> DBAPIConnection:
                return encryption.open_raw(path, passphrase, timeout=BUSY_TIMEOUT_MS / 1000,
                                           check_same_thread=False)

            engine = create_engine(url, module=encryption.dbapi(), creator=_keyed)
        else:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_con: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            dbapi_con.isolation_level = None  # SQLAlchemy's begin event emits BEGIN itself
            cur = dbapi_con.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # query_only is a flag of the connection: set for every transaction, either way, so
            # a pooled connection never carries it from a read into a write
            if _is_read(conn):
                conn.exec_driver_sql("PRAGMA query_only=ON")
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("PRAGMA query_only=OFF")
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if u.get_backend_name() == "postgresql":
        if u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        if u.drivername == "postgresql+psycopg":
            _psycopg_present()
        engine = create_engine(u, pool_pre_ping=True)

        @event.listens_for(engine, "begin")
        def _on_pg_begin(conn: Connection) -> None:
            if _is_read(conn):  # the driver has opened the transaction: this is its first word
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

        return engine
    raise ValueError(f"unsupported database {u.get_backend_name()!r}: use SQLite or PostgreSQL")


def make_session_factory(engine: Engine) -> sessionmaker[SQLModelSession]:
    from sqlmodel import Session as SQLModelSession

    factory = sessionmaker(bind=engine, class_=SQLModelSession, expire_on_commit=False)
    install_guard(factory)
    return factory


def protect_sqlite_files(url: str) -> None:
    """Re-apply 0600 after SQLite created -wal/-shm (they inherit the main file's mode)."""
    path = sqlite_path(url)
    if path is not None and path.exists():
        _prepare_sqlite_file(path)
