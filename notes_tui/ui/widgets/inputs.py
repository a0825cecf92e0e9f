"""Single-line inputs that say so when something typed or pasted was not taken (instead of
dropping it silently): a refused keystroke, or the lines after the first of a multi-line paste."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

PAIN = r"(10|[0-9]|[nNdD])?"  # n: not asked, d: the client declined to rate
PASTE_WARNING = "Only the first line was pasted: this field holds one line."


class LineInput(Input):
    """An Input that posts `LineInput.Truncated` when a paste held more than one line.

    Textual's Input keeps only the first line of a paste; the rest used to vanish without a
    word. The screen shows the warning next to the field (or as a notice, NotesApp)."""

    @dataclass
    class Truncated(Message):
        input: LineInput
        lines: int

        @property
        def control(self) -> LineInput:
            return self.input

    def on_paste(self, event: events.Paste) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        if len(lines) <= 1:
            return  # one line: Input's own paste handling
        event.prevent_default()
        event.stop()
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(lines[0])
        else:
            self.replace(lines[0], *selection)
        self.post_message(self.Truncated(self, len(lines)))


class CheckedInput(LineInput):
    """An Input with `restrict`; a refused character posts `CheckedInput.Refused`."""

    @dataclass
    class Refused(Message):
        input: CheckedInput
        hint: str

    def __init__(self, value: str = "", *, hint: str, **kwargs) -> None:
        super().__init__(value, **kwargs)
        self.hint = hint

    def restricted(self) -> None:
        self.post_message(self.Refused(self, self.hint))


def pain_input(id: str, value: str = "") -> CheckedInput:
    """Pain 0-10, ASCII digits only: '7.5', '11' and Arabic-Indic digits cannot get in; or n (not
    asked) or d (the client declined to rate)."""
    return CheckedInput(value, id=id, restrict=PAIN, max_length=2, placeholder="0-10",
                        hint="a whole number from 0 to 10, n (not asked) or d (declined)",
                        classes="short")


def parse_next_visit(text: str) -> int | None:
    """'14', '14d' or '14 days' is 14 days, '2w' is 14 days; empty is None (the domain's rule,
    shared with the import and the CLI)."""
    from notes_tui.domain.values import parse_next_visit_days

    return parse_next_visit_days(text)
