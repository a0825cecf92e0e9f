"""The audit trail: every create, finalize, amend, export, archive, import and discard writes an
event whose hash chains to the previous one; a draft's edits write one `update` per editing
session (see `edit_session_digest`). `verify` recomputes the chain and the digests of
finalized notes and amendments, and names whatever was altered outside the app; audit_checks.py
adds what the trail says exists against the rows (deletions, a note set back to draft, a client's
record changed), the lock triggers, and the anchors outside the database (audit_seal.py: the
keyed seal of the head, the last head this computer saw).

Concurrency: each event first bumps the single `audit_head` row (a row lock on PostgreSQL; SQLite
is already serialised by BEGIN IMMEDIATE), so two writers can never fork the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import event, insert, select, update
from sqlmodel import col

from notes_tui.db.models import Amendment, AuditEvent, AuditHead, Note
from notes_tui.domain.digest import chain_hash, digest
from notes_tui.domain.enums import AuditAction
from notes_tui.services import audit_seal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from sqlalchemy.engine import Connection, Row
    from sqlmodel import Session

    from notes_tui.services.audit_checks import Tally

    SealedNotes = Callable[[Session], Iterable[list["SealedNote"]]]

GENESIS = "0" * 64


def _event_body(e: AuditEvent | Row[Any]) -> dict:
    return {
        "seq": e.seq, "at": e.at.astimezone(UTC).isoformat(), "actor": e.actor,
        "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "digest": e.digest,
    }


def record(session: Session, *, actor: str, action: AuditAction, entity: str, entity_id: int | None,
           content_digest: str) -> None:
    """Append one event in the caller's transaction."""
    record_many(session, [PendingEvent(action, entity, entity_id, content_digest)], actor=actor)


def edit_session_digest(edit_session: str) -> str:
    """The digest an editing session's one `update` event carries.

    A draft's edits are audited once per editing session, not once per autosave: the editor
    makes a token when it opens a note, and the first save that changes something records an
    `update` whose digest is this one; a later save finds that event and records nothing. The
    event itself is the knowledge that the session was audited, so it is exact across processes,
    restarts and rolled-back transactions, with no clock involved and no schema change. (The
    content digest it replaces was the content of one autosave, overwritten a second later;
    finalize records the digest that counts.)"""
    return digest({"edit_session": edit_session})


def edit_session_audited(session: Session, *, note_id: int, edit_session: str) -> bool:
    t = AuditEvent.__table__
    return session.connection().execute(
        select(t.c.seq).where(t.c.entity_id == note_id, t.c.entity == "note",
                              t.c.action == str(AuditAction.UPDATE),
                              t.c.digest == edit_session_digest(edit_session)).limit(1)
    ).first() is not None


@dataclass(frozen=True)
class PendingEvent:
    action: AuditAction
    entity: str
    entity_id: int | None
    digest: str


def record_many(session: Session, events: list[PendingEvent], *, actor: str) -> None:
    """Append many events at once (bulk import, demo data): one head update, one insert."""
    if not events:
        return
    conn = session.connection()
    head_t, event_t = AuditHead.__table__, AuditEvent.__table__
    bumped = conn.execute(
        update(head_t).where(head_t.c.id == 1).values(seq=head_t.c.seq + len(events))
    ).rowcount
    if not bumped:
        conn.execute(insert(head_t).values(id=1, seq=len(events), hash=GENESIS))
    head = conn.execute(select(head_t.c.seq, head_t.c.hash, head_t.c.tally_from)
                        .where(head_t.c.id == 1)).one()
    seq, prev = head.seq - len(events), head.hash or GENESIS
    at = datetime.now(UTC).replace(microsecond=0)
    rows = []
    for pending in events:
        seq += 1
        event = AuditEvent(seq=seq, at=at, actor=actor, action=str(pending.action),
                           entity=pending.entity, entity_id=pending.entity_id,
                           digest=pending.digest, prev_hash=prev, hash="")
        event.hash = chain_hash(prev, _event_body(event))
        prev = event.hash
        rows.append({"seq": event.seq, "at": at, "actor": actor, "action": event.action,
                     "entity": event.entity, "entity_id": event.entity_id,
                     "digest": event.digest, "prev_hash": event.prev_hash, "hash": event.hash})
    conn.execute(insert(event_t), rows)
    mac = audit_seal.seal_for(session, seq, prev, head.tally_from)
    conn.execute(update(head_t).where(head_t.c.id == 1).values(hash=prev, mac=mac))
    _remember_after_commit(session, seq, prev, sealed=mac is not None,
                           first=str(rows[0]["hash"]) if rows[0]["seq"] == 1 else None)


def _remember_after_commit(session: Session, seq: int, head_hash: str, *, sealed: bool,
                           first: str | None) -> None:
    """Once the transaction commits, record its head as the last this computer saw
    (audit_seal.remember); nothing when it rolls back."""
    if first is None:
        event_t = AuditEvent.__table__
        first = session.connection().execute(
            select(event_t.c.hash).where(event_t.c.seq == 1)).scalar() or ""
    session.info["audit_anchor"] = audit_seal.Anchor(seq, head_hash, first, sealed)
    if session.info.get("audit_listening"):
        return
    session.info["audit_listening"] = True

    def committed(s: Session) -> None:
        anchor = s.info.pop("audit_anchor", None)
        if anchor is not None:
            audit_seal.remember(audit_seal.url_of(s.get_bind()), anchor)

    def rolled_back(s: Session, _previous: object) -> None:
        s.info.pop("audit_anchor", None)

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_soft_rollback", rolled_back)


def last_seq(session: Session) -> int:
    """The audit trail's last sequence number as this transaction sees it (0 when empty)."""
    head_t = AuditHead.__table__
    return session.connection().execute(
        select(head_t.c.seq).where(head_t.c.id == 1)).scalar() or 0


def lock_head(session: Session) -> None:
    """Take the audit head's row lock now (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds
    the whole database): every event committed before it is visible to what follows, and no
    event can be appended between what follows and this transaction's own event."""
    head_t = AuditHead.__table__
    session.connection().execute(
        select(head_t.c.seq).where(head_t.c.id == 1).with_for_update())


def client_changed_since(session: Session, seq: int, client_id: int,
                         note_ids: Iterable[int] = ()) -> bool:
    """Whether an event after `seq` touched the client, one of its notes (those in `note_ids`,
    read earlier, and those it has now) or one of their amendments. Exports are left out: an
    export changes nothing in the record."""
    note_t, amend_t, event_t = Note.__table__, Amendment.__table__, AuditEvent.__table__
    ids = set(note_ids) | set(session.connection().execute(
        select(note_t.c.id).where(note_t.c.client_id == client_id)).scalars())
    touched = (event_t.c.entity == "client") & (event_t.c.entity_id == client_id)
    if ids:
        amendments = select(amend_t.c.id).where(amend_t.c.note_id.in_(ids))
        touched = touched | ((event_t.c.entity == "note") & event_t.c.entity_id.in_(ids)) | (
            (event_t.c.entity == "amendment") & event_t.c.entity_id.in_(amendments))
    return session.connection().execute(
        select(event_t.c.seq).where(event_t.c.seq > seq,
                                    event_t.c.action != str(AuditAction.EXPORT), touched)
        .limit(1)).first() is not None


@dataclass
class VerifyReport:
    events: int = 0
    finalized_notes: int = 0
    amendments: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what could not be checked (not tampering)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SealedNote:
    """A finalized note as verify sees it."""

    id: int
    stored_digest: str | None  # note.content_digest as it is in the database
    actual: str  # the digest of its content now, or "invalid: ..." when it no longer validates


EVENTS_PER_FETCH = 2000


def verify(session: Session, *, sealed_notes: SealedNotes | None = None,
           note_digest: Callable[[Session, Note], str] | None = None) -> VerifyReport:
    """Recompute the chain, the finalized notes' digests and the amendments' digests.

    Streams: events in seq order a batch at a time, notes and amendments in id order a chunk at
    a time (with the audit digests of just that chunk), so memory does not grow with the record.
    `sealed_notes(session)` yields the finalized notes with their recomputed digests in chunks
    (`note_digests.sealed_notes`, passed in to keep this module free of note mapping); the older
    `note_digest(session, note)`, one note at a time, is still accepted."""
    from notes_tui.services import audit_checks

    report = VerifyReport()
    tally = audit_checks.Tally()
    discarded = _verify_chain(session, report, tally)
    if sealed_notes is None:
        if note_digest is None:
            raise TypeError("verify needs sealed_notes (or note_digest)")
        sealed_notes = _one_by_one(note_digest)
    for chunk in sealed_notes(session):
        _verify_notes(session, chunk, report)
    _verify_amendments(session, report)
    audit_checks.check_all(session, tally, discarded, report)
    return report


def _verify_chain(session: Session, report: VerifyReport, tally: Tally) -> set[int]:
    """The chain, event by event (each also told to `tally`); returns the discarded note ids."""
    conn = session.connection()
    t = AuditEvent.__table__
    prev, expected_seq = GENESIS, 1
    discarded: dict[int, int] = {}  # note id -> seq of its discard, until a note takes the id again
    result = conn.execution_options(yield_per=EVENTS_PER_FETCH).execute(
        select(t).order_by(t.c.seq))
    for e in result:
        report.events += 1
        if e.seq != expected_seq:
            report.problems.append(
                f"audit events {expected_seq}..{e.seq - 1} are missing (deleted outside the app)")
        expected_seq = e.seq + 1
        if e.prev_hash != prev:
            report.problems.append(f"audit event {e.seq}: does not chain to the event before it")
        if chain_hash(e.prev_hash, _event_body(e)) != e.hash:
            report.problems.append(
                f"audit event {e.seq} ({e.action} {e.entity} {e.entity_id}): altered outside the app")
        prev = e.hash
        tally.see(e)
        if e.entity == "note" and e.entity_id is not None:
            if e.action == AuditAction.DISCARD:
                discarded[e.entity_id] = e.seq
            elif e.action in (AuditAction.CREATE, AuditAction.IMPORT):
                discarded.pop(e.entity_id, None)
    head = session.get(AuditHead, 1)
    if report.events and (head is None or head.hash != prev or head.seq != expected_seq - 1):
        report.problems.append("audit head does not match the last event (events removed at the end)")
    _verify_discarded(conn, discarded, report)
    return set(discarded)


def _verify_discarded(conn: Connection, discarded: dict[int, int], report: VerifyReport) -> None:
    """A discarded draft is gone: its id back in the table with no new create means the row was
    put back outside the app."""
    ids = sorted(discarded)
    for i in range(0, len(ids), 500):
        back = conn.execute(select(Note.__table__.c.id).where(
            Note.__table__.c.id.in_(ids[i:i + 500]))).scalars()
        report.problems.extend(
            f"note {nid}: discarded (audit event {discarded[nid]}) but back in the database"
            for nid in back)


def _last_digests(conn: Connection, entity: str, action: AuditAction | None, ids: list[int]) -> dict[int, str]:
    """The digest of the newest `action` event of each of `ids` (any action when None)."""
    t = AuditEvent.__table__
    stmt = (select(t.c.entity_id, t.c.digest).where(t.c.entity == entity, t.c.entity_id.in_(ids))
            .order_by(t.c.seq))
    if action is not None:
        stmt = stmt.where(t.c.action == str(action))
    return {row.entity_id: row.digest for row in conn.execute(stmt)}


def _verify_notes(session: Session, chunk: list[SealedNote], report: VerifyReport) -> None:
    last_finalize = _last_digests(session.connection(), "note", AuditAction.FINALIZE,
                                  [n.id for n in chunk])
    for note in chunk:
        report.finalized_notes += 1
        if note.id not in last_finalize:
            report.problems.append(f"note {note.id}: finalized with no finalize event in the audit trail")
        elif last_finalize[note.id] != note.actual:
            report.problems.append(f"note {note.id}: content changed after it was finalized"
                                   + (f" ({note.actual})" if note.actual.startswith("invalid") else ""))
        elif note.stored_digest != note.actual:
            report.problems.append(f"note {note.id}: stored digest does not match its content")


def _verify_amendments(session: Session, report: VerifyReport, *, chunk: int = 500) -> None:
    conn = session.connection()
    t = Amendment.__table__
    last_id = 0
    while rows := conn.execute(select(t).where(t.c.id > last_id).order_by(t.c.id)
                               .limit(chunk)).all():
        last_id = rows[-1].id
        recorded = _last_digests(conn, "amendment", None, [a.id for a in rows])
        for a in rows:
            report.amendments += 1
            if recorded.get(a.id) != amendment_digest(a):
                report.problems.append(f"amendment {a.id} of note {a.note_id}: altered outside the app")


def _one_by_one(note_digest: Callable[[Session, Note], str]) -> SealedNotes:
    """The older per-note form of `sealed_notes` (one ORM load per note)."""
    def sealed(session: Session) -> Iterator[list[SealedNote]]:
        stmt = select(Note).where(col(Note.status) == "final").order_by(col(Note.id))
        for note in session.execute(stmt.execution_options(yield_per=500)).scalars():
            yield [SealedNote(note.id, note.content_digest, note_digest(session, note))]

    return sealed


FOLD_GAP = timedelta(minutes=10)


def summary_lines(events: Sequence[AuditEvent]) -> tuple[tuple[str, str], ...]:
    """The clinical record's audit section: one line per event (seq order), except that a run of
    `update`s of one note by one person less than `FOLD_GAP` apart (autosaves written before
    edits were coalesced into editing sessions, or saves made without one) reads as one line
    with its count."""
    lines: list[tuple[str, str]] = []
    run: list = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        if len(run) == 1:
            lines.append(_line(first))
        else:
            lines.append((f"{first.at:%Y-%m-%d %H:%M} UTC",
                          f"#{first.seq}-#{last.seq} {_what(first)} by {first.actor}: "
                          f"{len(run)} edits until {last.at:%Y-%m-%d %H:%M} "
                          f"(digest {last.digest[:12]})"))
        run.clear()

    for e in events:
        if e.action == AuditAction.UPDATE and e.entity == "note":
            if run and ((run[-1].entity_id, run[-1].actor) != (e.entity_id, e.actor)
                        or e.at - run[-1].at > FOLD_GAP):
                flush()
            run.append(e)
            continue
        flush()
        lines.append(_line(e))
    flush()
    return tuple(lines)


def _what(e: AuditEvent) -> str:
    discard = e.entity == "note" and e.action == AuditAction.DISCARD
    return f"{e.action} {e.entity} {e.entity_id}" + (" (draft deleted)" if discard else "")


def _line(e: AuditEvent) -> tuple[str, str]:
    return (f"{e.at:%Y-%m-%d %H:%M} UTC",
            f"#{e.seq} {_what(e)} by {e.actor} (digest {e.digest[:12]})")


def amendment_digest(a: Amendment | Row[Any]) -> str:
    body = {"note_id": a.note_id, "author": a.author,
            "created_at": a.created_at.astimezone(UTC).isoformat(),
            "reason": a.reason, "text": a.text}
    if a.content is not None:  # a corrected revision is covered too (older amendments have none)
        body["content"] = a.content
    return digest(body)
