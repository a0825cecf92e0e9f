"""Typing in the editor: autosave keeps every word, the audit trail records one edit for the
whole sitting rather than one per autosave."""

from sqlalchemy import func, select

from notes_tui.db.models import AuditEvent
from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.editor import NoteEditor
from tests.ui.helpers import note_content, settle


def _updates(ctx, nid: int) -> int:
    with ctx.read() as s:
        return s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "note", AuditEvent.entity_id == nid,
            AuditEvent.action == "update")).scalar_one()


async def _type_in_editor(ctx, settings, cid: int, nid: int, words: str) -> NoteEditor:
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        for ch in words:  # ~0.06 s a key in Pilot: the max-wait autosave fires as it goes
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("ctrl+q")
    return editor


async def test_one_sitting_of_typing_is_one_audited_edit(sctx, settings):
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings).id
    editor = await _type_in_editor(sctx, settings, cid, nid, "stiff neck after long days")
    assert editor.autosaver.saves >= 2  # it saved as it went ...
    assert note_content(sctx, nid).content.complaint == "stiff neck after long days"
    assert _updates(sctx, nid) == 1  # ... and the trail says "edited" once
    await _type_in_editor(sctx, settings, cid, nid, " and shoulders")
    assert "and shoulders" in note_content(sctx, nid).content.complaint
    assert _updates(sctx, nid) == 2  # opening the note again is a new sitting
