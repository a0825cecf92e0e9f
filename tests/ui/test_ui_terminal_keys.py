"""Every action has a key that reaches the app in the common terminals' default settings, and
F1 help shows each action once with all its keys.

What the terminals take for themselves by default: F1 (help in GNOME Terminal and xfce4-
terminal), F10 (their menu), F11 (full screen), ctrl+pageup/pagedown (their tabs),
shift+pageup/pagedown (their scrollback), ctrl+shift+letters (their copy, paste, new tab...);
macOS Terminal's Option key is not Meta, so alt+letter types a character (π, ¥). tmux's
defaults pass all of these through but take ctrl+b (its prefix) only when nested, which we
do not rely on."""

import importlib
import inspect
import os
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import notes_tui.ui
from notes_tui.ui.app import NotesApp


def _clashes(key: str) -> bool:
    key = key.strip()
    return (key in {"f1", "f10", "f11", "ctrl+pageup", "ctrl+pagedown", "shift+pageup",
                    "shift+pagedown"}
            or key.startswith("alt+") or key.startswith("ctrl+shift+"))


def _our_bindings():
    seen = set()
    for info in pkgutil.walk_packages(notes_tui.ui.__path__, "notes_tui.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("notes_tui") \
                    and cls not in seen:
                seen.add(cls)
                for b in cls.__dict__.get("BINDINGS", []):
                    if isinstance(b, Binding):
                        yield cls.__name__, b
    yield from (("NotesApp", b) for b in NotesApp.BINDINGS)


def test_every_action_has_a_first_key_that_reaches_the_app_in_common_terminals():
    bindings = list(_our_bindings())
    assert len(bindings) > 40  # every screen's, the dialogs', the tables'
    portable: dict[tuple[str, str], bool] = {}
    for owner, b in bindings:
        action = (owner, b.action)
        portable[action] = portable.get(action, False) or not _clashes(b.key.split(",")[0])
    # F1 is also "?" outside text fields and "Help" in the command palette
    bad = [action for action, ok in portable.items() if not ok and action[1] != "help"]
    assert bad == []


def test_the_footer_shows_the_key_that_reaches_every_terminal():
    shown = [b for _, b in _our_bindings() if b.show]
    assert [b.key for b in shown if _clashes(b.key.split(",")[0])] == []


async def test_help_is_reachable_without_f1_and_lists_each_action_once_with_its_keys(
        sctx, settings):
    from tests.ui.helpers import client_with_draft, settle

    cid, nid = client_with_draft(sctx)
    app = make_app_for(sctx, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid, 2)  # on the trigger-point table: "?" is not typed anywhere
        await settle(pilot)
        from rich.console import Console

        from notes_tui.ui.help import HelpScreen, help_text

        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        for part in help_text(app.screen):
            console.print(part)
        text = console.export_text()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
    rows = [line for line in text.splitlines() if "Next step" in line]
    assert len(rows) == 1 and "^n" in rows[0] and "alt+" in rows[0], rows
    assert "Editing and moving" not in text or text.index("Next step") < text.index(
        "Editing and moving")


def make_app_for(ctx, settings):
    from notes_tui.ui.app import make_app

    return make_app(ctx.url, settings)
