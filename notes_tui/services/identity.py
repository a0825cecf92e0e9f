"""Who signs the notes and the practice on the handout: the therapist's name and registration
number, the clinic's name, address, phone, email and website, the time zone and the paper size,
set from the app (the first-run set-up, the palette's "Practice details").

They live in settings.toml (the therapist may also edit that file by hand). Setting them changes
only those keys, through tomlkit, which keeps every other line, comment and table of the file as
it was. The new file is checked as settings before it replaces the old one, and is written
atomically with mode 0600.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notes_tui.domain.text import FieldError, clean_line, clean_multiline, clean_name
from notes_tui.settings import PAPER_SIZES, Settings, settings_from_text

CLINIC_FIELDS = {"name": ("clinic name", 200), "address": ("address", 500),
                 "phone": ("phone", 100), "email": ("email", 200),
                 "website": ("website", 200)}


def set_practice(values: dict[str, str], *, path: Path | None = None) -> Settings:
    """The whole set-up at once: `values` holds therapist_name (required), registration_number,
    timezone (empty: the machine's), paper_size and the clinic's fields as clinic_<field>.
    A FieldError names the field that cannot be kept; a SettingsError means the file would no
    longer load, and it is left as it was."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from notes_tui.settings import machine_timezone

    top: dict[str, Any] = {
        "therapist_name": clean_name(values.get("therapist_name"), "therapist name"),
        "registration_number": clean_line("registration number",
                                          values.get("registration_number"), max_length=100),
    }
    zone = (values.get("timezone") or "").strip() or machine_timezone()
    try:
        top["timezone"] = ZoneInfo(zone).key
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise FieldError("timezone", f"{zone!r} is not a time zone this computer knows (a name "
                         "such as America/Toronto or Europe/London)") from None
    paper = (values.get("paper_size") or "A4").strip()
    if paper not in PAPER_SIZES:
        raise FieldError("paper_size", "must be A4 or Letter")
    top["paper_size"] = paper
    clinic: dict[str, str] = {}
    for key, (label, limit) in CLINIC_FIELDS.items():
        raw = values.get(f"clinic_{key}")
        if raw is None:
            continue
        clinic[key] = clean_multiline(label, raw, max_length=limit).strip() if key == "address" \
            else clean_line(label, raw, max_length=limit)
    email = clinic.get("email", "")
    if email and ("@" not in email or " " in email or "." not in email.rsplit("@", 1)[1]):
        raise FieldError("clinic_email", "must be an email address, such as desk@example.com")
    return _write(top, clinic, path)


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
    return _write(values, {}, path)


def _write(values: dict[str, Any], clinic: dict[str, str], path: Path | None) -> Settings:
    """Set top-level keys (and keys of the [clinic] table) of settings.toml, leaving the rest
    of the file as it was, and return the settings it now gives; a file that would no longer
    load is refused (SettingsError) and left untouched."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from notes_tui.paths import ensure_private_dir, settings_file
    from notes_tui.services.files import write_private_text
    from notes_tui.settings import SettingsError

    path = path or settings_file()
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    for key, value in values.items():
        doc[key] = value
    if clinic:
        table = doc.get("clinic")
        if table is None:
            table = tomlkit.table()
            doc["clinic"] = table
        elif not isinstance(table, dict):
            raise SettingsError(f"{path}: clinic: must be a table ([clinic])")
        for key, value in clinic.items():
            table[key] = value
    text = tomlkit.dumps(doc)
    settings = settings_from_text(text, path)
    ensure_private_dir(path.parent)
    write_private_text(path, lambda out: out.write(text))
    return settings
