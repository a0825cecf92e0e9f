"""A client's pressure limit (out of 10) and the date they signed the sensitive-area consent form:
typed on the client form, checked in words, kept in the record and the dump, and left out of an
older client's canonical form while empty (its digest stays what it was)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notes_tui.domain.catalog import load_catalog
from notes_tui.domain.note import NoteContent
from notes_tui.domain.safety import cautions
from notes_tui.domain.text import FieldError
from notes_tui.paths import templates_dir
from notes_tui.services import clients, notes
from notes_tui.services.handouts import load_handout_template
from notes_tui.services.interchange import dump_document, import_document
from notes_tui.services.records import record_data


def _record(ctx, cid) -> dict:
    with ctx.read() as s:
        data = record_data(cid, session=s, catalog=ctx.catalog, settings=ctx.settings,
                           template=load_handout_template(
                               templates_dir() / "handout" / "handout.toml", None))
    return dict(line for section in data.client_sections for line in section.lines)


def test_limit_and_consent_date_reach_the_record_and_the_dump(ctx, tmp_path, settings):
    with ctx.write() as s:
        cid = clients.create_client({"name": "Mara Quint", "pressure_limit": "6",
                                     "sensitive_area_consent_on": "2026-11-02"},
                                    session=s, actor="Ana").id
    with ctx.read() as s:
        c = clients.get_client(cid, session=s)
        assert (c.pressure_limit, str(c.sensitive_area_consent_on)) == (6, "2026-11-02")
        assert c.sensitive_area_consent  # a signed form is consent on file
    lines = _record(ctx, cid)
    assert lines["Pressure limit"] == "6/10: not above it"
    assert lines["Sensitive-area consent form"] == "signed 2026-11-02"
    with ctx.read() as s:
        doc = dump_document(s)
    [dumped] = doc["clients"]
    assert (dumped["pressure_limit"], dumped["sensitive_area_consent_on"]) == (6, "2026-11-02")
    from notes_tui.services.context import open_context

    other = open_context(f"sqlite:///{tmp_path / 'b.sqlite3'}", settings)
    with other.write() as s:
        import_document(doc, session=s, actor="Ana")
    with other.read() as s:
        [back] = dump_document(s)["clients"]
    assert {k: back[k] for k in ("pressure_limit", "sensitive_area_consent_on")} == {
        "pressure_limit": 6, "sensitive_area_consent_on": "2026-11-02"}


def test_a_client_without_them_keeps_its_canonical_form(ctx):
    with ctx.write() as s:
        cid = clients.create_client({"name": "Old Client"}, session=s, actor="Ana").id
    with ctx.read() as s:
        record = clients.client_record(clients.get_client(cid, session=s))
    assert "pressure_limit" not in record and "sensitive_area_consent_on" not in record
    lines = _record(ctx, cid)
    assert (lines["Pressure limit"], lines["Sensitive-area consent form"]) == (
        "none set", "none recorded")


@pytest.mark.parametrize(("typed", "said"), [
    ("0", "pressure_limit: '0' is not a whole number from 1 to 10"),
    ("11", "pressure_limit: '11' is not a whole number from 1 to 10"),
    ("firm", "pressure_limit: 'firm' is not a whole number from 1 to 10"),
])
def test_a_limit_outside_one_to_ten_is_refused_in_words(ctx, typed, said):
    with ctx.write() as s, pytest.raises(FieldError) as refused:
        clients.create_client({"name": "Jane", "pressure_limit": typed}, session=s, actor="A")
    assert str(refused.value).startswith(said)


def test_a_consent_form_signed_in_the_future_is_refused(ctx):
    with ctx.write() as s, pytest.raises(FieldError, match="sensitive-area consent on: 2099-01-01"
                                         " is in the future"):
        clients.create_client({"name": "Jane", "sensitive_area_consent_on": "2099-01-01"},
                              session=s, actor="A")


def test_work_and_points_above_the_limit_are_cautions():
    from notes_tui.domain.wording import load_wording

    catalog = load_catalog(templates_dir() / "catalog", None, wording=load_wording(
        templates_dir() / "handout" / "wording.toml", None))
    note = NoteContent(
        trigger_points=[{"muscle_id": "upper_trapezius", "side": "left", "pressure": 5},
                        {"muscle_id": "upper_trapezius", "side": "right", "pressure": 6}],
        work=[{"region_id": "low_back", "modality": "deep_tissue", "pressure": "firm"},
              {"region_id": "low_back", "modality": "swedish", "pressure": "moderate"},
              {"region_id": "low_back", "modality": "swedish", "pressure": "light"}])
    found = cautions(note, "", catalog, pressure_limit=5)
    assert [(c.row[0], c.row[1], c.reason) for c in found] == [
        ("trigger_points", 2, "limit"), ("work", 1, "limit")]  # moderate starts at 4: not above
    assert found[1].message == ("Work 1, deep tissue on the low back at firm pressure: above "
                                "the client's limit of 5/10")
    assert cautions(note, "", catalog) == []


class _EveningInToronto(datetime):
    """20:30 in Toronto on 3 December 2026: already 4 December in UTC."""

    @classmethod
    def now(cls, tz=None):
        moment = datetime(2026, 12, 4, 1, 30, tzinfo=UTC)
        return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)


def test_a_record_made_in_the_evening_says_the_clinics_day(ctx, final_note, monkeypatch, tmp_path):
    """The record's "Made" date and its file name are the clinic's day, not UTC's."""
    from notes_tui.services import handouts, records

    monkeypatch.setattr(records, "datetime", _EveningInToronto)
    monkeypatch.setattr(handouts, "datetime", _EveningInToronto)
    cid, nid = final_note
    template = load_handout_template(templates_dir() / "handout" / "handout.toml", None)
    with ctx.read() as s:
        prepared = records.prepare_record(cid, session=s, catalog=ctx.catalog,
                                          settings=ctx.settings, template=template,
                                          exports=tmp_path)
        view = notes.get_note(nid, session=s)
        handout = handouts.handout_data(view, session=s, catalog=ctx.catalog,
                                        settings=ctx.settings, template=template)
    assert str(prepared.data.made_on) == "2026-12-03"
    assert prepared.path.name == "clinical-record-2026-12-03.pdf"
    assert str(handout.made_on) == "2026-12-03"
