"""The session's date and start time, set in the editor (charted the next morning for yesterday's
14:00 session): saved at once, in the clinic's time zone, and the same everywhere the note is
shown: the editor, its review, the client's history, the handout and the clinical record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from textual.widgets import Static

from notes_tui.ui.app import make_app
from notes_tui.ui.dialogs import FormDialog
from tests.conftest import full_note
from tests.ui.helpers import client_with_draft, note_content, pdf_text, settle, until


async def _editor(pilot, nid: int, cid: int):
    from notes_tui.ui.screens.editor import NoteEditor

    await settle(pilot)
    pilot.app.open_note(nid, cid)
    await until(pilot, lambda: isinstance(pilot.app.screen, NoteEditor)
                and pilot.app.screen.editing_draft, what="the editor opens")
    return pilot.app.screen


async def _when(pilot, day: str, clock: str) -> FormDialog:
    """ctrl+t, then the day and the time typed over what the form shows, then ctrl+s."""
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(pilot.app.screen, FormDialog)
                and pilot.app.screen.query("#f-date"), what="the date and time form")
    form = pilot.app.screen
    await pilot.press(*day, "tab", *clock, "ctrl+s")
    await settle(pilot)
    return form



async def test_charted_next_morning_for_yesterdays_session(ctx, settings, tmp_path):
    from notes_tui.paths import templates_dir
    from notes_tui.services.handouts import export_handout, load_handout_template
    from notes_tui.services.notes import finalize
    from notes_tui.services.records import export_record

    tz = ZoneInfo(settings.timezone)
    assert tz.key != "UTC"  # the clinic's zone is not the server's
    yesterday = (datetime.now(UTC).astimezone(tz) - timedelta(days=1)).date()
    cid, nid = client_with_draft(ctx, content=full_note())
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _editor(pilot, nid, cid)
        await _when(pilot, "yesterday", "14:00")
        await until(pilot, lambda: note_content(ctx, nid).local_start.date() == yesterday,
                    what="the new date is saved")
        shown = str(editor.query_one("#when", Static).render())
        assert f"{yesterday:%a %d %b %Y}, 14:00" in shown
        assert f"{yesterday:%Y-%m-%d} 14:00" in editor.sub_title
        await pilot.press("f6")
        said = f"{yesterday:%A} {yesterday.day} {yesterday:%B %Y} at 14:00"
        await until(pilot, lambda: said in str(editor.query_one("#review-text", Static).content),
                    what="the review says when")
    view = note_content(ctx, nid)
    assert view.local_start == datetime(yesterday.year, yesterday.month, yesterday.day, 14, 0,
                                        tzinfo=tz)
    with ctx.write() as s:
        finalize(nid, session=s, actor="Ana Lee")
    template = load_handout_template(templates_dir() / "handout" / "handout.toml", None)
    handout = pdf_text(export_handout(ctx, nid, template=template,
                                       exports=tmp_path / "exports").path)
    assert said in handout
    record = pdf_text(export_record(ctx, cid, template=template, exports=tmp_path / "exports"))
    zone = view.local_start.tzname()  # EST or EDT: the clinic's, not UTC
    assert f"Session Start {yesterday:%Y-%m-%d} 14:00 {zone}" in record
    finalized = note_content(ctx, nid).finalized_at.astimezone(tz)  # said in the same zone
    assert f"finalized {finalized:%Y-%m-%d %H:%M} {finalized.tzname()} by Ana Lee" in record


async def test_a_date_or_time_that_cannot_be_is_said_under_its_field(ctx, settings):
    cid, nid = client_with_draft(ctx, content=full_note())
    before = note_content(ctx, nid).session_start
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _editor(pilot, nid, cid)
        form = await _when(pilot, "2026-02-30", "14:00")
        await until(pilot, lambda: "not a real date" in
                    str(form.query_one("#m-date", Static).render()), what="the date's message")
        assert app.screen is form  # the form stays, with what was typed
        await pilot.press("escape")  # cancel: what was typed is not lost without asking
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        form = await _when(pilot, "2026-03-08", "02:30")  # the clocks went forward in Toronto
        await until(pilot, lambda: "does not exist" in
                    str(form.query_one("#m-start", Static).render()), what="the time's message")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        form = await _when(pilot, "2099-01-05", "09:00")
        await until(pilot, lambda: "in the future" in
                    str(form.query_one("#m-start", Static).render()), what="the future")
    assert note_content(ctx, nid).session_start == before
