"""Outcome measures: their definitions (templates/catalog/measures.toml, and the therapist's own
in the user catalog folder) and the scores a client gave, with the change between the first and
the latest time a measure was taken. Pure: TOML text and plain values in, plain values out.

A definition names its items (fixed, like the pain rating's "Pain now") or lets the client name
them (the Patient-Specific Functional Scale's activities), the range of each item, how the items
are scored (their mean or their sum), whether a higher score is better, and the change that
matters clinically (the minimal clinically important difference) when the source gives one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from notes_tui.domain.text import FieldError, clean_line
from notes_tui.domain.values import parse_date

SCORINGS = ("mean", "sum")
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


class MeasureError(Exception):
    """A measures file that cannot be used; one line naming the file, the entry and why."""


@dataclass(frozen=True)
class MeasureDef:
    id: str
    name: str
    short: str  # "PSFS"
    source: str
    licence: str
    low: float  # each item's range
    high: float
    higher_is_better: bool
    scoring: str  # "mean" | "sum"
    items: tuple[str, ...] = ()  # fixed items; empty: the client names them
    named_items: int = 0  # how many items the client may name (the PSFS: up to 5)
    anchors: str = ""  # what the ends of the range mean, as the form says it
    important_change: float | None = None  # the change that matters clinically (MCID)

    def score(self, scores: Sequence[float]) -> float:
        total = sum(scores)
        return round(total / len(scores), 2) if self.scoring == "mean" else round(total, 2)

    @property
    def range_text(self) -> str:
        return f"{_num(self.low)}-{_num(self.high)}"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _entry(path: Path, index: int, raw: object) -> MeasureDef:
    def fail(field: str, problem: str) -> MeasureError:
        name = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        return MeasureError(f"{path}: measure {name}: {field} {problem}")

    if not isinstance(raw, dict):
        raise fail("(entry)", "must be a table [[measure]]")
    known = {"id", "name", "short", "source", "licence", "min", "max", "higher_is_better",
             "scoring", "items", "named_items", "anchors", "important_change"}
    for key in raw:
        if key not in known:
            raise fail(key, "is not a measure field")
    mid = raw.get("id")
    if not isinstance(mid, str) or not _ID.fullmatch(mid):
        raise fail("id", "must be lower-case letters, digits and _ (psfs)")
    texts = {}
    for key in ("name", "short", "source", "licence", "anchors"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise fail(key, "must be text")
        if key in ("name", "source", "licence") and not value.strip():
            raise fail(key, "is required (name the source and the licence it is used under)")
        texts[key] = value.strip()
    low, high = raw.get("min", 0), raw.get("max")
    if isinstance(low, bool) or isinstance(high, bool) or not isinstance(low, int | float) \
            or not isinstance(high, int | float) or not low < high:
        raise fail("min/max", "must be numbers with min below max")
    better = raw.get("higher_is_better")
    if not isinstance(better, bool):
        raise fail("higher_is_better", "must be true or false")
    scoring = raw.get("scoring", "mean")
    if scoring not in SCORINGS:
        raise fail("scoring", f"must be one of {', '.join(SCORINGS)}")
    items = raw.get("items", [])
    named = raw.get("named_items", 0)
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise fail("items", "must be a list of item names")
    if isinstance(named, bool) or not isinstance(named, int) or not 0 <= named <= 20:
        raise fail("named_items", "must be a whole number from 0 to 20")
    if bool(items) == bool(named):
        raise fail("items", "give either the items or named_items (items the client names)")
    change = raw.get("important_change")
    if change is not None and (isinstance(change, bool) or not isinstance(change, int | float)
                               or change <= 0):
        raise fail("important_change", "must be a positive number")
    return MeasureDef(mid, texts["name"], texts["short"] or mid.upper(), texts["source"],
                      texts["licence"], float(low), float(high), better, scoring,
                      tuple(i.strip() for i in items), named, texts["anchors"],
                      float(change) if change is not None else None)


def parse_measures(path: Path, text: str) -> dict[str, MeasureDef]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MeasureError(f"{path}: not valid TOML ({exc})") from None
    entries = doc.get("measure", [])
    if not isinstance(entries, list):
        raise MeasureError(f"{path}: measure must be an array of tables [[measure]]")
    out: dict[str, MeasureDef] = {}
    for index, raw in enumerate(entries):
        m = _entry(path, index, raw)
        if m.id in out:
            raise MeasureError(f"{path}: measure {m.id}: id is used twice")
        out[m.id] = m
    return out


def load_measures(shipped: Path, user: Path | None = None) -> dict[str, MeasureDef]:
    """The shipped measures, then the therapist's own ([[measure]] tables in any TOML file of
    the user catalog folder; the same id replaces a shipped one)."""
    out = parse_measures(shipped, shipped.read_text(encoding="utf-8")) if shipped.is_file() else {}
    if user is not None and user.is_dir():
        for path in sorted(user.glob("*.toml")):
            text = path.read_text(encoding="utf-8")
            if "[[measure]]" in text:
                out.update(parse_measures(path, text))
    return out


# --- a client's scores --------------------------------------------------------------------------

def _label(value: object) -> str:
    return clean_line("measure item", value if isinstance(value, str) else str(value),
                      max_length=120)


class ItemScore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Annotated[str, BeforeValidator(_label)]
    score: float


class MeasureTaken(BaseModel):
    """One time a client answered a measure. The score is kept with the items (as it was worked
    out then), so a definition edited or removed later does not change what was recorded; it
    must be the items' mean or their sum (an import cannot carry a score its items do not
    give), and no item is named twice."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    measure: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    taken_on: Annotated[date, BeforeValidator(lambda v: parse_date(v, "taken on"))]
    items: list[ItemScore] = Field(min_length=1, max_length=20)
    score: float

    @model_validator(mode="after")
    def _consistent(self) -> MeasureTaken:
        scores = [i.score for i in self.items]
        if any(not 0 <= x <= 1000 for x in scores):
            raise ValueError("an item's score is out of any measure's range")
        labels = [i.label.casefold() for i in self.items]
        if len(set(labels)) != len(labels):
            raise ValueError("an item is named twice")
        if min(abs(self.score - round(sum(scores) / len(scores), 2)),
               abs(self.score - round(sum(scores), 2))) > 0.01:
            raise ValueError(f"the score {self.score:g} is neither the mean nor the sum of its "
                             "items")
        return self


_NUMBER = re.compile(r"\d{1,4}(?:[.,]\d{1,2})?")


def _number(text: str, label: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise FieldError("items", f"{label}: {text[:20]!r} is not a number")
    return float(text.replace(",", "."))


def taken_from_form(defn: MeasureDef, taken_on: str, items_text: str) -> MeasureTaken:
    """The form's lines ('Climbing stairs: 4', or a fixed item's 'Pain now: 6') as a measure
    taken, each score checked against the measure's range."""
    day = parse_date(taken_on.strip(), "taken on")
    if day is None:
        raise FieldError("taken on", "is required (the day the client answered)")
    items: list[ItemScore] = []
    for line in (items_text or "").splitlines():
        if not line.strip():
            continue
        label, sep, value = line.rpartition(":")
        if not sep or not label.strip():
            raise FieldError("items", f"{line.strip()[:60]!r}: write the item, a colon and "
                             f"its score ({defn.range_text})")
        if not value.strip():
            continue  # an item left blank was not asked
        score = _number(value.strip(), label.strip())
        if not defn.low <= score <= defn.high:
            raise FieldError("items", f"{label.strip()}: {_num(score)} is outside "
                             f"{defn.range_text}")
        if any(i.label.casefold() == label.strip().casefold() for i in items):
            raise FieldError("items", f"{label.strip()!r} is there twice: one score an item")
        items.append(ItemScore(label=label.strip(), score=score))
    if not items:
        raise FieldError("items", f"give at least one score ({defn.range_text})")
    if defn.named_items and len(items) > defn.named_items:
        raise FieldError("items", f"{defn.short} takes up to {defn.named_items} activities")
    if defn.items:
        unknown = [i.label for i in items if i.label not in defn.items]
        if unknown:
            raise FieldError("items", f"{unknown[0]!r} is not an item of {defn.short} "
                             f"({', '.join(defn.items)})")
    return MeasureTaken(measure=defn.id, taken_on=day, items=items,
                        score=defn.score([i.score for i in items]))


def form_items(defn: MeasureDef, last: MeasureTaken | None) -> str:
    """The items' lines to fill in: the fixed items, or the activities the client named last
    time (the PSFS asks about the same activities at each visit)."""
    labels = list(defn.items) or ([i.label for i in last.items] if last is not None else [])
    return "\n".join(f"{label}: " for label in labels)


@dataclass(frozen=True)
class Trend:
    measure: MeasureDef | None  # None: a definition no longer in the catalog
    measure_id: str
    taken: tuple[MeasureTaken, ...]  # oldest first

    @property
    def name(self) -> str:
        return self.measure.short if self.measure else self.measure_id

    @property
    def comparable(self) -> bool:
        """The first and the latest time asked the same items (the PSFS's same activities):
        only then is their difference a change."""
        if len(self.taken) < 2:
            return False
        first, last = ({i.label.casefold() for i in t.items} for t in (self.taken[0],
                                                                       self.taken[-1]))
        return first == last

    @property
    def change(self) -> float | None:
        if not self.comparable:
            return None
        return round(self.taken[-1].score - self.taken[0].score, 2)

    @property
    def better(self) -> bool | None:
        """The latest against the first: better, worse (False) or no change / too few (None)."""
        change = self.change
        if not change or self.measure is None:
            return None
        return (change > 0) == self.measure.higher_is_better

    def words(self) -> str:
        """'PSFS 3 (2026-10-01) → 6.3 (2026-11-12): +3.3, better (the change that matters is 2)'."""
        first, last = self.taken[0], self.taken[-1]
        if len(self.taken) == 1:
            return f"{self.name} {_num(first.score)} ({first.taken_on:%Y-%m-%d})"
        if not self.comparable:
            return (f"{self.name} {_num(first.score)} ({first.taken_on:%Y-%m-%d}), "
                    f"{_num(last.score)} ({last.taken_on:%Y-%m-%d}): not the same items, so "
                    "no change is worked out")
        change = self.change or 0.0
        said = "no change" if not change else f"{'+' if change > 0 else ''}{_num(change)}"
        if self.better is not None:  # a definition no longer in the catalog: the number only
            said += ", better" if self.better else ", worse"
        if change and self.measure is not None and self.measure.important_change:
            said += (" (a change that matters)" if abs(change) >= self.measure.important_change
                     else f" (less than the {_num(self.measure.important_change)} that matters)")
        return (f"{self.name} {_num(first.score)} ({first.taken_on:%Y-%m-%d}) → "
                f"{_num(last.score)} ({last.taken_on:%Y-%m-%d}): {said}")

    def plain(self) -> str:
        """For the client: 'Patient-Specific Functional Scale (out of 10, higher is better):
        from 3 on 6 October 2026 to 6.5 on 3 November 2026.'"""
        first, last = self.taken[0], self.taken[-1]
        name = self.measure.name if self.measure else self.measure_id
        scale = (f" (out of {_num(self.measure.high)}, higher is "
                 f"{'better' if self.measure.higher_is_better else 'worse'})"
                 if self.measure else "")
        return (f"{name}{scale}: from {_num(first.score)} on {_day(first.taken_on)} to "
                f"{_num(last.score)} on {_day(last.taken_on)}.")


def trends(taken: Iterable[MeasureTaken], defs: dict[str, MeasureDef]) -> list[Trend]:
    """Each measure the client has answered, its scores oldest first; in first-taken order."""
    by: dict[str, list[MeasureTaken]] = {}
    for t in sorted(taken, key=lambda t: t.taken_on):
        by.setdefault(t.measure, []).append(t)
    return [Trend(defs.get(mid), mid, tuple(ts)) for mid, ts in by.items()]
