"""A trigger point in a region the client's contraindications name ("no deep work on calves (DVT
2024)"), or above the pressure limit the client set: said the moment the row is added, the row
turns "to confirm" (finalize waits for y on it: the therapist may have the physician's clearance,
so it is a confirmation, never a refusal), and the review lists the caution."""

from __future__ import annotations

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import note_content, open_editor, settle, until


async def test_a_calf_point_after_a_dvt_is_said_and_listed(ctx, settings):
    from notes_tui.services.clients import create_client
    from notes_tui.services.notes import start_draft

    with ctx.write() as s:
        cid = create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05",
                             "contraindications": "No deep work on calves (DVT 2024)"},
                            session=s, actor="A").id
        nid = start_draft(cid, session=s, settings=ctx.settings, content=full_note()).id
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a", *"gastroc", "enter")
        await settle(pilot)
        await pilot.press("l", "8")
        await until(pilot, lambda: any(
            n.title == "Caution" and "Gastrocnemius" in n.message
            for n in app._notifications), what="the caution is said")
        await until(pilot, lambda: len(note_content(ctx, nid).content.trigger_points) == 3,
                    what="the row is saved all the same")
        await pilot.press("f6")
        await until(pilot, lambda: any("Caution: Trigger point 3, Gastrocnemius (left) at "
                                       "pressure 8/10" in i.message
                                       for i in editor.checklist_items), what="in the review")
        caution = next(i for i in editor.checklist_items if i.message.startswith("Caution"))
        assert not caution.blocking and caution.step == 2
        said = [n for n in app._notifications if n.title == "Caution"]
        assert len(said) == 1  # the pressure key did not say it again
        assert "press y on the row to confirm" in said[0].message
        assert any(i.blocking and i.message.startswith("1 trigger point(s) to confirm")
                   for i in editor.checklist_items)
        assert not note_content(ctx, nid).content.trigger_points[2].confirmed
        await pilot.press("f")  # refused: the cautioned row is not confirmed
        await settle(pilot)
        assert "Cannot finalize yet" in str(editor.query_one("#notice").render())
        await pilot.press("f3", "end", "y")  # checked: confirmed
        await until(pilot, lambda: note_content(ctx, nid).content.trigger_points[2].confirmed,
                    what="the row confirmed")
        await pilot.press("f6")
        await until(pilot, lambda: not any(i.blocking for i in editor.checklist_items),
                    what="nothing blocks")
        assert any(i.message.startswith("Caution: Trigger point 3") and not i.blocking
                   for i in editor.checklist_items)  # still listed for the record
        await pilot.press("f3", "end", "c")  # the other calf too: a second row, news again
        await until(pilot, lambda: len(note_content(ctx, nid).content.trigger_points) == 4,
                    what="the copy")
        await until(pilot, lambda: len([n for n in app._notifications
                                        if n.title == "Caution"]) == 2, what="said again")
        points = note_content(ctx, nid).content.trigger_points
        assert points[2].confirmed and not points[3].confirmed  # only the new row to confirm


async def test_a_point_above_the_clients_pressure_limit_asks_for_confirmation(ctx, settings):
    from notes_tui.services.clients import create_client
    from notes_tui.services.notes import start_draft

    with ctx.write() as s:
        cid = create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05",
                             "pressure_limit": "5"}, session=s, actor="A").id
        nid = start_draft(cid, session=s, settings=ctx.settings, content=full_note()).id
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        assert "Pressure not above 5/10" in str(editor.query_one("#caution").render())
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("a", *"infraspin", "enter")
        await settle(pilot)
        await pilot.press("r", "5")  # at the limit: nothing to say
        await until(pilot, lambda: len(note_content(ctx, nid).content.trigger_points) == 3,
                    what="the row is saved")
        await settle(pilot)
        assert not [n for n in app._notifications if n.title == "Caution"]
        await pilot.press("7")  # 7/10: above it
        await until(pilot, lambda: any(
            n.title == "Caution" and "above the client's limit of 5/10" in n.message
            for n in app._notifications), what="the caution is said")
        await until(pilot, lambda: (lambda tp: tp.pressure == 7 and not tp.confirmed)(
            note_content(ctx, nid).content.trigger_points[2]), what="the row to confirm")
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).content.trigger_points[2].confirmed,
                    what="confirmed")
        await pilot.press("f6")
        await until(pilot, lambda: any("Caution: Trigger point 3, Infraspinatus (right) at "
                                       "pressure 7/10: above the client's limit of 5/10"
                                       in i.message for i in editor.checklist_items),
                    what="in the review")
