"""Exports render outside the write transaction: the handout and the clinical record are read in
a read-only snapshot, rendered with no transaction open, written, and only then audited in a
short write. A change to the client's record between the read and the event makes the export
start again, so the file and its audit event always describe the same state; an export that
cannot be audited leaves no file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import pytest
from pypdf import PdfReader
from sqlalchemy import text

import notes_tui.export as export_pkg
from notes_tui.paths import templates_dir
from notes_tui.services import audit, clients, notes
from notes_tui.services.audit import verify
from notes_tui.services.errors import ServiceError
from notes_tui.services.exporting import ATTEMPTS
from notes_tui.services.handouts import export_handout, load_handout_template
from notes_tui.services.note_digests import sealed_notes
from notes_tui.services.records import export_record
from tests.conftest import full_note

TEMPLATE = load_handout_template(templates_dir() / "handout" / "handout.toml", None)

# Another process: begin a write transaction with no patience at all (busy timeout 0), add a
# client and commit. It fails with "database is locked" if anyone holds the write lock.
WRITER = textwrap.dedent("""
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, 'probe')")
    con.execute("DELETE FROM audit_head WHERE id = 2")
    con.execute("COMMIT")
    print("wrote")
""")


def _text(path) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def _events(ctx) -> list[tuple[str, str, int | None, str]]:
    with ctx.read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT action, entity, entity_id, digest FROM audit_event ORDER BY seq"))]


@pytest.fixture
def big_client(sctx):
    """A client with 40 finalized sessions (a clinical record of many pages)."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Rec Ord", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana").id
        for i in range(40):
            start = f"2025-01-{1 + i % 28:02d} {8 + i // 28:02d}:00"
            nid = notes.start_draft(cid, session=s, settings=sctx.settings, session_start=start,
                                    content=full_note(complaint=f"Session {i} headaches")).id
            notes.finalize(nid, session=s, actor="Ana")
    return cid


def test_another_process_writes_at_once_while_a_big_record_renders(sctx, big_client, tmp_path,
                                                                   monkeypatch):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    real_render = export_pkg.render_record
    seen = []

    def render_while_another_process_writes(data):
        done = subprocess.run([sys.executable, str(script), sctx.url.removeprefix("sqlite:///")],
                              capture_output=True, text=True, timeout=60)
        seen.append(done.stdout.strip() or done.stderr.strip().splitlines()[-1])
        return real_render(data)

    monkeypatch.setattr(export_pkg, "render_record", render_while_another_process_writes)
    path = export_record(sctx, big_client, template=TEMPLATE, exports=tmp_path / "exports")
    assert seen == ["wrote"], "the write lock was free while the record rendered"
    assert "Session 39 headaches" in _text(path) and len(PdfReader(str(path)).pages) > 10
    action, entity, entity_id, digest = _events(sctx)[-1]
    assert (action, entity, entity_id) == ("export", "client", big_client)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_amendment_made_while_the_handout_renders_is_in_the_handout(ctx, final_note, tmp_path,
                                                                       monkeypatch):
    """The handout read before the amendment would print the old pain score under an audit
    event that comes after the amendment: the export starts again and prints the correction."""
    cid, nid = final_note
    real_render = export_pkg.render_handout
    calls = []

    def render(data, **kw):
        calls.append(data.pain_after)
        if len(calls) == 1:  # another therapist corrects the note meanwhile
            with ctx.write() as s:
                notes.amend(nid, reason="pain after was 1", session=s, actor="Bo",
                            content={**full_note(), "pain_after": 1})
        return real_render(data, **kw)

    monkeypatch.setattr(export_pkg, "render_handout", render)
    result = export_handout(ctx, nid, template=TEMPLATE, exports=tmp_path / "exports")
    assert calls == [3, 1]
    assert "after: 1/10" in _text(result.path)
    events = _events(ctx)
    assert [e[:2] for e in events[-2:]] == [("amend", "amendment"), ("export", "note")]
    assert events[-1][3] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    with ctx.read() as s:
        assert verify(s, sealed_notes=sealed_notes).ok


@pytest.fixture
def draft(ctx, make_client) -> int:
    """A complete draft (finalizable) of a new client."""
    with ctx.write() as s:
        return notes.start_draft(make_client(), session=s, settings=ctx.settings,
                                 content=full_note()).id


def test_a_preview_of_a_draft_finalized_meanwhile_becomes_the_handout(ctx, draft, tmp_path,
                                                                      monkeypatch):
    nid = draft
    real_render = export_pkg.render_handout
    calls = []

    def render(data, **kw):
        calls.append(data.draft)
        if len(calls) == 1:
            with ctx.write() as s:
                notes.finalize(nid, session=s, actor="Ana")
        return real_render(data, **kw)

    monkeypatch.setattr(export_pkg, "render_handout", render)
    result = export_handout(ctx, nid, template=TEMPLATE, exports=tmp_path / "exports",
                            preview=True)
    assert calls == [True, False]
    assert not result.path.name.endswith("-DRAFT.pdf")
    assert [p.name for p in (tmp_path / "exports").rglob("*.pdf")] == [result.path.name], (
        "the DRAFT copy written by the first try is gone: it was never audited")
    assert "DRAFT" not in _text(result.path)


def test_a_draft_discarded_while_its_preview_renders_leaves_nothing(ctx, draft, tmp_path,
                                                                    monkeypatch):
    nid = draft
    real_render = export_pkg.render_handout

    def render(data, **kw):
        with ctx.write() as s:
            notes.delete_draft(nid, session=s, actor="Ana")
        return real_render(data, **kw)

    monkeypatch.setattr(export_pkg, "render_handout", render)
    before = _events(ctx)
    with pytest.raises(ServiceError, match=f"no note with id {nid}"):
        export_handout(ctx, nid, template=TEMPLATE, exports=tmp_path / "exports", preview=True)
    assert list((tmp_path / "exports").rglob("*.pdf")) == []
    assert [e[0] for e in _events(ctx)[len(before):]] == ["discard"]


def test_a_record_that_keeps_changing_gives_up_cleanly(ctx, final_note, tmp_path, monkeypatch):
    cid, _ = final_note
    real_render = export_pkg.render_record
    renamed = []

    def render(data):
        with ctx.write() as s:
            renamed.append(clients.update_client(cid, {"phone": f"555-010{len(renamed)}"},
                                                 session=s, actor="Bo").phone)
        return real_render(data)

    monkeypatch.setattr(export_pkg, "render_record", render)
    before = _events(ctx)
    with pytest.raises(ServiceError, match="kept changing"):
        export_record(ctx, cid, template=TEMPLATE, exports=tmp_path / "exports")
    assert len(renamed) == ATTEMPTS
    assert list((tmp_path / "exports").rglob("*.pdf")) == []
    assert "export" not in [e[0] for e in _events(ctx)[len(before):]]


def test_a_render_that_fails_writes_nothing_and_an_unrecorded_export_leaves_no_file(
        ctx, final_note, tmp_path, monkeypatch):
    cid, nid = final_note
    before = _events(ctx)

    def broken(*_a, **_kw):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(export_pkg, "render_handout", broken)
    with pytest.raises(RuntimeError, match="renderer broke"):
        export_handout(ctx, nid, template=TEMPLATE, exports=tmp_path / "exports")
    monkeypatch.undo()

    def refused(*_a, **_kw):
        raise RuntimeError("disk full while recording")

    monkeypatch.setattr(audit, "record", refused)
    with pytest.raises(RuntimeError, match="disk full"):
        export_record(ctx, cid, template=TEMPLATE, exports=tmp_path / "exports")
    assert list((tmp_path / "exports").rglob("*.pdf")) == [], "an unaudited file is removed"
    assert _events(ctx) == before
