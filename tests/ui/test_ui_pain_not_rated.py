"""A session with no pain numbers: n in a pain field says "not asked", d "the client declined";
the checklist accepts either, the record says which, the handout leaves the score out, and an
import of a note marked final without them is refused the way finalize is."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from notes_tui.domain.enums import PainNotRated
from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, open_editor, pdf_text, settle, until


async def test_not_asked_and_declined_are_recorded_and_finalizable(ctx, settings, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.ui.screens.note_view import note_text

    cid, nid = client_with_draft(ctx, content=full_note(pain_before=None, pain_after=None))
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        editor.query_one("#f-pain_before").focus()
        await pilot.press("n")
        await until(pilot, lambda: note_content(ctx, nid).content.pain_before_not_rated
                    == PainNotRated.NOT_ASKED, what="not asked is saved")
        assert "not asked" in str(editor.query_one("#m-pain_before", Static).content)
        await pilot.press("f5")  # the follow-up: the cursor is in "pain after"
        await settle(pilot)
        await pilot.press("x")  # not a score: refused with the hint
        await pilot.press("d")
        await until(pilot, lambda: note_content(ctx, nid).content.pain_after_not_rated
                    == PainNotRated.DECLINED, what="declined is saved")
        await pilot.press("f6")
        await until(pilot, lambda: editor.checklist_items is not None and
                    not [i for i in editor.checklist_items if i.key.startswith("pain")],
                    what="the checklist accepts it")
        assert not [i for i in editor.checklist_items if i.blocking]
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).is_final, what="finalized")
    services = Services(ctx)
    view = services.notes.get(nid)
    assert view.content.pain_before is None and view.content.pain_after is None
    from notes_tui.services.presentation import present_view

    shown = note_text(present_view(view, ctx.catalog)).plain  # the app's note view
    assert "Pain before: not asked" in shown and "Pain after: client declined" in shown
    record = pdf_text(services.records.export(cid, out=tmp_path / "exports"))
    assert "Pain before not asked" in record
    assert "Pain after client declined to rate" in record
    handout = pdf_text(services.handouts.export(nid, out=tmp_path / "exports").path)
    assert "Pain before" not in handout and "declined" not in handout


def test_an_import_marked_final_without_pain_or_why_is_refused(sctx, settings, tmp_path):
    from notes_tui.services.context import open_context
    from notes_tui.services.errors import ImportRefused
    from notes_tui.services.interchange import dump_document, import_document
    from notes_tui.services.notes import finalize

    _cid, nid = client_with_draft(sctx, content=full_note())
    with sctx.write() as s:
        finalize(nid, session=s, actor="Ana Lee")
    with sctx.read() as s:
        doc = dump_document(session=s)
    doc["notes"][0]["content"]["pain_before"] = None
    other = open_context(f"sqlite:///{tmp_path / 'other.sqlite3'}", settings)
    try:
        with pytest.raises(ImportRefused, match="finalize checklist refuses it: Pain before"), \
                other.write() as s:
            import_document(doc, session=s, actor="Ana")
        doc["notes"][0]["content"]["pain_before_not_rated"] = "declined"
        with other.write() as s:
            import_document(doc, session=s, actor="Ana")
        with other.read() as s:
            [note] = dump_document(session=s)["notes"]
        assert note["status"] == "final"
        assert note["content"]["pain_before_not_rated"] == "declined"
    finally:
        other.dispose()
