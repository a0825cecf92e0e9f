"""Help for where you are: the screen's and the focused widget's HELP, and the keys that apply
now, read from the live bindings (so a key remapped in the settings shows as remapped)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def help_text(screen: Screen) -> list:
    """Renderables: the help of the screen and of the focused widget and its containers, then
    every key that applies now with what it does."""
    app = screen.app
    parts: list = []
    seen: set[str] = set()
    chain = []
    node = screen.focused
    while node is not None and node is not screen:
        chain.append(node)
        node = node.parent
    for node in [screen, *reversed(chain)]:
        help_ = getattr(node, "HELP", None)
        if help_ and help_ not in seen:
            seen.add(help_)
            parts.append(Text(" ".join(help_.split()) + "\n"))
    # Ours first (every binding of the app has an id, which the keymap uses), then Textual's
    # own editing and moving keys: a therapist looks for "Finalize", not "Scroll Up".
    ours = _table("Keys")
    textual_keys = _table("Editing and moving")
    rows: dict[tuple, tuple[list[str], str, bool]] = {}  # one row a binding, all its keys
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        group = (binding.action, binding.description)
        keys, _, _ = rows.setdefault(group, ([], binding.description, bool(binding.id)))
        display = app.get_key_display(Binding(key, ""))
        if display not in keys:
            keys.append(display)
        if not active.enabled:
            rows[group] = (keys, binding.description + " (not now)", bool(binding.id))
    for keys, description, own in rows.values():
        # several keys: the first reaches the app in every common terminal; the others are
        # the same action where a terminal lets them through (F-keys, alt+, ctrl+pageup)
        (ours if own else textual_keys).add_row(Text(" / ".join(keys)), Text(description))
    parts.append(ours)
    if textual_keys.row_count:
        parts.append(Text(""))
        parts.append(textual_keys)
    return parts


def _table(first: str) -> Table:
    table = Table(show_header=True, box=None, padding=(0, 2), header_style="bold")
    table.add_column(first, min_width=14)
    table.add_column("Does")
    return table


class HelpScreen(ModalScreen[None]):
    HELP = "Esc, F1 or q closes this help."
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close help", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen #help-body { width: 90; max-width: 95%; height: auto; max-height: 90%;
        background: $panel; border: thick $primary; padding: 1 2; }
    """

    def __init__(self, renderables: list) -> None:
        super().__init__()
        self.renderables = renderables

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Help", style="bold"))
            for r in self.renderables:
                yield Static(r, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
