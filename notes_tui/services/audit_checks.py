"""The checks `verify` makes beyond the chain and the digests: what the audit trail says exists
against what the database holds (deleted notes, clients and amendments; a finalized note set back
to draft; a client's record changed), the lock triggers, the keyed seal and the last head this
computer saw (audit_seal.py).

`Tally` is fed every event as verify streams the chain (O(1) per event, one small dict entry per
note, client and amendment); the comparisons then stream the tables once, in id order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from notes_tui.db.models import Amendment, AuditEvent, AuditHead, Client, Note
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import AuditAction
from notes_tui.services import audit_seal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import Connection, Row
    from sqlmodel import Session

    from notes_tui.services.audit import VerifyReport

_BORN = (AuditAction.CREATE, AuditAction.IMPORT)
# a draft discarded; a note, amendment or client deleted in the app (a client with no notes,
# or a client's records past retention)
_GONE = (AuditAction.DISCARD, AuditAction.DELETE)
# the client events whose digest is the client's record (an export's is the PDF's)
_CLIENT_RECORD = (AuditAction.CREATE, AuditAction.IMPORT, AuditAction.UPDATE,
                  AuditAction.ARCHIVE, AuditAction.RESTORE)
ROWS_PER_FETCH = 2000


@dataclass
class Tally:
    """What the audit trail says exists, built event by event."""

    notes: dict[int, int] = field(default_factory=dict)  # id -> seq of its finalize event, or 0
    refinalized: dict[int, list[int]] = field(default_factory=dict)  # id -> its later finalizes
    clients: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (digest, seq)
    amendments: dict[int, int] = field(default_factory=dict)  # id -> seq of its event

    def see(self, e: Row[Any]) -> None:
        if e.entity_id is None:
            return
        if e.entity == "note":
            if e.action in (*_BORN, *_GONE):
                self.refinalized.pop(e.entity_id, None)
                if e.action in _GONE:
                    self.notes.pop(e.entity_id, None)
                else:
                    self.notes[e.entity_id] = 0
            elif e.action == AuditAction.FINALIZE:
                if self.notes.get(e.entity_id):
                    self.refinalized.setdefault(e.entity_id, []).append(e.seq)
                else:
                    self.notes[e.entity_id] = e.seq
        elif e.entity == "client":
            if e.action == AuditAction.DELETE:
                self.clients.pop(e.entity_id, None)
            elif e.action in _CLIENT_RECORD:
                self.clients[e.entity_id] = (e.digest, e.seq)
        elif e.entity == "amendment":
            if e.action in (*_BORN, AuditAction.AMEND):
                self.amendments[e.entity_id] = e.seq
            elif e.action == AuditAction.DELETE:
                self.amendments.pop(e.entity_id, None)


def check_all(session: Session, tally: Tally, discarded: Iterable[int],
              report: VerifyReport) -> None:
    """Compares and empties `tally`."""
    conn = session.connection()
    head_t = AuditHead.__table__
    tally_from = conn.execute(select(head_t.c.tally_from).where(head_t.c.id == 1)).scalar() or 0
    _check_notes(conn, tally, set(discarded), report)
    _check_clients(conn, tally, tally_from, report)
    _check_amendments(conn, tally, report)
    check_triggers(conn, report)
    check_head(session, report)


# --- notes -----------------------------------------------------------------------------------

def _event_when(conn: Connection, seq: int) -> str:
    t = AuditEvent.__table__
    row = conn.execute(select(t.c.at, t.c.actor).where(t.c.seq == seq)).first()
    return f"{row.at.astimezone(UTC):%Y-%m-%d} by {row.actor}" if row else f"event {seq}"


def _note_label(row: Row[Any, Any, Any, Any, Any]) -> str:
    try:
        zone: tzinfo = ZoneInfo(row.timezone)
    except (ValueError, ZoneInfoNotFoundError):
        zone = UTC
    when = row.session_start.astimezone(zone).strftime("%Y-%m-%d")
    return f"note {row.id} ({row.name or 'no client'}, {when})"


def _check_notes(conn: Connection, tally: Tally, discarded: set[int], report: VerifyReport) -> None:
    n, c = Note.__table__, Client.__table__
    stmt = (select(n.c.id, n.c.status, n.c.session_start, n.c.timezone, c.c.name)
            .select_from(n.outerjoin(c, c.c.id == n.c.client_id)).order_by(n.c.id))
    for row in conn.execution_options(yield_per=ROWS_PER_FETCH).execute(stmt):
        first = tally.notes.pop(row.id, None)  # what is left at the end is gone
        finals = [first, *tally.refinalized.get(row.id, ())] if first else []
        if first is None:
            if row.id not in discarded:
                report.problems.append(f"{_note_label(row)} has no audit event: it was added "
                                       "outside the app")
        elif len(finals) > 1:
            report.problems.append(
                f"{_note_label(row)} was finalized {len(finals)} times (audit events "
                f"{', '.join(map(str, finals))}): it was set back to draft outside the app")
        elif finals and row.status != "final":
            report.problems.append(
                f"{_note_label(row)} was finalized (audit event {finals[0]}) but is a draft "
                "again: it was set back outside the app")
    for note_id, first in tally.notes.items():
        if first:
            report.problems.append(f"finalized note {note_id} (finalized "
                                   f"{_event_when(conn, first)}) was deleted")
        elif not _discarded_before_discard_events(conn, note_id):
            report.problems.append(f"draft note {note_id} was deleted outside the app "
                                   "(no discard in the audit trail)")


def _discarded_before_discard_events(conn: Connection, note_id: int) -> bool:
    """Drafts discarded before `discard` was its own action left an `update` with this digest."""
    t = AuditEvent.__table__
    return conn.execute(select(t.c.seq).where(
        t.c.entity == "note", t.c.entity_id == note_id, t.c.action == str(AuditAction.UPDATE),
        t.c.digest == digest({"deleted_draft": note_id})).limit(1)).first() is not None


# --- clients ---------------------------------------------------------------------------------

def _check_clients(conn: Connection, tally: Tally, tally_from: int, report: VerifyReport) -> None:
    from notes_tui.services.clients import client_record

    t = Client.__table__
    for row in conn.execution_options(yield_per=ROWS_PER_FETCH).execute(
            select(t).order_by(t.c.id)):
        recorded = tally.clients.pop(row.id, None)  # what is left at the end is gone
        if recorded is None:
            report.problems.append(f"client {row.id} ({row.name}) has no audit event: added "
                                   "outside the app")
        elif digest(client_record(cast("Client", row))) != recorded[0]:
            report.problems.append(
                f"client {row.id} ({row.name}): the client's record (name, contraindications or "
                f"other details) was changed outside the app after audit event {recorded[1]}")
    for client_id, (_, seq) in tally.clients.items():
        gone = f"client {client_id} (last recorded {_event_when(conn, seq)})"
        if seq <= tally_from:  # deleting a client with no notes was not audited then
            report.warnings.append(f"{gone} is gone: deleted in the app before deletions were "
                                   "audited, or outside it")
        else:
            report.problems.append(f"{gone} was deleted")


# --- amendments ------------------------------------------------------------------------------

def _check_amendments(conn: Connection, tally: Tally, report: VerifyReport) -> None:
    t = Amendment.__table__
    for amendment_id in conn.execution_options(yield_per=ROWS_PER_FETCH).execute(
            select(t.c.id)).scalars():
        tally.amendments.pop(amendment_id, None)  # one with no event: _verify_amendments
    for amendment_id, seq in tally.amendments.items():
        report.problems.append(f"amendment {amendment_id} (made {_event_when(conn, seq)}) "
                               "was deleted")


# --- the lock triggers -----------------------------------------------------------------------

_LOCKS = {"note": "the lock on finalized notes", "amendment": "the lock on amendments",
          "audit_event": "the lock on the audit trail",
          "note_finding": "the lock on finalized notes' findings",
          "note_trigger_point": "the lock on finalized notes' trigger points",
          "note_cue": "the lock on finalized notes' movement cues",
          "note_home_care": "the lock on finalized notes' home care",
          "note_work": "the lock on finalized notes' work rows"}
_TRIGGER = re.compile(r"CREATE TRIGGER (\w+)\s.*?\bON (\w+)", re.DOTALL)


def expected_triggers(dialect: str) -> dict[str, str]:
    """Trigger name -> table, from the backend's own lock DDL."""
    from notes_tui.db.backends import backend_module

    found = (_TRIGGER.search(s) for s in backend_module(dialect).lock_triggers_ddl())
    return {m.group(1): m.group(2) for m in found if m}


def _present_triggers(conn: Connection) -> set[str]:
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = ("SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
               "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
               "AND c.relnamespace = to_regnamespace(current_schema())")
    return set(conn.execute(text(sql)).scalars())


def check_triggers(conn: Connection, report: VerifyReport) -> None:
    present = _present_triggers(conn)
    missing: dict[str, list[str]] = {}
    for name, table in expected_triggers(conn.dialect.name).items():
        if name not in present:
            missing.setdefault(table, []).append(name)
    for table, names in missing.items():
        what = _LOCKS.get(table, f"the lock on {table}")
        report.problems.append(f"{what} was removed (missing: {', '.join(names)}): the database "
                               "no longer refuses changes to it")


# --- the keyed seal and the last head this computer saw --------------------------------------

def check_head(session: Session, report: VerifyReport) -> None:
    conn = session.connection()
    head_t, event_t = AuditHead.__table__, AuditEvent.__table__
    head = conn.execute(select(head_t).where(head_t.c.id == 1)).first()
    if head is not None:
        sealed = audit_seal.check_seal(head.mac, head.seq, head.hash, head.tally_from)
        if sealed.problem:
            report.problems.append(sealed.problem)
        if sealed.warning:
            report.warnings.append(sealed.warning)
    seen = audit_seal.last_seen(audit_seal.url_of(session.get_bind()))
    if seen is None:
        return
    seq = head.seq if head is not None else 0
    first = conn.execute(select(event_t.c.hash).where(event_t.c.seq == 1)).scalar() or ""
    if first != seen.first:
        report.problems.append("the audit trail is not the one this computer last saw in this "
                               "database: its first event differs (replaced or recomputed)")
        return
    if seq < seen.seq:
        report.problems.append(f"audit events after #{seq} were removed (this computer last "
                               f"saw #{seen.seq})")
        return
    then = conn.execute(select(event_t.c.hash).where(event_t.c.seq == seen.seq)).scalar()
    if then != seen.hash:
        report.problems.append(f"audit event #{seen.seq} is not the one this computer last saw: "
                               "the audit trail was rewritten")
    if seen.sealed and head is not None and head.mac is None:
        report.problems.append("the audit trail's keyed seal was removed")
