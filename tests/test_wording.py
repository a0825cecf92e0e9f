"""The words a client reads are accurate and gentle: no unsupported claims anywhere in the wording
library, the catalog's client text or the note templates; water only for comfort and thirst."""

import re
import tomllib

import pytest

from notes_tui.domain.catalog import CatalogError
from notes_tui.domain.wording import load_wording
from notes_tui.paths import templates_dir

WORDING_FILE = templates_dir() / "handout" / "wording.toml"

# Claims massage cannot back: each pattern is matched case-insensitively on word boundaries.
BANNED = [
    r"toxins?", r"detox\w*", r"flush\w*", r"cures?", r"cured", r"guarantee[sd]?", r"miracle",
    r"lactic acid", r"permanent(ly)?", r"eliminates?", r"break(s|ing)? up", r"realign\w*",
    r"100 ?%", r"always works", r"never come back", r"proven", r"heals?", r"boosts? (your )?immun\w*",
]
BANNED_RE = re.compile(r"\b(" + "|".join(BANNED) + r")\b", re.IGNORECASE)


def _strings(value, where=""):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def _client_facing_files():
    yield WORDING_FILE
    yield from sorted((templates_dir() / "notes").glob("*.toml"))
    yield from sorted((templates_dir() / "catalog").glob("*.toml"))


@pytest.mark.parametrize("path", list(_client_facing_files()), ids=lambda p: p.name)
def test_no_banned_claim_in_what_clients_read(path):
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    found = [(where, m.group(0)) for where, text in _strings(doc)
             for m in [BANNED_RE.search(text)] if m]
    assert found == [], f"{path.name}: unsupported claims {found}"


def test_the_banned_list_catches_the_classic_claims():
    for claim in ("Drink water to flush out toxins", "This cures headaches",
                  "Results guaranteed", "breaks up knots", "removes lactic acid"):
        assert BANNED_RE.search(claim), claim


def test_water_is_for_comfort_and_thirst_only():
    wording = load_wording(WORDING_FILE)
    water = [text for _, text in wording.sentences() if re.search(r"\bwater\b", text, re.I)]
    assert water, "the library has a water sentence"
    for text in water:
        assert re.search(r"thirst|comfort", text, re.I), text


def test_the_library_covers_expectations_and_when_to_get_in_touch():
    wording = load_wording(WORDING_FILE)
    assert len(wording.what_to_expect) >= 5 and len(wording.when_to_contact) >= 5
    standard = wording.when_to_contact["standard"].text
    for sign in ("numbness", "swelling", "dizziness"):
        assert sign in standard


def test_client_sentences_are_gentle():
    """'may' and 'can', not 'will': a promise of an outcome is flagged."""
    wording = load_wording(WORDING_FILE)
    promises = [(where, text) for where, text in wording.sentences()
                if re.search(r"\bwill (fix|stop|get rid|make .* go away|cure)", text, re.I)]
    assert promises == []


def test_a_user_wording_file_overrides_one_sentence(tmp_path):
    user = tmp_path / "wording.toml"
    user.write_text('[home_care]\nheat = "A warm towel for ten minutes."\n', encoding="utf-8")
    wording = load_wording(WORDING_FILE, user)
    assert wording.home_care["heat"] == "A warm towel for ten minutes."
    assert wording.home_care["cold"] == load_wording(WORDING_FILE).home_care["cold"]


@pytest.mark.parametrize(("text", "field"), [
    ('[home_care]\nheat = ""\n', "text"),
    ('[what_to_expect.sore]\nlabel = "Sore"\n', "text"),
    ('[what_to_expect.sore]\nlabel = "Sore"\ntext = "x"\ncolour = 1\n', "colour"),
    ('[adverts]\nx = "y"\n', "adverts"),
])
def test_a_broken_user_wording_file_is_named(tmp_path, text, field):
    user = tmp_path / "wording.toml"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_wording(WORDING_FILE, user)
    assert err.value.file == str(user) and err.value.field == field


def test_the_next_visit_reads_the_same_in_the_handout_and_the_review():
    from datetime import date

    from notes_tui.domain.wording import next_visit_phrase

    day = date(2026, 11, 25)
    assert next_visit_phrase(None, 14, day) == "in 2 weeks (around 9 December 2026)"
    assert next_visit_phrase(None, 7, day) == "in 1 week (around 2 December 2026)"
    assert next_visit_phrase(None, 10, day) == "in 10 days (around 5 December 2026)"
    assert next_visit_phrase(date(2026, 12, 8), 14, day) == "on Tuesday 8 December 2026"
    assert next_visit_phrase(None, None, day) == ""
