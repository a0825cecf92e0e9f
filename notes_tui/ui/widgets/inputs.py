"""Single-line inputs that say so when a keystroke was refused (instead of dropping it silently)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Input

PAIN = r"(10|[0-9])?"


class CheckedInput(Input):
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
    """Pain 0-10, ASCII digits only: '7.5', '11' and Arabic-Indic digits cannot get in."""
    return CheckedInput(value, id=id, restrict=PAIN, max_length=2, placeholder="0-10",
                        hint="a whole number from 0 to 10", classes="short")


def parse_next_visit(text: str) -> int | None:
    """'14' or '14d' is 14 days, '2w' is 14 days; empty is None."""
    from notes_tui.domain.text import FieldError

    t = text.strip().lower()
    if not t:
        return None
    weeks = t.endswith("w")
    digits = t.rstrip("dw")
    if not digits.isascii() or not digits.isdigit():
        raise FieldError("next_visit_days", "write a number of days, or weeks with w (2w)")
    days = int(digits) * (7 if weeks else 1)
    if not 1 <= days <= 730:
        raise FieldError("next_visit_days", "must be from 1 day to 2 years")
    return days
