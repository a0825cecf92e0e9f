"""The digests of every finalized note, recomputed in bulk for `verify`.

Notes are read in id order, a chunk at a time: one query for the chunk's note rows and one per
child table (Core rows, no ORM objects), so 100,000 notes cost a few hundred queries and the memory
of one chunk. Each note's digest is `digest(notes.note_record(note, content))`, the same bytes the
app sealed. The fast path hashes the stored rows as they are (what `note_store.content_data` maps them
to, in their JSON form); when that does not match the stored digest, the exact path validates the
content like `note_store.load_content` does and hashes that, so a mismatch is always judged the way
the app itself would judge it. A fast-path match is a SHA-256 match on the canonical form, so it
cannot pass content that the exact path would reject.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import func, select

from notes_tui.db.models import NOTE_CHILD_MODELS, Note
from notes_tui.domain.digest import digest
from notes_tui.domain.enums import NoteStatus
from notes_tui.domain.note import NoteContent
from notes_tui.domain.values import Dosage
from notes_tui.services.audit import SealedNote
from notes_tui.services.note_store import ROW_MODELS, content_data
from notes_tui.services.notes import note_record, validate_content
from notes_tui.services.progress import Progress

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Row
    from sqlmodel import Session

CHUNK = 500
CHILDREN = NOTE_CHILD_MODELS


def _child_rows(conn: Connection, ids: list[int]) -> dict[type, dict[int, list]]:
    out: dict[type, dict[int, list]] = {}
    for model in CHILDREN:
        t = model.__table__
        by_note: dict[int, list] = {}
        columns = [c for c in t.c if c.name not in ("id", "position")]
        for row in conn.execute(select(*columns).where(t.c.note_id.in_(ids))
                                .order_by(t.c.note_id, t.c.position)).all():
            by_note.setdefault(row.note_id, []).append(row)
        out[model] = by_note
    return out


def _rows_of(children: dict[type, dict[int, list]], note_id: int) -> Callable[[type], list]:
    return lambda model: children[model].get(note_id, [])


_DOSAGE_KEYS = tuple(f.name for f in dataclasses.fields(Dosage))
_DOSAGE_KEY_SET = frozenset(_DOSAGE_KEYS)


def _as_json(data: dict) -> dict | None:
    """The stored content in the form `NoteContent.model_dump(mode="json")` gives for valid
    content (a dosage carries all its keys; a date is ISO text in canonical JSON anyway), or
    None when a row holds something only the exact path can judge."""
    for item in data["home_care"]:
        dosage = item["dosage"]
        if not isinstance(dosage, dict) or not dosage.keys() <= _DOSAGE_KEY_SET:
            return None
        item["dosage"] = {k: dosage.get(k) for k in _DOSAGE_KEYS}
    # fields added after notes were first sealed leave the JSON while at their default
    # (domain.note._Sealed.LATER): the stored columns hold the default, the digest never had it
    _drop_later(data, NoteContent)
    for name, model in ROW_MODELS.items():
        for item in data.get(name, ()):
            _drop_later(item, model)
    return data


def _drop_later(data: dict, model: type[BaseModel]) -> None:
    fields = model.model_fields
    for name in getattr(model, "LATER", frozenset()):
        if name in data and data[name] == fields[name].get_default(call_default_factory=True):
            del data[name]


def _actual(note: Row[Any], rows: Callable[[type], list]) -> str:
    stored = _as_json(content_data(note, rows))
    if stored is not None and (fast := digest(note_record(note, stored))) == note.content_digest:
        return fast
    try:
        return digest(note_record(note, validate_content(content_data(note, rows))))
    except ValueError as exc:  # FieldError is one: the row no longer holds a valid note
        return f"invalid: {exc}"


def sealed_notes(session: Session, *, chunk: int = CHUNK,
                 progress: Progress | None = None) -> Iterator[list[SealedNote]]:
    """Every finalized note with its recomputed digest, in id order, one chunk per list;
    `progress(done, total)` counts the notes as each chunk is ready."""
    conn = session.connection()
    note_t = Note.__table__
    last_id = 0
    done, total = 0, 0
    if progress is not None:
        total = conn.execute(select(func.count()).select_from(note_t)
                             .where(note_t.c.status == NoteStatus.FINAL.value)).scalar_one()
        progress(0, total)
    while True:
        notes = conn.execute(
            select(note_t).where(note_t.c.status == NoteStatus.FINAL.value, note_t.c.id > last_id)
            .order_by(note_t.c.id).limit(chunk)).all()
        if not notes:
            return
        last_id = notes[-1].id
        children = _child_rows(conn, [n.id for n in notes])
        yield [SealedNote(n.id, n.content_digest, _actual(n, _rows_of(children, n.id)))
               for n in notes]
        if progress is not None:
            done += len(notes)
            progress(done, max(total, done))
