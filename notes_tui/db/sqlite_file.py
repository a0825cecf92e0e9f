"""The SQLite file before the engine touches it: no harm to files that are not ours.

- Only what the app creates is made private: a missing folder (and its missing parents) 0700,
  a new database file 0600 (SQLite gives its -wal and -shm the file's mode). A folder or file
  that already exists keeps its mode; `shared_with_others` lets the caller warn about one.
- A file that is not a notes-tui database (tables of another program, no `alembic_version`) is
  refused before anything writes to it: `NotOurs`, the file byte for byte as it was. An empty
  (0-byte) file is ours to fill; an encrypted file (db/encryption.py) is ours too.
- A read-only file (no write bit, or not writable by us) or a file in a read-only folder opens
  read-only (`open_uri`): SQLite's `mode=ro`, or `immutable=1` when the folder cannot hold the
  WAL's -shm. A write then fails with `ReadOnlyDatabase`, one line naming the file.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote


class DatabaseUnavailable(Exception):
    """The database cannot be reached for a reason the user can fix; the message is one line."""


class NotOurs(DatabaseUnavailable):
    """The file holds another program's tables: nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is not a notes-tui database (it has tables of another "
                         "program); nothing was changed")


class NoDatabase(DatabaseUnavailable):
    """A path with no file, where a new database was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no database at {path}; check the path, or pass --create to start "
                         "a new one")


class ReadOnlyDatabase(DatabaseUnavailable):
    """A change asked of a database opened read-only."""

    def __init__(self, path: Path | str, why: str = "") -> None:
        super().__init__(f"the database is read-only ({path}){why}")


def _writable(path: Path) -> bool:
    """Writable by us, and not marked read-only by its mode (root ignores the mode: a therapist
    who chmods a file 0400 means it, whoever runs the app)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK)


def folder_read_only(path: Path) -> bool:
    return not _writable(path.parent)


def is_read_only(path: Path) -> bool:
    """An existing database that must be opened read-only: the file or its folder read-only."""
    return path.exists() and (not _writable(path) or folder_read_only(path))


def shared_with_others(path: Path) -> bool:
    """An existing database file that its group or other users can read."""
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o044)
    except OSError:
        return False


def open_uri(path: Path, *, immutable: bool = False) -> str:
    """The URI sqlite3 opens `path` read-only with (`uri=True`)."""
    flag = "immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(path))}?{flag}"


def _tables(path: Path) -> set[str]:
    """The file's table names, read without writing anything (not even a -shm)."""
    con = sqlite3.connect(open_uri(path, immutable=folder_read_only(path) or not
                                   Path(f"{path}-wal").exists()), uri=True)
    try:
        return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def check_ours(path: Path) -> None:
    """Raise NotOurs for a plain SQLite file with another program's tables. A missing or empty
    file, an encrypted one, or one with notes-tui's `alembic_version` passes. A file that is
    not SQLite at all is left to the engine (or the passphrase check) to name."""
    from notes_tui.db.encryption import is_encrypted

    if not path.is_file() or path.stat().st_size == 0 or is_encrypted(path):
        return
    try:
        tables = _tables(path)
    except sqlite3.DatabaseError:
        return
    if tables and "alembic_version" not in tables:
        raise NotOurs(path)


def prepare(path: Path) -> None:
    """Create what is missing: the folder (and parents) 0700, the database file 0600."""
    from notes_tui.paths import ensure_private_dir

    if not path.parent.exists():
        ensure_private_dir(path.parent)
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return  # another process made it meanwhile
        os.fchmod(fd, 0o600)  # the umask can only take away; this keeps it exact
        os.close(fd)


def match_companions(path: Path) -> None:
    """The -wal and -shm take the database file's mode (as SQLite makes them), never more."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode) & 0o666
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        try:
            if stat.S_IMODE(companion.stat().st_mode) != mode:
                os.chmod(companion, mode)
        except OSError:
            continue


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (after a rename into it), to the disk. Never call it
    on a database a connection of this process has open: closing the descriptor drops the
    process's SQLite locks on it (db/encryption.py `_header`)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
