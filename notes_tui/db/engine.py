"""Engine and session factory. Nothing is created at import: call `make_engine(url)`.

SQLite gets, on every connection: foreign_keys=ON, WAL, synchronous=FULL, busy_timeout 10 s.
A write transaction starts with BEGIN IMMEDIATE (a deferred transaction that turns into a write
fails with "database is locked" when a second process writes, whatever the busy timeout). A read
transaction, on an engine from `reading(engine)`, starts with a plain deferred BEGIN under
`PRAGMA query_only`: in WAL mode it never waits for a writer, it sees one snapshot from its first
statement to its end, and a statement in it that would write fails at once ("attempt to write a
readonly database") instead of upgrading the lock. On PostgreSQL a read transaction is
REPEATABLE READ, READ ONLY: one snapshot for every statement, and a write in it is refused.
A new file, its -wal and -shm and a new folder are created 0600/0700 whatever the umask; an
existing file or folder keeps its mode, another program's SQLite file is refused untouched, and a
read-only file (or folder) is opened read-only (db/sqlite_file.py; `is_read_only(engine)`).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from notes_tui.db import sqlite_file
from notes_tui.db.guard import install_guard
from notes_tui.db.sqlite_file import DatabaseUnavailable

__all__ = ["DatabaseUnavailable", "make_engine", "make_session_factory", "reading", "sqlite_path"]

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry, Pool
    from sqlmodel import Session as SQLModelSession

BUSY_TIMEOUT_MS = 10_000
_READ_ONLY_POOLS: weakref.WeakSet[Pool] = weakref.WeakSet()  # engines on a read-only file
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


def _prepare_sqlite_file(path: Path) -> bool:
    """Refuse another program's file; create what is missing (0700 folders, a 0600 file).
    Returns True when the file must be opened read-only (db/sqlite_file.py)."""
    sqlite_file.check_ours(path)
    if sqlite_file.is_read_only(path):
        return True
    sqlite_file.prepare(path)
    return False


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
        read_only = path is not None and _prepare_sqlite_file(path)
        engine = _sqlite_engine(url, path, passphrase, read_only)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_con: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            dbapi_con.isolation_level = None  # SQLAlchemy's begin event emits BEGIN itself
            cur = dbapi_con.cursor()
            if not read_only:  # a read-only file stays in the journal mode it has
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


def _sqlite_engine(url: str, path: Path | None, passphrase: str | None,
                   read_only: bool) -> Engine:
    """Keyed with `passphrase` (SQLCipher) or plain; read-only files through an URI."""
    from sqlmodel import create_engine

    timeout = BUSY_TIMEOUT_MS / 1000
    if read_only and path is not None:
        uri = sqlite_file.open_uri(path, immutable=sqlite_file.folder_read_only(path))
    if passphrase is not None and path is not None:
        from notes_tui.db import encryption

        def _keyed() -> DBAPIConnection:
            if read_only:
                return encryption.open_raw(uri, passphrase, timeout=timeout,
                                           check_same_thread=False, uri=True)
            return encryption.open_raw(path, passphrase, timeout=timeout,
                                       check_same_thread=False)

        engine = create_engine(url, module=encryption.dbapi(), creator=_keyed)
    elif read_only:
        import sqlite3

        def _read_only() -> Any:
            return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

        engine = create_engine(url, creator=_read_only)
    else:
        engine = create_engine(url, connect_args={"timeout": timeout})
    if read_only and path is not None:
        _READ_ONLY_POOLS.add(engine.pool)
    return engine


def is_read_only(engine: Engine) -> bool:
    """The engine opened a read-only SQLite file: every write is refused (ReadOnlyDatabase)."""
    return engine.pool in _READ_ONLY_POOLS  # `reading(engine)` shares the pool


def make_session_factory(engine: Engine) -> sessionmaker[SQLModelSession]:
    from sqlmodel import Session as SQLModelSession

    factory = sessionmaker(bind=engine, class_=SQLModelSession, expire_on_commit=False)
    install_guard(factory)
    return factory


def protect_sqlite_files(url: str) -> None:
    """After SQLite made -wal/-shm: they have the database file's mode, never more."""
    path = sqlite_path(url)
    if path is not None and path.exists():
        sqlite_file.match_companions(path)
