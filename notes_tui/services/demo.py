"""Seeded, realistic demo data: clients with varied presentations, pain that eases over months,
trigger points with their referral patterns, cues, home care, and a few open drafts.

The same seed gives the same data. It writes through the interchange's bulk writer, so demo data
is validated exactly like an import, and it scales to 100,000 notes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from notes_tui.domain.catalog import Catalog
from notes_tui.domain.enums import AuditAction, NoteStatus
from notes_tui.domain.intake import Intake, parse_intake
from notes_tui.domain.measures import ItemScore, MeasureTaken
from notes_tui.domain.note import NoteContent
from notes_tui.domain.plan import Discharge, DischargeStatus, Goal, GoalStatus, GoalTerm, Plan
from notes_tui.services.clients import ClientFields
from notes_tui.services.interchange import ClientIn, ImportResult, NoteIn, write_records
from notes_tui.services.progress import Progress

if TYPE_CHECKING:
    from sqlmodel import Session

FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Eilidh", "Farah", "Gabriel", "Hana", "Ivan", "Jasmine",
         "Kofi", "Léa", "Mateo", "Niamh", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomás",
         "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Ģirts", "Łucja", "Søren", "Aoife"]
LAST = ["Alvarez", "Brown", "Chen", "Dubois", "Evans", "Fischer", "García", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Lopez", "MacLeod", "Nguyễn", "O'Brien", "Patel", "Rossi", "Sato",
        "Tremblay", "Usman", "Virtanen", "Wójcik", "Yamamoto", "Zielinski", "Öztürk", "Novák"]


@dataclass(frozen=True)
class Presentation:
    complaint: str
    muscles: tuple[str, ...]  # names searched in the catalog
    posture: tuple[str, ...]  # catalog ids
    rom: tuple[str, ...]  # catalog ids
    locations: tuple[str, ...]
    home_care: tuple[str, ...]  # catalog ids
    cues: tuple[str, ...]  # catalog ids
    summary: str


PRESENTATIONS = (
    Presentation("Headaches at the temples most afternoons, worse after long days at the laptop",
                 ("Upper trapezius", "Sternocleidomastoid", "Suboccipital", "Temporalis"),
                 ("forward_head", "rounded_shoulders"), ("cervical_rotation", "cervical_lateral_flexion"),
                 ("temples", "base of skull"), ("heat", "upper_trapezius_stretch", "micro_breaks"),
                 ("pir", "breathing"),
                 "Tight muscles at the top of the shoulders and the base of the skull may be "
                 "adding to your headaches."),
    Presentation("Stiff neck and shoulders from desk work; can't turn my head fully to the left",
                 ("Levator scapulae", "Upper trapezius", "Pectoralis minor", "Rhomboid"),
                 ("rounded_shoulders", "forward_head", "elevated_shoulder"), ("cervical_rotation",),
                 ("neck", "between the shoulder blades"),
                 ("levator_scapulae_stretch", "doorway_chest_stretch", "micro_breaks"),
                 ("active_pin_and_stretch", "reciprocal_inhibition"),
                 "The muscles that lift your shoulder blade were tight, which may limit turning "
                 "your head."),
    Presentation("Low back ache when standing up after sitting; sore on the right side",
                 ("Quadratus lumborum", "Gluteus medius", "Iliopsoas"),
                 ("anterior_pelvic_tilt", "lateral_pelvic_tilt"), ("lumbar_flexion", "hip_flexion"),
                 ("low back", "right hip"), ("heat", "hip_flexor_stretch", "gentle_walking"),
                 ("pir", "slow_active_movement"),
                 "Deep muscles of your low back and hip were tender and may be behind the ache "
                 "when you stand up."),
    Presentation("Pain in the buttock running down the back of the leg after long drives",
                 ("Piriformis", "Gluteus minimus", "Gluteus maximus"),
                 ("lateral_pelvic_tilt",), ("hip_medial_rotation", "straight_leg_raise"),
                 ("buttock", "back of thigh"),
                 ("piriformis_stretch", "ball_self_massage", "gentle_walking"),
                 ("active_pin_and_stretch", "pressure_release"),
                 "Muscles deep in the buttock may send pain down the leg; we worked on them gently."),
    Presentation("Jaw aches in the morning, clicking when chewing; dentist says I grind at night",
                 ("Masseter", "Temporalis"), ("forward_head",), ("cervical_flexion",),
                 ("jaw", "cheek"), ("heat", "micro_breaks"), ("pir", "breathing"),
                 "Your chewing muscles were tight, which may add to the morning jaw ache."),
    Presentation("Calves tight and crampy during runs; training for a half marathon",
                 ("Gastrocnemius", "Soleus", "Tensor fasciae latae"), ("foot_pronation",),
                 ("ankle_dorsiflexion",), ("calf", "outer thigh"),
                 ("calf_stretch", "foam_roller_compression", "activity_pause"),
                 ("contract_relax", "slow_active_movement"),
                 "Your calf muscles were tight after training; easing them may help your runs."),
    Presentation("Shoulder stiff and painful reaching overhead and behind my back for two months",
                 ("Subscapularis", "Infraspinatus", "Teres minor", "Supraspinatus"),
                 ("rounded_shoulders",), ("shoulder_abduction", "shoulder_external_rotation"),
                 ("shoulder", "upper arm"), ("heat", "doorway_chest_stretch", "ball_self_massage"),
                 ("reciprocal_inhibition", "positional_release"),
                 "The muscles around your shoulder blade were tight and may limit reaching."),
    Presentation("Heel pain with the first steps in the morning",
                 ("Soleus", "Abductor hallucis", "Gastrocnemius"), ("foot_pronation",),
                 ("ankle_dorsiflexion",), ("heel", "arch"), ("calf_stretch", "ball_self_massage", "cold"),
                 ("pressure_release", "slow_active_movement"),
                 "Calf and foot muscles can send pain to the heel; we worked on both."),
)

EXPECT = ("Mild soreness, like after a workout, is normal for 24-48 hours.",
          "You may feel a little tender where we worked for a day or two.")
# days from each client's last visit to today, client by client (cycled): with next visits
# planned 1 to 4 weeks out, most are due soon or booked ahead, some overdue, one lapsed
LAST_VISIT_LAGS = (2, 9, 33, 5, 16, 1, 47, 12, 200, 7, 3, 26)

HOME_SIDES = ("right", "left", "right", "bilateral", "left")  # each client's main point, cycled

CONTACT = ("Get in touch if pain is severe or lasts more than two days, or if you notice numbness, "
           "tingling, swelling, dizziness or nausea.")


# intakes, client by client (cycled; None: no intake taken yet). `reviewed` is days ago: one is
# more than a year old, so the client screen asks for a review
INTAKES: tuple[dict[str, object] | None, ...] = (
    {"conditions": ["high_blood_pressure"],
     "medications": [{"name": "Ramipril", "dose": "5 mg once daily"}],
     "providers": "Dr Amara Singh (GP), 555-0100", "emergency_contact": "Sam (partner) 555-0111",
     "occupation": "Accountant", "activities": "Walks every day",
     "goals": "Get through a full day at the desk without a headache", "reviewed": 40},
    {"conditions": ["arthritis"],
     "medications": [{"name": "Naprosyn", "dose": "500 mg twice daily"}],
     "surgeries": [{"what": "ACL repair, left knee", "when": "2019-04"}],
     "providers": "Dr Chen (GP); physiotherapist at Eastside Physio",
     "emergency_contact": "Ruth (daughter) 555-0123", "occupation": "Nurse, night shifts",
     "activities": "Yoga twice a week", "goals": "Lift my grandchild without shoulder pain",
     "reviewed": 400},
    {"conditions_note": "Mild asthma", "allergies": "Latex",
     "medications": [{"name": "Salbutamol inhaler", "dose": "as needed"}],
     "occupation": "Carpenter", "activities": "Runs 5 km three times a week",
     "emergency_contact": "Lee (brother) 555-0177", "goals": "Run a half marathon in the spring",
     "reviewed": 10},
    None,
)


def _intake(index: int, today: date) -> Intake | None:
    preset = INTAKES[index % len(INTAKES)]
    if preset is None:
        return None
    values = {k: v for k, v in preset.items() if k != "reviewed"}
    ago = preset["reviewed"]
    assert isinstance(ago, int)
    return parse_intake(values | {"reviewed_on": today - timedelta(days=ago)})


PSFS_ACTIVITIES = ("Sitting at work for an hour", "Lifting a laundry basket",
                   "Sleeping through the night")


def _plan(index: int, first: date, last: date) -> Plan:
    """A plan made at the first visit: two goals, weekly or every two weeks for six sessions,
    re-assessed after four weeks; every fifth client's was ended at the last visit."""
    met = index % 3 == 2
    goals = [
        Goal(text="Sit at work for an hour without pain", measure="PSFS: sitting at work",
             target="7 or more", status=GoalStatus.MET if met else GoalStatus.PARTLY),
        Goal(text="Sleep through the night", term=GoalTerm.LONG, measure="waking with pain",
             target="not at all", status=GoalStatus.PARTLY if met else GoalStatus.NOT_YET),
    ]
    plan = Plan(started_on=first, goals=goals, frequency_days=7 if index % 2 else 14,
                sessions=6, modalities="NMT, trigger point release, stretching",
                regions="the main area of complaint", reassess_on=first + timedelta(days=28))
    if index % 5 == 4:
        plan = plan.model_copy(update={"discharge": Discharge(
            on=last, status=DischargeStatus.PARTLY, reason="the client moved away",
            summary="Sitting much improved; sleep still broken some nights.",
            recommendations="Keep the home stretches; see a physiotherapist nearby.")})
    return plan


def _psfs(index: int, days: list[date]) -> list[MeasureTaken]:
    """Deterministic PSFS scores (no draws: the same notes per seed), better at the later visit
    by 2 to 4 points, as a course of care that helps."""
    first = [2 + (index + k) % 3 for k in range(3)]
    gain = 2 + index % 3
    out = []
    for day, scores in zip(days, (first, [min(10, x + gain) for x in first]), strict=True):
        items = [ItemScore(label=a, score=float(x)) for a, x in zip(PSFS_ACTIVITIES, scores,
                                                                   strict=True)]
        out.append(MeasureTaken(measure="psfs", taken_on=day, items=items,
                                score=round(sum(scores) / 3, 2)))
    return out


def _content(rng: random.Random, catalog: Catalog, p: Presentation, visit: int, visits: int,
             final: bool, home_side: str = "") -> NoteContent:
    """One visit's note. The presentation's first muscle is the client's main point: on
    `home_side` each visit and active for the first three quarters of the course, so the
    sample data has points that keep coming back (the recurrence grid); the other points vary."""
    progress = visit / max(1, visits - 1)
    before = max(1, min(10, round(rng.gauss(7.5 - 4 * progress, 0.9))))
    after = max(0, min(before, round(before - rng.uniform(1, 3.5))))
    sides = ["left", "right", "bilateral"]
    tps: list[dict] = []
    muscles: list[dict] = []
    for name in p.muscles:
        found = catalog.find_muscles(name, limit=1)
        if not found:
            continue
        m = found[0]
        side = rng.choice(sides)
        label = rng.choice(["", "TrP1", "TrP2"])
        activity = rng.choice(["active", "active", "latent"])
        if home_side and not tps:  # the main point (the draws above keep each seed's notes)
            side = home_side
            activity = "active" if progress < 0.75 else activity
        tps.append({"muscle_id": m.id, "side": side, "referred_pain": m.referral_clinical,
                    "label": label, "activity": activity,
                    "technique": rng.choice(["ischemic_compression", "pin_and_stretch"]),
                    "pressure": rng.randint(4, 8),
                    "response": rng.choice(["released", "reduced", "referral_reproduced",
                                            "unchanged"])})
        if rng.random() < 0.5:
            muscles.append({"muscle_id": m.id, "side": side,
                            "finding": rng.choice(["hypertonic", "tender", "taut_band"])})
    posture = []
    for name in p.posture:
        f = catalog.posture.get(name)
        if f:
            posture.append({"finding_id": f.id,
                            "side": rng.choice(["left", "right"]) if f.sided else None})
    rom = []
    for name in p.rom:
        t = catalog.rom.get(name)
        if t:
            deg = t.normal_degrees
            rom.append({"test_id": t.id, "side": rng.choice(["left", "right"]) if t.sided else None,
                        "result": "degrees" if deg else "limited",
                        "degrees": int(deg * rng.uniform(0.6, 0.95)) if deg else None,
                        "painful": rng.random() < 0.4})
    cues = []
    for name in p.cues:
        c = catalog.cues.get(name)
        if c:
            cues.append({"cue_id": c.id, "trigger_point": 1 if tps else None,
                         "response": rng.choice(["eased", "less tender", "felt a stretch", ""])})
    care = []
    for name in p.home_care:
        h = catalog.home_care.get(name)
        if h:
            care.append({"item_id": h.id, "dosage": h.dosage.as_dict()})
    return NoteContent.model_validate({
        "duration_minutes": rng.choice([45, 60, 60, 75, 90]),
        "technique": "neuromuscular" if rng.random() < 0.85 else "deep_tissue",
        "complaint": p.complaint if visit == 0 else rng.choice(
            ["Better than last time, still " + p.locations[0] + " by evening",
             "Flared up after a busy week", "Much improved; " + p.locations[0] + " only at times",
             p.complaint]),
        "pain_before": before, "pain_locations": list(p.locations),
        "posture": posture, "rom": rom, "muscles": muscles,
        "therapist_summary": f"Visit {visit + 1}. Palpation reproduced the familiar pattern.",
        "client_summary": p.summary,
        "trigger_points": tps, "cues": cues,
        "pain_after": after if final or rng.random() < 0.5 else None,
        "next_visit_days": rng.choice([7, 14, 14, 21, 28]),
        "home_care": care,
        "advice": "Keep moving gently; use heat in the evening if it feels tight.",
        "what_to_expect": rng.choice(EXPECT), "when_to_contact": CONTACT,
    })


def generate(catalog: Catalog, *, clients: int, notes: int, seed: int, tz: str,
             therapist: str, registration: str, today: date | None = None,
             progress: Progress | None = None) -> tuple[list[ClientIn], list[NoteIn]]:
    rng = random.Random(seed)
    today = today or datetime.now(ZoneInfo(tz)).date()  # the clinic's day, as `due` counts
    epoch = datetime(2020, 1, 1, tzinfo=UTC)
    client_in: list[ClientIn] = []
    for cid in range(1, clients + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        created = epoch + timedelta(days=rng.randint(0, 300))
        dob = date(rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28))
        client_in.append(ClientIn(cid, ClientFields(
            name=f"{first} {last}", preferred_name=first if rng.random() < 0.3 else "",
            date_of_birth=dob, phone=f"555-01{rng.randint(0, 99):02d}",
            email=f"{first.lower()}.{cid}@example.org".encode("ascii", "ignore").decode(),
            health_history=rng.choice(["", "Desk job; runs twice a week.", "Mild asthma."]),
            contraindications=rng.choice(["", "", "Avoid deep pressure over varicose veins."]),
            consent_on_file=created.date(), sensitive_area_consent=rng.random() < 0.2,
            intake=_intake(cid - 1, today)),
            archived=False, created_at=created, updated_at=created))
    per_client = [notes // clients + (1 if i < notes % clients else 0) for i in range(clients)]
    note_in: list[NoteIn] = []
    nid = 0
    if progress is not None:
        progress(0, notes)
    span_days = max(30, (today - date(2021, 1, 1)).days)
    for index, (client, count) in enumerate(zip(client_in, per_client, strict=True)):
        p = rng.choice(PRESENTATIONS)
        rng.randint(0, max(1, span_days - count * 14))  # drawn, unused: the same notes per seed
        pending = []
        offset = 0
        for visit in range(count):
            nid += 1
            draft = visit == count - 1 and rng.random() < 0.1
            gap = rng.randint(7, 21)  # days since the visit before
            offset += gap if visit else 0
            clock = rng.choice([9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30])
            content = _content(rng, catalog, p, visit, count, final=not draft,
                               home_side=HOME_SIDES[index % len(HOME_SIDES)])
            final_minutes = None if draft else 65 + rng.randint(0, 45)
            pending.append((nid, offset, clock, content, draft, final_minutes))
        # the course of visits ends LAST_VISIT_LAGS days before today: most clients come
        # regularly, a few are overdue and one has lapsed (notes-tui due)
        base = today - timedelta(days=LAST_VISIT_LAGS[index % len(LAST_VISIT_LAGS)] + offset)
        if client.fields.intake is not None and len(pending) >= 3:
            # the PSFS at the first and the third visit (the loop's measure of change), and a
            # plan of care made at the first visit (one client's already discharged)
            visits = [base + timedelta(days=v[1]) for v in pending]
            client.fields.measures = _psfs(index, [visits[0], visits[2]])
            client.fields.plans = [_plan(index, visits[0], visits[-1])]
        for note_id, days, (hour, minute), content, draft, final_minutes in pending:
            day = base + timedelta(days=days)
            when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
            final_at = None if final_minutes is None else when + timedelta(minutes=final_minutes)
            note_in.append(NoteIn(
                note_id, client.source_id, therapist, registration, when, tz,
                NoteStatus.DRAFT.value if draft else NoteStatus.FINAL.value,
                final_at, None if draft else therapist, None, when, content, []))
            if progress is not None and note_id % 100 == 0:
                progress(note_id, notes)
    return client_in, note_in


def load_demo(catalog: Catalog, *, session: Session, clients: int, notes: int, seed: int, tz: str,
              therapist: str, registration: str, today: date | None = None,
              progress: Progress | None = None) -> ImportResult:
    """Write the sample data; `today` fixes the calendar (tests and screenshots), default now.
    `progress(done, total)` counts each note twice, made and then written, and one last step
    (the search index and the ids)."""
    made = written = None
    if progress is not None:
        def made(done: int, _total: int) -> None:
            progress(done, 2 * notes + 1)

        def written(done: int, total: int) -> None:
            progress(notes + done, notes + total)

    c, n = generate(catalog, clients=clients, notes=notes, seed=seed, tz=tz,
                    therapist=therapist or "Demo Therapist", registration=registration or "DEMO-1",
                    today=today, progress=made)
    return write_records(session, c, n, actor=therapist or "demo", action=AuditAction.CREATE,
                         progress=written)
