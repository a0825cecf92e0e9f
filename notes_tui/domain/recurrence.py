"""Which trigger points keep coming back: every muscle and side treated across a client's
sessions, as a grid by date (active or latent, the pressure tolerated, the response), with the
points active in `threshold` or more of the last `recent` sessions flagged. Pure: the sessions
(newest first) in, the grid out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from notes_tui.domain.enums import Side, TriggerPointActivity, TriggerPointResponse

RECENT = 5  # "active in three or more of the last five sessions"
THRESHOLD = 3

RESPONSE_MARK = {TriggerPointResponse.RELEASED: "✓", TriggerPointResponse.REDUCED: "↓",
                 TriggerPointResponse.REFERRAL_REPRODUCED: "R",
                 TriggerPointResponse.UNCHANGED: "="}
LEGEND = ("A active, L latent; the number is the pressure tolerated (0-10); ✓ released, "
          "↓ reduced, R referral reproduced, = unchanged; · not treated that session")


@dataclass(frozen=True)
class PointSeen:
    """One trigger point as one session recorded it."""

    key: str  # the muscle's catalog id, or the therapist's own name folded
    muscle: str  # as the record names it
    side: Side
    activity: TriggerPointActivity
    pressure: int | None
    response: TriggerPointResponse | None


@dataclass(frozen=True)
class SessionPoints:
    note_id: int
    day: date
    points: tuple[PointSeen, ...]


@dataclass(frozen=True)
class Cell:
    """A muscle and side in one session (two points of the same muscle and side merge: active
    if either was, the firmest pressure, the first response recorded)."""

    activity: TriggerPointActivity
    pressure: int | None
    response: TriggerPointResponse | None

    @property
    def short(self) -> str:
        """'A6✓': active, pressure 6, released."""
        return ("A" if self.activity is TriggerPointActivity.ACTIVE else "L") + (
            "" if self.pressure is None else str(self.pressure)) + (
            RESPONSE_MARK[self.response] if self.response else "")

    @property
    def words(self) -> str:
        """'active, pressure 6/10, released' (the clinical record)."""
        parts = [self.activity.value]
        if self.pressure is not None:
            parts.append(f"pressure {self.pressure}/10")
        if self.response is not None:
            parts.append(self.response.label.lower())
        return ", ".join(parts)


@dataclass(frozen=True)
class PointRow:
    key: str
    muscle: str
    side: Side
    cells: tuple[Cell | None, ...]  # one per session, in the grid's order (newest first)
    active_recent: int  # sessions among the last `recent` where it was active
    recent: int  # how many sessions "the last `recent`" holds (fewer for a new client)
    flagged: bool

    @property
    def treated(self) -> int:
        return sum(c is not None for c in self.cells)

    @property
    def name(self) -> str:
        return f"{self.muscle}, {self.side.label.lower()}"


@dataclass(frozen=True)
class Recurrence:
    sessions: tuple[SessionPoints, ...]  # newest first
    rows: tuple[PointRow, ...]  # flagged first, then the most often active lately
    recent: int = RECENT
    threshold: int = THRESHOLD

    @property
    def flagged(self) -> tuple[PointRow, ...]:
        return tuple(r for r in self.rows if r.flagged)


def _merge(a: Cell | None, p: PointSeen) -> Cell:
    if a is None:
        return Cell(p.activity, p.pressure, p.response)
    active = TriggerPointActivity.ACTIVE in (a.activity, p.activity)
    pressures = [x for x in (a.pressure, p.pressure) if x is not None]
    return Cell(TriggerPointActivity.ACTIVE if active else TriggerPointActivity.LATENT,
                max(pressures) if pressures else None, a.response or p.response)


def recurrence(sessions: Iterable[SessionPoints], *, recent: int = RECENT,
               threshold: int = THRESHOLD) -> Recurrence:
    """The grid of `sessions` (any order in; newest first out)."""
    ordered = tuple(sorted(sessions, key=lambda s: (s.day, s.note_id), reverse=True))
    names: dict[tuple[str, Side], str] = {}
    cells: dict[tuple[str, Side], list[Cell | None]] = {}
    for i, session in enumerate(ordered):
        for p in session.points:
            k = (p.key, p.side)
            names.setdefault(k, p.muscle)  # the newest session's wording
            row = cells.setdefault(k, [None] * len(ordered))
            row[i] = _merge(row[i], p)
    window = min(recent, len(ordered))
    rows = []
    for k, row_cells in cells.items():
        active = sum(c is not None and c.activity is TriggerPointActivity.ACTIVE
                     for c in row_cells[:window])
        rows.append(PointRow(k[0], names[k], k[1], tuple(row_cells), active, window,
                             active >= threshold))

    def order(r: PointRow) -> tuple:
        return (not r.flagged, -r.active_recent, -r.treated, r.muscle.casefold(), r.side.value)

    return Recurrence(ordered, tuple(sorted(rows, key=order)), recent, threshold)


def summary(row: PointRow, sessions: Sequence[SessionPoints]) -> str:
    """The record's line for one point: how often lately, how often in all, then each session
    it was treated, newest first."""
    said = (f"active in {row.active_recent} of the last {row.recent} session"
            f"{'s' * (row.recent != 1)}" + (" (recurring)" if row.flagged else "")
            + f"; treated in {row.treated} of {len(sessions)}")
    seen = [f"{s.day:%Y-%m-%d} {c.words}" for s, c in zip(sessions, row.cells, strict=True)
            if c is not None]
    return said + ": " + "; ".join(seen)
