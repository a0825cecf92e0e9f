"""Export orchestration: build the handout's plain data from a note, render it, write it.

Only the client-safe parts of a note reach `HandoutData`; health history, contraindications,
the therapist's summary and amendment reasons have no field there, so they cannot be printed.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from notes_tui.db.models import Note
from notes_tui.domain.catalog import Catalog
from notes_tui.domain.enums import AuditAction, NoteStatus, Side
from notes_tui.domain.text import display_text, slug
from notes_tui.services import audit
from notes_tui.services.clients import get_client
from notes_tui.services.errors import ServiceError
from notes_tui.services.files import write_private_bytes
from notes_tui.services.notes import NoteView, get_note

HANDOUT_KEYS = {"accent_colour", "logo", "clinic_name", "phone", "email", "address", "website"}


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


def clinic_header(settings, template: dict):
    from notes_tui.export.model import Clinic

    c = settings.clinic
    return Clinic(
        name=template.get("clinic_name") or c.name,
        therapist_name=settings.therapist_name, registration=settings.registration_number,
        phone=template.get("phone") or c.phone, email=template.get("email") or c.email,
        address=template.get("address") or c.address,
        website=template.get("website") or c.website,
        accent_colour=template.get("accent_colour", "#2E6F95"), logo_path=template.get("logo"),
        paper_size=settings.paper_size,
    )


def _next_visit(view: NoteView) -> str:
    from notes_tui.domain.wording import next_visit_phrase

    c = view.content
    return next_visit_phrase(c.next_visit_date, c.next_visit_days, view.local_start.date())


def handout_data(view: NoteView, *, session, catalog: Catalog, settings, template: dict,
                 made_on: date | None = None):
    """The plain data of a handout for `view` (a draft gives a preview with a DRAFT mark)."""
    from notes_tui.export.model import (
        ChartPoint,
        Dosage,
        HandoutData,
        PainPoint,
        Practice,
        TreatedPoint,
    )

    client = get_client(view.client_id, session=session)
    c = view.content
    points = []
    for i, tp in enumerate(c.trigger_points, start=1):
        m = catalog.muscle(tp.muscle_id)
        points.append(TreatedPoint(
            number=i, muscle_plain=m.plain_name if m else (tp.muscle or tp.muscle_id or ""),
            side=Side(tp.side).value, refers_to=m.referral_client if m else tp.referred_pain,
            response=tp.response.client_wording if tp.response else "",
            charts=tuple(ChartPoint(p.view, p.lateral, p.y) for p in (m.charts if m else ()))))
    posture = []
    for p in c.posture:
        f = catalog.posture.get(p.finding_id or "")
        sentence = f.plain if f else p.text
        if p.side and f and f.sided:
            where = "on both sides" if p.side is Side.BILATERAL else f"on the {p.side.value} side"
            sentence = f"{sentence} ({where})"
        posture.append(sentence)
    cues = []
    for cue in c.cues:
        entry = catalog.cues.get(cue.cue_id or "")
        cues.append(Practice(title=entry.name if entry else cue.text,
                             instructions=entry.client_wording if entry else "",
                             dosage=Dosage()))
    care = []
    for hc in c.home_care:
        item = catalog.home_care.get(hc.item_id or "")
        care.append(Practice(title=item.name if item else hc.text,
                             instructions=item.client_wording if item else "",
                             dosage=hc.dosage))
    finals = session.execute(
        select(Note.session_start, Note.timezone, Note.pain_before, Note.pain_after)
        .where(Note.client_id == view.client_id, Note.status == NoteStatus.FINAL.value,
               Note.session_start <= view.session_start)
        .order_by(Note.session_start.desc()).limit(12)).all()
    from zoneinfo import ZoneInfo

    progress = tuple(PainPoint(s.astimezone(ZoneInfo(tz)).date(), b, a)
                     for s, tz, b, a in reversed(finals))
    local = view.local_start
    return HandoutData(
        clinic=clinic_header(settings, template),
        client_name=client.preferred_name or client.name, note_id=view.id,
        session_date=local.date(), session_time=local.strftime("%H:%M"),
        duration_minutes=c.duration_minutes or 0,
        technique=c.technique.label, client_summary=c.client_summary,
        posture_findings=tuple(posture), pain_before=c.pain_before, pain_after=c.pain_after,
        treated_points=tuple(points), movement_cues=tuple(cues), home_care=tuple(care),
        next_visit=_next_visit(view), advice=c.advice, what_to_expect=c.what_to_expect,
        when_to_contact=c.when_to_contact, referral=c.referral,
        progress=progress if len(progress) >= 2 else (),
        made_on=made_on or datetime.now(UTC).date(), draft=not view.is_final,
    )


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


def export_handout(note_id: int, *, session, catalog: Catalog, settings, template: dict,
                   exports: Path, preview: bool = False, password: str | None = None,
                   invariant: bool = False, actor: str | None = None) -> ExportResult:
    """Render and write a handout. Only a finalized note makes one; a draft needs `preview`."""
    from notes_tui.export import encrypt_pdf, missing_glyphs, render_handout

    view = get_note(note_id, session=session)
    if not view.is_final and not preview:
        raise ServiceError(f"note {note_id} is a draft: finalize it first, or use --preview "
                           "for a copy marked DRAFT")
    data = handout_data(view, session=session, catalog=catalog, settings=settings,
                        template=template)
    texts = [data.client_name, data.client_summary, data.advice, data.what_to_expect,
             data.when_to_contact, data.referral, *data.posture_findings]
    missing = frozenset(missing_glyphs(display_text(" ".join(texts))))
    pdf = render_handout(data, invariant=invariant)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    if password:
        pdf = encrypt_pdf(pdf, password)
    client = get_client(view.client_id, session=session)
    path = handout_path(exports, client.id, client.name, view)
    if preview and not view.is_final:
        path = path.with_name(path.stem + "-DRAFT.pdf")
    from notes_tui.paths import ensure_private_dir

    ensure_private_dir(path.parent)
    write_private_bytes(path, pdf)
    audit.record(session, actor=actor or settings.author, action=AuditAction.EXPORT,
                 entity="note", entity_id=note_id, content_digest=hashlib.sha256(pdf).hexdigest())
    return ExportResult(path, pages, len(pdf), missing)
