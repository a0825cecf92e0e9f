"""Which backups to keep: the newest of each of the last 7 days, 4 ISO weeks and 12 months that
have a backup (a backup can count for its day, its week and its month at once). Pure: times in,
the times to keep out."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime

DAILY, WEEKLY, MONTHLY = 7, 4, 12


def _newest_per(times: list[datetime], key: Callable[[datetime], Hashable], count: int
                ) -> set[datetime]:
    kept: dict[Hashable, datetime] = {}
    for t in sorted(times, reverse=True):  # newest first: the first seen of a period is kept
        period = key(t)
        if period not in kept:
            if len(kept) == count:
                break
            kept[period] = t
    return set(kept.values())


def backups_to_keep(times: Iterable[datetime], *, daily: int = DAILY, weekly: int = WEEKLY,
                    monthly: int = MONTHLY) -> set[datetime]:
    """The subset of `times` (when each backup was taken, UTC) that rotation keeps."""
    times = list(times)
    return (_newest_per(times, lambda t: t.date(), daily)
            | _newest_per(times, lambda t: t.isocalendar()[:2], weekly)
            | _newest_per(times, lambda t: (t.year, t.month), monthly))
