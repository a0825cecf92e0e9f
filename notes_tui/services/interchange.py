"""Full JSON export and import: the user's data is always theirs.

The document (format "notes-tui", version 1, described by schemas/notes-tui-dump.schema.json)
holds every client and every note with its amendments. Import validates everything first, then
writes all or nothing in one transaction, naming the record and field of the first problem.

Every client, note and amendment carries a stable `uuid`. Ids are kept when importing into an
empty database, so dump -> import -> dump gives an equal document. Into a database that already
has data, new records get new ids (and notes follow their client); a record whose uuid is already
here with the same content is counted as already present and not added, and the same uuid with
different content refuses the whole import (services/import_match.py). A dump from before uuids
imports as new records with new uuids. Validation is in interchange_validate.py; every record is
written through the one writer of its entity (clients.write_client, note_store). Nothing else is
regenerated: timestamps, digests and finalized state are carried over;
the audit trail of the target gets one `import` event per record (the source's audit trail is not
part of the document; it stays with the source database).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlmodel import col

from notes_tui.db.models import Amendment, Client, Note
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import AuditAction, NoteStatus
from notes_tui.domain.note import NoteContent
from notes_tui.domain.text import counted
from notes_tui.services import audit, import_match, search_index
from notes_tui.services.clients import ClientFields, client_record, column_values, write_client
from notes_tui.services.interchange_validate import (
    FORMAT,
    FORMAT_VERSION,
    AmendmentIn,
    ClientIn,
    NoteIn,
    validate_document,
)
from notes_tui.services.note_store import load_content, write_amendment, write_note_content
from notes_tui.services.notes import note_record
from notes_tui.services.progress import Progress

if TYPE_CHECKING:
    from typing import TextIO

    from sqlmodel import Session

BATCH = 500


# --- dump ------------------------------------------------------------------------------------

def amendment_record(a: Amendment) -> dict:
    return {"id": a.id, "uuid": a.uuid, "author": a.author,
            "created_at": a.created_at.astimezone(UTC).isoformat(), "reason": a.reason,
            "text": a.text, "content": a.content}


def client_dump(c: Client) -> dict:
    """A client as the dump carries it: its record and its stable uuid."""
    return {**client_record(c), "uuid": c.uuid}


def note_dump(note: Note, session: Session) -> dict:
    """A note as the dump carries it: its canonical record (what the digest covers) and uuid."""
    return {**note_record(note, load_content(note, session=session)), "uuid": note.uuid}


def iter_note_records(session: Session) -> Iterator[dict]:
    last_id = 0
    while True:
        batch = session.execute(
            select(Note).where(col(Note.id) > last_id).order_by(col(Note.id)).limit(BATCH)
        ).scalars().all()
        if not batch:
            return
        for note in batch:
            record = note_dump(note, session)
            amendments = session.execute(select(Amendment).where(col(Amendment.note_id) == note.id)
                                         .order_by(col(Amendment.id))).scalars()
            record["amendments"] = [amendment_record(a) for a in amendments]
            yield record
        last_id = batch[-1].id
        session.expunge_all()


def dump_document(session: Session, progress: Progress | None = None) -> dict:
    clients = [client_dump(c) for c in
               session.execute(select(Client).order_by(col(Client.id))).scalars()]
    records = iter_note_records(session)
    if progress is not None:
        records = _counted_notes(session, records, progress)
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "clients": clients,
            "notes": list(records)}


def _counted_notes(session: Session, records: Iterator[dict], progress: Progress) -> Iterator[dict]:
    total = session.execute(select(func.count(col(Note.id)))).scalar_one()
    progress(0, total)
    for done, record in enumerate(records, start=1):
        yield record
        progress(done, total)


def write_dump(session: Session, out: TextIO, progress: Progress | None = None) -> None:
    json.dump(dump_document(session, progress), out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")


# --- writing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    clients: int
    notes: int
    amendments: int
    kept_ids: bool
    present_clients: int = 0  # already in the database (same uuid, same content): not added
    present_notes: int = 0

    def summary(self) -> str:
        """One line for the therapist, e.g. "0 new, 20 clients and 120 notes already present"."""
        present = (f"{counted(self.present_clients, 'client')} and "
                   f"{counted(self.present_notes, 'note')} already present")
        if not (self.clients or self.notes or self.amendments):
            return f"0 new, {present}"
        ids = "ids kept" if self.kept_ids else "new ids assigned"
        line = (f"imported {counted(self.clients, 'client')}, {counted(self.notes, 'note')}, "
                f"{counted(self.amendments, 'amendment')} ({ids})")
        return f"{line}; {present}" if self.present_clients or self.present_notes else line


def _is_empty(session: Session) -> bool:
    return not session.execute(select(func.count()).select_from(Client)).scalar_one()


def _client_row(c: ClientIn) -> Client:
    row = Client(archived=c.archived, created_at=c.created_at, updated_at=c.updated_at,
                 **column_values(c.fields))
    if c.uuid:
        row.uuid = c.uuid
    return row


def _note_row(n: NoteIn, client_id: int) -> Note:
    note = Note(client_id=client_id, therapist_name=n.therapist_name,
                therapist_registration=n.therapist_registration, session_start=n.session_start,
                timezone=n.timezone, status=n.status, template_id=n.template_id,
                finalized_at=n.finalized_at, finalized_by=n.finalized_by,
                created_at=n.created_at, updated_at=n.finalized_at or n.created_at)
    if n.uuid:
        note.uuid = n.uuid
    return note


def _amendment_fields(a: AmendmentIn) -> dict:
    return {"author": a.author, "created_at": a.created_at, "reason": a.reason, "text": a.text,
            "content": a.content.model_dump(mode="json") if a.content else None,
            **({"uuid": a.uuid} if a.uuid else {})}


class _Writer:
    """One import's writes: the records it adds, the ones it finds already present, and their
    audit events.

    Lock order (what keeps an import and a therapist's autosave on PostgreSQL from deadlocking;
    every writer takes its locks in this order): clients, then notes and their rows, then the
    search index rows of exactly the notes written (`index_pending`, a batch at a time, never a
    table-wide delete), then the audit head, once, at the end (`flush_events`). Until that end an
    import holds no lock an autosave of an existing draft needs."""

    def __init__(self, session: Session, *, actor: str, action: AuditAction, keep: bool) -> None:
        self.session, self.actor, self.action, self.keep = session, actor, action, keep
        self.id_map: dict[int, int] = {}
        self.events: list[audit.PendingEvent] = []
        self.unindexed: list[int] = []  # new notes written, not yet in the search index
        self.counts = {"clients": 0, "notes": 0, "amendments": 0, "present_clients": 0,
                       "present_notes": 0}

    def client(self, c: ClientIn) -> None:
        row = _client_row(c)
        found = import_match.present_client(self.session, c.where, c.uuid, client_record(row))
        if found is not None:
            assert found.id is not None  # read from the database
            self.id_map[c.source_id] = found.id
            self.counts["present_clients"] += 1
            return
        row = Client(archived=c.archived, created_at=c.created_at,  # type: ignore[call-arg]
                     updated_at=c.updated_at)  # write_client sets the fields
        if c.uuid:
            row.uuid = c.uuid
        if self.keep:
            row.id = c.source_id
        write_client(row, c.fields, session=self.session)
        assert row.id is not None  # write_client flushed it
        self.id_map[c.source_id] = row.id
        self.events.append(audit.PendingEvent(self.action, "client", row.id,
                                              digest(client_record(row))))
        self.counts["clients"] += 1

    def note(self, n: NoteIn) -> None:
        client_id = self.id_map[n.client_source_id]
        found = import_match.present_note(self.session, n.where, n.uuid, client_id,
                                          note_record(_note_row(n, client_id), n.content))
        if found is not None:
            self.counts["present_notes"] += 1
            self.amendments(found, n.amendments, reindex=True)
            return
        note = _note_row(n, client_id)
        note.status, note.finalized_at, note.finalized_by = NoteStatus.DRAFT.value, None, None
        if self.keep:
            note.id = n.source_id
        # rows go in while it is a draft (the database refuses rows of a final note)
        write_note_content(note, n.content, session=self.session)
        if n.status == NoteStatus.FINAL:
            note.status = NoteStatus.FINAL.value
            note.finalized_at, note.finalized_by = n.finalized_at, n.finalized_by
            note.content_digest = digest(note_record(note, n.content))
        else:
            note.content_digest = digest(n.content.model_dump(mode="json"))
        self.session.flush()
        assert note.id is not None  # flushed
        self.events.append(audit.PendingEvent(self.action, "note", note.id, note.content_digest))
        if n.status == NoteStatus.FINAL:
            self.events.append(audit.PendingEvent(AuditAction.FINALIZE, "note", note.id,
                                                  note.content_digest))
        self.amendments(note, n.amendments, reindex=False)
        self.unindexed.append(note.id)
        self.counts["notes"] += 1

    def amendments(self, note: Note, amendments: list[AmendmentIn], *, reindex: bool) -> None:
        assert note.id is not None  # found in the database or flushed
        new = []
        for a in amendments:
            incoming = amendment_record(Amendment(note_id=note.id, **_amendment_fields(a)))
            if import_match.present_amendment(self.session, a.where, a.uuid, note.id,
                                              incoming) is None:
                new.append(a)
        for a in new:
            row = write_amendment(note, session=self.session, **_amendment_fields(a))
            self.events.append(audit.PendingEvent(self.action, "amendment", row.id, row.digest))
            self.counts["amendments"] += 1
        if new and reindex:
            search_index.index(self.session, note.id)

    def index_pending(self) -> None:
        search_index.index_many(self.session, self.unindexed)
        self.unindexed = []

    def flush_events(self) -> None:
        audit.record_many(self.session, self.events, actor=self.actor)
        self.events = []


def write_records(session: Session, clients: Iterable[ClientIn], notes: Iterable[NoteIn], *, actor: str,
                  action: AuditAction = AuditAction.IMPORT,
                  progress: Progress | None = None) -> ImportResult:
    """Insert validated records in the caller's transaction, with audit events per record.
    Records already here (same uuid, same content) are counted, not added; the same uuid with
    different content is refused (ImportRefused). `progress(done, total)` counts the notes, and
    one last step for the search index and the id sequences."""
    keep = _is_empty(session)
    notes = list(notes)
    total = len(notes) + 1
    if progress is not None:
        progress(0, total)
    writer = _Writer(session, actor=actor, action=action, keep=keep)
    for c in clients:
        writer.client(c)
    for i, n in enumerate(notes, start=1):
        writer.note(n)
        if i % BATCH == 0:
            writer.index_pending()
            session.expunge_all()
        if progress is not None:
            progress(i, total)
    writer.index_pending()
    writer.flush_events()
    if keep:
        from notes_tui.db.backends import backend_module

        for statement in backend_module(session.get_bind().dialect.name).reset_sequences_sql():
            session.execute(statement)
    if progress is not None:
        progress(total, total)
    return ImportResult(kept_ids=keep, **writer.counts)


def import_document(doc: object, *, session: Session, actor: str,
                    progress: Progress | None = None) -> ImportResult:
    clients, notes = validate_document(doc)
    result = write_records(session, clients, notes, actor=actor, progress=progress)
    audit.record(session, actor=actor, action=AuditAction.IMPORT, entity="document",
                 entity_id=None, content_digest=digest(doc))
    return result


# --- the format's JSON Schema ----------------------------------------------------------------

def json_schema() -> dict:
    """The JSON Schema of the document (committed as schemas/notes-tui-dump.schema.json)."""
    content = NoteContent.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = content.pop("$defs", {})
    defs["NoteContent"] = content
    client = ClientFields.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs.update(client.pop("$defs", {}))  # the intake's models, beside the note's
    client["additionalProperties"] = False
    stable = {"type": "string", "format": "uuid",
              "description": "The record's identity across databases (absent in older dumps)."}
    client["properties"].update({
        "id": {"type": "integer", "minimum": 1}, "uuid": stable, "archived": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    })
    client["required"] = sorted(set(client.get("required", [])) | {"id", "created_at",
                                                                    "updated_at"})
    defs["Client"] = client
    nullable_text = {"type": ["string", "null"]}
    stamp = {"type": "string", "format": "date-time"}
    defs["Amendment"] = {
        "type": "object", "additionalProperties": False,
        "required": ["author", "created_at", "reason", "text"],
        "properties": {"id": {"type": "integer"}, "uuid": stable, "author": {"type": "string"},
                       "created_at": stamp, "reason": {"type": "string"},
                       "text": {"type": "string"},
                       "content": {"anyOf": [{"$ref": "#/$defs/NoteContent"}, {"type": "null"}],
                                   "description": "The note's corrected content, if the "
                                                  "amendment corrects it."}},
    }
    defs["Note"] = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "client_id", "session_start", "timezone", "status", "created_at",
                     "content"],
        "properties": {
            "id": {"type": "integer", "minimum": 1}, "uuid": stable,
            "client_id": {"type": "integer", "minimum": 1},
            "therapist_name": {"type": "string"}, "therapist_registration": {"type": "string"},
            "session_start": stamp, "timezone": {"type": "string"},
            "status": {"enum": ["draft", "final"]},
            "finalized_at": {"type": ["string", "null"], "format": "date-time"},
            "finalized_by": nullable_text, "template_id": nullable_text, "created_at": stamp,
            "content": {"$ref": "#/$defs/NoteContent"},
            "amendments": {"type": "array", "items": {"$ref": "#/$defs/Amendment"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://notes-tui.invalid/schemas/notes-tui-dump.schema.json",
        "title": "notes-tui full export",
        "description": "Every client and note of a notes-tui database (format_version 1).",
        "type": "object", "additionalProperties": False,
        "required": ["format", "format_version", "clients", "notes"],
        "properties": {
            "format": {"const": FORMAT}, "format_version": {"const": FORMAT_VERSION},
            "clients": {"type": "array", "items": {"$ref": "#/$defs/Client"}},
            "notes": {"type": "array", "items": {"$ref": "#/$defs/Note"}},
        },
        "$defs": defs,
    }
