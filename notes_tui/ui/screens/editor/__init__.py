"""The note editor (a package: one module per concern).

* `screen`      NoteEditor: wiring, loading, saving, steps, leaving
* `layout`      the five steps as widgets, and where each field is
* `form`        the fields <-> the note's content, validation messages, follow-up suggestions
* `row_editing` the tables of rows: keys, pickers, forms, confirming suggestions
* `rows`        the rows as data: cells, catalog picks, single-key changes, forms
* `finalize`    step 5: the checklist, the client's view, finalizing
* `review`      the note as the client will read it; the previous session panel
"""

from notes_tui.ui.screens.editor.layout import STEPS
from notes_tui.ui.screens.editor.screen import NoteEditor

__all__ = ["NoteEditor", "STEPS"]
