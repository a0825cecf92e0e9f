"""Outcome measures: the shipped PSFS and pain rating (with their source and licence), measures of
the therapist's own from TOML, scores checked against the range, the change from the first to the
latest time in words, kept in the client's record (audited, dumped), in the clinical record, and
searchable with measure:psfs<5; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from notes_tui.domain.measures import (
    MeasureError,
    form_items,
    load_measures,
    parse_measures,
    taken_from_form,
    trends,
)
from notes_tui.domain.text import FieldError
from notes_tui.paths import templates_dir
from notes_tui.services.api import Services
from notes_tui.services.interchange import dump_document
from tests.conftest import record_section
from tests.test_search import _ids, _note

SHIPPED = templates_dir() / "catalog" / "measures.toml"
HDI = """
[[measure]]
id = "hdi"
name = "Headache Disability Index"
short = "HDI"
source = "Jacobson GP et al. Neurology 1994;44:837-842"
licence = "Used with the clinic's own permission from the authors"
min = 0
max = 4
higher_is_better = false
scoring = "sum"
items = ["Headaches make it hard to concentrate", "I restrict my activities"]
important_change = 2
"""


def test_the_shipped_measures_name_their_source_and_licence():
    measures = load_measures(SHIPPED)
    assert set(measures) == {"psfs", "nprs"}
    for m in measures.values():
        assert m.source and m.licence and m.important_change == 2
    psfs, nprs = measures["psfs"], measures["nprs"]
    assert (psfs.named_items, psfs.higher_is_better, psfs.range_text) == (5, True, "0-10")
    assert nprs.items[0] == "Pain now" and not nprs.higher_is_better


def test_a_measure_of_your_own_from_toml_and_its_mistakes_in_one_line(tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text(HDI, encoding="utf-8")
    measures = load_measures(SHIPPED, tmp_path)
    assert measures["hdi"].scoring == "sum" and measures["hdi"].high == 4
    for broken, says in (
            (HDI.replace('licence = "Used with the clinic\'s own permission from the authors"\n',
                         ""), "licence is required"),
            (HDI.replace("min = 0", "min = 9"), "min below max"),
            (HDI.replace('scoring = "sum"', 'scoring = "median"'), "must be one of mean, sum"),
            (HDI + HDI, "id is used twice"), ("[[measure]\nid=", "not valid TOML")):
        with pytest.raises(MeasureError) as err:
            parse_measures(Path("mine.toml"), broken)
        assert says in str(err.value) and "\n" not in str(err.value)


def test_scores_are_checked_and_the_change_is_said_in_words():
    psfs = load_measures(SHIPPED)["psfs"]
    first = taken_from_form(psfs, "2026-10-01", "Climbing stairs: 3\nLifting a basket: 2\n"
                                                "Sleeping on my side: 4\n")
    assert first.score == 3.0
    assert form_items(psfs, first) == "Climbing stairs: \nLifting a basket: \nSleeping on my side: "
    later = taken_from_form(psfs, "2026-11-12", "Climbing stairs: 7\nLifting a basket: 6\n"
                                                "Sleeping on my side: 6,5\nNot asked: ")
    assert later.score == 6.5 and [i.label for i in later.items][-1] == "Sleeping on my side"
    [trend] = trends([later, first], {"psfs": psfs})
    assert trend.change == 3.5 and trend.better is True
    assert trend.words() == ("PSFS 3 (2026-10-01) → 6.5 (2026-11-12): +3.5, better "
                             "(a change that matters)")
    assert trend.plain() == ("Patient-Specific Functional Scale (out of 10, higher is better): "
                             "from 3 on 1 October 2026 to 6.5 on 12 November 2026.")
    nprs = load_measures(SHIPPED)["nprs"]
    a = taken_from_form(nprs, "2026-10-01", "Pain now: 6")
    b = taken_from_form(nprs, "2026-10-08", "Pain now: 5")
    [pain] = trends([a, b], {"nprs": nprs})
    assert pain.better is True and pain.words().endswith(
        "-1, better (less than the 2 that matters)")  # lower pain is better
    for text, says in (("Climbing stairs: 11", "11 is outside 0-10"),
                       ("Climbing stairs 4", "write the item, a colon and its score"),
                       ("Climbing: lots", "'lots' is not a number"), ("", "at least one score"),
                       ("\n".join(f"A{i}: 5" for i in range(6)), "up to 5 activities")):
        with pytest.raises(FieldError) as err:
            taken_from_form(psfs, "2026-10-01", text)
        assert says in err.value.message
    with pytest.raises(FieldError, match="not an item of NPRS"):
        taken_from_form(nprs, "2026-10-01", "Pain tomorrow: 3")


def test_measures_are_kept_recorded_dumped_and_searchable(ctx, make_client, settings):
    services = Services(ctx)
    cid = make_client("Ana Better")
    other = make_client("Ben Same")
    today = datetime.now(ctx.settings.tz).date()  # the clinic's day
    first, third = (today - timedelta(days=28)).isoformat(), today.isoformat()
    services.clients.add_measure(cid, "psfs", taken_on=first, items="Stairs: 3\nLifting: 2")
    services.clients.add_measure(other, "psfs", taken_on=first, items="Stairs: 3\nLifting: 3")
    detail = services.clients.add_measure(cid, "psfs", taken_on=third, items="Stairs: 7\nLifting: 6")
    assert [t.score for t in detail.measures] == [2.5, 6.5]
    with pytest.raises(FieldError, match="is in the future"):
        services.clients.add_measure(cid, "psfs", taken_on=(today + timedelta(days=3))
                                     .isoformat(), items="Stairs: 8")
    with pytest.raises(FieldError, match="'hdi' is not a measure"):
        services.clients.add_measure(cid, "hdi", taken_on=third, items="x: 1")
    assert len(services.clients.get(cid).measures) == 2  # nothing half-written
    with ctx.read() as s:
        doc = dump_document(s)
    section = record_section(ctx, cid, "Outcome measures")
    lines = section.lines
    assert lines[0] == ("Patient-Specific Functional Scale",
                        f"PSFS 2.5 ({first}) → 6.5 ({third}): +4, better (a change that matters)")
    assert lines[1] == (first, "score 2.5: Stairs 3; Lifting 2")
    dumped = {c["name"]: c for c in doc["clients"]}
    assert [m["score"] for m in dumped["Ana Better"]["measures"]] == [2.5, 6.5]
    mine = _note(ctx, cid, complaint="Low back")
    theirs = _note(ctx, other, complaint="Low back")
    assert _ids(ctx, "measure:psfs>=5") == [mine]  # the latest score
    assert _ids(ctx, "measure:psfs >= 5") == [mine]  # spaces are fine
    assert _ids(ctx, "measure:psfs<5") == [theirs]
    assert set(_ids(ctx, "measure:psfs")) == {mine, theirs}
    assert _ids(ctx, "measure:nprs") == []
    with pytest.raises(FieldError, match="'hdi' is not an outcome measure"):
        _ids(ctx, "measure:hdi<3")


def test_the_handout_tells_the_change_up_to_its_session_never_after(ctx, make_client,
                                                                   tmp_path):
    from notes_tui.services import notes
    from tests.conftest import full_note
    from tests.ui.helpers import pdf_text

    cid = make_client()
    day = datetime.now(ctx.settings.tz).date() - timedelta(days=10)
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note(),
                                session_start=f"{day} 10:00").id
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    services = Services(ctx)
    for offset, score in ((-21, "2"), (0, "5"), (7, "9")):  # the last one after the session
        services.clients.add_measure(cid, "psfs", items=f"Stairs: {score}",
                                     taken_on=(day + timedelta(days=offset)).isoformat())
    text = " ".join(pdf_text(services.handouts.export(nid, out=tmp_path).path).split())
    assert "Your progress" in text
    assert ("Patient-Specific Functional Scale (out of 10, higher is better): from 2 on "
            in text) and " to 5 on " in text
    assert " 9 on " not in text  # a later score is not on this session's handout


def test_a_measure_no_longer_in_the_catalog_keeps_its_scores_without_a_verdict():
    psfs = load_measures(SHIPPED)["psfs"]
    a = taken_from_form(psfs, "2026-10-01", "Stairs: 3")
    b = taken_from_form(psfs, "2026-10-29", "Stairs: 6")
    [trend] = trends([a, b], {})  # the definition was removed from the catalog
    assert trend.words() == "psfs 3 (2026-10-01) → 6 (2026-10-29): +3"


def test_unlike_scores_are_not_compared_and_a_bad_import_is_refused(tmp_path, settings):
    psfs = load_measures(SHIPPED)["psfs"]
    with pytest.raises(FieldError, match="'stairs' is there twice"):
        taken_from_form(psfs, "2026-10-01", "Stairs: 4\nstairs: 6")
    with pytest.raises(FieldError, match="'1_0' is not a number"):
        taken_from_form(psfs, "2026-10-01", "Stairs: 1_0")
    a = taken_from_form(psfs, "2026-10-01", "Stairs: 2")
    b = taken_from_form(psfs, "2026-10-29", "Stairs: 4\nWalking: 10")
    [trend] = trends([a, b], {"psfs": psfs})
    assert trend.change is None and trend.better is None
    assert trend.words() == ("PSFS 2 (2026-10-01), 7 (2026-10-29): not the same items, so no "
                             "change is worked out")
    from notes_tui.services.context import open_context
    from notes_tui.services.errors import ServiceError
    from notes_tui.services.interchange import import_document

    stamp = "2026-01-01T00:00:00+00:00"
    client = {"id": 1, "name": "Imported", "created_at": stamp, "updated_at": stamp,
              "measures": [{"measure": "psfs", "taken_on": "2026-10-01",
                            "items": [{"label": "Stairs", "score": 3}], "score": -5}]}
    doc = {"format": "notes-tui", "format_version": 1, "clients": [client], "notes": []}
    ctx = open_context(f"sqlite:///{tmp_path / 'i.sqlite3'}", settings)
    with pytest.raises((FieldError, ServiceError)) as err, ctx.write() as s:
        import_document(doc, session=s, actor="Ana")
    assert "neither the mean nor the sum" in str(err.value)
    with ctx.write() as s:  # a null list is no measures, as a null intake is no intake
        import_document(doc | {"clients": [client | {"measures": None, "plans": None}]},
                        session=s, actor="Ana")
    with ctx.read() as s:
        assert dump_document(s)["clients"][0]["name"] == "Imported"
    ctx.dispose()
