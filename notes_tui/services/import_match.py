"""Records an import finds already in the database, by their stable uuid.

A record whose uuid is already here and whose content is the same is "already present": the
import adds nothing for it. The same uuid with different content is refused, naming the record in

the file, the first field that differs and the id of the record already here (nothing is
imported: the whole import is one transaction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select
from sqlmodel import col

from notes_tui.db.models import Amendment, Client, Note
from notes_tui.services.errors import ImportRefused

if TYPE_CHECKING:
    from sqlmodel import Session

M = TypeVar("M", Client, Note, Amendment)


def _first_difference(have: dict, incoming: dict, prefix: str = "") -> str | None:
    for key in sorted(set(have) | set(incoming)):
        a, b = have.get(key), incoming.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            return _first_difference(a, b, f"{prefix}{key}.")
        return f"{prefix}{key}"
    return None


def _refuse_if_different(kind: str, where: str, existing_id: int | None, have: dict,
                         incoming: dict) -> None:
    ignore = {"id", "client_id", "uuid"}
    field = _first_difference({k: v for k, v in have.items() if k not in ignore},
                              {k: v for k, v in incoming.items() if k not in ignore})
    if field is not None:
        raise ImportRefused(f"{where}: {field}: differs from {kind} {existing_id} already here "
                            "with the same uuid; nothing was imported")


def find(session: Session, model: type[M], record_uuid: str | None) -> M | None:
    if record_uuid is None:
        return None
    return session.execute(select(model).where(col(model.uuid) == record_uuid)).scalar_one_or_none()


def present_client(session: Session, where: str, record_uuid: str | None, incoming: dict
                   ) -> Client | None:
    """The client already here with this uuid (same content), or None when it is new."""
    existing = find(session, Client, record_uuid)
    if existing is not None:
        from notes_tui.services.clients import client_record

        _refuse_if_different("client", where, existing.id, client_record(existing), incoming)
    return existing


def present_note(session: Session, where: str, record_uuid: str | None, client_id: int,
                 incoming: dict) -> Note | None:
    existing = find(session, Note, record_uuid)
    if existing is not None:
        from notes_tui.services.note_store import load_content
        from notes_tui.services.notes import note_record

        if existing.client_id != client_id:
            raise ImportRefused(f"{where}: client_id: note {existing.id} already here with the "
                                "same uuid belongs to another client; nothing was imported")
        _refuse_if_different("note", where, existing.id,
                             note_record(existing, load_content(existing, session=session)),
                             incoming)
    return existing


def present_amendment(session: Session, where: str, record_uuid: str | None, note_id: int,
                      incoming: dict) -> Amendment | None:
    existing = find(session, Amendment, record_uuid)
    if existing is not None:
        from notes_tui.services.interchange import amendment_record

        if existing.note_id != note_id:
            raise ImportRefused(f"{where}: uuid: amendment {existing.id} already here with the "
                                "same uuid corrects another note; nothing was imported")
        _refuse_if_different("amendment", where, existing.id, amendment_record(existing),
                             incoming)
    return existing
