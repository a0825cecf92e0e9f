"""Every part of a note can be written from the keyboard, and bad input gets a message next to
its field while nothing invalid reaches the draft."""

from datetime import timedelta

from textual.widgets import Input

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.widgets.field_message import FieldMessage
from tests.ui.helpers import client_with_draft, note_content, settle


def _message(editor, key: str) -> str:
    return editor.query_one(f"#m-{key}", FieldMessage).message


async def test_every_field_from_the_keyboard_and_bad_input_is_never_saved(sctx, settings):
    cid, nid = client_with_draft(sctx)
    session_day = note_content(sctx, nid).local_start.date()
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        await pilot.press(*"Stiff neck", "tab", "4", "tab", "0")  # duration 0: refused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "more than 0" in _message(editor, "duration_minutes")
        saved = note_content(sctx, nid).content
        assert saved.duration_minutes is None and saved.complaint == "Stiff neck"  # the rest
        await pilot.press("backspace", "4", "5")
        await pilot.press("tab", "enter", "down", "down", "enter")  # technique: deep tissue
        await pilot.press("tab", *"neck", "enter", *"left shoulder")  # where it hurts
        await pilot.press("tab", "tab")  # posture (left empty), then range of motion
        await pilot.press("a", *"cervical rot", "enter")
        await settle(pilot)
        await pilot.press("l", "p", "enter")  # left, painful, edit: degrees
        await settle(pilot)
        await pilot.press(*"55", "ctrl+s")
        await settle(pilot)
        await pilot.press("tab", "a", *"utr", "enter")  # muscles found off
        await settle(pilot)
        await pilot.press("f", "r")  # the next finding, right side
        await pilot.press("tab", *"Taut band in R UT.")  # therapist summary
        await pilot.press("tab", *"Your neck muscles are tight.")  # summary for the client
        assert not _message(editor, "duration_minutes")
        # follow-up: a next visit date before the session is refused with a message
        await pilot.press("f5", "2", "tab", "tab", *"2020-01-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "after the session" in _message(editor, "next_visit_date")
        assert note_content(sctx, nid).content.next_visit_date is None
        await pilot.press("slash")  # not a date character: refused, and said so
        assert "YYYY-MM-DD" in _message(editor, "next_visit_date")
        good = session_day + timedelta(days=10)
        field = editor.query_one("#f-next_visit_date", Input)
        field.value = ""
        await pilot.press(*f"{good:%Y-%m-%d}", "ctrl+s")
        # (under load an autosave of the half-typed date may end after the last key: its
        # message goes with the next save, which ctrl+s makes now)
        await settle(pilot)
        assert not _message(editor, "next_visit_date")
        await pilot.press("tab", "tab", *"Drink water.")  # (home care skipped) advice
        await pilot.press("tab", *"Some soreness tomorrow.")  # what to expect
        await pilot.press("tab", *"Call if numbness.")  # when to get in touch
        await pilot.press("tab", *"GP for imaging, if no better in 3 weeks.")  # referral
        await pilot.press("ctrl+s")
        await settle(pilot)
    c = note_content(sctx, nid).content
    assert (c.complaint, c.pain_before, c.duration_minutes) == ("Stiff neck", 4, 45)
    assert c.technique.value == "deep_tissue"
    assert c.pain_locations == ["neck", "left shoulder"]
    assert [(r.test_id, r.side.value, r.painful, r.degrees, r.result.value) for r in c.rom] == [
        ("cervical_rotation", "left", True, 55, "degrees")]
    assert [(m.muscle_id, m.side.value, m.finding.value) for m in c.muscles] == [
        ("upper_trapezius", "right", "tender")]
    assert c.therapist_summary == "Taut band in R UT."
    assert c.client_summary == "Your neck muscles are tight."
    assert (c.pain_after, c.next_visit_days, c.next_visit_date) == (2, None, good)
    assert c.advice == "Drink water." and c.what_to_expect == "Some soreness tomorrow."
    assert c.when_to_contact == "Call if numbness."
    assert c.referral == "GP for imaging, if no better in 3 weeks."


async def test_x_deletes_a_point_and_u_brings_it_back_with_its_cue_link(sctx, settings):
    from notes_tui.domain.note import MovementCueRow, NoteContent, TriggerPointRow
    from notes_tui.ui.widgets.row_table import RowTable

    content = NoteContent(
        complaint="Neck", pain_before=5,
        trigger_points=[TriggerPointRow(muscle_id="upper_trapezius", side="right", pressure=6),
                        TriggerPointRow(muscle_id="levator_scapulae", side="right", pressure=5)],
        cues=[MovementCueRow(text="Chin tuck", trigger_point=2)])
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=content).id
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 2)
        await settle(pilot)
        table = app.screen.query_one("#t-trigger_points", RowTable)
        assert not any(b.binding.action == "row('undo')"
                       for b in app.screen.active_bindings.values())
        await pilot.press("down", "x")
        assert table.row_count == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert note_content(sctx, nid).content.cues[0].trigger_point is None
        await pilot.press("u")
        assert table.row_count == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
    c = note_content(sctx, nid).content
    assert [tp.muscle_id for tp in c.trigger_points] == ["upper_trapezius", "levator_scapulae"]
    assert c.cues[0].trigger_point == 2  # the cue points at the restored point again


async def test_next_visit_in_weeks_says_which_day_that_is(sctx, settings):

    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 4)
        await settle(pilot)
        editor = app.screen
        editor.query_one("#f-next_visit_days", Input).focus()
        await pilot.press("2", "w", "ctrl+s")
        await settle(pilot)
        view = note_content(sctx, nid)
        expected = view.local_start.date() + timedelta(days=14)
        shown = str(editor.query_one("#m-next_visit_days", FieldMessage).render())
        assert shown == f"on {expected:%a %d %b}"
        await pilot.press("f6")  # the review says it as the handout will
        await settle(pilot)
        review = str(editor.query_one("#review-text").content)
        assert f"Next visit: in 2 weeks (around {expected.day} {expected:%B %Y})" in review
        assert view.content.next_visit_days == 14


async def test_a_new_point_takes_the_side_of_the_point_above(sctx, settings):

    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 2)
        await settle(pilot)
        await pilot.press("a", *"utr", "enter")  # the first: both sides, as nothing is above
        await settle(pilot)
        await pilot.press("r", "a", *"scm", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    sides = [tp.side.value for tp in note_content(sctx, nid).content.trigger_points]
    assert sides == ["right", "right"]
