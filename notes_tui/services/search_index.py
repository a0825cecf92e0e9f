"""Keeping the full-text index in step with the notes, in the same transaction as their writes.

The index reads a view over the note and its rows, so a note is removed from the index (with the
text it was indexed with) before its rows change, and added back after. Maintenance is by note:
only the index rows of the notes a transaction writes are touched (on PostgreSQL a table-wide
delete would wait on, and deadlock with, a therapist's autosave of another note). The caller holds
the note's row lock first (notes.get_note_row(for_update=True)): note, rows, index, audit is the
one lock order of every writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, text

from notes_tui.db.backends import backend_module

if TYPE_CHECKING:
    from types import ModuleType

    from sqlmodel import Session


def _backend(session: Session) -> ModuleType:
    return backend_module(session.get_bind().dialect.name)


def unindex(session: Session, note_id: int) -> None:
    session.flush()
    session.execute(text(_backend(session).unindex_sql()), {"id": note_id})


def index(session: Session, note_id: int) -> None:
    session.flush()
    session.execute(text(_backend(session).index_sql()), {"id": note_id})


def index_many(session: Session, note_ids: list[int], *, batch: int = 500) -> None:
    """Add new notes (not yet indexed) to the index, `batch` at a time, in id order."""
    if not note_ids:
        return
    session.flush()
    stmt = text(_backend(session).index_many_sql()).bindparams(bindparam("ids", expanding=True))
    ids = sorted(note_ids)
    for i in range(0, len(ids), batch):
        session.execute(stmt, {"ids": ids[i:i + batch]})


def rebuild(session: Session) -> None:
    """The whole index again from the notes (`db reindex`). On PostgreSQL every note's row is
    rewritten in place, in id order, rather than the table emptied first."""
    session.flush()
    for statement in _backend(session).rebuild_sql():
        session.execute(text(statement))
