"""After `e` writes the handout, `o` opens it in the system's viewer without waiting for it, and
says clearly where the file is when no viewer exists."""

from pathlib import Path

from notes_tui.services import clients, notes
from notes_tui.ui import opener
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.final_note import FinalNoteScreen
from tests.conftest import full_note
from tests.ui.helpers import settle


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_handout_opens_in_the_viewer_or_says_where_it_is(sctx, settings,
                                                                    monkeypatch):
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"},
                                    session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="A")
    started = []
    monkeypatch.setattr(opener, "find_opener", lambda: ["xdg-open"])
    monkeypatch.setattr(opener.subprocess, "Popen",
                        lambda args, **kw: started.append((args, kw)))
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.go_to_client(cid)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FinalNoteScreen)
        ids = {a.binding.id for a in screen.active_bindings.values()}
        assert "note_view.open_export" not in ids  # nothing written yet
        await pilot.press("o")  # does nothing yet
        await pilot.press("e")
        await settle(pilot)
        [written] = [m for m in _messages(app) if m.startswith("Handout written")]
        assert written.endswith("o opens it")
        path = Path(written.removeprefix("Handout written: ").split(" · ")[0])
        assert path.is_file() and path.suffix == ".pdf"
        await pilot.press("o")
        await settle(pilot)
        [(args, kw)] = started
        assert args == ["xdg-open", str(path)]
        assert kw["start_new_session"] and kw["stdin"] == opener.subprocess.DEVNULL
        assert any(m.startswith("Opening") for m in _messages(app))

        monkeypatch.setattr(opener, "find_opener", lambda: None)  # a machine without a desktop
        await pilot.press("o")
        await settle(pilot)
        assert any("No PDF viewer" in m and str(path) in m for m in _messages(app))
        assert len(started) == 1
