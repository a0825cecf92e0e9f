"""Retention: each client's keep-until date (domain/retention.py) from the last visit (the
newest note's session, drafts included: a visit happened) and the date of birth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from notes_tui.db.models import Client, Note
from notes_tui.domain.retention import keep_until

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class ClientRetention:
    client_id: int
    name: str
    archived: bool
    last_visit: date | None
    date_of_birth: date | None
    keep_until: date | None  # None: no visit recorded
    notes: int

    def past(self, today: date) -> bool:
        """The keep-until date has gone by: the records may now be deleted, if chosen."""
        return self.keep_until is not None and today > self.keep_until


@dataclass(frozen=True)
class RetentionReport:
    today: date
    clients: tuple[ClientRetention, ...]

    @property
    def past(self) -> tuple[ClientRetention, ...]:
        return tuple(c for c in self.clients if c.past(self.today))

    @property
    def kept(self) -> tuple[ClientRetention, ...]:
        return tuple(c for c in self.clients if c.keep_until is not None and not c.past(self.today))

    @property
    def no_visits(self) -> tuple[ClientRetention, ...]:
        return tuple(c for c in self.clients if c.keep_until is None)


def _local_day(when: datetime | None, tz: tzinfo) -> date | None:
    return when.astimezone(tz).date() if when is not None else None


def client_retention(session: Session, client_id: int, *, tz: tzinfo) -> ClientRetention | None:
    rows = _rows(session, tz, client_id)
    return rows[0] if rows else None


def _rows(session: Session, tz: tzinfo, client_id: int | None = None
          ) -> list[ClientRetention]:
    c, n = Client.__table__, Note.__table__
    stmt = (select(c.c.id, c.c.name, c.c.archived, c.c.date_of_birth,
                   func.max(n.c.session_start).label("last"), func.count(n.c.id).label("notes"))
            .select_from(c.outerjoin(n, n.c.client_id == c.c.id))
            .group_by(c.c.id, c.c.name, c.c.archived, c.c.date_of_birth)
            .order_by(c.c.name, c.c.id))
    if client_id is not None:
        stmt = stmt.where(c.c.id == client_id)
    out = []
    for r in session.connection().execute(stmt):
        visit = _local_day(r.last, tz)
        out.append(ClientRetention(r.id, r.name, bool(r.archived), visit, r.date_of_birth,
                                   keep_until(visit, r.date_of_birth), int(r.notes)))
    return out


def retention_report(session: Session, today: date, *, tz: tzinfo) -> RetentionReport:
    """Every client with their keep-until date; `today` in the clinic's zone."""
    return RetentionReport(today, tuple(_rows(session, tz)))


@dataclass(frozen=True)
class Deleted:
    client_id: int
    name: str
    notes: int
    finalized_notes: int
    amendments: int
    keep_until: date | None


def deletion_digest(client_id: int, counts: dict[str, int], keep: date | None) -> str:
    from notes_tui.domain.digest import digest

    return digest({"deleted": "client", "id": client_id, "reason": "past retention",
                   "keep_until": keep.isoformat() if keep else None, **counts})


def delete_past_retention(client_id: int, *, session: Session, today: date, tz: tzinfo,
                          actor: str) -> Deleted:
    """Delete a client, their notes (finalized ones too) and amendments, once today is past
    their keep-until date; refuses before. In the caller's write transaction: the lock
    triggers that forbid deleting finalized records are dropped and put back (the app's own
    DDL, db/backends) around the deletion, so no other connection ever sees them missing.
    Audited: one `delete` event per amendment, note and the client (ids and a digest of the
    counts; never content)."""
    from notes_tui.db.backends import backend_module
    from notes_tui.db.models import Amendment
    from notes_tui.domain.digest import digest
    from notes_tui.domain.enums import AuditAction
    from notes_tui.services import search_index
    from notes_tui.services.audit import PendingEvent, lock_head, record_many
    from notes_tui.services.clients import get_client
    from notes_tui.services.errors import ServiceError

    client = get_client(client_id, session=session)
    kept = client_retention(session, client_id, tz=tz)
    assert kept is not None  # the client exists
    if kept.keep_until is not None and not kept.past(today):
        raise ServiceError(f"client {client_id}: the records must be kept until "
                           f"{kept.keep_until}; nothing was deleted")
    lock_head(session)
    conn = session.connection()
    n, a = Note.__table__, Amendment.__table__
    notes = conn.execute(select(n.c.id, n.c.status).where(n.c.client_id == client_id)
                         .order_by(n.c.id)).all()
    note_ids = [r.id for r in notes]
    amendment_ids = list(conn.execute(select(a.c.id).where(a.c.note_id.in_(note_ids))
                                      .order_by(a.c.id)).scalars()) if note_ids else []
    backend = backend_module(conn.dialect.name)
    # text(): SQLAlchemy escapes the % of PL/pgSQL's RAISE for psycopg, as the migrations do
    for statement in backend.drop_lock_triggers_ddl():
        conn.execute(text(statement))
    for nid in note_ids:
        search_index.unindex(session, nid)
    if note_ids:
        conn.execute(a.delete().where(a.c.note_id.in_(note_ids)))
        conn.execute(n.delete().where(n.c.client_id == client_id))  # children cascade
    conn.execute(Client.__table__.delete().where(Client.__table__.c.id == client_id))
    for statement in backend.lock_triggers_ddl():
        conn.execute(text(statement))
    counts = {"notes": len(note_ids), "finalized_notes": sum(r.status == "final" for r in notes),
              "amendments": len(amendment_ids)}
    events = [PendingEvent(AuditAction.DELETE, "amendment", i,
                           digest({"deleted": "amendment", "id": i})) for i in amendment_ids]
    events += [PendingEvent(AuditAction.DELETE, "note", i, digest({"deleted": "note", "id": i}))
               for i in note_ids]
    events.append(PendingEvent(AuditAction.DELETE, "client", client_id,
                               deletion_digest(client_id, counts, kept.keep_until)))
    record_many(session, events, actor=actor)
    session.expunge(client)
    return Deleted(client_id, client.name, counts["notes"], counts["finalized_notes"],
                   counts["amendments"], kept.keep_until)
