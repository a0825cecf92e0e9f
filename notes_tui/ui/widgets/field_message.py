"""A one-line message under (or beside) a field; takes no room while empty."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FieldMessage(Static):
    DEFAULT_CSS = """
    FieldMessage { color: $error; height: auto; display: none; }
    FieldMessage.-shown { display: block; }
    FieldMessage.-info { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.message = ""

    def show(self, message: str, *, info: bool = False) -> None:
        """A problem with the field, or (`info`) what a valid value means, e.g. "2w" as a date."""
        self.message = "" if info else message
        self.update(Text(message))
        self.set_class(bool(message), "-shown")
        self.set_class(info, "-info")

    def clear(self) -> None:
        self.show("")
