"""Client and note use cases, on SQLite and on PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from notes_tui.db.models import AuditEvent, Note, NoteTriggerPoint
from notes_tui.domain.note import NoteContent
from notes_tui.services import clients, notes
from notes_tui.services.audit import verify
from notes_tui.services.errors import FieldError, FinalizedNoteError, FinalizeRefused, ServiceError
from tests.conftest import full_note


def test_client_create_update_list_get(ctx, make_client):
    cid = make_client("Zoë Ångström", preferred_name="Zoë")
    with ctx.write() as s:
        clients.update_client(cid, {"phone": "555-0100"}, session=s, actor="Ana")
    with ctx.read() as s:
        c = clients.get_client(cid, session=s)
        assert (c.name, c.preferred_name, c.phone) == ("Zoë Ångström", "Zoë", "555-0100")
        [row] = clients.list_clients(session=s)
        assert row.display_name == "Zoë" and row.last_visit is None and row.open_drafts == 0


def test_client_validation_names_the_field(ctx):
    with ctx.write() as s, pytest.raises(FieldError) as err:
        clients.create_client({"name": "   "}, session=s, actor="Ana")
    assert err.value.field == "name"
    with ctx.write() as s, pytest.raises(FieldError) as err:
        clients.create_client({"name": "A", "date_of_birth": "2024-02-30"}, session=s, actor="A")
    assert err.value.field == "date_of_birth" and "not a real date" in str(err.value)
    with ctx.write() as s, pytest.raises(FieldError) as err:  # would hide "no consent on file"
        clients.create_client({"name": "A", "consent_on_file": "2099-01-01"}, session=s,
                              actor="A")
    assert err.value.field == "consent on file" and "in the future" in str(err.value)
    with ctx.read() as s:
        assert clients.list_clients(session=s) == []  # nothing half-written


def test_list_shows_last_visit_and_open_drafts(ctx, make_client, final_note):
    cid, _ = final_note
    with ctx.write() as s:
        notes.start_draft(cid, session=s, settings=ctx.settings)
    with ctx.read() as s:
        [row] = clients.list_clients(session=s)
    assert row.open_drafts == 1 and row.notes == 2 and row.last_visit is not None


def test_each_client_on_a_page_gets_its_own_figures(ctx, make_client, final_note):
    busy, _ = final_note
    quiet = make_client("Aaron Quiet")
    with ctx.write() as s:
        notes.start_draft(busy, session=s, settings=ctx.settings)
    with ctx.read() as s:
        rows = {r.id: r for r in clients.list_clients(session=s)}
        [first] = clients.list_clients(session=s, limit=1)
    assert (rows[quiet].notes, rows[quiet].open_drafts, rows[quiet].last_visit) == (0, 0, None)
    assert (rows[busy].notes, rows[busy].open_drafts) == (2, 1)
    assert first.id == quiet  # by name, whatever the notes


def test_client_list_is_keyset_paged(ctx, make_client):
    for i in range(7):
        make_client(f"Client {i:02d}")
    make_client("Client 03")  # same name twice: paging must not lose either
    seen, after = [], None
    with ctx.read() as s:
        while page := clients.list_clients(session=s, limit=3, after=after):
            seen += [r.id for r in page]
            after = (page[-1].name, page[-1].id)
    assert len(seen) == 8 == len(set(seen))


def test_archive_instead_of_delete(ctx, final_note):
    cid, _ = final_note
    with ctx.write() as s, pytest.raises(ServiceError, match="archive"):
        clients.delete_client(cid, session=s, actor="t")
    with ctx.write() as s:
        clients.archive_client(cid, session=s, actor="Ana")
    with ctx.read() as s:
        assert clients.list_clients(session=s) == []
        assert clients.list_clients(session=s, include_archived=True)[0].archived
    with ctx.write() as s:
        clients.archive_client(cid, session=s, actor="Ana", archived=False)
    with ctx.read() as s:
        assert [c.id for c in clients.list_clients(session=s)] == [cid]
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.entity == "client")
                            .order_by(AuditEvent.seq)).scalars().all()
        assert actions[-2:] == ["archive", "restore"]  # the trail says what happened
        assert verify(s, note_digest=notes.note_digest).ok


def test_draft_saves_partially_and_idempotently(ctx, make_client):
    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
    with ctx.write() as s:
        assert notes.save_draft(nid, {"complaint": "neck", "pain_before": 7}, session=s,
                                actor="Ana") is True
    with ctx.write() as s:
        assert notes.save_draft(nid, {"complaint": "neck", "pain_before": 7}, session=s,
                                actor="Ana") is False
    with ctx.write() as s:
        notes.save_draft(nid, full_note(), session=s, actor="Ana")
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
    assert view.content == NoteContent.model_validate(full_note())
    assert [tp.muscle_id for tp in view.content.trigger_points] == ["upper_trapezius",
                                                                    "levator_scapulae"]
    assert view.therapist_registration == "RMT-1234"
    assert view.local_start.tzinfo.key == "America/Toronto"


def test_bad_draft_input_saves_nothing(ctx, make_client):
    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content={"complaint": "first"}).id
    with ctx.write() as s, pytest.raises(FieldError) as err:
        notes.save_draft(nid, full_note(pain_after=11), session=s, actor="Ana")
    assert err.value.field == "pain_after"
    with ctx.read() as s:
        assert notes.get_note(nid, session=s).content.complaint == "first"


def test_finalize_refuses_with_what_is_missing(ctx, make_client):
    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content={"complaint": "x", "pain_before": 5}).id
    with ctx.write() as s, pytest.raises(FinalizeRefused) as err:
        notes.finalize(nid, session=s, actor="Ana")
    keys = {i.key for i in err.value.missing}
    assert {"pain_after", "duration_minutes", "advice", "posture"} <= keys
    assert "pain_before" not in keys


def test_finalize_warns_about_missing_consent(ctx, make_client):
    cid = make_client(consent_on_file=None)
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content=full_note(consent_plan=True)).id
    with ctx.write() as s:
        note, warnings = notes.finalize(nid, session=s, actor="Ana")
    assert note.status == "final" and [w.key for w in warnings] == ["consent"]


def test_finalized_note_is_locked_through_services(ctx, final_note):
    _, nid = final_note
    with ctx.write() as s, pytest.raises(FinalizedNoteError):
        notes.save_draft(nid, full_note(complaint="rewritten"), session=s, actor="Ana")
    with ctx.write() as s, pytest.raises(FinalizedNoteError):
        notes.finalize(nid, session=s, actor="Ana")
    with ctx.write() as s, pytest.raises(FinalizedNoteError):
        notes.delete_draft(nid, session=s, actor="Ana")


@pytest.mark.parametrize("how", ["attribute", "child_row", "new_row", "delete", "bulk"])
def test_finalized_note_is_locked_through_the_orm(ctx, final_note, how):
    _, nid = final_note
    with pytest.raises(FinalizedNoteError), ctx.write() as s:
        if how == "attribute":
            s.get(Note, nid).complaint = "changed behind the app's back"
        elif how == "child_row":
            tp = s.execute(select(NoteTriggerPoint).where(NoteTriggerPoint.note_id == nid)
                           ).scalars().first()
            tp.pressure = 9
        elif how == "new_row":
            s.add(NoteTriggerPoint(note_id=nid, position=9, muscle="Soleus", side="left"))
        elif how == "delete":
            s.delete(s.get(Note, nid))
        else:
            s.execute(update(Note).where(Note.id == nid).values(complaint="bulk"))
    with ctx.read() as s:
        assert verify(s, note_digest=notes.note_digest).ok


@pytest.mark.parametrize("statement", [
    "UPDATE note SET complaint = 'raw' WHERE status = 'final'",
    "DELETE FROM note WHERE status = 'final'",
    "UPDATE note_trigger_point SET pressure = 9",
    "DELETE FROM note_trigger_point",
    "UPDATE amendment SET text = 'x'",
    "UPDATE audit_event SET actor = 'x'",
    "DELETE FROM audit_event",
])
def test_database_refuses_raw_changes_to_the_record(ctx, final_note, statement):
    _, nid = final_note
    with ctx.write() as s:
        notes.amend(nid, reason="typo", text="pressure was 5/10", session=s, actor="Ana")
    with pytest.raises(Exception, match="finalized|append-only|cannot be"), \
            ctx.engine.begin() as conn:
        conn.execute(text(statement))


def test_amendment_keeps_the_original(ctx, final_note):
    _, nid = final_note
    with ctx.read() as s:
        before = notes.get_note(nid, session=s).content
    with ctx.write() as s:
        notes.amend(nid, reason="wrong side recorded", text="TrP1 was on the right",
                    session=s, actor="Ana Lee")
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
        assert view.content == before
        [a] = view.amendments
        assert (a.author, a.reason) == ("Ana Lee", "wrong side recorded")
        assert verify(s, note_digest=notes.note_digest).ok


def test_amend_needs_a_final_note_and_a_reason(ctx, make_client, final_note):
    cid, nid = final_note
    with ctx.write() as s, pytest.raises(FieldError, match="reason"):
        notes.amend(nid, reason=" ", text="x", session=s, actor="Ana")
    with ctx.write() as s:
        draft = notes.start_draft(cid, session=s, settings=ctx.settings).id
    with ctx.write() as s, pytest.raises(FieldError, match="finalized"):
        notes.amend(draft, reason="r", text="x", session=s, actor="Ana")


def test_same_as_last_time_carries_forward(ctx, final_note):
    cid, _ = final_note
    with ctx.write() as s:
        carried = notes.same_as_last_time(cid, session=s)
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=carried).id
    with ctx.read() as s:
        c = notes.get_note(nid, session=s).content
    assert [tp.muscle_id for tp in c.trigger_points] == ["upper_trapezius", "levator_scapulae"]
    assert all(tp.pressure is None and tp.response is None for tp in c.trigger_points)
    # last time's treatment is not this session's until the therapist confirms it
    assert not any(tp.confirmed for tp in c.trigger_points)
    assert not any(cue.confirmed for cue in c.cues)
    # nor is last time's plan what was advised today
    assert not any(hc.confirmed for hc in c.home_care)
    assert c.to_confirm == ["advice", "next_visit", "what_to_expect", "when_to_contact"]
    with ctx.write() as s, pytest.raises(FinalizeRefused, match="not yet confirmed"):
        notes.save_draft(nid, c.model_copy(update={"complaint": "Better", "pain_before": 4,
                                                   "pain_after": 2}), session=s, actor="Ana")
        notes.finalize(nid, session=s, actor="Ana")
    assert c.home_care[0].item_id == "heat" and c.next_visit_days == 14
    assert c.pain_before is None and c.pain_after is None and c.complaint == ""


def test_notes_listed_newest_first_and_paged(ctx, make_client):
    cid = make_client()
    base = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    with ctx.write() as s:
        for i in range(5):
            notes.start_draft(cid, session=s, settings=ctx.settings,
                              session_start=base + timedelta(days=i))
    with ctx.read() as s:
        first = notes.list_notes(session=s, client_id=cid, limit=3)
        rest = notes.list_notes(session=s, client_id=cid, limit=3,
                                before=(first[-1].session_start, first[-1].id))
    starts = [n.session_start for n in first + rest]
    assert starts == sorted(starts, reverse=True) and len(starts) == 5


def test_archived_client_takes_no_new_note(ctx, make_client):
    cid = make_client()
    with ctx.write() as s:
        clients.archive_client(cid, session=s, actor="Ana")
    with ctx.write() as s, pytest.raises(FieldError, match="archived"):
        notes.start_draft(cid, session=s, settings=ctx.settings)


def test_session_date_years_ahead_is_refused(ctx, make_client):
    cid = make_client()
    with ctx.write() as s, pytest.raises(FieldError, match="future"):
        notes.start_draft(cid, session=s, settings=ctx.settings, session_start="2031-01-01 10:00")


def test_client_search_treats_wildcards_literally(ctx, make_client):
    make_client("Ann_Lee")
    make_client("Annie 100% Smith")
    make_client("Bob")
    with ctx.read() as s:
        assert [c.name for c in clients.list_clients(session=s, query="_")] == ["Ann_Lee"]
        assert [c.name for c in clients.list_clients(session=s, query="%")] == ["Annie 100% Smith"]
        assert [c.name for c in clients.list_clients(session=s, query="a_n")] == []


def test_the_last_edited_draft_is_the_one_saved_last(ctx, make_client):
    a, b = make_client("Ann"), make_client("Ben")
    with ctx.write() as s:
        first = notes.start_draft(a, session=s, settings=ctx.settings).id
        notes.start_draft(b, session=s, settings=ctx.settings)
    with ctx.write() as s:
        notes.save_draft(first, {"complaint": "Stiff neck"}, session=s, actor="Ana Lee")
    with ctx.read() as s:
        assert notes.last_edited_draft(session=s).id == first
