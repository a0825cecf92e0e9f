"""Validation at the boundaries: what a therapist can and cannot type."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from notes_tui.domain.checklist import finalize_checklist
from notes_tui.domain.note import NoteContent
from notes_tui.domain.text import (
    TEXT_MAX,
    FieldError,
    clean_multiline,
    clean_name,
    display_text,
    slug,
)
from notes_tui.domain.values import Dosage, parse_date, parse_pain, parse_session_start
from tests.conftest import hostile

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("value,expected", [(0, 0), (10, 10), ("0", 0), ("10", 10), (" 7 ", 7),
                                            ("", None), (None, None)])
def test_pain_accepts_0_to_10(value, expected):
    assert parse_pain(value) == expected


@pytest.mark.parametrize("value", [-1, 11, "-1", "11", "7.5", "٧", "𝟕", "NaN", "1e309", "1_0",
                                   "99999999999999999999", True, 7.0, "３"])
def test_pain_refuses_everything_else(value):
    with pytest.raises(FieldError) as err:
        parse_pain(value, "pain before")
    assert err.value.field == "pain before"
    assert "0" in err.value.message and "10" in err.value.message


def test_hostile_pain_entries_follow_their_expectation():
    for e in hostile("pain"):
        if e["expect"].startswith("reject"):
            with pytest.raises(FieldError):
                parse_pain(e["value"])
        else:
            assert parse_pain(e["value"]) == int(e["value"].strip())


@pytest.mark.parametrize("value", ["", "   ", " \t ", "\u200b"])
def test_empty_or_blank_names_are_refused(value):
    with pytest.raises(FieldError, match="required"):
        clean_name(value)


def test_name_length_boundary():
    assert clean_name("N" * 200) == "N" * 200
    with pytest.raises(FieldError, match="200"):
        clean_name("N" * 201)


def test_name_rules_from_the_hostile_list():
    by_id = {e["id"]: e for e in hostile("name")}
    for e in by_id.values():
        if e["expect"].startswith("reject") and e["id"] not in ("H08", "H16"):
            with pytest.raises(FieldError):
                clean_name(e["value"])
        elif e["expect"] == "accept-verbatim":
            assert clean_name(e["value"]) == e["value"], e["id"]
    assert clean_name(by_id["H05"]["value"]) == clean_name(by_id["H04"]["value"])  # NFC
    assert clean_name(by_id["H08"]["value"]) == "JaneDoe"  # zero-width space removed
    assert clean_name(by_id["H16"]["value"]) == "evaN"  # bidi override removed
    assert clean_name(by_id["H11"]["value"]) == "Robert'); DROP TABLE client;--"


def test_long_text_fields():
    ten_k = "word " * 2000
    assert clean_multiline("advice", ten_k) == ten_k
    with pytest.raises(FieldError, match="20,000"):
        clean_multiline("advice", "x" * (TEXT_MAX + 1))


def test_note_text_normalisation():
    assert clean_multiline("n", "line one\r\nline two\rline three") == "line one\nline two\nline three"
    assert clean_multiline("n", "a\u2028b\u2029c") == "a\nb\nc"
    assert clean_multiline("n", "a\x00b") == "ab"
    with pytest.raises(FieldError, match="invalid character"):
        clean_multiline("n", "x\ud800y")
    # escape sequences are stored as typed and made inert on display
    stored = clean_multiline("n", "\x1b]0;PWNED\x07title")
    assert stored == "\x1b]0;PWNED\x07title"
    assert display_text(stored) == "]0;PWNEDtitle"
    assert "\x9b" not in display_text("\x9b31mC1 CSI")


def test_session_start_with_and_without_time_zone():
    naive = parse_session_start("2026-03-04 14:30", TORONTO, now=NOW)
    assert naive.utcoffset().total_seconds() == -5 * 3600
    explicit = parse_session_start("2026-03-04T14:30:00+01:00", TORONTO, now=NOW)
    assert explicit.astimezone(UTC).hour == 13
    aware = parse_session_start(datetime(2026, 3, 4, 14, 30, tzinfo=UTC), TORONTO, now=NOW)
    assert aware.tzinfo is UTC


def test_session_start_refusals():
    with pytest.raises(FieldError, match="does not exist"):
        parse_session_start("2024-03-10 02:30", TORONTO, now=NOW)  # spring-forward gap
    with pytest.raises(FieldError, match="future"):
        parse_session_start("9999-12-31 10:00", TORONTO, now=NOW)
    with pytest.raises(FieldError, match="YYYY-MM-DD"):
        parse_session_start("01/02/2024 10:00", TORONTO, now=NOW)
    with pytest.raises(FieldError, match="not a real"):
        parse_session_start("2024-02-30 10:00", TORONTO, now=NOW)


def test_fall_back_overlap_keeps_first_occurrence_with_offset():
    t = parse_session_start("2024-11-03 01:30", TORONTO, now=NOW)
    assert t.utcoffset().total_seconds() == -4 * 3600  # EDT, the first 01:30


@pytest.mark.parametrize("value", ["2024-02-30", "01/02/2024", "2024-1-5"])
def test_dates_are_iso_and_real(value):
    with pytest.raises(FieldError):
        parse_date(value)


def test_dosage_reads_naturally():
    assert Dosage(sets=2, reps=10, hold_seconds=30, frequency="twice a day").text() == (
        "2 sets of 10, hold 30 s, twice a day")
    assert Dosage().text() == ""
    with pytest.raises(FieldError):
        Dosage.from_dict({"sets": 0})


def test_note_content_validates_nested_rows_with_a_path():
    with pytest.raises(ValidationError) as err:
        NoteContent.model_validate({"trigger_points": [{"muscle_id": "x", "pressure": 11}]})
    assert err.value.errors()[0]["loc"][:2] == ("trigger_points", 0)
    with pytest.raises(ValidationError):
        NoteContent.model_validate({"duration_minutes": 0})
    with pytest.raises(ValidationError):
        NoteContent.model_validate({"cues": [{"text": "x", "trigger_point": 3}]})


def test_finalize_checklist_lists_what_is_missing():
    missing = {i.key for i in finalize_checklist(NoteContent(), consent_on_file=False)}
    assert {"pain_before", "pain_after", "posture", "duration_minutes", "advice"} <= missing
    assert "consent" in missing
    complete = NoteContent(pain_before=5, pain_after=2, duration_minutes=60, advice="heat",
                           pain_locations=["neck"], consent_plan=True)
    assert finalize_checklist(complete, consent_on_file=True) == []
    [unasked] = finalize_checklist(complete.model_copy(update={"consent_plan": None}),
                                   consent_on_file=True)
    assert unasked.key == "consent_plan" and not unasked.blocking
    [unsigned] = finalize_checklist(complete, consent_on_file=True, therapist_named=False)
    assert unsigned.key == "therapist" and not unsigned.blocking  # a warning, not a refusal


def test_slug_is_safe_for_any_name():
    for e in hostile():
        s = slug(e["value"])
        assert s and "/" not in s and ".." not in s and len(s.encode()) <= 80


# --- rules the app, the CLI and the import share (domain/) ---------------------------------

@pytest.mark.parametrize("typed,days", [("14", 14), ("14d", 14), ("14 days", 14), ("1 day", 1),
                                        ("2w", 14), ("2 weeks", 14), ("2W", 14), (" 3 wk ", 21),
                                        (21, 21), ("", None), (None, None), ("730", 730)])
def test_next_visit_in_days_or_weeks(typed, days):
    from notes_tui.domain.values import parse_next_visit_days

    assert parse_next_visit_days(typed) == days


@pytest.mark.parametrize("typed,message", [
    ("0", "from 1 day to 2 years"), ("105w", "from 1 day to 2 years"), (731, "1 day to 2 years"),
    ("2 months", "weeks with w (2w)"), ("٣w", "weeks with w"), ("1.5w", "weeks with w"),
    ("w", "weeks with w"), (True, "weeks with w")])
def test_next_visit_refuses_what_is_not_a_number_of_days(typed, message):
    from notes_tui.domain.values import parse_next_visit_days

    with pytest.raises(FieldError) as err:
        parse_next_visit_days(typed)
    assert message in err.value.message


def test_a_note_takes_next_visit_in_weeks_and_refuses_more_than_two_years():
    assert NoteContent(next_visit_days="2w").next_visit_days == 14
    with pytest.raises(ValidationError, match="from 1 day to 2 years"):
        NoteContent(next_visit_days="106w")


def test_next_visit_date_on_or_after_the_session_and_within_two_years():
    from datetime import date, timedelta

    from notes_tui.domain.values import check_next_visit_date

    day = date(2026, 3, 10)
    assert check_next_visit_date(day, day) == day  # the same day is allowed
    assert check_next_visit_date(day + timedelta(days=730), day) == day + timedelta(days=730)
    assert check_next_visit_date(None, day) is None
    with pytest.raises(FieldError, match=r"on or after the session \(2026-03-10\)"):
        check_next_visit_date(day - timedelta(days=1), day)
    with pytest.raises(FieldError, match="within two years"):
        check_next_visit_date(day + timedelta(days=731), day)


@pytest.mark.parametrize("typed,name", [
    ("garcia", "Ana García"), ("GARCÍA", "Ana Garcia"), ("lucja", "Łucja Wójcik"),
    ("wojcik", "Łucja Wójcik"), ("strasse", "Heidi Straße"), ("nguyen", "Minh Nguyễn"),
    ("soren", "Søren Öztürk"), ("ozturk", "Søren Öztürk"), ("chloe", "Chloé Dubois"),
    ("jdoe", "Jane Doe"), ("doe jane", "Jane Doe"), ("  jane   doe ", "Jane Doe")])
def test_a_client_is_found_whatever_the_accents_and_case(typed, name):
    from notes_tui.domain.names import name_score

    assert name_score(typed, name) > 0


def test_name_matches_rank_the_start_of_a_name_first():
    from notes_tui.domain.names import name_score

    assert name_score("gar", "García Lopez") > name_score("gar", "Ana García") \
        > name_score("arc", "Ana García") > name_score("agc", "Ana García") > 0
    assert name_score("zed", "Ana García") == 0
    assert name_score("ana", "Ms Lopez", "Ana") > 0  # the preferred name counts too


@pytest.mark.parametrize("value", ["e\u200b\u0301", "e\x00\u0301", "a\u202e\u0308b", "\u212b",
                                   "e\ufeff\u0301 x", "\u0301e"])
def test_cleaning_what_was_cleaned_changes_nothing(value):
    """What the app stores imports back unchanged: NFC comes after the removals."""
    once = clean_multiline("note", value)
    assert clean_multiline("note", once) == once
    from notes_tui.domain.text import clean_line

    line = clean_line("name", value)
    assert clean_line("name", line) == line


def test_a_sensitive_area_needs_this_sessions_written_consent():
    note = NoteContent(pain_before=5, pain_after=2, duration_minutes=60, advice="heat",
                       pain_locations=["hip"], consent_plan=True,
                       sensitive_areas="gluteal attachments")
    [refusal] = [i for i in finalize_checklist(note, consent_on_file=True) if i.blocking]
    assert refusal.key == "sensitive_areas" and "gluteal attachments" in refusal.message
    written = note.model_copy(update={"sensitive_consent": True})
    assert finalize_checklist(written, consent_on_file=True) == []
