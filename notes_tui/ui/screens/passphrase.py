"""The passphrase of an encrypted database (db/encryption.py), asked at start without echo.

It is held only in the running app's memory (the services' context keys every connection with
it) and never written anywhere. A wrong one is said under the field and asked again; Esc quits,
since nothing can be read without it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from notes_tui.ui.dialogs import Dialog
from notes_tui.ui.widgets.field_message import FieldMessage


class PassphraseDialog(Dialog[str | None]):
    """Returns the typed passphrase (Enter), or None (Esc: the app quits)."""

    HELP = ("This database is encrypted. Type its passphrase and press Enter; it is not shown "
            "and not stored. Esc quits.")
    BINDINGS = [Binding("escape", "cancel", "Quit", id="passphrase.quit")]

    def __init__(self, location: str, problem: str = "") -> None:
        super().__init__()
        self.location = location
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"The database {self.location} is encrypted. Its passphrase:"),
                         classes="dialog-title")
            yield Input(password=True, id="passphrase", placeholder="passphrase (not shown)")
            yield FieldMessage(id="m-passphrase")
            yield Static(Text("Enter opens it · Esc quits"), classes="dialog-hint")

    def on_mount(self) -> None:
        if self.problem:
            self.query_one("#m-passphrase", FieldMessage).show(self.problem)
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.query_one("#m-passphrase", FieldMessage).show("Type the passphrase first")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
