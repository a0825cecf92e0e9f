"""What an amendment changed: the differences between two revisions of a note's content, in
words a therapist reads in the clinical record ("Trigger point 1 (upper trapezius): side left ->
right"). Pure: compares two `NoteContent` values field by field and rows by position."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from notes_tui.domain.note import NoteContent

_ROW_NAMES = {
    "pain_locations": "Pain location", "posture": "Posture finding", "rom": "Range of motion",
    "muscles": "Muscle finding", "trigger_points": "Trigger point", "cues": "Movement cue",
    "home_care": "Home care",
}
_ROW_TITLE_KEYS = ("muscle", "muscle_id", "movement", "test_id", "text", "finding_id", "cue_id",
                   "item_id")


def _label(name: str) -> str:
    return name.replace("_", " ")


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, BaseModel):
        return ", ".join(f"{_label(k)} {_shown(v)}" for k, v in value.model_dump().items()
                         if v not in (None, "", [], {}))
    if hasattr(value, "text") and callable(value.text):  # Dosage
        return value.text() or "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:79] + "\u2026"


def _row_title(kind: str, index: int, row: object) -> str:
    title = f"{_ROW_NAMES[kind]} {index}"
    if isinstance(row, str):
        return title
    for key in _ROW_TITLE_KEYS:
        value = getattr(row, key, None)
        if value:
            return f"{title} ({_label(str(value))})"
    return title


def _row_changes(kind: str, index: int, old: BaseModel | str | None,
                 new: BaseModel | str | None) -> list[str]:
    if old is None:
        return [f"{_row_title(kind, index, new)}: added"]
    if new is None:
        return [f"{_row_title(kind, index, old)}: removed"]
    if old == new:
        return []
    if isinstance(old, str):
        return [f"{_ROW_NAMES[kind]} {index}: {_shown(old)} -> {_shown(new)}"]
    parts = [f"{_label(name)} {_shown(getattr(old, name))} -> {_shown(getattr(new, name))}"
             for name in type(old).model_fields
             if getattr(old, name) != getattr(new, name)]
    return [f"{_row_title(kind, index, new)}: " + "; ".join(parts)]


def describe_changes(old: NoteContent, new: NoteContent) -> tuple[str, ...]:
    """One line per changed field or row, in the note's own order; () when nothing changed."""
    out: list[str] = []
    for name in NoteContent.model_fields:
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        if name in _ROW_NAMES:
            for i in range(max(len(a), len(b))):
                out += _row_changes(name, i + 1, a[i] if i < len(a) else None,
                                    b[i] if i < len(b) else None)
        elif name == "to_confirm":
            continue  # bookkeeping of suggestions, not part of what was recorded
        else:
            out.append(f"{_label(name).capitalize()}: {_shown(a)} -> {_shown(b)}")
    return tuple(out)
