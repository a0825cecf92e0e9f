"""Template suggestions "to confirm": shown apart, confirmed one by one or a table at a time,
kept unconfirmed by edits, and reachable from the finalize checklist."""

from textual.widgets import Input, Label, OptionList, TextArea

from notes_tui.domain.note import HomeCareRow, MovementCueRow, NoteContent, TriggerPointRow
from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.editor import NoteEditor
from notes_tui.ui.widgets.row_table import RowTable
from tests.ui.helpers import note_content, settle


def _draft_with_suggestions(ctx) -> tuple[int, int]:
    content = NoteContent(
        complaint="Jaw pain", pain_before=5, duration_minutes=45,
        trigger_points=[
            TriggerPointRow(muscle_id="masseter", side="left", confirmed=False),
            TriggerPointRow(muscle_id="temporalis", side="left", confirmed=False),
            TriggerPointRow(muscle_id="upper_trapezius", side="left", pressure=5),
        ],
        cues=[MovementCueRow(text="Open and close slowly", trigger_point=1, confirmed=False)],
        home_care=[HomeCareRow(item_id="heat", confirmed=False)],
        advice="Soft food for two days.", next_visit_days=14,
        to_confirm=["advice", "next_visit"])
    with ctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"},
                                    session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=content).id
    return cid, nid


def _cells(table: RowTable, row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


def _checklist(editor) -> list[str]:
    options = editor.query_one("#checklist", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_suggested_rows_and_fields_are_confirmed_explicitly(sctx, settings):
    cid, nid = _draft_with_suggestions(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 2)
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        points = editor.query_one("#t-trigger_points", RowTable)
        assert app.focused is points
        assert [_cells(points, i)[0] for i in range(3)] == ["to confirm", "to confirm", ""]
        assert "2 to confirm" in str(editor.query_one("#l-trigger_points", Label).render())
        assert "y confirm" in str(editor.query_one("#h-trigger_points").render())
        # an edit (the side) keeps the suggestion a suggestion; y confirms it
        await pilot.press("r")
        assert _cells(points, 0)[0] == "to confirm" and "Right" in _cells(points, 0)
        await pilot.press("y")
        assert _cells(points, 0)[0] == "" and _cells(points, 1)[0] == "to confirm"
        # the checklist lists what is left, and Enter jumps to the first row still to confirm
        await pilot.press("f6")
        await settle(pilot)
        shown = _checklist(editor)
        for expected in ("1 trigger point(s) to confirm", "1 suggested movement cue",
                         "1 suggested home-care", "Advice (suggested)",
                         "Next visit (suggested)"):
            assert any(expected in line for line in shown), (expected, shown)
        await pilot.press(*["down"] * next(i for i, line in enumerate(shown)
                                           if "trigger point" in line), "enter")
        assert editor.step == 2 and app.focused is points and points.cursor_row == 1
        await pilot.press("Y")  # every row of this table
        assert all(_cells(points, i)[0] != "to confirm" for i in range(3))
        assert points.unconfirmed == 0 and "y confirm" not in str(
            editor.query_one("#h-trigger_points").render())
        await pilot.press("f4", "y")  # the cue
        await pilot.press("f5")  # follow-up: pain after has focus; the suggestions are marked
        assert "to confirm" in str(editor.query_one("#l-advice", Label).render())
        assert editor.query_one("#c-next_visit").message
        editor.query_one("#f-advice", TextArea).focus()
        await pilot.pause()
        assert any(b.binding.action == "confirm" for b in editor.active_bindings.values())
        await pilot.press("ctrl+o")  # confirm the advice as it is
        assert "to confirm" not in str(editor.query_one("#l-advice", Label).render())
        editor.query_one("#f-next_visit_days", Input).focus()
        await pilot.press("backspace", "backspace", "3", "w")  # an edit confirms a field
        assert not editor.query_one("#c-next_visit").message
        editor.query_one("#t-home_care", RowTable).focus()
        await pilot.press("ctrl+o")  # ctrl+o works on a table row too
        await pilot.press("f6")
        await settle(pilot)
        assert not any("confirm" in line for line in _checklist(editor))
        await pilot.press("ctrl+s")
        await settle(pilot)
    c = note_content(sctx, nid).content
    assert all(tp.confirmed for tp in c.trigger_points)
    assert c.trigger_points[0].side.value == "right"
    assert all(cue.confirmed for cue in c.cues) and all(h.confirmed for h in c.home_care)
    assert c.to_confirm == [] and c.next_visit_days == 21
    assert c.advice == "Soft food for two days."


async def test_unconfirmed_suggestions_block_finalize(sctx, settings):
    cid, nid = _draft_with_suggestions(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 5)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        notice = str(app.screen.query_one("#notice").render())
        assert "Cannot finalize yet" in notice and "not yet confirmed" in notice
        shown = _checklist(app.screen)  # what blocks, in step order
        steps = [int(line.rsplit("(step ", 1)[1][0]) for line in shown
                 if "(step " in line and line.startswith("✗")]  # then the warnings
        assert steps == sorted(steps) and len(shown) >= 5
        await pilot.press("f3")  # the message was about step 5: it does not follow elsewhere
        assert str(app.screen.query_one("#notice").render()).strip() == ""
    assert not note_content(sctx, nid).is_final
