"""Textual's screenshot (the command palette's "Screenshot", `action_screenshot`): the screen
shows client names and notes, so the SVG is written privately, never to ~/Downloads or the
working folder as Textual would: `<state dir>/screenshots/` (made 0700), the file 0600 and
atomic (services/files.py), its path shown in a notification."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def screenshots_dir() -> Path:
    from notes_tui.paths import state_dir

    return state_dir() / "screenshots"


def save_private(svg: str, filename: str | None = None) -> Path:
    """Write `svg` as a 0600 file in the screenshots folder; returns its path. Only the
    file name of `filename` is used: a screenshot never lands outside that folder."""
    from notes_tui.paths import ensure_private_dir
    from notes_tui.services.files import write_private_text

    name = Path(filename).name if filename else f"screenshot-{datetime.now():%Y%m%dT%H%M%S%f}.svg"
    folder = ensure_private_dir(screenshots_dir())
    return write_private_text(folder / name, lambda out: out.write(svg))
