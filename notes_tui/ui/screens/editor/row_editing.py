"""The note's rows in the editor's tables: showing them, the single keys that change them, the
pickers and forms that add and edit them, and confirming template suggestions.

A suggested row (confirmed=False) shows "to confirm" in a leading column and in muted italics.
`y` confirms the selected row, `Y` every row of the table. Editing a suggestion (a form, a side, a
pressure, a copy) keeps it a suggestion: only an explicit confirm turns it into a row of this
session, so nothing a template put there is recorded as done by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Label, Static

from notes_tui.ui.screens.editor import rows as rowlib
from notes_tui.ui.screens.editor.layout import ROW_TITLES, ROWS
from notes_tui.ui.text import plain
from notes_tui.ui.widgets.row_table import RowTable


class EditorRows:
    def __init__(self, screen, changed: Callable[[], None]) -> None:
        self.screen = screen
        self.changed = changed  # called after every change to the rows
        self.rows: dict[str, list] = {kind: [] for kind in ROWS}
        self.catalog = None
        self.prompts: dict[str, str] = {}  # a template's questions for the empty tables
        # per table, the rows x deleted (index, row, the cues that were linked to it), newest
        # last: u puts them back
        self.deleted: dict[str, list[tuple[int, object, list[int]]]] = {k: [] for k in ROWS}

    def table(self, kind: str) -> RowTable:
        return self.screen.query_one(f"#t-{kind}", RowTable)

    def load(self, content, catalog) -> None:
        self.catalog = catalog
        for kind in ROWS:
            self.rows[kind] = list(getattr(content, kind))
            self.refresh(kind)

    # --- display -----------------------------------------------------------------------------

    def refresh(self, kind: str, cursor: int | None = None) -> None:
        """Rebuild the table (columns too: they fit the rows now shown, and the marker column is
        there only while some row is to confirm)."""
        table = self.table(kind)
        rows = self.rows[kind]
        pending = rowlib.unconfirmed(kind, rows)
        table.unconfirmed = len(pending)
        table.undoable = len(self.deleted[kind])
        marker = _text_style(table, "rowtable--to-confirm")
        muted = _text_style(table, "rowtable--suggested")
        keep = table.cursor_row if cursor is None else cursor
        table.clear(columns=True)
        table.add_columns(*rowlib.columns(kind, bool(pending)))
        for i, row in enumerate(rows):
            table.add_row(*rowlib.cells(kind, row, i, self.catalog, marker_column=bool(pending),
                                        marker_style=marker, suggested_style=muted), key=str(i))
        if table.row_count:
            table.move_cursor(row=max(0, min(keep, table.row_count - 1)))
        title = Text(ROW_TITLES[kind])
        if pending:
            title.append(f" · {len(pending)} to confirm")
        label = self.screen.query_one(f"#l-{kind}", Label)
        label.update(title)
        label.set_class(bool(pending), "-to-confirm")
        hint = Text()
        if not rows and self.prompts.get(kind):  # the template's question, until a row is in
            hint.append(plain(self.prompts[kind]) + "\n", style="italic")
        hint.append(self.hint(table))
        hint.stylize("dim")
        self.screen.query_one(f"#h-{kind}", Static).update(hint)

    def refresh_all(self) -> None:
        for kind in ROWS:
            self.refresh(kind)

    def hint(self, table: RowTable) -> str:
        """The keys that apply to this table, from its bindings' first keys."""
        keys: dict[str, str] = {}
        for binding in RowTable.BINDINGS:
            name = binding.action[4:-1].split(",")[0].strip("'\" ")
            if binding.action.startswith("row(") and table.check_action("row", (name,)):
                first = Binding(binding.key.split(",")[0], binding.action)
                keys[binding.description.lower()] = self.screen.app.get_key_display(first)
        parts = []
        for desc, key in keys.items():
            if desc in ("left", "right", "both sides"):
                if desc == "left":
                    parts.append(f"{key}/{keys['right']}/{keys['both sides']} side")
            elif desc == "move down":
                continue
            elif desc == "move up":
                parts.append(f"{key}/{keys['move down'].split('+')[-1]} move")
            else:
                parts.append(f"{key} {desc}")
        if table.kind == "trigger_points":
            parts.append("0-10 pressure")
        elif table.kind == "work":
            parts.append("1/2/3 light/moderate/firm")
        return " · ".join(parts)

    def first_unconfirmed(self, kind: str) -> int | None:
        pending = rowlib.unconfirmed(kind, self.rows[kind])
        return pending[0] if pending else None

    # --- single keys -------------------------------------------------------------------------

    def act(self, kind: str, act: str, i: int, arg: str | None) -> None:
        """A key in a table (RowTable.Action). "add" and "edit" open a dialog (the screen's)."""
        rows = self.rows[kind]
        if act == "confirm_all":
            if not rowlib.unconfirmed(kind, rows):
                return
            self.rows[kind] = [rowlib.confirmed(r) for r in rows]
            self._changed(kind, i)
            return
        if act == "undo":
            self._undo(kind)
            return
        if not 0 <= i < len(rows):
            return
        row = rows[i]
        if act == "delete":
            del rows[i]
            linked = []
            if kind == "trigger_points":
                linked = [n for n, c in enumerate(self.rows["cues"]) if c.trigger_point == i + 1]
                self.relink(lambda p: None if p == i + 1 else p - 1 if p > i + 1 else p)
            self.deleted[kind].append((i, row, linked))
            name = plain(rowlib.name_of(kind, row, self.catalog)) or "the row"
            self.screen.notify(f"Deleted {name}: u brings it back", markup=False, timeout=4)
        elif act in ("up", "down"):
            j = i - 1 if act == "up" else i + 1
            if not 0 <= j < len(rows):
                return
            rows[i], rows[j] = rows[j], rows[i]
            if kind == "trigger_points":
                a, b = i + 1, j + 1
                self.relink(lambda p: b if p == a else a if p == b else p)
            i = j
        elif act == "side":
            rows[i] = rowlib.with_side(row, arg)
        elif act == "copy":
            rows.insert(i + 1, rowlib.other_side(row))
            if kind == "trigger_points":
                self.relink(lambda p: p + 1 if p >= i + 2 else p)
            i += 1
        elif act == "pressure":
            rows[i] = rowlib.with_pressure(row, arg)
        elif act == "response":
            rows[i] = rowlib.next_response(row)
        elif act == "finding":
            rows[i] = rowlib.next_finding(row)
        elif act == "modality":
            rows[i] = rowlib.next_modality(row)
        elif act == "painful":
            rows[i] = rowlib.toggle_painful(row)
        elif act == "link":
            rows[i] = rowlib.next_link(row, len(self.rows["trigger_points"]))
        elif act == "confirm":
            if row.confirmed:
                return
            rows[i] = rowlib.confirmed(row)
        else:
            return
        self._changed(kind, i)

    def _undo(self, kind: str) -> None:
        if not self.deleted[kind]:
            return
        i, row, linked = self.deleted[kind].pop()
        rows = self.rows[kind]
        i = min(i, len(rows))
        rows.insert(i, row)
        if kind == "trigger_points":
            self.relink(lambda p: p + 1 if p >= i + 1 else p)
            cues = self.rows["cues"]
            for n in linked:  # the cues that pointed at it, if nothing re-linked them since
                if n < len(cues) and cues[n].trigger_point is None:
                    cues[n] = cues[n].model_copy(update={"trigger_point": i + 1})
            self.refresh("cues")
        self._changed(kind, i)

    def _changed(self, kind: str, cursor: int) -> None:
        self.refresh(kind, cursor=cursor)
        self.changed()

    def relink(self, mapping) -> None:
        """Trigger points moved: cues keep pointing at the same point."""
        cues = self.rows["cues"]
        for n, cue in enumerate(cues):
            if cue.trigger_point is not None:
                cues[n] = cue.model_copy(update={"trigger_point": mapping(cue.trigger_point)})
        self.refresh("cues")

    # --- dialogs -----------------------------------------------------------------------------

    def pick(self, kind: str) -> None:
        from notes_tui.ui.dialogs import PickerDialog

        catalog = self.catalog
        title = {"trigger_points": "Muscle of the treated point", "muscles": "Muscle",
                 "posture": "Posture finding", "rom": "Range-of-motion test",
                 "cues": "Movement cue", "home_care": "Home-care item",
                 "work": "Region worked on"}[kind]

        def picked(choice) -> None:
            if not choice:
                return
            row = rowlib.new_row(kind, choice, catalog)
            rows = self.rows[kind]
            if rows and kind in ("trigger_points", "muscles"):
                # points are usually worked one side at a time: the side of the row above
                row = rowlib.with_side(row, rows[-1].side.value)
            elif rows and kind == "work":  # the region after usually gets the same work
                above = rows[-1]
                row = row.model_copy(update={"modality": above.modality,
                                             "pressure": above.pressure, "side": above.side})
            rows.append(row)
            self._changed(kind, len(self.rows[kind]) - 1)
            self.table(kind).focus()

        self.screen.app.push_screen(
            PickerDialog(title, lambda q: rowlib.picker_items(kind, catalog, q)), picked)

    def edit(self, kind: str, i: int) -> None:
        from notes_tui.ui.dialogs import FormDialog

        if not 0 <= i < len(self.rows[kind]):
            return
        row = self.rows[kind][i]
        name = rowlib.name_of(kind, row, self.catalog)

        def edited(data: dict | None) -> None:
            if data is None or i >= len(self.rows[kind]) or self.rows[kind][i] is not row:
                return
            self.rows[kind][i] = rowlib.row_from_form(kind, row, data)
            self._changed(kind, i)

        self.screen.app.push_screen(
            FormDialog(plain(name), rowlib.form_fields(kind, row, self.catalog),
                       check=lambda d: rowlib.row_from_form(kind, row, d)), edited)


def _text_style(table, component: str):
    """A component's text colour and weight, without its background: the row's background (and
    the cursor bar over it) shows through. The colour is the resolved one (a muted colour is
    the theme's text blended with the table's background), not the raw CSS value."""
    from rich.style import Style

    full = table.get_component_rich_style(component)
    return Style(color=full.color, bold=full.bold, italic=full.italic)
