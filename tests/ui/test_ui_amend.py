"""Amending in the app: m on a finalized note opens its content to correct, f on Review asks
the reason and saves the correction; the handout, the next "same as last time" and a template
saved from it say what was corrected, and the clinical record shows both, original first."""

from __future__ import annotations

import subprocess

from notes_tui.domain.enums import Side
from notes_tui.services import clients, notes
from notes_tui.services.api import Services
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from notes_tui.ui.screens.editor.amend import AmendEditor
from notes_tui.ui.screens.final_note import FinalNoteScreen
from tests.conftest import full_note
from tests.ui.helpers import settle


def _pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())


def _final_note_on_the_left(sctx) -> tuple[int, int]:
    content = full_note(trigger_points=[
        {"muscle_id": "levator_scapulae", "side": "left", "pressure": 5, "response": "reduced"}],
        cues=[])
    with sctx.write() as s:
        cid = clients.create_client({"name": "Maria Okafor", "consent_on_file": "2026-01-05"},
                                    session=s, actor="Ana Lee").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=content).id
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    return cid, nid


async def test_amend_left_to_right_in_the_app_reaches_the_client_and_goes_forward(sctx,
                                                                                  settings):
    cid, nid = _final_note_on_the_left(sctx)
    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)
        await pilot.press("m")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, AmendEditor)
        assert "amending the note of" in editor.sub_title  # names the note it applies to
        await pilot.press("f3")  # trigger points: the cursor is on levator scapulae, left
        await settle(pilot)
        await pilot.press("r")  # right side
        await settle(pilot)
        await pilot.press("f6", "f")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Side recorded wrongly", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FinalNoteScreen)
        shown = str(app.screen.query_one("#note-body").content)
        assert "side left -> right" in shown
        await pilot.press("escape")
        await settle(pilot)
        history = app.screen.query_one("#history")
        assert history.cursor_row == 0 and str(history.get_row_at(0)[-1]) == "amended"
    with sctx.read() as s:
        view = notes.get_note(nid, session=s)
    assert view.content.trigger_points[0].side is Side.LEFT  # the original, as finalized
    assert view.current.trigger_points[0].side is Side.RIGHT
    (amendment,) = view.amendments
    assert amendment.reason == "Side recorded wrongly"
    assert amendment.changes == ("Trigger point 1 (levator scapulae): side left -> right",)

    services = Services(sctx)
    handout = _pdf_text(services.handouts.export(nid).path)
    assert "Right" in handout and "Left" not in handout
    assert "Updated:" in handout  # a client holding the first copy knows this one replaces it
    with sctx.read() as s:
        follow_up = notes.same_as_last_time(cid, session=s)
    assert follow_up.trigger_points[0].side is Side.RIGHT
    template = services.templates.save_from_note(nid, "Levator corrected").read_text()
    assert 'side = "right"' in template and 'side = "left"' not in template
    record = _pdf_text(services.records.export(cid))
    original = record.index("Levator scapulae left")  # the original, as finalized
    assert record.index("Side recorded wrongly") > original
    assert record.index("side left -> right") > original
