"""Shown instead of the app while the terminal is smaller than its layout needs.

Below MIN_SIZE the step bar, tables and dialogs no longer fit (buttons fall off the bottom, a
step's name is cut), and a half-drawn screen that still takes keys is worse than a clear message.
The screen on top takes the keys (ctrl+q still quits); nothing underneath is lost: an open draft
was saved when this screen covered it, and the app returns to where it was once the window is
large enough again (NotesApp.on_resize).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_SIZE = (60, 20)  # columns, rows; 80x24 is the size the layout is designed for


def too_small(width: int, height: int) -> bool:
    return width < MIN_SIZE[0] or height < MIN_SIZE[1]


class TooSmallScreen(Screen[None]):
    HELP = "The window is too small for notes-tui. Make it larger; ctrl+q quits."
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: 100%; height: auto; padding: 0 1;
        content-align: center middle; text-align: center; color: $text-warning; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small", markup=False)

    def on_mount(self) -> None:
        self.show(*self.app.size)

    def on_screen_resume(self) -> None:
        """Uncovered again (a screen pushed above it was closed) in a window now large enough."""
        if not too_small(*self.app.size) and self.app.screen is self:
            self.app.pop_screen()

    def show(self, width: int, height: int) -> None:
        need_w, need_h = MIN_SIZE
        self.query_one("#too-small", Static).update(Text(
            f"This window is {width}×{height}; notes-tui needs at least {need_w}×{need_h}.\n"
            "Make the window larger (or the font smaller) to go on. Nothing is lost.\n"
            "ctrl+q quits."))
