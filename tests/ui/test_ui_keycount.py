"""A typical follow-up note, counted: every key press except free text. Aim: 25 or fewer
(README), since the last visit included."""

from pathlib import Path

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.final_note import FinalNoteScreen
from tests.conftest import full_note
from tests.ui.helpers import KeyCounter, settle

KEYCOUNT = Path(__file__).parent / "KEYCOUNT.txt"


async def test_follow_up_note_takes_few_keys(sctx, settings):
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2025-01-05"},
                                    session=s, actor="A").id
        first = notes.start_draft(cid, session=s, settings=settings, content=full_note()).id
    with sctx.write() as s:
        notes.finalize(first, session=s, actor="A")

    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        k = KeyCounter(pilot)
        await settle(pilot)
        await k.text("jane")
        await k.keys("enter")  # open the client
        await k.keys("s")  # new note, same as last time: it opens on "since the last visit"
        await k.keys("a", "tab", "y")  # better at once; home care done
        await k.keys("tab")  # -> new health changes
        await k.text("none")
        await k.keys("tab", "tab")  # -> complaint -> pain before
        await k.keys("5")  # pain before 5
        await k.keys("f3")  # trigger points
        await k.keys("Y")  # last time's points were treated again: confirm them all
        await k.keys("a")
        await k.text("utr")
        await k.keys("enter", "l", "6")  # upper trapezius, left, pressure 6
        await k.keys("f4", "Y")  # and last time's movement cues
        await k.keys("f5")  # follow-up: the cursor is in pain after
        await k.keys("2")
        # Last time's plan (cadence, home care, advice, the two wordings) is "to confirm"
        # until the therapist says it holds today: alt+y confirms all of this step at once
        await k.keys("alt+y")
        await k.keys("f6", "f", "y")  # review, finalize, confirm
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)

    with sctx.read() as s:
        latest = notes.list_notes(session=s, client_id=cid)[0]
        view = notes.get_note(latest.id, session=s)
    assert view.is_final and view.id != first
    c = view.content
    assert (c.pain_before, c.pain_after) == (5, 2)
    assert (c.since_response.value, c.since_home_care.value, c.since_health) == \
        ("better_at_once", "yes", "none")
    assert len(c.trigger_points) == 3 and c.trigger_points[-1].muscle_id == "upper_trapezius"
    assert all(tp.confirmed for tp in c.trigger_points) and all(cue.confirmed for cue in c.cues)
    assert c.home_care and all(hc.confirmed for hc in c.home_care)
    assert c.advice and c.to_confirm == []  # carried over from last time, and confirmed
    KEYCOUNT.write_text(
        f"Follow-up note (same as last time, since the last visit, pain before and after, one "
        f"trigger point, finalize): {k.count} key presses other than free text.\n"
        f"Keys: {' '.join(k.log)}\n", encoding="utf-8")
    assert k.count <= 25


async def test_first_visit_from_a_template_takes_few_keys(sctx, settings):
    """A first visit from the tension-headache template: the template's side, the complaint,
    pain before, its four trigger points confirmed with the pressure each tolerated, its cues,
    pain after, its plan confirmed, finalize. Aim (README): 45 or fewer."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2025-01-05"},
                                    session=s, actor="A").id

    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        k = KeyCounter(pilot)
        await settle(pilot)
        await k.text("jane")
        await k.keys("enter")  # the client
        await k.keys("t")  # new note from a template
        await k.text("headache")
        await k.keys("enter", "l")  # tension-type headache, on the left
        await k.text("Headaches at the left temple after long days at the desk")
        await k.keys("tab", "6")  # pain before (the template gave the minutes)
        await k.keys("f3", "Y")  # the template's points were treated: confirm them
        await k.keys("6", "down", "5", "down", "4", "down", "5")  # the pressure of each
        await k.keys("f4", "Y")  # and its cues
        await k.keys("f5", "3")  # pain after
        await k.keys("alt+y")  # its home care, advice and wording hold today
        await k.keys("f6", "f", "y")
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)

    with sctx.read() as s:
        latest = notes.list_notes(session=s, client_id=cid)[0]
        view = notes.get_note(latest.id, session=s)
    c = view.content
    assert view.is_final and (c.pain_before, c.pain_after) == (6, 3)
    assert [tp.pressure for tp in c.trigger_points] == [6, 5, 4, 5]
    assert all(tp.confirmed for tp in c.trigger_points) and c.home_care
    KEYCOUNT.with_name("KEYCOUNT-first-visit.txt").write_text(
        f"First visit from a template (side, pain before and after, four trigger points with "
        f"their pressures, cues, plan, finalize): {k.count} key presses other than free text.\n"
        f"Keys: {' '.join(k.log)}\n", encoding="utf-8")
    assert k.count <= 45
