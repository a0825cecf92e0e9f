"""The full clinical record of a client: every note in full (therapist-only fields included),
each amendment after its original, and the audit trail for this client's records. For a
regulator's request or a client's request for their record."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import false, or_, select
from sqlmodel import col

from notes_tui.db.models import Amendment, AuditEvent, Client, Note
from notes_tui.domain.catalog import Catalog
from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.intake import parse_intake, record_lines
from notes_tui.domain.recurrence import Recurrence, recurrence, summary
from notes_tui.domain.text import slug
from notes_tui.services import audit
from notes_tui.services.clients import get_client
from notes_tui.services.notes import get_note
from notes_tui.services.presentation import NotePresentation, consent_lines, present_view
from notes_tui.services.progress import Progress
from notes_tui.services.recurrence import session_points

if TYPE_CHECKING:
    from sqlmodel import Session

    from notes_tui.export.model import RecordData, RecordSection
    from notes_tui.services.context import Context
    from notes_tui.services.exporting import Prepared
    from notes_tui.settings import Settings


def _d(value: object) -> str:
    return "" if value is None else str(value)


def _note_sections(pres: NotePresentation) -> tuple[RecordSection, ...]:
    """The whole note, therapist-only fields included, from its presentation."""
    from notes_tui.export.model import RecordSection

    meta = pres.meta
    start = meta.local_start
    session = RecordSection("Session", (
        ("Start", f"{start:%Y-%m-%d %H:%M %Z} (UTC{start:%z})"),
        ("Duration", pres.duration or "not recorded"),
        ("Technique", pres.technique),
        ("Therapist", f"{meta.therapist_name} ({meta.therapist_registration})"),
        # in the session's own zone, as its start above (not UTC beside a local start)
        ("Status", meta.status + (
            f", finalized {meta.finalized_at.astimezone(start.tzinfo):%Y-%m-%d %H:%M %Z} by "
            f"{meta.finalized_by}" if meta.finalized_at else "")),
        *consent_lines(pres.content),
    ))
    since = RecordSection("Since the last visit", pres.since)
    work = RecordSection("Work done", (
        *((f"{i}.", w.therapist) for i, w in enumerate(pres.work, start=1)),
        ("Positioning", pres.positioning), ("Areas avoided", pres.areas_avoided)))
    assessment = RecordSection("Assessment", (
        ("Complaint", pres.complaint), ("Pain before", pres.pain_before_said),
        ("Pain locations", ", ".join(pres.pain_locations)),
        ("Posture", "\n".join(p.therapist for p in pres.posture)),
        ("Range of motion", "\n".join(pres.rom)), ("Muscles", "\n".join(pres.muscles)),
        ("Therapist summary", pres.therapist_summary), ("Client summary", pres.client_summary),
    ))
    tps = RecordSection("Trigger points", tuple(
        (f"{t.number}. {t.muscle} {t.side.value} {t.label}".strip(),
         f"{t.activity}; {t.technique}; {t.pressure_text}; "
         f"response {t.response.label if t.response else '-'}"
         f"{'; refers to ' + t.referred_pain if t.referred_pain else ''}"
         f"{'; ' + t.note if t.note else ''}{'' if t.confirmed else ' (NOT CONFIRMED)'}")
        for t in pres.points))
    cues = RecordSection("Movement cues", tuple(
        (q.therapist, (f"with trigger point {q.trigger_point}; " if q.trigger_point else "")
         + (f"response: {q.response}" if q.response else "")) for q in pres.cues))
    follow = RecordSection("Follow-up", (
        ("Pain after", pres.pain_after_said), ("Next visit", pres.next_visit_record),
        ("Home care", "\n".join(h.therapist + (f": {h.dosage.text()}" if h.dosage.text() else "")
                                for h in pres.home_care)),
        ("Advice", pres.advice), ("What to expect", pres.what_to_expect),
        ("When to get in touch", pres.when_to_contact), ("Referral", pres.referral),
    ))
    work = RecordSection(work.heading, tuple(line for line in work.lines if line[1]))
    return tuple(s for s in (session, since, assessment, work, tps, cues, follow) if s.lines)


def _consent_form(client: Client) -> str:
    if client.sensitive_area_consent_on is not None:
        return f"signed {client.sensitive_area_consent_on:%Y-%m-%d}"
    return "on file (date not recorded)" if client.sensitive_area_consent else "none recorded"


def _sensitive_consent(session: Session, client_id: int, settings: Settings) -> str:
    """Written consent for sensitive areas is given per session (CMTO): which sessions treated
    one, and whether each had it; not one yes or no for the client."""
    rows = session.execute(
        select(col(Note.session_start), col(Note.sensitive_consent))
        .where(col(Note.client_id) == client_id, col(Note.sensitive_areas) != "")
        .order_by(col(Note.session_start))).all()
    if not rows:
        return "no sensitive area treated in any session"
    days = [f"{start.astimezone(settings.tz):%Y-%m-%d}" for start, _ in rows]
    without = [day for day, (_, given) in zip(days, rows, strict=True) if not given]
    said = (f"{len(rows)} session{'s' * (len(rows) != 1)} treated a sensitive area "
            f"({', '.join(days[-6:])}{', ...' if len(days) > 6 else ''})")
    if without:
        return said + f"; without this session's written consent: {', '.join(without)}"
    return said + "; each with that session's written consent"


def _plan_section(session: Session, client: Client, today: date) -> RecordSection:
    from zoneinfo import ZoneInfo

    from notes_tui.domain.plan import parse_plan, plan_lines
    from notes_tui.export.model import RecordSection

    plans = [parse_plan(p) for p in client.plans or []]
    days = [s.astimezone(ZoneInfo(tz or "UTC")).date() for s, tz in session.execute(
        select(col(Note.session_start), col(Note.timezone))
        .where(col(Note.client_id) == client.id)).all()]
    since = {p.started_on: sum(d >= p.started_on for d in days) for p in plans}
    return RecordSection("Plan of care", plan_lines(plans, since, today))


def _measures_section(client: Client, catalog: Catalog) -> RecordSection:
    """Each outcome measure: the change from the first to the latest time, then every time it
    was taken with its items' scores."""
    from notes_tui.domain.measures import MeasureTaken, trends
    from notes_tui.export.model import RecordSection

    taken = [MeasureTaken.model_validate(m) for m in client.measures or []]
    if not taken:
        return RecordSection("Outcome measures", (("Measures", "none recorded"),))
    lines: list[tuple[str, str]] = []
    for trend in trends(taken, catalog.measures):
        lines.append((trend.measure.name if trend.measure else trend.measure_id, trend.words()))
        for t in trend.taken:
            lines.append((f"{t.taken_on:%Y-%m-%d}", f"score {t.score:g}: " + "; ".join(
                f"{i.label} {i.score:g}" for i in t.items)))
    return RecordSection("Outcome measures", tuple(lines))


def _recurrence_section(grid: Recurrence) -> RecordSection:
    """Every muscle and side treated, each session it was treated in (newest first), the
    points active in 3 or more of the last 5 sessions marked recurring and listed first."""
    from notes_tui.export.model import RecordSection

    if not grid.rows:
        return RecordSection("Recurring trigger points", (
            ("Sessions", f"{len(grid.sessions)} finalized; no trigger point recorded"),))
    head = (f"{len(grid.sessions)} finalized (each point's sessions newest first); recurring "
            f"means active in {grid.threshold} or more of the last {grid.recent}: "
            + ("; ".join(r.name for r in grid.flagged) if grid.flagged else "none"))
    return RecordSection("Recurring trigger points", (
        ("Sessions", head), *((r.name, summary(r, grid.sessions)) for r in grid.rows)))


def record_data(client_id: int, *, session: Session, catalog: Catalog, settings: Settings,
                template: dict, made_on: date | None = None,
                progress: Progress | None = None) -> RecordData:
    from notes_tui.export.model import RecordData, RecordNote, RecordSection
    from notes_tui.services.handouts import clinic_header
    from notes_tui.services.retention import client_retention

    client = get_client(client_id, session=session)
    retention = client_retention(session, client_id, tz=settings.tz)
    keep = retention.keep_until if retention is not None else None
    client_sections: tuple[RecordSection, ...] = (
        RecordSection("Client", (
            ("Name", client.name), ("Preferred name", client.preferred_name),
            ("Date of birth", _d(client.date_of_birth)), ("Phone", client.phone),
            ("Email", client.email), ("Archived", "yes" if client.archived else "no"),
            ("Keep records until", f"{keep:%Y-%m-%d}" if keep else "no visit recorded yet"),
        )),
        RecordSection("Health", (
            ("Health history", client.health_history),
            ("Contraindications", client.contraindications),
            ("Consent on file", _d(client.consent_on_file) or "none recorded"),
            ("Sensitive-area consent form", _consent_form(client)),
            ("Sensitive-area consent", _sensitive_consent(session, client_id, settings)),
            ("Pressure limit", f"{client.pressure_limit}/10: not above it"
             if client.pressure_limit else "none set"),
        )),
    )
    day = made_on or datetime.now(settings.tz).date()
    intake = parse_intake(client.intake) if client.intake else None
    client_sections += (RecordSection("Intake (therapist only)", record_lines(intake, day)),
                        _plan_section(session, client, day), _measures_section(client, catalog))
    note_ids = session.execute(select(col(Note.id)).where(col(Note.client_id) == client_id)
                               .order_by(col(Note.session_start), col(Note.id))).scalars().all()
    notes = []
    seen = []  # each finalized session's trigger points, for the recurrence grid
    for done, nid in enumerate(note_ids):
        if progress is not None:
            progress(done, len(note_ids) + 1)  # the last step is laying out the PDF
        view = get_note(nid, session=session)
        if view.status == NoteStatus.FINAL.value:
            seen.append(session_points(view, catalog))
        amendments = tuple(
            RecordSection(f"Amendment {a.created_at:%Y-%m-%d %H:%M} UTC by {a.author}",
                          (("Reason", a.reason), ("Text", a.text))) for a in view.amendments)
        notes.append(RecordNote(
            title=f"Session {view.local_start:%Y-%m-%d %H:%M} ({view.status}, note {view.id})",
            sections=_note_sections(present_view(view, catalog)), amendments=amendments))
    client_sections += (_recurrence_section(recurrence(seen)),)
    amendment_ids = session.execute(select(col(Amendment.id)).where(
        col(Amendment.note_id).in_(note_ids) if note_ids else false())).scalars().all()
    events = session.execute(select(AuditEvent).where(or_(
        (col(AuditEvent.entity) == "client") & (col(AuditEvent.entity_id) == client_id),
        (col(AuditEvent.entity) == "note") & col(AuditEvent.entity_id).in_(note_ids or [-1]),
        (col(AuditEvent.entity) == "amendment")
        & col(AuditEvent.entity_id).in_(amendment_ids or [-1]),
    )).order_by(col(AuditEvent.seq))).scalars().all()
    audit_lines = audit.summary_lines(events)
    return RecordData(clinic=clinic_header(settings, template), client_name=client.name,
                      client_sections=client_sections, notes=tuple(notes),
                      audit_summary=audit_lines,
                      made_on=day)  # the clinic's day


def prepare_record(client_id: int, *, session: Session, catalog: Catalog, settings: Settings,
                   template: dict, exports: Path, progress: Progress | None = None) -> Prepared:
    """What a clinical-record export reads (in the caller's read transaction)."""
    from notes_tui.services.exporting import Prepared

    data = record_data(client_id, session=session, catalog=catalog, settings=settings,
                       template=template, progress=progress)
    client = get_client(client_id, session=session)
    note_ids = session.execute(select(col(Note.id)).where(col(Note.client_id) == client_id)
                               ).scalars()
    assert client.id is not None  # read from the database
    folder = exports / f"{slug(client.name, 60)}-{client.id}"
    path = folder / f"clinical-record-{data.made_on:%Y-%m-%d}.pdf"  # the day it says it was made
    return Prepared(data, path, client.id, tuple(note_ids), "client", client.id)


def export_record(ctx: Context, client_id: int, *, template: dict, exports: Path,
                  password: str | None = None, actor: str | None = None,
                  progress: Progress | None = None) -> Path:
    """Render and write the client's clinical record, then audit it (services/exporting.py:
    read, render with no transaction open, write, audit). Returns its path. `progress(done,
    total)` counts the notes read, then the laying out of the PDF."""
    from notes_tui.export import encrypt_pdf, render_record
    from notes_tui.services.exporting import export_audited

    def read(session: Session) -> Prepared:
        return prepare_record(client_id, session=session, catalog=ctx.catalog,
                              settings=ctx.settings, template=template, exports=exports,
                              progress=progress)

    def render(prepared: Prepared) -> bytes:
        total = len(prepared.data.notes) + 1
        if progress is not None:
            progress(total - 1, total)
        pdf = render_record(prepared.data)
        if progress is not None:
            progress(total, total)
        return encrypt_pdf(pdf, password) if password else pdf

    prepared, _pdf = export_audited(ctx, read, render, actor=actor or ctx.settings.author)
    return prepared.path
