"""The recurring trigger points of one client (domain/recurrence.py), read from the record.

Finalized sessions only, each as its current revision (an amendment's correction counts, as it
does for what goes forward): a draft is not yet what happened. Each point is named as the
note's presentation names it (services/presentation.py: the one read model) and keyed by its
catalog muscle, or by the therapist's own muscle name when it has none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from notes_tui.db.models import Note
from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.names import fold
from notes_tui.domain.recurrence import PointSeen, Recurrence, SessionPoints, recurrence

if TYPE_CHECKING:
    from sqlmodel import Session

    from notes_tui.domain.catalog import Catalog
    from notes_tui.services.notes import NoteView


def session_points(view: NoteView, catalog: Catalog) -> SessionPoints:
    from notes_tui.services.presentation import present_view

    rows = view.current.trigger_points
    shown = present_view(view, catalog, current=True).points
    points = tuple(
        PointSeen(row.muscle_id or "own:" + fold(row.muscle), p.muscle, row.side, row.activity,
                  row.pressure, row.response)
        for row, p in zip(rows, shown, strict=True) if row.confirmed)
    return SessionPoints(view.id, view.local_start.date(), points)


def client_recurrence(client_id: int, *, session: Session, catalog: Catalog,
                      limit: int | None = None) -> Recurrence:
    """The grid over the client's finalized sessions (the newest `limit`, or all)."""
    from notes_tui.services.notes import get_note

    query = (select(col(Note.id)).where(col(Note.client_id) == client_id,
                                        col(Note.status) == NoteStatus.FINAL.value)
             .order_by(col(Note.session_start).desc(), col(Note.id).desc()))
    if limit is not None:
        query = query.limit(limit)
    ids = session.execute(query).scalars().all()
    return recurrence(session_points(get_note(nid, session=session), catalog) for nid in ids)
