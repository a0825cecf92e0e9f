"""Consent for this session, in the editor: the plan agreed (with limits), sensitive areas treated
with this session's written consent, draping. A sensitive area without written consent blocks
finalizing; the record says all of it; the handout none of it."""

from __future__ import annotations

from textual.widgets import Select

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, open_editor, pdf_text, settle, until


async def test_consent_is_recorded_and_a_sensitive_area_needs_it_in_writing(ctx, settings,
                                                                           tmp_path):
    from notes_tui.services.api import Services

    cid, nid = client_with_draft(ctx, content=full_note())
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        editor.query_one("#f-consent_limits").focus()
        await pilot.press(*"no abdominal work", "tab", *"gluteal attachments", "tab", "tab",
                          *"standard; gluteal draping")
        await until(pilot, lambda: note_content(ctx, nid).content.sensitive_areas ==
                    "gluteal attachments", what="saved")
        await pilot.press("f6")
        await until(pilot, lambda: any(i.key == "sensitive_areas" and i.blocking
                                       for i in editor.checklist_items), what="it blocks")
        await pilot.press("f")
        await settle(pilot)
        assert not note_content(ctx, nid).is_final  # refused: no confirmation was asked
        await pilot.press("f2")  # back to the assessment, where consent is
        await settle(pilot)
        editor.query_one("#f-sensitive_consent", Select).value = "yes"  # written consent
        editor.query_one("#f-consent_plan", Select).value = "yes"  # and the plan agreed
        await until(pilot, lambda: note_content(ctx, nid).content.sensitive_consent,
                    what="written consent saved")
        await pilot.press("f6")
        await until(pilot, lambda: not any(i.blocking for i in editor.checklist_items),
                    what="nothing blocks")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).is_final, what="finalized")
    content = note_content(ctx, nid).content
    assert (content.consent_plan, content.consent_limits, content.draping) == \
        (True, "no abdominal work", "standard; gluteal draping")
    services = Services(ctx)
    from notes_tui.services.presentation import present_view
    from notes_tui.ui.screens.note_view import note_text

    shown = note_text(present_view(services.notes.get(nid), ctx.catalog)).plain  # the note view
    assert "Consent to today's plan: yes (limits: no abdominal work)" in shown
    record = pdf_text(services.records.export(cid, out=tmp_path / "exports"))
    assert "Consent to today's plan yes (limits: no abdominal work)" in record
    assert "Sensitive areas treated gluteal attachments; written consent this session: yes" \
        in record
    assert "Draping standard; gluteal draping" in record
    # the client's part says it per session, not one "no" for every client
    assert "Sensitive-area consent 1 session treated a sensitive area (" in record
    assert "each with that session's written consent" in record
    handout = pdf_text(services.handouts.export(nid, out=tmp_path / "exports").path)
    assert "gluteal attachments" not in handout and "abdominal" not in handout
