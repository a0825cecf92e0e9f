"""A client's intake: typed one item per line and read back the same, validated field by field,
kept in the record and the dump (and audited), searchable with med: and intake:, never in a
handout; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notes_tui.domain.intake import from_form, record_lines, to_form
from notes_tui.domain.text import FieldError
from notes_tui.services import clients
from notes_tui.services.api import Services
from notes_tui.services.interchange import dump_document, import_document
from tests.conftest import record_section
from tests.test_search import _ids, _note
from tests.ui.helpers import pdf_text

FORM = {
    "conditions": "diabetes,high_blood_pressure",
    "conditions_note": "Mild asthma",
    "medications": "Naprosyn 500 mg twice daily\n\n  Vitamin D3 1000 IU  \n5-HTP 100 mg",
    "allergies": "Latex",
    "surgeries": "2019-04 ACL repair, left knee\nAppendectomy as a child",
    "providers": "Dr Amara Singh (GP), 555-0100",
    "emergency_contact": "Tom Brown 555-0142",
    "occupation": "Nurse, night shifts",
    "activities": "Yoga twice a week",
    "goals": "Lift my grandchild\nwithout shoulder pain",
    "reviewed_on": "2026-11-02",
}


def test_the_form_is_read_as_typed_and_shown_back_the_same():
    intake = from_form(FORM)
    assert intake.conditions == ["high_blood_pressure", "diabetes"]  # the checklist's order
    assert [(m.name, m.dose) for m in intake.medications] == [
        ("Naprosyn", "500 mg twice daily"), ("Vitamin D3", "1000 IU"), ("5-HTP", "100 mg")]
    assert [(e.when, e.what) for e in intake.surgeries] == [
        ("2019-04", "ACL repair, left knee"), ("", "Appendectomy as a child")]
    back = to_form(intake)
    assert back["medications"] == "Naprosyn 500 mg twice daily\nVitamin D3 1000 IU\n5-HTP 100 mg"
    assert back["conditions"] == "high_blood_pressure,diabetes"
    assert from_form(back) == intake
    lines = dict(record_lines(intake, date(2026, 12, 3)))
    assert lines["Medications"] == "Naprosyn: 500 mg twice daily\nVitamin D3: 1000 IU\n5-HTP: 100 mg"
    assert lines["Surgeries and injuries"] == ("2019-04: ACL repair, left knee\n"
                                               "date not recorded: Appendectomy as a child")
    assert lines["Intake reviewed"] == "2026-11-02"
    assert dict(record_lines(intake, date(2027, 11, 3)))["Intake reviewed"] == (
        "2026-11-02 (a review is due: at least once a year)")


@pytest.mark.parametrize("field,value,says", [
    ("surgeries", "2019-13 ACL repair", "2019-13 is not a real date"),
    ("conditions", "diabetes,gout", "'gout' is not on the checklist"),
    ("reviewed_on", "2026-02-30", "2026-02-30 is not a real date"),
    ("allergies", "Latex\nPeanuts", "must be on one line"),
    ("medications", "x" * 200 + " 5 mg", "characters"),
])
def test_a_bad_field_is_named_with_why(field, value, says):
    with pytest.raises(FieldError) as err:
        from_form(FORM | {field: value})
    assert says in err.value.message
    key = err.value.field.replace(" ", "_")
    assert key == field or (field, key) == ("conditions_note", "conditions")


HOSTILE = ["[bold]Naprosyn[/bold] 5 mg", "\u202eNaprosyn 5 mg", "Naprosyn\x1b[31m 5 mg",
           "Nap’rosyn 500 mg — twice"]


@pytest.mark.parametrize("line", HOSTILE)
def test_hostile_lines_are_kept_as_text_or_refused_whole(line):
    try:
        intake = from_form({"medications": line})
    except FieldError as err:
        assert err.field == "medications"
        return
    [med] = intake.medications
    assert "5" in med.dose or "500" in med.dose


def _services(ctx):
    return Services(ctx)


def test_the_intake_is_saved_audited_recorded_dumped_and_searchable(ctx, make_client, tmp_path,
                                                                    settings):
    cid = make_client("Óscar Núñez")
    other = make_client("No Intake")
    services = _services(ctx)
    detail = services.clients.set_intake(cid, FORM)
    assert detail.intake is not None and detail.intake.medications[0].name == "Naprosyn"
    assert services.clients.get(cid).intake == detail.intake
    from tests.test_audit_trail import _verify

    assert _verify(ctx).ok
    # the record (therapist only) has it whole
    section = record_section(ctx, cid, "Intake (therapist only)")
    lines = dict(section.lines)
    assert lines["Conditions"] == "High blood pressure; Diabetes; Mild asthma"
    assert lines["Goals (the client's words)"] == "Lift my grandchild\nwithout shoulder pain"
    # the dump carries it; an import gives back the same intake
    with ctx.read() as s:
        doc = dump_document(s)
    dumped = {c["name"]: c for c in doc["clients"]}
    assert dumped["Óscar Núñez"]["intake"]["medications"][0] == {
        "name": "Naprosyn", "dose": "500 mg twice daily"}
    assert "intake" not in dumped["No Intake"]  # an older client's canonical form is unchanged
    from notes_tui.services.context import open_context

    copy = open_context(f"sqlite:///{tmp_path / 'copy.sqlite3'}", settings)
    with copy.write() as s:
        import_document(doc, session=s, actor="Ana")
    with copy.read() as s:
        assert dump_document(s)["clients"] == doc["clients"]
    copy.dispose()
    # searchable: med: in the medications, intake: anywhere in it, accents and case ignored
    nid = _note(ctx, cid, complaint="Shoulder")
    plain_note = _note(ctx, other, complaint="Shoulder")
    assert _ids(ctx, "med:naprosyn") == [nid]
    assert _ids(ctx, "med:NAPROSYN shoulder") == [nid]
    assert _ids(ctx, "intake:asthma") == [nid] and _ids(ctx, "intake:latex") == [nid]
    assert _ids(ctx, "med:latex") == []  # an allergy, not a medication
    assert _ids(ctx, "med:aspirin") == [] and plain_note not in _ids(ctx, "shoulder med:vit")
    # an empty form takes the intake away (still audited); an edit of the client keeps it
    services.clients.update(cid, {"phone": "555-0199"})
    assert services.clients.get(cid).intake == detail.intake
    assert services.clients.set_intake(cid, {k: "" for k in FORM}).intake is None
    with ctx.read() as s:
        assert clients.get_client(cid, session=s).intake is None


@pytest.mark.parametrize("ahead", [1, 30])
def test_a_review_date_in_the_future_is_refused(ctx, make_client, ahead):
    """Tomorrow in the clinic's zone (America/Toronto) is refused too, even when it is already
    tomorrow in UTC."""
    from datetime import datetime

    cid = make_client()
    later = (datetime.now(ctx.settings.tz).date() + timedelta(days=ahead)).isoformat()
    with pytest.raises(FieldError) as err:
        _services(ctx).clients.set_intake(cid, FORM | {"reviewed_on": later})
    assert err.value.field == "reviewed on" and "is in the future" in err.value.message
    assert _services(ctx).clients.get(cid).intake is None  # nothing half-written


def test_the_handout_never_shows_the_intake(ctx, final_note, tmp_path):
    cid, nid = final_note
    services = _services(ctx)
    services.clients.set_intake(cid, FORM)
    result = services.handouts.export(nid, out=tmp_path)
    text = pdf_text(result.path)
    for private in ("Naprosyn", "Latex", "asthma", "Tom Brown", "Nurse", "grandchild"):
        assert private not in text
