"""Errors the services raise. Each carries a message a therapist can read in one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notes_tui.db.encryption import EncryptionError, PassphraseNeeded, WrongPassphrase
from notes_tui.db.guard import FinalizedNoteError
from notes_tui.db.migrate import DatabaseTooNew
from notes_tui.domain.checklist import ChecklistItem
from notes_tui.domain.text import FieldError

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "DatabaseTooNew",
    "EncryptionError",
    "PassphraseNeeded",
    "WrongPassphrase",
    "FieldError",
    "FinalizeRefused",
    "FinalizedNoteError",
    "ImportRefused",
    "NotFound",
    "ServiceError",
    "field_error_from_validation",
]


class ServiceError(Exception):
    """Base of what the services refuse with a readable reason."""


class NotFound(ServiceError):
    pass


class FinalizeRefused(ServiceError):
    def __init__(self, missing: list[ChecklistItem]) -> None:
        self.missing = missing
        super().__init__("cannot finalize yet: " + "; ".join(i.message for i in missing))


class ImportRefused(ServiceError):
    pass


def field_error_from_validation(exc: ValidationError, prefix: str = "") -> FieldError:
    """The first problem of a pydantic ValidationError as a FieldError naming the field path."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    where = ".".join(p for p in (prefix, loc) if p) or "value"
    original = (err.get("ctx") or {}).get("error")
    if isinstance(original, FieldError):
        return FieldError(where, original.message)
    msg = err["msg"]
    for lead in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(lead)
    return FieldError(where, msg)


def open_failure(exc: BaseException) -> str | None:
    """Why the database could not be opened, in one line, when it is a plain fact (a refused
    connection, a bad password, a missing role or driver); None for anything unexplained."""
    from notes_tui.db.engine import DatabaseUnavailable

    if isinstance(exc, (DatabaseUnavailable, DatabaseTooNew, EncryptionError)):
        return str(exc)
    orig = getattr(exc, "orig", None) or exc
    module = type(orig).__module__
    if module.startswith(("psycopg", "sqlite3", "sqlalchemy")):
        words = str(orig).strip().splitlines()
        return f"Could not open the database: {words[0] if words else type(orig).__name__}"
    return None
