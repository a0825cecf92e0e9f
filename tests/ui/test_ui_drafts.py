"""Never lose a word: autosave while typing, a draft that survives a restart, and a handler that
raises (caught, or fatal) does not lose what was typed before it."""

import json

import pytest
from textual.widgets import TextArea

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import ConfirmDialog
from notes_tui.ui.screens.editor import NoteEditor
from tests.ui.helpers import note_content, settle


def _client_with_draft(ctx) -> tuple[int, int]:
    with ctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
    return cid, nid


async def _open_editor(pilot, note_id, client_id) -> NoteEditor:
    await settle(pilot)
    pilot.app.open_note(note_id, client_id)
    await settle(pilot)
    editor = pilot.app.screen
    assert isinstance(editor, NoteEditor)
    return editor


async def test_continuous_typing_is_saved_within_the_max_wait(sctx, settings):
    """A pure debounce never fires while typing goes on; the max-wait does."""
    cid, nid = _client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_editor(pilot, nid, cid)
        typed = ""
        for ch in "steady typing without a pause":  # ~0.06 s per key in Pilot: never idle 0.5 s
            await pilot.press(ch if ch != " " else "space")
            typed += ch
        mid = note_content(sctx, nid).content.complaint  # read while the last keys are unsaved
        assert len(mid) >= 8 and typed.startswith(mid)


async def test_a_draft_survives_a_restart_and_is_offered_again(sctx, settings):
    cid, nid = _client_with_draft(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(pilot, nid, cid)
        await pilot.press("f5", "4")  # pain after: step 4
        await pilot.press("f2", *"Tight neck")
        await pilot.press("ctrl+q")  # quit at once: the draft is flushed on the way out
    assert editor.autosaver is not None
    view = note_content(sctx, nid)
    assert view.content.complaint == "Tight neck" and view.content.pain_after == 4

    again = make_app(sctx.url, settings)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(again.screen, NoteEditor)
        assert again.screen.query_one("#f-complaint", TextArea).text == "Tight neck"


async def test_an_exception_in_a_handler_keeps_the_app_and_the_draft(sctx, settings,
                                                                     monkeypatch):
    cid, nid = _client_with_draft(sctx)

    def boom(self, kind):
        raise RuntimeError("secret note text in the message")

    monkeypatch.setattr(NoteEditor, "_pick", boom)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_editor(pilot, nid, cid)
        await pilot.press(*"Left temple headache")
        await pilot.press("f3", "a")  # add a trigger point: the handler raises
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, NoteEditor)
        assert note_content(sctx, nid).content.complaint == "Left temple headache"
        assert any("Something went wrong (RuntimeError)" in n.message
                   for n in app._notifications)  # the one-line notice
    from notes_tui.paths import log_file

    log = log_file().read_text()
    assert "RuntimeError" in log and "secret" not in log and "temple" not in log


@pytest.mark.parametrize("disk_full", [False, True], ids=["saved", "disk-full"])
async def test_a_fatal_error_saves_the_draft_and_prints_no_locals(sctx, settings, monkeypatch,
                                                                  disk_full):
    """The fatal path saves the draft (a bounded wait); when the save fails too (a full
    disk), the text goes to the recovery file and the exit line says so."""
    cid, nid = _client_with_draft(sctx)

    def fatal(self):
        secret_note = self.query_one("#f-complaint", TextArea).text  # noqa: F841
        raise ValueError("unguarded")

    monkeypatch.setattr(NoteEditor, "action_toggle_previous", fatal)
    if disk_full:
        from tests.ui.test_ui_nodrop import DiskFull

        DiskFull(monkeypatch)
    app = make_app(sctx.url, settings)
    with pytest.raises(ValueError):
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_editor(pilot, nid, cid)
            await pilot.press(*"Sore calf")
            await pilot.press("alt+p")
            await pilot.pause()
    assert app.return_code == 1
    assert "unexpected error (ValueError)" in app._crash_line
    from tests.ui.test_ui_nodrop import recovery_files

    if disk_full:
        assert "kept in a recovery file" in app._crash_line
        [kept] = recovery_files()
        assert json.loads(kept.read_text(encoding="utf-8"))["content"]["complaint"] == \
            "Sore calf"
    else:
        assert "Your draft was saved" in app._crash_line
        assert note_content(sctx, nid).content.complaint == "Sore calf"
        assert recovery_files() == []
    shown = " ".join(str(r) for r in app._exit_renderables)
    assert "Sore calf" not in shown
