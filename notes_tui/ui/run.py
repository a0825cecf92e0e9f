"""Running the app in a real terminal."""

from __future__ import annotations


def run_app(url: str, settings, *, first_run: bool = False) -> int:
    from notes_tui.ui.app import make_app

    app = make_app(url, settings, first_run=first_run)
    result = app.run()
    return int(result or app.return_code or 0)
