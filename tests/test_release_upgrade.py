"""A database made by each earlier release (schema 0006g, tests/data/release-0006g; schema 0006h,
tests/data/release-0006h, whose last note uses every field 0006h added) upgraded by today's code: every client, note and amendment reads exactly as that release dumped it, every
finalized note keeps its digest (`verify` ok, with that machine's seal key), and the notes are
still found by search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
# (folder, its schema revision, finalized notes, amendments)
RELEASES = [("release-0006g", "0006g", 24, 1), ("release-0006h", "0006h", 25, 1)]
releases = pytest.mark.parametrize(("name", "revision", "finals", "amended"), RELEASES,
                                   ids=[r[1] for r in RELEASES])


@releases
def test_a_release_database_upgrades_with_every_note_unchanged(tmp_path, settings, name, revision,
                                                               finals, amended):
    release = DATA / name
    from notes_tui.db.migrate import current_revision, head_revision
    from notes_tui.paths import config_dir
    from notes_tui.services.audit import verify
    from notes_tui.services.context import open_context
    from notes_tui.services.interchange import dump_document
    from notes_tui.services.note_digests import sealed_notes
    from notes_tui.services.search import search

    db = tmp_path / "notes.sqlite3"
    shutil.copyfile(release / "notes.sqlite3", db)
    config_dir().mkdir(parents=True, exist_ok=True)
    shutil.copyfile(release / "audit.key", config_dir() / "audit.key")
    ctx = open_context(f"sqlite:///{db}", settings)
    assert current_revision(ctx.engine) == head_revision() != revision

    with ctx.read() as s:
        report = verify(s, sealed_notes=sealed_notes)
    assert report.ok, report.problems
    assert (report.finalized_notes, report.amendments) == (finals, amended)

    before = json.loads((release / "dump.json").read_text(encoding="utf-8"))
    with ctx.read() as s:
        after = json.loads(json.dumps(dump_document(s), default=str))
    assert after["clients"] == before["clients"]
    assert after["notes"] == before["notes"]  # content, amendments, times: all as they were

    complaint = before["notes"][0]["content"]["complaint"].split()[0]
    with ctx.read() as s:
        hits = search(complaint, session=s, catalog=ctx.catalog, tz=settings.tz).hits
    assert hits, complaint


@releases
def test_verify_checks_the_release_notes_on_its_fast_path(tmp_path, settings, name, revision,
                                                          finals, amended):
    """Verify first hashes a note's rows as stored; only when that differs from the seal does it
    rebuild the note through the model (about 7x slower per note). Fields added after a note was
    sealed hold their default in its columns and are left out of the seal, so the fast path
    must leave them out too: every release note matches there."""
    from sqlalchemy import select

    from notes_tui.db.models import Note
    from notes_tui.domain.digest import digest
    from notes_tui.services import note_digests
    from notes_tui.services.context import open_context
    from notes_tui.services.note_store import content_data
    from notes_tui.services.notes import note_record

    release = DATA / name
    db = tmp_path / "notes.sqlite3"
    shutil.copyfile(release / "notes.sqlite3", db)
    ctx = open_context(f"sqlite:///{db}", settings)
    with ctx.read() as s:
        conn = s.connection()
        sealed = conn.execute(select(Note.__table__).where(Note.__table__.c.status == "final")
                              ).all()
        children = note_digests._child_rows(conn, [n.id for n in sealed])
        fast = [note_digests._as_json(content_data(n, note_digests._rows_of(children, n.id)))
                for n in sealed]
    assert len(sealed) == finals
    assert [digest(note_record(n, f)) if f is not None else None
            for n, f in zip(sealed, fast, strict=True)] == [n.content_digest for n in sealed]


@releases
def test_the_release_dump_imports_into_todays_database(ctx, name, revision, finals, amended):
    """An older dump (no since-last-visit, work, ROM-after or home-care side fields) imports
    into a new database and dumps back the same, sealed notes verified."""
    from notes_tui.services.audit import verify
    from notes_tui.services.interchange import dump_document, import_document
    from notes_tui.services.note_digests import sealed_notes

    release = DATA / name
    before = json.loads((release / "dump.json").read_text(encoding="utf-8"))
    with ctx.write() as s:
        import_document(before, session=s, actor="Ana Lee")
    with ctx.read() as s:
        after = json.loads(json.dumps(dump_document(s), default=str))
        report = verify(s, sealed_notes=sealed_notes)
    assert report.ok, report.problems
    assert [n["content"] for n in after["notes"]] == [n["content"] for n in before["notes"]]
    assert [n["amendments"] for n in after["notes"]] == [n["amendments"] for n in before["notes"]]
