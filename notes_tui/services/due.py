"""Who is due back (domain/due.py) read from the database, and the calendar file of it.

One query: every active client's latest session (by its start; a draft with something in it
counts: the client came; a blank one, or one dated ahead, does not) with the next visit it
planned and how many sessions the client has had. Archived
clients are never listed. The calendar (`due_calendar`) holds names and dates only: no
complaint, no finding, no contraindication; a calendar is synced to places a clinical record
must not go.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import col

from notes_tui.db.models import Client, Note, NoteTriggerPoint, NoteWork
from notes_tui.domain.due import (
    LAPSED_AFTER_DAYS,
    WINDOW_DAYS,
    DueClient,
    DueState,
    LastVisit,
    due_clients,
)
from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.plan import current_plan, parse_plan

if TYPE_CHECKING:
    from sqlmodel import Session


def _a_session(now: datetime) -> ColumnElement[bool]:
    """A note that tells of a session that happened: it has started (not dated ahead), and it
    is finalized or a draft with something in it (a blank note started by mistake, or left,
    is no visit: it must not take an overdue client off the list)."""
    written = or_(col(Note.complaint) != "", col(Note.pain_before).is_not(None),
                  col(Note.pain_before_not_rated).is_not(None),
                  exists().where(col(NoteTriggerPoint.note_id) == col(Note.id)),
                  exists().where(col(NoteWork.note_id) == col(Note.id)))
    return and_(col(Note.session_start) <= now,
                or_(col(Note.status) == NoteStatus.FINAL.value, written))


def last_visits(session: Session, now: datetime | None = None) -> list[LastVisit]:
    """Each active client's latest session (ties on the start: the newer note)."""
    latest = func.row_number().over(partition_by=col(Note.client_id),
                                    order_by=(col(Note.session_start).desc(), col(Note.id).desc()))
    visits = func.count().over(partition_by=col(Note.client_id))
    ranked = (select(col(Note.client_id).label("client_id"),
                     col(Note.session_start).label("start"), col(Note.timezone).label("tz"),
                     col(Note.next_visit_days).label("days"),
                     col(Note.next_visit_date).label("on"),
                     latest.label("n"), visits.label("visits"))
              .where(_a_session(now or datetime.now(UTC)))
              .subquery())
    rows = session.execute(
        select(col(Client.id), col(Client.uuid), col(Client.name), col(Client.preferred_name),
               ranked.c.start, ranked.c.tz, ranked.c.days, ranked.c.on, ranked.c.visits,
               col(Client.plans))
        .join(ranked, ranked.c.client_id == col(Client.id))
        .where(ranked.c.n == 1, col(Client.archived).is_(False))).all()
    out = []
    for cid, uuid, name, preferred, start, tz, days, on, count, plans in rows:
        day = start.astimezone(ZoneInfo(tz or "UTC")).date()
        plan = current_plan([parse_plan(p) for p in plans or []])
        out.append(LastVisit(cid, uuid, preferred or name, day, days, on, int(count),
                             plan.frequency_days if plan else None,
                             plan.cadence if plan else ""))
    return out


def due_list(session: Session, today: date, *, window: int = WINDOW_DAYS,
             lapsed_after: int = LAPSED_AFTER_DAYS) -> list[DueClient]:
    return due_clients(last_visits(session), today, window=window, lapsed_after=lapsed_after)


def due_json(due: list[DueClient], today: date, *, window: int) -> dict:
    """The due list as `notes-tui due --json` prints it."""
    return {"today": today.isoformat(), "window_days": window, "clients": [
        {"client_id": d.client_id, "name": d.name, "state": d.state.value,
         "planned": d.planned.isoformat(), "days_from_today": d.days_from(today),
         "when": d.when(today), "last_visit": d.last_visit.isoformat(), "plan": d.plan,
         "visits": d.visits} for d in due]}


def due_calendar(due: list[DueClient], today: date, *, practice: str = "",
                 now: datetime | None = None) -> bytes:
    """An iCalendar file (RFC 5545, written by the icalendar library) with one all-day entry
    per client to call (the lapsed are left out): on the planned day when it is still ahead, today when it has passed
    (a reminder to call is of no use in the past). The entry's UID is the client's and the
    planned day's, so exporting again updates an entry instead of adding a second. Names and
    dates only."""
    from datetime import timedelta

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//notes-tui//due back//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Due back{': ' + practice if practice else ''}")
    stamp = now or datetime.now(UTC)
    for d in due:
        if d.state is DueState.LAPSED:
            continue  # months overdue: a list to go through, not a reminder every day
        day = max(d.planned, today)
        event = Event()
        event.add("uid", f"due-{d.client_uuid}-{d.planned:%Y%m%d}@notes-tui")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        verb = "Call to book" if d.planned < today else "Due back"
        event.add("summary", f"{verb}: {d.name}")
        event.add("description", f"Next visit planned {d.planned:%Y-%m-%d} ({d.plan}); "
                                 f"last visit {d.last_visit:%Y-%m-%d}.")
        event.add("transp", "TRANSPARENT")  # a reminder: it does not make the day busy
        # an overdue entry moves to the day of each export: a higher SEQUENCE tells a calendar
        # that imported an earlier file that this one replaces it
        event.add("sequence", max(0, (today - d.planned).days))
        cal.add_component(event)
    return cal.to_ical()
