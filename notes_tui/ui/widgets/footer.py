"""The footer every screen uses: Textual's Footer, with the help key always on screen and every
label shown whole.

Textual lists the screen's keys first and the app's after them, so on an 80-column terminal the
app's "f1 Help" was the first thing cut off, on every screen: a new user could not see where
help was. Here the help binding is left out of that list (`show=False`) and shown at the right
beside the command palette key, whatever the width. Both follow a remapped key.

Stock Textual also cuts the last key that does not fit in the middle of its label ("^q▏",
"t From templa▏"). Here the keys are laid out in order of importance: the way back (the key
bound to escape) first, or quit where there is none, then the screen's own keys, the focused
widget's (a table's row keys, also named in its hint line) and the app's, each in the order of
their BINDINGS; a key that does not fit whole is left out with every key after it (the F1 help
lists them all). So each screen decides what matters by the order of its BINDINGS and the
length of its descriptions."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.widgets import Footer

from notes_tui.ui.textual_private import footer_key

HELP_ID = "app.help"
QUIT_ID = "app.quit"


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells a FooterKey takes, padding and margin included (Textual's FooterKey CSS)."""
    if compact:
        return cell_len(key_display) + (1 + cell_len(description) if description else 0) + 1
    return cell_len(key_display) + 2 + (cell_len(description) + 1 if description else 0)


def _rank(entry, screen, has_back: bool) -> tuple[int, int]:
    """The way back first, then quit (where there is no way back: on the first screen), the
    screen's own keys, the focused widget's and the app's; within each, their BINDINGS order."""
    binding, node = entry.binding, entry.node
    if "escape" in binding.key.split(","):
        rank = 0
    elif binding.id == QUIT_ID:
        rank = 4 if has_back else 1
    elif node is screen:
        rank = 2
    else:
        rank = 4 if node is screen.app else 3
    return rank, _position(node, binding)


def _position(node, binding) -> int:
    """Where the binding stands in its node's BINDINGS, the class's own first and then those it
    inherits (the order a screen gives its keys; the active bindings come keyed by key, in the
    order the keys were first bound along the focus chain, so a text field's ctrl+e put
    "^e Edit" before "^n Add client")."""
    offset = 0
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS", ())
        for index, candidate in enumerate(declared):
            if isinstance(candidate, Binding) and (candidate.id or candidate.action) == (
                    binding.id or binding.action):
                return offset + index
        offset += len(declared)
    return offset


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
        self._laid_out_for = 0

    def shown_keys(self, width: int) -> tuple[list, list]:
        """(left, right): the active bindings drawn at the left, in order, and at the right."""
        active = self.screen.active_bindings
        right = [a for a in active.values() if a.binding.id == HELP_ID]
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            right.append(active[self.app.COMMAND_PALETTE_BINDING])
        seen: set[str] = set()
        candidates = []
        for entry in active.values():
            binding = entry.binding
            if not binding.show or binding.id == HELP_ID or {binding.action,
                                                              binding.description} & seen:
                continue
            seen |= {binding.action, binding.description}  # one key an action
            candidates.append(entry)
        has_back = any("escape" in e.binding.key.split(",") for e in candidates)
        candidates.sort(key=lambda entry: _rank(entry, self.screen, has_back))
        if width <= 0:  # not laid out yet: everything, the next resize fits it
            return candidates, right
        compact = self.compact
        room = width - sum(1 + self._width(e, compact) for e in right)
        left = []
        for entry in candidates:
            room -= self._width(entry, compact)
            if room < 0:
                break
            left.append(entry)
        return left, right

    def _width(self, entry, compact: bool) -> int:
        return key_width(self.app.get_key_display(entry.binding), entry.binding.description,
                         compact)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        left, right = self.shown_keys(width)
        key = footer_key()
        for _node, binding, enabled, tooltip in left:
            yield key(binding.key, self.app.get_key_display(binding), binding.description,
                      binding.action, disabled=not enabled, tooltip=tooltip
                      ).data_bind(compact=Footer.compact)
        if not right:
            return
        with HorizontalGroup(classes="-right"):
            for _node, binding, enabled, tooltip in right:
                yield key(binding.key, self.app.get_key_display(binding), binding.description,
                          binding.action, disabled=not enabled,
                          tooltip=tooltip or binding.description
                          ).data_bind(compact=Footer.compact)

    def on_resize(self, event) -> None:
        if event.size.width != self._laid_out_for and self._bindings_ready:
            self.call_after_refresh(self.recompose)
