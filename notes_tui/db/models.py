"""The tables. Table models do not validate on construction (SQLModel's documented behaviour), so
every write goes through the validated domain models in services, and the database holds CHECK
constraints so that raw SQL cannot store a pain of 11, an empty name or a zero duration either.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import uuid4

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    true,
)
from sqlmodel import Field, SQLModel

from notes_tui.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Table

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING
metadata: MetaData = SQLModel.metadata


def _created() -> Column:
    return Column(UTCDateTime(), nullable=False, default=utcnow)


def _new_uuid() -> str:
    return str(uuid4())


def _uuid() -> Column:
    """A record's stable identity across databases (dumps and imports): never changes."""
    return Column(Text, nullable=False, unique=True)


# Ids are never reused: SQLite's AUTOINCREMENT (migration 0005); PostgreSQL sequences never are.
_AUTOINCREMENT = {"sqlite_autoincrement": True}


def _fk(target: str, *, cascade: bool) -> Column:
    return Column(
        Integer, ForeignKey(target, ondelete="CASCADE" if cascade else "RESTRICT"),
        nullable=False, index=True,
    )


class Client(SQLModel, table=True):
    __tablename__ = "client"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0 AND length(name) <= 200", name="name_present"),
        CheckConstraint("pressure_limit IS NULL OR (pressure_limit BETWEEN 1 AND 10)",
                        name="pressure_limit"),
        _AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=_new_uuid, sa_column=_uuid())
    name: str = Field(sa_column=Column(Text, nullable=False, index=True))
    preferred_name: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    date_of_birth: date | None = None
    phone: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    email: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    health_history: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    contraindications: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    consent_on_file: date | None = None
    sensitive_area_consent: bool = False
    sensitive_area_consent_on: date | None = None  # the written sensitive-area consent form, signed
    pressure_limit: int | None = None  # out of 10: the client asked not to go above it
    # the intake (domain/intake.py Intake.stored(): defaults left out); NULL: none taken
    intake: dict | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    # outcome measures the client answered (domain/measures.py MeasureTaken), oldest first
    measures: list | None = Field(default=None, sa_column=Column(JSON(none_as_null=True),
                                                                 nullable=True))
    # plans of care (domain/plan.py Plan), oldest first; the newest not discharged is current
    plans: list | None = Field(default=None, sa_column=Column(JSON(none_as_null=True),
                                                              nullable=True))
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_created())


class Note(SQLModel, table=True):
    __tablename__ = "note"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("pain_before IS NULL OR (pain_before BETWEEN 0 AND 10)", name="pain_before"),
        CheckConstraint("pain_after IS NULL OR (pain_after BETWEEN 0 AND 10)", name="pain_after"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration"),
        CheckConstraint("status IN ('draft', 'final')", name="status"),
        CheckConstraint(
            "technique IN ('neuromuscular', 'swedish', 'deep_tissue', 'other')", name="technique"
        ),
        CheckConstraint(
            "status = 'draft' OR (finalized_at IS NOT NULL AND content_digest IS NOT NULL)",
            name="final_is_sealed",
        ),
        Index("ix_note_client_history", "client_id", "session_start", "id"),
        _AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=_new_uuid, sa_column=_uuid())
    client_id: int = Field(sa_column=_fk("client.id", cascade=False))
    therapist_name: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    therapist_registration: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    session_start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    timezone: str = Field(default="UTC", sa_column=Column(Text, nullable=False, default="UTC"))
    duration_minutes: int | None = None
    technique: str = Field(default="neuromuscular", sa_column=Column(Text, nullable=False))
    # since the last visit (NoteContent): SinceResponse, days sore, HomeCareDone, health changes
    since_response: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    since_sore_days: int | None = None
    since_home_care: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    since_health: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # the session's positioning and the areas avoided (the work rows are note_work)
    positioning: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    areas_avoided: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default="draft", sa_column=Column(Text, nullable=False, index=True))
    complaint: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    pain_before: int | None = None
    # PainNotRated: why there is no number (not asked, declined); NULL: a number or nothing
    pain_before_not_rated: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    therapist_summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    client_summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # consent for this session (NoteContent): plan agreed (NULL: not recorded), its limits, the
    # sensitive areas treated and whether written consent for them was given, draping
    consent_plan: bool | None = None
    consent_limits: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sensitive_areas: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sensitive_consent: bool = Field(default=False, sa_column=Column(
        Boolean, nullable=False, default=False))
    draping: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    pain_after: int | None = None
    pain_after_not_rated: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_visit_days: int | None = None
    next_visit_date: date | None = None
    advice: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    what_to_expect: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    when_to_contact: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    referral: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # follow-up fields a template filled that the therapist has not confirmed (NoteContent.to_confirm)
    to_confirm: list = Field(default_factory=list,
                             sa_column=Column(JSON, nullable=False, server_default="[]"))
    template_id: str | None = None
    finalized_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    finalized_by: str | None = None
    content_digest: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_created())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_created())


class NoteFinding(SQLModel, table=True):
    """Assessment findings: pain locations, posture, range of motion, muscles found off."""

    __tablename__ = "note_finding"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("kind IN ('pain_location', 'posture', 'rom', 'muscle')", name="kind"),
        CheckConstraint("degrees IS NULL OR (degrees BETWEEN 0 AND 360)", name="degrees"),
    )
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(sa_column=_fk("note.id", cascade=True))
    position: int
    kind: str = Field(sa_column=Column(Text, nullable=False))
    ref_id: str | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    side: str | None = None
    result: str | None = None
    degrees: int | None = None
    painful: bool | None = None
    degrees_after: int | None = None  # range of motion after treatment
    percent: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    finding: str | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class NoteTriggerPoint(SQLModel, table=True):
    __tablename__ = "note_trigger_point"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("pressure IS NULL OR (pressure BETWEEN 0 AND 10)", name="pressure"),
        CheckConstraint("side IN ('left', 'right', 'bilateral')", name="side"),
        CheckConstraint("muscle_id IS NOT NULL OR length(muscle) > 0", name="muscle_named"),
    )
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(sa_column=_fk("note.id", cascade=True))
    position: int
    muscle_id: str | None = Field(default=None, index=True)
    muscle: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    side: str = Field(sa_column=Column(Text, nullable=False))
    label: str = ""
    referred_pain: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    activity: str = "active"
    technique: str = "ischemic_compression"
    pressure: int | None = None
    response: str | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confirmed: bool = True


class NoteCue(SQLModel, table=True):
    __tablename__ = "note_cue"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(sa_column=_fk("note.id", cascade=True))
    position: int
    cue_id: str | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    trigger_point: int | None = None
    muscle_id: str | None = None
    response: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confirmed: bool = Field(default=True, sa_column=Column(Boolean, nullable=False,
                                                           server_default=true()))


class NoteHomeCare(SQLModel, table=True):
    __tablename__ = "note_home_care"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(sa_column=_fk("note.id", cascade=True))
    position: int
    item_id: str | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    dosage: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    confirmed: bool = True
    side: str | None = None  # HomeCareRow.side (migration 0006h)


class NoteWork(SQLModel, table=True):
    """The work of a session by region: modality, minutes, pressure, side (WorkRow)."""

    __tablename__ = "note_work"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("minutes IS NULL OR (minutes BETWEEN 1 AND 600)", name="minutes"),
    )
    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(sa_column=_fk("note.id", cascade=True))
    position: int
    region_id: str | None = None
    region: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    modality: str = Field(default="nmt", sa_column=Column(Text, nullable=False, default="nmt"))
    minutes: int | None = None
    pressure: str | None = None
    side: str | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confirmed: bool = True


class Amendment(SQLModel, table=True):
    __tablename__ = "amendment"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    __table_args__ = (
        CheckConstraint("length(trim(reason)) > 0", name="reason_present"),
        CheckConstraint("length(trim(text)) > 0", name="text_present"),
        _AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=_new_uuid, sa_column=_uuid())
    note_id: int = Field(sa_column=_fk("note.id", cascade=False))
    author: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_created())
    reason: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    digest: str = Field(sa_column=Column(Text, nullable=False))
    # The corrected note content (NoteContent as JSON) when the amendment corrects the note
    # itself; None for a correction in words only. The newest one is the note's current revision.
    content: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained: hash = sha256(prev_hash + canonical event). Never note text."""

    __tablename__ = "audit_event"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_column=Column(Integer, nullable=False, unique=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor: str = Field(sa_column=Column(Text, nullable=False))
    action: str = Field(sa_column=Column(Text, nullable=False))
    entity: str = Field(sa_column=Column(Text, nullable=False))
    entity_id: int | None = Field(default=None, index=True)
    digest: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(sa_column=Column(Text, nullable=False))
    hash: str = Field(sa_column=Column(Text, nullable=False))


class AuditHead(SQLModel, table=True):
    """One row: the chain's last sequence number and hash. Updating it serialises writers."""

    __tablename__ = "audit_head"
    if TYPE_CHECKING:  # made by SQLModel\'s metaclass, unseen by type checkers
        __table__: ClassVar[Table]
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = ""
    # the keyed seal of (seq, hash): "<key id>:<hmac>" (services/audit_seal.py); None when unkeyed
    mac: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the last seq written before client deletions were audited (migration 0006c); None when new
    tally_from: int | None = None


# A note's child tables (its ordered rows), one list for the writer, verify and the guard
NoteChild = NoteFinding | NoteTriggerPoint | NoteCue | NoteHomeCare | NoteWork
NOTE_CHILD_MODELS: tuple[type[NoteChild], ...] = (NoteFinding, NoteTriggerPoint, NoteCue,
                                                  NoteHomeCare, NoteWork)
NOTE_CHILD_TABLES = ("note_finding", "note_trigger_point", "note_cue", "note_home_care",
                     "note_work")
