"""Every part of Textual's internals the app still uses, in one place, with the reason.

Textual changes fast and its private names can change in any release. The app takes from its
internals only what follows; everything else (keys, focus, workers, messages, reactives,
screens) goes through public API. tests/ui/test_textual_private.py checks that each name below
still exists in the installed Textual and that this list was reviewed for that version: after
an upgrade the test fails until someone has checked each use again and updated
`CHECKED_WITH`.
"""

from __future__ import annotations

CHECKED_WITH = "8.2.8"  # the Textual version these uses were last checked against

# (where Textual has it, the name, where notes-tui uses it, and why there is no public way)
USES: tuple[tuple[str, str, str, str], ...] = (
    ("textual.widgets._footer", "FooterKey", "ui/widgets/footer.py",
     "the footer's help key at the right edge is drawn with the footer's own key widget, so it "
     "looks and clicks like the others; Textual 8 exports no public name for it"),
    ("textual.app", "App._handle_exception", "ui/app.py (NotesApp._handle_exception)",
     "the fatal path must save the open draft and log the error without locals before Textual "
     "ends the app; Textual has no public hook that runs first"),
    ("textual.app", "App._fatal_error", "ui/app.py (NotesApp._fatal_error)",
     "Textual's own exit traceback prints local variables, that is note text; replaced by one "
     "line"),
    ("textual.app", "App._exit_renderables", "ui/app.py (NotesApp._fatal_error)",
     "where the replacement line goes, printed after the terminal is restored"),
    ("textual.app", "App._close_messages_no_wait", "ui/app.py (NotesApp._fatal_error)",
     "what Textual's own _fatal_error does to stop the app; must be kept when replacing it"),
)


def footer_key():
    """Textual's footer key widget (see USES)."""
    from textual.widgets._footer import FooterKey

    return FooterKey
