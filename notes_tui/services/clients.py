"""Client use cases: create, update, archive, list (with last visit and open drafts), get.

A client with finalized notes is archived, never deleted.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlalchemy import and_, case, func, inspect, or_, select
from sqlmodel import col

from notes_tui.db.models import Client, Note
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import AuditAction
from notes_tui.domain.intake import Intake, parse_intake
from notes_tui.domain.measures import MeasureTaken
from notes_tui.domain.names import name_contains, name_score
from notes_tui.domain.plan import Plan
from notes_tui.domain.text import NAME_MAX, clean_line, clean_multiline, clean_name
from notes_tui.domain.values import parse_date
from notes_tui.services import audit
from notes_tui.services.errors import NotFound, ServiceError, field_error_from_validation

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Select
    from sqlalchemy.engine import Row
    from sqlmodel import Session


def _line(field: str, n: int = 200) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_line(field, v, max_length=n))


def _pressure_limit(value: object) -> int | None:
    from notes_tui.domain.text import FieldError

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        limit = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        limit = None
    if limit is None or not 1 <= limit <= 10:
        raise FieldError("pressure limit", f"{str(value)[:20]!r} is not a whole number from 1 "
                         "to 10 (the most pressure out of 10 the client wants)")
    return limit


def _intake(value: object) -> Intake | None:
    """None, an Intake, or its stored form; an intake with nothing in it is none."""
    if value is None or value == {}:
        return None
    intake = parse_intake(value)
    return None if intake.is_empty else intake


def _none_is_empty(value: object) -> object:
    return [] if value is None else value


class ClientFields(BaseModel):
    """Validated client input (create, update, import). Unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, BeforeValidator(clean_name)]
    preferred_name: Annotated[str, _line("preferred name", NAME_MAX)] = ""
    date_of_birth: Annotated[date | None, BeforeValidator(lambda v: parse_date(v, "date of birth"))] = None
    phone: Annotated[str, _line("phone", 50)] = ""
    email: Annotated[str, _line("email", 200)] = ""
    health_history: Annotated[str, BeforeValidator(lambda v: clean_multiline("health history", v))] = ""
    contraindications: Annotated[str, BeforeValidator(
        lambda v: clean_multiline("contraindications", v))] = ""
    consent_on_file: Annotated[date | None, BeforeValidator(
        lambda v: parse_date(v, "consent on file"))] = None
    sensitive_area_consent: bool = False  # yes/no, kept from before the date was recorded
    sensitive_area_consent_on: Annotated[date | None, BeforeValidator(
        lambda v: parse_date(v, "sensitive-area consent on"))] = None
    pressure_limit: Annotated[int | None, BeforeValidator(_pressure_limit)] = None
    intake: Annotated[Intake | None, BeforeValidator(_intake)] = None
    measures: Annotated[list[MeasureTaken], BeforeValidator(_none_is_empty)] = Field(
        default_factory=list, max_length=2000)
    plans: Annotated[list[Plan], BeforeValidator(_none_is_empty)] = Field(
        default_factory=list, max_length=200)


# Fields kept as JSON documents in their canonical form (the stored form is what is sealed)
STORED_JSON = ("intake", "measures", "plans")

# Fields added after clients were first sealed: a client's canonical form leaves them out while
# they hold nothing, so an older client's digest (and an older dump) stays what it was.
LATER = ("sensitive_area_consent_on", "pressure_limit", "intake", "measures", "plans")


def validate_client(data: dict) -> ClientFields:
    try:
        fields = ClientFields.model_validate(data)
    except ValidationError as exc:
        raise field_error_from_validation(exc) from None
    today = datetime.now(UTC).date()
    if fields.date_of_birth and fields.date_of_birth > today:
        from notes_tui.domain.text import FieldError

        raise FieldError("date of birth", "is in the future")
    # A day of slack: "today" in the clinic's zone can be tomorrow in UTC
    if fields.consent_on_file and fields.consent_on_file > today + timedelta(days=1):
        from notes_tui.domain.text import FieldError

        raise FieldError("consent on file", f"{fields.consent_on_file:%Y-%m-%d} is in the "
                         "future: record the date the client signed")
    if fields.sensitive_area_consent_on:
        if fields.sensitive_area_consent_on > today + timedelta(days=1):
            from notes_tui.domain.text import FieldError

            raise FieldError("sensitive-area consent on",
                             f"{fields.sensitive_area_consent_on:%Y-%m-%d} is in the future: "
                             "record the date the client signed")
        fields.sensitive_area_consent = True  # a signed form is consent on file
    if fields.intake and fields.intake.reviewed_on and \
            fields.intake.reviewed_on > today + timedelta(days=1):
        from notes_tui.domain.text import FieldError

        raise FieldError("reviewed on", f"{fields.intake.reviewed_on:%Y-%m-%d} is in the future: "
                         "record the day you went over the intake with the client")
    return fields


@dataclass(frozen=True)
class ClientSummary:
    id: int
    name: str
    preferred_name: str
    archived: bool
    last_visit: datetime | None
    open_drafts: int
    notes: int

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name


def _client_digest(c: Client) -> str:
    return digest(client_record(c))


def client_record(c: Client) -> dict:
    """A client's canonical form (the dump carries it, the audit digest covers it); its fields
    are `ClientFields`', never retyped here."""
    fields = ClientFields.model_construct(**{k: getattr(c, k) for k in ClientFields.model_fields
                                             if k not in STORED_JSON})
    values = fields.model_dump(mode="json", exclude=set(STORED_JSON))
    values["measures"] = c.measures or []  # stored in their JSON (canonical) form
    values["plans"] = c.plans or []
    values["intake"] = c.intake or None  # already in its stored (canonical) form
    for name in LATER:
        if values.get(name) in (None, []):
            values.pop(name, None)
    return {
        "id": c.id, **values, "archived": c.archived,
        "created_at": c.created_at.astimezone(UTC).isoformat(),
        "updated_at": c.updated_at.astimezone(UTC).isoformat(),
    }


def column_values(fields: ClientFields) -> dict:
    """The client row's column values of `fields`: the intake and the measures in their
    stored (JSON) form, the rest as they are."""
    values = fields.model_dump(exclude=set(STORED_JSON))
    values["intake"] = fields.intake.stored() if fields.intake is not None else None
    values["measures"] = [m.model_dump(mode="json") for m in fields.measures] or None
    values["plans"] = [p.stored() for p in fields.plans] or None
    return values


def write_client(client: Client, fields: ClientFields, *, session: Session) -> Client:
    """The one writer of a client's fields: the form's create and edit, the import, the demo.
    A new client is added; flushed, so it has an id."""
    for key, value in column_values(fields).items():
        setattr(client, key, value)
    if inspect(client).transient:
        session.add(client)
    session.flush()
    return client


def create_client(data: dict, *, session: Session, actor: str) -> Client:
    client = write_client(Client(), validate_client(data), session=session)  # type: ignore[call-arg]  # write_client sets the fields
    audit.record(session, actor=actor, action=AuditAction.CREATE, entity="client",
                 entity_id=client.id, content_digest=_client_digest(client))
    return client


def get_client(client_id: int, *, session: Session) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"no client with id {client_id}")
    return client


def update_client(client_id: int, data: dict, *, session: Session, actor: str) -> Client:
    client = get_client(client_id, session=session)
    stored = {k: getattr(client, k) for k in ClientFields.model_fields}  # intake: stored form
    stored["measures"] = stored["measures"] or []
    stored["plans"] = stored["plans"] or []
    merged = stored | data
    client.updated_at = datetime.now(UTC)
    write_client(client, validate_client(merged), session=session)
    audit.record(session, actor=actor, action=AuditAction.UPDATE, entity="client",
                 entity_id=client.id, content_digest=_client_digest(client))
    return client


def archive_client(client_id: int, *, session: Session, actor: str, archived: bool = True) -> Client:
    client = get_client(client_id, session=session)
    client.archived = archived
    client.updated_at = datetime.now(UTC)
    session.flush()
    action = AuditAction.ARCHIVE if archived else AuditAction.RESTORE
    audit.record(session, actor=actor, action=action, entity="client",
                 entity_id=client.id, content_digest=_client_digest(client))
    return client


def delete_client(client_id: int, *, session: Session, actor: str) -> None:
    """Only a client with no notes at all can be deleted; otherwise archive. The deletion is
    audited (its digest is the record's last digest, never its content), so `verify` knows the
    client is gone on purpose."""
    client = get_client(client_id, session=session)
    count = session.execute(select(func.count()).where(col(Note.client_id) == client_id)).scalar_one()
    if count:
        raise ServiceError("this client has notes: archive the client instead of deleting")
    last = _client_digest(client)
    session.delete(client)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.DELETE, entity="client",
                 entity_id=client_id, content_digest=last)


def _names(*, include_archived: bool, after: tuple[str, int] | None = None
           ) -> Select[int | None, str, str, bool]:
    stmt = (select(col(Client.id), col(Client.name), col(Client.preferred_name),
                   col(Client.archived))
            .order_by(func.lower(Client.name), col(Client.id)))
    if not include_archived:
        stmt = stmt.where(col(Client.archived).is_(False))
    if after is not None:
        name, last_id = after[0].lower(), after[1]
        stmt = stmt.where(or_(func.lower(Client.name) > name,
                              and_(func.lower(Client.name) == name, col(Client.id) > last_id)))
    return stmt


def list_clients(*, session: Session, query: str = "", include_archived: bool = False,
                 limit: int = 50, after: tuple[str, int] | None = None) -> list[ClientSummary]:
    """A page of clients ordered by name (keyset paging on name, id), with last visit and drafts.
    With `query`, the clients whose name or preferred name holds it, ignoring case and accents
    (domain.names), looked for among every client.

    Two bounded queries: the page of clients, then the note statistics of those clients only
    (through the client-history index), so the page costs the same at 100,000 notes as at 1,000.
    """
    stmt = _names(include_archived=include_archived, after=after)
    if not query.strip():
        return _with_stats(session, session.execute(stmt.limit(limit)).all())
    page: list[Row[int | None, str, str, bool]] = []
    for row in session.execute(stmt):
        if name_contains(query, row.name, row.preferred_name):
            page.append(row)
            if len(page) == limit:
                break
    return _with_stats(session, page)


def find_clients(query: str, *, session: Session, include_archived: bool = False,
                 limit: int = 50) -> list[ClientSummary]:
    """The clients `query` finds, best first (domain.names.name_score: case and accents ignored,
    a word's start, letters in order), looked for among every client; ties in name order."""
    if not query.strip():
        return list_clients(session=session, include_archived=include_archived, limit=limit)
    scored = []
    for i, row in enumerate(session.execute(_names(include_archived=include_archived))):
        score = name_score(query, row.name, row.preferred_name)
        if score:
            scored.append((-score, i, row))
    return _with_stats(session, [row for _, _, row in heapq.nsmallest(limit, scored)])


def _with_stats(session: Session, page: Sequence[Row[int | None, str, str, bool]]
                ) -> list[ClientSummary]:
    stats: dict[int, tuple] = {}
    if page:
        drafts = func.sum(case((col(Note.status) == "draft", 1), else_=0))
        for r in session.execute(
                select(col(Note.client_id), func.max(Note.session_start), drafts,
                       func.count(col(Note.id)))
                .where(col(Note.client_id).in_([c.id for c in page]))
                .group_by(col(Note.client_id))).all():
            stats[r[0]] = (r[1], r[2], r[3])
    out = []
    for c in page:
        last, open_drafts, count = stats.get(c.id, (None, 0, 0))
        out.append(ClientSummary(c.id, c.name, c.preferred_name, c.archived, _aware(last),
                                 int(open_drafts or 0), int(count or 0)))
    return out


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime) and value.tzinfo:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)

