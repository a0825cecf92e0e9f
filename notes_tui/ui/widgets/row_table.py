"""A table of a note's rows (trigger points, cues, findings, home care) driven by single keys.

The table only shows rows and turns keys into `RowTable.Action` messages; the editor owns the
rows. Which keys apply depends on the kind of row (`check_action`), and the hint under each table
is generated from the live bindings, so a remapped key shows as remapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

ACTIONS = {
    "posture": {"add", "edit", "delete", "up", "down", "side"},
    "rom": {"add", "edit", "delete", "up", "down", "side", "painful"},
    "muscles": {"add", "edit", "delete", "up", "down", "side", "copy", "finding"},
    "trigger_points": {"add", "edit", "delete", "up", "down", "side", "copy", "response",
                       "pressure"},
    "cues": {"add", "edit", "delete", "up", "down", "link"},
    "home_care": {"add", "edit", "delete", "up", "down"},
}

HELP = {
    "posture": "Posture findings. a adds one from the catalog (type to filter) or as free text.",
    "rom": "Range of motion. a adds a test; Enter sets degrees; p marks it painful.",
    "muscles": "Muscles found off. a adds one; f cycles the finding (hypertonic, tender, ...).",
    "trigger_points": ("Treated trigger points. a adds one through the muscle picker ('trap' or "
                       "'utr' finds upper trapezius); l, r, b set the side; 0-10 the pressure "
                       "(1 then 0 makes 10); o cycles the response; c copies the row to the other "
                       "side; shift+up/down reorder; Enter edits; x deletes."),
    "cues": ("Movement cues. a adds one from the catalog or as free text; t links it to the next "
             "treated point; Enter edits the client's response."),
    "home_care": "Home care. a adds an item from the catalog; Enter edits the dosage.",
}


class RowTable(DataTable):
    BINDINGS = [
        Binding("a", "row('add')", "Add", id="rows.add"),
        Binding("enter", "row('edit')", "Edit", id="rows.edit"),
        Binding("x,delete", "row('delete')", "Delete", id="rows.delete"),
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
    ]

    @dataclass
    class Action(Message):
        table: RowTable
        kind: str
        action: str
        arg: str | None
        index: int

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.kind = kind
        self.HELP = HELP[kind]

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "row" and parameters:
            return parameters[0] in ACTIONS[self.kind]
        return True

    def action_row(self, action: str, arg: str | None = None) -> None:
        index = self.cursor_row if self.row_count else -1
        self.post_message(self.Action(self, self.kind, action, arg, index))

    def on_key(self, event) -> None:
        if "pressure" in ACTIONS[self.kind] and event.character and event.character.isdigit() \
                and event.character.isascii():
            event.stop()
            event.prevent_default()
            self.action_row("pressure", event.character)
