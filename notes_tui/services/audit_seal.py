"""What keeps the audit trail honest beyond its own hash chain.

The chain (audit.py) is plain SHA-256: anyone with the file and this code can rewrite an event and
recompute every hash after it. Two anchors outside the database catch that:

- **The keyed seal.** A key kept outside the database (`<config dir>/audit.key`, 32 random bytes,
  mode 0600, made on first use) seals the audit head: `audit_head.mac` = "<key id>:<HMAC-SHA256
  of seq and hash>". A chain recomputed without the key no longer matches its seal. The key is
  per machine, so the seal is written on SQLite only (one therapist's file); on PostgreSQL several
  machines share one database and the chain stays unkeyed there (the anchor below still works).
- **The last head this computer saw.** After every committed write the app records the head's
  seq and hash in `<state dir>/audit-heads/<database id>.json` (written atomically, only ever
  moved forward). A database whose trail is now shorter had its last events cut; one whose event
  at that seq has another hash had its trail rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine
    from sqlmodel import Session

log = logging.getLogger(__name__)

KEY_FILE = "audit.key"
_keys: dict[Path, bytes] = {}


def key_path() -> Path:
    from notes_tui.paths import config_dir

    return config_dir() / KEY_FILE


def load_key(*, create: bool) -> bytes | None:
    """This machine's audit key; made (atomically, 0600) when missing and `create`."""
    path = key_path()
    if path in _keys:
        return _keys[path]
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
        key = _create_key(path)
    except (OSError, ValueError):
        log.warning("the audit key %s cannot be read", path, exc_info=True)
        return None
    if len(key) < 16:
        return None
    _keys[path] = key
    return key


def _create_key(path: Path) -> bytes:
    """Write a new key to a private temporary file, then link it into place: two processes
    starting at once end up with the same key (the second link fails and it reads the first)."""
    from notes_tui.paths import ensure_private_dir

    ensure_private_dir(path.parent)
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key.hex() + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
    finally:
        tmp.unlink(missing_ok=True)
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"notes-tui audit key id" + key).hexdigest()[:12]


def seal(key: bytes, seq: int, head_hash: str, tally_from: int | None = None) -> str:
    """The head's seal: its seq, its hash and `audit_head.tally_from` under the key."""
    body = f"notes-tui audit head v1|{seq}|{head_hash}|{tally_from or 0}"
    mac = hmac.new(key, body.encode(), hashlib.sha256)
    return f"{key_id(key)}:{mac.hexdigest()}"


def seal_for(session: Session, seq: int, head_hash: str, tally_from: int | None) -> str | None:
    """The seal `record_many` writes into the head: SQLite only (see the module docstring);
    None when the key cannot be had (the chain is then checked unkeyed)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    try:
        key = load_key(create=True)
    except OSError:
        log.warning("the audit key cannot be created in %s", key_path().parent, exc_info=True)
        return None
    return seal(key, seq, head_hash, tally_from) if key else None


@dataclass(frozen=True)
class SealCheck:
    problem: str | None = None
    warning: str | None = None


def check_seal(mac: str | None, seq: int, head_hash: str, tally_from: int | None) -> SealCheck:
    """The head's seal against this machine's key."""
    if mac is None:
        return SealCheck()
    stored_id, _, _ = mac.partition(":")
    key = load_key(create=False)
    if key is None:
        return SealCheck(warning="the key is missing, the chain can only be checked unkeyed "
                                 f"(expected at {key_path()})")
    if stored_id != key_id(key):
        return SealCheck(warning="the audit trail was sealed with another computer's key: "
                                 "the chain is checked unkeyed here")
    if not hmac.compare_digest(mac, seal(key, seq, head_hash, tally_from)):
        return SealCheck(problem="the audit trail's seal does not match: its events were "
                                 "rewritten, removed or recomputed outside the app")
    return SealCheck()


# --- the last head this computer saw ---------------------------------------------------------

def url_of(bind: Engine | Connection) -> URL:
    return bind.engine.url

def database_id(url: URL) -> str | None:
    """A file name for one database: its resolved path (SQLite) or its URL without password."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        where = str(Path(url.database).resolve())
    else:
        where = url.render_as_string(hide_password=True)
    return hashlib.sha256(where.encode("utf-8")).hexdigest()[:24]


def _anchor_file(db_id: str) -> Path:
    from notes_tui.paths import state_dir

    return state_dir() / "audit-heads" / f"{db_id}.json"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    first: str  # the hash of event 1: which trail this is
    sealed: bool  # the head carried a keyed seal


def last_seen(url: URL) -> Anchor | None:
    db_id = database_id(url)
    if db_id is None:
        return None
    try:
        data = json.loads(_anchor_file(db_id).read_text(encoding="utf-8"))
        return Anchor(int(data["seq"]), str(data["hash"]), str(data["first"]),
                      bool(data.get("sealed")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("the last seen audit head of this database cannot be read", exc_info=True)
        return None


def remember(url: URL, anchor: Anchor) -> None:
    """Record the head after a committed write; never moves back (another process may have
    recorded a later one). Best effort: a write that cannot record its head still happened."""
    db_id = database_id(url)
    if db_id is None:
        return
    try:
        path = _anchor_file(db_id)
        from notes_tui.paths import ensure_private_dir

        ensure_private_dir(path.parent)
        with _locked(path.with_suffix(".lock")):
            seen = last_seen(url)
            if seen is not None and seen.first == anchor.first and seen.seq >= anchor.seq:
                return
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"seq": anchor.seq, "hash": anchor.hash,
                                       "first": anchor.first, "sealed": anchor.sealed}),
                           encoding="utf-8")
            os.replace(tmp, path)
    except OSError:
        log.warning("the audit head could not be recorded in the state folder", exc_info=True)


def forget(url: URL) -> None:
    """Drop the recorded head (a restore puts an older trail back on purpose)."""
    db_id = database_id(url)
    if db_id is not None:
        _anchor_file(db_id).unlink(missing_ok=True)


class _locked:
    """An exclusive lock on a small file (POSIX flock; elsewhere none: writes still only move
    forward per process, and os.replace keeps the file whole)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> None:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except ImportError:
            pass

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
