"""How an export meets the database: read, render, write the file, then audit, in that order.

1. What the PDF prints is read in one read-only snapshot (it never waits for a writer).
2. ReportLab renders with no transaction open, so a 2 s clinical record never holds the write
   lock: autosaves, imports and other processes carry on meanwhile.
3. The file is written (atomically, 0600: services/files.py).
4. A short write transaction records the `export` event with the digest of the bytes written.

Between 1 and 4 the record can change: a draft finalized or discarded, a note amended, a client
renamed, an editing session's first save. The event is only recorded when no event touching the
client, its notes or their amendments came after the snapshot (checked under the audit head's
lock, so none can slip in between); otherwise the export starts again from 1 and overwrites its
own file, so the file on disk and the audit event always describe the same, latest, state. After
`ATTEMPTS` tries the export gives up, removes what it wrote and says so. An export whose event
could not be recorded (the database refused or the lock stayed busy) leaves no file: nothing
leaves the clinic unaudited. A render that fails leaves nothing at all. A process killed after
the file is written and before the event commits leaves a whole PDF with no event, as a kill
between the file's rename and the commit always could. A database opened read-only (its file or
folder read-only: db/sqlite_file.py) cannot record the event: the file is written unaudited, and
the caller tells the therapist so.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tui.domain.enums import AuditAction
from notes_tui.services import audit
from notes_tui.services.errors import ServiceError
from notes_tui.services.files import write_private_bytes

if TYPE_CHECKING:
    from sqlmodel import Session

    from notes_tui.services.context import Context

ATTEMPTS = 3


@dataclass(frozen=True)
class Prepared:
    """What one export read: the plain data to render, where the file goes, whose record it is
    (`client_id`, `note_ids`: what a later change is looked for in) and the audited entity."""

    data: Any
    path: Path
    client_id: int
    note_ids: tuple[int, ...]
    entity: str
    entity_id: int


def export_audited(ctx: Context, read: Callable[[Session], Prepared], render: Callable[[Prepared], bytes],
                   *, actor: str) -> tuple[Prepared, bytes]:
    """Run one export as the module docstring says; returns what was read and the bytes
    written (already at `prepared.path`, already audited)."""
    from notes_tui.paths import ensure_private_dir

    written: set[Path] = set()
    try:
        for _attempt in range(ATTEMPTS):
            with ctx.read() as s:
                prepared = read(s)
                seen = audit.last_seq(s)
            pdf = render(prepared)
            ensure_private_dir(prepared.path.parent)
            write_private_bytes(prepared.path, pdf)
            if ctx.read_only:  # nothing can be recorded in a read-only file (the CLI says so)
                break
            written.add(prepared.path)
            with ctx.write() as s:
                audit.lock_head(s)
                if not audit.client_changed_since(s, seen, prepared.client_id,
                                                  prepared.note_ids):
                    audit.record(s, actor=actor, action=AuditAction.EXPORT,
                                 entity=prepared.entity, entity_id=prepared.entity_id,
                                 content_digest=hashlib.sha256(pdf).hexdigest())
                    written.discard(prepared.path)
                    break
        else:
            raise ServiceError(
                f"{prepared.entity} {prepared.entity_id} kept changing while it was being "
                f"exported ({ATTEMPTS} tries); nothing was written: export it again")
    finally:
        _remove(written)  # unaudited files: an earlier try's (e.g. a preview's -DRAFT name)
    return prepared, pdf


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
