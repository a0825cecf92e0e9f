"""Body regions catalog and matching contraindication words to regions (issue 12, safety)."""

from notes_tui.domain.catalog import REGIONS, load_regions, regions_named_in
from notes_tui.paths import templates_dir

REGIONS_FILE = templates_dir() / "catalog" / "regions.toml"


def test_every_region_has_an_entry():
    assert set(load_regions(REGIONS_FILE)) == REGIONS


def test_contraindication_words_name_regions():
    regions = load_regions(REGIONS_FILE)
    assert regions_named_in("no deep work on calves (DVT 2024)", regions) == {"leg"}
    assert regions_named_in("Lumbar disc; avoid low-back pressure", regions) == {"low_back"}
    assert regions_named_in("none", regions) == set()
