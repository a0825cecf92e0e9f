"""A one-line message under (or beside) a field; takes no room while empty."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FieldMessage(Static):
    DEFAULT_CSS = """
    FieldMessage { color: $error; height: auto; display: none; }
    FieldMessage.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.message = ""

    def show(self, message: str) -> None:
        self.message = message
        self.update(Text(message))
        self.set_class(bool(message), "-shown")

    def clear(self) -> None:
        self.show("")
