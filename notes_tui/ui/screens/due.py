"""Who is due back (from the clients list, ctrl+o): clients whose planned next visit has passed
with no session since, those due in the next 7 days, then the lapsed (overdue for more than 90
days). Enter opens the client; c writes the list as a calendar file (names and dates only)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from notes_tui.ui.background import in_thread
from notes_tui.ui.guard import guarded
from notes_tui.ui.keyhold import HoldsKeys
from notes_tui.ui.text import safe
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.table import Table

WINDOW = 7
STYLE = {"overdue": "bold", "due": "", "lapsed": "dim"}


class DueScreen(HoldsKeys, Screen):
    """Keys typed before the list is in (down, Enter) wait for it."""

    DEFAULT_CSS = """
    DueScreen #due-head { height: auto; padding: 0 1; }
    DueScreen #due { height: 1fr; }
    """
    HELP = ("Who is due back. Overdue: the next visit their last session planned has passed "
            "and there has been no session since. Due soon: planned within 7 days. Lapsed: "
            "overdue by more than 90 days. The plan is the last session's next visit (a date, "
            "or a number of days after it). Up/Down choose, Enter opens the client, c writes "
            "the list to a calendar file (.ics, names and dates only) in the exports folder.")
    BINDINGS = [
        Binding("escape", "back", "Back", id="due.back"),
        Binding("enter", "open", "Open client", id="due.open", priority=True),
        Binding("c", "calendar", "Calendar file", id="due.calendar", priority=True),
        Binding("down", "move(1)", "Next", id="due.next", priority=True, show=False),
        Binding("up", "move(-1)", "Previous", id="due.previous", priority=True, show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list = []
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="due-head", markup=False)
        yield Table(id="due", cursor_type="row", zebra_stripes=True)
        yield NotesFooter()

    def on_mount(self) -> None:
        self.sub_title = "Due back"
        self.query_one("#due", DataTable).add_columns(
            "When", "Client", "Planned", "Last visit", "As planned")
        self.query_one("#due").focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self._loaded:
            self.hold_again()
            self.reload()

    def reload(self) -> None:
        def job(services):
            today = services.due.today()
            return today, services.due.list(today=today, window=WINDOW)

        def failed(exc: BaseException) -> None:
            from notes_tui.ui.background import report

            report(self, exc)
            self.ready()

        in_thread(self, job, self._show, failed=failed, group="due", exclusive=True)

    def _show(self, result) -> None:
        self.call_after_refresh(self.ready)
        today, rows = result
        self._loaded = True
        was = self.current()
        self._rows = rows
        counts = {state: sum(d.state.value == state for d in rows)
                  for state in ("overdue", "due", "lapsed")}
        head = Text()
        head.append(f"Today {today:%A %d %B %Y}.  ", style="dim")
        head.append(f"{counts['overdue']} overdue", style="bold")
        head.append(f" · {counts['due']} due in the next {WINDOW} days"
                    f" · {counts['lapsed']} lapsed (more than 90 days)")
        if not rows:
            head.append("\nNo one is due: every client's next visit is more than a week away, "
                        "or their last session planned none.", style="dim")
        self.query_one("#due-head", Static).update(head)
        table = self.query_one("#due", DataTable)
        table.clear()
        for d in rows:
            style = STYLE[d.state.value]
            when = d.when(today)
            if d.state.value == "lapsed":
                when = when.replace("overdue by", "lapsed,")
            table.add_row(Text(when, style=style), safe(d.name),
                          Text(f"{d.planned:%Y-%m-%d}"), Text(f"{d.last_visit:%Y-%m-%d}"),
                          Text(d.said, style="dim"), key=str(d.client_id))
        at = next((i for i, d in enumerate(rows) if was is not None
                   and d.client_id == was.client_id), None)
        if at is not None:
            table.move_cursor(row=at, animate=False)
        self.refresh_bindings()

    def current(self):
        table = self.query_one("#due", DataTable)
        if not self._rows or not table.row_count:
            return None
        return self._rows[min(table.cursor_row, len(self._rows) - 1)]

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "open":
            return self.current() is not None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_move(self, step: int) -> None:
        table = self.query_one("#due", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)),
                              animate=False)

    @guarded
    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            from notes_tui.ui.screens.client import ClientScreen

            self.app.push_screen(ClientScreen(row.client_id))

    @guarded
    def action_calendar(self) -> None:
        def job(services):
            return services.due.write_calendar(window=WINDOW)

        def written(result) -> None:
            path, entries = result
            self.notify(f"Wrote {entries} calendar entr{'y' if entries == 1 else 'ies'} "
                        f"(names and dates only) to {path}", markup=False, timeout=8)

        def failed(exc: BaseException) -> None:
            from notes_tui.ui.background import report

            report(self, exc)

        in_thread(self, job, written, failed=failed, group="due-ics")
