"""Tamper evidence without gaps (issue 15): 25 tamperings, each done with raw SQL on a real SQLite
file the app made (lock triggers dropped where the attacker needs it, and put back after, as a
careful attacker would), and what `notes-tui verify` prints about it. A few run the CLI in a real
process, the rest in-process through click; an untouched database and a day of normal use print
"ok"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from notes_tui.cli import main
from notes_tui.db.backends import sqlite as sqlite_backend
from notes_tui.db.models import AuditEvent, AuditHead
from notes_tui.domain.digest import chain_hash
from notes_tui.paths import templates_dir
from notes_tui.services import audit, audit_seal, clients, notes
from notes_tui.services.context import open_context
from notes_tui.services.handouts import export_handout, load_handout_template
from notes_tui.services.interchange import dump_document, import_document
from notes_tui.services.records import export_record
from tests.conftest import full_note

TEMPLATE = templates_dir() / "handout" / "handout.toml"


@dataclass
class Record:
    """The practice: Jane (two finalized notes, one amended, both exported, her record
    exported), Omar (a finalized and amended note, a draft), Lena (a draft, a discarded draft),
    Tom (no notes yet)."""

    ctx: object
    path: str
    jane: int
    omar: int
    lena: int
    tom: int
    jane_1: int
    jane_2: int
    omar_1: int
    omar_draft: int
    lena_draft: int
    discarded: int
    jane_amendment: int
    omar_amendment: int

    def sql(self, *statements: str, triggers: bool = True) -> None:
        """Raw SQL with Python's own sqlite3, past the lock triggers; put back when `triggers`."""
        con = sqlite3.connect(self.path)
        try:
            with con:
                for ddl in sqlite_backend.drop_lock_triggers_ddl():
                    con.execute(ddl)
                for statement in statements:
                    con.execute(statement)
                if triggers:
                    for ddl in sqlite_backend.lock_triggers_ddl():
                        con.execute(ddl)
        finally:
            con.close()

    def scalar(self, query: str) -> object:
        con = sqlite3.connect(self.path)
        try:
            return con.execute(query).fetchone()[0]
        finally:
            con.close()

    @property
    def last_seq(self) -> int:
        return int(self.scalar("SELECT max(seq) FROM audit_event"))  # type: ignore[arg-type]


def _draft(ctx, cid: int, start: str, **content) -> int:
    with ctx.write() as s:
        return notes.start_draft(cid, session=s, settings=ctx.settings, content=content,
                                 session_start=start).id


def _final(ctx, cid: int, start: str, **over) -> int:
    nid = _draft(ctx, cid, start, **full_note(**over))
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    return nid


@pytest.fixture
def record(tmp_path, settings) -> Iterator[Record]:
    path = tmp_path / "notes.sqlite3"
    ctx = open_context(f"sqlite:///{path}", settings)
    with ctx.write() as s:
        new = [clients.create_client({"name": n, "consent_on_file": "2026-01-05", **kw},
                                     session=s, actor="Ana Lee").id
               for n, kw in (("Jane Doe", {"contraindications": "Warfarin: light pressure"}),
                             ("Omar Haddad", {}), ("Lena Ito", {}), ("Tom Brown", {}))]
    jane, omar, lena, tom = new
    jane_1 = _final(ctx, jane, "2026-03-04 10:00")
    jane_2 = _final(ctx, jane, "2026-03-18 10:00", complaint="Neck stiff after a long drive")
    omar_1 = _final(ctx, omar, "2026-04-02 14:00", complaint="Low back ache")
    with ctx.write() as s:
        jane_amendment = notes.amend(jane_1, reason="wrong side", text="right, not left",
                                     session=s, actor="Ana Lee").id
    with ctx.write() as s:
        omar_amendment = notes.amend(omar_1, reason="pain after", session=s, actor="Ana Lee",
                                     content=full_note(complaint="Low back ache",
                                                       pain_after=2)).id
    omar_draft = _draft(ctx, omar, "2026-04-16 14:00", complaint="Back again")
    with ctx.write() as s:  # an autosaved editing session
        notes.save_draft(omar_draft, {"complaint": "Back again, better"}, session=s,
                         actor="Ana Lee", edit_session="e1")
    lena_draft = _draft(ctx, lena, "2026-05-01 09:00", complaint="Shoulder")
    discarded = _draft(ctx, lena, "2026-05-01 09:30", complaint="by mistake")
    with ctx.write() as s:
        notes.delete_draft(discarded, session=s, actor="Ana Lee")
    template = load_handout_template(TEMPLATE, None)
    exports = tmp_path / "exports"
    export_handout(ctx, jane_1, template=template, exports=exports, actor="Ana Lee")
    export_handout(ctx, jane_2, template=template, exports=exports, actor="Ana Lee")
    export_record(ctx, jane, template=template, exports=exports, actor="Ana Lee")
    yield Record(ctx, str(path), jane, omar, lena, tom, jane_1, jane_2, omar_1, omar_draft,
                 lena_draft, discarded, jane_amendment, omar_amendment)
    ctx.dispose()


def verify_in_process(r: Record) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", r.path, "verify"])
    return result.exit_code, result.stdout, result.stderr


def verify_subprocess(r: Record) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "notes_tui", "--db", r.path, "verify"],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


# --- the tamperings --------------------------------------------------------------------------
# Each does its harm and returns the lines verify must print (each a part of a TAMPERED line).

def edit_final_note(r: Record) -> list[str]:
    r.sql(f"UPDATE note SET complaint = 'nothing wrong' WHERE id = {r.jane_2}")
    return [f"note {r.jane_2}: content changed after it was finalized"]


def edit_final_note_row(r: Record) -> list[str]:
    r.sql(f"UPDATE note_trigger_point SET pressure = 1 WHERE note_id = {r.jane_2}")
    return [f"note {r.jane_2}: content changed after it was finalized"]


def move_note_to_other_client(r: Record) -> list[str]:
    r.sql(f"UPDATE note SET client_id = {r.tom} WHERE id = {r.jane_2}")
    return [f"note {r.jane_2}: content changed after it was finalized"]


def rewrite_stored_digest(r: Record) -> list[str]:
    r.sql(f"UPDATE note SET content_digest = '{'0' * 64}' WHERE id = {r.jane_2}")
    return [f"note {r.jane_2}: stored digest does not match its content"]


def edit_amendment(r: Record) -> list[str]:
    r.sql(f"UPDATE amendment SET text = 'left after all' WHERE id = {r.jane_amendment}")
    return [f"amendment {r.jane_amendment} of note {r.jane_1}: altered outside the app"]


def insert_amendment(r: Record) -> list[str]:
    r.sql("INSERT INTO amendment (uuid, note_id, author, created_at, reason, text, digest) "
          f"VALUES ('u-forged', {r.jane_2}, 'Ana Lee', '2026-03-19 10:00:00', 'typo', "
          f"'client consented to deep pressure', 'x')")
    new = r.scalar("SELECT max(id) FROM amendment")
    return [f"amendment {new} of note {r.jane_2}: altered outside the app"]


def edit_audit_event(r: Record) -> list[str]:
    r.sql("UPDATE audit_event SET actor = 'Mallory' WHERE seq = 5")
    return ["audit event 5 (create note", "altered outside the app"]


def delete_middle_event(r: Record) -> list[str]:
    r.sql("DELETE FROM audit_event WHERE seq = 6")
    return ["audit events 6..6 are missing (deleted outside the app)"]


def append_event_past_the_head(r: Record) -> list[str]:
    """A made-up event chained to the last one, the head left alone."""
    seq = r.last_seq
    last = r.scalar(f"SELECT hash FROM audit_event WHERE seq = {seq}")
    r.sql("INSERT INTO audit_event (seq, at, actor, action, entity, entity_id, digest, "
          f"prev_hash, hash) VALUES ({seq + 1}, '2026-06-01 10:00:00', 'Ana Lee', 'discard', "
          f"'note', {r.lena_draft}, 'x', '{last}', 'y')")
    return [f"audit event {seq + 1} (discard note {r.lena_draft}): altered outside the app",
            "audit head does not match the last event"]


def put_back_discarded_draft(r: Record) -> list[str]:
    r.sql("INSERT INTO note (id, uuid, client_id, therapist_name, therapist_registration, "
          "session_start, timezone, technique, status, complaint, therapist_summary, "
          "client_summary, advice, what_to_expect, when_to_contact, referral, to_confirm, "
          f"created_at, updated_at) VALUES ({r.discarded}, 'u-back', {r.lena}, 'Ana Lee', '', "
          "'2026-05-01 13:30:00', 'America/Toronto', 'neuromuscular', 'draft', 'by mistake', "
          "'', '', '', '', '', '', '[]', '2026-05-01 13:30:00', '2026-05-01 13:30:00')")
    return [f"note {r.discarded}: discarded (audit event"]


def insert_final_note(r: Record) -> list[str]:
    r.sql("INSERT INTO note (uuid, client_id, therapist_name, therapist_registration, "
          "session_start, timezone, technique, status, complaint, therapist_summary, "
          "client_summary, advice, what_to_expect, when_to_contact, referral, to_confirm, "
          "finalized_at, finalized_by, content_digest, created_at, updated_at) VALUES "
          f"('u-new', {r.jane}, 'Ana Lee', '', '2026-02-01 15:00:00', 'America/Toronto', "
          "'neuromuscular', 'final', 'backdated visit', '', '', '', '', '', '', '[]', "
          "'2026-02-01 16:00:00', 'Ana Lee', 'x', '2026-02-01 15:00:00', '2026-02-01 16:00:00')")
    new = r.scalar("SELECT max(id) FROM note")
    return [f"note {new} (Jane Doe, 2026-02-01) has no audit event: it was added outside the app",
            f"note {new}: finalized with no finalize event in the audit trail"]


def delete_final_note(r: Record) -> list[str]:
    r.sql(*(f"DELETE FROM {t} WHERE note_id = {r.jane_2}"
            for t in ("note_finding", "note_trigger_point", "note_cue", "note_home_care")),
          f"DELETE FROM note WHERE id = {r.jane_2}")
    return [f"finalized note {r.jane_2} (finalized ", " by Ana Lee) was deleted"]


def delete_client_with_notes(r: Record) -> list[str]:
    ids = f"{r.omar_1}, {r.omar_draft}"
    r.sql(f"DELETE FROM amendment WHERE note_id IN ({ids})",
          *(f"DELETE FROM {t} WHERE note_id IN ({ids})"
            for t in ("note_finding", "note_trigger_point", "note_cue", "note_home_care")),
          f"DELETE FROM note WHERE client_id = {r.omar}",
          f"DELETE FROM client WHERE id = {r.omar}")
    return [f"client {r.omar} (last recorded ", ") was deleted",
            f"finalized note {r.omar_1} (finalized ",
            f"draft note {r.omar_draft} was deleted outside the app",
            f"amendment {r.omar_amendment} (made "]


def delete_amendment(r: Record) -> list[str]:
    r.sql(f"DELETE FROM amendment WHERE id = {r.jane_amendment}")
    return [f"amendment {r.jane_amendment} (made ", " by Ana Lee) was deleted"]


def delete_amendment_and_its_event(r: Record) -> list[str]:
    seq = r.scalar("SELECT seq FROM audit_event WHERE entity = 'amendment' "
                   f"AND entity_id = {r.jane_amendment}")
    r.sql(f"DELETE FROM amendment WHERE id = {r.jane_amendment}",
          f"DELETE FROM audit_event WHERE seq = {seq}")
    return [f"audit events {seq}..{seq} are missing (deleted outside the app)"]


def set_back_to_draft(r: Record) -> list[str]:
    r.sql(f"UPDATE note SET status = 'draft' WHERE id = {r.jane_2}")
    return [f"note {r.jane_2} (Jane Doe, 2026-03-18) was finalized (audit event",
            "but is a draft again: it was set back outside the app"]


def set_back_to_draft_and_refinalize(r: Record) -> list[str]:
    """Back to draft with SQL, then edited and finalized again through the app's services."""
    r.sql(f"UPDATE note SET status = 'draft', finalized_at = NULL WHERE id = {r.jane_2}")
    with r.ctx.write() as s:
        notes.save_draft(r.jane_2, full_note(complaint="Neck fine after a long drive"),
                         session=s, actor="Ana Lee")
    with r.ctx.write() as s:
        notes.finalize(r.jane_2, session=s, actor="Ana Lee")
    return [f"note {r.jane_2} (Jane Doe, 2026-03-18) was finalized 2 times (audit events",
            "it was set back to draft outside the app"]


def _rewind(r: Record, keep: int) -> None:
    """Cut the events after `keep` and point the head at the new last one (unkeyed)."""
    last = r.scalar(f"SELECT hash FROM audit_event WHERE seq = {keep}")
    r.sql(f"DELETE FROM audit_event WHERE seq > {keep}",
          f"UPDATE audit_head SET seq = {keep}, hash = '{last}'")


def cut_tail_and_rewind_head(r: Record) -> list[str]:
    seen = r.last_seq
    _rewind(r, seen - 3)  # the three exports
    return ["the audit trail's seal does not match",
            f"audit events after #{seen - 3} were removed (this computer last saw #{seen})"]


def cut_tail_with_an_old_seal(r: Record) -> list[str]:
    """The head put back as a copy held it before the exports, seal and all: only this
    computer's memory of the last head sees the cut."""
    seen = r.last_seq
    con = sqlite3.connect(r.path)
    keep = seen - 3
    last = con.execute(f"SELECT hash FROM audit_event WHERE seq = {keep}").fetchone()[0]
    con.close()
    key = audit_seal.load_key(create=False)
    assert key is not None  # the attacker's old copy of the head carries this seal
    old_seal = audit_seal.seal(key, keep, last, None)
    r.sql(f"DELETE FROM audit_event WHERE seq > {keep}",
          f"UPDATE audit_head SET seq = {keep}, hash = '{last}', mac = '{old_seal}'")
    return [f"audit events after #{keep} were removed (this computer last saw #{seen})"]


def edit_contraindications(r: Record) -> list[str]:
    r.sql(f"UPDATE client SET contraindications = '' WHERE id = {r.jane}")
    return [f"client {r.jane} (Jane Doe): the client's record (name, contraindications or "
            "other details) was changed outside the app"]


def edit_client_name(r: Record) -> list[str]:
    r.sql(f"UPDATE client SET name = 'Janet Doe' WHERE id = {r.jane}")
    return [f"client {r.jane} (Janet Doe): the client's record"]


def insert_client(r: Record) -> list[str]:
    r.sql("INSERT INTO client (uuid, name, preferred_name, phone, email, health_history, "
          "contraindications, sensitive_area_consent, archived, created_at, updated_at) VALUES "
          "('u-eve', 'Eve Stone', '', '', '', '', '', 0, 0, '2026-01-01 00:00:00', "
          "'2026-01-01 00:00:00')")
    new = r.scalar("SELECT max(id) FROM client")
    return [f"client {new} (Eve Stone) has no audit event: added outside the app"]


def full_forge(r: Record) -> list[str]:
    """Change a finalized note and recompute everything the unkeyed chain covers with the app's
    own functions: the note's digest, its finalize event's digest, every hash after it, the
    head."""
    r.sql(f"UPDATE note SET pain_after = 0 WHERE id = {r.jane_2}")
    ctx = r.ctx
    with ctx.read() as s:
        note = notes.get_note_row(r.jane_2, session=s)
        forged = notes.note_digest(s, note)
    r.sql(f"UPDATE note SET content_digest = '{forged}' WHERE id = {r.jane_2}",
          f"UPDATE audit_event SET digest = '{forged}' WHERE entity = 'note' "
          f"AND entity_id = {r.jane_2} AND action = 'finalize'")
    t, head_t = AuditEvent.__table__, AuditHead.__table__
    with ctx.engine.begin() as conn:
        for ddl in sqlite_backend.drop_lock_triggers_ddl():
            conn.execute(text(ddl))
        prev = audit.GENESIS
        for e in conn.execute(select(t).order_by(t.c.seq)).all():
            new = chain_hash(prev, audit._event_body(e))
            conn.execute(t.update().where(t.c.seq == e.seq).values(prev_hash=prev, hash=new))
            prev = new
        conn.execute(head_t.update().values(hash=prev))
        for ddl in sqlite_backend.lock_triggers_ddl():
            conn.execute(text(ddl))
    return ["the audit trail's seal does not match",
            "is not the one this computer last saw: the audit trail was rewritten"]


def drop_lock_triggers(r: Record) -> list[str]:
    r.sql(triggers=False)
    return ["the lock on finalized notes was removed (missing: trg_note_final_update",
            "the lock on amendments was removed", "the lock on the audit trail was removed"]


def remove_seal(r: Record) -> list[str]:
    r.sql("UPDATE audit_head SET mac = NULL")
    return ["the audit trail's keyed seal was removed"]


TAMPERINGS: list[Callable[[Record], list[str]]] = [
    edit_final_note, edit_final_note_row, move_note_to_other_client, rewrite_stored_digest,
    edit_amendment, insert_amendment, edit_audit_event, delete_middle_event,
    append_event_past_the_head,
    put_back_discarded_draft, insert_final_note, delete_final_note, delete_client_with_notes,
    delete_amendment, delete_amendment_and_its_event, set_back_to_draft,
    set_back_to_draft_and_refinalize, cut_tail_and_rewind_head, cut_tail_with_an_old_seal,
    edit_contraindications, edit_client_name, insert_client, full_forge, drop_lock_triggers,
    remove_seal,
]
IN_A_PROCESS = {delete_final_note, cut_tail_and_rewind_head, full_forge, drop_lock_triggers}


def test_there_are_25_tamperings():
    assert len(TAMPERINGS) == 25 and len({f.__name__ for f in TAMPERINGS}) == 25


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_verify_names_the_tampering(record, tamper):
    code, out, _ = verify_in_process(record)
    assert (code, out.startswith("ok: ")) == (0, True), out
    expected = tamper(record)
    record.ctx.dispose()
    code, out, err = (verify_subprocess if tamper in IN_A_PROCESS else verify_in_process)(record)
    tampered = [line for line in out.splitlines() if line.startswith("TAMPERED: ")]
    assert code == 3, (out, err)
    for words in expected:
        assert any(words in line for line in tampered), (words, out)
    assert "FAILED:" in err and "Traceback" not in err + out


# --- no false alarms -------------------------------------------------------------------------

def test_an_untouched_database_is_ok_in_a_process(record):
    record.ctx.dispose()
    code, out, err = verify_subprocess(record)
    assert code == 0 and out.startswith("ok: 20 audit events, 3 finalized notes, 2 amendments"), (
        out, err)
    assert err == ""


def test_a_day_of_normal_use_gives_no_false_alarm(record, tmp_path, settings):
    """Drafts, autosaved edits, discard, finalize, amend, exports, client edits, archive and
    restore, deleting a client with no notes, a rolled-back write, a second process writing,
    a dump imported into another database."""
    ctx = record.ctx
    with ctx.write() as s:
        clients.update_client(record.jane, {"contraindications": "Warfarin stopped"}, session=s,
                              actor="Ana Lee")
    with ctx.write() as s:
        clients.archive_client(record.lena, session=s, actor="Ana Lee")
    with ctx.write() as s:
        clients.archive_client(record.lena, session=s, actor="Ana Lee", archived=False)
    with ctx.write() as s:
        clients.delete_client(record.tom, session=s, actor="Ana Lee")
    for i in range(3):  # autosaves of one editing session: one update event at most
        with ctx.write() as s:
            notes.save_draft(record.lena_draft, {"complaint": f"Shoulder {i}"}, session=s,
                             actor="Ana Lee", edit_session="e2")
    with pytest.raises(RuntimeError), ctx.write() as s:  # rolled back: nothing to remember
        notes.save_draft(record.lena_draft, {"complaint": "lost"}, session=s, actor="Ana Lee")
        raise RuntimeError("power cut")
    with ctx.write() as s:
        notes.save_draft(record.omar_draft, full_note(complaint="Back again, better"), session=s,
                         actor="Ana Lee")
    with ctx.write() as s:
        notes.finalize(record.omar_draft, session=s, actor="Ana Lee")
    with ctx.write() as s:
        notes.amend(record.omar_draft, reason="typo", text="lumbar, not thoracic", session=s,
                    actor="Ana Lee")
    other_process = open_context(f"sqlite:///{record.path}", settings)
    try:
        with other_process.write() as s:
            clients.create_client({"name": "Ravi Patel"}, session=s, actor="Ana Lee")
    finally:
        other_process.dispose()
    export_handout(ctx, record.omar_draft, template=load_handout_template(TEMPLATE, None),
                   exports=tmp_path / "exports", actor="Ana Lee")
    code, out, err = verify_in_process(record)
    assert (code, out.startswith("ok: ")) == (0, True), out + err
    with ctx.read() as s:
        doc = dump_document(s)
    copy = open_context(f"sqlite:///{tmp_path / 'imported.sqlite3'}", settings)
    try:
        with copy.write() as s:
            import_document(doc, session=s, actor="Ana Lee")
        with copy.write() as s:  # the same document again adds nothing
            import_document(doc, session=s, actor="Ana Lee")
    finally:
        copy.dispose()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "imported.sqlite3"), "verify"])
    assert result.exit_code == 0 and result.stdout.startswith("ok: "), result.output


# --- the key ---------------------------------------------------------------------------------

def test_the_key_is_private_and_made_once(record):
    path = audit_seal.key_path()
    assert path.stat().st_mode & 0o777 == 0o600
    before = path.read_text()
    audit_seal._keys.clear()  # as a new process would
    with record.ctx.write() as s:
        clients.create_client({"name": "Ravi Patel"}, session=s, actor="Ana Lee")
    assert path.read_text() == before
    mac = record.scalar("SELECT mac FROM audit_head")
    assert isinstance(mac, str) and mac.startswith(audit_seal.key_id(bytes.fromhex(before)) + ":")


def test_a_missing_key_is_said_and_the_chain_checked_unkeyed(record):
    audit_seal.key_path().unlink()
    audit_seal._keys.clear()
    record.ctx.dispose()
    code, out, err = verify_subprocess(record)
    assert code == 0 and out.startswith("ok: "), (out, err)
    assert "the key is missing, the chain can only be checked unkeyed" in err


# --- databases from before this version ------------------------------------------------------

def _old_release_event(con: sqlite3.Connection, action: str, entity: str, entity_id: int,
                       content_digest: str) -> None:
    """One event appended the way the release before this one did (no seal, no anchor)."""
    from datetime import UTC, datetime

    seq, prev = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    at = datetime.now(UTC).replace(microsecond=0)
    body = {"seq": seq + 1, "at": at.isoformat(), "actor": "Ana Lee", "action": action,
            "entity": entity, "entity_id": entity_id, "digest": content_digest}
    new = chain_hash(prev, body)
    con.execute("INSERT INTO audit_event (seq, at, actor, action, entity, entity_id, digest, "
                "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq + 1, at.strftime("%Y-%m-%d %H:%M:%S.000000"), "Ana Lee", action, entity,
                 entity_id, content_digest, prev, new))
    con.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq + 1, new))


def test_a_client_deleted_by_the_release_before_is_a_warning_not_tampering(tmp_path):
    """Deleting a client with no notes was not audited before this version: such a client,
    gone from a database made then, is said (a warning), not called tampering."""
    import shutil
    from pathlib import Path

    db = tmp_path / "release.sqlite"
    shutil.copyfile(Path(__file__).parent / "data" / "release-0005.sqlite", db)
    con = sqlite3.connect(db)
    with con:
        cur = con.execute("INSERT INTO client (uuid, name, preferred_name, phone, email, "
                          "health_history, contraindications, sensitive_area_consent, archived, "
                          "created_at, updated_at) VALUES ('u-old', 'Walk In', '', '', '', '', "
                          "'', 0, 0, '2026-11-01 10:00:00.000000', '2026-11-01 10:00:00.000000')")
        _old_release_event(con, "create", "client", cur.lastrowid, "d" * 64)
        con.execute("DELETE FROM client WHERE id = ?", (cur.lastrowid,))  # as delete_client did
    con.close()
    proc = subprocess.run([sys.executable, "-m", "notes_tui", "--db", str(db), "verify"],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert proc.returncode == 0 and proc.stdout.startswith("ok: "), (proc.stdout, proc.stderr)
    assert "is gone: deleted in the app before deletions were audited, or outside it" in proc.stderr


def test_a_draft_deleted_the_older_way_is_no_alarm(record):
    """Before `discard` was its own action a deleted draft left an `update` with a known digest."""
    from notes_tui.domain.digest import digest
    from notes_tui.domain.enums import AuditAction
    from notes_tui.services.note_store import delete_rows

    with record.ctx.write() as s:
        note = notes.get_note_row(record.lena_draft, session=s)
        delete_rows(record.lena_draft, session=s)
        s.delete(note)
        s.flush()
        audit.record(s, actor="Ana Lee", action=AuditAction.UPDATE, entity="note",
                     entity_id=record.lena_draft,
                     content_digest=digest({"deleted_draft": record.lena_draft}))
    code, out, err = verify_in_process(record)
    assert (code, out.startswith("ok: ")) == (0, True), out + err


# --- both backends ---------------------------------------------------------------------------

def test_the_checks_beyond_the_chain_on_both_backends(ctx, final_note):
    """The same words on PostgreSQL (clinic mode), where the chain has no keyed seal: a
    disabled lock trigger, a client's record changed, a finalized note deleted."""
    from notes_tui.db.backends import backend_module
    from notes_tui.services.audit import verify
    from notes_tui.services.note_digests import sealed_notes

    cid, nid = final_note
    with ctx.read() as s:
        assert verify(s, sealed_notes=sealed_notes).ok
    backend = backend_module(ctx.dialect)
    with ctx.engine.begin() as conn:
        for ddl in backend.drop_lock_triggers_ddl():
            conn.execute(text(ddl))
        conn.execute(text(f"UPDATE client SET contraindications = 'none' WHERE id = {cid}"))
        for t in ("note_finding", "note_trigger_point", "note_cue", "note_home_care"):
            conn.execute(text(f"DELETE FROM {t} WHERE note_id = {nid}"))
        conn.execute(text(f"DELETE FROM note WHERE id = {nid}"))
        for ddl in backend.lock_triggers_ddl()[:-1]:  # all put back but one
            conn.execute(text(ddl))
    with ctx.read() as s:
        problems = verify(s, sealed_notes=sealed_notes).problems
    assert any(p.startswith(f"client {cid} (Jane Doe): the client's record") for p in problems)
    assert any(p.startswith(f"finalized note {nid} (finalized ") for p in problems)
    assert any(p.startswith("the lock on finalized notes' ") and " was removed (missing: " in p
               for p in problems), problems


def test_records_deleted_through_the_app_are_no_alarm(record):
    """A deletion the app audits (one `delete` event per amendment, note and client, as the
    retention deletion writes them) is not tampering; the same rows deleted without those
    events are (test_verify_names_the_tampering[delete_client_with_notes])."""
    from notes_tui.domain.digest import digest
    from notes_tui.domain.enums import AuditAction

    ids = f"{record.omar_1}, {record.omar_draft}"
    with record.ctx.write() as s:
        for ddl in sqlite_backend.drop_lock_triggers_ddl():
            s.execute(text(ddl))
        s.execute(text(f"DELETE FROM amendment WHERE note_id IN ({ids})"))
        for t in ("note_finding", "note_trigger_point", "note_cue", "note_home_care"):
            s.execute(text(f"DELETE FROM {t} WHERE note_id IN ({ids})"))
        s.execute(text(f"DELETE FROM note WHERE client_id = {record.omar}"))
        s.execute(text(f"DELETE FROM client WHERE id = {record.omar}"))
        for ddl in sqlite_backend.lock_triggers_ddl():
            s.execute(text(ddl))
        gone = [(AuditAction.DELETE, "amendment", record.omar_amendment),
                (AuditAction.DELETE, "note", record.omar_1),
                (AuditAction.DELETE, "note", record.omar_draft),
                (AuditAction.DELETE, "client", record.omar)]
        audit.record_many(s, [audit.PendingEvent(a, e, i, digest({"deleted": e, "id": i}))
                              for a, e, i in gone], actor="Ana Lee")
    code, out, err = verify_in_process(record)
    assert (code, out.startswith("ok: ")) == (0, True), out + err
