"""Running the app in a real terminal."""

from __future__ import annotations


def run_app(url: str, settings, *, first_run: bool = False,
            notices: tuple[str, ...] = ()) -> int:
    """`notices`: lines the CLI would print (a database other users can read), shown by the
    app as notifications instead, where the terminal is the app's. `first_run`: no settings and
    no database yet, so the app asks for the practice's details."""
    from notes_tui.ui.app import make_app

    app = make_app(url, settings, first_run=first_run, notices=notices)
    result = app.run()
    return int(result or app.return_code or 0)
