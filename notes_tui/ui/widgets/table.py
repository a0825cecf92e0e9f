"""A DataTable whose columns fit their cells from the first frame, and fit the screen.

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

And the columns fit the table's width: the stock table is as wide as its widest cells, so one
long client name pushed Preferred, Last visit, Drafts and Notes off an 80-column screen for
every client, and a trigger point's "Refers to" showed five characters. When the columns do not
fit, the widest auto-width columns are narrowed together (never below their label or
MIN_WIDTH) until they do, and a cell that no longer fits ends in an ellipsis. Short columns keep
their width; only when even the narrowed columns cannot fit does the table scroll sideways.
"""

from __future__ import annotations

from rich.text import Text
from textual.render import measure
from textual.widgets import DataTable

MIN_WIDTH = 8  # a narrowed column keeps at least this many cells (or its whole content)


def fit_widths(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Widths for columns wanting `natural` cells in `room` cells: the widest are capped at one
    common width, none below its floor. Returns `natural` when it fits."""
    if sum(natural) <= room:
        return list(natural)
    floors = [min(n, f) for n, f in zip(natural, floors, strict=True)]
    if sum(floors) >= room:
        return floors

    def widths(cap: int) -> list[int]:
        return [min(n, max(cap, f)) for n, f in zip(natural, floors, strict=True)]

    low, high = 0, max(natural)  # the largest cap that fits
    while low < high:
        mid = (low + high + 1) // 2
        if sum(widths(mid)) <= room:
            low = mid
        else:
            high = mid - 1
    out = widths(low)
    spare = room - sum(out)  # less than one a capped column: to the first of them
    for i, n in enumerate(natural):
        if spare <= 0:
            break
        if out[i] < n:
            out[i] += 1
            spare -= 1
    return out


class Table(DataTable):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._flexible: set = set()  # keys of the columns added without a width

    def add_column(self, label, *, width: int | None = None, key: str | None = None,
                   default=None):
        column_key = super().add_column(label, width=width, key=key, default=default)
        if width is None:
            self._flexible.add(column_key)
        return column_key

    def clear(self, columns: bool = False):
        super().clear(columns)
        if columns:
            self._flexible.clear()
        console = self.app.console
        for key, column in self.columns.items():
            if key in self._flexible:
                column.content_width = measure(console, column.label, 1)
        self._fit()
        return self

    def add_row(self, *cells, height: int | None = 1, key: str | None = None, label=None):
        for cell in cells:
            if isinstance(cell, Text) and cell.overflow is None:
                cell.overflow = "ellipsis"  # a narrowed column ends a long cell with "…"
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        console = self.app.console
        for column, cell in zip(self.ordered_columns, cells, strict=False):
            if column.key in self._flexible:
                renderable = str(cell) if isinstance(cell, int | float) else cell
                column.content_width = max(column.content_width, measure(console, renderable, 1))
        self._fit()
        return row_key

    def on_resize(self, _event) -> None:
        self._fit()

    def _fit(self) -> None:
        """Narrow the widest flexible columns so that every column is on screen."""
        if not self.size.width or not self._flexible:
            return
        columns = [c for c in self.ordered_columns if c.key in self._flexible]
        padding = 2 * self.cell_padding
        fixed = sum(c.get_render_width(self) for c in self.ordered_columns
                    if c.key not in self._flexible)
        if self.show_row_labels and self._labelled_row_exists:
            fixed += self._label_column.get_render_width(self)
        # room for a vertical scrollbar, so that its arrival never adds a horizontal one
        room = (self.size.width - self.styles.scrollbar_size_vertical - fixed
                - padding * len(columns))
        natural = [c.content_width for c in columns]
        floors = [max(MIN_WIDTH, c.label.cell_len) for c in columns]
        changed = False
        for column, width in zip(columns, fit_widths(natural, floors, room), strict=True):
            auto = width >= column.content_width
            if column.auto_width != auto or (not auto and column.width != width):
                column.auto_width = auto
                column.width = column.label.cell_len if auto else width
                changed = True
        if changed:
            self._clear_caches()
            self._require_update_dimensions = True  # the scrollable width, on idle
            self.refresh()
