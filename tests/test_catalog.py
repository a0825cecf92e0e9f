"""The reference catalog loads whole or not at all, with messages naming file, entry and field."""

import shutil

import pytest

from notes_tui.domain.catalog import CatalogError, load_catalog
from notes_tui.domain.wording import load_wording
from notes_tui.paths import templates_dir

SHIPPED = templates_dir() / "catalog"
WORDING = load_wording(templates_dir() / "handout" / "wording.toml")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SHIPPED, wording=WORDING)


def test_shipped_catalog_is_complete(catalog):
    assert len(catalog.muscles) >= 35
    assert len(catalog.posture) >= 8
    assert any(t.kind == "rom" and t.normal_degrees for t in catalog.rom.values())
    assert len(catalog.cues) >= 5
    assert len(catalog.home_care) >= 8
    for m in catalog.muscles.values():
        assert m.referral_client and m.referral_clinical and m.charts, m.id


def test_upper_trapezius_referral(catalog):
    ut = catalog.muscles["upper_trapezius"]
    assert "temple" in ut.referral_clinical.lower()


@pytest.mark.parametrize("query", ["trap", "utr", "upper trap", "Upper trapezius"])
def test_picker_finds_upper_trapezius(catalog, query):
    assert catalog.find_muscles(query)[0].id == "upper_trapezius"


def test_picker_finds_by_word_prefix(catalog):
    assert "quadratus_lumborum" in [m.id for m in catalog.find_muscles("quadr")]
    assert catalog.find_muscles("zzzz") == []


def _copy(tmp_path):
    target = tmp_path / "catalog"
    shutil.copytree(SHIPPED, target)
    return target


def test_missing_field_names_file_entry_and_field(tmp_path):
    d = _copy(tmp_path)
    text = (d / "muscles.toml").read_text()
    (d / "muscles.toml").write_text(text.replace('referral_client =', 'referral_kliant =', 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(d, wording=WORDING)
    msg = str(err.value)
    assert "muscles.toml" in msg and "referral_client" in msg and "entry '" in msg


def test_malformed_toml_is_named(tmp_path):
    d = _copy(tmp_path)
    (d / "cues.toml").write_text("[[cue]\nid = ")
    with pytest.raises(CatalogError, match="cues.toml.*not valid TOML"):
        load_catalog(d, wording=WORDING)


def test_unknown_reference_is_refused(tmp_path):
    d = _copy(tmp_path)
    with (d / "posture.toml").open("a") as f:
        f.write('\n[[finding]]\nid = "odd"\nname = "Odd"\nplain = "odd"\n'
                'related_muscles = ["no_such_muscle"]\n')
    with pytest.raises(CatalogError, match="no_such_muscle"):
        load_catalog(d, wording=WORDING)


def test_user_catalog_adds_and_replaces(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(
        '[[muscle]]\nid = "popliteus"\nname = "Popliteus"\nplain_name = "back of the knee"\n'
        'region = "leg"\nreferral_clinical = "Posterior knee"\nreferral_client = "the back of '
        'the knee"\ncharts = [{view = "back", lateral = 0.1, y = 0.72}]\n'
        '[[muscle]]\nid = "upper_trapezius"\nname = "Upper trapezius"\nplain_name = "my words"\n'
        'region = "neck"\nreferral_clinical = "Temple"\nreferral_client = "the temple"\n')
    catalog = load_catalog(SHIPPED, user, wording=WORDING)
    assert catalog.muscles["popliteus"].plain_name == "back of the knee"
    assert catalog.find_muscles("popl")[0].id == "popliteus"
    assert catalog.muscles["upper_trapezius"].plain_name == "my words"
    assert len(catalog.muscles) == len(load_catalog(SHIPPED, wording=WORDING).muscles) + 1


def test_bad_user_file_stops_loading(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "bad.toml").write_text('[[muscle]]\nid = "x"\nname = "X"\n')
    with pytest.raises(CatalogError, match="bad.toml"):
        load_catalog(SHIPPED, user, wording=WORDING)


def test_demo_presentations_name_real_catalog_entries(catalog):
    from notes_tui.services.demo import PRESENTATIONS

    for p in PRESENTATIONS:
        assert all(catalog.find_muscles(m, limit=1) for m in p.muscles), p.muscles
        assert all(i in catalog.posture for i in p.posture), p.posture
        assert all(i in catalog.rom for i in p.rom), p.rom
        assert all(i in catalog.cues for i in p.cues), p.cues
        assert all(i in catalog.home_care for i in p.home_care), p.home_care


def test_every_cue_and_home_care_item_has_a_client_sentence(catalog):
    assert all(c.client_wording for c in catalog.cues.values())
    assert all(h.client_wording for h in catalog.home_care.values())
    assert catalog.home_care["water"].client_wording == WORDING.home_care["water"]


def test_a_catalog_item_without_a_sentence_is_refused_by_name(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(
        '[[item]]\nid = "ice_bath"\nname = "Ice bath"\nkind = "care"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(SHIPPED, user, wording=WORDING)
    assert "home_care.ice_bath" in str(err.value) and "wording.toml" in str(err.value)


def test_a_user_entry_may_carry_its_own_sentence(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(
        '[[item]]\nid = "heat"\nname = "Heat"\nkind = "care"\n'
        'client_wording = "A warm towel for ten minutes."\n', encoding="utf-8")
    assert load_catalog(SHIPPED, user, wording=WORDING).home_care["heat"].client_wording == (
        "A warm towel for ten minutes.")
