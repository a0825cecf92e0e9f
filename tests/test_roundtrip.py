"""Generated whole notes survive dump -> import into an empty database -> dump unchanged.

Every field of NoteContent is generated (`to_confirm` and the rows' `confirmed` flags included),
drafts and finalized notes, with amendments (some carrying a corrected revision), with hostile characters in the text. The first
import stores what was generated (checked field by field against the validated content); the
second import of that dump, into another empty database, must give back an equal document.
"""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from notes_tui.domain.checklist import finalize_checklist
from notes_tui.domain.enums import (
    MuscleFindingKind,
    PainNotRated,
    RomResult,
    SessionTechnique,
    Side,
    TriggerPointActivity,
    TriggerPointResponse,
    TriggerPointTechnique,
)
from notes_tui.domain.note import NoteContent
from notes_tui.domain.text import clean_line, clean_multiline
from notes_tui.services.context import open_context
from notes_tui.services.interchange import dump_document, import_document
from tests.conftest import BACKENDS, PG_URL

# characters that have broken text paths before: combining marks, zero-width and bidi controls,
# CR and other line breaks, NUL, tabs, astral emoji, right-to-left script, a lone CJK ideograph
_HOSTILE = ["e\u0301", "e\u200b\u0301", "\u0301", "\u200b", "\u202e", "\u2066", "\r\n", "\r",
            "\u2028", "\x00", "\x1b[2J", "\t", " ", "\U0001F600", "\u05d0", "\u4e00", "<b>&amp;",
            "'\"\\", "\ufeff", "\x85", "Ω", "\u212b"]
_PIECES = st.one_of(st.sampled_from(_HOSTILE),
                    st.characters(codec="utf-8", exclude_categories=("Cs",)))
TEXT = st.lists(_PIECES, max_size=12).map("".join)
LINE = TEXT.map(lambda s: "".join(c for c in s if c not in "\r\n\u2028\u2029\x85"))
WORD = st.text("abcdefghijklmnopqrstuvwxyzéł -", min_size=1, max_size=20).filter(str.strip)
NAMED = st.one_of(LINE.filter(lambda s: bool(clean_line("t", s))), WORD)  # not blank once cleaned
SIDE = st.sampled_from(Side)
NOT_RATED = st.none() | st.sampled_from(PainNotRated)
ID = st.sampled_from(["upper_trapezius", "forward_head", "heat", "pir", "cervical_rotation"])
OPT_ID = st.none() | ID
SMALL = st.integers(1, 3600)
ZONES = ["America/Toronto", "Europe/Madrid", "Asia/Kolkata", "UTC", "Pacific/Chatham"]


def _either(ids: st.SearchStrategy, names: st.SearchStrategy, id_key: str, name_key: str):
    """A row names a catalog entry, its own text, or both."""
    return st.one_of(st.fixed_dictionaries({id_key: ids, name_key: st.just("")}),
                     st.fixed_dictionaries({id_key: st.none(), name_key: names}),
                     st.fixed_dictionaries({id_key: ids, name_key: names}))


def _row(base, **fields):
    return st.tuples(base, st.fixed_dictionaries(fields)).map(lambda t: {**t[0], **t[1]})


ROM = _row(_either(ID, NAMED, "test_id", "movement"), side=st.none() | SIDE,
           result=st.sampled_from([r for r in RomResult if r is not RomResult.DEGREES]),
           degrees=st.none() | st.integers(0, 360), painful=st.booleans())
ROM_DEGREES = _row(_either(ID, NAMED, "test_id", "movement"), side=st.none() | SIDE,
                   result=st.just(RomResult.DEGREES), degrees=st.integers(0, 360),
                   painful=st.booleans())
TRIGGER_POINT = _row(
    _either(ID, NAMED, "muscle_id", "muscle"), side=SIDE, label=LINE.map(lambda s: s[:20]),
    referred_pain=LINE, activity=st.sampled_from(TriggerPointActivity),
    technique=st.sampled_from(TriggerPointTechnique), pressure=st.none() | st.integers(0, 10),
    response=st.none() | st.sampled_from(TriggerPointResponse), note=LINE,
    confirmed=st.booleans())
DOSAGE = st.fixed_dictionaries({}, optional={
    "sets": SMALL, "reps": SMALL, "hold_seconds": SMALL, "minutes": SMALL,
    "frequency": WORD})


@st.composite
def contents(draw, session_day) -> dict:
    tps = draw(st.lists(TRIGGER_POINT, max_size=3))
    cue = _row(_either(ID, NAMED, "cue_id", "text"),
               trigger_point=st.none() | st.integers(1, len(tps)) if tps else st.none(),
               muscle_id=OPT_ID, response=LINE, confirmed=st.booleans())
    return {
        "duration_minutes": draw(st.none() | st.integers(1, 600)),
        "technique": draw(st.sampled_from(SessionTechnique)),
        "complaint": draw(TEXT), "pain_before": (before := draw(st.none() | st.integers(0, 10))),
        "pain_before_not_rated": None if before is not None else draw(NOT_RATED),
        "pain_locations": draw(st.lists(NAMED, max_size=3)),
        "posture": draw(st.lists(_row(_either(ID, NAMED, "finding_id", "text"),
                                      side=st.none() | SIDE), max_size=2)),
        "rom": draw(st.lists(ROM | ROM_DEGREES, max_size=2)),
        "muscles": draw(st.lists(_row(_either(ID, NAMED, "muscle_id", "muscle"), side=SIDE,
                                      finding=st.sampled_from(MuscleFindingKind), note=LINE),
                                 max_size=2)),
        "therapist_summary": draw(TEXT), "client_summary": draw(TEXT),
        "trigger_points": tps, "cues": draw(st.lists(cue, max_size=3)),
        "pain_after": (after := draw(st.none() | st.integers(0, 10))),
        "pain_after_not_rated": None if after is not None else draw(NOT_RATED),
        "next_visit_days": draw(st.none() | st.integers(1, 730)),
        "next_visit_date": draw(st.none() | st.integers(0, 730).map(
            lambda d: (session_day + timedelta(days=d)).isoformat())),
        "home_care": draw(st.lists(_row(_either(ID, NAMED, "item_id", "text"), dosage=DOSAGE,
                                        confirmed=st.booleans()), max_size=3)),
        "advice": draw(TEXT), "what_to_expect": draw(TEXT), "when_to_contact": draw(TEXT),
        "referral": draw(TEXT),
        "to_confirm": draw(st.lists(st.sampled_from(
            ["advice", "what_to_expect", "when_to_contact", "next_visit"]), unique=True)),
    }


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


@st.composite
def notes(draw, note_id: int, client_id: int) -> dict:
    start = draw(st.datetimes(datetime(2015, 1, 1), datetime(2026, 6, 1), timezones=st.just(UTC))
                 ).replace(microsecond=0)
    tz = draw(st.sampled_from(ZONES))
    from zoneinfo import ZoneInfo

    content = draw(contents(start.astimezone(ZoneInfo(tz)).date()))
    # a note the file calls final passes the finalize checklist, as one the app finalized does
    final = draw(st.booleans()) and not any(
        i.blocking for i in finalize_checklist(NoteContent.model_validate(content),
                                               consent_on_file=True))
    record = {
        "id": note_id, "client_id": client_id, "therapist_name": draw(LINE),
        "therapist_registration": draw(LINE), "session_start": _stamp(start), "timezone": tz,
        "status": "final" if final else "draft", "finalized_at": None, "finalized_by": None,
        "template_id": draw(st.none() | ID), "created_at": _stamp(start),
        "content": content,
        "amendments": [],
    }
    if final:
        record["finalized_at"] = _stamp(start + timedelta(hours=1))
        record["finalized_by"] = draw(WORD)
        day = start.astimezone(ZoneInfo(tz)).date()
        record["amendments"] = [
            {"author": draw(WORD), "created_at": _stamp(start + timedelta(days=i + 1)),
             "reason": draw(NAMED),
             "text": draw(TEXT.filter(lambda s: clean_multiline("t", s).strip())),
             "content": draw(st.none() | contents(day))}  # a corrected revision, or none
            for i in range(draw(st.integers(0, 2)))]
    return record


@st.composite
def documents(draw) -> dict:
    n_clients = draw(st.integers(1, 2))
    clients = [{"id": i, "name": draw(NAMED), "preferred_name": draw(LINE),
                "health_history": draw(TEXT), "contraindications": draw(TEXT),
                "sensitive_area_consent": draw(st.booleans()), "archived": draw(st.booleans()),
                "created_at": "2015-01-01T00:00:00+00:00",
                "updated_at": "2015-01-02T00:00:00+00:00"} for i in range(1, n_clients + 1)]
    n_notes = draw(st.integers(1, 3))
    return {"format": "notes-tui", "format_version": 1, "clients": clients,
            "notes": [draw(notes(i, draw(st.integers(1, n_clients))))
                      for i in range(1, n_notes + 1)]}


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path_factory, settings):
    """A factory of empty, migrated databases (one per call) on one backend."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("tpl") / "template.sqlite3"
        open_context(f"sqlite:///{template}", settings).dispose()

        def make():
            path = tmp_path_factory.getbasetemp() / f"rt-{uuid.uuid4().hex[:10]}.sqlite3"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"
    else:
        if not PG_URL:
            pytest.skip("NOTES_TUI_TEST_PG_URL is not set (CI sets it; see .ci/run)")
        from tests.conftest import _pg_database as make
    return make


def _import_and_dump(url: str, doc: dict, settings) -> dict:
    ctx = open_context(url, settings)
    try:
        with ctx.write() as s:
            import_document(doc, session=s, actor="Ana")
        with ctx.read() as s:
            return json.loads(json.dumps(dump_document(s), ensure_ascii=False))
    finally:
        ctx.dispose()


@examples(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(doc=documents())
def _round_trip(doc, empty_database, app_settings):
    first = _import_and_dump(empty_database(), doc, app_settings)
    for given_note, stored in zip(doc["notes"], first["notes"], strict=True):
        # what was generated is what was stored (to_confirm and confirmed flags included)
        expected = NoteContent.model_validate(given_note["content"]).model_dump(mode="json")
        assert stored["content"] == expected
        assert stored["status"] == given_note["status"]
        assert len(stored["amendments"]) == len(given_note["amendments"])
        for given_a, stored_a in zip(given_note["amendments"], stored["amendments"],
                                     strict=True):
            assert stored_a["content"] == (given_a["content"] and NoteContent.model_validate(
                given_a["content"]).model_dump(mode="json"))
    second = _import_and_dump(empty_database(), first, app_settings)
    assert second == first


def test_generated_notes_round_trip_exactly(empty_database, settings):
    _round_trip(empty_database=empty_database, app_settings=settings)
