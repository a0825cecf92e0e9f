"""The audit trail: every create, update, finalize, amend, export, archive and import writes an
event whose hash chains to the previous one. `verify` recomputes the chain and the digests of
finalized notes and amendments, and names whatever was altered outside the app.

Concurrency: each event first bumps the single `audit_head` row (a row lock on PostgreSQL; SQLite
is already serialised by BEGIN IMMEDIATE), so two writers can never fork the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from notes_tui.db.models import Amendment, AuditEvent, AuditHead, Note
from notes_tui.domain.digest import chain_hash, digest
from notes_tui.domain.enums import AuditAction

GENESIS = "0" * 64


def _event_body(e: AuditEvent) -> dict:
    return {
        "seq": e.seq, "at": e.at.astimezone(UTC).isoformat(), "actor": e.actor,
        "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "digest": e.digest,
    }


def record(session, *, actor: str, action: AuditAction, entity: str, entity_id: int | None,
           content_digest: str) -> None:
    """Append one event in the caller's transaction."""
    record_many(session, [PendingEvent(action, entity, entity_id, content_digest)], actor=actor)


@dataclass(frozen=True)
class PendingEvent:
    action: AuditAction
    entity: str
    entity_id: int | None
    digest: str


def record_many(session, events: list[PendingEvent], *, actor: str) -> None:
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
    head = conn.execute(select(head_t.c.seq, head_t.c.hash).where(head_t.c.id == 1)).one()
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
    conn.execute(update(head_t).where(head_t.c.id == 1).values(hash=prev))


@dataclass
class VerifyReport:
    events: int = 0
    finalized_notes: int = 0
    amendments: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session, *, note_digest) -> VerifyReport:
    """Recompute the chain and the finalized content. `note_digest(session, note)` is the
    notes service's canonical digest, passed in to keep this module free of note mapping."""
    report = VerifyReport()
    prev = GENESIS
    expected_seq = 1
    last_finalize: dict[int, str] = {}
    amend_digests: dict[int, str] = {}
    for e in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
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
        if e.entity == "note" and e.action == AuditAction.FINALIZE and e.entity_id is not None:
            last_finalize[e.entity_id] = e.digest
        if e.entity == "amendment" and e.entity_id is not None:
            amend_digests[e.entity_id] = e.digest
    head = session.get(AuditHead, 1)
    if report.events and (head is None or head.hash != prev or head.seq != expected_seq - 1):
        report.problems.append("audit head does not match the last event (events removed at the end)")
    for note in session.execute(select(Note).where(Note.status == "final")).scalars():
        report.finalized_notes += 1
        actual = note_digest(session, note)
        if note.id not in last_finalize:
            report.problems.append(f"note {note.id}: finalized with no finalize event in the audit trail")
        elif last_finalize[note.id] != actual:
            report.problems.append(f"note {note.id}: content changed after it was finalized")
        elif note.content_digest != actual:
            report.problems.append(f"note {note.id}: stored digest does not match its content")
    for a in session.execute(select(Amendment)).scalars():
        report.amendments += 1
        if amend_digests.get(a.id) != amendment_digest(a):
            report.problems.append(f"amendment {a.id} of note {a.note_id}: altered outside the app")
    return report


def amendment_digest(a: Amendment) -> str:
    body = {"note_id": a.note_id, "author": a.author,
            "created_at": a.created_at.astimezone(UTC).isoformat(),
            "reason": a.reason, "text": a.text}
    if a.content is not None:  # a corrected revision is covered too (older amendments have none)
        body["content"] = a.content
    return digest(body)
