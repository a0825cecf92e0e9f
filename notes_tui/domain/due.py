"""Who is due back: from each client's latest session and the next visit it planned, which
clients are overdue (the planned day passed with no session since), which are due in the next
days, and which have lapsed (overdue for longer than a recall is worth: listed apart). Pure:
plain values in, plain values out; the clinic's today is passed in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

WINDOW_DAYS = 7  # "due in the next 7 days"
LAPSED_AFTER_DAYS = 90  # overdue by more than this: lapsed, not a call to make this week


class DueState(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"  # planned within the window (today included)
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "due": "Due soon", "lapsed": "Lapsed"}[self.value]


@dataclass(frozen=True)
class LastVisit:
    """One client's latest session, as the due list needs it."""

    client_id: int
    client_uuid: str
    name: str  # the name the therapist calls them by (preferred name, else name)
    day: date  # the session's day, in the session's own zone
    next_visit_days: int | None
    next_visit_date: date | None
    visits: int = 1  # sessions on the record
    plan_days: int | None = None  # the current plan of care's frequency, in days
    plan: str = ""  # how the plan says it: "weekly x 6"


@dataclass(frozen=True)
class DueClient:
    client_id: int
    client_uuid: str
    name: str
    state: DueState
    planned: date  # the next visit the last session planned
    last_visit: date
    plan: str  # how it was planned: "2 weeks after the last visit", "on 2026-12-10"
    visits: int
    said: str = ""  # the same, short, as the session said it: "in 2 weeks", "on 2026-12-10"

    def days_from(self, today: date) -> int:
        """Days from today to the planned visit (negative: that many days overdue)."""
        return (self.planned - today).days

    def when(self, today: date) -> str:
        """'overdue by 12 days', 'today', 'in 3 days'."""
        days = self.days_from(today)
        if days < 0:
            return f"overdue by {_days(-days)}"
        return "today" if days == 0 else ("tomorrow" if days == 1 else f"in {_days(days)}")


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


def _interval(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return _days(days)


def planned_next(visit: LastVisit) -> tuple[date, str, str] | None:
    """The day the last session planned the next visit for, and how it said so, long and
    short (a date wins over a number of days, as the handout words it; a session that planned
    nothing follows the plan of care's frequency). None: no next visit was planned."""
    if visit.next_visit_date is not None:
        on = f"on {visit.next_visit_date:%Y-%m-%d}"
        return visit.next_visit_date, on, on
    if visit.next_visit_days:
        interval = _interval(visit.next_visit_days)
        return (visit.day + timedelta(days=visit.next_visit_days),
                f"{interval} after the last visit", f"in {interval}")
    if visit.plan_days:  # the session planned nothing: the plan of care's frequency
        return (visit.day + timedelta(days=visit.plan_days),
                f"the plan of care ({visit.plan or _interval(visit.plan_days)})",
                visit.plan or f"every {_interval(visit.plan_days)}")
    return None


def due_clients(visits: Iterable[LastVisit], today: date, *, window: int = WINDOW_DAYS,
                lapsed_after: int = LAPSED_AFTER_DAYS) -> list[DueClient]:
    """The clients to call: overdue first (the most recently missed first: the likeliest to
    book), then those due within `window` days (soonest first), then the lapsed (most recent
    first). A client whose latest session planned nothing, or planned a day beyond the window,
    is not listed."""
    out: list[DueClient] = []
    for v in visits:
        plan = planned_next(v)
        if plan is None:
            continue
        planned, long, short = plan
        late = (today - planned).days
        if late > lapsed_after:
            state = DueState.LAPSED
        elif late > 0:
            state = DueState.OVERDUE
        elif -late <= window:
            state = DueState.DUE
        else:
            continue
        out.append(DueClient(v.client_id, v.client_uuid, v.name, state, planned, v.day, long,
                             v.visits, short))
    order = {DueState.OVERDUE: 0, DueState.DUE: 1, DueState.LAPSED: 2}

    def key(d: DueClient) -> tuple:
        ordinal = d.planned.toordinal()
        return (order[d.state], ordinal if d.state is DueState.DUE else -ordinal,
                d.name.casefold(), d.client_id)

    return sorted(out, key=key)
