"""The audit trail catches what was changed outside the app (someone with the database file and
enough knowledge to drop the lock triggers first)."""

import pytest
from sqlalchemy import text

from notes_tui.db.backends import backend_module
from notes_tui.services import notes
from notes_tui.services.audit import verify
from notes_tui.services.note_digests import sealed_notes


def _tamper(ctx, *statements: str) -> None:
    """Raw SQL past the lock triggers, which are put back after (a careful attacker's tidy-up:
    a missing trigger is itself named, see tests/test_tamper.py)."""
    with ctx.engine.begin() as conn:
        backend = backend_module(conn.dialect.name)
        for ddl in backend.drop_lock_triggers_ddl():
            conn.execute(text(ddl))
        for statement in statements:
            conn.execute(text(statement))
        for ddl in backend.lock_triggers_ddl():
            conn.execute(text(ddl))


def _verify(ctx):
    """The chunked check `notes-tui verify` runs, which must agree with checking each note on
    its own through the notes service."""
    with ctx.read() as s:
        report = verify(s, sealed_notes=sealed_notes)
        assert verify(s, note_digest=notes.note_digest).problems == report.problems
    return report


def test_untouched_record_verifies(ctx, final_note):
    report = _verify(ctx)
    assert report.ok and report.finalized_notes == 1 and report.events >= 3


def test_every_write_is_audited(ctx, final_note):
    with ctx.read() as s:
        actions = [r[0] for r in s.execute(text("SELECT action FROM audit_event ORDER BY seq"))]
        digests = [r[0] for r in s.execute(text("SELECT digest FROM audit_event"))]
    assert actions == ["create", "create", "finalize"]
    assert all(len(d) == 64 for d in digests)


def test_audit_rows_hold_no_note_text(ctx, final_note):
    with ctx.read() as s:
        rows = s.execute(text("SELECT * FROM audit_event")).all()
    assert "Headaches" not in repr(rows) and "temple" not in repr(rows)


def test_changed_finalized_note_is_named(ctx, final_note):
    _, nid = final_note
    _tamper(ctx, f"UPDATE note SET pain_after = 1 WHERE id = {nid}")
    report = _verify(ctx)
    assert not report.ok
    assert any(f"note {nid}: content changed after it was finalized" in p for p in report.problems)


def test_changed_trigger_point_row_is_named(ctx, final_note):
    _, nid = final_note
    _tamper(ctx, f"UPDATE note_trigger_point SET side = 'right' WHERE note_id = {nid}")
    assert any(f"note {nid}" in p for p in _verify(ctx).problems)


def test_finalized_note_made_invalid_is_named_not_a_crash(ctx, final_note):
    """A row changed into something no note can hold (a cue linked to a trigger point that is
    not there) is reported like any other change."""
    _, nid = final_note
    with ctx.read() as s:
        report = verify(s, sealed_notes=sealed_notes)
    assert report.ok
    _tamper(ctx, f"UPDATE note_cue SET trigger_point = 99 WHERE note_id = {nid}")
    with ctx.read() as s:
        problems = verify(s, sealed_notes=sealed_notes).problems
    assert len(problems) == 1 and problems[0].startswith(
        f"note {nid}: content changed after it was finalized (invalid: ")


def test_altered_event_is_named(ctx, final_note):
    _tamper(ctx, "UPDATE audit_event SET actor = 'Mallory' WHERE seq = 2")
    problems = _verify(ctx).problems
    assert any("audit event 2" in p and "altered" in p for p in problems)


def test_deleted_event_is_named(ctx, final_note):
    _tamper(ctx, "DELETE FROM audit_event WHERE seq = 2")
    problems = _verify(ctx).problems
    assert any("missing" in p for p in problems)


def test_deleted_last_event_is_caught(ctx, final_note):
    _tamper(ctx, "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    assert not _verify(ctx).ok


def test_altered_amendment_is_named(ctx, final_note):
    _, nid = final_note
    with ctx.write() as s:
        a = notes.amend(nid, reason="typo", text="5/10 not 6/10", session=s, actor="Ana")
    _tamper(ctx, f"UPDATE amendment SET text = 'something else' WHERE id = {a.id}")
    assert any(f"amendment {a.id}" in p for p in _verify(ctx).problems)


@pytest.mark.parametrize("n", [3])
def test_chain_is_linear_across_many_writers(ctx, make_client, n):
    for i in range(n):
        make_client(f"C{i}")
    with ctx.read() as s:
        seqs = [r[0] for r in s.execute(text("SELECT seq FROM audit_event ORDER BY seq"))]
    assert seqs == list(range(1, len(seqs) + 1))
