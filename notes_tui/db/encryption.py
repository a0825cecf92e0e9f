"""Encryption at rest for the SQLite file: SQLCipher 4 (AES-256, PBKDF2-HMAC-SHA512 key
derivation, a MAC on every page) through the `sqlcipher3-binary` binding, the optional
`encryption` extra. PostgreSQL: encryption at rest is the server's job (disk or tablespace).

The passphrase is never stored: it comes from NOTES_TUI_PASSPHRASE_FILE (a 0600 file, for
scripts and tests), standard input, or a prompt without echo, and is handed to SQLCipher with
`PRAGMA key` as the first statement of every connection.

`encrypt_file` / `decrypt_file` convert in place: the WAL is checkpointed into the file, the
new file is written next to it with `sqlcipher_export`, checked (`integrity_check`, and the
caller's check such as the app's verify), fsynced and renamed over the old one atomically;
the old -wal/-shm are removed. Encrypt: the plain original is gone after the rename (its
blocks may stay on the disk until reused: encrypt before the records grow, and keep the disk
encrypted too). Decrypt: the encrypted original is kept aside as `<name>.encrypted-<time>`.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from notes_tui.db.sqlite_file import fsync_path

PLAIN_HEADER = b"SQLite format 3\x00"
PASSPHRASE_ENV = "NOTES_TUI_PASSPHRASE_FILE"
MISSING = ("encryption needs the optional 'encryption' extra "
           "(pip install 'notes-tui[encryption]')")


class EncryptionError(Exception):
    """One line for the therapist: missing extra, wrong passphrase, a failed conversion."""


class PassphraseNeeded(EncryptionError):
    pass


class WrongPassphrase(EncryptionError):
    pass


def dbapi() -> ModuleType:
    try:
        from sqlcipher3 import dbapi2  # type: ignore[import-untyped]
    except ImportError:
        raise EncryptionError(MISSING) from None
    return dbapi2


def available() -> bool:
    try:
        dbapi()
    except EncryptionError:
        return False
    return True


_HEADER_FDS: dict[tuple[int, int], int] = {}  # (device, inode) -> a descriptor kept open
_HEADER_LOCK = threading.Lock()


def _header(path: Path) -> bytes:
    """The file's first 16 bytes, read through a descriptor this process keeps open.

    Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
    included (fcntl semantics). A check that opened and closed the database file while a
    connection of this process had it open would let the next connection reset the WAL index
    under the first one: it went on reading an old snapshot (sqlite.org/howtocorrupt.html,
    2.2). So the descriptor is never closed; one per database file for the process's life."""
    with _HEADER_LOCK:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return b""
        key = (st.st_dev, st.st_ino)
        fd = _HEADER_FDS.get(key)
        if fd is None:
            _forget_deleted()
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except FileNotFoundError:
                return b""
            if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != key:  # replaced meanwhile
                key = (os.fstat(fd).st_dev, os.fstat(fd).st_ino)
            _HEADER_FDS[key] = fd
        return os.pread(fd, 16, 0)


def _forget_deleted() -> None:
    """Close the kept descriptors of files deleted since: nothing can open them again, so no
    connection can be reset under one still open on them."""
    for key, fd in list(_HEADER_FDS.items()):
        try:
            gone = os.fstat(fd).st_nlink == 0
        except OSError:
            gone = True
        if gone:
            del _HEADER_FDS[key]
            with contextlib.suppress(OSError):
                os.close(fd)


def is_encrypted(path: Path) -> bool:
    """A non-empty file that does not start with SQLite's plain header."""
    head = _header(path)
    return bool(head) and head != PLAIN_HEADER


def _quoted(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def apply_key(con: Any, passphrase: str) -> None:
    """`PRAGMA key` on a fresh connection, before anything else reads the file."""
    con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our one line, not its log
    con.execute(f"PRAGMA key = {_quoted(passphrase)}")


_RAW_KEYS: dict[tuple[bytes, str], str] = {}  # (the file's salt, passphrase) -> derived key


def _raw_key(path: Path, passphrase: str) -> str | None:
    """The file's key as SQLCipher 4 derives it from `passphrase` (PBKDF2-HMAC-SHA512, 256,000
    iterations, the salt in the file's first 16 bytes), derived once per process: every later
    connection (the pool's, a backup's, a second context) is keyed with it at once instead of
    deriving it again (about 100 ms each). None for a file that is not encrypted yet."""
    if not is_encrypted(path):
        return None
    salt = _header(path)
    key = _RAW_KEYS.get((salt, passphrase))
    if key is None:
        import hashlib

        key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, 256_000,
                                  32).hex()
        _RAW_KEYS[(salt, passphrase)] = key
    return key


def open_raw(path: Path | str, passphrase: str | None, **kwargs: Any) -> Any:
    """A DB-API connection to the file: SQLCipher keyed with `passphrase`, or plain sqlite3
    when it is None. Shared by the engine, the conversions and backups."""
    if passphrase is None:
        import sqlite3

        return sqlite3.connect(str(path), **kwargs)
    con = dbapi().connect(str(path), **kwargs)
    raw = _raw_key(Path(path), passphrase)
    if raw is None:
        apply_key(con, passphrase)
    else:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(f"PRAGMA key = \"x'{raw}'\"")
    return con


def check_key(path: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless the passphrase opens the file."""
    con = open_raw(path, passphrase)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi().DatabaseError:
        raise WrongPassphrase(f"{path}: wrong passphrase (or not a notes-tui database)") from None
    finally:
        con.close()


def passphrase_from_env() -> str | None:
    name = os.environ.get(PASSPHRASE_ENV)
    if not name:
        return None
    p = Path(name)
    try:
        mode = p.stat().st_mode & 0o777
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise EncryptionError(f"{PASSPHRASE_ENV}: cannot read {p} ({exc.strerror})") from None
    if mode & 0o077:
        raise EncryptionError(f"{PASSPHRASE_ENV}: {p} is readable by others; chmod 600 it")
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise EncryptionError(f"{PASSPHRASE_ENV}: {p} is empty")
    return passphrase


def _checkpoint(path: Path, passphrase: str | None) -> None:
    con = open_raw(path, passphrase, isolation_level=None)
    try:
        busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise EncryptionError(f"{path}: in use by another notes-tui; close it first")
    finally:
        con.close()


def _convert(path: Path, old_key: str | None, new_key: str | None,
             check: Callable[[Path, str | None], None] | None) -> Path:
    path = Path(path)
    if not path.is_file():
        raise EncryptionError(f"{path}: no such database file")
    _checkpoint(path, old_key)
    tmp = path.with_name(path.name + ".converting")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    # SQLCipher's own connection does both directions: ATTACH ... KEY '' is a plain file
    con = dbapi().connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        if old_key is not None:
            apply_key(con, old_key)
        target_key = "''" if new_key is None else _quoted(new_key)
        con.execute(f"ATTACH DATABASE ? AS target KEY {target_key}", (str(tmp),))
        con.execute("SELECT sqlcipher_export('target')")
        version = con.execute("PRAGMA main.user_version").fetchone()[0]
        con.execute(f"PRAGMA target.user_version = {int(version)}")
        con.execute("DETACH DATABASE target")
    finally:
        con.close()
    try:
        new = open_raw(tmp, new_key, isolation_level=None)
        try:
            ok = new.execute("PRAGMA integrity_check").fetchall()
        finally:
            new.close()
        if ok != [("ok",)]:
            raise EncryptionError(f"{path}: the converted copy failed integrity_check; "
                                  "the database is unchanged")
        if check is not None:
            check(tmp, new_key)
        fsync_path(tmp)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        raise
    kept = None
    if new_key is None:  # decrypt: keep the encrypted original aside
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.encrypted-{stamp}")
        os.link(path, kept)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return kept or path


def encrypt_file(path: Path, passphrase: str,
                 check: Callable[[Path, str | None], None] | None = None) -> Path:
    if is_encrypted(path):
        raise EncryptionError(f"{path}: already encrypted")
    dbapi()
    return _convert(path, None, passphrase, check)


def decrypt_file(path: Path, passphrase: str,
                 check: Callable[[Path, str | None], None] | None = None) -> Path:
    """Returns where the encrypted original was kept."""
    if not is_encrypted(path):
        raise EncryptionError(f"{path}: not encrypted")
    check_key(path, passphrase)
    return _convert(path, passphrase, None, check)
