"""The search screen: results while typing, stale results dropped, hostile text inert."""

from textual.widgets import Input, OptionList, Static

from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from notes_tui.ui.screens.search import SearchScreen
from tests.conftest import full_note


def _seed(ctx):
    with ctx.write() as s:
        ana = clients.create_client({"name": "[@click=app.quit]Ana[/]"}, session=s, actor="A").id
        ben = clients.create_client({"name": "Ben Okafor"}, session=s, actor="A").id
        notes.start_draft(ana, session=s, settings=ctx.settings,
                          content=full_note(complaint="Whiplash after a car accident"))
        notes.start_draft(ben, session=s, settings=ctx.settings,
                          content=full_note(complaint="Calf cramps when running"))


async def _settle(pilot):
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_results_update_while_typing(sctx, settings):
    _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        for key in "whipl":
            await pilot.press(key)
        await _settle(pilot)
        results = app.screen.query_one("#results", OptionList)
        assert results.option_count == 1
        assert "Whiplash" in str(results.get_option_at_index(0).prompt)
        app.screen.query_one("#query", Input).value = "calf"
        await _settle(pilot)
        assert results.option_count == 1
        assert "Ben Okafor" in str(results.get_option_at_index(0).prompt)
        assert app.is_running


async def test_bad_filter_says_why_and_app_keeps_running(sctx, settings):
    _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f")
        app.screen.query_one("#query", Input).value = "since:notadate"
        await _settle(pilot)
        message = str(app.screen.query_one("#search-message", Static).render())
        assert "since" in message and "YYYY-MM-DD" in message


async def test_hostile_client_name_is_inert_in_results_and_preview(sctx, settings):
    _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#query", Input).value = "whiplash"
        await _settle(pilot)
        preview = str(app.screen.query_one("#preview", Static).render())
        assert "[@click=app.quit]Ana[/]" in preview
        await pilot.click("#preview")
        await pilot.click("#results")
        await pilot.pause()
        assert app.is_running


async def test_stale_results_are_dropped(sctx, settings):
    _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        screen = app.screen
        screen._generation = 5
        from notes_tui.services.search import SearchPage

        screen._show(4, "old", SearchPage([], 0, 50, "relevance"))  # older than the latest
        assert str(screen.query_one("#search-message", Static).render()) == ""


async def test_enter_opens_the_note_and_it_can_search_the_clients_history(sctx, settings):
    from notes_tui.ui.screens.note_view import NoteViewScreen

    _seed(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        app.screen.query_one("#query", Input).value = "calf"
        await _settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)
        assert isinstance(app.screen, NoteViewScreen)
        body = str(app.screen.query_one("#note-body", Static).content)
        assert "Calf cramps when running" in body and "Ben Okafor" in body
        assert "Upper trapezius" in body and "Active TrP in L UT" in body
        await pilot.press("ctrl+f")
        await _settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#results", OptionList)
        assert results.option_count == 1  # only Ben's notes


async def test_the_editor_searches_this_clients_history(sctx, settings):
    from notes_tui.services.notes import list_notes
    from notes_tui.ui.screens.editor import NoteEditor

    _seed(sctx)
    with sctx.read() as s:
        ben = next(n for n in list_notes(session=s) if n.client_name == "Ben Okafor")
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.open_note(ben.id, ben.client_id, 1)
        await _settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+f")
        await _settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#results", OptionList)
        assert results.option_count == 1
        assert "Ben Okafor" in str(results.get_option_at_index(0).prompt)


async def test_words_found_only_in_the_catalogs_wording_are_offered_not_shown(sctx, settings):
    """"tension" is in the catalog's referral for the upper trapezius, not in what the therapist
    wrote: no result, and the screen says how to search the catalog's wording too."""
    referral = sctx.catalog.muscles["upper_trapezius"].referral_clinical
    with sctx.write() as s:
        cid = clients.create_client({"name": "Ben Okafor"}, session=s, actor="A").id
        notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note(
            trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                             "referred_pain": referral}]))
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        for key in "tension":
            await pilot.press(key)
        await _settle(pilot)
        results = app.screen.query_one("#results", OptionList)
        message = str(app.screen.query_one("#search-message", Static).render())
        assert results.option_count == 0 and "add include:catalog" in message
        for key in " include:catalog":
            await pilot.press(key if key != " " else "space")
        await _settle(pilot)
        assert results.option_count == 1
        assert "tension" in str(results.get_option_at_index(0).prompt)
