"""A DataTable whose columns fit their cells from the first frame.

Textual's DataTable (8.2.8) measures the cells of new rows later, on idle, and that measurement
does not invalidate the rows it has already rendered and cached (Textualize/textual#4470): when a
frame is drawn between `add_row` and the idle measurement, the rows keep the old, narrower column
widths ("Jasm" for "Jasmine Virtanen") until something else redraws them. Whether that happens
depends on timing, so it showed as truncated names now and then, and as snapshot tests that failed
one run in ten. Measuring each auto-width column as the row is added leaves nothing for the idle
pass to widen, so every frame uses the final widths.

`clear()` also lets the auto-width columns shrink back to their labels: the stock table keeps the
widest cell it ever held, so a client's history kept the width of its "No notes yet" row and the
Status column fell off an 80-column screen.
"""

from __future__ import annotations

from textual.render import measure
from textual.widgets import DataTable


class Table(DataTable):
    def clear(self, columns: bool = False):
        super().clear(columns)
        console = self.app.console
        for column in self.columns.values():
            if column.auto_width:
                column.content_width = measure(console, column.label, 1)
        return self

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None):
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        console = self.app.console
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            if column.auto_width:
                renderable = str(cell) if isinstance(cell, int | float) else cell
                column.content_width = max(column.content_width, measure(console, renderable, 1))
        return row_key
