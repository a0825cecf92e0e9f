"""User text for display: control characters stripped, never parsed as markup."""

from __future__ import annotations

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
