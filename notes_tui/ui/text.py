"""User text for display: control characters stripped, never parsed as markup."""

from __future__ import annotations

import re

from rich.text import Text

from notes_tui.domain.text import display_text


def plain(value: object) -> str:
    """A stored value as inert display text (terminal controls and bidi marks removed)."""
    return display_text("" if value is None else str(value))


def safe(value: object, style: str = "") -> Text:
    """A stored value as a Rich Text: markup is never interpreted."""
    return Text(plain(value), style=style)


def pain(value: int | None) -> str:
    return "-" if value is None else str(value)


_MARKER = re.compile(r"(?:• |\d{1,2}\. )")


class Hanging:
    """A Text whose wrapped lines line up under the text they continue: a long "refers to ..."
    under a trigger point, or a bullet's second line, keeps its indent instead of starting at
    the left edge. str() is the plain text."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console, options):
        width = max(options.max_width, 8)
        for line in self.text.split("\n", allow_blank=True):
            raw = line.plain
            indent = len(raw) - len(raw.lstrip(" "))
            marker = _MARKER.match(raw, indent)
            hang = indent + (len(marker.group(0)) if marker else 0)
            if line.cell_len <= width or hang >= width // 2:
                yield line
                continue
            first, rest = line[:hang], line[hang:]
            for n, part in enumerate(rest.wrap(console, width - hang)):
                lead = first if n == 0 else Text(" " * hang)
                yield Text.assemble(lead, part)
