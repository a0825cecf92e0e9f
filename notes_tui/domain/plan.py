"""A client's plan of care: the goals (short and long term, each with how it is measured, the
target and where it stands), how often and how many sessions ("weekly x 6"), the modalities
and regions planned, the day to re-assess; and the discharge that ends it (summary, where the
goals ended, why, what the client should do next). Pure: plain values in and out.

A client keeps every plan they had: the newest one not discharged is the current plan."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from notes_tui.domain.text import FieldError, clean_line, clean_multiline
from notes_tui.domain.values import parse_date

GOALS_ON_FORM = 4


class GoalStatus(StrEnum):
    NOT_YET = "not yet"
    PARTLY = "partly"
    MET = "met"


class GoalTerm(StrEnum):
    SHORT = "short"
    LONG = "long"


class DischargeStatus(StrEnum):
    MET = "goals met"
    PARTLY = "goals partly met"
    NOT_MET = "goals not met"


# how often: the days between sessions, as the form offers them
FREQUENCIES = {"weekly": 7, "every 2 weeks": 14, "every 3 weeks": 21, "every 4 weeks": 28,
               "twice a week": 3}


def frequency_label(days: int) -> str:
    return next((k for k, v in FREQUENCIES.items() if v == days), f"every {days} days")


def _line(field: str, n: int = 300) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_line(field, v, max_length=n))


def _text(field: str, n: int = 5000) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_multiline(field, v, max_length=n))


def _day(field: str) -> BeforeValidator:
    return BeforeValidator(lambda v: parse_date(v, field))


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Annotated[str, _line("goal")]  # "Sit through a work meeting without pain"
    term: GoalTerm = GoalTerm.SHORT
    measure: Annotated[str, _line("measure", 120)] = ""  # "PSFS: sitting", "pain 0-10"
    target: Annotated[str, _line("target", 120)] = ""  # "7 or more", "below 3"
    status: GoalStatus = GoalStatus.NOT_YET
    changed_on: date | None = None  # the day its status last moved (None: never moved)

    @property
    def said(self) -> str:
        how = " ".join(x for x in (self.measure, self.target and f"target {self.target}") if x)
        return f"{self.text}" + (f" ({how})" if how else "")


class Discharge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    on: Annotated[date, _day("discharged on")]
    status: DischargeStatus
    reason: Annotated[str, _line("reason")] = ""  # "goals met", "moved away"
    summary: Annotated[str, _text("summary")] = ""
    recommendations: Annotated[str, _text("recommendations")] = ""


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    started_on: Annotated[date, _day("started on")]
    goals: list[Goal] = Field(default_factory=list, max_length=20)
    frequency_days: Annotated[int | None, Field(ge=1, le=366)] = None
    sessions: Annotated[int | None, Field(ge=1, le=200)] = None
    modalities: Annotated[str, _line("modalities")] = ""  # "NMT, trigger point release"
    regions: Annotated[str, _line("regions")] = ""  # "low back, hips"
    reassess_on: Annotated[date | None, _day("reassess on")] = None
    discharge: Discharge | None = None

    @property
    def current(self) -> bool:
        return self.discharge is None

    @property
    def cadence(self) -> str:
        """'weekly x 6', 'every 2 weeks', '6 sessions', ''."""
        often = frequency_label(self.frequency_days) if self.frequency_days else ""
        if self.sessions:
            return f"{often} x {self.sessions}" if often else f"{self.sessions} sessions"
        return often

    def reassess_due(self, today: date) -> bool:
        return self.current and self.reassess_on is not None and self.reassess_on <= today

    def stored(self) -> dict:
        return self.model_dump(mode="json", exclude_defaults=True)


def _error(exc: ValidationError) -> FieldError:
    err = exc.errors()[0]
    ctx_error = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_error, FieldError):
        return ctx_error
    loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
    field = loc[-1].replace("_", " ") if loc else "plan"
    return FieldError(field, err["msg"].removeprefix("Value error, "))


def parse_plan(data: object) -> Plan:
    if isinstance(data, Plan):
        return data
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise _error(exc) from None


def with_moves(old: Plan | None, new: Plan, today: date) -> Plan:
    """`new` with each goal's `changed_on`: today for a goal whose status moved from `old` (a
    goal matched by its words), the old day for one that did not, none for a new goal still
    'not yet'."""
    before = {g.text.casefold(): g for g in (old.goals if old else [])}
    goals = []
    for g in new.goals:
        was = before.get(g.text.casefold())
        if was is None:
            moved = today if g.status is not GoalStatus.NOT_YET else None
        else:
            moved = today if g.status is not was.status else was.changed_on
        goals.append(g.model_copy(update={"changed_on": moved}))
    return new.model_copy(update={"goals": goals})


def moved_since(plan: Plan | None, day: date | None) -> list[Goal]:
    """The current plan's goals whose status moved after `day` (the last session before this
    one; None: every goal that ever moved)."""
    if plan is None:
        return []
    return [g for g in plan.goals if g.changed_on is not None
            and (day is None or g.changed_on > day)]


def current_plan(plans: list[Plan]) -> Plan | None:
    return plans[-1] if plans and plans[-1].current else None


def _number(values: dict[str, str], key: str, field: str) -> int | None:
    text = (values.get(key) or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise FieldError(field, f"{text[:20]!r} is not a whole number")
    return int(text)


def plan_from_form(values: dict[str, str], *, started_on: date) -> Plan:
    """The plan form's fields (goal1_text, goal1_term, goal1_measure, goal1_target,
    goal1_status ... started_on, frequency, sessions, modalities, regions, reassess_on) as a
    Plan; a goal row left blank is no goal; no start day given: `started_on`."""
    goals = []
    for i in range(1, GOALS_ON_FORM + 1):
        text = (values.get(f"goal{i}_text") or "").strip()
        if not text:
            if any((values.get(f"goal{i}_{k}") or "").strip() for k in ("measure", "target")):
                raise FieldError(f"goal{i}_text", "is required when the goal has a measure "
                                 "or a target")
            continue
        try:
            goals.append(Goal.model_validate({
                "text": text, "term": values.get(f"goal{i}_term") or "short",
                "measure": values.get(f"goal{i}_measure", ""),
                "target": values.get(f"goal{i}_target", ""),
                "status": values.get(f"goal{i}_status") or "not yet"}))
        except ValidationError as exc:
            err = _error(exc)
            part = {"goal": "text"}.get(err.field, err.field.split()[-1])
            raise FieldError(f"goal{i}_{part}", err.message) from None
    frequency = (values.get("frequency") or "").strip()
    if frequency and frequency not in FREQUENCIES:
        raise FieldError("frequency", f"{frequency!r} is not one of {', '.join(FREQUENCIES)}")
    return parse_plan({
        "started_on": values.get("started_on") or started_on, "goals": goals,
        "frequency_days": FREQUENCIES.get(frequency),
        "sessions": _number(values, "sessions", "sessions"),
        "modalities": values.get("modalities", ""), "regions": values.get("regions", ""),
        "reassess_on": values.get("reassess_on") or None})


def plan_to_form(plan: Plan | None) -> dict[str, str]:
    out: dict[str, str] = {}
    goals = plan.goals if plan else []
    for i in range(1, GOALS_ON_FORM + 1):
        g = goals[i - 1] if i <= len(goals) else None
        out |= {f"goal{i}_text": g.text if g else "", f"goal{i}_term": g.term.value if g else
                "short", f"goal{i}_measure": g.measure if g else "",
                f"goal{i}_target": g.target if g else "",
                f"goal{i}_status": g.status.value if g else "not yet"}
    out |= {"started_on": plan.started_on.isoformat() if plan else "",
            "frequency": frequency_label(plan.frequency_days)
            if plan and plan.frequency_days else "",
            "sessions": str(plan.sessions) if plan and plan.sessions else "",
            "modalities": plan.modalities if plan else "", "regions": plan.regions if plan else "",
            "reassess_on": plan.reassess_on.isoformat() if plan and plan.reassess_on else ""}
    return out


def discharge_from_form(values: dict[str, str]) -> Discharge:
    try:
        return Discharge.model_validate({k: values.get(k, "") for k in (
            "on", "status", "reason", "summary", "recommendations")} | {
            "status": values.get("status") or ""})
    except ValidationError as exc:
        err = _error(exc)
        if err.field == "status":
            raise FieldError("status", "choose where the goals ended") from None
        raise err from None


def plan_lines(plans: list[Plan], sessions_since: dict[date, int], today: date
               ) -> tuple[tuple[str, str], ...]:
    """The clinical record's plan of care: every plan, newest first, with its goals and its
    discharge. `sessions_since[started_on]`: how many sessions the client had from that day."""
    if not plans:
        return (("Plan of care", "none recorded"),)
    out: list[tuple[str, str]] = []
    for p in reversed(plans):
        head = f"since {p.started_on:%Y-%m-%d}"
        if p.cadence:
            head += f", {p.cadence}"
        done = sessions_since.get(p.started_on)
        if done is not None and p.current:
            head += f"; {done} session{'s' * (done != 1)} since it started"
        if p.reassess_on:
            head += f"; re-assess {p.reassess_on:%Y-%m-%d}" + (
                " (due)" if p.reassess_due(today) else "")
        out.append(("Plan" + (" (current)" if p.current else ""), head))
        if p.modalities or p.regions:
            out.append(("Planned work", "; ".join(x for x in (p.modalities, p.regions) if x)))
        for g in p.goals:
            out.append((f"{g.term.value.capitalize()}-term goal", f"{g.said}: {g.status.value}"))
        if p.discharge:
            d = p.discharge
            out.append(("Discharged", f"{d.on:%Y-%m-%d}, {d.status.value}"
                        + (f"; {d.reason}" if d.reason else "")))
            if d.summary:
                out.append(("Discharge summary", d.summary))
            if d.recommendations:
                out.append(("Recommendations", d.recommendations))
    return tuple(out)


def next_by_plan(plan: Plan | None, last_visit: date) -> date | None:
    """The next visit the plan's frequency sets after the last visit (None: no current plan,
    or none with a frequency)."""
    if plan is None or not plan.frequency_days:
        return None
    return last_visit + timedelta(days=plan.frequency_days)
