"""A note's presentation, built once: the read model every view renders.

`present(content, meta, catalog, amendments)` turns one revision of a note (a `NoteContent`) into
`NotePresentation`: catalog names resolved, sides and pain phrased, the next visit as the client
reads it, the therapist's own words kept beside the catalog's, and for every row both the line a
therapist reads (note view, clinical record, last time's panel, the client screen) and the
words a client reads (the handout, the review step). Amendments travel beside the content, so a
corrected revision can be presented with the same call.

Nothing here queries: `present_view` takes a `NoteView` the caller has read. The handout's data
(`export.model.HandoutData`) is projected from this object by `services.handouts`, and the
client sections both the review step and the PDF print come from that projection
(`export.sections.client_sections`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from notes_tui.domain.catalog import Catalog, ChartPosition
from notes_tui.domain.enums import PainNotRated, Side, TriggerPointResponse
from notes_tui.domain.note import (
    HomeCareRow,
    MovementCueRow,
    MuscleFindingRow,
    NoteContent,
    PostureRow,
    RomRow,
    TriggerPointRow,
    WorkRow,
)
from notes_tui.domain.values import Dosage
from notes_tui.domain.wording import also_named, next_visit_phrase, with_own_words

if TYPE_CHECKING:
    from notes_tui.services.notes import NoteView


def _sided(name: str, side: Side | None) -> str:
    return f"{name} ({side.value})" if side else name


@dataclass(frozen=True)
class NoteMeta:
    """Who, when and in what state: everything about a note that is not its content."""

    id: int
    client_id: int
    client_name: str
    local_start: datetime  # in the clinic's time zone
    status: str
    therapist_name: str = ""
    therapist_registration: str = ""
    finalized_at: datetime | None = None
    finalized_by: str | None = None
    revised_at: datetime | None = None  # when an amendment last corrected the content (UTC)

    @property
    def is_final(self) -> bool:
        return self.status == "final"


@dataclass(frozen=True)
class AmendmentLine:
    at: datetime  # in the clinic's time zone
    author: str
    reason: str  # therapist-only
    text: str


@dataclass(frozen=True)
class PostureView:
    therapist: str  # "Forward head posture (left): more on the right when tired"
    client: str  # "Your head sits ... (on the left side): more on the right when tired"


@dataclass(frozen=True)
class PointView:
    number: int
    muscle: str  # clinical name (with the therapist's own name when it differs)
    muscle_plain: str  # the client's words
    side: Side
    label: str  # therapist-only
    referred_pain: str  # the therapist's "refers to" (clinical wording)
    refers_to: str  # the client's "may send pain to ..."
    activity: str
    technique: str
    pressure: int | None
    response: TriggerPointResponse | None
    response_client: str
    note: str  # therapist-only
    confirmed: bool
    charts: tuple[ChartPosition, ...] = ()

    @property
    def pressure_text(self) -> str:
        return "pressure not recorded" if self.pressure is None else f"pressure {self.pressure}/10"


@dataclass(frozen=True)
class WorkView:
    """One row of the session's work by region."""

    therapist: str  # "Low back: lumbar paraspinals (left): Deep tissue, 20 min, firm"
    client: str  # "Deep massage on your lower back (left side), about 20 minutes"
    region_id: str | None
    minutes: int | None
    confirmed: bool = True


@dataclass(frozen=True)
class PracticeView:
    """A movement cue or a home-care item: its name, the client's instructions, the dose."""

    name: str  # what the therapist and the client see as its title
    instructions: str  # the catalog sentence, then the therapist's own words
    own_words: str  # the therapist's words on a catalog entry ("" for a custom one)
    dosage: Dosage = field(default_factory=Dosage)
    response: str = ""  # cues: how the client responded
    trigger_point: int | None = None  # cues: the treated point it went with
    confirmed: bool = True

    @property
    def therapist(self) -> str:
        """One line: "Post-isometric relaxation: slower on the left" (the therapist's words)."""
        return with_own_words(self.name, self.own_words) if self.own_words else self.name


@dataclass(frozen=True)
class NotePresentation:
    meta: NoteMeta
    content: NoteContent  # the revision presented, for anything that needs a raw value
    duration: str  # "60 min" or ""
    technique: str
    complaint: str
    pain_before: int | None
    pain_after: int | None
    pain_locations: tuple[str, ...]
    pain_before_said: str  # the score ("6"), or why there is none ("not asked"), or ""
    pain_after_said: str
    posture: tuple[PostureView, ...]
    rom: tuple[str, ...]  # therapist lines
    muscles: tuple[str, ...]  # therapist lines
    therapist_summary: str
    client_summary: str
    since: tuple[tuple[str, str], ...]  # since the last visit, in the record's words
    work: tuple[WorkView, ...]
    positioning: str
    areas_avoided: str
    points: tuple[PointView, ...]
    cues: tuple[PracticeView, ...]
    home_care: tuple[PracticeView, ...]
    next_visit: str  # the client's phrase: "in 2 weeks (around 9 December 2026)"
    next_visit_record: str  # the record's: "2026-12-09" or "in 14 days"
    advice: str
    what_to_expect: str
    when_to_contact: str
    referral: str
    to_confirm: frozenset[str]
    amendments: tuple[AmendmentLine, ...] = ()

    @property
    def session_day(self) -> date:
        return self.meta.local_start.date()


def meta_of(view: NoteView) -> NoteMeta:
    """The metadata of a `services.notes.NoteView`."""
    return NoteMeta(
        id=view.id, client_id=view.client_id, client_name=view.client_name,
        local_start=view.local_start, status=str(view.status),
        therapist_name=view.therapist_name, therapist_registration=view.therapist_registration,
        finalized_at=view.finalized_at, finalized_by=view.finalized_by,
        revised_at=view.revised_at)


def present_view(view: NoteView, catalog: Catalog, *, current: bool = False) -> NotePresentation:
    """The presentation of a note as read (`NoteView`), its amendments listed after it.

    By default the content as finalized (the record and the note view show it, then each
    amendment); `current=True` presents the newest corrected revision instead: what the client
    is given and what goes forward (the handout, last time's panel, the client's findings).
    """
    tz = view.local_start.tzinfo
    amendments = tuple(AmendmentLine(a.created_at.astimezone(tz), a.author, a.reason, a.text)
                       for a in view.amendments)
    return present(view.current if current else view.content, meta_of(view), catalog,
                   amendments)


def _posture(p: PostureRow, catalog: Catalog) -> PostureView:
    f = catalog.posture.get(p.finding_id or "")
    if f is None:
        return PostureView(_sided(p.text, p.side), p.text)
    sentence = f.plain[:1].upper() + f.plain[1:]
    if p.side and f.sided:
        where = "on both sides" if p.side is Side.BILATERAL else f"on the {p.side.value} side"
        sentence = f"{sentence} ({where})"
    return PostureView(with_own_words(_sided(f.name, p.side), p.text),
                       with_own_words(sentence, p.text))


def rom_value(value: int | None, percent: bool) -> str:
    return "" if value is None else f"{value}% of normal" if percent else f"{value}°"


def _rom(r: RomRow, catalog: Catalog) -> str:
    """"Cervical rotation left: 55° before, 70° after (+15°); norm 60-80°, painful at end
    range" (a percentage of normal has no norm beside it: it is one)."""
    t = catalog.rom.get(r.test_id or "")
    name = also_named(t.name, r.movement) if t else r.movement
    side = f" {r.side.value}" if r.side else ""
    if r.degrees is not None and r.degrees_after is not None:
        change = r.degrees_after - r.degrees
        unit = "%" if r.percent else "°"
        value = (f"{rom_value(r.degrees, r.percent)} before, "
                 f"{rom_value(r.degrees_after, r.percent)} after ({change:+d}{unit})")
    elif r.degrees_after is not None:
        value = f"{rom_value(r.degrees_after, r.percent)} after treatment"
    else:
        value = rom_value(r.degrees, r.percent) or r.result.value
    norm = f"; norm {t.normal_text or str(t.normal_degrees) + '°'}" if t and (
        t.normal_text or t.normal_degrees) and r.degrees is not None and not r.percent else ""
    return f"{name}{side}: {value}{norm}{', painful at end range' if r.painful else ''}"


def _muscle(m: MuscleFindingRow, catalog: Catalog) -> str:
    mm = catalog.muscle(m.muscle_id)
    name = also_named(mm.name, m.muscle) if mm else (m.muscle or m.muscle_id or "")
    return f"{name} {m.side.value}: {m.finding.label}{' - ' + m.note if m.note else ''}"


def _point(i: int, tp: TriggerPointRow, catalog: Catalog) -> PointView:
    m = catalog.muscle(tp.muscle_id)
    custom = tp.muscle or tp.muscle_id or ""
    return PointView(
        number=i, muscle=also_named(m.name, tp.muscle) if m else custom,
        muscle_plain=m.plain_name if m else custom, side=Side(tp.side), label=tp.label,
        referred_pain=tp.referred_pain,
        refers_to=m.referral_client if m else tp.referred_pain,
        activity=tp.activity.value, technique=tp.technique.label, pressure=tp.pressure,
        response=tp.response,
        response_client=tp.response.client_wording if tp.response else "",
        note=tp.note, confirmed=tp.confirmed, charts=m.charts if m else ())


def _work(w: WorkRow, catalog: Catalog) -> WorkView:
    region = catalog.regions.get(w.region_id or "")
    name = (f"{region.name}: {w.region}" if w.region else region.name) if region else (
        w.region or w.region_id or "")
    details = [w.modality.label]
    if w.minutes:
        details.append(f"{w.minutes} min")
    if w.pressure:
        details.append(f"{w.pressure.label} pressure")
    line = f"{_sided(name, w.side)}: {', '.join(details)}{' - ' + w.note if w.note else ''}"
    if not w.confirmed:
        line += " (NOT CONFIRMED)"
    # "Deep massage on your lower back (lumbar paraspinals, both sides), about 20 minutes"; a
    # region in the therapist's own words only: "Deep massage: calf (left side)"
    said = {None: "", Side.BILATERAL: "both sides", Side.LEFT: "left side",
            Side.RIGHT: "right side"}[w.side]
    plain = w.modality.plain
    plain = plain[:1].upper() + plain[1:]
    if region is not None:
        inside = ", ".join(part for part in (w.region, said) if part)
        client = f"{plain} on {region.plain}" + (f" ({inside})" if inside else "")
    else:
        client = f"{plain}: {name}" + (f" ({said})" if said else "")
    if w.minutes:
        client += f", about {w.minutes} minutes"
    return WorkView(line, client, w.region_id, w.minutes, w.confirmed)


def since_lines(c: NoteContent) -> tuple[tuple[str, str], ...]:
    """How the client did since the last visit, in the record's words (empty: not asked)."""
    from notes_tui.domain.enums import SinceResponse

    out = []
    if c.since_response is not None:
        said = c.since_response.label
        if c.since_response is SinceResponse.SORE and c.since_sore_days:
            said += f" for {c.since_sore_days} day{'s' if c.since_sore_days != 1 else ''}"
        out.append(("Response to the last treatment", said))
    if c.since_home_care is not None:
        out.append(("Home care done", c.since_home_care.label))
    if c.since_health:
        out.append(("New health changes", c.since_health))
    return tuple(out)


def _cue(cue: MovementCueRow, catalog: Catalog) -> PracticeView:
    entry = catalog.cues.get(cue.cue_id or "")
    if entry is None:
        return PracticeView(cue.text, "", "", response=cue.response,
                            trigger_point=cue.trigger_point, confirmed=cue.confirmed)
    return PracticeView(entry.name, with_own_words(entry.client_wording, cue.text), cue.text,
                        response=cue.response, trigger_point=cue.trigger_point,
                        confirmed=cue.confirmed)


BOTH_SIDES = "Do both sides."


def _one_side(wording: str, side: Side | None) -> str:
    """A catalog sentence for the side the therapist gave: "Do both sides." becomes "Do this on
    your left side only." (both sides, or none given: the sentence as it is)."""
    if side not in (Side.LEFT, Side.RIGHT):
        return wording
    only = f"Do this on your {side.value} side only."
    text = wording.replace(BOTH_SIDES, "").rstrip()
    return f"{text} {only}" if text else only


def _care(h: HomeCareRow, catalog: Catalog) -> PracticeView:
    item = catalog.home_care.get(h.item_id or "")
    if item is None:
        name = _sided(h.text, h.side)
        return PracticeView(name, _one_side("", h.side), "", dosage=h.dosage,
                            confirmed=h.confirmed)
    name = item.name + {None: "", Side.LEFT: " (left side)", Side.RIGHT: " (right side)",
                        Side.BILATERAL: " (both sides)"}[h.side]
    return PracticeView(name, with_own_words(_one_side(item.client_wording, h.side), h.text),
                        h.text, dosage=h.dosage, confirmed=h.confirmed)


def present(content: NoteContent, meta: NoteMeta, catalog: Catalog,
            amendments: tuple[AmendmentLine, ...] = ()) -> NotePresentation:
    """One revision of a note, presented: pure (no database), the same for every view."""
    c = content
    return NotePresentation(
        meta=meta, content=c,
        duration=f"{c.duration_minutes} min" if c.duration_minutes else "",
        technique=c.technique.label, complaint=c.complaint,
        pain_before=c.pain_before, pain_after=c.pain_after,
        pain_locations=tuple(c.pain_locations),
        pain_before_said=_pain_said(c.pain_before, c.pain_before_not_rated),
        pain_after_said=_pain_said(c.pain_after, c.pain_after_not_rated),
        posture=tuple(_posture(p, catalog) for p in c.posture),
        rom=tuple(_rom(r, catalog) for r in c.rom),
        muscles=tuple(_muscle(m, catalog) for m in c.muscles),
        therapist_summary=c.therapist_summary, client_summary=c.client_summary,
        since=since_lines(c), work=tuple(_work(w, catalog) for w in c.work),
        positioning=c.positioning, areas_avoided=c.areas_avoided,
        points=tuple(_point(i, tp, catalog) for i, tp in enumerate(c.trigger_points, start=1)),
        cues=tuple(_cue(q, catalog) for q in c.cues),
        home_care=tuple(_care(h, catalog) for h in c.home_care),
        next_visit=next_visit_phrase(c.next_visit_date, c.next_visit_days, meta.local_start.date()),
        next_visit_record=(c.next_visit_date.isoformat() if c.next_visit_date else
                           f"in {c.next_visit_days} days" if c.next_visit_days else ""),
        advice=c.advice, what_to_expect=c.what_to_expect, when_to_contact=c.when_to_contact,
        referral=c.referral, to_confirm=frozenset(c.to_confirm), amendments=amendments)


def _pain_said(score: int | None, not_rated: PainNotRated | None) -> str:
    """The record's words for a pain score: the number, or why there is none."""
    if score is not None:
        return str(score)
    return not_rated.label if not_rated is not None else ""


def consent_lines(c: NoteContent) -> tuple[tuple[str, str], ...]:
    """This session's consent in the record's words (the record and the note view)."""
    plan = {None: "not recorded", True: "yes", False: "no"}[c.consent_plan]
    if c.consent_limits:
        plan += f" (limits: {c.consent_limits})"
    lines = [("Consent to today's plan", plan)]
    if c.sensitive_areas:
        lines.append(("Sensitive areas treated", f"{c.sensitive_areas}; written consent this "
                      f"session: {'yes' if c.sensitive_consent else 'NO'}"))
    if c.draping:
        lines.append(("Draping", c.draping))
    return tuple(lines)
