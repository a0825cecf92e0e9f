"""Export orchestration: build the handout's plain data from a note, render it, write it.

Only the client-safe parts of a note reach `HandoutData`; health history, contraindications,
the therapist's summary and amendment reasons have no field there, so they cannot be printed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from notes_tui.db.models import Amendment, Client, Note
from notes_tui.domain.catalog import Catalog
from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.text import display_text, slug
from notes_tui.services.clients import get_client
from notes_tui.services.errors import ServiceError
from notes_tui.services.notes import NoteView, get_note
from notes_tui.services.presentation import (
    NoteMeta,
    NotePresentation,
    PracticeView,
    present,
    present_view,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from notes_tui.domain.note import NoteContent
    from notes_tui.export.model import Clinic, HandoutData, PainPoint, Practice
    from notes_tui.export.sections import Section
    from notes_tui.services.context import Context
    from notes_tui.services.exporting import Prepared
    from notes_tui.settings import Settings

HANDOUT_KEYS = {"accent_colour", "logo", "clinic_name", "phone", "email", "address", "website"}
HANDOUT_SWITCHES = {"log_page"}  # true or false


class HandoutTemplateError(ServiceError):
    pass


def load_handout_template(shipped: Path, user: Path | None) -> dict:
    """templates/handout/handout.toml, overridden key by key by <config>/handout.toml."""
    merged: dict = {}
    for path in (shipped, user):
        if path is None or not path.is_file():
            continue
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise HandoutTemplateError(f"{path}: not valid TOML ({exc})") from None
        for key, value in raw.items():
            if key in HANDOUT_SWITCHES:
                if not isinstance(value, bool):
                    raise HandoutTemplateError(f"{path}: {key} must be true or false")
                continue
            if key not in HANDOUT_KEYS:
                raise HandoutTemplateError(f"{path}: unknown key {key!r}")
            if not isinstance(value, str):
                raise HandoutTemplateError(f"{path}: {key} must be text")
        merged.update(raw)
    colour = merged.get("accent_colour", "#2E6F95")
    if not (len(colour) == 7 and colour.startswith("#")
            and all(c in "0123456789abcdefABCDEF" for c in colour[1:])):
        raise HandoutTemplateError(f"accent_colour {colour!r} must look like #2E6F95")
    return merged


def clinic_header(settings: Settings, template: dict) -> Clinic:
    from notes_tui.export.model import Clinic

    c = settings.clinic
    return Clinic(
        name=template.get("clinic_name") or c.name,
        therapist_name=settings.therapist_name, registration=settings.registration_number,
        phone=template.get("phone") or c.phone, email=template.get("email") or c.email,
        address=template.get("address") or c.address,
        website=template.get("website") or c.website,
        accent_colour=template.get("accent_colour", "#2E6F95"), logo_path=template.get("logo"),
        paper_size=settings.paper_size, log_page=bool(template.get("log_page", False)),
    )


def client_projection(pres: NotePresentation, *, client_name: str, clinic: Clinic,
                      progress: Sequence[PainPoint] = (),
                      made_on: date | None = None, measures: Sequence[str] = (),
                      goals: Sequence[str] = ()) -> HandoutData:
    """The client-facing projection of a presented note: `HandoutData`, which has no field for
    therapist-only text. The review step and the PDF both print `client_sections` of it."""
    from notes_tui.export.model import ChartPoint, HandoutData, Practice, TreatedPoint, WorkDone

    points = tuple(TreatedPoint(
        number=p.number, muscle_plain=p.muscle_plain, side=p.side.value, refers_to=p.refers_to,
        response=p.response_client, charts=tuple(ChartPoint(c.view, c.lateral, c.y)
                                                 for c in p.charts),
        to_confirm=not p.confirmed) for p in pres.points)

    def practice(v: PracticeView) -> Practice:
        return Practice(title=v.name, instructions=v.instructions, dosage=v.dosage,
                        response=v.response, to_confirm=not v.confirmed)

    local = pres.meta.local_start
    revised = pres.meta.revised_at
    return HandoutData(
        clinic=clinic, client_name=client_name, note_id=pres.meta.id,
        session_date=local.date(), session_time=local.strftime("%H:%M"),
        duration_minutes=pres.content.duration_minutes or 0, technique=pres.technique,
        client_summary=pres.client_summary,
        posture_findings=tuple(p.client for p in pres.posture),
        pain_before=pres.pain_before, pain_after=pres.pain_after, treated_points=points,
        movement_cues=tuple(practice(q) for q in pres.cues),
        home_care=tuple(practice(h) for h in pres.home_care),
        next_visit=pres.next_visit, advice=pres.advice, what_to_expect=pres.what_to_expect,
        when_to_contact=pres.when_to_contact, referral=pres.referral,
        progress=tuple(progress) if len(progress) >= 2 else (),
        made_on=made_on or datetime.now(pres.meta.local_start.tzinfo).date(),
        draft=not pres.meta.is_final,
        to_confirm=tuple(sorted(pres.to_confirm)), work=tuple(WorkDone(w.client, not w.confirmed) for w in pres.work),
        updated_on=revised.astimezone(local.tzinfo).date() if revised else None,
        log_days=_log_days(pres.content, local.date()), measures=tuple(measures),
        goals=tuple(goals))


def _log_days(content: NoteContent, session_day: date) -> int:
    """One row a day until the next visit (a week when none is planned), 3 to 14 rows."""
    days = content.next_visit_days
    if content.next_visit_date is not None:
        days = (content.next_visit_date - session_day).days
    return max(3, min(14, days or 7))


def _progress(view: NoteView, session: Session) -> tuple[PainPoint, ...]:
    """Pain before and after of the finalized sessions up to this one, oldest first."""
    from zoneinfo import ZoneInfo

    from notes_tui.export.model import PainPoint

    finals = session.execute(
        select(col(Note.id), col(Note.session_start), col(Note.timezone), col(Note.pain_before),
               col(Note.pain_after))
        .where(col(Note.client_id) == view.client_id,
               col(Note.status) == NoteStatus.FINAL.value,
               col(Note.session_start) <= view.session_start)
        .order_by(col(Note.session_start).desc()).limit(12)).all()
    corrected = {}  # note id -> (before, after) of its newest corrected revision
    if finals:
        for nid, content in session.execute(
                select(col(Amendment.note_id), col(Amendment.content))
                .where(col(Amendment.note_id).in_([f.id for f in finals]),
                       col(Amendment.content).is_not(None)).order_by(col(Amendment.id))):
            if content is not None:  # a JSON null passes IS NOT NULL on some backends
                corrected[nid] = (content.get("pain_before"), content.get("pain_after"))
    return tuple(PainPoint(s.astimezone(ZoneInfo(tz)).date(), *corrected.get(nid, (b, a)))
                 for nid, s, tz, b, a in reversed(finals))


def progress_of(view: NoteView, *, session: Session) -> tuple[PainPoint, ...]:
    """The progress chart's points for `view`'s handout (the editor's review shows it too)."""
    return _progress(view, session)


def handout_template() -> dict:
    """handout.toml as every handout uses it: the shipped file, then the user's on top."""
    from notes_tui.paths import config_dir, templates_dir

    return load_handout_template(templates_dir() / "handout" / "handout.toml",
                                 config_dir() / "handout.toml")


def handout_clinic(settings: Settings) -> Clinic:
    """The header every handout prints: settings, then handout.toml (shipped, then the user's).
    A broken handout.toml is reported when a handout is written; here it is left out."""
    try:
        template = handout_template()
    except HandoutTemplateError:
        template = {}
    return clinic_header(settings, template)


def client_sections_of(content: NoteContent, meta: NoteMeta, catalog: Catalog, *,
                       clinic: Clinic, client_name: str = "",
                       progress: Sequence[PainPoint] = ()) -> tuple[Section, ...]:
    """The handout's client sections for a note's content as it is now (the editor's review
    step prints these: the same headings and sentences as the PDF)."""
    from notes_tui.export.sections import client_sections

    return client_sections(client_projection(present(content, meta, catalog),
                                             client_name=client_name, clinic=clinic,
                                             progress=progress))


def handout_data(view: NoteView, *, session: Session, catalog: Catalog, settings: Settings,
                 template: dict, made_on: date | None = None) -> HandoutData:
    """The plain data of a handout for `view` (a draft gives a preview with a DRAFT mark)."""
    client = get_client(view.client_id, session=session)
    return client_projection(present_view(view, catalog, current=True),
                             client_name=client.preferred_name or client.name,
                             clinic=clinic_header(settings, template),
                             progress=_progress(view, session), made_on=made_on,
                             measures=measures_said(client, view.local_start.date(), catalog),
                             goals=goals_said(client, view.local_start.date()))


# a goal's status as the client reads it
_GOAL_WORDS = {"met": "reached", "partly": "partly there", "not yet": "working on it"}


def goals_said(client: Client, on: date) -> tuple[str, ...]:
    """The goals of the plan of care in place on the session's day `on` (started by then and not
    discharged before it), in plain words; a status that moved after that day is not told (a
    handout never tells of later news)."""
    from notes_tui.domain.plan import parse_plan

    plans = [p for p in (parse_plan(x) for x in client.plans or []) if p.started_on <= on
             and (p.discharge is None or p.discharge.on >= on)]
    if not plans:
        return ()
    out = []
    for g in plans[-1].goals:
        how = ", ".join(x for x in (g.measure, g.target and f"aim: {g.target}") if x)
        said = g.text + (f" ({how})" if how else "")
        known = g.changed_on is None or g.changed_on <= on
        out.append(f"{said}: {_GOAL_WORDS[g.status.value]}" if known else said)
    return tuple(out)


def measures_said(client: Client, up_to: date, catalog: Catalog) -> tuple[str, ...]:
    """Each outcome measure the client answered twice or more by `up_to` (the session's day:
    a handout never tells of a later score) on the same items, in plain words."""
    from notes_tui.domain.measures import MeasureTaken, trends

    taken = [t for t in (MeasureTaken.model_validate(m) for m in client.measures or [])
             if t.taken_on <= up_to]
    return tuple(t.plain() for t in trends(taken, catalog.measures) if t.comparable)


def strings_of(value: object) -> list[str]:
    """Every string inside a dataclass, tuple or list, recursively: what a PDF may print."""
    if isinstance(value, str):
        return [value]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in strings_of(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_of(item)]
    return []


def handout_path(exports: Path, client_id: int, client_name: str, view: NoteView) -> Path:
    """<exports>/<client-slug>-<id>/<YYYY-MM-DD>-<note-id>.pdf: safe for any client name."""
    folder = exports / f"{slug(client_name, 60)}-{client_id}"
    return folder / f"{view.local_start:%Y-%m-%d}-{view.id}.pdf"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pages: int
    bytes: int
    missing_glyphs: frozenset[str]


def prepare_handout(note_id: int, *, session: Session, catalog: Catalog, settings: Settings,
                    template: dict, exports: Path, preview: bool = False) -> Prepared:
    """What a handout export reads (in the caller's read transaction): its plain data and path."""
    from notes_tui.services.exporting import Prepared

    view = get_note(note_id, session=session)
    if not view.is_final and not preview:
        raise ServiceError(f"note {note_id} is a draft: finalize it first, or use --preview "
                           "for a copy marked DRAFT")
    data = handout_data(view, session=session, catalog=catalog, settings=settings,
                        template=template)
    client = get_client(view.client_id, session=session)
    assert client.id is not None  # read from the database
    path = handout_path(exports, client.id, client.name, view)
    if preview and not view.is_final:
        path = path.with_name(path.stem + "-DRAFT.pdf")
    return Prepared(data, path, client.id, (view.id,), "note", view.id)


def export_handout(ctx: Context, note_id: int, *, template: dict, exports: Path, preview: bool = False,
                   password: str | None = None, invariant: bool = False,
                   actor: str | None = None) -> ExportResult:
    """Render and write a handout, then audit it (services/exporting.py: read, render with no
    transaction open, write, audit). Only a finalized note makes one; a draft needs `preview`."""
    from notes_tui.export import encrypt_pdf, missing_glyphs, render_handout
    from notes_tui.services.exporting import export_audited

    settings = ctx.settings
    pages: list[int] = []  # counted before encryption hides the page objects

    def read(session: Session) -> Prepared:
        return prepare_handout(note_id, session=session, catalog=ctx.catalog, settings=settings,
                               template=template, exports=exports, preview=preview)

    def render(prepared: Prepared) -> bytes:
        pdf = render_handout(prepared.data, invariant=invariant)
        pages.append(pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page"))
        return encrypt_pdf(pdf, password) if password else pdf

    prepared, pdf = export_audited(ctx, read, render, actor=actor or settings.author)
    missing = frozenset(missing_glyphs(display_text(" ".join(strings_of(prepared.data)))))
    return ExportResult(prepared.path, pages[-1], len(pdf), missing)
