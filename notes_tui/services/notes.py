"""Note use cases: start a draft (blank, from a template's content, or "same as last time"),
save it partially and repeatedly, finalize it behind the checklist, amend it, list and read it.

A draft save is one transaction that rewrites the note's scalar fields and its ordered rows; it is
idempotent (saving the same content twice writes nothing the second time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import col

from notes_tui.db.models import Amendment, Client, Note
from notes_tui.domain.checklist import ChecklistItem, finalize_checklist
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import AuditAction, NoteStatus
from notes_tui.domain.note import ConfirmableField, NoteContent
from notes_tui.domain.revision import describe_changes
from notes_tui.domain.text import FieldError, clean_line, clean_multiline
from notes_tui.domain.values import parse_session_start
from notes_tui.services import audit, search_index
from notes_tui.services.clients import get_client
from notes_tui.services.errors import (
    FinalizedNoteError,
    FinalizeRefused,
    NotFound,
    field_error_from_validation,
)
from notes_tui.services.note_store import (
    delete_rows,
    load_content,
    write_amendment,
    write_note_content,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import Row
    from sqlmodel import Session

    from notes_tui.settings import Settings


def validate_content(data: dict | NoteContent) -> NoteContent:
    if isinstance(data, NoteContent):
        return data
    try:
        return NoteContent.model_validate(data)
    except ValidationError as exc:
        raise field_error_from_validation(exc) from None


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def note_record(note: Note | Row[Any], content: NoteContent | dict) -> dict:
    """The canonical form of a note: what the interchange carries and the digest covers.
    `content` is the content or, for verify's fast path, its JSON form."""
    return {
        "id": note.id, "client_id": note.client_id, "therapist_name": note.therapist_name,
        "therapist_registration": note.therapist_registration,
        "session_start": _iso(note.session_start), "timezone": note.timezone,
        "status": note.status, "finalized_at": _iso(note.finalized_at),
        "finalized_by": note.finalized_by, "template_id": note.template_id,
        "created_at": _iso(note.created_at),
        "content": content if isinstance(content, dict) else content.model_dump(mode="json"),
    }


def note_digest(session: Session, note: Note) -> str:
    return digest(note_record(note, load_content(note, session=session)))


# --- use cases -------------------------------------------------------------------------------

def get_note_row(note_id: int, *, session: Session, for_update: bool = False) -> Note:
    """The note's row. Every writer asks `for_update`: on PostgreSQL it takes the note's row lock
    before anything else (the lock order note, rows, search index, audit: search_index.py) and
    reads the note as it is now, so a draft finalized by another process a moment ago is seen
    as finalized; SQLite's BEGIN IMMEDIATE already holds the whole database."""
    note = session.get(Note, note_id, with_for_update=True if for_update else None)
    if note is None:
        raise NotFound(f"no note with id {note_id}")
    return note


def _require_draft(note: Note) -> None:
    if note.status != NoteStatus.DRAFT:
        raise FinalizedNoteError(
            f"note {note.id} is finalized and cannot be changed; add an amendment instead")


def start_draft(client_id: int, *, session: Session, settings: Settings,
                content: NoteContent | dict | None = None,
                session_start: object = None, template_id: str | None = None,
                now: datetime | None = None) -> Note:
    client = get_client(client_id, session=session)
    if client.archived:
        raise FieldError("client", "is archived; restore the client to write a new note")
    tz = settings.tz
    start = (parse_session_start(session_start, tz, now=now) if session_start is not None
             else (now or datetime.now(UTC)).astimezone(tz).replace(second=0, microsecond=0))
    content = validate_content(content or {})
    note = Note(client_id=client_id, therapist_name=settings.therapist_name,
                therapist_registration=settings.registration_number, session_start=start,
                timezone=tz.key, status=NoteStatus.DRAFT.value, template_id=template_id)
    write_note_content(note, content, session=session)
    assert note.id is not None  # write_note_content flushed it
    note.content_digest = digest(content.model_dump(mode="json"))
    search_index.index(session, note.id)
    audit.record(session, actor=settings.author, action=AuditAction.CREATE, entity="note",
                 entity_id=note.id, content_digest=note.content_digest)
    return note


def save_draft(note_id: int, content: NoteContent | dict, *, session: Session, actor: str,
               session_start: object = None, edit_session: str | None = None) -> bool:
    """Save the whole draft in one transaction. Returns False when nothing had changed.

    `edit_session` is the editor's token for one editing session (a uuid made when it opens the
    note): only its first save that changes something is audited (audit.edit_session_digest).
    Without one, every save that changes something is its own audited edit."""
    note = get_note_row(note_id, session=session, for_update=True)
    _require_draft(note)
    content = validate_content(content)
    changed_start = False
    if session_start is not None:
        start = parse_session_start(session_start, ZoneInfo(note.timezone))
        changed_start = start != note.session_start
        note.session_start = start
    new_digest = digest(content.model_dump(mode="json"))
    if new_digest == note.content_digest and not changed_start:
        return False
    write_note_content(note, content, session=session)
    note.content_digest = new_digest
    note.updated_at = datetime.now(UTC)
    search_index.index(session, note_id)
    if edit_session is None:
        audit.record(session, actor=actor, action=AuditAction.UPDATE, entity="note",
                     entity_id=note.id, content_digest=new_digest)
    elif not audit.edit_session_audited(session, note_id=note_id, edit_session=edit_session):
        audit.record(session, actor=actor, action=AuditAction.UPDATE, entity="note",
                     entity_id=note.id, content_digest=audit.edit_session_digest(edit_session))
    return True


def reschedule_draft(note_id: int, start: datetime, *, session: Session, actor: str) -> bool:
    """Move a draft to the time the session really happened (charted later, or the next
    morning). Audited as an edit of the note; False when it already had that start."""
    note = get_note_row(note_id, session=session, for_update=True)
    _require_draft(note)
    start = parse_session_start(start, ZoneInfo(note.timezone))
    if start == note.session_start:
        return False
    note.session_start = start
    note.updated_at = datetime.now(UTC)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.UPDATE, entity="note",
                 entity_id=note.id, content_digest=digest({"session_start": start.isoformat()}))
    return True


def sign_draft(note_id: int, *, name: str, registration: str, session: Session, actor: str
               ) -> bool:
    """Put the therapist's name and registration on a draft started before they were set (a
    draft takes them from the settings when it starts). False when it already had a name."""
    note = get_note_row(note_id, session=session, for_update=True)
    _require_draft(note)
    if note.therapist_name:
        return False
    note.therapist_name, note.therapist_registration = name, registration
    note.updated_at = datetime.now(UTC)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.UPDATE, entity="note",
                 entity_id=note.id, content_digest=digest({"signed_by": name,
                                                           "registration": registration}))
    return True


def checklist(note_id: int, *, session: Session) -> list[ChecklistItem]:
    note = get_note_row(note_id, session=session)
    client = session.get(Client, note.client_id)
    return finalize_checklist(load_content(note, session=session),
                              consent_on_file=bool(client and client.consent_on_file))


def finalize(note_id: int, *, session: Session, actor: str, now: datetime | None = None
             ) -> tuple[Note, list[ChecklistItem]]:
    """Lock the note. Refuses with the blocking checklist items; returns the warnings."""
    note = get_note_row(note_id, session=session, for_update=True)
    _require_draft(note)
    items = checklist(note_id, session=session)
    blocking = [i for i in items if i.blocking]
    if blocking:
        raise FinalizeRefused(blocking)
    note.status = NoteStatus.FINAL.value
    note.finalized_at = (now or datetime.now(UTC)).replace(microsecond=0)
    note.finalized_by = actor
    note.updated_at = note.finalized_at
    with session.no_autoflush:  # one UPDATE seals the note: status, time and digest together
        note.content_digest = note_digest(session, note)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.FINALIZE, entity="note",
                 entity_id=note.id, content_digest=note.content_digest)
    return note, [i for i in items if not i.blocking]


def amend(note_id: int, *, reason: str, text: str = "", session: Session, actor: str,
          content: NoteContent | dict | None = None) -> Amendment:
    """Add a dated correction to a finalized note. With `content`, the amendment carries a
    corrected version of the note's content, which becomes the note's current revision (what
    the handout, "same as last time", templates and the progress chart use); the original stays
    exactly as finalized. `text` then defaults to the list of what changed."""
    note = get_note_row(note_id, session=session, for_update=True)
    if note.status != NoteStatus.FINAL:
        raise FieldError("amendment", "only a finalized note takes amendments; edit the draft")
    reason = clean_line("reason", reason, required=True)
    text = clean_multiline("amendment", text)
    corrected = None
    if content is not None:
        corrected = validate_content(content)
        current = current_content(note, session=session)
        changes = describe_changes(current, corrected)
        if not changes:
            raise FieldError("amendment", "changes nothing in the note; edit a field first")
        if not text.strip():
            text = "\n".join(changes)
    if not text.strip():
        raise FieldError("amendment", "is required")
    amendment = write_amendment(note, author=actor, reason=reason, text=text, session=session,
                                created_at=datetime.now(UTC).replace(microsecond=0),
                                content=corrected.model_dump(mode="json") if corrected else None)
    search_index.index(session, note_id)
    audit.record(session, actor=actor, action=AuditAction.AMEND, entity="amendment",
                 entity_id=amendment.id, content_digest=amendment.digest)
    return amendment


def current_content(note: Note, *, session: Session) -> NoteContent:
    """The note's current revision: the newest amendment's corrected content, or the content as
    it was finalized (or as the draft stands)."""
    newest = session.execute(
        select(col(Amendment.content)).where(col(Amendment.note_id) == note.id,
                                             col(Amendment.content).is_not(None))
        .order_by(col(Amendment.id).desc()).limit(1)).scalar()
    if newest is not None:
        return NoteContent.model_validate(newest)
    return load_content(note, session=session)


def delete_draft(note_id: int, *, session: Session, actor: str) -> None:
    note = get_note_row(note_id, session=session, for_update=True)
    _require_draft(note)
    last_digest = note.content_digest
    search_index.unindex(session, note_id)
    delete_rows(note_id, session=session)
    session.delete(note)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.DISCARD, entity="note",
                 entity_id=note_id, content_digest=last_digest or digest({"discarded": note_id}))


# --- read models -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NoteSummary:
    id: int
    client_id: int
    client_name: str
    session_start: datetime
    timezone: str
    complaint: str  # its first line, at most 120 characters: what a list shows
    pain_before: int | None
    pain_after: int | None
    technique: str
    status: str
    amendments: int = 0  # corrections added after it was finalized
    complaint_full: str = ""  # every line of it, uncut (machine output: `notes --json`)
    # what the client said at this visit about the one before (SinceResponse value, days sore)
    since_response: str | None = None
    since_sore_days: int | None = None


@dataclass(frozen=True)
class AmendmentView:
    id: int
    author: str
    created_at: datetime
    reason: str
    text: str
    content: NoteContent | None = None  # the corrected revision, when it corrects the content
    changes: tuple[str, ...] = ()  # what it changed against the revision before it


@dataclass(frozen=True)
class NoteView:
    id: int
    client_id: int
    client_name: str
    therapist_name: str
    therapist_registration: str
    session_start: datetime
    timezone: str
    status: str
    finalized_at: datetime | None
    finalized_by: str | None
    template_id: str | None
    content: NoteContent  # as written (a draft) or as finalized: never changed by an amendment
    amendments: tuple[AmendmentView, ...]

    @property
    def current(self) -> NoteContent:
        """The current revision: the newest corrected content an amendment carries, else the
        content as finalized. What the client is given and what goes forward in time."""
        for a in reversed(self.amendments):
            if a.content is not None:
                return a.content
        return self.content

    @property
    def revised_at(self) -> datetime | None:
        """When the content was last corrected by an amendment (None if never)."""
        for a in reversed(self.amendments):
            if a.content is not None:
                return a.created_at
        return None

    @property
    def local_start(self) -> datetime:
        return self.session_start.astimezone(ZoneInfo(self.timezone))

    @property
    def is_final(self) -> bool:
        return self.status == NoteStatus.FINAL


def _amendment_views(rows: Iterable[Amendment], original: NoteContent) -> tuple[AmendmentView, ...]:
    views, revision = [], original
    for a in rows:
        assert a.id is not None  # read from the database
        content = NoteContent.model_validate(a.content) if a.content is not None else None
        changes = describe_changes(revision, content) if content is not None else ()
        views.append(AmendmentView(a.id, a.author, a.created_at, a.reason, a.text, content,
                                   changes))
        revision = content or revision
    return tuple(views)


def get_note(note_id: int, *, session: Session) -> NoteView:
    note = get_note_row(note_id, session=session)
    client = session.get(Client, note.client_id)
    amendments = session.execute(
        select(Amendment).where(col(Amendment.note_id) == note_id).order_by(col(Amendment.id))
    ).scalars()
    content = load_content(note, session=session)
    return NoteView(
        id=note_id, client_id=note.client_id, client_name=client.name if client else "",
        therapist_name=note.therapist_name, therapist_registration=note.therapist_registration,
        session_start=note.session_start, timezone=note.timezone, status=note.status,
        finalized_at=note.finalized_at, finalized_by=note.finalized_by,
        template_id=note.template_id, content=content,
        amendments=_amendment_views(amendments, content))


def list_notes(*, session: Session, client_id: int | None = None, status: str | None = None,
               limit: int = 50, before: tuple[datetime, int] | None = None) -> list[NoteSummary]:
    """Newest first, keyset-paged on (session_start, id)."""
    amended = (select(func.count(col(Amendment.id))).where(col(Amendment.note_id) == Note.id)
               .correlate(Note).scalar_subquery())
    stmt = (select(Note, col(Client.name), amended)
            .join(Client, col(Client.id) == col(Note.client_id))
            .order_by(col(Note.session_start).desc(), col(Note.id).desc()).limit(limit))
    if client_id is not None:
        stmt = stmt.where(col(Note.client_id) == client_id)
    if status is not None:
        stmt = stmt.where(col(Note.status) == status)
    if before is not None:
        start, last_id = before
        stmt = stmt.where((col(Note.session_start) < start)
                          | ((col(Note.session_start) == start) & (col(Note.id) < last_id)))
    return [NoteSummary(n.id, n.client_id, name, n.session_start, n.timezone,
                        n.complaint.split("\n", 1)[0][:120], n.pain_before, n.pain_after,
                        n.technique, n.status, amendments, n.complaint, n.since_response,
                        n.since_sore_days)
            for n, name, amendments in session.execute(stmt).all()]


def last_edited_draft(*, session: Session) -> NoteSummary | None:
    """The draft saved most recently (to offer "resume" when the app's own marker is gone)."""
    found = session.execute(
        select(col(Note.id), col(Note.client_id)).where(col(Note.status) == NoteStatus.DRAFT.value)
        .order_by(col(Note.updated_at).desc(), col(Note.id).desc()).limit(1)).first()
    if found is None:
        return None
    return next((n for n in list_notes(session=session, client_id=found.client_id,
                                       status=NoteStatus.DRAFT.value, limit=500)
                 if n.id == found.id), None)


def previous_note(client_id: int, *, session: Session, before_note_id: int | None = None,
                  final_only: bool = True) -> NoteView | None:
    stmt = select(col(Note.id)).where(col(Note.client_id) == client_id)
    if final_only:
        stmt = stmt.where(col(Note.status) == NoteStatus.FINAL.value)
    if before_note_id is not None:
        stmt = stmt.where(col(Note.id) != before_note_id)
    stmt = stmt.order_by(col(Note.session_start).desc(), col(Note.id).desc()).limit(1)
    found = session.execute(stmt).scalar()
    return get_note(found, session=session) if found else None


def same_as_last_time(client_id: int, *, session: Session) -> NoteContent:
    """Content for a follow-up: last finalized note's work rows, trigger points, cues, home care and
    follow-up wording, and the follow-up cadence the client has had most often, all marked "to
    confirm" (what was treated or advised last time is a suggestion until the therapist confirms
    it for today; pressure and response start empty), and its session facts. Pain, complaint
    and findings start empty: they are this session's."""
    last = previous_note(client_id, session=session)
    if last is None:
        return NoteContent()
    c = last.current  # an amendment's correction goes forward, never the original's mistake
    cadences = session.execute(
        select(col(Note.next_visit_days)).where(col(Note.client_id) == client_id,
                                                col(Note.status) == NoteStatus.FINAL.value,
                                                col(Note.next_visit_days).is_not(None))
    ).scalars().all()
    cadence = Counter(cadences).most_common(1)[0][0] if cadences else c.next_visit_days
    follow_up: tuple[tuple[ConfirmableField, object], ...] = (
        ("next_visit", cadence), ("advice", c.advice.strip()),
        ("what_to_expect", c.what_to_expect.strip()),
        ("when_to_contact", c.when_to_contact.strip()))
    return NoteContent(
        duration_minutes=c.duration_minutes, technique=c.technique,
        trigger_points=[tp.model_copy(update={"pressure": None, "response": None,
                                              "confirmed": False})
                        for tp in c.trigger_points],
        cues=[cue.model_copy(update={"response": "", "confirmed": False}) for cue in c.cues],
        work=[w.model_copy(update={"minutes": None, "pressure": None, "confirmed": False})
              for w in c.work],
        home_care=[hc.model_copy(update={"confirmed": False}) for hc in c.home_care],
        next_visit_days=cadence,
        advice=c.advice, what_to_expect=c.what_to_expect, when_to_contact=c.when_to_contact,
        to_confirm=[key for key, value in follow_up if value],
    )


def count_notes(*, session: Session) -> int:
    return session.execute(select(func.count()).select_from(Note)).scalar_one()
