"""A bulk import and a therapist's autosaves at the same time, on the real database: no
"deadlock detected" on PostgreSQL, no lost save on either backend, every imported note in the
database and in the search index.

The import keeps to the one lock order of every writer (client, note, rows, search index,
audit): it indexes only the notes it wrote, never deleting from the index table-wide, and takes
the audit head once, at the end; an autosave takes its note's row lock first; `db reindex`
rewrites each note's index row in place."""

from __future__ import annotations

import threading

from sqlalchemy import text

from notes_tui.services import clients, notes
from notes_tui.services.api import Services
from notes_tui.services.audit import verify
from notes_tui.services.context import open_context
from notes_tui.services.interchange import dump_document, import_document
from notes_tui.services.note_digests import sealed_notes
from notes_tui.settings import Settings

NOTES = 240
ROUNDS = 3


def _document(tmp_path) -> dict:
    """A dump of NOTES demo notes, without uuids (each import adds them all again, new)."""
    source = open_context(f"sqlite:///{tmp_path / 'source.sqlite3'}",
                          Settings(therapist_name="Src"))
    try:
        Services(source).demo.load(clients=12, notes=NOTES, seed=11)
        with source.read() as s:
            doc = dump_document(s)
    finally:
        source.dispose()
    for record in doc["clients"] + doc["notes"]:
        record.pop("uuid", None)
        for a in record.get("amendments", ()):
            a.pop("uuid", None)
    return doc


def test_an_import_and_autosaves_together_never_deadlock_or_lose_a_save(ctx, tmp_path):
    """Three rounds of: a therapist saving a draft every 10 ms while an import of 240 notes and
    then a reindex run. (The import's old table-wide index rebuild, used past 2,000 notes,
    deadlocked in the first round on PostgreSQL when forced on for these 240: "deadlock
    detected ... while updating tuple in relation audit_head".)"""
    doc = _document(tmp_path)
    with ctx.write() as s:
        cid = clients.create_client({"name": "Typing Now"}, session=s, actor="Ana").id
        draft = notes.start_draft(cid, session=s, settings=ctx.settings).id
    saves: list[str] = []
    errors: list[BaseException] = []

    def autosave(stop: threading.Event) -> None:
        i = 0
        # a therapist typing: a save, a short pause, the next one (each its own transaction)
        while not stop.is_set() or i < 5:
            complaint = f"typed while importing {len(saves)}"
            try:
                with ctx.write() as s:
                    notes.save_draft(draft, {"complaint": complaint}, session=s, actor="Ana")
            except BaseException as exc:  # the test reports whatever it was
                errors.append(exc)
                return
            saves.append(complaint)
            i += 1
            stop.wait(0.01)

    for round_ in range(ROUNDS):
        stop = threading.Event()
        saver = threading.Thread(target=autosave, args=(stop,))
        saver.start()
        try:
            with ctx.write() as s:
                result = import_document(doc, session=s, actor="Import")
            Services(ctx).search.reindex()  # `db reindex` while the therapist types, too
        finally:
            stop.set()
            saver.join(timeout=120)
        assert not errors, f"round {round_}: {errors[0]!r}"
        assert result.notes == NOTES and not result.kept_ids
    assert len(saves) >= ROUNDS * 5
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM note")).scalar() == ROUNDS * NOTES + 1
        assert notes.get_note(draft, session=s).content.complaint == saves[-1]
        updates = s.execute(text("SELECT count(*) FROM audit_event WHERE entity = 'note' "
                                 "AND entity_id = :id AND action = 'update'"),
                            {"id": draft}).scalar()
        assert updates == len(saves), "every save was written (each one audited)"
        assert verify(s, sealed_notes=sealed_notes).ok
    services = Services(ctx)
    assert services.search.notes("importing").hits[0].note_id == draft
    word = doc["notes"][0]["content"]["complaint"].split()[0]
    found = services.search.notes(f'"{word}"', limit=200)
    assert len(found.hits) >= ROUNDS, "the imported notes are in the search index"


def test_reindex_rewrites_the_index_in_place(ctx, make_client):
    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content={"complaint": "sternocleidomastoid ache"}).id
    Services(ctx).search.reindex()
    Services(ctx).search.reindex()
    hits = Services(ctx).search.notes("sternocleidomastoid").hits
    assert [h.note_id for h in hits] == [nid]
