"""Test data for the PDF renderer: a full demo handout, a demo clinical record, PDF text helpers
and the hostile strings of tests/data/hostile-inputs.json (tests.conftest.hostile)."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from datetime import date

from notes_tui.export.model import (
    ChartPoint,
    Clinic,
    Dosage,
    HandoutData,
    PainPoint,
    Practice,
    RecordData,
    RecordNote,
    RecordSection,
    TreatedPoint,
)
from tests.conftest import hostile  # noqa: F401  (one list, one reader)

CLINIC = Clinic(
    name="Harbour Street Massage Therapy",
    therapist_name="Ana Lee",
    registration="RMT-1234",
    phone="416-555-0199",
    email="hello@harbourmassage.example",
    address="12 Harbour Street, Suite 4, Toronto ON M5J 1A1",
    website="harbourmassage.example",
)

POINTS = (
    TreatedPoint(
        1,
        "Upper trapezius (top of the shoulder)",
        "bilateral",
        "the side of your neck, behind your ear and your temple",
        "eased during treatment",
        (ChartPoint("back", 0.28, 0.175),),
    ),
    TreatedPoint(
        2,
        "Levator scapulae (side of the neck)",
        "right",
        "the angle of your neck and the inner edge of your shoulder blade",
        "softened and eased",
        (ChartPoint("back", 0.17, 0.2),),
    ),
    TreatedPoint(
        3,
        "Infraspinatus (on the shoulder blade)",
        "left",
        "the front of your shoulder and down the outside of your arm",
        "the pain it sent down your arm came and went",
        (ChartPoint("back", 0.3, 0.25),),
    ),
    TreatedPoint(
        4,
        "Pectoralis minor (small chest muscle)",
        "right",
        "the front of your shoulder and down the inside of your arm",
        "eased during treatment",
        (ChartPoint("front", 0.28, 0.23),),
    ),
    TreatedPoint(
        5,
        "Gluteus medius (side of the hip)",
        "left",
        "your lower back, buttock and the side of your hip",
        "",
        (ChartPoint("back", 0.28, 0.47),),
    ),
)

CUES = (
    Practice(
        "Shoulder blade setting",
        "Gently draw your shoulder blades down and slightly "
        "together, as if putting them in your back pockets. Breathe normally.",
    ),
    Practice(
        "Chin tuck",
        "Slide your chin straight back, making a small double chin, then "
        "relax. Keep your eyes level.",
    ),
)

HOME_CARE = (
    Practice(
        "Doorway chest stretch",
        "Stand in a doorway with your forearms on the frame at "
        "shoulder height and step through until you feel a stretch across the chest.",
        Dosage(sets=2, reps=3, hold_seconds=30, frequency="twice a day"),
    ),
    Practice(
        "Neck side stretch",
        "Sit tall. Tip your ear towards your shoulder until you feel a "
        "gentle stretch on the other side.\nDo both sides.",
        Dosage(sets=2, reps=10, hold_seconds=30, frequency="twice a day"),
    ),
    Practice(
        "Heat on the neck and shoulders",
        "A warm (not hot) pack over a towel.",
        Dosage(minutes=15, frequency="in the evening"),
    ),
)


def make_handout(**overrides) -> HandoutData:
    data = HandoutData(
        clinic=CLINIC,
        client_name="Sam Rivera",
        note_id=12,
        session_date=date(2026, 11, 25),
        session_time="14:30",
        duration_minutes=60,
        technique="Neuromuscular therapy",
        client_summary=(
            "You came in with a stiff neck and an ache over the right shoulder blade that gets "
            "worse after long days at the computer.\nWe found tight, tender spots in the muscles "
            "on top of both shoulders and along the right side of the neck."
        ),
        posture_findings=(
            "Your head sits a little forward of your shoulders.",
            "Your right shoulder sits slightly higher than the left.",
        ),
        pain_before=6,
        pain_after=3,
        treated_points=POINTS,
        movement_cues=CUES,
        home_care=HOME_CARE,
        next_visit="in 2 weeks (around 9 December 2026)",
        advice="Drink some water and keep moving gently today.\n\nTake short breaks from the "
        "screen every 30 minutes: stand up and roll your shoulders.",
        what_to_expect="Some tenderness for a day or two is normal, like after a workout.",
        when_to_contact="Call us if the pain gets worse after 48 hours, or if you feel numbness "
        "or tingling down your arm.",
        referral="If the arm tingling comes back, see your family doctor.",
        progress=(
            PainPoint(date(2026, 10, 28), 8, 5),
            PainPoint(date(2026, 11, 11), 7, 4),
            PainPoint(date(2026, 11, 25), 6, 3),
        ),
        made_on=date(2026, 11, 25),
    )
    return dataclasses.replace(data, **overrides)


def make_record(**overrides) -> RecordData:
    session = RecordSection(
        "Session",
        (
            ("Start", "2026-11-25 14:30 EST (UTC-0500)"),
            ("Duration", "60 min"),
            ("Technique", "Neuromuscular therapy"),
            ("Therapist", "Ana Lee (RMT-1234)"),
        ),
    )
    assessment = RecordSection(
        "Assessment",
        (
            ("Complaint", "Stiff neck, right shoulder blade ache"),
            ("Health history", "RECORD-ONLY-HISTORY: mild asthma\nno surgery"),
            ("Therapist summary", "Active TrPs bilateral upper trapezius."),
            ("Empty field", ""),
        ),
    )
    note = RecordNote(
        "Session 2026-11-25 14:30 (final, note 12)",
        (session, assessment),
        (
            RecordSection(
                "Amendment 2026-11-26 09:10 UTC by Ana Lee",
                (("Reason", "typo in pressure"), ("Text", "Pressure was 6/10, not 8/10.")),
            ),
        ),
    )
    data = RecordData(
        clinic=CLINIC,
        client_name="Samuel Rivera",
        client_sections=(
            RecordSection("Client", (("Name", "Samuel Rivera"), ("Preferred name", "Sam"))),
        ),
        notes=(note,),
        audit_summary=(("2026-11-25 15:40 UTC", "#1 finalize note 12 by Ana Lee"),),
        made_on=date(2026, 11, 27),
    )
    return dataclasses.replace(data, **overrides)


def pdf_pages(pdf: bytes, password: str | None = None) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() or "" for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def squash(s: str) -> str:
    """NFKC with all whitespace removed: for "does this text come back out of the PDF"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


FURNITURE = (
    "Harbour Street Massage Therapy",
    "Ana Lee, registration no. RMT-1234",
    "12 Harbour Street, Suite 4, Toronto ON M5J 1A1",
    "416-555-0199",
    "Confidential",
    "Made ",
    "Page ",
    "Clinical record",
)


def body_text(pdf: bytes) -> str:
    """The text of all pages without the header and footer lines, so that a paragraph broken
    across a page boundary reads as one piece."""
    lines = [
        line
        for page in pdf_pages(pdf)
        for line in page.splitlines()
        if not line.startswith(FURNITURE)
    ]
    return "\n".join(lines)
