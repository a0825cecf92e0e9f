"""Typed settings from `settings.toml` in the config dir, loaded once and injected.

A missing file means defaults; a malformed one raises `SettingsError` with one line naming the
file and the field, never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class SettingsError(Exception):
    """A settings file that cannot be used; the message is one line for the therapist."""


class Clinic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=100)
    email: str = Field("", max_length=200)
    address: str = Field("", max_length=500)
    website: str = Field("", max_length=200)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    therapist_name: str = Field("", max_length=200)
    registration_number: str = Field("", max_length=100)
    clinic: Clinic = Field(default_factory=Clinic)
    paper_size: Literal["A4", "Letter"] = "A4"
    timezone: str = "UTC"
    exports_dir: str | None = None
    keymap: dict[str, str] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use a name such as America/Toronto)") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def author(self) -> str:
        """Who the app records as the author of notes, amendments and audit events."""
        return self.therapist_name or "therapist"


def load_settings(path: Path | None = None) -> Settings:
    if path is None:
        from notes_tui.paths import settings_file

        path = settings_file()
    if not path.is_file():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise SettingsError(f"{path}: {where}: {err['msg']}") from None
