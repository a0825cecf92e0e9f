"""Typed settings from `settings.toml` in the config dir, loaded once and injected.

A missing file means defaults; a malformed one raises `SettingsError` with one line naming the
file and the field, never a traceback. Plain dataclasses and tomllib: the app's start-up does
not wait for a validation library to import.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PAPER_SIZES = ("A4", "Letter")


class SettingsError(Exception):
    """A settings file that cannot be used; the message is one line for the therapist."""


@dataclass(frozen=True)
class Clinic:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""


@dataclass(frozen=True)
class Backups:
    """`[backups]`: where backups go (another disk, a synced folder) and whether the app takes
    them by itself (on quit, and at most once a day while open)."""

    folder: str | None = None
    automatic: bool = True


@dataclass(frozen=True)
class Settings:
    therapist_name: str = ""
    registration_number: str = ""
    clinic: Clinic = field(default_factory=Clinic)
    paper_size: str = "A4"
    timezone: str = field(default_factory=lambda: machine_timezone())
    exports_dir: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str = ""  # a Textual theme's name ("textual-light"); empty: Textual's default
    backups: Backups = field(default_factory=Backups)

    def __post_init__(self) -> None:
        problem = _check(self)
        if problem:
            raise SettingsError(problem)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def author(self) -> str:
        """Who the app records as the author of notes, amendments and audit events."""
        return self.therapist_name or "therapist"


def _zone_name(name: str | None) -> str | None:
    """`name` if it is an IANA zone this machine knows, else None."""
    if not name:
        return None
    try:
        return ZoneInfo(name).key
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def machine_timezone(environ: dict[str, str] | None = None,
                     localtime: Path = Path("/etc/localtime"),
                     timezone_file: Path = Path("/etc/timezone")) -> str:
    """The machine's IANA time zone, the clinic's default: $TZ, then the /etc/localtime link,
    then /etc/timezone; "UTC" only when none of them names a known zone."""
    env = os.environ if environ is None else environ
    tz = env.get("TZ", "").lstrip(":")
    if "/zoneinfo/" in tz:  # TZ=":/usr/share/zoneinfo/Europe/Paris"
        tz = tz.split("/zoneinfo/", 1)[1]
    if found := _zone_name(tz):
        return found
    try:
        target = str(localtime.resolve()) if localtime.is_symlink() else ""
    except OSError:
        target = ""
    if "/zoneinfo/" in target and (found := _zone_name(target.split("/zoneinfo/", 1)[1])):
        return found
    try:
        named = timezone_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        named = ""
    return _zone_name(named) or "UTC"


THEME_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,59}|")
_LIMITS = {"therapist_name": 200, "registration_number": 100, "name": 200, "phone": 100,
           "email": 200, "address": 500, "website": 200}


def _check(s: Settings) -> str | None:
    for key in ("therapist_name", "registration_number"):
        value = getattr(s, key)
        if not isinstance(value, str) or len(value) > _LIMITS[key] or "\n" in value:
            return f"{key}: must be one line of at most {_LIMITS[key]} characters"
    for f in fields(Clinic):
        value = getattr(s.clinic, f.name)
        if not isinstance(value, str) or len(value) > _LIMITS[f.name]:
            return f"clinic.{f.name}: must be text of at most {_LIMITS[f.name]} characters"
    if s.paper_size not in PAPER_SIZES:
        return "paper_size: must be 'A4' or 'Letter'"
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return f"timezone: unknown time zone {s.timezone!r} (use a name such as America/Toronto)"
    if s.exports_dir is not None and not isinstance(s.exports_dir, str):
        return "exports_dir: must be a folder path"
    if not isinstance(s.keymap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in s.keymap.items()):
        return "keymap: must map binding ids to keys, e.g. \"app.quit\" = \"ctrl+q\""
    if s.backups.folder is not None and (not isinstance(s.backups.folder, str)
                                         or not s.backups.folder.strip()):
        return "backups.folder: must be a folder path"
    if not isinstance(s.backups.automatic, bool):
        return "backups.automatic: must be true or false"
    if not isinstance(s.theme, str) or not THEME_NAME.fullmatch(s.theme):
        return "theme: must be a theme's name, such as \"textual-dark\" or \"textual-light\""
    return None


def _cleaned(value: object) -> object:
    """Text from settings.toml cleaned as the app's own text fields clean what is typed
    (domain/text.py `clean_line`: control, escape, bidi and zero-width characters removed,
    trimmed, NFC), line by line for a multi-line value (an address). Lengths and types are
    `_check`'s to name."""
    from notes_tui.domain.text import FieldError, clean_line, normalise_lines

    if not isinstance(value, str):
        return value
    try:
        return "\n".join(clean_line("setting", line, max_length=10**9)
                         for line in normalise_lines(value).split("\n")).strip("\n")
    except FieldError:  # a lone surrogate cannot come out of TOML; kept for _check
        return value


def _cleaned_texts(raw: dict) -> dict:
    texts = {key: _cleaned(raw[key]) for key in ("therapist_name", "registration_number")
             if key in raw}
    clinic = raw.get("clinic")
    if isinstance(clinic, dict):
        texts["clinic"] = {key: _cleaned(value) for key, value in clinic.items()}
    return {**raw, **texts}


def _build(raw: dict) -> Settings:
    known = {f.name for f in fields(Settings)}
    for key in raw:
        if key not in known:
            raise SettingsError(f"{key}: is not a setting")
    _table(raw, "clinic", Clinic)
    backups = _table(raw, "backups", Backups)
    raw = _cleaned_texts(raw)
    return Settings(**{**raw, "clinic": Clinic(**raw.get("clinic", {})),
                       "backups": Backups(**backups)})


def _table(raw: dict, name: str, kind: type) -> dict:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise SettingsError(f"{name}: must be a table [{name}]")
    for key in table:
        if key not in {f.name for f in fields(kind)}:
            raise SettingsError(f"{name}.{key}: is not a setting")
    return table


def load_settings(path: Path | None = None) -> Settings:
    if path is None:
        from notes_tui.paths import settings_file

        path = settings_file()
    if not path.is_file():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    return settings_from_text(text, path)


def settings_from_text(text: str, path: Path) -> Settings:
    """The settings a settings.toml holding `text` would give (`path` names it in a message)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    try:
        return _build(raw)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None
