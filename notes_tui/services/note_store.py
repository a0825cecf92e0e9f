"""The one writer (and reader) of a note's content.

Every path that stores what a therapist wrote about a session goes through
`write_note_content`: the editor's saves, a new draft (blank, from a template, "same as last
time"), the JSON import and the demo data. `load_content` reads it back. Neither keeps its own list
of a note's columns: the scalar fields are `NoteContent`'s fields that are not row lists (checked
against the `note` table by a test), and each row type is one `RowMap` from the row model's
fields to its table's columns.

Amendments are written by `write_amendment`, used by `notes.amend` and the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import delete, insert, inspect, select
from sqlmodel import col as sqlcol

from notes_tui.db.models import (
    NOTE_CHILD_MODELS,
    Amendment,
    Note,
    NoteChild,
    NoteCue,
    NoteFinding,
    NoteHomeCare,
    NoteTriggerPoint,
    NoteWork,
)
from notes_tui.domain.note import (
    HomeCareRow,
    MovementCueRow,
    MuscleFindingRow,
    NoteContent,
    PostureRow,
    RomRow,
    TriggerPointRow,
    WorkRow,
)
from notes_tui.domain.values import Dosage, check_next_visit_date

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy.engine import Row
    from sqlalchemy.sql.schema import ScalarElementColumnDefault
    from sqlmodel import Session

ROW_TABLES = NOTE_CHILD_MODELS
RowModel = NoteChild
if TYPE_CHECKING:
    RowsOf = Callable[[type[RowModel]], Sequence[Any]]  # a note's rows of one table, in order
TEXT = "."  # the row is a plain string (a pain location), stored in one column


@dataclass(frozen=True)
class RowMap:
    """How one list of `NoteContent` is stored: `columns` maps the row model's field to the
    table's column; `kind` tells the findings table's row kinds apart."""

    field: str
    table: type[RowModel]
    columns: dict[str, str]
    kind: str | None = None


def _same(model: type[BaseModel]) -> dict[str, str]:
    return {name: name for name in model.model_fields}


ROW_MAPS = (
    RowMap("pain_locations", NoteFinding, {TEXT: "text"}, "pain_location"),
    RowMap("posture", NoteFinding, {"finding_id": "ref_id", "text": "text", "side": "side"},
           "posture"),
    RowMap("rom", NoteFinding, {"test_id": "ref_id", "movement": "text", "side": "side",
                                "result": "result", "degrees": "degrees", "painful": "painful",
                                "degrees_after": "degrees_after", "percent": "percent"},
           "rom"),
    RowMap("muscles", NoteFinding, {"muscle_id": "ref_id", "muscle": "text", "side": "side",
                                    "finding": "finding", "note": "note"}, "muscle"),
    RowMap("work", NoteWork, _same(WorkRow)),
    RowMap("trigger_points", NoteTriggerPoint, _same(TriggerPointRow)),
    RowMap("cues", NoteCue, _same(MovementCueRow)),
    RowMap("home_care", NoteHomeCare, _same(HomeCareRow)),
)
ROW_MODELS: dict[str, type[BaseModel]] = {
    "posture": PostureRow, "rom": RomRow, "muscles": MuscleFindingRow, "work": WorkRow,
    "trigger_points": TriggerPointRow, "cues": MovementCueRow, "home_care": HomeCareRow}
ROW_FIELDS = tuple(m.field for m in ROW_MAPS)
SCALARS = tuple(name for name in NoteContent.model_fields if name not in ROW_FIELDS)


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Dosage):
        return value.as_dict()
    return value


@cache
def _blank_row(table: type[RowModel]) -> dict[str, object]:
    """What a row of `table` holds in the columns its row type does not use (one executemany
    needs every key in every row): the column's default, or NULL."""
    used = {col for m in ROW_MAPS if m.table is table for col in m.columns.values()}
    out: dict[str, object] = {}
    for column in table.__table__.columns:
        if column.name in used:
            default = column.default
            out[column.name] = (cast("ScalarElementColumnDefault", default).arg
                                if default is not None and default.is_scalar else None)
    return out


def row_dicts(content: NoteContent, note_id: int) -> dict[type[RowModel], list[dict]]:
    """The note's ordered rows, per table, as plain dicts for one executemany insert each."""
    out: dict[type[RowModel], list[dict]] = {table: [] for table in ROW_TABLES}
    for m in ROW_MAPS:
        rows = out[m.table]
        base = _blank_row(m.table)
        for item in getattr(content, m.field):
            row = {**base, "note_id": note_id, "position": len(rows) + 1}
            if m.kind is not None:
                row["kind"] = m.kind
            for attr, col in m.columns.items():
                row[col] = item if attr == TEXT else _plain(getattr(item, attr))
            rows.append(row)
    return out


def _from_row(m: RowMap, row: object) -> object:
    if TEXT in m.columns:
        return getattr(row, m.columns[TEXT])
    return {attr: getattr(row, col) for attr, col in m.columns.items()}


def load_content(note: Note, *, session: Session, rows: RowsOf | None = None) -> NoteContent:
    """The note's content as the editor, the views and the dump see it. `rows(table)` gives the
    note's rows of a child table in position order; by default one query per table (verify
    passes rows it loaded for many notes at once)."""
    def query(table: type[RowModel]) -> Sequence[RowModel]:
        return session.execute(
            select(table).where(sqlcol(table.note_id) == note.id).order_by(sqlcol(table.position))
        ).scalars().all()

    return NoteContent.model_validate(content_data(note, rows or query))


def content_data(note: Note | Row[Any], rows: RowsOf) -> dict:
    """The note's content as stored, before validation (`load_content` validates it)."""
    by_table = {table: rows(table) for table in ROW_TABLES}
    data: dict[str, object] = {key: getattr(note, key) for key in SCALARS}
    for m in ROW_MAPS:
        data[m.field] = [_from_row(m, row) for row in by_table[m.table]
                         if m.kind is None or row.kind == m.kind]
    return data


def write_note_content(note: Note, content: NoteContent, *, session: Session) -> Note:
    """Write `content` onto `note`: its scalar fields, then its ordered rows (replaced).

    A new note is added and flushed first. The rows go through Core (no ORM unit of
    work); the caller has checked that the note is a draft, and the database's triggers refuse
    rows of a finalized note. A next visit before the session's day, or more than two years after
    it, is refused (`FieldError`), whichever path wrote it."""
    check_next_visit_date(content.next_visit_date, session_day(note))
    for key in SCALARS:
        setattr(note, key, _plain(getattr(content, key)))
    state = inspect(note)
    fresh = state.transient or state.pending  # nothing stored yet: no rows to replace
    if state.transient:
        session.add(note)
    session.flush()
    assert note.id is not None  # flushed
    conn = session.connection()
    if not fresh:
        delete_rows(note.id, session=session)
    for table, rows in row_dicts(content, note.id).items():
        if rows:
            conn.execute(insert(table.__table__), rows)
    return note


def session_day(note: Note) -> date | None:
    """The session's calendar day where it happened."""
    if note.session_start is None:
        return None
    return note.session_start.astimezone(ZoneInfo(note.timezone or "UTC")).date()


def delete_rows(note_id: int, *, session: Session) -> None:
    conn = session.connection()
    for table in ROW_TABLES:
        conn.execute(delete(table.__table__).where(table.__table__.c.note_id == note_id))


def write_amendment(note: Note, *, author: str, reason: str, text: str, created_at: datetime,
                    session: Session, **extra: Any) -> Amendment:
    """Add one amendment to a finalized note, with its digest; flushed, so it has an id."""
    from notes_tui.services.audit import amendment_digest

    assert note.id is not None  # only a stored, finalized note is amended
    amendment = Amendment(note_id=note.id, author=author, reason=reason, text=text, digest="",
                          created_at=created_at, **extra)
    amendment.digest = amendment_digest(amendment)
    session.add(amendment)
    session.flush()
    return amendment
