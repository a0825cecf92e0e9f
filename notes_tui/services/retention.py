"""Retention: each client's keep-until date (domain/retention.py) from the last visit (the
newest note's session, drafts included: a visit happened) and the date of birth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import func, select

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
