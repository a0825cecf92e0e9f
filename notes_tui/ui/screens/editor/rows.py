"""The note's rows as data: cells for display, rows made from a catalog pick, the single-key
changes (side, copy, pressure, response, finding, confirm), and the small forms that edit a row.
Nothing here touches a widget; `row_editing.py` applies these to the editor's tables."""

from __future__ import annotations

from rich.text import Text

from notes_tui.domain.enums import (
    Modality,
    MuscleFindingKind,
    RomResult,
    Side,
    TriggerPointResponse,
    WorkPressure,
)
from notes_tui.domain.note import (
    HomeCareRow,
    MovementCueRow,
    MuscleFindingRow,
    PostureRow,
    RomRow,
    TriggerPointRow,
    WorkRow,
)
from notes_tui.ui.dialogs import FieldSpec
from notes_tui.ui.text import pain, plain

COLUMNS = {
    "posture": ("Finding", "Side"),
    "rom": ("Test", "Side", "Result", "Painful"),
    "muscles": ("Muscle", "Side", "Finding"),
    "work": ("Region", "Side", "Modality", "Min", "Pressure"),
    "trigger_points": ("#", "Muscle", "Side", "Pressure", "Response", "Refers to"),
    "cues": ("Cue", "Point", "Response"),
    "home_care": ("Home care", "Side", "Dosage"),
}
ROW_TYPES = {"posture": PostureRow, "rom": RomRow, "muscles": MuscleFindingRow, "work": WorkRow,
             "trigger_points": TriggerPointRow, "cues": MovementCueRow, "home_care": HomeCareRow}
RESPONSES = [None, *TriggerPointResponse]
FINDINGS = list(MuscleFindingKind)
MODALITIES = list(Modality)
WORK_PRESSURES = {"1": WorkPressure.LIGHT, "2": WorkPressure.MODERATE, "3": WorkPressure.FIRM}
# Rows a template (or a future import) may suggest: they arrive "to confirm" (confirmed=False)
CONFIRMABLE = ("work", "trigger_points", "cues", "home_care")
TO_CONFIRM = "to confirm"


def columns(kind: str, suggestions: bool) -> tuple[str, ...]:
    """The table's columns; a leading marker column while some row is still to confirm."""
    return ("", *COLUMNS[kind]) if suggestions else COLUMNS[kind]


def unconfirmed(kind: str, rows: list) -> list[int]:
    """Indexes of the rows still to confirm."""
    if kind not in CONFIRMABLE:
        return []
    return [i for i, row in enumerate(rows) if not row.confirmed]


def confirmed(row):
    return row.model_copy(update={"confirmed": True})


def _side(side: Side | None) -> str:
    return side.label if side else "-"


def name_of(kind: str, row, catalog) -> str:
    """The row's name as every view shows it: the catalog's, then the therapist's own words."""
    from notes_tui.domain.wording import also_named, with_own_words

    if kind in ("muscles", "trigger_points"):
        m = catalog.muscle(row.muscle_id)
        return also_named(m.name, row.muscle) if m else row.muscle
    if kind == "rom":
        t = catalog.rom.get(row.test_id or "")
        return also_named(t.name, row.movement) if t else row.movement
    if kind == "work":
        r = catalog.regions.get(row.region_id or "")
        return (f"{r.name}: {row.region}" if row.region else r.name) if r else (
            row.region or row.region_id or "")
    entry = {"posture": catalog.posture, "cues": catalog.cues,
             "home_care": catalog.home_care}[kind].get(
        (row.finding_id if kind == "posture" else row.cue_id if kind == "cues"
         else row.item_id) or "")
    return with_own_words(entry.name, row.text) if entry else row.text


def cells(kind: str, row, index: int, catalog, *, marker_column: bool = False,
          marker_style="", suggested_style="") -> list[Text]:
    """The row's cells as inert Text. With `marker_column`, a first cell says "to confirm" for a
    suggestion, and a suggestion's other cells take `suggested_style` (theme styles, resolved by
    the table)."""
    name = plain(name_of(kind, row, catalog))
    if kind == "posture":
        values = [name, _side(row.side)]
    elif kind == "rom":
        unit = "%" if row.percent else "°"
        result = f"{row.degrees}{unit}" if row.result is RomResult.DEGREES else row.result.value
        if row.degrees_after is not None:
            result += f"→{row.degrees_after}{unit}"
        values = [name, _side(row.side), result, "painful" if row.painful else ""]
    elif kind == "muscles":
        values = [name, _side(row.side), row.finding.label]
    elif kind == "work":
        values = [name, _side(row.side), row.modality.label, str(row.minutes or "-"),
                  row.pressure.label if row.pressure else "-"]
    elif kind == "trigger_points":
        values = [str(index + 1), name + (f" {plain(row.label)}" if row.label else ""),
                  _side(row.side), f"{pain(row.pressure)}/10",
                  row.response.label if row.response else "-", plain(row.referred_pain)]
    elif kind == "cues":
        values = [name, str(row.trigger_point or "-"), plain(row.response)]
    else:
        values = [name, _side(row.side), plain(row.dosage.text())]
    suggestion = kind in CONFIRMABLE and not row.confirmed
    out = [Text(v, style=suggested_style if suggestion else "") for v in values]
    if marker_column:
        out.insert(0, Text(TO_CONFIRM if suggestion else "", style=marker_style))
    return out


# --- pickers -----------------------------------------------------------------------------

def picker_items(kind: str, catalog, query: str) -> list[tuple[str, Text]]:
    """What the picker offers for `query`: catalog entries, best first."""
    if kind in ("muscles", "trigger_points"):
        out = []
        for m in catalog.find_muscles(query, limit=30):
            t = Text(m.name)
            if m.aliases:
                t.append("  " + ", ".join(m.aliases), style="dim")
            out.append((m.id, t))
        return out
    source = {"posture": catalog.posture, "rom": catalog.rom, "cues": catalog.cues,
              "home_care": catalog.home_care, "work": catalog.regions}[kind]
    q = " ".join(query.split())
    entries = list(source.values())

    def names(e) -> tuple[str, ...]:  # a region is found by its synonyms too ("calf")
        return (e.name, *getattr(e, "synonyms", ()))

    if q:
        from textual.fuzzy import Matcher

        matcher = Matcher(q)
        scored = [(max(matcher.match(n) for n in names(e)), i, e) for i, e in enumerate(entries)]
        entries = [e for s, _, e in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]
    out = []
    for e in entries[:30]:
        t = Text(e.name)
        if kind == "work" and e.synonyms:
            t.append("  " + ", ".join(e.synonyms[:4]), style="dim")
        out.append((e.id, t))
    return out


def new_row(kind: str, picked: tuple[str, str], catalog):
    how, value = picked
    if kind == "trigger_points":
        if how == "id":
            m = catalog.muscle(value)
            return TriggerPointRow(muscle_id=value, referred_pain=m.referral_clinical[:500])
        return TriggerPointRow(muscle=value)
    if kind == "muscles":
        return MuscleFindingRow(muscle_id=value) if how == "id" else MuscleFindingRow(muscle=value)
    if kind == "posture":
        return PostureRow(finding_id=value) if how == "id" else PostureRow(text=value)
    if kind == "rom":
        return RomRow(test_id=value) if how == "id" else RomRow(movement=value)
    if kind == "cues":
        return MovementCueRow(cue_id=value) if how == "id" else MovementCueRow(text=value)
    if kind == "work":
        return WorkRow(region_id=value) if how == "id" else WorkRow(region=value)
    if how == "id":  # the catalog's dosage is a suggestion: "to confirm" until the therapist says
        return HomeCareRow(item_id=value, dosage=catalog.home_care[value].dosage,
                           confirmed=False)
    return HomeCareRow(text=value)


# --- single-key changes --------------------------------------------------------------------

def with_side(row, side: str):
    return row.model_copy(update={"side": Side(side)})


def other_side(row):
    return row.model_copy(update={"side": row.side.other() if row.side else None})


def with_pressure(row, digit: str):
    if isinstance(row, WorkRow):  # 1 light, 2 moderate, 3 firm; 0 not recorded
        if digit != "0" and digit not in WORK_PRESSURES:
            return row
        return row.model_copy(update={"pressure": WORK_PRESSURES.get(digit)})
    if digit == "0" and row.pressure == 1:
        return row.model_copy(update={"pressure": 10})  # "1" then "0" makes 10
    return row.model_copy(update={"pressure": int(digit)})


def next_response(row):
    i = RESPONSES.index(row.response)
    return row.model_copy(update={"response": RESPONSES[(i + 1) % len(RESPONSES)]})


def next_finding(row):
    i = FINDINGS.index(row.finding)
    return row.model_copy(update={"finding": FINDINGS[(i + 1) % len(FINDINGS)]})


def next_modality(row):
    i = MODALITIES.index(row.modality)
    return row.model_copy(update={"modality": MODALITIES[(i + 1) % len(MODALITIES)]})


def toggle_painful(row):
    return row.model_copy(update={"painful": not row.painful})


def next_link(row, points: int):
    current = row.trigger_point or 0
    nxt = current + 1 if current < points else None
    return row.model_copy(update={"trigger_point": nxt})


# --- forms ---------------------------------------------------------------------------------

def _choices(enum_values, label=lambda v: v.label) -> list[tuple[str, str]]:
    return [(label(v), v.value) for v in enum_values]


def form_fields(kind: str, row, catalog=None) -> list[FieldSpec]:
    if kind == "trigger_points":
        from notes_tui.domain.enums import TriggerPointActivity, TriggerPointTechnique

        return [
            FieldSpec("label", "Label (e.g. TrP1)", row.label, max_length=20),
            FieldSpec("referred_pain", "Refers to", row.referred_pain, max_length=500),
            FieldSpec("pressure", "Pressure (0-10)", "" if row.pressure is None
                      else str(row.pressure), restrict=r"(10|[0-9])?", max_length=2),
            FieldSpec("response", "Response", row.response.value if row.response else "",
                      choices=_choices(TriggerPointResponse)),
            FieldSpec("activity", "Activity", row.activity.value,
                      choices=_choices(TriggerPointActivity, lambda v: v.value)),
            FieldSpec("technique", "Technique", row.technique.value,
                      choices=_choices(TriggerPointTechnique)),
            FieldSpec("note", "Note", row.note, max_length=500),
        ]
    if kind == "cues":
        return [
            FieldSpec("text", "Cue (free text; empty keeps the catalog cue)", row.text,
                      max_length=500),
            FieldSpec("trigger_point", "With treated point number", str(row.trigger_point or ""),
                      restrict=r"[0-9]{0,3}", max_length=3),
            FieldSpec("response", "Client's response", row.response, max_length=500),
        ]
    if kind == "home_care":
        d = row.dosage
        num = lambda v: "" if v is None else str(v)  # noqa: E731
        return [
            FieldSpec("sets", "Sets", num(d.sets), restrict=r"[0-9]{0,4}", max_length=4),
            FieldSpec("reps", "Repetitions", num(d.reps), restrict=r"[0-9]{0,4}", max_length=4),
            FieldSpec("hold_seconds", "Hold (seconds)", num(d.hold_seconds),
                      restrict=r"[0-9]{0,4}", max_length=4),
            FieldSpec("minutes", "Minutes", num(d.minutes), restrict=r"[0-9]{0,4}",
                      max_length=4),
            FieldSpec("frequency", "How often", d.frequency or "", max_length=100),
        ]
    if kind == "rom":
        test = catalog.rom.get(row.test_id or "") if catalog is not None else None
        norm = ""
        if test is not None and (test.normal_text or test.normal_degrees):
            norm = f"; norm {test.normal_text or str(test.normal_degrees) + chr(176)}"
        num = lambda v: "" if v is None else str(v)  # noqa: E731
        return [
            FieldSpec("degrees", f"Before treatment (empty: limited{norm})", num(row.degrees),
                      restrict=r"[0-9]{0,3}", max_length=3),
            FieldSpec("degrees_after", "After treatment", num(row.degrees_after),
                      restrict=r"[0-9]{0,3}", max_length=3),
            FieldSpec("percent", "Measured in", "yes" if row.percent else "no",
                      choices=[("degrees", "no"), ("% of normal", "yes")]),
            FieldSpec("result", "Result", row.result.value,
                      choices=_choices(RomResult, lambda v: v.value)),
        ]
    if kind == "work":
        return [
            FieldSpec("minutes", "Minutes", "" if row.minutes is None else str(row.minutes),
                      restrict=r"[0-9]{0,3}", max_length=3),
            FieldSpec("modality", "Modality", row.modality.value, choices=_choices(MODALITIES)),
            FieldSpec("pressure", "Pressure", row.pressure.value if row.pressure else "",
                      choices=_choices(WorkPressure)),
            FieldSpec("region", "Area in your words (e.g. lumbar paraspinals)", row.region,
                      max_length=200),
            FieldSpec("note", "Note", row.note, max_length=500),
        ]
    if kind == "muscles":
        return [
            FieldSpec("finding", "Finding", row.finding.value, choices=_choices(FINDINGS)),
            FieldSpec("note", "Note", row.note, max_length=500),
        ]
    return [FieldSpec("text", "Finding (free text)", row.text, max_length=500)]


def row_from_form(kind: str, row, data: dict):
    """The edited row, validated; a FieldError names the form field."""
    from pydantic import ValidationError

    from notes_tui.domain.text import FieldError

    raw = row.model_dump()
    if kind == "home_care":
        raw["dosage"] = {k: data[k] for k in ("sets", "reps", "hold_seconds", "minutes",
                                              "frequency") if data.get(k)}
    else:
        for key, value in data.items():
            raw[key] = value if value != "" else None if key in (
                "pressure", "response", "trigger_point", "degrees", "minutes",
                "degrees_after") else value
        if kind == "rom":
            raw["percent"] = data.get("percent") == "yes"
        if kind == "rom":
            raw["result"] = "degrees" if data.get("degrees") else (
                data.get("result") if data.get("result") != "degrees" else "limited")
    try:
        return ROW_TYPES[kind].model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        original = (err.get("ctx") or {}).get("error")
        where = ".".join(str(p) for p in err["loc"]) or "form"
        if isinstance(original, FieldError):
            raise FieldError(where, original.message) from None
        raise FieldError(where, err["msg"].removeprefix("Value error, ")) from None
