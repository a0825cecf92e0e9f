"""Parsing of numbers and dates typed by a therapist: strict, ASCII, with clear messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from notes_tui.domain.text import FieldError

_PAIN = re.compile(r"(10|[0-9])")
_INT = re.compile(r"[0-9]{1,6}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")

MAX_DURATION_MINUTES = 600
FUTURE_SLACK = timedelta(days=1)
NEXT_VISIT_MAX_DAYS = 730  # a next visit is booked at most two years ahead
_NEXT_VISIT = re.compile(r"([0-9]{1,4}) *(d|days?|w|wks?|weeks?)?", re.IGNORECASE)


def parse_pain(value: object, field: str = "pain") -> int | None:
    """A 0-10 numeric pain rating. ASCII digits only: '٧', '𝟕', '7.5', '1_0' and 'NaN' are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(field, "must be a whole number from 0 to 10")
    if isinstance(value, int):
        if 0 <= value <= 10:
            return value
        raise FieldError(field, "must be from 0 to 10")
    if isinstance(value, str):
        text = value.strip(" ")
        if _PAIN.fullmatch(text):
            return int(text)
        if text.isascii() and text.isdigit():
            raise FieldError(field, "must be from 0 to 10")
    raise FieldError(field, "must be a whole number from 0 to 10")


def parse_positive_int(value: object, field: str, *, maximum: int, required: bool = False
                       ) -> int | None:
    if value is None or value == "":
        if required:
            raise FieldError(field, "is required")
        return None
    if isinstance(value, bool):
        raise FieldError(field, "must be a whole number")
    if isinstance(value, str):
        text = value.strip(" ")
        if not _INT.fullmatch(text):
            raise FieldError(field, "must be a whole number")
        value = int(text)
    if not isinstance(value, int):
        raise FieldError(field, "must be a whole number")
    if value <= 0:
        raise FieldError(field, "must be more than 0")
    if value > maximum:
        raise FieldError(field, f"must be at most {maximum}")
    return value


def parse_duration(value: object) -> int | None:
    return parse_positive_int(value, "duration", maximum=MAX_DURATION_MINUTES)


def parse_date(value: object, field: str = "date") -> date | None:
    """An ISO date (YYYY-MM-DD). 01/02/2024 is refused: day and month order is ambiguous."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise FieldError(field, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(field, f"{value.strip()} is not a real date") from None


def parse_next_visit_days(value: object, field: str = "next_visit_days") -> int | None:
    """When to come back, in days: 14, "14", "14d" or "14 days" is 14 days, "2w" or "2 weeks"
    is 14 days; empty is None. From 1 day to two years."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(field, "write a number of days, or weeks with w (2w)")
    if isinstance(value, int):
        days = value
    elif isinstance(value, str) and (m := _NEXT_VISIT.fullmatch(value.strip())):
        weeks = (m.group(2) or "d").lower().startswith("w")
        days = int(m.group(1)) * (7 if weeks else 1)
    elif isinstance(value, str) and not value.strip():
        return None
    else:
        raise FieldError(field, "write a number of days, or weeks with w (2w)")
    if not 1 <= days <= NEXT_VISIT_MAX_DAYS:
        raise FieldError(field, "must be from 1 day to 2 years")
    return days


def check_next_visit_date(value: date | None, session_day: date | None,
                          field: str = "next_visit_date") -> date | None:
    """A next visit falls on or after the session's day, and within two years of it."""
    if value is None or session_day is None:
        return value
    if value < session_day:
        raise FieldError(field, f"must be on or after the session ({session_day:%Y-%m-%d})")
    if value > session_day + timedelta(days=NEXT_VISIT_MAX_DAYS):
        raise FieldError(field, "must be within two years of the session")
    return value


def _exists_locally(naive: datetime, tz: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def parse_session_start(value: object, tz: ZoneInfo, *, now: datetime | None = None,
                        field: str = "session start") -> datetime:
    """A session's start as an aware datetime.

    Accepts an aware datetime, a naive one (taken as local time in `tz`), or text
    'YYYY-MM-DD HH:MM' (or with a 'T', or an explicit offset). A local time that does not exist
    (the spring-forward gap) is refused; one that happens twice (fall-back) takes the first
    occurrence, and the stored UTC offset says which. More than a day in the future is refused.
    """
    if isinstance(value, str):
        text = value.strip()
        if _DATETIME.fullmatch(text):
            try:
                value = datetime.fromisoformat(text.replace(" ", "T"))
            except ValueError:
                raise FieldError(field, f"{text} is not a real date and time") from None
        else:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise FieldError(field, "must be a date and time written YYYY-MM-DD HH:MM") from None
            if parsed.tzinfo is None or not _DATE.match(text):
                raise FieldError(field, "must be a date and time written YYYY-MM-DD HH:MM")
            value = parsed
    if not isinstance(value, datetime):
        raise FieldError(field, "must be a date and time")
    if value.tzinfo is None:
        if not _exists_locally(value, tz):
            raise FieldError(
                field, f"{value:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks went forward)"
            )
        value = value.replace(tzinfo=tz, fold=0)
    now = now or datetime.now(UTC)
    if value - now > FUTURE_SLACK:
        raise FieldError(field, f"{value:%Y-%m-%d} is in the future")
    if value.year < 1900:
        raise FieldError(field, "is too far in the past")
    return value


_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):?([0-5][0-9])")


def session_start_from(day: str, clock: str, tz: ZoneInfo, *,
                       now: datetime | None = None) -> datetime:
    """A session's start from the day and the clock time typed apart: the day YYYY-MM-DD,
    "today" or "yesterday" (in `tz`), the time HH:MM (or 1400). The rules of
    `parse_session_start` apply: no local time the clocks skipped, not more than a day ahead."""
    now = now or datetime.now(UTC)
    word = day.strip().lower()
    if word in ("", "today"):
        on = now.astimezone(tz).date()
    elif word == "yesterday":
        on = now.astimezone(tz).date() - timedelta(days=1)
    else:
        parsed = parse_date(day, "date")
        assert parsed is not None  # the text is not empty
        on = parsed
    m = _CLOCK.fullmatch(clock.strip())
    if m is None:
        raise FieldError("start", "must be a time written HH:MM (24-hour clock)")
    local = datetime(on.year, on.month, on.day, int(m.group(1)), int(m.group(2)))
    return parse_session_start(local, tz, now=now, field="start")


@dataclass(frozen=True)
class Dosage:
    """How much of a home exercise: any of sets, reps, hold, minutes, and how often."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    frequency: str | None = None

    def text(self) -> str:
        """Plain words, e.g. "2 sets of 10, hold 30 s, twice a day"; "" when nothing is set."""
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        parts: list[str] = []
        if self.sets and self.reps:
            parts.append(f"{count(self.sets, 'set', 'sets')} of {self.reps}")
        elif self.sets:
            parts.append(count(self.sets, "set", "sets"))
        elif self.reps:
            parts.append(count(self.reps, "time", "times"))
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        if self.minutes:
            parts.append(f"for {count(self.minutes, 'minute', 'minutes')}")
        if self.frequency and self.frequency.strip():
            parts.append(self.frequency.strip())
        return ", ".join(parts)

    def as_dict(self) -> dict[str, int | str]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, raw: dict | None, field: str = "dosage") -> Dosage:
        raw = raw or {}
        unknown = set(raw) - {"sets", "reps", "hold_seconds", "minutes", "frequency"}
        if unknown:
            raise FieldError(field, f"unknown key {sorted(unknown)[0]!r}")
        kwargs: dict = {}
        for key in ("sets", "reps", "hold_seconds", "minutes"):
            if raw.get(key) not in (None, ""):
                kwargs[key] = parse_positive_int(raw[key], f"{field}.{key}", maximum=3600)
        freq = raw.get("frequency")
        if freq not in (None, ""):
            if not isinstance(freq, str) or len(freq) > 100 or "\n" in freq:
                raise FieldError(f"{field}.frequency", "must be a short line of text")
            kwargs["frequency"] = freq.strip()
        return cls(**kwargs)
