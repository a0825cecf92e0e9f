"""An amendment can correct the note itself (left -> right): the original stays exactly as
finalized, the corrected revision goes to the client and forward in time, verify covers both."""

import tomllib

import pytest
from sqlalchemy import text

from notes_tui.db.backends import backend_module
from notes_tui.domain.enums import Side
from notes_tui.domain.text import FieldError
from notes_tui.services import notes
from notes_tui.services.audit import verify
from notes_tui.services.templates import save_note_as_template


def _right_side(ctx, nid):
    with ctx.read() as s:
        original = notes.get_note(nid, session=s).content
    points = list(original.trigger_points)
    points[0] = points[0].model_copy(update={"side": Side.RIGHT})
    return original.model_copy(update={"trigger_points": points})


def _amend_to_right(ctx, nid):
    with ctx.write() as s:
        return notes.amend(nid, reason="side recorded wrongly", session=s, actor="Ana Lee",
                           content=_right_side(ctx, nid)).id


def test_original_stays_and_the_correction_is_current(ctx, final_note):
    _, nid = final_note
    _amend_to_right(ctx, nid)
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
    assert view.content.trigger_points[0].side is Side.LEFT  # as finalized, untouched
    assert view.current.trigger_points[0].side is Side.RIGHT
    assert view.revised_at == view.amendments[0].created_at
    (change,) = view.amendments[0].changes
    assert change == "Trigger point 1 (upper trapezius): side left -> right"
    assert view.amendments[0].text == change  # the amendment says what it changed
    with ctx.read() as s:
        report = verify(s, note_digest=notes.note_digest)
    assert report.ok and report.amendments == 1


def test_same_as_last_time_and_a_template_take_the_correction(ctx, final_note):
    cid, nid = final_note
    _amend_to_right(ctx, nid)
    with ctx.read() as s:
        follow_up = notes.same_as_last_time(cid, session=s)
    assert follow_up.trigger_points[0].side is Side.RIGHT
    path = save_note_as_template(ctx, nid, "Corrected neck")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    by_muscle = {p["muscle"]: p["side"] for p in doc["trigger_point"]}
    assert by_muscle["upper_trapezius"] == "right"


def test_an_amendment_that_changes_nothing_is_refused(ctx, final_note):
    _, nid = final_note
    with ctx.read() as s:
        same = notes.get_note(nid, session=s).content
    with pytest.raises(FieldError, match="changes nothing"), ctx.write() as s:
        notes.amend(nid, reason="no change", session=s, actor="Ana Lee", content=same)


def test_a_second_correction_is_compared_with_the_first(ctx, final_note):
    _, nid = final_note
    _amend_to_right(ctx, nid)
    with ctx.read() as s:
        current = notes.get_note(nid, session=s).current
    with ctx.write() as s:
        notes.amend(nid, reason="pressure", session=s, actor="Ana Lee",
                    content=current.model_copy(update={"pain_after": 2}))
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
    assert view.amendments[1].changes == ("Pain after: 3 -> 2",)
    assert view.current.pain_after == 2 and view.current.trigger_points[0].side is Side.RIGHT
    assert view.content.pain_after == 3


def test_a_forged_correction_is_named_by_verify(ctx, final_note):
    _, nid = final_note
    aid = _amend_to_right(ctx, nid)
    with ctx.engine.begin() as conn:
        for ddl in backend_module(conn.dialect.name).drop_lock_triggers_ddl():
            conn.execute(text(ddl))
        conn.execute(text("UPDATE amendment SET content = :c WHERE id = :i"),
                     {"c": '{"pain_after": 0}', "i": aid})
    with ctx.read() as s:
        report = verify(s, note_digest=notes.note_digest)
    assert any(f"amendment {aid}" in p for p in report.problems)
