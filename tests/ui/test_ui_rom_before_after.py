"""Range of motion before and after treatment, in degrees or as a percentage of normal: the
row's form shows the catalog's norm while the values are typed, and the change is in the review
step, the note view and the clinical record (a finalized note, on SQLite and PostgreSQL)."""

from __future__ import annotations

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, pdf_text, settle, until


async def test_rom_before_and_after_with_the_norm_shown(ctx, settings, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.services.presentation import present_view
    from notes_tui.ui.dialogs import FormDialog
    from notes_tui.ui.screens.editor import NoteEditor
    from notes_tui.ui.screens.note_view import note_text

    cid, nid = client_with_draft(ctx, content=full_note(rom=[]))
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await until(pilot, lambda: isinstance(app.screen, NoteEditor)
                    and app.screen.editing_draft, what="the editor")
        editor = app.screen
        editor.query_one("#t-rom").focus()
        await pilot.press("a", *"cervical rotation", "enter")
        await until(pilot, lambda: len(editor.rows.rows["rom"]) == 1, what="a test")
        await pilot.press("l", "enter")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), what="the form")
        labels = " ".join(str(label.content) for label in app.screen.query("Label"))
        assert "norm" in labels and "80" in labels  # the catalog's norm, while typing
        await pilot.press(*"55", "tab", *"70", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor), what="back")
        editor.query_one("#t-rom").focus()
        await pilot.press("a", *"shoulder flexion", "enter")
        await until(pilot, lambda: len(editor.rows.rows["rom"]) == 2, what="a second test")
        await pilot.press("r", "enter")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), what="the form")
        await pilot.press(*"60", "tab", *"80", "tab", "enter")
        await settle(pilot)
        await pilot.press("down", "enter")  # "% of normal"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(note_content(ctx, nid).content.rom) == 2
                    and note_content(ctx, nid).content.rom[1].percent, what="saved")
        await pilot.press("f6")
        await until(pilot, lambda: editor.checklist_items is not None, what="review")
        from textual.widgets import Static

        review = str(editor.query_one("#review-text", Static).content)
        assert "Range of motion (the record, not the handout)" in review
        assert "Cervical rotation left: 55° before, 70° after (+15°); norm 60-80°" in review
        assert "Shoulder flexion right: 60% of normal before, 80% of normal after (+20%)" \
            in review
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).is_final, what="finalized")
    rom = note_content(ctx, nid).content.rom
    assert [(r.test_id, r.side.value, r.degrees, r.degrees_after, r.percent) for r in rom] == [
        ("cervical_rotation", "left", 55, 70, False),
        ("shoulder_flexion", "right", 60, 80, True)]
    services = Services(ctx)
    shown = note_text(present_view(services.notes.get(nid), ctx.catalog)).plain
    assert "Cervical rotation left: 55° before, 70° after (+15°); norm 60-80°" in shown
    assert "Shoulder flexion right: 60% of normal before, 80% of normal after (+20%)\n" in shown
    record = pdf_text(services.records.export(cid, out=tmp_path / "exports"))
    assert "55° before, 70° after (+15°); norm 60-80°" in record
