"""Themes: the one chosen in the app is kept for the next start, a theme settings.toml names
that does not exist is said, and the "to confirm" rows (and the cursor on them) are readable in
the built-in dark and light themes."""

import pytest

from notes_tui.paths import settings_file
from notes_tui.settings import load_settings
from notes_tui.ui import app as app_module
from notes_tui.ui.app import make_app
from notes_tui.ui.widgets.row_table import RowTable
from tests.ui.helpers import settle, steady
from tests.ui.test_ui_confirm import _draft_with_suggestions


async def test_a_theme_chosen_in_the_app_is_kept_for_the_next_start(sctx, settings,
                                                                     monkeypatch):
    monkeypatch.setattr(app_module, "THEME_SETTLE", 0.05)
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('# my settings\ntherapist_name = "Ana Lee"\n', encoding="utf-8")
    app = make_app(sctx.url, load_settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.theme = "nord"  # a preview on the way, as the palette's theme picker makes
        app.theme = "textual-light"
        await pilot.pause(0.3)
        await settle(pilot)
    text = settings_file().read_text(encoding="utf-8")
    assert 'theme = "textual-light"' in text and "# my settings" in text
    assert 'therapist_name = "Ana Lee"' in text
    again = make_app(sctx.url, load_settings())
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_a_theme_that_does_not_exist_is_said_and_the_default_used(sctx, settings):
    from dataclasses import replace

    app = make_app(sctx.url, replace(settings, theme="solarized-neon"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications]  # what was shown
        assert any("solarized-neon" in m and "default" in m for m in said)
        assert app.theme == "textual-dark"


def _contrast(a, b) -> float:
    def lum(c) -> float:
        def ch(v: float) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b = c
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_to_confirm_rows_are_readable_with_and_without_the_cursor(sctx, settings, theme):
    cid, nid = _draft_with_suggestions(sctx)
    app = make_app(sctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await settle(pilot)
        app.open_note(nid, cid, 2)
        await steady(pilot)
        table = app.screen.query_one("#t-trigger_points", RowTable)
        assert table.cursor_row == 0  # on a row to confirm
        seen, names = {}, {}
        for y in (1, 2):  # the header is line 0; the cursor row, then a row without it
            for segment in table.render_line(y):
                style = segment.style
                if style is None or style.color is None or style.bgcolor is None:
                    continue
                ratio = _contrast(tuple(style.color.get_truecolor()),
                                  tuple(style.bgcolor.get_truecolor()))
                if "to confirm" in segment.text:
                    seen[y] = ratio
                if "Masseter" in segment.text or "Temporalis" in segment.text:
                    names[y] = ratio  # a suggested row's muscle, in the muted style
        # a suggested row's words are muted, never invisible (white on light grey was 1.2:1)
        assert set(names) == {1, 2} and all(r >= 3.0 for r in names.values()), names
        assert set(seen) == {1, 2}, "the 'to confirm' mark is on both rows"
        # on a plain row as readable as body text (WCAG AA 4.5:1); on the cursor bar as
        # readable as the bar's own text is in Textual's theme (its text on its accent is
        # 3.8:1 in textual-dark), never the 1.1:1 the light theme once gave
        assert seen[2] >= 4.5 and seen[1] >= 3.0, seen
        # the cursor bar shows on a row to confirm: its background differs from the next row's
        cursor_bg = [s.style.bgcolor for s in table.render_line(1) if s.style and s.text.strip()]
        other_bg = [s.style.bgcolor for s in table.render_line(2) if s.style and s.text.strip()]
        assert cursor_bg[0] != other_bg[0]
