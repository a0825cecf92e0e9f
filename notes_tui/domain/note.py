"""The content of a session note as validated value objects.

`NoteContent` is what the editor saves (partially and repeatedly), what a template or "same as
last time" pre-fills, what the JSON interchange carries, and what the finalize digest covers.
It lives in the domain (pydantic, no SQL) so the UI can build one without touching the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from notes_tui.domain.enums import (
    HomeCareDone,
    Modality,
    MuscleFindingKind,
    PainNotRated,
    RomResult,
    SessionTechnique,
    Side,
    SinceResponse,
    TriggerPointActivity,
    TriggerPointResponse,
    TriggerPointTechnique,
    WorkPressure,
)
from notes_tui.domain.text import SHORT_MAX, clean_line, clean_multiline
from notes_tui.domain.values import (
    NEXT_VISIT_MAX_DAYS,
    Dosage,
    parse_date,
    parse_duration,
    parse_next_visit_days,
    parse_pain,
)


def _line(field: str, max_length: int = SHORT_MAX) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_line(field, v, max_length=max_length))


def _text(field: str) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_multiline(field, v))


def _pain(field: str) -> BeforeValidator:
    return BeforeValidator(lambda v: parse_pain(v, field))


# Free-text follow-up fields a template may pre-fill (see NoteContent.to_confirm).
ConfirmableField = Literal["advice", "what_to_expect", "when_to_contact", "next_visit"]
Line = Annotated[str, _line("text")]
Text = Annotated[str, _text("text")]
Pain = Annotated[int | None, _pain("pain")]
CatalogId = Annotated[str | None, BeforeValidator(lambda v: clean_line("id", v, max_length=64) or None)]


class _Sealed(BaseModel):
    """A part of the sealed record. Fields added after notes were first finalized are listed in
    `LATER`: the JSON form (what the digest covers, the interchange carries and the audit trail
    hashes) leaves them out while they hold their default, so a note sealed before they existed
    keeps its digest and an older dump still reads the same (migrations carry notes forward
    unchanged). A later field is never dropped once it holds anything."""

    LATER: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _without_unset_later(  # type: ignore[no-untyped-def]
            self, handler: SerializerFunctionWrapHandler, info: SerializationInfo):
        # (no return annotation: pydantic then keeps the fields' own serialization schema)
        data: dict[str, Any] = handler(self)
        if info.mode_is_json():
            fields = type(self).model_fields
            for name in self.LATER:
                if getattr(self, name) == fields[name].get_default(call_default_factory=True):
                    data.pop(name, None)
        return data


class _Row(_Sealed):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class PostureRow(_Row):
    finding_id: CatalogId = None
    text: Line = ""
    side: Side | None = None

    @model_validator(mode="after")
    def _something(self) -> PostureRow:
        if not self.finding_id and not self.text:
            raise ValueError("a posture finding needs a catalog finding or text")
        return self


class RomRow(_Row):
    test_id: CatalogId = None
    movement: Line = ""
    side: Side | None = None
    result: RomResult = RomResult.LIMITED
    degrees: Annotated[int | None, Field(ge=0, le=360)] = None  # before treatment
    painful: bool = False
    # after treatment, measured again; `percent`: both values are % of normal, not degrees
    degrees_after: Annotated[int | None, Field(ge=0, le=360)] = None
    percent: bool = False
    LATER = frozenset({"degrees_after", "percent"})

    @model_validator(mode="after")
    def _consistent(self) -> RomRow:
        if not self.test_id and not self.movement:
            raise ValueError("a range-of-motion finding needs a test or a movement")
        if self.result is RomResult.DEGREES and self.degrees is None:
            raise ValueError("give the degrees measured")
        return self


class MuscleFindingRow(_Row):
    muscle_id: CatalogId = None
    muscle: Line = ""
    side: Side = Side.BILATERAL
    finding: MuscleFindingKind = MuscleFindingKind.HYPERTONIC
    note: Line = ""

    @model_validator(mode="after")
    def _named(self) -> MuscleFindingRow:
        if not self.muscle_id and not self.muscle:
            raise ValueError("name the muscle")
        return self


class TriggerPointRow(_Row):
    muscle_id: CatalogId = None
    muscle: Line = ""  # custom muscle name, or the catalog name as shown
    side: Side = Side.BILATERAL
    label: Annotated[str, _line("label", 20)] = ""
    referred_pain: Line = ""
    activity: TriggerPointActivity = TriggerPointActivity.ACTIVE
    technique: TriggerPointTechnique = TriggerPointTechnique.ISCHEMIC_COMPRESSION
    pressure: Pain = None
    response: TriggerPointResponse | None = None
    note: Line = ""
    confirmed: bool = True  # False while it is a template suggestion "to confirm"

    @model_validator(mode="after")
    def _named(self) -> TriggerPointRow:
        if not self.muscle_id and not self.muscle:
            raise ValueError("name the muscle")
        return self


class WorkRow(_Row):
    """Work done in one region: what (modality), how long, how firm, which side."""

    region_id: CatalogId = None  # templates/catalog/regions.toml
    region: Line = ""  # the therapist's own words for the area ("lumbar paraspinals")
    modality: Modality = Modality.NMT
    minutes: Annotated[int | None, Field(ge=1, le=600)] = None
    pressure: WorkPressure | None = None
    side: Side | None = None
    note: Line = ""
    confirmed: bool = True  # False while it is last time's work "to confirm"

    @model_validator(mode="after")
    def _named(self) -> WorkRow:
        if not self.region_id and not self.region:
            raise ValueError("name the region worked on")
        return self


class MovementCueRow(_Row):
    cue_id: CatalogId = None
    text: Line = ""
    trigger_point: Annotated[int | None, Field(ge=1, le=500)] = None  # 1-based row number
    muscle_id: CatalogId = None
    response: Line = ""
    confirmed: bool = True  # False while it is a template suggestion "to confirm"

    @model_validator(mode="after")
    def _something(self) -> MovementCueRow:
        if not self.cue_id and not self.text:
            raise ValueError("a movement cue needs a catalog cue or text")
        return self


class HomeCareRow(_Row):
    item_id: CatalogId = None
    text: Line = ""
    dosage: Dosage = Field(default_factory=Dosage)
    confirmed: bool = True
    side: Side | None = None  # a one-sided stretch: "your left side only"
    LATER = frozenset({"side"})

    @field_validator("dosage", mode="before")
    @classmethod
    def _dosage(cls, value: object) -> Dosage:
        if isinstance(value, Dosage):
            return value
        if value is None or isinstance(value, dict):
            return Dosage.from_dict(value)
        raise ValueError("dosage must be a table of sets, reps, hold_seconds, minutes, frequency")

    @model_validator(mode="after")
    def _something(self) -> HomeCareRow:
        if not self.item_id and not self.text:
            raise ValueError("a home-care item needs a catalog item or text")
        return self


class NoteContent(_Sealed):
    """Everything the therapist writes about one session. Every field may be empty in a draft."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    LATER = frozenset({"pain_before_not_rated", "pain_after_not_rated", "consent_plan",
                       "consent_limits", "sensitive_areas", "sensitive_consent", "draping",
                       "since_response", "since_sore_days", "since_home_care", "since_health",
                       "work", "positioning", "areas_avoided"})

    duration_minutes: Annotated[int | None, BeforeValidator(parse_duration)] = None
    technique: SessionTechnique = SessionTechnique.NEUROMUSCULAR
    # Since the last visit (a follow-up): how the body responded, the home care, health news
    since_response: SinceResponse | None = None
    since_sore_days: Annotated[int | None, Field(ge=1, le=60)] = None  # with "sore"
    since_home_care: HomeCareDone | None = None
    since_health: Annotated[str, _text("health changes")] = ""
    # 1 Assessment
    complaint: Annotated[str, _text("complaint")] = ""
    pain_before: Annotated[int | None, _pain("pain before")] = None
    pain_before_not_rated: PainNotRated | None = None  # no number, and why: not asked, declined
    pain_locations: list[Annotated[str, _line("pain location", 200)]] = Field(default_factory=list)
    posture: list[PostureRow] = Field(default_factory=list)
    rom: list[RomRow] = Field(default_factory=list)
    muscles: list[MuscleFindingRow] = Field(default_factory=list)
    therapist_summary: Annotated[str, _text("therapist summary")] = ""
    client_summary: Annotated[str, _text("client summary")] = ""
    # Consent for this session (CMTO: before each treatment; written for a sensitive area)
    consent_plan: bool | None = None  # the client agreed to today's plan (None: not recorded)
    consent_limits: Annotated[str, _line("consent limits", SHORT_MAX)] = ""  # "no abdominal work"
    sensitive_areas: Annotated[str, _line("sensitive areas", SHORT_MAX)] = ""  # treated today
    sensitive_consent: bool = False  # written consent for those areas, given for this session
    draping: Annotated[str, _line("draping", SHORT_MAX)] = ""  # "standard; breast draped"
    # 2 The work: regions and modalities, positioning, areas avoided; then trigger points
    work: list[WorkRow] = Field(default_factory=list, max_length=200)
    positioning: Annotated[str, _line("positioning", SHORT_MAX)] = ""  # "prone, then supine"
    areas_avoided: Annotated[str, _line("areas avoided", SHORT_MAX)] = ""
    # 2 Trigger points, 3 Movement cues
    trigger_points: list[TriggerPointRow] = Field(default_factory=list, max_length=500)
    cues: list[MovementCueRow] = Field(default_factory=list, max_length=500)
    # 4 Follow-up
    pain_after: Annotated[int | None, _pain("pain after")] = None
    pain_after_not_rated: PainNotRated | None = None
    next_visit_days: Annotated[int | None, Field(ge=1, le=NEXT_VISIT_MAX_DAYS),
                               BeforeValidator(lambda v: parse_next_visit_days(v, "next visit"))
                               ] = None
    next_visit_date: Annotated[date | None, BeforeValidator(lambda v: parse_date(v, "next visit"))] = None
    home_care: list[HomeCareRow] = Field(default_factory=list, max_length=200)
    advice: Annotated[str, _text("advice")] = ""
    what_to_expect: Annotated[str, _text("what to expect")] = ""
    when_to_contact: Annotated[str, _text("when to get in touch")] = ""
    referral: Annotated[str, _text("referral")] = ""
    # Follow-up fields a template filled in and the therapist has not confirmed yet (editing the
    # field, or confirming it, removes it from this list; the finalize checklist names the rest).
    to_confirm: list[ConfirmableField] = Field(default_factory=list)

    @field_validator("to_confirm")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _pain_or_why_not(self) -> NoteContent:
        for when in ("before", "after"):
            if getattr(self, f"pain_{when}") is not None and \
                    getattr(self, f"pain_{when}_not_rated") is not None:
                raise ValueError(f"pain {when} is a number and marked "
                                 f"{getattr(self, f'pain_{when}_not_rated').label!r} at once")
        return self

    @model_validator(mode="after")
    def _sore_days(self) -> NoteContent:
        if self.since_sore_days is not None and self.since_response is not SinceResponse.SORE:
            raise ValueError("days of soreness go with 'sore' since the last visit")
        return self

    @model_validator(mode="after")
    def _cue_links(self) -> NoteContent:
        for i, cue in enumerate(self.cues, start=1):
            if cue.trigger_point is not None and cue.trigger_point > len(self.trigger_points):
                raise ValueError(f"movement cue {i} links to trigger point {cue.trigger_point}, "
                                 "which does not exist")
        return self

    def has_assessment_finding(self) -> bool:
        return bool(self.posture or self.rom or self.muscles or self.pain_locations
                    or self.trigger_points)

    def has_since_last_visit(self) -> bool:
        return bool(self.since_response or self.since_home_care or self.since_health)


class SessionInfo(BaseModel):
    """When a session happened, validated against the clinic's time zone by the services."""

    model_config = ConfigDict(extra="forbid")
    session_start: datetime
    timezone: str
