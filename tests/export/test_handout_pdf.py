"""The client handout: content, sections, size, determinism, draft mark, progress chart."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import pytest

from notes_tui.export import HandoutData, PainPoint, render_handout
from notes_tui.export.model import Clinic, Dosage
from notes_tui.export.story import build_story, long_date, pain_line
from notes_tui.export.styles import stylesheet
from tests.export.factories import make_handout, page_count, pdf_pages, pdf_text


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    return render_handout(make_handout())


def test_demo_handout_shows_every_section(demo_pdf):
    data = make_handout()
    text = flat(pdf_text(demo_pdf))
    expected = [
        "Notes from your session",
        "Sam Rivera",
        "Wednesday 25 November 2026 at 14:30",
        "60 minutes",
        "Neuromuscular therapy",
        "What we found",
        *[flat(line) for line in data.client_summary.split("\n")],
        *data.posture_findings,
        "Pain before: 6/10 \u2192 after: 3/10",
        "What we worked on",
        "May send pain to",
        *[p.muscle_plain for p in data.treated_points],
        *[p.refers_to for p in data.treated_points],
        *[p.response for p in data.treated_points if p.response],
        "Front",
        "Back",
        "Movements from your session",
        *[c.title for c in data.movement_cues],
        "At home",
        *[flat(c.instructions) for c in data.movement_cues],
        *[h.title for h in data.home_care],
        *[h.dosage.text() for h in data.home_care],
        "2 sets of 3, hold 30 s, twice a day",
        "for 15 minutes, in the evening",
        "Your plan",
        "Next visit: in 2 weeks (around 9 December 2026)",
        data.what_to_expect,
        data.when_to_contact,
        data.referral,
        "Drink some water and keep moving gently today.",
        "Your progress",
        "Before the session",
        "After the session",
        "Harbour Street Massage Therapy",
        "Ana Lee, registration no. RMT-1234",
        "416-555-0199",
        "hello@harbourmassage.example",
        "Confidential - prepared for Sam Rivera",
        "Made 25 November 2026",
    ]
    missing = [e for e in expected if flat(e) not in text]
    assert not missing


def test_sections_come_in_order(demo_pdf):
    text = flat(pdf_text(demo_pdf))
    order = [
        "Notes from your session",
        "What we found",
        "What we worked on",
        "Movements from your session",
        "At home",
        "Your plan",
        "Your progress",
    ]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)


def test_demo_handout_is_at_most_two_pages_and_small(demo_pdf):
    pages = pdf_pages(demo_pdf)
    assert len(pages) <= 2
    assert len(demo_pdf) < 75_000, f"{len(demo_pdf)} bytes"
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page


def test_metadata_has_no_client_name(demo_pdf):
    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(demo_pdf)).metadata
    assert meta.title == "Session handout"
    assert meta.author == "Harbour Street Massage Therapy"
    assert "Sam" not in " ".join(str(v) for v in meta.values())


def test_letter_paper_and_accent_colour():
    from pypdf import PdfReader

    clinic = dataclasses.replace(
        make_handout().clinic, paper_size="Letter", accent_colour="#FFEE00"
    )
    pdf = render_handout(make_handout(clinic=clinic))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_invariant_output_is_byte_identical():
    data = make_handout(draft=True)
    assert render_handout(data, invariant=True) == render_handout(data, invariant=True)


def test_two_sessions_give_a_progress_chart_and_one_gives_none():
    two = make_handout(
        progress=(PainPoint(date(2026, 11, 1), 7, 4), PainPoint(date(2026, 11, 25), 6, None))
    )
    one = make_handout(progress=(PainPoint(date(2026, 11, 25), 6, 3),))

    def roles(data: HandoutData) -> list[str]:
        return [
            getattr(f, "role", None) for f in _flatten(build_story(data, stylesheet(data.clinic)))
        ]

    assert "progress-chart" in roles(two)
    assert "progress-chart" not in roles(one)
    assert "Your progress" in pdf_text(render_handout(two))
    assert "Your progress" not in pdf_text(render_handout(one))


def _flatten(flowables) -> list:
    out = []
    for f in flowables:
        out.append(f)
        out += _flatten(getattr(f, "_content", []) or [])
    return out


def test_draft_is_marked_on_every_page_and_final_is_not():
    long_advice = "\n".join(f"Line {i} of advice about moving gently." for i in range(120))
    draft = render_handout(make_handout(draft=True, advice=long_advice))
    pages = pdf_pages(draft)
    assert len(pages) >= 3
    assert all("DRAFT" in p for p in pages)
    assert "DRAFT" not in pdf_text(render_handout(make_handout(advice=long_advice)))


def test_empty_sections_are_left_out_but_the_plan_stays():
    empty = make_handout(
        client_summary="",
        posture_findings=(),
        pain_before=None,
        pain_after=None,
        treated_points=(),
        movement_cues=(),
        home_care=(),
        next_visit="",
        advice="",
        what_to_expect="",
        when_to_contact="",
        referral="",
        progress=(),
    )
    text = flat(pdf_text(render_handout(empty)))
    for heading in ("What we found", "What we worked on", "Movements from your session",
                    "At home", "Your progress"):
        assert heading not in text
    assert "Your plan" in text and "When to get in touch" in text
    assert "get in touch with us (416-555-0199 or hello@harbourmassage.example)" in text


def test_the_plan_shows_when_to_contact_alone():
    data = make_handout(
        next_visit="",
        advice="",
        what_to_expect="",
        referral="",
        when_to_contact="Call if it gets worse.",
    )
    text = flat(pdf_text(render_handout(data)))
    assert "Your plan When to get in touch Call if it gets worse." in text


def test_pain_line_and_dates():
    assert pain_line(6, 3) == "Pain before: 6/10 \u2192 after: 3/10"
    assert pain_line(6, None) == "Pain before: 6/10"
    assert pain_line(None, 0) == "Pain after: 0/10"
    assert pain_line(None, None) == ""
    assert long_date(date(2026, 11, 25)) == "Wednesday 25 November 2026"


def test_handout_model_has_no_therapist_only_fields():
    names = {f.name for f in dataclasses.fields(HandoutData)}
    forbidden = {
        "health_history",
        "contraindications",
        "therapist_summary",
        "amendments",
        "amendment_reason",
        "complaint",
        "date_of_birth",
    }
    assert not names & forbidden


# Words the handout itself writes (labels, captions, dates); anything else must come from the data.
TEMPLATE_WORDS = set(
    [
        "Face",  # the head-and-neck close-up: "Face and neck, front", "Head and neck, back"
        "Head",
        "neck",
        "Notes",
        "from",
        "your",
        "session",
        "For",
        "Session",
        "at",
        "minutes",
        "What",
        "we",
        "found",
        "Your",
        "posture",
        "Pain",
        "before",
        "after",
        "means",
        "no",
        "pain",
        "is",
        "the",
        "worst",
        "you",
        "can",
        "imagine",
        "worked",
        "on",
        "The",
        "numbers",
        "match",
        "markers",
        "body",
        "chart",
        "Muscle",
        "Side",
        "May",
        "send",
        "to",
        "How",
        "it",
        "responded",
        "Both",
        "sides",
        "Left",
        "Right",
        "Front",
        "Back",
        "L",
        "R",
        "left",
        "side",
        "and",
        "right",
        "Movements",
        "did",
        "table",
        "these",
        "together",
        "during",
        "At",
        "home",
        "Go",
        "gently",
        "a",
        "stretch",
        "should",
        "feel",
        "like",
        "not",
        "We",
        "plan",
        "Next",
        "visit",
        "Advice",
        "expect",
        "When",
        "get",
        "in",
        "touch",
        "Other",
        "care",
        "suggest",
        "progress",
        "score",
        "each",
        "Before",
        "After",
        "Confidential",
        "prepared",
        "Made",
        "Page",
        "of",
        "registration",
        "no",
        "Wednesday",
        "November",
        "sets",
        "hold",
        "s",
        "twice",
        "day",
        "set",
        "times",
        "In",
        "full",
        "Nov",
        "Oct",
    ]
)


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, Dosage):
        return [obj.text()]
    if dataclasses.is_dataclass(obj):
        return [s for f in dataclasses.fields(obj) for s in _strings(getattr(obj, f.name))]
    if isinstance(obj, tuple):
        return [s for item in obj for s in _strings(item)]
    return [str(obj)] if isinstance(obj, int) else []


def test_a_marker_in_the_client_summary_appears_and_nothing_else_leaks():
    marker = "ZQXMARKER"
    data = make_handout(client_summary=f"Summary for the client {marker} here.")
    text = pdf_text(render_handout(data))
    assert text.count(marker) == 1
    allowed = {w for s in _strings(data) for w in re.findall(r"[A-Za-z]+", s)} | TEMPLATE_WORDS
    unexplained = set(re.findall(r"[A-Za-z]+", text)) - allowed
    assert not unexplained


def test_clinic_without_details_and_a_missing_logo():
    data = make_handout(clinic=Clinic(logo_path="/nonexistent/logo.png"))
    assert page_count(render_handout(data)) >= 1
