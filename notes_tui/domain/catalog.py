"""The reference catalog: muscles and their referral patterns, posture findings, ROM tests,
movement cues and home-care items, loaded from TOML (templates/catalog/ plus the user's own).

Loading is all or nothing: the first malformed file, entry or field raises `CatalogError` naming
all three, and nothing starts on a half-loaded catalog. A user entry with a shipped id replaces it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from notes_tui.domain.values import Dosage

if TYPE_CHECKING:
    from notes_tui.domain.measures import MeasureDef
    from notes_tui.domain.wording import Wording

REGIONS = frozenset(
    ["head", "jaw", "neck", "shoulder", "upper_back", "chest", "arm", "forearm", "hand", "abdomen",
     "low_back", "hip", "thigh", "leg", "foot"]
)
HOME_CARE_KINDS = frozenset({"care", "stretch", "self_massage", "activity", "expectation"})


class CatalogError(Exception):
    def __init__(self, file: Path | str, entry: str, field_name: str, problem: str) -> None:
        super().__init__(f"{file}: entry {entry}: field {field_name!r}: {problem}")
        self.file, self.entry, self.field, self.problem = str(file), entry, field_name, problem


@dataclass(frozen=True)
class ChartPosition:
    view: str  # "front" | "back" | "side" (the head-and-neck profile)
    lateral: float  # 0 = midline, 0.5 = outer edge of the shoulder; on "side": forward of the ear
    y: float  # 0 = top of the head, 1 = soles


@dataclass(frozen=True)
class Muscle:
    id: str
    name: str
    plain_name: str
    region: str
    referral_clinical: str
    referral_client: str
    aliases: tuple[str, ...] = ()
    charts: tuple[ChartPosition, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostureFinding:
    id: str
    name: str
    plain: str
    sided: bool = False
    related_muscles: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class RomTest:
    id: str
    kind: str  # "rom" | "special"
    joint: str
    name: str
    normal_degrees: int | None = None
    normal_text: str = ""
    sided: bool = True


@dataclass(frozen=True)
class Cue:
    id: str
    name: str
    protocol: str
    client_wording: str


@dataclass(frozen=True)
class HomeCareItem:
    id: str
    name: str
    kind: str
    client_wording: str
    dosage: Dosage = field(default_factory=Dosage)
    related_muscles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    plain: str
    synonyms: tuple[str, ...] = ()


def load_regions(path: Path) -> dict[str, Region]:
    """templates/catalog/regions.toml: one entry per id in REGIONS."""
    out: dict[str, Region] = {}
    for index, table in enumerate(read_toml(path).get("region", [])):
        e = _Entry(path, table, index)
        r = Region(id=e.one_of("id", REGIONS), name=e.text("name"), plain=e.text("plain"),
                   synonyms=tuple(s.lower() for s in e.strings("synonyms")))
        out[r.id] = r
    return out


def regions_named_in(text: str, regions: dict[str, Region]) -> set[str]:
    """Region ids whose name or synonyms occur as whole words in `text` (e.g. contraindications:
    "no deep work on calves" names "leg")."""
    words = " " + " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) + " "
    return {r.id for r in regions.values()
            if any(f" {s} " in words for s in (*r.synonyms, r.name.lower()))}


@dataclass(frozen=True)
class Catalog:
    muscles: dict[str, Muscle]
    posture: dict[str, PostureFinding]
    rom: dict[str, RomTest]
    cues: dict[str, Cue]
    home_care: dict[str, HomeCareItem]
    regions: dict[str, Region] = field(default_factory=dict)  # regions.toml: the safety check
    measures: dict[str, MeasureDef] = field(default_factory=dict)  # measures.toml and the user's

    def muscle(self, muscle_id: str | None) -> Muscle | None:
        return self.muscles.get(muscle_id or "")

    def find_muscles(self, query: str, limit: int = 20) -> list[Muscle]:
        """Muscles for a picker: 'trap' and 'utr' both find upper trapezius.

        Ranks an exact alias or id first, then name prefixes, word prefixes, then subsequence
        (initials) matches; ties keep catalog order.
        """
        q = " ".join(query.lower().split())
        if not q:
            return list(self.muscles.values())[:limit]
        scored: list[tuple[int, int, Muscle]] = []
        for order, m in enumerate(self.muscles.values()):
            score = _muscle_score(q, m)
            if score:
                scored.append((-score, order, m))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [m for _, _, m in scored[:limit]]


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _muscle_score(q: str, m: Muscle) -> int:
    name = m.name.lower()
    keys = [a.lower() for a in m.aliases] + [m.id.replace("_", " ")]
    if q in keys or q == name:
        return 100
    if name.startswith(q):
        return 80
    words = name.replace("(", " ").replace(")", " ").replace("/", " ").split()
    if any(w.startswith(q) for w in words) or any(k.startswith(q) for k in keys):
        return 60
    if q in name or q in m.plain_name.lower():
        return 40
    compact = q.replace(" ", "")
    if _subsequence(compact, name.replace(" ", "")):
        return 20
    return 0


# --- loading ---------------------------------------------------------------------------------

_FILES = {
    "muscles.toml": "muscle",
    "posture.toml": "finding",
    "rom.toml": "test",
    "cues.toml": "cue",
    "home_care.toml": "item",
}


class _Entry:
    """Reads one TOML table with errors that name the file, entry and field."""

    def __init__(self, file: Path, table: object, index: int) -> None:
        self.file = file
        if not isinstance(table, dict):
            raise CatalogError(file, f"#{index + 1}", "(entry)", "must be a table")
        self.raw = table
        ident = table.get("id")
        self.label = f"#{index + 1}" if not isinstance(ident, str) else repr(ident)

    def fail(self, name: str, problem: str) -> CatalogError:
        return CatalogError(self.file, self.label, name, problem)

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is missing")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(name, "must be non-empty text")
        return value.strip()

    def ident(self) -> str:
        value = self.text("id")
        if not value.replace("_", "").isalnum() or not value.isascii() or value.lower() != value:
            raise self.fail("id", "must be lowercase letters, digits and underscores")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "must be a list of text")
        return tuple(v.strip() for v in value)

    def number(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 360:
            raise self.fail(name, "must be a whole number of degrees from 0 to 360")
        return value

    def one_of(self, name: str, allowed: Iterable[str], default: str | None = None) -> str:
        value = self.raw.get(name, default)
        allowed = sorted(allowed)
        if value not in allowed:
            raise self.fail(name, f"must be one of {', '.join(allowed)}")
        return value


def _charts(e: _Entry) -> tuple[ChartPosition, ...]:
    raw = e.raw.get("charts", [])
    if not isinstance(raw, list):
        raise e.fail("charts", "must be a list of {view, lateral, y} tables")
    out = []
    for c in raw:
        if not isinstance(c, dict) or c.get("view") not in ("front", "back", "side"):
            raise e.fail("charts", "each chart needs view = 'front', 'back' or 'side'")
        try:
            lateral, y = float(c["lateral"]), float(c["y"])
        except (KeyError, TypeError, ValueError):
            raise e.fail("charts", "each chart needs numbers lateral and y") from None
        # the profile's outline: the back of the head to the chin, the crown to the neck's base
        if c["view"] == "side" and not (-0.2 <= lateral <= 0.22 and 0 <= y < 0.19):
            raise e.fail("charts", "on the side view lateral must be -0.2-0.22 and y 0-0.19 "
                                   "(the head and neck)")
        if c["view"] != "side" and not (0 <= lateral <= 0.6 and 0 <= y <= 1):
            raise e.fail("charts", "lateral must be 0-0.6 and y 0-1")
        out.append(ChartPosition(c["view"], lateral, y))
    return tuple(out)


def _parse(kind: str, e: _Entry) -> Muscle | PostureFinding | RomTest | Cue | HomeCareItem:
    if kind == "muscle":
        return Muscle(
            id=e.ident(), name=e.text("name"), plain_name=e.text("plain_name"),
            region=e.one_of("region", REGIONS),
            referral_clinical=e.text("referral_clinical"),
            referral_client=e.text("referral_client"),
            aliases=tuple(a.lower() for a in e.strings("aliases")),
            charts=_charts(e), sources=e.strings("sources"),
        )
    if kind == "finding":
        return PostureFinding(
            id=e.ident(), name=e.text("name"), plain=e.text("plain"),
            sided=e.boolean("sided", False), related_muscles=e.strings("related_muscles"),
            note=e.text("note", required=False),
        )
    if kind == "test":
        return RomTest(
            id=e.ident(), kind=e.one_of("kind", {"rom", "special"}, "rom"),
            joint=e.text("joint"), name=e.text("name"),
            normal_degrees=e.number("normal_degrees"),
            normal_text=e.text("normal_text", required=False),
            sided=e.boolean("sided", True),
        )
    if kind == "cue":
        return Cue(
            id=e.ident(), name=e.text("name"), protocol=e.text("protocol"),
            client_wording=e.text("client_wording", required=False),
        )
    raw_dosage = e.raw.get("dosage", {})
    if not isinstance(raw_dosage, dict):
        raise e.fail("dosage", "must be a table")
    try:
        dosage = Dosage.from_dict(raw_dosage)
    except ValueError as exc:
        raise e.fail("dosage", str(exc)) from None
    return HomeCareItem(
        id=e.ident(), name=e.text("name"), kind=e.one_of("kind", HOME_CARE_KINDS),
        client_wording=e.text("client_wording", required=False), dosage=dosage,
        related_muscles=e.strings("related_muscles"),
    )


def read_toml(path: Path) -> dict:
    """A catalog-style TOML file (the catalog, the wording library); bad syntax is a CatalogError
    naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(path, "(file)", "(syntax)", f"not valid TOML: {exc}") from None


def _load_entries(path: Path, doc: dict, kind: str, into: dict[str, object], *,
                  allow_replace: bool) -> None:
    entries = doc.get(kind, [])
    if not isinstance(entries, list):
        raise CatalogError(path, "(file)", kind, f"must be an array of tables [[{kind}]]")
    seen: set[str] = set()
    for index, table in enumerate(entries):
        e = _Entry(path, table, index)
        item = _parse(kind, e)
        if item.id in seen or (item.id in into and not allow_replace):
            raise e.fail("id", "is used twice")
        seen.add(item.id)
        into[item.id] = item


def _measures(shipped: Path, user: Path | None) -> dict[str, MeasureDef]:
    from notes_tui.domain.measures import MeasureError, load_measures

    try:
        return load_measures(shipped / "measures.toml", user)
    except MeasureError as exc:
        raise CatalogError("measures", "(file)", "(file)", str(exc)) from None


def load_catalog(shipped: Path, user: Path | None = None, *,
                 wording: Wording | None = None) -> Catalog:
    """Load the shipped catalog from `shipped` and add (or replace) entries from `user`.

    A cue's or home-care item's client sentence is its own `client_wording` when the entry has one
    (a user's entry may), else the wording library's sentence for its id; one with neither is an
    error, so a handout never prints an empty instruction.
    """
    parts: dict[str, dict] = {kind: {} for kind in _FILES.values()}
    for filename, kind in _FILES.items():
        path = shipped / filename
        if not path.is_file():
            raise CatalogError(path, "(file)", "(file)", "is missing")
        _load_entries(path, read_toml(path), kind, parts[kind], allow_replace=False)
    if user is not None and user.is_dir():
        for path in sorted(user.glob("*.toml")):
            doc = read_toml(path)
            for kind in _FILES.values():
                if kind in doc:
                    _load_entries(path, doc, kind, parts[kind], allow_replace=True)
    for kind, section in (("cue", "cues"), ("item", "home_care")):
        library = getattr(wording, section) if wording is not None else {}
        for key, item in parts[kind].items():
            if item.client_wording:
                continue
            if key not in library:
                raise CatalogError(
                    "wording.toml", f"{section}.{key}", "text",
                    f"is missing: every {section.replace('_', '-')} entry of the catalog needs a "
                    "client sentence (templates/handout/wording.toml or its own client_wording)")
            parts[kind][key] = replace(item, client_wording=library[key])
    regions_file = shipped / "regions.toml"
    catalog = Catalog(
        muscles=parts["muscle"], posture=parts["finding"], rom=parts["test"],
        cues=parts["cue"], home_care=parts["item"],
        regions=load_regions(regions_file) if regions_file.is_file() else {},
        measures=_measures(shipped, user),
    )
    _check_references(catalog, shipped)
    return catalog


def _check_references(catalog: Catalog, where: Path) -> None:
    for group, items in (("posture", catalog.posture), ("home_care", catalog.home_care)):
        for item in items.values():
            for ref in item.related_muscles:
                if ref not in catalog.muscles:
                    raise CatalogError(
                        where / f"{group}.toml", repr(item.id), "related_muscles",
                        f"names unknown muscle {ref!r}",
                    )
