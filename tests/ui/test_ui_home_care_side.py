"""Home care as prescribed, not as the catalog guesses: an item from the catalog arrives with its
usual dosage "to confirm" (finalizing waits until the therapist confirms it), a one-sided stretch
has its side, and the handout says that side instead of the catalog's "Do both sides."; the
catalog has gentle yoga, chin tucks and simple strengthening."""

from __future__ import annotations

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, open_editor, pdf_text, settle, until


async def test_a_one_sided_stretch_and_a_dosage_to_confirm(ctx, settings, tmp_path):
    from notes_tui.services.api import Services

    cid, nid = client_with_draft(ctx, content=full_note(home_care=[]))
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        await pilot.press("f5")
        await settle(pilot)
        editor.query_one("#t-home_care").focus()
        await pilot.press("a", *"upper trap", "enter")
        await until(pilot, lambda: len(editor.rows.rows["home_care"]) == 1, what="a stretch")
        await pilot.press("l")
        await pilot.press("a", *"chin tuck", "enter")
        await until(pilot, lambda: len(editor.rows.rows["home_care"]) == 2, what="chin tucks")
        await until(pilot, lambda: [r.confirmed for r in
                                    note_content(ctx, nid).content.home_care] == [False, False],
                    what="both saved to confirm")
        await pilot.press("f6")
        await until(pilot, lambda: any(i.key == "home_care" and i.blocking
                                       for i in editor.checklist_items), what="it waits")
        await pilot.press("f5")
        await settle(pilot)
        editor.query_one("#t-home_care").focus()
        await pilot.press("Y")  # the usual dosages hold for this client
        await pilot.press("f6")
        await until(pilot, lambda: editor.checklist_items is not None
                    and not any(i.blocking for i in editor.checklist_items), what="nothing waits")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).is_final, what="finalized")
    care = note_content(ctx, nid).content.home_care
    assert [(h.item_id, h.side.value if h.side else None, h.confirmed) for h in care] == [
        ("upper_trapezius_stretch", "left", True), ("chin_tuck", None, True)]
    services = Services(ctx)
    handout = pdf_text(services.handouts.export(nid, out=tmp_path / "exports").path)
    assert "Upper trapezius stretch (left side)" in handout
    assert "Do this on your left side only." in handout and "Do both sides." not in handout
    assert "Chin tucks" in handout and "5 times, hold 5 s" in handout
    record = pdf_text(services.records.export(cid, out=tmp_path / "exports"))
    assert "Upper trapezius stretch (left side)" in record
