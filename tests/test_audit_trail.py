"""What the audit trail records, as a therapist's record needs it: one event per thing done
(create, edit session, finalize, amend, export, archive, import, discard), not one per autosave;
and `verify` reads the record in chunks rather than a note at a time."""

import functools
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select, text

from notes_tui.db.backends import backend_module
from notes_tui.db.models import AuditEvent, Note
from notes_tui.paths import templates_dir
from notes_tui.services import audit, clients, notes
from notes_tui.services.audit import verify
from notes_tui.services.context import open_context
from notes_tui.services.handouts import export_handout, load_handout_template
from notes_tui.services.interchange import dump_document, import_document
from notes_tui.services.note_digests import sealed_notes
from notes_tui.services.records import export_record, record_data
from tests.conftest import full_note

TEMPLATE = templates_dir() / "handout" / "handout.toml"


def _events(ctx, entity: str | None = None, entity_id: int | None = None) -> list[tuple]:
    with ctx.read() as s:
        stmt = select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id).order_by(
            AuditEvent.seq)
        if entity is not None:
            stmt = stmt.where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        return [tuple(r) for r in s.execute(stmt)]


def _draft(ctx, cid: int, **content) -> int:
    with ctx.write() as s:
        return notes.start_draft(cid, session=s, settings=ctx.settings, content=content).id


def _type(ctx, nid: int, seconds: int, *, edit_session: str | None, word: str = "neck",
          base: dict | None = None) -> None:
    """The editor's autosave: one save a second while the therapist keeps typing."""
    for i in range(seconds):
        with ctx.write() as s:
            notes.save_draft(nid, {**(base or {}), "complaint": f"{word} {'x' * i}"}, session=s,
                             actor="Ana", edit_session=edit_session)


def _verify(ctx):
    with ctx.read() as s:
        return verify(s, sealed_notes=sealed_notes)


def test_a_minute_of_typing_is_one_update(ctx, make_client):
    nid = _draft(ctx, make_client())
    _type(ctx, nid, 60, edit_session="session-one")
    assert _events(ctx, "note", nid) == [("create", "note", nid), ("update", "note", nid)]
    _type(ctx, nid, 5, edit_session="session-two", word="shoulder")
    assert [a for a, *_ in _events(ctx, "note", nid)] == ["create", "update", "update"]
    with ctx.read() as s:  # the content is the last save's, whatever the audit coalesced
        assert notes.get_note(nid, session=s).content.complaint == "shoulder " + "x" * 4
    assert _verify(ctx).ok


def test_saves_without_a_session_are_each_audited(ctx, make_client):
    nid = _draft(ctx, make_client())
    _type(ctx, nid, 3, edit_session=None)
    assert [a for a, *_ in _events(ctx, "note", nid)] == ["create", "update", "update", "update"]


def test_a_save_rolled_back_leaves_its_session_unaudited(ctx, make_client):
    """The session's event is the only record that it was audited: a save that rolls back takes
    its event with it, and the next save of the session records it."""
    nid = _draft(ctx, make_client())
    with pytest.raises(RuntimeError), ctx.write() as s:
        notes.save_draft(nid, {"complaint": "lost"}, session=s, actor="Ana", edit_session="e1")
        raise RuntimeError("power cut")
    assert [a for a, *_ in _events(ctx, "note", nid)] == ["create"]
    _type(ctx, nid, 3, edit_session="e1")
    assert [a for a, *_ in _events(ctx, "note", nid)] == ["create", "update"]


def test_every_step_of_a_record_is_audited(ctx, make_client, tmp_path, settings):
    cid = make_client()
    nid = _draft(ctx, cid, **full_note())
    _type(ctx, nid, 10, edit_session="s1", base=full_note())
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana")
    with ctx.write() as s:
        amendment = notes.amend(nid, reason="wrong side", text="right, not left", session=s,
                                actor="Ana")
    template = load_handout_template(TEMPLATE, None)
    export_handout(ctx, nid, template=template, exports=tmp_path / "exports", actor="Ana")
    export_record(ctx, cid, template=template, exports=tmp_path / "exports", actor="Ana")
    discarded = _draft(ctx, cid, complaint="started by mistake")
    with ctx.write() as s:
        notes.delete_draft(discarded, session=s, actor="Ana")
    with ctx.write() as s:
        clients.archive_client(cid, session=s, actor="Ana")
    events = _events(ctx)
    assert events == [
        ("create", "client", cid), ("create", "note", nid), ("update", "note", nid),
        ("finalize", "note", nid), ("amend", "amendment", amendment.id),
        ("export", "note", nid), ("export", "client", cid),
        ("create", "note", discarded), ("discard", "note", discarded),
        ("archive", "client", cid)]
    assert _verify(ctx).ok
    with ctx.read() as s:
        doc = json.loads(json.dumps(dump_document(s), ensure_ascii=False))
    other = open_context(f"sqlite:///{tmp_path / 'other.sqlite3'}", settings)
    try:
        with other.write() as s:
            import_document(doc, session=s, actor="Ana")
        imported = [(a, e) for a, e, _ in _events(other)]
        assert ("import", "note") in imported and imported[-1] == ("import", "document")
        assert _verify(other).ok
    finally:
        other.dispose()


def test_discard_names_the_note_and_a_discarded_draft_put_back_is_caught(ctx, make_client):
    cid = make_client()
    nid = _draft(ctx, cid, complaint="not this one")
    note_t = Note.__table__
    with ctx.engine.connect() as conn:  # a copy of the row, as a backup would hold it
        copy = dict(conn.execute(select(note_t).where(note_t.c.id == nid)).one()._mapping)
    with ctx.write() as s:
        notes.delete_draft(nid, session=s, actor="Ana")
    assert _events(ctx, "note", nid)[-1] == ("discard", "note", nid)
    assert _verify(ctx).ok
    with ctx.engine.begin() as conn:  # the row put back from the copy, outside the app
        conn.execute(note_t.insert().values(**copy))
    problems = _verify(ctx).problems
    assert problems == [f"note {nid}: discarded (audit event {len(_events(ctx))}) but back in "
                        "the database"]


def test_a_new_note_after_a_discard_verifies(ctx, make_client):
    """Whether or not the database hands the discarded id out again, the new note has its own
    create event and is nothing to report."""
    cid = make_client()
    nid = _draft(ctx, cid)
    with ctx.write() as s:
        notes.delete_draft(nid, session=s, actor="Ana")
    _draft(ctx, cid, complaint="the real one")
    assert _verify(ctx).ok


class _Evening(datetime):
    """The audit clock, six hours on."""

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(hours=6)


def test_the_record_shows_one_line_per_editing_session(ctx, make_client, monkeypatch):
    cid = make_client()
    first = _draft(ctx, cid, **full_note())
    _type(ctx, first, 30, edit_session="visit-1", base=full_note())
    with ctx.write() as s:
        notes.finalize(first, session=s, actor="Ana")
    second = _draft(ctx, cid)
    _type(ctx, second, 30, edit_session="visit-2-morning")
    monkeypatch.setattr(audit, "datetime", _Evening)
    _type(ctx, second, 30, edit_session="visit-2-evening")
    with ctx.read() as s:
        lines = record_data(cid, session=s, catalog=ctx.catalog, settings=ctx.settings,
                            template=load_handout_template(TEMPLATE, None)).audit_summary
    words = [what.split(" by ")[0].split(" ", 1)[1] for _, what in lines]
    assert words == ["create client " + str(cid), f"create note {first}", f"update note {first}",
                     f"finalize note {first}", f"create note {second}",
                     f"update note {second}", f"update note {second}"]


def test_the_record_folds_autosaves_written_before_sessions(ctx, make_client):
    """A database written by an older version has an update per autosave: the record reads
    them as one line with their count, and still names every other event."""
    cid = make_client()
    nid = _draft(ctx, cid)
    _type(ctx, nid, 14, edit_session=None)
    with ctx.read() as s:
        lines = record_data(cid, session=s, catalog=ctx.catalog, settings=ctx.settings,
                            template=load_handout_template(TEMPLATE, None)).audit_summary
    assert [what.split(" by ")[0] for _, what in lines] == [
        f"#1 create client {cid}", f"#2 create note {nid}", f"#3-#16 update note {nid}"]
    assert "14 edits until" in lines[2][1]
    with ctx.write() as s:
        notes.delete_draft(nid, session=s, actor="Ana")
    with ctx.read() as s:
        events = s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()
    assert audit.summary_lines(events)[-1][1].startswith(
        f"#17 discard note {nid} (draft deleted) by Ana")


def _statements(ctx, run) -> list[str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    return seen


def test_verify_reads_notes_in_chunks_not_one_by_one(ctx, make_client):
    """80 finalized notes in chunks of 20: a handful of queries per chunk, the same verdict as
    checking each note on its own, and a changed note still named."""
    cid = make_client()
    ids = []
    for i in range(80):
        nid = _draft(ctx, cid, **full_note(complaint=f"visit {i}"))
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="Ana")
        ids.append(nid)
    chunked = functools.partial(sealed_notes, chunk=20)
    reports = []

    def run():
        with ctx.read() as s:
            reports.append(verify(s, sealed_notes=chunked))

    statements = _statements(ctx, run)
    assert reports[0].ok and reports[0].finalized_notes == 80
    assert len(statements) < 50, len(statements)  # one by one would be 5 queries per note
    with ctx.engine.begin() as conn:
        for ddl in backend_module(conn.dialect.name).drop_lock_triggers_ddl():
            conn.execute(text(ddl))
        conn.execute(text(f"UPDATE note_cue SET response = 'worse' WHERE note_id = {ids[45]}"))
        for ddl in backend_module(conn.dialect.name).lock_triggers_ddl():  # tidied up
            conn.execute(text(ddl))
    for checked in (_verify(ctx), _legacy_verify(ctx)):
        assert checked.problems == [f"note {ids[45]}: content changed after it was finalized"]


def _legacy_verify(ctx):
    with ctx.read() as s:
        return verify(s, note_digest=notes.note_digest)
