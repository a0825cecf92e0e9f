"""The lock on finalized notes, at the ORM level.

A `before_flush` listener refuses any insert, update or delete that touches a finalized note or
its rows; a `do_orm_execute` listener refuses ORM bulk UPDATE/DELETE on note tables (the
services rewrite a draft's rows through Core, after checking that it is a draft). Amendments
are the only way to add to a finalized note. The database adds triggers (db/backends) so raw
SQL meets the same wall.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, UOWTransaction

    from notes_tui.db.models import Note, NoteChild


class FinalizedNoteError(Exception):
    """An attempt to change a finalized note. Corrections are amendments."""


def _types() -> tuple[type[Note], tuple[type[NoteChild], ...]]:
    from notes_tui.db.models import NOTE_CHILD_MODELS, Note

    return Note, NOTE_CHILD_MODELS


def _committed_status(obj: Note) -> str | None:
    hist = inspect(obj).attrs.status.history
    if hist.deleted:
        return hist.deleted[0]
    return hist.unchanged[0] if hist.unchanged else obj.status


def _final_note_ids(session: Session, note_ids: set[int]) -> set[int]:
    """Which of these notes are finalized in the database: one query per flush."""
    if not note_ids:
        return set()
    Note, _ = _types()
    from sqlalchemy import select
    from sqlmodel import col

    with session.no_autoflush:
        return cast(set[int], set(session.execute(select(col(Note.id)).where(
            col(Note.id).in_(note_ids), col(Note.status) == "final")).scalars()))


def _check_flush(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    Note, children = _types()
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Note):
            if not session.is_modified(obj) and obj not in session.deleted:
                continue
            if _committed_status(obj) == "final":
                raise FinalizedNoteError(
                    f"note {obj.id} is finalized and cannot be changed; add an amendment instead")
    touched = {obj.note_id for obj in list(session.new) + list(session.dirty)
               + list(session.deleted)
               if isinstance(obj, children) and obj.note_id is not None
               and (obj in session.new or obj in session.deleted or session.is_modified(obj))}
    final = _final_note_ids(session, touched)
    if final:
        raise FinalizedNoteError(
            f"note {min(final)} is finalized and cannot be changed; add an amendment instead")


def _check_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    Note, children = _types()
    for mapper in state.all_mappers:
        if mapper.class_ is Note or mapper.class_ in children:
            raise FinalizedNoteError(
                "bulk UPDATE/DELETE on notes is refused; change notes through the services")


def install_guard(factory: sessionmaker | None = None) -> None:
    """Install the guard on every ORM session of the process (any sessionmaker, any Session)."""
    for name, fn in (("before_flush", _check_flush), ("do_orm_execute", _check_bulk)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
