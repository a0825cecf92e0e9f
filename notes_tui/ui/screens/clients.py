"""Clients (home): a page of clients with last visit and open drafts."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

PAGE = 200


def safe(value: str | None) -> Text:
    """User text for display: control characters stripped, never parsed as markup."""
    from notes_tui.domain.text import display_text

    return Text(display_text(value or ""))


class ClientsScreen(Screen):
    CSS_PATH = "clients.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading clients…", id="status", markup=False)
        yield DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#clients", DataTable)
        table.add_columns("Name", "Last visit", "Drafts", "Notes")
        self.load_clients()

    @work(thread=True, exclusive=True)
    def load_clients(self) -> None:
        try:
            ctx = self.app.open_services()
            from notes_tui.services.clients import list_clients

            with ctx.read() as session:
                rows = list_clients(session=session, limit=PAGE)
        except Exception as exc:  # shown in one line; the app keeps running
            self.app.call_from_thread(self._show_error, exc)
            return
        self.app.call_from_thread(self._show, rows)

    def _show_error(self, exc: Exception) -> None:
        from notes_tui.errorlog import log_unexpected

        path = log_unexpected(exc)
        self.query_one("#status", Static).update(
            Text(f"Could not open the database ({type(exc).__name__}); details in {path}"))

    def _show(self, rows) -> None:
        table = self.query_one("#clients", DataTable)
        table.clear()
        tz = self.app.settings.tz
        for r in rows:
            last = r.last_visit.astimezone(tz).strftime("%Y-%m-%d") if r.last_visit else "-"
            table.add_row(safe(r.name), Text(last), Text(str(r.open_drafts or "")),
                          Text(str(r.notes)), key=str(r.id))
        status = self.query_one("#status", Static)
        if rows:
            status.update(Text(f"{len(rows)} clients"))
        else:
            status.update(Text("Welcome. No clients yet: run `notes-tui demo` to load sample "
                               "data, or add your first client (coming with the note flow)."))
