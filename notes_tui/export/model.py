"""The plain data a PDF is made from. No ReportLab here: importing this module is cheap.

A handout only ever sees `HandoutData`. Therapist-only information (health history,
contraindications, the therapist's summary, amendment reasons) has no field in it, which is how
it never reaches a client. The full clinical record (`RecordData`) is a separate document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notes_tui.domain.values import Dosage  # one dosage type, from the note to the PDF

__all__ = ["Dosage"]  # re-exported for callers that build handout data


@dataclass(frozen=True)
class ChartPoint:
    view: str  # "front" | "back" | "side" (the head-and-neck profile)
    lateral: float  # 0 = midline, 0.5 = outer edge of the shoulder (fraction of shoulder width);
    # on "side": forward of the ear line (negative: behind it)
    y: float  # 0 = top of the head .. 1 = soles


@dataclass(frozen=True)
class TreatedPoint:
    number: int
    muscle_plain: str
    side: str  # "left" | "right" | "bilateral"
    refers_to: str  # completes "may send pain to ..."; may be ""
    response: str  # the client's wording; may be ""
    charts: tuple[ChartPoint, ...] = ()
    to_confirm: bool = False  # a draft's template suggestion (the review marks it; PDF ignores)


@dataclass(frozen=True)
class WorkDone:
    """One region's work in the client's words ("Deep massage on your lower back, about 20
    minutes")."""

    text: str
    to_confirm: bool = False  # last time's work not yet confirmed (the review marks it)


@dataclass(frozen=True)
class Practice:
    title: str
    instructions: str
    dosage: Dosage = Dosage()
    response: str = ""  # a cue: how the client responded, in the therapist's words
    to_confirm: bool = False  # a draft's template suggestion (the review marks it; PDF ignores)


@dataclass(frozen=True)
class PainPoint:
    when: date
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Clinic:
    name: str = ""
    therapist_name: str = ""
    registration: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    accent_colour: str = "#2E6F95"
    logo_path: str | None = None
    paper_size: str = "A4"  # "A4" | "Letter"
    log_page: bool = False  # handout.toml `log_page`: the last page "Your log until next time"


@dataclass(frozen=True)
class HandoutData:
    clinic: Clinic
    client_name: str  # preferred name, as the client likes to be called
    note_id: int
    session_date: date
    session_time: str  # "14:30", already in the clinic's time zone
    duration_minutes: int
    technique: str
    client_summary: str
    posture_findings: tuple[str, ...]
    pain_before: int | None
    pain_after: int | None
    treated_points: tuple[TreatedPoint, ...]
    movement_cues: tuple[Practice, ...]  # practised on the table
    home_care: tuple[Practice, ...]  # at home, with dosage
    next_visit: str  # e.g. "in 2 weeks (around 9 December 2026)"; "" if none
    advice: str
    what_to_expect: str
    when_to_contact: str
    referral: str
    progress: tuple[PainPoint, ...]  # finalized sessions, oldest first
    made_on: date
    draft: bool = False  # a preview of a draft: a diagonal DRAFT mark on every page
    # Plan fields of a draft a template filled and nobody confirmed yet ("advice",
    # "what_to_expect", "when_to_contact", "next_visit"): names, never text.
    to_confirm: tuple[str, ...] = ()
    # The work of the session by region, in the client's words ("Deep massage on your lower back,
    # about 20 minutes"), shown under "What we worked on" with or without trigger points
    work: tuple[WorkDone, ...] = ()
    # The day an amendment last corrected this note (in the clinic's zone): the handout says it
    # was updated, so a client holding an earlier copy knows this one replaces it.
    updated_on: date | None = None
    # The days the log page has a row for: from the session to the next visit (3 to 14)
    log_days: int = 7
    # "Your progress": each outcome measure taken twice or more up to this session, in plain
    # words ("Patient-Specific Functional Scale: from 3 on 6 October 2026 to 6.5 on ...")
    measures: tuple[str, ...] = ()
    # "Your progress": the goals of the plan of care in place on the session's day, in plain
    # words ("Sit at work for an hour without pain (aim: 7 or more): partly there")
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordSection:
    heading: str
    lines: tuple[tuple[str, str], ...]  # (label, value); a value may be multi-line


@dataclass(frozen=True)
class RecordNote:
    title: str  # e.g. "Session 2026-03-04 14:30 (final, note 12)"
    sections: tuple[RecordSection, ...]
    amendments: tuple[RecordSection, ...] = ()  # each printed after the original


@dataclass(frozen=True)
class RecordData:
    clinic: Clinic
    client_name: str
    client_sections: tuple[RecordSection, ...]
    notes: tuple[RecordNote, ...]
    audit_summary: tuple[tuple[str, str], ...]
    made_on: date
