"""Recovery files: what the editor could not save, kept on disk until the next start offers it
back, and the plain words for why a save failed.

When a draft cannot be saved (a full disk, a read-only database, another program holding the
write lock for longer than the busy timeout) and the therapist leaves anyway, or the app is told
to stop (SIGTERM, SIGHUP, a fatal error) before the save got through, the content snapshot is
written here: `paths.recovery_dir()`, mode 0600, atomically (services/files.py), one file per
note and editing session, as JSON holding the note id, the client, when and the content.

This lives below the UI (no Textual): it is file writing plus the note's content model, and the
signal and fatal paths call it where no event loop can be waited on. Reading a file back never
raises for a bad file: a corrupt one is set aside (renamed `*.corrupt`) and reported.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FORMAT = "notes-tui-recovery"
VERSION = 1
SUFFIX = ".json"
SET_ASIDE = ".corrupt"


@dataclass(frozen=True)
class Kept:
    """One recovery file read back."""

    path: Path
    note_id: int | None  # the draft it was typed into (None: a note not yet created)
    client_id: int
    client_name: str
    kept_at: datetime  # UTC
    reason: str  # why it was not saved, in plain words
    content: dict  # NoteContent as JSON (validated when read)


@dataclass(frozen=True)
class Scan:
    kept: list[Kept]
    set_aside: list[Path]  # corrupt files renamed out of the way (each named once)


def _dir() -> Path:
    from notes_tui.paths import recovery_dir

    return recovery_dir()


def _name(note_id: int | None, edit_session: str) -> str:
    token = re.sub(r"[^A-Za-z0-9]", "", edit_session)[:32] or "session"
    return f"note-{note_id if note_id is not None else 'new'}-{token}{SUFFIX}"


def path_for(note_id: int | None, edit_session: str) -> Path:
    """Where `keep` writes this editing session's file."""
    return _dir() / _name(note_id, edit_session)


def keep(*, note_id: int | None, client_id: int, client_name: str, content: dict,
         edit_session: str, reason: str = "", now: datetime | None = None) -> Path:
    """Write (or rewrite) this editing session's recovery file. Raises OSError when even that
    fails (the same full disk): the caller says so and keeps the text on screen."""
    from notes_tui.paths import ensure_private_dir
    from notes_tui.services.files import write_private_bytes

    record = {
        "format": FORMAT, "version": VERSION, "note_id": note_id, "client_id": client_id,
        "client_name": client_name,
        "kept_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(),
        "reason": reason, "edit_session": edit_session, "content": content,
    }
    folder = ensure_private_dir(_dir())
    data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    return write_private_bytes(folder / _name(note_id, edit_session), data)


def _read(path: Path) -> Kept:
    from notes_tui.domain.note import NoteContent

    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("not a recovery file")
    content = NoteContent.model_validate(raw["content"]).model_dump(mode="json")
    note_id = raw.get("note_id")
    kept_at = datetime.fromisoformat(raw["kept_at"])
    if kept_at.tzinfo is None:
        kept_at = kept_at.replace(tzinfo=UTC)
    return Kept(path, int(note_id) if note_id is not None else None, int(raw["client_id"]),
                str(raw.get("client_name") or ""), kept_at, str(raw.get("reason") or ""),
                content)


def scan() -> Scan:
    """Every recovery file, oldest first; corrupt ones are set aside (never raises)."""
    folder = _dir()
    kept, aside = [], []
    try:
        paths = sorted(folder.glob(f"note-*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return Scan([], [])
    for path in paths:
        try:
            kept.append(_read(path))
        except Exception:  # any bad file: set aside, reported, never a crash
            moved = set_aside(path)
            if moved is not None:
                aside.append(moved)
    return Scan(kept, aside)


def set_aside(path: Path) -> Path | None:
    target = path.with_name(path.name + SET_ASIDE)
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def forget(path: Path) -> None:
    """The kept text was restored (or discarded on purpose)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


# --- why a save failed, in plain words ---------------------------------------------------------

_MESSAGES = (
    (("database or disk is full", "no space left", "disk full", "could not extend file"),
     "the disk is full"),
    (("readonly database", "read-only", "read only"), "the database is read-only"),
    (("database is locked", "database is busy", "database table is locked", "lock timeout",
      "could not obtain lock", "deadlock detected", "could not serialize"),
     "another program is writing to the database"),
    (("disk i/o error",), "the disk reported an error"),
    (("did not answer in time",), "the database did not answer in time"),
    (("unable to open database file",), "the database file cannot be opened"),
    (("connection refused", "server closed the connection", "could not connect",
      "connection timed out", "terminating connection", "connection is closed"),
     "the database server cannot be reached"),
)

_ERRNO = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "the database file may not be written (permissions)",
    errno.EPERM: "the database file may not be written (permissions)",
    errno.EIO: "the disk reported an error",
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(x for x in (getattr(e, "orig", None), e.__cause__, e.__context__)
                    if isinstance(x, BaseException))


def plain_reason(exc: BaseException) -> str | None:
    """Why a save failed, in words a therapist reads ("the disk is full"); None when it is not
    a plain fact about the disk or the database (then it is logged as unexpected)."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _ERRNO:
            return _ERRNO[e.errno]
    for e in _chain(exc):
        text = str(e).casefold()
        for needles, words in _MESSAGES:
            if any(n in text for n in needles):
                return words
    return None


def is_gone(exc: BaseException) -> str | None:
    """'finalized' or 'discarded' when the draft being saved was finalized or deleted by
    another program (the save can never succeed), else None."""
    names = {c.__name__ for c in type(exc).__mro__}
    if "FinalizedNoteError" in names:
        return "finalized"
    if "NotFound" in names:
        return "discarded"
    return None
