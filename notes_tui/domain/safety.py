"""Safety: the work of a note set against the client's contraindications.

A contraindication is free text ("no deep work on calves (DVT 2024)"). The regions it names
(catalog/regions.toml: names and synonyms, whole words) and the muscles it names (their names and
aliases) are compared with the note's treated trigger points and muscle findings; each row in a
named region is a caution the therapist sees before finalizing. A client may also set a pressure
limit (out of 10): a trigger point above it, or a work row whose pressure word starts above it
(light 1-3, moderate 4-6, firm 7-10), is a caution too. Nothing is refused: the therapist may
have checked with the client's physician; the editor asks them to confirm the row (y), and the
review lists the caution.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_tui.domain.catalog import Catalog, regions_named_in
from notes_tui.domain.note import NoteContent


@dataclass(frozen=True)
class Caution:
    step: int  # where the row is: 1 Assessment, 2 Trigger points
    message: str
    row: tuple[str, int, str] = ("", 0, "")  # which row, and its muscle: the same caution
    reason: str = "region"  # "region": the contraindications name it; "limit": the pressure

    @property
    def key(self) -> tuple:
        """What makes it the same caution again (said once, confirmed once): the table, the
        muscle or region and why; not the row's number, which a delete or a move above it
        changes, nor its side, which is set just after the row is added. A second row with the
        same key is told by counting them (the editor keeps the count)."""
        return (self.row[0], self.row[2], self.reason)


def _words(text: str) -> str:
    return " " + " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) + " "


def cautions(content: NoteContent, contraindications: str, catalog: Catalog, *,
             pressure_limit: int | None = None) -> list[Caution]:
    """One caution per treated trigger point (with its pressure) or muscle finding whose muscle
    is in a region, or is a muscle, that `contraindications` names, and per work row in a
    region they name; then one per trigger point or work row above `pressure_limit`."""
    out = _named(content, contraindications or "", catalog)
    if pressure_limit is None:
        return out
    for i, tp in enumerate(content.trigger_points, start=1):
        if tp.pressure is not None and tp.pressure > pressure_limit:
            m = catalog.muscle(tp.muscle_id)
            out.append(Caution(2, f"Trigger point {i}, {m.name if m else tp.muscle} "
                                  f"({tp.side.label.lower()}) at pressure {tp.pressure}/10: above "
                                  f"the client's limit of {pressure_limit}/10",
                               ("trigger_points", i, tp.muscle_id or ""), "limit"))
    for k, w in enumerate(content.work, start=1):
        if w.pressure is not None and w.pressure.lowest > pressure_limit:
            known = catalog.regions.get(w.region_id or "")
            where = (known.name if known is not None else w.region or w.region_id or "").lower()
            out.append(Caution(2, f"Work {k}, {w.modality.label.lower()} on the "
                                  f"{where} at {w.pressure.label} pressure: "
                                  f"above the client's limit of {pressure_limit}/10",
                               ("work", k, w.region_id or ""), "limit"))
    return out


def _named(content: NoteContent, text: str, catalog: Catalog) -> list[Caution]:
    if not text.strip():
        return []
    regions = regions_named_in(text, catalog.regions)
    words = _words(text)

    def named(muscle_id: str | None) -> str:
        m = catalog.muscle(muscle_id)
        if m is None:
            return ""
        if m.region in regions:
            region = catalog.regions[m.region]
            return region.name.lower()
        for word in (m.name.lower(), *m.aliases):
            if f" {' '.join(word.split())} " in words:
                return m.name
        return ""

    out: list[Caution] = []
    quoted = " ".join(text.split())
    if len(quoted) > 60:
        quoted = quoted[:59] + "…"
    for i, tp in enumerate(content.trigger_points, start=1):
        where = named(tp.muscle_id)
        if where:
            m = catalog.muscle(tp.muscle_id)
            pressure = f" at pressure {tp.pressure}/10" if tp.pressure is not None else ""
            out.append(Caution(2, f"Trigger point {i}, {m.name if m else tp.muscle} "
                                  f"({tp.side.label.lower()}){pressure}: the contraindications "
                                  f"name the {where} (\"{quoted}\")",
                               ("trigger_points", i, tp.muscle_id or "")))
    for k, w in enumerate(content.work, start=1):
        region = catalog.regions.get(w.region_id or "")
        if region is None and w.region:  # the therapist's own words: "calves", "lumbar"
            in_words = regions_named_in(w.region, catalog.regions) & regions
            region = catalog.regions[sorted(in_words)[0]] if in_words else None
        if region is not None and region.id in regions:
            pressure = f" ({w.pressure.label} pressure)" if w.pressure else ""
            out.append(Caution(2, f"Work {k}, {w.modality.label.lower()} on the "
                                  f"{region.name.lower()}{pressure}: the contraindications name "
                                  f"the {region.name.lower()} (\"{quoted}\")",
                               ("work", k, region.id)))
    for j, f in enumerate(content.muscles, start=1):
        where = named(f.muscle_id)
        if where:
            m = catalog.muscle(f.muscle_id)
            out.append(Caution(1, f"{m.name if m else f.muscle} ({f.side.label.lower()}) in the "
                                  f"assessment: the contraindications name the {where}",
                               ("muscles", j, f.muscle_id or "")))
    return out
