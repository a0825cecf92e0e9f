"""A table of a note's rows (trigger points, cues, findings, home care) driven by single keys.

The table only shows rows and turns keys into `RowTable.Action` messages; the editor owns the
rows. Which keys apply depends on the kind of row (`check_action`), and the hint under each table
is generated from the live bindings, so a remapped key shows as remapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from notes_tui.ui.widgets.table import Table

CONFIRM = {"confirm", "confirm_all"}
ACTIONS = {
    "posture": {"add", "edit", "delete", "undo", "up", "down", "side"},
    "rom": {"add", "edit", "delete", "undo", "up", "down", "side", "painful"},
    "muscles": {"add", "edit", "delete", "undo", "up", "down", "side", "copy", "finding"},
    "trigger_points": {"add", "edit", "delete", "undo", "up", "down", "side", "copy", "response",
                       "pressure", *CONFIRM},
    "work": {"add", "edit", "delete", "undo", "up", "down", "side", "copy", "modality",
             "pressure", *CONFIRM},
    "cues": {"add", "edit", "delete", "undo", "up", "down", "link", *CONFIRM},
    "home_care": {"add", "edit", "delete", "undo", "up", "down", "side", *CONFIRM},
}
CONFIRM_HELP = (" Rows a template suggested say 'to confirm': y confirms the selected one, Y all of "
                "them; editing a suggestion keeps it a suggestion.")

HELP = {
    "posture": "Posture findings. a adds one from the catalog (type to filter) or as free text.",
    "rom": ("Range of motion. a adds a test; Enter sets the value before and after treatment "
            "(degrees, or % of normal), with the test's norm shown; p marks it painful."),
    "muscles": "Muscles found off. a adds one; f cycles the finding (hypertonic, tender, ...).",
    "trigger_points": ("Treated trigger points. a adds one through the muscle picker ('trap' or "
                       "'utr' finds upper trapezius) on the side of the row above; l, r, b set "
                       "the side; 0-10 the pressure "
                       "(1 then 0 makes 10); o cycles the response; c copies the row to the other "
                       "side; shift+up/down reorder; Enter edits; x deletes (u brings it back)." + CONFIRM_HELP),
    "work": ("Work done by region. a adds a region (type to filter); m cycles the modality "
             "(Swedish, deep tissue, myofascial release, ...); 1 light, 2 moderate, 3 firm "
             "pressure; l, r, b set the side; c copies to the other side; Enter sets minutes, "
             "modality and your own words for the area; x deletes (u brings it back)." + CONFIRM_HELP),
    "cues": ("Movement cues. a adds one from the catalog or as free text; t links it to the next "
             "treated point; Enter edits the client's response." + CONFIRM_HELP),
    "home_care": ("Home care. a adds an item from the catalog, its usual dosage 'to confirm' (y "
                  "confirms it as prescribed); Enter edits the dosage; l, r, b set the side of a "
                  "one-sided stretch." + CONFIRM_HELP),
}


class RowTable(Table):
    # add and edit open a dialog: priority, so they run as the key reaches the app and the keys
    # typed right after them ("a" then "utr") go to the dialog, not to this table
    BINDINGS = [
        Binding("a", "row('add')", "Add", id="rows.add", priority=True),
        Binding("enter", "row('edit')", "Edit", id="rows.edit", priority=True),
        Binding("x,delete", "row('delete')", "Delete", id="rows.delete"),
        Binding("u,ctrl+z", "row('undo')", "Undo delete", id="rows.undo"),
        Binding("shift+up", "row('up')", "Move up", id="rows.up", show=False),
        Binding("shift+down", "row('down')", "Move down", id="rows.down", show=False),
        Binding("l", "row('side', 'left')", "Left", id="rows.left", show=False),
        Binding("r", "row('side', 'right')", "Right", id="rows.right", show=False),
        Binding("b", "row('side', 'bilateral')", "Both sides", id="rows.both", show=False),
        Binding("c", "row('copy')", "Copy to other side", id="rows.copy", show=False),
        Binding("o", "row('response')", "Response", id="rows.response", show=False),
        Binding("p", "row('painful')", "Painful", id="rows.painful", show=False),
        Binding("f", "row('finding')", "Finding", id="rows.finding", show=False),
        Binding("t", "row('link')", "Link to point", id="rows.link", show=False),
        Binding("m", "row('modality')", "Modality", id="rows.modality", show=False),
        Binding("y", "row('confirm')", "Confirm", id="rows.confirm"),
        Binding("Y,shift+y", "row('confirm_all')", "Confirm all", id="rows.confirm_all"),
    ]
    COMPONENT_CLASSES = {"rowtable--to-confirm", "rowtable--suggested"}
    DEFAULT_CSS = """
    RowTable > .rowtable--to-confirm { color: $text-warning; text-style: bold; }
    /* a light theme's warning colours are pale on its grey rows (2.7:1 at best): its error
       text (6.8:1) marks what is still to confirm there */
    RowTable:light > .rowtable--to-confirm { color: $text-error; }
    RowTable > .rowtable--suggested { color: $text-muted; text-style: italic; }
    """

    @dataclass
    class Action(Message):
        table: RowTable
        kind: str
        action: str
        arg: str | None
        index: int
        held: bool = False  # the app holds keys until the handler has opened its dialog

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        # cursor_foreground_priority "css": on the cursor row the cursor's own text colour wins
        # over a cell's ("to confirm" in the warning colour on the cursor bar was 3.8:1)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True,
                         cursor_foreground_priority="css")
        self.kind = kind
        self.HELP = HELP[kind]
        self.unconfirmed = 0  # rows still "to confirm" (set by the editor)
        self.undoable = 0  # deleted rows u can bring back (set by the editor)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "row" and parameters:
            if parameters[0] in CONFIRM and not self.unconfirmed:
                return False
            if parameters[0] == "undo" and not self.undoable:
                return False
            return parameters[0] in ACTIONS[self.kind]
        return True

    def action_row(self, action: str, arg: str | None = None) -> None:
        index = self.cursor_row if self.row_count else -1
        held = action in ("add", "edit") and getattr(self.app, "keys", None) is not None
        if held:
            self.app.keys.hold()  # a dialog opens: the keys typed right after "a" go to it
        self.post_message(self.Action(self, self.kind, action, arg, index, held))

    def on_key(self, event) -> None:
        if "pressure" in ACTIONS[self.kind] and event.character and event.character.isdigit() \
                and event.character.isascii():
            event.stop()
            event.prevent_default()
            self.action_row("pressure", event.character)
