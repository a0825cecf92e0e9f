"""One read model: every view of a note renders the same presentation.

The editor's review step prints the handout's client sections word for word (the PDF is read
back with pdftotext), and every string the therapist typed shows wherever its row shows: a
marker in every field of a note reaches each view that should show it, and the handout none of
the therapist-only ones.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from notes_tui.domain.enums import Side
from notes_tui.export.sections import SECTION_HEADINGS
from notes_tui.paths import templates_dir
from notes_tui.services import notes
from notes_tui.services.clients import create_client
from notes_tui.services.handouts import (
    client_sections_of,
    export_handout,
    handout_clinic,
    load_handout_template,
    progress_of,
)
from notes_tui.services.presentation import meta_of, present_view
from notes_tui.services.records import export_record
from notes_tui.ui.screens.client import findings_text
from notes_tui.ui.screens.editor.review import client_text, previous_text
from notes_tui.ui.screens.note_view import note_text

TEMPLATE = templates_dir() / "handout" / "handout.toml"

# Client-facing markers: the review and the handout show each of them.
CLIENT_NOTE = {
    "posture": [{"finding_id": "forward_head", "text": "MK-posture1-own"},
                {"text": "MK-posture2-custom", "side": "left"}],
    "client_summary": "MK-csummary",
    "trigger_points": [
        {"muscle_id": "upper_trapezius", "muscle": "MK-tp1-muscle", "side": "left",
         "label": "MK-tp1-label", "referred_pain": "MK-tp1-referred", "pressure": 6,
         "response": "released", "note": "MK-tp1-note"},
        {"muscle": "MK-tp2-muscle", "side": "right", "label": "MK-tp2-label",
         "referred_pain": "MK-tp2-referred", "pressure": 4, "response": "reduced",
         "note": "MK-tp2-note"},
    ],
    "cues": [{"cue_id": "pir", "text": "MK-cue1-own", "trigger_point": 1,
              "response": "MK-cue1-response"},
             {"text": "MK-cue2-custom", "muscle_id": "upper_trapezius",
              "response": "MK-cue2-response"}],
    "home_care": [{"item_id": "heat", "text": "MK-care1-own",
                   "dosage": {"minutes": 15, "frequency": "MK-care1-often"}},
                  {"text": "MK-care2-custom", "dosage": {"sets": 2, "reps": 10,
                                                         "frequency": "MK-care2-often"}}],
    "advice": "MK-advice", "what_to_expect": "MK-expect", "when_to_contact": "MK-contact",
    "referral": "MK-referral",
}
THERAPIST_NOTE = {
    "complaint": "MK-complaint",
    "pain_locations": ["MK-painlocation"],
    "rom": [{"test_id": "cervical_rotation", "movement": "MK-rom1-own", "side": "left",
             "result": "degrees", "degrees": 55, "painful": True},
            {"movement": "MK-rom2-custom", "result": "limited"}],
    "muscles": [{"muscle_id": "levator_scapulae", "muscle": "MK-muscle1-own", "side": "right",
                 "finding": "taut_band", "note": "MK-muscle1-note"},
                {"muscle": "MK-muscle2-custom", "finding": "tender", "note": "MK-muscle2-note"}],
    "therapist_summary": "MK-tsummary",
}
CLIENT = {"name": "MK-client-name", "preferred_name": "MK-preferred", "phone": "555-0100",
          "email": "mk@example.org", "health_history": "MK-health",
          "contraindications": "MK-contraindications", "consent_on_file": "2026-01-05"}
AMENDMENT = {"reason": "MK-amend-reason", "text": "MK-amend-text"}


def _markers(value) -> set[str]:
    return set(re.findall(r"MK-[a-z0-9-]+", repr(value)))


CLIENT_MARKERS = _markers(CLIENT_NOTE) - {"MK-tp1-muscle", "MK-tp1-label", "MK-tp2-label",
                                          "MK-tp1-referred", "MK-tp1-note", "MK-tp2-note"}
# What a client must never read: the assessment, the therapist's summary, a point's label and
# note, a catalog point's clinical "refers to", health, and why a note was amended.
THERAPIST_ONLY = (_markers(THERAPIST_NOTE) | _markers(AMENDMENT)
                  | {"MK-tp1-label", "MK-tp2-label", "MK-tp1-note", "MK-tp2-note",
                     "MK-tp1-referred", "MK-tp1-muscle", "MK-health", "MK-contraindications",
                     "MK-client-name"})
ALL_NOTE = _markers(CLIENT_NOTE) | _markers(THERAPIST_NOTE)


def _content(**over) -> dict:
    return {"duration_minutes": 60, "pain_before": 6, "pain_after": 3, "next_visit_days": 14,
            **CLIENT_NOTE, **THERAPIST_NOTE, **over}


def pdf_text(path: Path) -> str:
    """The PDF's text in content-stream order (a table reads cell by cell), whitespace
    normalised: the PDF wraps lines where the review does not."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True, text=True).stdout
    return " ".join(out.split())


def _norm(s: str) -> str:
    return " ".join(s.split())


def review_items(text: str) -> list[str]:
    """The headings and sentences of the review text, in order, without its own marks: the
    "(to confirm)" flags, a treated point's row as its cells, no chart placeholders."""
    items = []
    for raw in text.splitlines():
        line = _norm(raw.replace("(to confirm)", ""))
        if not line or line.startswith("("):
            continue
        if m := re.fullmatch(r"(\d+)\. (.+) · (.+)", line):
            items += [m.group(2), m.group(3)]
        elif m := re.fullmatch(r"(May send pain to|How it responded): (.+)", line):
            items.append(m.group(2))
        else:
            items.append(line.removeprefix("• "))
    return items


def assert_in_order(items: list[str], text: str) -> None:
    at = 0
    for item in items:
        found = text.find(item, at)
        assert found >= 0, f"{item!r} is in the review but not in the PDF after {text[at:at + 80]!r}"
        at = found + len(item)


def _client(ctx) -> int:
    with ctx.write() as s:
        return create_client(CLIENT, session=s, actor="Ana Lee").id


def _review(ctx, note_id: int) -> str:
    with ctx.read() as s:
        view = notes.get_note(note_id, session=s)
        progress = progress_of(view, session=s)
    sections = client_sections_of(view.content, meta_of(view), ctx.catalog,
                                  clinic=handout_clinic(ctx.settings), progress=progress)
    return client_text(sections).plain


def _handout(ctx, note_id: int, tmp_path: Path, preview: bool = False) -> str:
    result = export_handout(ctx, note_id, template=load_handout_template(TEMPLATE, None),
                            exports=tmp_path / "exports", preview=preview)
    return pdf_text(result.path)


def _check_review_is_the_handout(review: str, pdf: str) -> None:
    items = review_items(review)
    assert_in_order(items, pdf)
    headings = [h for h in SECTION_HEADINGS if h in items]
    assert headings == [h for h in SECTION_HEADINGS if h in pdf], \
        "the PDF has a client section the review lacks"


def test_review_shows_the_handout_word_for_word(ctx, tmp_path):
    cid = _client(ctx)
    for before in (7, 6):  # two finalized sessions: the handout shows "Your progress"
        with ctx.write() as s:
            final = notes.start_draft(cid, session=s, settings=ctx.settings,
                                      content=_content(pain_before=before)).id
        with ctx.write() as s:
            notes.finalize(final, session=s, actor="Ana Lee")
    # A later draft with template suggestions still to confirm (rows and plan fields)
    content = _content(to_confirm=["advice", "next_visit"])
    content["trigger_points"] = [{**content["trigger_points"][0], "confirmed": False},
                                 content["trigger_points"][1]]
    content["home_care"] = [{**content["home_care"][0], "confirmed": False}]
    with ctx.write() as s:
        draft = notes.start_draft(cid, session=s, settings=ctx.settings, content=content).id
    for note_id, preview in ((final, False), (draft, True)):
        review = _review(ctx, note_id)
        _check_review_is_the_handout(review, _handout(ctx, note_id, tmp_path, preview=preview))
    review = _review(ctx, draft)
    assert "Your progress" in review
    assert review.count("(to confirm)") == 4  # a point, a home-care item, advice, next visit
    assert "Advice  (to confirm)" in review and "Next visit: " in review


def test_the_review_of_an_empty_note_is_its_handout(ctx, tmp_path):
    cid = _client(ctx)
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
    review = _review(ctx, nid)
    assert review.splitlines()[0] == "Your plan"  # only what the PDF prints: when to get in touch
    _check_review_is_the_handout(review, _handout(ctx, nid, tmp_path, preview=True))


@pytest.fixture
def marked(ctx):
    """A finalized note with a marker in every field, amended once: (client id, note id)."""
    cid = _client(ctx)
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=_content()).id
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    with ctx.write() as s:
        notes.amend(nid, session=s, actor="Ana Lee", **AMENDMENT)
    return cid, nid


def _missing(markers: set[str], text: str) -> set[str]:
    return {m for m in markers if m not in text}


def test_every_marker_reaches_every_view_that_shows_its_row(ctx, marked, tmp_path):
    cid, nid = marked
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
    pres = present_view(view, ctx.catalog)
    assert not _missing(CLIENT_MARKERS, _review(ctx, nid)), "review"
    assert not _missing(ALL_NOTE | _markers(AMENDMENT), note_text(pres).plain), "note view"
    record = export_record(ctx, cid, template=load_handout_template(TEMPLATE, None),
                           exports=tmp_path / "exports")
    assert not _missing(ALL_NOTE | _markers(AMENDMENT) | _markers(CLIENT),
                        pdf_text(record)), "clinical record"
    handout = _handout(ctx, nid, tmp_path)
    assert not _missing(CLIENT_MARKERS | {"MK-preferred"}, handout), "handout"
    assert not (THERAPIST_ONLY - _missing(THERAPIST_ONLY, handout)), "therapist-only in handout"
    # The compact panels show every row they list, with the therapist's own words
    panel = previous_text(pres).plain
    assert not _missing({"MK-cue1-own", "MK-cue2-custom", "MK-care1-own", "MK-care2-custom",
                         "MK-tp1-muscle", "MK-tp2-muscle", "MK-tp1-label", "MK-tp1-note"},
                        panel), "last time's panel"
    findings = findings_text(pres).plain
    assert not _missing({"MK-posture1-own", "MK-posture2-custom", "MK-rom1-own",
                         "MK-rom2-custom", "MK-muscle1-own", "MK-muscle1-note",
                         "MK-muscle2-custom", "MK-tp1-label", "MK-tp2-muscle"},
                        findings), "client screen findings"


def test_catalog_wording_comes_first_then_the_therapists_words(ctx, marked, tmp_path):
    _, nid = marked
    handout = _handout(ctx, nid, tmp_path)
    assert "Your head sits a little forward of your shoulders: MK-posture1-own" in handout
    with ctx.read() as s:
        pres = present_view(notes.get_note(nid, session=s), ctx.catalog)
    assert pres.posture[0].therapist == "Forward head posture: MK-posture1-own"
    assert pres.cues[0].instructions.endswith(". MK-cue1-own")


def test_the_font_check_looks_at_every_string_the_handout_prints(ctx, tmp_path):
    """Characters the font cannot draw are named wherever they are: a cue's response, a dose's
    frequency, a custom muscle's name (the check walks the whole HandoutData)."""
    cid = _client(ctx)
    content = _content()
    content["cues"] = [{"cue_id": "pir", "response": "MK 痛"}]
    content["home_care"] = [{"item_id": "heat", "dosage": {"frequency": "每天"}}]
    content["trigger_points"] = [{"muscle": "肩", "side": "left"}]
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=content).id
    result = export_handout(ctx, nid, template=load_handout_template(TEMPLATE, None),
                            exports=tmp_path / "exports", preview=True)
    assert {"痛", "每", "天", "肩"} <= result.missing_glyphs


def test_a_correction_reaches_the_client_and_the_record_keeps_both(ctx, marked, tmp_path):
    """Amend point 1 from left to right: the handout, last time's panel, the client's findings
    and the progress chart take the correction; the note view and the record show the original
    first, then the amendment that corrects it."""
    cid, nid = marked
    with ctx.read() as s:
        original = notes.get_note(nid, session=s).content
    points = [p.model_copy(update={"side": Side.RIGHT}) if i == 0 else p
              for i, p in enumerate(original.trigger_points)]
    corrected = original.model_copy(update={"trigger_points": points, "pain_after": 2})
    with ctx.write() as s:
        notes.amend(nid, reason="MK-side-reason", session=s, actor="Ana Lee",
                    content=corrected.model_dump(mode="json"))
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
        progress = progress_of(view, session=s)
    handout = _handout(ctx, nid, tmp_path)
    assert "upper trapezius (top of the shoulder) Right" in handout
    assert "after: 2/10" in handout and "MK-side-reason" not in handout
    assert [p.after for p in progress] == [2]
    current = present_view(view, ctx.catalog, current=True)
    assert "Upper trapezius (MK-tp1-muscle) R " in previous_text(current).plain
    assert "TrP: Upper trapezius (MK-tp1-muscle) right" in findings_text(current).plain
    shown = note_text(present_view(view, ctx.catalog)).plain
    assert shown.index("(MK-tp1-muscle) Left") < shown.index("side left -> right")
    record = pdf_text(export_record(ctx, cid, template=load_handout_template(TEMPLATE, None),
                                    exports=tmp_path / "exports"))
    assert record.index("(MK-tp1-muscle) left") < record.index("side left -> right")


def test_the_editors_tables_show_the_therapists_words_on_catalog_rows(ctx):
    from notes_tui.domain.note import NoteContent
    from notes_tui.ui.screens.editor.rows import cells

    c = NoteContent.model_validate(_content())
    shown = {kind: " ".join(t.plain for row in getattr(c, kind)
                            for t in cells(kind, row, 0, ctx.catalog))
             for kind in ("posture", "rom", "muscles", "trigger_points", "cues", "home_care")}
    assert "Forward head posture: MK-posture1-own" in shown["posture"]
    assert "(MK-rom1-own)" in shown["rom"] and "(MK-muscle1-own)" in shown["muscles"]
    assert "MK-cue1-own" in shown["cues"] and "Heat: MK-care1-own" in shown["home_care"]
