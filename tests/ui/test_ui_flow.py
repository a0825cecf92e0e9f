"""The whole guided flow through the keyboard, asserting on the database through the services."""

from textual.widgets import DataTable

from notes_tui.services import clients
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.client import ClientScreen
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.screens.final_note import FinalNoteScreen
from tests.ui.helpers import only_note, settle


async def test_add_client_write_and_finalize_a_note(sctx, settings):
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # add a client through the dialog
        await pilot.press("ctrl+n")
        await pilot.press(*"Jane Doe")
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await pilot.press(*"2025-01-10")  # consent on file
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#clients", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Jane Doe"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        # new blank note
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        # 1 Assessment
        await pilot.press(*"Headache at the left temple")
        await pilot.press("tab", "6", "tab", "6", "0")  # pain before 6, 60 minutes
        await pilot.press("tab", "enter", "down", "enter")  # technique: Swedish massage
        await pilot.press("tab", *"left temple", "enter", *"neck")  # where it hurts: two places
        await pilot.press("tab", "a", *"forw", "enter")  # posture: forward head
        await settle(pilot)
        # 2 Trigger points: two through the picker
        await pilot.press("f3")
        await pilot.press("a", *"utr", "enter")
        await settle(pilot)
        await pilot.press("l", "6", "o")  # left, pressure 6, released
        await pilot.press("a", *"levator", "enter")
        await settle(pilot)
        await pilot.press("r", "5", "o", "o")  # right, pressure 5, reduced
        # 3 Movement cue, linked to point 1
        await pilot.press("f4")
        await pilot.press("a", *"post-iso", "enter")
        await settle(pilot)
        await pilot.press("t")
        # 4 Follow-up
        await pilot.press("f5")
        await pilot.press("3", "tab", "2", "w")  # pain after 3, next visit in 2 weeks
        await pilot.press("tab", "tab", "a", *"heat", "enter")  # (no date) home care: heat
        await settle(pilot)
        await pilot.press("y")  # its usual dosage, confirmed as prescribed
        await pilot.press("tab", *"Micro-breaks every hour.")
        # 5 Review and finalize
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("f", "y")
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)

    with sctx.read() as s:
        (jane,) = clients.list_clients(session=s)
    view = only_note(sctx, jane.id)
    assert view.is_final
    c = view.content
    assert c.complaint == "Headache at the left temple"
    assert (c.pain_before, c.pain_after, c.duration_minutes) == (6, 3, 60)
    assert c.technique.value == "swedish"
    assert c.pain_locations == ["left temple", "neck"]
    assert [p.finding_id for p in c.posture] == ["forward_head"]
    tps = [(t.muscle_id, t.side.value, t.pressure, t.response and t.response.value)
           for t in c.trigger_points]
    assert tps == [("upper_trapezius", "left", 6, "released"),
                   ("levator_scapulae", "right", 5, "reduced")]
    assert tps[0][0] and c.trigger_points[0].referred_pain  # filled from the catalog
    assert [(cue.cue_id, cue.trigger_point) for cue in c.cues] == [("pir", 1)]
    assert c.next_visit_days == 14
    assert [(h.item_id, h.confirmed) for h in c.home_care] == [("heat", True)]
    assert c.home_care[0].dosage.minutes  # the catalog's dosage
    assert c.advice == "Micro-breaks every hour."
