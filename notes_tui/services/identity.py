"""Who signs the notes: the therapist's name and registration number, set from the app.

They live in settings.toml (the therapist may also edit that file by hand). Setting them changes
only those two top-level lines, or adds them at the top: every other line and comment of the
file stays as it was. The new file is checked as settings before it replaces the old one, and is
written atomically with mode 0600.
"""

from __future__ import annotations

import re
from pathlib import Path

from notes_tui.domain.text import clean_line, clean_name
from notes_tui.settings import Settings, settings_from_text

_TABLE = re.compile(r"^[ \t]*\[", re.M)


def _set_top_level(text: str, key: str, value: str) -> str:
    import tomli_w

    line = tomli_w.dumps({key: value}).strip()
    table = _TABLE.search(text)
    end = table.start() if table else len(text)
    head, rest = text[:end], text[end:]
    existing = re.compile(rf"^[ \t]*{key}[ \t]*=.*$", re.M)
    if existing.search(head):
        head = existing.sub(lambda _m: line, head, count=1)
    else:
        head = f"{line}\n{head}"
    return head + rest


def set_identity(name: str, registration: str, *, path: Path | None = None) -> Settings:
    """Write the therapist's name (required) and registration number into settings.toml and
    return the settings it now gives. A FieldError names a bad value; a SettingsError means the
    file would no longer load, and it is left as it was."""
    name = clean_name(name, "therapist name")
    registration = clean_line("registration number", registration, max_length=100)
    return _write_top_level({"therapist_name": name, "registration_number": registration},
                            path)


def set_theme(name: str, *, path: Path | None = None) -> Settings:
    """Keep the theme chosen in the app (the palette's "Change theme") in settings.toml, so the
    next start opens in it. The rest of the file is left as it was."""
    return _write_top_level({"theme": name}, path)


def _write_top_level(values: dict[str, str], path: Path | None) -> Settings:
    """Set top-level keys of settings.toml, leaving the rest of the file as it was, and return
    the settings it now gives; a file that would no longer load is refused (SettingsError) and
    left untouched."""
    from notes_tui.paths import ensure_private_dir, settings_file
    from notes_tui.services.files import write_private_text

    path = path or settings_file()
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    for key, value in values.items():
        text = _set_top_level(text, key, value)
    settings = settings_from_text(text, path)
    ensure_private_dir(path.parent)
    write_private_text(path, lambda out: out.write(text))
    return settings
