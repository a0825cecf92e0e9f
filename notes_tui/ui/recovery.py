"""Text that could not be saved: the choice offered when leaving with it, and the offer at the
next start to put a recovery file back (services/recovery.py writes and reads the files).

At start-up every recovery file is offered in turn: back into its draft when the draft is still
a draft, as an amendment when it was finalized meanwhile, as a new draft for the client when it
was discarded (or always, as a second choice); "Not now" keeps the file for the next start, and
"Discard" asks once more before throwing the text away. A corrupt file is set aside with a
message naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from notes_tui.ui.dialogs import Dialog


class ChoiceDialog(Dialog[str | None]):
    """A question with a few answers, each a button with its own key; Esc answers `cancel`."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog .choice { width: 100%; margin-top: 1; }
    """

    def __init__(self, question: str, choices: Sequence[tuple[str, str, str]], *,
                 cancel: str | None = None) -> None:
        """`choices`: (value, key, label); Esc answers `cancel` (None: Esc does nothing)."""
        super().__init__()
        self.question, self.choices, self.cancel = question, list(choices), cancel
        keys = ", ".join(f"{key}: {label}" for _v, key, label in self.choices)
        self.HELP = f"{keys}." + (" Esc: go back." if cancel is not None else "")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            for value, key, label in self.choices:
                yield Button(f"{label} ({key})", id=f"choice-{value}", classes="choice")

    def on_mount(self) -> None:
        for button in self.query(Button).results(Button):  # none when answered while opening
            button.focus()
            break

    def on_key(self, event: events.Key) -> None:
        for value, key, _label in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return
        if event.key == "escape":
            event.stop()
            if self.cancel is not None:
                self.dismiss(self.cancel)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))


def ask(app, question: str, choices: Sequence[tuple[str, str, str]],
        answered: Callable[[str | None], None], *, cancel: str | None = None) -> None:
    app.push_screen(ChoiceDialog(question, choices, cancel=cancel), answered)


def keep_file(*, note_id: int | None, client_id: int, client_name: str, content,
              edit_session: str, reason: str) -> str | None:
    """Write the recovery file; None when done, else why not (in words). UI thread: a small
    local file, never the database."""
    from notes_tui.services.recovery import keep, plain_reason

    data = content.model_dump(mode="json") if hasattr(content, "model_dump") else content
    try:
        keep(note_id=note_id, client_id=client_id, client_name=client_name, content=data,
             edit_session=edit_session, reason=reason)
    except OSError as exc:
        return plain_reason(exc) or "the recovery file could not be written"
    return None


# --- the offer at the next start ---------------------------------------------------------------

def offer_kept(app, then: Callable[[], None]) -> None:
    """Offer every recovery file back, one after the other, then call `then()` (the resume
    offer). The files are read and the notes looked up in a worker."""
    from notes_tui.ui.background import in_thread

    def job(services):
        from notes_tui.services.recovery import scan

        found = scan()
        out = []
        for kept in found.kept:
            try:
                view = services.notes.get(kept.note_id) if kept.note_id is not None else None
            except Exception:  # discarded meanwhile: offered as a new draft
                view = None
            if view is not None and not view.is_final and \
                    view.content.model_dump(mode="json") == kept.content:
                from notes_tui.services.recovery import forget

                forget(kept.path)  # the draft got the text after all (a save that won late)
                continue
            out.append((kept, view))
        return found.set_aside, out

    def found(result) -> None:
        aside, offers = result
        for path in aside:
            app.notify(f"A recovery file could not be read and was set aside: {path}",
                       severity="warning", markup=False, timeout=15)
        _offer_next(app, list(offers), then)

    in_thread(app.screen, job, found, failed=lambda _e: then(), group="recovery")


def _offer_next(app, offers: list, then: Callable[[], None]) -> None:
    if not offers:
        then()
        return
    kept, view = offers.pop(0)
    go_on = lambda: _offer_next(app, offers, then)  # noqa: E731
    from notes_tui.ui.text import plain

    who = plain(kept.client_name) or "a client"
    when = kept.kept_at.astimezone(app.settings.tz)
    why = f" ({plain(kept.reason)})" if kept.reason else ""
    if view is not None and view.is_final:
        state, first = "the note was finalized since", ("amend", "a", "Add it as an amendment")
    elif view is not None:
        state, first = "its draft is still open", ("restore", "r", "Put it back into the draft")
    else:
        state, first = "the draft is gone", None
    choices = [c for c in (first, ("new", "d", f"Start a new draft for {who} with it"),
                           ("later", "l", "Not now (ask again next time)"),
                           ("discard", "x", "Discard it")) if c is not None]
    question = (f"Text for {who} that could not be saved on {when:%Y-%m-%d at %H:%M}{why} was "
                f"kept in a recovery file; {state}. What should happen to it?")

    def answered(choice: str | None) -> None:
        if choice == "restore":
            _restore(app, kept, view, go_on)
        elif choice == "new":
            _new_draft(app, kept, go_on)
        elif choice == "amend":
            _amend(app, kept, view, go_on, back=lambda: _offer_next(app, [(kept, view)] + offers,
                                                                       then))
        elif choice == "discard":
            _discard(app, kept, go_on, back=lambda: _offer_next(app, [(kept, view)] + offers,
                                                                   then))
        else:
            go_on()

    ask(app, question, choices, answered, cancel="later")


def _restored(app, kept, note_id: int, client_id: int, go_on) -> None:
    from notes_tui.services.recovery import forget

    forget(kept.path)
    app.notify("The kept text is back in the draft", markup=False)
    app.open_note(note_id, client_id)


def _restore(app, kept, view, go_on) -> None:
    from notes_tui.ui.background import in_thread

    def job(services):
        services.notes.save(view.id, kept.content)
        return view.id

    def failed(exc: BaseException) -> None:
        from notes_tui.services.recovery import is_gone
        from notes_tui.ui.autosave import reason_for

        if is_gone(exc):  # finalized or discarded since the offer: offer it again
            offer_kept(app, go_on)
            return
        app.notify(f"The kept text could not be put back ({reason_for(exc)}); the recovery file "
                   "stays for the next start", severity="error", markup=False, timeout=10)
        go_on()

    in_thread(app.screen, job, lambda nid: _restored(app, kept, nid, view.client_id, go_on),
              failed=failed, group="recovery")


def _new_draft(app, kept, go_on) -> None:
    from notes_tui.ui.background import in_thread

    def job(services):
        return services.notes.start(kept.client_id, content=kept.content)

    def failed(exc: BaseException) -> None:
        from notes_tui.ui.autosave import reason_for

        app.notify(f"No new draft was started ({reason_for(exc)}); the recovery file stays for "
                   "the next start", severity="error", markup=False, timeout=10)
        go_on()

    in_thread(app.screen, job, lambda nid: _restored(app, kept, nid, kept.client_id, go_on),
              failed=failed, group="recovery")


def _amend(app, kept, view, go_on, back) -> None:
    from notes_tui.services.recovery import forget
    from notes_tui.ui.screens.editor.amend import amend_dialog

    def added(amendment) -> None:
        if not amendment:
            back()  # cancelled: the offer again, nothing lost
            return
        forget(kept.path)
        app.notify("The kept text was added as an amendment", markup=False)
        go_on()

    app.push_screen(amend_dialog(view.id, f"{view.local_start:%A %d %B %Y %H:%M}",
                                 kept.content), added)


def _discard(app, kept, go_on, back) -> None:
    from notes_tui.services.recovery import forget
    from notes_tui.ui.dialogs import ConfirmDialog

    def answered(yes: bool | None) -> None:
        if yes:
            forget(kept.path)
            go_on()
        else:
            back()

    app.push_screen(ConfirmDialog("Throw the kept text away for good?", yes="Discard",
                                  no="Keep it", focus_no=True), answered)
