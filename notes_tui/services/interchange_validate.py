"""Reading an import document: every record checked before anything is written.

`validate_document` turns the JSON of a dump (format "notes-tui", version 1) into `ClientIn` and
`NoteIn` records, or refuses with an `ImportRefused` naming the record and the field of the
first problem (the same rules as the app: NoteContent, ClientFields, the next visit's rule).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.note import NoteContent
from notes_tui.domain.text import FieldError, clean_line, clean_multiline
from notes_tui.domain.values import check_next_visit_date
from notes_tui.services.clients import ClientFields
from notes_tui.services.errors import ImportRefused, field_error_from_validation

FORMAT = "notes-tui"
FORMAT_VERSION = 1


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


@overload
def _aware(value: object, where: str, field: str, required: Literal[True] = True) -> datetime: ...
@overload
def _aware(value: object, where: str, field: str, required: bool) -> datetime | None: ...
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


def _record_id(raw: object, where: str, keys: set[str], seen: set[int]) -> tuple[int, str]:
    """A record's id, checked (an object with known keys, an id not used before), and the place
    to name in messages from here on ("notes[3] (id 12)")."""
    if not isinstance(raw, dict):
        raise _refuse(where, "(record)", "must be an object")
    _keys(raw, keys, where)
    rid = _int_id(raw.get("id"), where)
    where = f"{where} (id {rid})"
    if rid in seen:
        raise _refuse(where, "id", "is used twice")
    seen.add(rid)
    return rid, where


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
        cid, where = _record_id(raw, f"clients[{i}]", CLIENT_KEYS, seen)
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


def _validate_note(raw: Any, i: int, client_ids: set[int], seen: set[int],
                   uuids: set[str]) -> NoteIn:
    nid, where = _record_id(raw, f"notes[{i}]", NOTE_KEYS, seen)
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
        invalid = field_error_from_validation(exc, "content")
        raise _refuse(where, invalid.field, invalid.message) from None
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
            invalid = field_error_from_validation(exc, "content")
            raise _refuse(awhere, invalid.field, invalid.message) from None
        except FieldError as err:
            raise _refuse(awhere, err.field, err.message) from None
    if status == NoteStatus.FINAL:  # the finalize checklist, as in the app
        from notes_tui.domain.checklist import finalize_checklist

        for item in finalize_checklist(content, consent_on_file=True):
            if item.blocking:
                raise _refuse(where, "status", f"final, but the finalize checklist refuses it: "
                              f"{item.message}")
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
