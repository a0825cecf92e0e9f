"""Backups of the SQLite file, verified before they count, rotated, and restored safely.

`take_backup` copies the database with SQLite's online backup API (one step, from a read
snapshot: writers carry on, the copy is one consistent moment) into a hidden temporary file in the
backups folder, checks the copy (`integrity_check`, it is a notes-tui database, then the app's own
`verify` over it), fsyncs it and renames it to `notes-YYYYMMDDTHHMMSSZ.sqlite` (0600). An
encrypted database is copied through keyed connections on both sides, so its backup is encrypted
with the same key; a plain copy of an encrypted database is never written.

The folder keeps a manifest (`notes-backups.json`, written atomically) of every backup with its
time, size, sha256, status, counts and schema revision. After each good backup, rotation keeps the
newest of the last 7 days, 4 weeks and 12 months (domain/rotation.py) and deletes the others of
ours: files named like ours AND listed in the manifest. Nothing else in the folder is touched.

`restore_backup` copies a backup next to the database, checks that copy (as above, and that its
schema is not newer than this notes-tui), keeps the current database aside as
`<db>.before-restore-<UTC>` and renames the copy into place, all while holding SQLite's exclusive
lock: a notes-tui that has the database open makes it refuse instead.

PostgreSQL is not backed up here: that is pg_dump's or the provider's job.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notes_tui.db.sqlite_file import fsync_path
from notes_tui.services.errors import ServiceError

MANIFEST = "notes-backups.json"
LOCK = ".notes-backups.lock"
NAME = re.compile(r"notes-(\d{8}T\d{6}Z)(?:-(\d+))?\.sqlite")
STAMP = "%Y%m%dT%H%M%SZ"
POSTGRES = "backups here are for the SQLite file: on PostgreSQL use pg_dump / your provider's backups"
NOTES_TABLES = {"alembic_version", "client", "note", "audit_event", "audit_head"}
KEEP_FAILED = 20


class BackupError(ServiceError):
    """A backup that could not be taken or checked; the message is one line."""


class NotABackup(BackupError):
    """The file given cannot be restored (not SQLite, damaged, not ours, too new): exit 2."""


class NotSQLite(BackupError):
    """The database is on PostgreSQL: exit 2 with the one line `POSTGRES`."""


@dataclass(frozen=True)
class CopyFacts:
    """What checking a copy found."""

    schema_revision: str
    clients: int
    notes: int
    finalized_notes: int
    audit_seq: int
    verified: bool  # False only for an older schema, checked after its upgrade on first open


@dataclass(frozen=True)
class BackupEntry:
    """One line of the manifest."""

    file: str
    taken_at: str  # ISO 8601, UTC
    status: str  # "ok" or "failed"
    reason: str = "manual"
    size: int = 0
    sha256: str = ""
    clients: int = 0
    notes: int = 0
    finalized_notes: int = 0
    audit_seq: int = 0
    schema_revision: str = ""
    encrypted: bool = False
    error: str = ""

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.taken_at)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    entry: BackupEntry
    deleted: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept_aside: Path | None
    facts: CopyFacts


# --- where ------------------------------------------------------------------------------------

def sqlite_file(url: str) -> Path:
    from notes_tui.db.engine import sqlite_path

    path = sqlite_path(url)
    if path is None:
        raise NotSQLite(POSTGRES)
    return path


def backup_folder(to_dir: str | Path | None = None, configured: str | None = None) -> Path:
    """--to, then settings `[backups] folder`, then the data dir's backups/."""
    if to_dir:
        return Path(to_dir).expanduser()
    if configured:
        return Path(configured).expanduser()
    from notes_tui.paths import backups_dir

    return backups_dir()


def _make_folder(folder: Path) -> None:
    """Create the folder 0700 if it is missing; an existing folder keeps its mode."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=0o700)
    os.chmod(folder, 0o700)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One backup or rotation at a time in a folder (the app on quit and the CLI, say)."""
    import fcntl

    fd = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- files ------------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _unlink_all(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _new_private(path: Path) -> None:
    _unlink_all(path)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))


def _is_db_error(exc: BaseException) -> bool:
    return type(exc).__name__ in ("DatabaseError", "OperationalError", "IntegrityError",
                                  "ProgrammingError") and type(exc).__module__.startswith(("sqlite3", "sqlcipher3"))


def _copy(source: Path, target: Path, key: str | None) -> None:
    """SQLite's backup API in one step from a read snapshot of `source` into the new file
    `target`, both opened with `key`; the copy is left as a single file (rollback journal)."""
    from notes_tui.db.encryption import open_raw

    _new_private(target)
    src = open_raw(source, key, timeout=10)
    try:
        dst = open_raw(target, key, isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


# --- checking a copy --------------------------------------------------------------------------

@contextlib.contextmanager
def _damaged(name: str) -> Iterator[None]:
    """A file whose pages SQLite or the driver cannot read (text that is not UTF-8, a broken
    b-tree) is damaged: one line, never a traceback."""
    try:
        yield
    except UnicodeDecodeError:
        raise NotABackup(f"{name}: damaged (text that cannot be read)") from None
    except Exception as exc:
        if _is_db_error(exc):
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise NotABackup(f"{name}: damaged or not a SQLite database ({first})") from None
        raise


def check_copy(path: Path, key: str | None, *, label: str | None = None) -> CopyFacts:
    """Integrity, a notes-tui database, a schema this notes-tui knows, then `verify`.
    Raises NotABackup with one line naming `label` (the file the therapist gave)."""
    name = label or str(path)
    with _damaged(name):
        return _check_copy(path, key, name)


def _check_copy(path: Path, key: str | None, name: str) -> CopyFacts:
    from notes_tui.db.encryption import open_raw

    con = open_raw(path, key)
    try:
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        except Exception as exc:
            if _is_db_error(exc):
                raise NotABackup(f"{name}: not a SQLite database"
                                 + (" (or not this passphrase)" if key else "")) from None
            raise
        if rows != [("ok",)]:
            raise NotABackup(f"{name}: damaged (integrity_check: {rows[0][0]})")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if NOTES_TABLES - tables:
            raise NotABackup(f"{name}: not a notes-tui database")
        found = con.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = found[0] if found else ""
    finally:
        con.close()
    return _check_schema_and_verify(path, key, name, revision)


def _check_schema_and_verify(path: Path, key: str | None, name: str, revision: str) -> CopyFacts:
    from notes_tui.db.migrate import _script, head_revision

    head = head_revision()
    if revision not in {r.revision for r in _script().walk_revisions()}:
        raise NotABackup(f"{name}: made by a newer notes-tui (schema {revision or 'unknown'}, "
                         f"this one knows up to {head}): install a newer notes-tui to restore it")
    facts = _counts_and_verify(path, key, name, verify_it=revision == head)
    return CopyFacts(revision, *facts)


def _engine_on(path: Path, key: str | None) -> Any:
    """A bare engine on a copy: no pragmas, no chmod of its folder (unlike db/engine.py)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from notes_tui.db import encryption

    kwargs: dict[str, Any] = {"poolclass": NullPool,
                              "creator": lambda: encryption.open_raw(path, key,
                                                                     check_same_thread=False)}
    if key is not None:
        kwargs["module"] = encryption.dbapi()
    return create_engine("sqlite://", **kwargs)


def _counts_and_verify(path: Path, key: str | None, name: str, *, verify_it: bool
                       ) -> tuple[int, int, int, int, bool]:
    from sqlalchemy import text
    from sqlmodel import Session

    from notes_tui.services.audit import verify
    from notes_tui.services.note_digests import sealed_notes

    engine = _engine_on(path, key)
    try:
        with Session(engine) as session:
            counts = session.execute(text(
                "SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM note), "
                "(SELECT count(*) FROM note WHERE status = 'final'), "
                "(SELECT coalesce(max(seq), 0) FROM audit_head)")).one()
            if verify_it:
                report = verify(session, sealed_notes=sealed_notes)
                if not report.ok:
                    raise NotABackup(f"{name}: failed verify ({report.problems[0]}; "
                                     f"{len(report.problems)} problem(s))")
            session.rollback()
    finally:
        engine.dispose()
    return (int(counts[0]), int(counts[1]), int(counts[2]), int(counts[3]), verify_it)


# --- the manifest -----------------------------------------------------------------------------

def read_manifest(folder: Path) -> list[BackupEntry]:
    """The folder's backups, oldest first; an unreadable manifest counts as empty (the files
    it listed are then never deleted by rotation)."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        known = set(BackupEntry.__dataclass_fields__)
        return [BackupEntry(**{k: v for k, v in e.items() if k in known})
                for e in raw.get("backups", [])]
    except (OSError, ValueError, TypeError, AttributeError):
        return []


def _write_manifest(folder: Path, entries: list[BackupEntry]) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"version": 1, "backups": [asdict(e) for e in entries]}, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, folder / MANIFEST)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fsync_path(folder)


def changed_since(session: Any, seq: int) -> bool:
    """Whether the audit trail has an event after `seq` other than a backup's own."""
    from sqlalchemy import select

    from notes_tui.db.models import AuditEvent
    from notes_tui.domain.enums import AuditAction

    t = AuditEvent.__table__
    return session.connection().execute(
        select(t.c.seq).where(t.c.seq > seq, t.c.action != str(AuditAction.BACKUP)).limit(1)
    ).first() is not None


def last_good(folder: Path) -> BackupEntry | None:
    good = [e for e in read_manifest(folder) if e.status == "ok"]
    return max(good, key=lambda e: e.when) if good else None


# --- rotation ---------------------------------------------------------------------------------

def rotate(folder: Path, entries: list[BackupEntry]) -> tuple[list[BackupEntry], list[str]]:
    """The entries to keep and the files deleted: only files named like ours and listed in
    the manifest as good backups; the last `KEEP_FAILED` failures stay listed."""
    from notes_tui.domain.rotation import backups_to_keep

    good = [e for e in entries if e.status == "ok" and NAME.fullmatch(e.file)]
    keep_times = backups_to_keep(e.when for e in good)
    kept_files = {e.file for e in good if e.when in keep_times}
    # two backups in one second: the newest of them (the later name) stands for that time
    newest_at: dict[datetime, BackupEntry] = {}
    for e in good:
        if e.file in kept_files:
            newest_at[e.when] = e
    kept_files = {e.file for e in newest_at.values()}
    deleted = []
    for e in good:
        if e.file not in kept_files:
            (folder / e.file).unlink(missing_ok=True)
            deleted.append(e.file)
    failed = [e for e in entries if e.status != "ok"][-KEEP_FAILED:]
    kept = [e for e in entries if e.file in kept_files or e in failed]
    return kept, deleted


# --- taking a backup --------------------------------------------------------------------------

def _free_name(folder: Path, taken: datetime) -> Path:
    base = f"notes-{taken:{STAMP}}"
    path, n = folder / f"{base}.sqlite", 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}.sqlite"
    return path


def take_backup(url: str, to_dir: str | Path | None = None, passphrase: str | None = None,
                reason: str = "manual", *, configured: str | None = None,
                record: Callable[[BackupEntry], None] | None = None,
                now: datetime | None = None) -> BackupResult:
    """Copy, check, rename into place, write the manifest, rotate; then `record(entry)` (the
    audit event, services/api.py). A copy that fails its check is deleted, listed as failed,
    and raised as BackupError."""
    from notes_tui.db.encryption import is_encrypted

    db = sqlite_file(url)
    if not db.is_file():
        raise BackupError(f"{db}: no such database file")
    if is_encrypted(db) and passphrase is None:
        raise BackupError("the database is encrypted: its passphrase is needed for the backup")
    key = passphrase if is_encrypted(db) else None
    folder = backup_folder(to_dir, configured)
    _make_folder(folder)
    with _locked(folder):
        taken = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        final = _free_name(folder, taken)
        entry = _copy_and_check(db, folder, final, key, taken, reason)
        entries, deleted = rotate(folder, [*read_manifest(folder), entry])
        _write_manifest(folder, entries)
    warnings: list[str] = []
    if record is not None:
        try:
            record(entry)
        except Exception as exc:  # the backup is good; the trail could not take the event
            warnings.append(f"the backup is good but could not be recorded in the audit trail "
                            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
    return BackupResult(final, entry, tuple(deleted), tuple(warnings))


def encrypt_backups(folder: Path, passphrase: str) -> list[Path]:
    """Encrypt, in place and with `passphrase`, every plain backup of ours in `folder` (after
    `db encrypt`: no plain copy of the records stays among the backups). Each is converted the
    way the database is (db/encryption.py: a checked copy renamed over the original), checked
    again as a backup, and its manifest line updated. Returns the files encrypted."""
    from dataclasses import replace

    from notes_tui.db.encryption import encrypt_file, is_encrypted

    done: list[Path] = []
    if not (folder / MANIFEST).exists():
        return done
    with _locked(folder):
        entries = read_manifest(folder)
        for i, e in enumerate(entries):
            path = folder / e.file
            if e.status != "ok" or not path.is_file() or is_encrypted(path):
                continue
            encrypt_file(path, passphrase, check=lambda p, key: None)
            check_copy(path, passphrase, label=str(path))
            os.chmod(path, 0o600)
            entries[i] = replace(e, encrypted=True, size=path.stat().st_size,
                                 sha256=_sha256(path))
            done.append(path)
        if done:
            _write_manifest(folder, entries)
    return done


def _copy_and_check(db: Path, folder: Path, final: Path, key: str | None, taken: datetime,
                    reason: str) -> BackupEntry:
    tmp = folder / f".{final.name}.partial"
    try:
        _copy(db, tmp, key)
        facts = check_copy(tmp, key, label=f"the backup of {db}")
        fsync_path(tmp)
        os.replace(tmp, final)
        _fsync_dir(folder)
    except BaseException as exc:
        _unlink_all(tmp)
        if isinstance(exc, BackupError | OSError) or _is_db_error(exc):
            failed = BackupEntry(file=final.name, taken_at=taken.isoformat(), status="failed",
                                 reason=reason, error=str(exc).splitlines()[0] if str(exc) else
                                 type(exc).__name__)
            with contextlib.suppress(OSError):
                _write_manifest(folder, [*read_manifest(folder), failed])
            if isinstance(exc, BackupError | OSError):  # a one-line reason of its own
                raise
            raise BackupError(f"the backup failed: {failed.error}") from None
        raise
    return BackupEntry(file=final.name, taken_at=taken.isoformat(), status="ok", reason=reason,
                       size=final.stat().st_size, sha256=_sha256(final), clients=facts.clients,
                       notes=facts.notes, finalized_notes=facts.finalized_notes,
                       audit_seq=facts.audit_seq, schema_revision=facts.schema_revision,
                       encrypted=key is not None)


# --- restoring --------------------------------------------------------------------------------

class RestoreCancelled(BackupError):
    """The therapist answered no: nothing was changed."""


def restore_backup(file: Path, url: str, passphrase: str | None = None,
                   now: datetime | None = None,
                   confirm: Callable[[CopyFacts], bool] | None = None) -> RestoreResult:
    """Put the backup `file` in place of the database of `url`. The file is checked first (a
    copy of it, next to the database: the bytes checked are the bytes installed), then
    `confirm(facts)` is asked; the current database is kept aside; nothing is changed when a
    check fails, the answer is no, or the database is open."""
    from notes_tui.db.encryption import is_encrypted

    db = sqlite_file(url)
    file = Path(file)
    if not file.is_file():
        raise NotABackup(f"{file}: no such file")
    if file.resolve() == db.resolve():
        raise NotABackup(f"{file}: that is the database itself")
    key = passphrase if is_encrypted(file) else None
    db_key = passphrase if is_encrypted(db) else None
    if (is_encrypted(file) or is_encrypted(db)) and passphrase is None:
        raise BackupError(f"{file if is_encrypted(file) else db}: encrypted: its passphrase "
                          "is needed")
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(db.name + ".restoring")
    try:
        try:
            with _damaged(str(file)):
                _copy(file, tmp, key)
        except NotABackup as exc:
            if "file is not a database" in str(exc):
                raise NotABackup(f"{file}: not a SQLite database"
                                 + (" (or not this passphrase)" if key else "")) from None
            raise
        facts = check_copy(tmp, key, label=str(file))
        if confirm is not None and db.exists() and not confirm(facts):
            raise RestoreCancelled("nothing was changed")
        fsync_path(tmp)
        stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(STAMP)
        aside = _swap_in(db, tmp, _free_aside(db, stamp), db_key)
    except BaseException:
        _unlink_all(tmp)
        raise
    from sqlalchemy.engine import make_url

    from notes_tui.services import audit_seal

    audit_seal.forget(make_url(url))  # an older trail is back on purpose: not a truncation
    return RestoreResult(db, aside, facts)


def _free_aside(db: Path, stamp: str) -> Path:
    aside, n = db.with_name(f"{db.name}.before-restore-{stamp}"), 1
    while aside.exists():
        n += 1
        aside = db.with_name(f"{db.name}.before-restore-{stamp}-{n}")
    return aside


def _swap_in(db: Path, tmp: Path, aside: Path, db_key: str | None) -> Path | None:
    """Under SQLite's exclusive lock on the current database (refused while any notes-tui has
    it open): checkpoint its WAL into it, link it aside, rename the checked copy over it."""
    if not db.exists():
        os.replace(tmp, db)
        _fsync_dir(db.parent)
        return None
    from notes_tui.db.encryption import open_raw

    holder = open_raw(db, db_key, isolation_level=None, timeout=0.5)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("COMMIT")  # the lock stays: the locking mode is exclusive
        holder.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        holder.execute("PRAGMA journal_mode=DELETE")  # the file kept aside stands alone
    except Exception as exc:
        holder.close()
        if _is_db_error(exc):
            raise BackupError(f"{db}: in use by a running notes-tui (or not this passphrase); "
                              "quit it and restore again (nothing was changed)") from None
        raise
    try:
        os.link(db, aside)
        os.replace(tmp, db)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        _fsync_dir(db.parent)
    finally:
        if holder is not None:
            holder.close()
    return aside
