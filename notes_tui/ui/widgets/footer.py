"""The footer every screen uses: Textual's Footer, with the help key always on screen.

Textual lists the screen's keys first and the app's after them, so on an 80-column terminal the
app's "f1 Help" was the first thing cut off, on every screen: a new user could not see where
help was. Here the help binding is left out of that list (`show=False`) and shown at the right
beside the command palette key, whatever the width. Both follow a remapped key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer

from notes_tui.ui.textual_private import footer_key

HELP_ID = "app.help"


class NotesFooter(Footer):
    DEFAULT_CSS = """
    NotesFooter HorizontalGroup.-right {
        dock: right;
        width: auto;
        height: 1;
    }
    NotesFooter HorizontalGroup.-right FooterKey {
        border-left: vkey $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)  # drawn below, beside the help key

    def compose(self) -> ComposeResult:
        yield from super().compose()
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        right = [a for a in active.values() if a.binding.id == HELP_ID]
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            right.append(active[self.app.COMMAND_PALETTE_BINDING])
        if not right:
            return
        with HorizontalGroup(classes="-right"):
            for _node, binding, enabled, tooltip in right:
                yield footer_key()(binding.key, self.app.get_key_display(binding),
                                binding.description, binding.action, disabled=not enabled,
                                tooltip=tooltip or binding.description
                                ).data_bind(compact=Footer.compact)
