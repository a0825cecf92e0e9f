"""Full JSON export and import: the user's data is always theirs.

The document (format "notes-tui", version 1, described by schemas/notes-tui-dump.schema.json)
holds every client and every note with its amendments. Import validates everything first, then
writes all or nothing in one transaction, naming the record and field of the first problem.

Ids are kept when importing into an empty database, so dump -> import -> dump gives an equal
document. Into a database that already has data, records get new ids (and notes follow their
client). Nothing else is regenerated: timestamps, digests and finalized state are carried over;
the audit trail of the target gets one `import` event per record (the source's audit trail is not
part of the document; it stays with the source database).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from sqlalchemy import func, select

from notes_tui.db.models import Amendment, Client, Note
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import AuditAction, NoteStatus
from notes_tui.domain.note import NoteContent
from notes_tui.domain.text import FieldError, clean_line, clean_multiline
from notes_tui.domain.values import check_next_visit_date
from notes_tui.services import audit, import_match, search_index
from notes_tui.services.clients import ClientFields, client_record, write_client
from notes_tui.services.errors import ImportRefused, field_error_from_validation
from notes_tui.services.note_store import load_content, write_amendment, write_note_content
from notes_tui.services.notes import note_record

FORMAT = "notes-tui"
FORMAT_VERSION = 1
BATCH = 500
REBUILD_AFTER = 2000  # bulk writes index once at the end instead of note by note


# --- dump ------------------------------------------------------------------------------------

def amendment_record(a: Amendment) -> dict:
    return {"id": a.id, "uuid": a.uuid, "author": a.author,
            "created_at": a.created_at.astimezone(UTC).isoformat(), "reason": a.reason,
            "text": a.text, "content": a.content}


def client_dump(c: Client) -> dict:
    """A client as the dump carries it: its record and its stable uuid."""
    return {**client_record(c), "uuid": c.uuid}


def note_dump(note: Note, session) -> dict:
    """A note as the dump carries it: its canonical record (what the digest covers) and uuid."""
    return {**note_record(note, load_content(note, session=session)), "uuid": note.uuid}


def iter_note_records(session) -> Iterator[dict]:
    last_id = 0
    while True:
        batch = session.execute(
            select(Note).where(Note.id > last_id).order_by(Note.id).limit(BATCH)).scalars().all()
        if not batch:
            return
        for note in batch:
            record = note_dump(note, session)
            amendments = session.execute(select(Amendment).where(Amendment.note_id == note.id)
                                         .order_by(Amendment.id)).scalars()
            record["amendments"] = [amendment_record(a) for a in amendments]
            yield record
        last_id = batch[-1].id
        session.expunge_all()


def dump_document(session) -> dict:
    clients = [client_dump(c) for c in
               session.execute(select(Client).order_by(Client.id)).scalars()]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "clients": clients,
            "notes": list(iter_note_records(session))}


def write_dump(session, out) -> None:
    json.dump(dump_document(session), out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")


# --- validation ------------------------------------------------------------------------------

@dataclass
class ClientIn:
    source_id: int
    fields: ClientFields
    archived: bool
    created_at: datetime
    updated_at: datetime
    uuid: str | None = None  # None in an older dump: a new one is made
    where: str = ""  # the record in the file, for messages


@dataclass
class AmendmentIn:
    author: str
    created_at: datetime
    reason: str
    text: str
    uuid: str | None = None
    content: NoteContent | None = None  # the corrected revision it carries, if any
    where: str = ""


@dataclass
class NoteIn:
    source_id: int
    client_source_id: int
    therapist_name: str
    therapist_registration: str
    session_start: datetime
    timezone: str
    status: str
    finalized_at: datetime | None
    finalized_by: str | None
    template_id: str | None
    created_at: datetime
    content: NoteContent
    amendments: list[AmendmentIn]
    uuid: str | None = None
    where: str = ""


def _refuse(where: str, field: str, message: str) -> ImportRefused:
    return ImportRefused(f"{where}: {field}: {message}")


def _aware(value: object, where: str, field: str, required: bool = True) -> datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _refuse(where, field, "must be an ISO date-time with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(where, field, f"{value!r} is not an ISO date-time") from None
    if parsed.tzinfo is None:
        raise _refuse(where, field, "has no UTC offset")
    return parsed.astimezone(UTC)


def _int_id(value: object, where: str, field: str = "id") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _refuse(where, field, "must be a positive whole number")
    return value


def _keys(raw: dict, allowed: set[str], where: str) -> None:
    extra = set(raw) - allowed
    if extra:
        raise _refuse(where, sorted(extra)[0], "is not a field of this format")


def _uuid(raw: dict, where: str, seen: set[str]) -> str | None:
    value = raw.get("uuid")
    if value is None:
        return None
    try:
        canonical = str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        canonical = None
    if canonical is None:
        raise _refuse(where, "uuid", f"{value!r} is not a UUID")
    if canonical in seen:
        raise _refuse(where, "uuid", "is used twice in the file")
    seen.add(canonical)
    return canonical


CLIENT_KEYS = set(ClientFields.model_fields) | {"id", "uuid", "archived", "created_at",
                                                "updated_at"}
NOTE_KEYS = {"id", "uuid", "client_id", "therapist_name", "therapist_registration",
             "session_start", "timezone", "status", "finalized_at", "finalized_by", "template_id",
             "created_at", "content", "amendments"}
AMENDMENT_KEYS = {"id", "uuid", "author", "created_at", "reason", "text", "content"}


def validate_document(doc: object) -> tuple[list[ClientIn], list[NoteIn]]:
    if not isinstance(doc, dict):
        raise ImportRefused("the file is not a notes-tui export (expected a JSON object)")
    if doc.get("format") != FORMAT:
        raise ImportRefused("the file is not a notes-tui export (format is not 'notes-tui')")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"format_version {doc.get('format_version')!r} is not supported "
                            f"(this version reads {FORMAT_VERSION})")
    _keys(doc, {"format", "format_version", "clients", "notes"}, "document")
    raw_clients, raw_notes = doc.get("clients"), doc.get("notes")
    if not isinstance(raw_clients, list) or not isinstance(raw_notes, list):
        raise ImportRefused("document: clients and notes must be lists")
    clients: list[ClientIn] = []
    seen: set[int] = set()
    uuids: set[str] = set()
    for i, raw in enumerate(raw_clients):
        where = f"clients[{i}]"
        if not isinstance(raw, dict):
            raise _refuse(where, "(record)", "must be an object")
        _keys(raw, CLIENT_KEYS, where)
        cid = _int_id(raw.get("id"), where)
        where = f"clients[{i}] (id {cid})"
        if cid in seen:
            raise _refuse(where, "id", "is used twice")
        seen.add(cid)
        try:
            fields = ClientFields.model_validate(
                {k: v for k, v in raw.items() if k in ClientFields.model_fields})
        except ValidationError as exc:
            err = field_error_from_validation(exc)
            raise _refuse(where, err.field, err.message) from None
        if not isinstance(raw.get("archived", False), bool):
            raise _refuse(where, "archived", "must be true or false")
        clients.append(ClientIn(cid, fields, raw.get("archived", False),
                                _aware(raw.get("created_at"), where, "created_at"),
                                _aware(raw.get("updated_at"), where, "updated_at"),
                                _uuid(raw, where, uuids), where))
    notes: list[NoteIn] = []
    seen_notes: set[int] = set()
    for i, raw in enumerate(raw_notes):
        notes.append(_validate_note(raw, i, seen, seen_notes, uuids))
    return clients, notes


def _validate_note(raw: object, i: int, client_ids: set[int], seen: set[int],
                   uuids: set[str]) -> NoteIn:
    where = f"notes[{i}]"
    if not isinstance(raw, dict):
        raise _refuse(where, "(record)", "must be an object")
    _keys(raw, NOTE_KEYS, where)
    nid = _int_id(raw.get("id"), where)
    where = f"notes[{i}] (id {nid})"
    if nid in seen:
        raise _refuse(where, "id", "is used twice")
    seen.add(nid)
    note_uuid = _uuid(raw, where, uuids)
    cid = _int_id(raw.get("client_id"), where, "client_id")
    if cid not in client_ids:
        raise _refuse(where, "client_id", f"names client {cid}, which is not in the file")
    tz = raw.get("timezone")
    try:
        ZoneInfo(tz if isinstance(tz, str) else "")
    except (ZoneInfoNotFoundError, ValueError):
        raise _refuse(where, "timezone", f"{tz!r} is not a known time zone") from None
    status = raw.get("status")
    if status not in (NoteStatus.DRAFT, NoteStatus.FINAL):
        raise _refuse(where, "status", "must be 'draft' or 'final'")
    finalized_at = _aware(raw.get("finalized_at"), where, "finalized_at", required=False)
    if status == NoteStatus.FINAL and (finalized_at is None or not raw.get("finalized_by")):
        raise _refuse(where, "finalized_at", "a final note needs finalized_at and finalized_by")
    try:
        content = NoteContent.model_validate(raw.get("content") or {})
        texts = {k: clean_line(k, raw.get(k) or "", max_length=200) for k in
                 ("therapist_name", "therapist_registration", "finalized_by", "template_id")}
    except ValidationError as exc:
        err = field_error_from_validation(exc, "content")
        raise _refuse(where, err.field, err.message) from None
    except FieldError as err:
        raise _refuse(where, err.field, err.message) from None
    amendments = []
    raw_amendments = raw.get("amendments") or []
    if not isinstance(raw_amendments, list):
        raise _refuse(where, "amendments", "must be a list")
    if raw_amendments and status != NoteStatus.FINAL:
        raise _refuse(where, "amendments", "only a final note has amendments")
    for j, a in enumerate(raw_amendments):
        awhere = f"{where}.amendments[{j}]"
        if not isinstance(a, dict):
            raise _refuse(awhere, "(record)", "must be an object")
        _keys(a, AMENDMENT_KEYS, awhere)
        try:
            text = clean_multiline("text", a.get("text"))
            if not text.strip():  # the rule notes.amend applies
                raise FieldError("text", "is required")
            corrected = (None if a.get("content") is None
                         else NoteContent.model_validate(a["content"]))
            amendments.append(AmendmentIn(
                clean_line("author", a.get("author"), required=True),
                _aware(a.get("created_at"), awhere, "created_at"),
                clean_line("reason", a.get("reason"), required=True), text,
                _uuid(a, awhere, uuids), corrected, awhere))
        except ValidationError as exc:
            err = field_error_from_validation(exc, "content")
            raise _refuse(awhere, err.field, err.message) from None
        except FieldError as err:
            raise _refuse(awhere, err.field, err.message) from None
    start = _aware(raw.get("session_start"), where, "session_start")
    try:  # the app's rule for a next visit, here as everywhere
        check_next_visit_date(content.next_visit_date, start.astimezone(ZoneInfo(tz)).date(),
                              "content.next_visit_date")
    except FieldError as err:
        raise _refuse(where, err.field, err.message) from None
    return NoteIn(nid, cid, texts["therapist_name"], texts["therapist_registration"],
                  start, tz, status,
                  finalized_at, texts["finalized_by"] or None, texts["template_id"] or None,
                  _aware(raw.get("created_at"), where, "created_at"), content, amendments,
                  note_uuid, where)


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
        present = f"{self.present_clients} clients and {self.present_notes} notes already present"
        if not (self.clients or self.notes or self.amendments):
            return f"0 new, {present}"
        ids = "ids kept" if self.kept_ids else "new ids assigned"
        line = (f"imported {self.clients} clients, {self.notes} notes, "
                f"{self.amendments} amendments ({ids})")
        return f"{line}; {present}" if self.present_clients or self.present_notes else line


def _is_empty(session) -> bool:
    return not session.execute(select(func.count()).select_from(Client)).scalar_one()


def _client_row(c: ClientIn) -> Client:
    row = Client(archived=c.archived, created_at=c.created_at, updated_at=c.updated_at,
                 **c.fields.model_dump())
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
    audit events (written in batches)."""

    def __init__(self, session, *, actor: str, action: AuditAction, keep: bool, bulk: bool):
        self.session, self.actor, self.action, self.keep, self.bulk = (
            session, actor, action, keep, bulk)
        self.id_map: dict[int, int] = {}
        self.events: list[audit.PendingEvent] = []
        self.counts = {"clients": 0, "notes": 0, "amendments": 0, "present_clients": 0,
                       "present_notes": 0}

    def client(self, c: ClientIn) -> None:
        row = _client_row(c)
        found = import_match.present_client(self.session, c.where, c.uuid, client_record(row))
        if found is not None:
            self.id_map[c.source_id] = found.id
            self.counts["present_clients"] += 1
            return
        row = Client(archived=c.archived, created_at=c.created_at, updated_at=c.updated_at)
        if c.uuid:
            row.uuid = c.uuid
        if self.keep:
            row.id = c.source_id
        write_client(row, c.fields, session=self.session)
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
        self.events.append(audit.PendingEvent(self.action, "note", note.id, note.content_digest))
        if n.status == NoteStatus.FINAL:
            self.events.append(audit.PendingEvent(AuditAction.FINALIZE, "note", note.id,
                                                  note.content_digest))
        self.amendments(note, n.amendments, reindex=False)
        if not self.bulk:
            search_index.index(self.session, note.id)
        self.counts["notes"] += 1

    def amendments(self, note: Note, amendments: list[AmendmentIn], *, reindex: bool) -> None:
        new = []
        for a in amendments:
            incoming = amendment_record(Amendment(note_id=note.id, **_amendment_fields(a)))
            if import_match.present_amendment(self.session, a.where, a.uuid, note.id,
                                              incoming) is None:
                new.append(a)
        if new and reindex and not self.bulk:
            search_index.unindex(self.session, note.id)
        for a in new:
            row = write_amendment(note, session=self.session, **_amendment_fields(a))
            self.events.append(audit.PendingEvent(self.action, "amendment", row.id, row.digest))
            self.counts["amendments"] += 1
        if new and reindex and not self.bulk:
            search_index.index(self.session, note.id)

    def flush_events(self) -> None:
        audit.record_many(self.session, self.events, actor=self.actor)
        self.events = []


def write_records(session, clients: Iterable[ClientIn], notes: Iterable[NoteIn], *, actor: str,
                  action: AuditAction = AuditAction.IMPORT) -> ImportResult:
    """Insert validated records in the caller's transaction, with audit events per record.
    Records already here (same uuid, same content) are counted, not added; the same uuid with
    different content is refused (ImportRefused)."""
    keep = _is_empty(session)
    notes = list(notes)
    writer = _Writer(session, actor=actor, action=action, keep=keep,
                     bulk=len(notes) > REBUILD_AFTER)
    for c in clients:
        writer.client(c)
    for i, n in enumerate(notes, start=1):
        writer.note(n)
        if i % BATCH == 0:
            writer.flush_events()
            session.expunge_all()
    writer.flush_events()
    if writer.bulk:
        search_index.rebuild(session)
    if keep:
        from notes_tui.db.backends import backend_module

        for statement in backend_module(session.bind.dialect.name).reset_sequences_sql():
            session.execute(statement)
    return ImportResult(kept_ids=keep, **writer.counts)


def import_document(doc: object, *, session, actor: str) -> ImportResult:
    clients, notes = validate_document(doc)
    result = write_records(session, clients, notes, actor=actor)
    audit.record(session, actor=actor, action=AuditAction.IMPORT, entity="document",
                 entity_id=None, content_digest=digest(doc))
    return result


# --- the format's JSON Schema ----------------------------------------------------------------

def json_schema() -> dict:
    """The JSON Schema of the document (committed as schemas/notes-tui-dump.schema.json)."""
    content = NoteContent.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = content.pop("$defs", {})
    defs["NoteContent"] = content
    client = ClientFields.model_json_schema(mode="serialization")
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
