"""Keeping the full-text index in step with the notes, in the same transaction as their writes.

The index reads a view over the note and its rows, so a note is removed from the index (with the
text it was indexed with) before its rows change, and added back after.
"""

from __future__ import annotations

from sqlalchemy import text

from notes_tui.db.backends import backend_module


def _backend(session):
    return backend_module(session.get_bind().dialect.name)


def unindex(session, note_id: int) -> None:
    session.flush()
    session.execute(text(_backend(session).unindex_sql()), {"id": note_id})


def index(session, note_id: int) -> None:
    session.flush()
    session.execute(text(_backend(session).index_sql()), {"id": note_id})


def rebuild(session) -> None:
    session.flush()
    for statement in _backend(session).rebuild_sql():
        session.execute(text(statement))
