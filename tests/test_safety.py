"""The client's contraindications against a note's rows: a caution for each treated point or
finding in a region (or on a muscle) they name; nothing for the rest."""

from __future__ import annotations

import pytest

from notes_tui.domain.catalog import load_catalog
from notes_tui.domain.note import NoteContent
from notes_tui.domain.safety import cautions
from notes_tui.paths import templates_dir
from tests.conftest import hostile


@pytest.fixture(scope="module")
def catalog():
    from notes_tui.domain.wording import load_wording

    wording = load_wording(templates_dir() / "handout" / "wording.toml", None)
    return load_catalog(templates_dir() / "catalog", None, wording=wording)


def _note(*points, findings=()) -> NoteContent:
    return NoteContent(
        trigger_points=[{"muscle_id": m, "side": side, "pressure": p} for m, side, p in points],
        muscles=[{"muscle_id": m, "side": side, "finding": "taut_band"} for m, side in findings])


def test_calf_work_after_a_dvt_is_a_caution_with_its_pressure(catalog):
    note = _note(("upper_trapezius", "left", 6), ("gastrocnemius", "left", 8))
    [caution] = cautions(note, "No deep work on calves (DVT 2024)", catalog)
    assert caution.step == 2
    assert caution.message.startswith("Trigger point 2, Gastrocnemius (left) at pressure 8/10")
    assert "name the lower leg" in caution.message and "DVT 2024" in caution.message


def test_a_muscle_named_by_name_and_a_finding(catalog):
    note = _note(("piriformis", "right", 5), findings=[("piriformis", "right")])
    found = cautions(note, "Avoid the piriformis: sciatic nerve irritation", catalog)
    assert [c.step for c in found] == [2, 1]
    assert all("Piriformis" in c.message for c in found)


def test_nothing_when_nothing_is_named(catalog):
    note = _note(("gastrocnemius", "left", 8))
    assert cautions(note, "", catalog) == []
    assert cautions(note, "Allergic to nut oils", catalog) == []
    assert cautions(_note(("upper_trapezius", "left", 6)), "no deep work on calves", catalog) == []


@pytest.mark.parametrize("entry", hostile("note"), ids=lambda e: e["id"])
def test_hostile_contraindications_never_break_the_check(catalog, entry):
    note = _note(("gastrocnemius", "left", 8))
    for c in cautions(note, entry["value"], catalog):
        assert len(c.message) < 400  # the quoted text is cut, never the whole megabyte


def test_a_caution_is_the_same_after_a_row_above_it_goes(catalog):
    """Deleting or moving a row renumbers the rows below it: a caution already confirmed must
    not come back as news (and its row must not turn "to confirm" again)."""
    both = _note(("upper_trapezius", "left", 6), ("gastrocnemius", "left", 8))
    after = _note(("gastrocnemius", "left", 8))
    text = "No deep work on calves (DVT 2024)"
    assert {c.key for c in cautions(both, text, catalog)} == \
        {c.key for c in cautions(after, text, catalog)}
    both_calves = _note(("gastrocnemius", "left", 8), ("gastrocnemius", "right", 8))
    keys = [c.key for c in cautions(both_calves, text, catalog)]
    assert len(keys) == 2 and keys[0] == keys[1]  # the editor counts them: the second is news
