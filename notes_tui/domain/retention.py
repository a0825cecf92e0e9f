"""How long a client's records must be kept (CMTO): 10 years after the last visit; for a client
under 18 at that visit, 10 years after their 18th birthday, whichever is later. Pure."""

from __future__ import annotations

from datetime import date

YEARS = 10
ADULT_AGE = 18


def add_years(day: date, years: int) -> date:
    """The same day `years` later; February 29 becomes March 1 in a year without one, so a
    record is never kept a day less than the years counted (and an 18th birthday on February 29
    falls on March 1, the later of the two readings)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # Feb 29 -> a common year
        return date(day.year + years, 3, 1)


def keep_until(last_visit: date | None, date_of_birth: date | None, years: int = YEARS
               ) -> date | None:
    """The first day the records may be deleted is the day after this one. None when the client
    has had no visit (nothing clinical to keep: the client's own card is theirs to delete)."""
    if last_visit is None:
        return None
    until = add_years(last_visit, years)
    if date_of_birth is not None:
        adult = add_years(date_of_birth, ADULT_AGE)
        if last_visit < adult:
            until = max(until, add_years(adult, years))
    return until
