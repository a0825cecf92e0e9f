"""A trigger point in a region the client's contraindications name ("no deep work on calves (DVT
2024)"): said the moment the row is added, and listed in the review's checklist as a caution (it
does not block: the therapist may have the physician's clearance)."""

from __future__ import annotations

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import note_content, open_editor, settle, until


async def test_a_calf_point_after_a_dvt_is_said_and_listed(sctx, settings):
    from notes_tui.services.clients import create_client
    from notes_tui.services.notes import start_draft

    with sctx.write() as s:
        cid = create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05",
                             "contraindications": "No deep work on calves (DVT 2024)"},
                            session=s, actor="A").id
        nid = start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    app = make_app(sctx.url, settings)
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
        await until(pilot, lambda: len(note_content(sctx, nid).content.trigger_points) == 3,
                    what="the row is saved all the same")
        await pilot.press("f6")
        await until(pilot, lambda: any("Caution: Trigger point 3, Gastrocnemius (left) at "
                                       "pressure 8/10" in i.message
                                       for i in editor.checklist_items), what="in the review")
        caution = next(i for i in editor.checklist_items if i.message.startswith("Caution"))
        assert not caution.blocking and caution.step == 2
        said = [n for n in app._notifications if n.title == "Caution"]
        assert len(said) == 1  # the pressure key did not say it again
