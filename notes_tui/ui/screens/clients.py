"""Clients (home): search as you type (fuzzy on name and preferred name), last visit, open
drafts; add, edit and archive; archived clients shown on request (ctrl+t) and restored (ctrl+r);
a welcome on an empty database.

Only bounded pages are ever held: the service ranks every client's name with the domain's rule
(accents and case ignored, "jdoe" still finds Jane Doe) and returns one page.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Header, Input, Static

from notes_tui.ui.background import in_thread
from notes_tui.ui.guard import guarded
from notes_tui.ui.text import safe
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.inputs import LineInput
from notes_tui.ui.widgets.table import Table

PAGE = 50
MAX_ROWS = 2000
DEBOUNCE = 0.1


def fetch_clients(services, query: str, after: tuple[str, int] | None = None, *,
                  include_archived: bool = False) -> list:
    """A page of clients for `query`, best match first, found among every client with accents
    and case ignored ("garcia" finds García, "jdoe" Jane Doe). Runs in a worker thread."""
    q = " ".join(query.split())
    if not q:
        return services.clients.list(limit=PAGE, after=after, include_archived=include_archived)
    return services.clients.find(q, limit=PAGE, include_archived=include_archived)


class ClientsScreen(Screen):
    CSS_PATH = "clients.tcss"
    HELP = ("Your clients. Type to search by name or preferred name (fuzzy: 'jdoe' finds Jane "
            "Doe). Up/Down choose, Enter opens the client. ctrl+n adds a client, ctrl+e edits "
            "the chosen one, ctrl+r archives it (its notes are kept). ctrl+t shows archived "
            "clients too; ctrl+r on an archived one restores it. ctrl+o shows who is due back "
            "(overdue, or due in the next 7 days).")
    # In the footer's order (ui/widgets/footer.py): at 80 columns the keys up to "^o Due
    # back" show whole beside ^q Quit; editing (also e on the client's screen) and archiving
    # are in F1 help and the screen's HELP.
    BINDINGS = [
        Binding("ctrl+n", "add", "Add client", id="clients.add", priority=True),
        # "/" searches notes even while the client filter has focus (names rarely hold a "/")
        Binding("slash", "app.search", "Search notes", id="clients.search_notes", priority=True),
        Binding("ctrl+o", "due", "Due back", id="clients.due", priority=True),
        Binding("ctrl+e", "edit", "Edit", id="clients.edit", priority=True),
        Binding("ctrl+r", "archive", "Archive", id="clients.archive", priority=True),
        Binding("ctrl+r", "restore", "Restore", id="clients.restore", priority=True),
        Binding("ctrl+t", "show_archived(True)", "Show archived", id="clients.show_archived",
                priority=True),
        Binding("ctrl+t", "show_archived(False)", "Hide archived", id="clients.hide_archived",
                priority=True),
        Binding("ctrl+d", "demo", "Load sample data", id="clients.demo", priority=True),
        Binding("down", "move(1)", "Next client", id="clients.next", show=False),
        Binding("up", "move(-1)", "Previous client", id="clients.previous", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list = []
        self._generation = 0
        self._timer: Timer | None = None
        self._query = ""
        self._empty_db = False
        self._loaded_once = False
        self._more = False
        self._shown_query = ""
        self._open_when_shown = False
        self._archived = False  # archived clients shown too
        self._select_id: int | None = None  # a client just added: the cursor goes there

    def compose(self) -> ComposeResult:
        yield Header()
        yield LineInput(id="search", placeholder="Search clients (name or preferred name)",
                    max_length=200)
        yield Static("Loading clients…", id="status", markup=False)
        with Vertical(id="welcome"):
            yield Static(
                "Welcome to notes-tui. Add your first client to start writing session notes, "
                "or load sample data to look around (12 clients, 60 notes).",
                id="welcome-text", markup=False)
            with Horizontal(id="welcome-buttons"):
                yield Button("Add your first client (ctrl+n)", id="welcome-add",
                             variant="primary")
                yield Button("Load sample data (ctrl+d)", id="welcome-demo")
        yield Table(id="clients", cursor_type="row", zebra_stripes=True)
        yield NotesFooter()

    def on_mount(self) -> None:
        table = self.query_one("#clients", DataTable)
        table.add_columns("Name", "Preferred", "Last visit", "Drafts", "Notes")
        self.query_one("#welcome").display = False
        self.query_one("#search", Input).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self._loaded_once:
            self.reload()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation, query, archived = self._generation, self._query, self._archived
        def job(services):
            rows = fetch_clients(services, query, include_archived=archived)
            if rows or query.strip() or archived:
                return rows, False
            # only archived clients: not an empty database
            return rows, bool(services.clients.list(limit=1, include_archived=True))

        in_thread(self, job,
                  lambda found: self._show(generation, found[0], append=False, query=query,
                                           only_archived=found[1]),
                  failed=self._show_error, group="clients", exclusive=True)

    def _load_more(self) -> None:
        if not self._more or self._query or len(self._rows) >= MAX_ROWS:
            return
        self._more = False
        last = self._rows[-1]
        generation, archived = self._generation, self._archived
        in_thread(self, lambda services: fetch_clients(services, "", after=(last.name, last.id),
                                                       include_archived=archived),
                  lambda rows: self._show(generation, rows, append=True),
                  failed=self._show_error, group="clients")

    def _show_error(self, exc: BaseException) -> None:
        from notes_tui.errorlog import log_unexpected

        self._stop_waiting_to_open(open_first=False)
        from notes_tui.services.errors import PassphraseNeeded, WrongPassphrase, open_failure

        if isinstance(exc, (PassphraseNeeded, WrongPassphrase)):
            self._ask_passphrase("" if isinstance(exc, PassphraseNeeded) else
                                 "That passphrase does not open it: try again (capitals count)")
            return

        if (reason := open_failure(exc)) is not None:  # a plain fact, in its own words
            self.query_one("#status", Static).update(Text(reason))
            return
        path = log_unexpected(exc)
        self.query_one("#status", Static).update(
            Text(f"Could not open the database ({type(exc).__name__}); details in {path}"))

    def _ask_passphrase(self, problem: str) -> None:
        """An encrypted database: its passphrase, without echo; Esc quits."""
        from notes_tui.paths import shown_url
        from notes_tui.ui.screens.passphrase import PassphraseDialog

        self.query_one("#status", Static).update(Text("The database is encrypted"))

        def given(passphrase: str | None) -> None:
            if passphrase is None:
                self.app.exit()
                return
            self.app.passphrase = passphrase
            self.query_one("#status", Static).update(Text("Opening the database..."))
            self.reload()

        url = self.app.url
        where = url.split(":///", 1)[1] if url.startswith("sqlite:///") else shown_url(url)
        self.app.push_screen(PassphraseDialog(where, problem), given)

    def _show(self, generation: int, rows: list, *, append: bool, query: str = "",
              only_archived: bool = False) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        if not append:
            self._shown_query = query
        table = self.query_one("#clients", DataTable)
        if not append:
            table.clear()
            self._rows = []
        self._rows.extend(rows)
        self._more = len(rows) == PAGE and not self._query
        tz = self.app.settings.tz
        for r in rows:
            last = r.last_visit.astimezone(tz).strftime("%Y-%m-%d") if r.last_visit else "-"
            name = safe(r.name)
            if r.archived:
                name.append("  archived", style="italic dim")
            table.add_row(name, safe(r.preferred_name), Text(last),
                          Text(str(r.open_drafts or "")), Text(str(r.notes)), key=str(r.id))
        # The welcome (and "load sample data") only on a database with no client at all
        self._empty_db = (not self._rows and not self._query and not self._archived
                          and not only_archived and not append)
        self.query_one("#welcome").display = self._empty_db
        table.display = not self._empty_db
        status = self.query_one("#status", Static)
        if self._empty_db:
            status.update(Text("No clients yet."))
        elif only_archived:
            status.update(Text("Every client is archived: ctrl+t shows them, ctrl+n adds one."))
        elif not self._rows:
            status.update(Text("No client matches. ctrl+n adds one."))
        else:
            more = "+" if self._more else ""
            which = " (archived too)" if self._archived else ""
            noun = "client" if len(self._rows) == 1 and not more else "clients"
            status.update(Text(f"{len(self._rows)}{more} {noun}{which} · Enter opens · "
                               "ctrl+n adds"))
        if self._select_id is not None and not append:
            at = next((i for i, r in enumerate(self._rows) if r.id == self._select_id), None)
            self._select_id = None
            if at is not None:
                table.move_cursor(row=at, animate=False)
        self.refresh_bindings()
        if self._open_when_shown and self._shown_query == self._query:
            self._stop_waiting_to_open(open_first=True)
        if not self._loaded_once:
            self._loaded_once = True
            offer = getattr(self.app, "offer_resume", None)
            if offer is not None:
                offer()

    # --- typing and moving -----------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._query = event.value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.reload)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._shown_query == self._query:
            self.action_open()
            return
        # Enter typed before the results of what was typed: search now, open the first client
        # found, and keep the keys typed after Enter for that client's page (ui/keyhold.py)
        if not self._open_when_shown:
            self._open_when_shown = True
            self.app.keys.hold()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.reload()

    def _stop_waiting_to_open(self, *, open_first: bool) -> None:
        if not self._open_when_shown:
            return
        self._open_when_shown = False
        try:
            if open_first:
                self.action_open()  # the client's page holds the keys itself from its push
        finally:
            self.app.keys.release()

    @on(DataTable.RowSelected, "#clients")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    @on(DataTable.RowHighlighted, "#clients")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._rows) - 1:
            self._load_more()

    def action_move(self, step: int) -> None:
        table = self.query_one("#clients", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def current(self):
        table = self.query_one("#clients", DataTable)
        if not self._rows or not table.row_count:
            return None
        return self._rows[min(table.cursor_row, len(self._rows) - 1)]

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "demo":
            return self._empty_db
        if action == "edit":
            return self.current() is not None
        if action in ("archive", "restore"):
            row = self.current()
            return row is not None and row.archived == (action == "restore")
        if action == "show_archived":
            return bool(parameters) and parameters[0] != self._archived
        return True

    @guarded
    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            from notes_tui.ui.screens.client import ClientScreen

            self.app.push_screen(ClientScreen(row.id))

    @guarded
    def action_due(self) -> None:
        from notes_tui.ui.screens.due import DueScreen

        self.app.push_screen(DueScreen())

    @on(Button.Pressed, "#welcome-add")
    def action_add(self) -> None:
        from notes_tui.ui.screens.client_form import client_dialog

        def added(data: dict | None) -> None:
            if data:
                self.notify(f"Added {data['name'].strip()}", markup=False)
                self._select_id = data.get("id")  # the cursor goes to the new client
                self._query = ""
                self.query_one("#search", Input).value = ""
                self.reload()

        self.app.push_screen(client_dialog(), added)

    @guarded
    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            return
        from notes_tui.ui.screens.client_form import client_dialog, client_initial

        def job(services):
            return client_initial(services.clients.get(row.id))

        def edit(initial: dict) -> None:
            self.app.push_screen(client_dialog(row.id, initial),
                                 lambda data: self.reload() if data else None)

        in_thread(self, job, edit, hold_keys=True)

    @guarded
    def action_archive(self) -> None:
        row = self.current()
        if row is None:
            return
        from notes_tui.ui.dialogs import confirm_then_write
        from notes_tui.ui.text import plain

        confirm_then_write(
            self, f"Archive {plain(row.name)}? Their notes are kept; they leave this list.",
            lambda services: services.clients.archive(row.id),
            lambda: (self.notify("Client archived"), self.reload()),
            yes="Archive", no="Keep")

    @guarded
    def action_restore(self) -> None:
        row = self.current()
        if row is None or not row.archived:
            return
        from notes_tui.ui.text import plain

        in_thread(self, lambda services: services.clients.restore(row.id), lambda _r: (
            self.notify(f"Restored {plain(row.name)}", markup=False), self.reload()))

    def action_show_archived(self, show: bool) -> None:
        self._archived = show
        self.refresh_bindings()
        self.reload()

    @on(Button.Pressed, "#welcome-demo")
    def action_demo(self) -> None:
        self.query_one("#status", Static).update(Text("Loading sample data…"))
        in_thread(self, lambda services: services.demo.load(clients=12, notes=60, seed=7),
                  lambda _r: self.reload())
