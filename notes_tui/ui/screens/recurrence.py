"""Recurring trigger points (from a client's screen, r): every muscle and side treated across
the client's finalized sessions, one column per session (newest first), each cell what that
session recorded (A active or L latent, the pressure tolerated, the response); the points active
in 3 or more of the last 5 sessions are flagged and listed first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from notes_tui.ui.background import in_thread
from notes_tui.ui.keyhold import HoldsKeys
from notes_tui.ui.text import plain
from notes_tui.ui.widgets.footer import NotesFooter

SESSIONS = 30  # columns on screen; the clinical record lists every session


class RecurrenceScreen(HoldsKeys, Screen):
    DEFAULT_CSS = """
    RecurrenceScreen #recurrence-head { height: auto; padding: 0 1; }
    RecurrenceScreen #recurrence { height: 1fr; }
    """
    HELP = ("Which trigger points keep coming back: one row per muscle and side, one column per "
            "finalized session (newest first). A active, L latent; the number is the pressure "
            "tolerated (0-10); ✓ released, ↓ reduced, R referral reproduced, = unchanged; · not "
            "treated that session. '!' marks a point active in 3 or more of the last 5 "
            "sessions. Arrows move around the grid; the clinical record lists every session.")
    BINDINGS = [Binding("escape", "back", "Back", id="recurrence.back")]

    def __init__(self, client_id: int, name: str = "") -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = name
        self.grid = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="recurrence-head", markup=False)
        # a plain DataTable: the grid scrolls sideways through the sessions, it is not fitted
        # (the point and its count stay in view: fixed columns)
        yield DataTable(id="recurrence", cursor_type="cell", zebra_stripes=True,
                        header_height=2, fixed_columns=2)
        yield NotesFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Recurring trigger points: {plain(self.client_name)}"
        self.query_one("#recurrence").focus()
        client_id = self.client_id

        def job(services):
            return services.clients.recurrence(client_id, sessions=SESSIONS)

        def failed(exc: BaseException) -> None:
            from notes_tui.ui.background import report

            report(self, exc)
            self.ready()

        in_thread(self, job, self._show, failed=failed, group="recurrence", exclusive=True)

    def _show(self, grid) -> None:
        from notes_tui.domain.recurrence import LEGEND

        self.call_after_refresh(self.ready)
        self.grid = grid
        head = Text()
        if not grid.sessions:
            head.append("No finalized session yet: the grid fills as notes are finalized.",
                        style="dim")
        elif not grid.rows:
            head.append(f"No trigger point recorded in {len(grid.sessions)} finalized "
                        "session(s).", style="dim")
        else:
            flagged = grid.flagged
            head.append(f"{len(flagged)} recurring" if flagged else "None recurring",
                        style="bold")
            head.append(f" (active in {grid.threshold}+ of the last {grid.recent} sessions)"
                        f" · {len(grid.rows)} muscle-and-side rows · "
                        f"{len(grid.sessions)} finalized sessions\n")
            head.append(LEGEND, style="dim")
        self.query_one("#recurrence-head", Static).update(head)
        table = self.query_one("#recurrence", DataTable)
        table.clear(columns=True)
        if not grid.rows:
            table.display = False
            return
        table.add_column(Text("Muscle, side\n"), key="point")
        table.add_column(Text(f"Active\nlast {grid.recent}"), key="active")
        for i, s in enumerate(grid.sessions):
            table.add_column(Text(f"{s.day:%Y}\n{s.day:%m-%d}"), key=f"s{i}")
        for row in grid.rows:
            style = "bold" if row.flagged else ""
            table.add_row(
                Text(plain(row.name), style=style),
                Text(f"{row.active_recent}/{row.recent}" + (" !" if row.flagged else ""),
                     style=style),
                *(Text("·", style="dim") if c is None else Text(c.short) for c in row.cells),
                key=f"{row.key}|{row.side.value}")

    def action_back(self) -> None:
        self.dismiss()
