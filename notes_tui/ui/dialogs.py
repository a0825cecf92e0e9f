"""Dialogs: each is a ModalScreen that returns its value through `dismiss`.

* `ConfirmDialog` -> bool
* `FormDialog` -> dict of the typed values (or None); a FieldError from its check (UI thread) or
  its save (worker thread) is shown next to the field it names, and the dialog stays open. The
  message goes as soon as that field is edited. Cancelling a form whose fields differ from what
  it opened with asks first ("never lose a word").
* `PickerDialog` -> ("id", catalog id) | ("text", free text) | None; filters as you type.

Every dialog is a `Dialog`: keys that arrive between the dialog being opened and its first field
having focus wait and are replayed into it (ui/keyhold.py), so "a" then "utr" typed fast filters
the picker instead of vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, ScreenResultType
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from notes_tui.ui.guard import guarded
from notes_tui.ui.keyhold import HoldsKeys
from notes_tui.ui.widgets.field_message import FieldMessage
from notes_tui.ui.widgets.inputs import PASTE_WARNING, LineInput


class Dialog(HoldsKeys, ModalScreen[ScreenResultType]):
    """A modal dialog: keys typed before its first field has focus wait for it."""

    AUTO_FOCUS = ""  # each dialog focuses its own first field in on_mount

    def on_mount(self) -> None:
        # Textual calls this after the subclass's own on_mount (which focuses its first field)
        self.ready()


class ConfirmDialog(Dialog[bool]):
    """A yes/no question."""

    HELP = "y or Enter: yes. n or Esc: no."
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *,
                 focus_no: bool = False) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.focus_no = focus_no  # Enter answers no (the safe answer when yes loses something)
        if focus_no:
            self.HELP = "y: yes. n, Esc or Enter: no."

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.focus_no else "#yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def confirm_then_write(node, question: str, job: Callable[[Any], Any],
                       done: Callable[[], None], *, yes: str, no: str,
                       focus_no: bool = False) -> None:
    """Ask `question`; on yes run `job(services)` (a database write) in a worker, then
    `done()`."""
    from notes_tui.ui.background import in_thread

    def answered(ok: bool | None) -> None:
        if ok:
            in_thread(node, job, lambda _r: done())

    node.app.push_screen(ConfirmDialog(question, yes=yes, no=no, focus_no=focus_no), answered)


@dataclass
class FieldSpec:
    key: str
    label: str
    value: str = ""
    multiline: bool = False
    restrict: str | None = None
    max_length: int = 200
    placeholder: str = ""
    choices: Sequence[tuple[str, str]] | None = None  # (label, value) for a Select
    width: int | None = None
    row: str = ""  # consecutive fields with the same row share one line (short dates, a number)
    # (label, value) for a checklist: space ticks; the value is the ticked values, comma-joined
    checks: Sequence[tuple[str, str]] | None = None


# A message that starts like this has no subject of its own: the form puts the field's name first
# ("is required" -> "Name is required"); one like "2026-02-30 is not a real date" stays as it is.
SUBJECTLESS = ("is ", "must ", "contains ")


def field_key(name: str) -> str:
    """The form key a FieldError names: 'date of birth' -> 'date_of_birth', 'dosage.sets' ->
    'sets'."""
    last = name.replace(" ", "_").replace("-", "_").split(".")
    return last[-1] if len(last) > 1 and not last[-1].isdigit() else last[0]


class FormDialog(Dialog[dict | None]):
    """A small form. ctrl+s (or Enter in the last line) saves, Esc cancels."""

    HELP = "Tab moves between fields. ctrl+s saves, Esc cancels. A problem is shown under its field."
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, title: str, fields: Sequence[FieldSpec], *,
                 check: Callable[[dict], Any] | None = None,
                 save: Callable[[Any, dict], Any] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.check = check
        self.save = save
        self._busy = False
        self._opened_with: dict[str, str] | None = None  # values() when the form opened
        self._last_field: Widget | None = None  # the field focus goes back to after "keep editing"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                for row, group in groupby(self.fields, key=lambda f: f.row):
                    if not row:
                        for f in group:
                            yield from self._field(f)
                        continue
                    with Horizontal(classes="form-row"):
                        for f in group:
                            with Vertical(classes="form-cell"):
                                yield from self._field(f)
            yield FieldMessage(id="form-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_resize(self, event) -> None:
        # On a short terminal (80x24) bordered inputs left room for two fields at a time:
        # one-line inputs show the whole client form at once
        self.set_class(event.size.height < 32, "-short")

    def on_mount(self) -> None:
        self.query_one(".form-body").can_focus = False
        self._opened_with = self.values()
        if self.fields:
            self.query_one(f"#f-{self.fields[0].key}").focus()

    def _field(self, f: FieldSpec) -> ComposeResult:
        yield Label(f.label, classes="field-label")
        yield self._widget(f)
        yield FieldMessage(id=f"m-{f.key}")

    def _widget(self, f: FieldSpec):
        if f.checks is not None:
            ticked = set(f.value.split(","))
            return SelectionList(*((label, value, value in ticked) for label, value in f.checks),
                                 id=f"f-{f.key}", classes="form-checks")
        if f.choices is not None:
            value = f.value if any(v == f.value for _, v in f.choices) else Select.NULL
            return Select(list(f.choices), value=value, id=f"f-{f.key}", allow_blank=True)
        if f.multiline:
            area = TextArea(f.value, id=f"f-{f.key}", soft_wrap=True, tab_behavior="focus",
                            classes="form-area")
            return area
        return LineInput(f.value, id=f"f-{f.key}", restrict=f.restrict, max_length=f.max_length,
                     placeholder=f.placeholder, classes="form-input")

    def values(self) -> dict:
        out: dict[str, str] = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f.key}")
            if isinstance(w, SelectionList):
                ticked = set(w.selected)
                out[f.key] = ",".join(v for _, v in f.checks or () if v in ticked)
            elif isinstance(w, Select):
                out[f.key] = "" if w.value is Select.NULL else str(w.value)
            elif isinstance(w, TextArea):
                out[f.key] = w.text
            else:
                out[f.key] = w.value
        return out

    def changed(self) -> bool:
        """True when any field differs from the value it opened with."""
        return self._opened_with is not None and self.values() != self._opened_with

    def show_error(self, exc: Exception) -> None:
        for m in self.query(FieldMessage):
            m.clear()
        name = getattr(exc, "field", "")
        message = getattr(exc, "message", str(exc))
        key = field_key(name) if name else ""
        if key and self.query(f"#m-{key}"):
            self.query_one(f"#m-{key}", FieldMessage).show(self._worded(key, message))
            self.query_one(f"#f-{key}").focus()
        else:
            self.query_one("#form-message", FieldMessage).show(str(exc))

    def _worded(self, key: str, message: str) -> str:
        """"is required" under the Name field reads "Name is required"."""
        if not message.startswith(SUBJECTLESS):
            return message
        label = next((f.label for f in self.fields if f.key == key), "")
        name = re.sub(r"\s*\(.*\)\s*$", "", label).strip() or key.replace("_", " ").capitalize()
        return f"{name} {message}"

    @on(LineInput.Truncated)
    def _truncated(self, event: LineInput.Truncated) -> None:
        event.stop()
        key = (event.input.id or "").removeprefix("f-")
        self.query_one(f"#m-{key}", FieldMessage).show(PASTE_WARNING)

    @on(Input.Changed, ".form-input")
    @on(TextArea.Changed, ".form-area")
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _edited(self, event: Input.Changed | TextArea.Changed | Select.Changed
                | SelectionList.SelectedChanged) -> None:
        """An edit takes away the field's message (a problem found on save, a paste warning):
        it was about what the field held before. (A paste posts Changed before Truncated, so its
        own warning is shown after this.)"""
        key = (event.control.id or "").removeprefix("f-")
        for m in self.query(f"#m-{key}"):
            if isinstance(m, FieldMessage) and m.message:
                m.clear()

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if (event.widget.id or "").startswith("f-"):
            self._last_field = event.widget

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [w for w in self.query(".form-input")]
        if inputs and event.input is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Esc or Cancel: an untouched form closes; typed text is only thrown away on "Discard".
        While a save is running the form waits for it (it closes itself or shows the problem)."""
        if self._busy:
            return
        if not self.changed():
            self.dismiss(None)
            return
        back = self.focused if (self.focused is not None and
                                (self.focused.id or "").startswith("f-")) else self._last_field

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            elif back is not None and back.is_attached:
                back.focus()

        self.app.push_screen(ConfirmDialog("Discard what you typed?", yes="Discard",
                                           no="Keep editing", focus_no=True), answered)

    @guarded
    def action_submit(self) -> None:
        if self._busy:
            return
        data = self.values()
        from notes_tui.domain.text import FieldError

        if self.check is not None:
            try:
                self.check(data)
            except FieldError as exc:
                self.show_error(exc)
                return
        if self.save is None:
            self.dismiss(data)
            return
        self._busy = True
        from notes_tui.ui.background import in_thread

        def failed(exc: BaseException) -> None:
            from notes_tui.domain.text import FieldError
            from notes_tui.ui.background import is_refusal, report

            self._busy = False
            if isinstance(exc, FieldError) or is_refusal(exc):
                self.show_error(exc)  # type: ignore[arg-type]
            else:
                report(self, exc)

        # hold_keys: what is typed while it saves goes to the screen underneath once the form
        # has closed (or back to the form when the save is refused)
        in_thread(self, lambda services: self.save(services, data),
                  lambda _r: self.dismiss(data), failed=failed, group="form", hold_keys=True)


class PickerDialog(Dialog[tuple[str, str] | None]):
    """Type to filter a catalog; Enter takes the highlighted entry, or the typed text as a
    custom entry when nothing matches (or with ctrl+t)."""

    HELP = ("Type to filter (a short form like 'utr' finds upper trapezius). Up/Down choose, Enter "
            "takes it. ctrl+t takes what you typed as free text. Esc cancels.")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", id="picker.next", show=False),
        Binding("up", "move(-1)", "Previous", id="picker.previous", show=False),
        Binding("ctrl+t", "free_text", "Use typed text", id="picker.free_text", priority=True),
    ]

    def __init__(self, title: str, search: Callable[[str], list[tuple[str, Text]]],
                 *, free_text: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.search = search
        self.free_text = free_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield LineInput(id="picker-query", max_length=200, placeholder="Type to filter")
            yield OptionList(id="picker-options")
            hint = "Enter: take · ctrl+t: use typed text · Esc: cancel" if self.free_text \
                else "Enter: take · Esc: cancel"
            yield Static(hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._refresh("")
        self.query_one("#picker-query", Input).focus()

    @on(Input.Changed, "#picker-query")
    def _changed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def _refresh(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        for key, label in self.search(query):
            options.add_option(Option(label, id=key))
        if options.option_count:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_free_text(self, typed: str | None = None) -> None:
        text = (self.query_one("#picker-query", Input).value if typed is None else typed).strip()
        if self.free_text and text:
            self.dismiss(("text", text))

    @on(Input.Submitted, "#picker-query")
    def _submit(self, event: Input.Submitted) -> None:
        """Enter takes what was highlighted, or typed, when it was pressed (the keys typed after
        it wait for the next field: ui/keyhold.py)."""
        event.stop()
        options = self.query_one("#picker-options", OptionList)
        if options.option_count and options.highlighted is not None:
            self.dismiss(("id", options.get_option_at_index(options.highlighted).id or ""))
        else:
            self.action_free_text(event.value)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("id", event.option.id or ""))
