"""A client's intake: the health history taken at the first visit and reviewed with the client
since (the CMTO asks for a review at least once a year). Therapist-only: never in a handout.

Structured where it is looked up (conditions from a short checklist, each medication with its
dose, each surgery or injury with its date) and in words where it is told (goals in the client's
own words). The app's form writes lists one item per line; `from_form` and `to_form` are the two
directions of that, so what is typed is what is shown back."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from notes_tui.domain.text import FieldError, clean_line, clean_multiline
from notes_tui.domain.values import parse_date

REVIEW_EVERY_DAYS = 365  # "reviewed at least yearly"

# The checklist: what a massage therapist must know before treating (each one changes what is
# safe: pressure, position, areas to avoid). Anything else goes in the conditions' own words.
CONDITIONS = {
    "high_blood_pressure": "High blood pressure",
    "heart_condition": "Heart condition",
    "blood_clots": "Blood clots or DVT",
    "blood_thinners": "Takes blood thinners",
    "diabetes": "Diabetes",
    "osteoporosis": "Osteoporosis",
    "cancer": "Cancer (now or in the past)",
    "pregnancy": "Pregnant",
    "epilepsy": "Epilepsy or seizures",
    "arthritis": "Arthritis",
    "numbness": "Numbness or tingling",
    "skin_condition": "Skin condition or open wounds",
    "headaches": "Frequent headaches or migraines",
    "fibromyalgia": "Fibromyalgia",
}

_DATED = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*[:,;-]?\s+(.+)$")
_DOSE_START = re.compile(r"\s(?=\d)")  # a dose begins at the first number: "Naprosyn 500 mg"


def _line(field: str, n: int = 200) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_line(field, v, max_length=n))


def _text(field: str, n: int = 5000) -> BeforeValidator:
    return BeforeValidator(lambda v: clean_multiline(field, v, max_length=n))


def _when(value: object) -> str:
    """A year, a month or a day: '2019', '2019-04', '2019-04-12' (or nothing)."""
    text = clean_line("when", value if isinstance(value, str) or value is None else str(value),
                      max_length=10)
    if not text:
        return ""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise FieldError("surgeries", f"{text!r}: write the date as YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise FieldError("surgeries", f"{text} is not a real date") from None
    return text


class Medication(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Annotated[str, _line("medications", 120)]
    dose: Annotated[str, _line("medications", 200)] = ""  # "500 mg twice daily"

    @property
    def text(self) -> str:
        return f"{self.name} {self.dose}".strip()


class PastEvent(BaseModel):
    """A surgery or an injury, with when it happened."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    what: Annotated[str, _line("surgeries", 300)]
    when: Annotated[str, BeforeValidator(_when)] = ""

    @property
    def text(self) -> str:
        return f"{self.when} {self.what}".strip()


class Intake(BaseModel):
    """Validated intake (the form, the import, the demo). Unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")
    conditions: list[str] = Field(default_factory=list, max_length=len(CONDITIONS))
    conditions_note: Annotated[str, _text("conditions note")] = ""  # other conditions, in words
    medications: list[Medication] = Field(default_factory=list, max_length=60)
    allergies: Annotated[str, _line("allergies", 500)] = ""
    surgeries: list[PastEvent] = Field(default_factory=list, max_length=60)
    providers: Annotated[str, _text("providers", 2000)] = ""  # GP and others, with contact
    emergency_contact: Annotated[str, _line("emergency contact", 300)] = ""
    occupation: Annotated[str, _line("occupation", 200)] = ""
    activities: Annotated[str, _line("activities", 500)] = ""
    goals: Annotated[str, _text("goals")] = ""  # the client's own words
    reviewed_on: Annotated[date | None, BeforeValidator(
        lambda v: parse_date(v, "reviewed on"))] = None

    @field_validator("conditions")
    @classmethod
    def _checklist(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CONDITIONS]
        if unknown:
            raise FieldError("conditions", f"{unknown[0][:40]!r} is not on the checklist")
        return [c for c in CONDITIONS if c in value]  # in the checklist's order, once each

    @property
    def is_empty(self) -> bool:
        return not any(v for k, v in self if k != "reviewed_on") and self.reviewed_on is None

    def condition_labels(self) -> list[str]:
        return [CONDITIONS[c] for c in self.conditions]

    def review_due(self, today: date) -> bool:
        """Never reviewed, or last reviewed more than a year ago."""
        return self.reviewed_on is None or today - self.reviewed_on > timedelta(
            days=REVIEW_EVERY_DAYS)

    def stored(self) -> dict:
        """The canonical form: defaults left out, so a field added later changes no digest."""
        return self.model_dump(mode="json", exclude_defaults=True)


def parse_intake(data: object) -> Intake:
    """`data` (a dict: the stored form, an import) as an Intake, or a FieldError naming the
    field."""
    if isinstance(data, Intake):
        return data
    if not isinstance(data, dict):
        raise FieldError("intake", "must be an object of intake fields")
    try:
        return Intake.model_validate(data)
    except FieldError:
        raise
    except ValidationError as exc:
        err = exc.errors()[0]
        where = str(err["loc"][0]) if err["loc"] else "intake"
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldError):
            raise ctx_error from None
        message = err["msg"].removeprefix("Value error, ")
        raise FieldError(where.replace("_", " "), message) from None


def _medication(line: str) -> Medication:
    parts = _DOSE_START.split(line, maxsplit=1)
    return Medication(name=parts[0].strip(), dose=parts[1].strip() if len(parts) > 1 else "")


def _event(line: str) -> PastEvent:
    m = _DATED.match(line)
    if m:
        return PastEvent(what=m.group(2), when=m.group(1))
    return PastEvent(what=line)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def from_form(values: dict[str, str]) -> Intake:
    """The intake form's text (lists one per line; conditions comma-separated ids) as an
    Intake: 'Naprosyn 500 mg twice daily' is the medication Naprosyn with its dose, and
    '2019-04 ACL repair, left knee' a surgery in April 2019."""
    try:
        data = {
            "conditions": [c for c in (values.get("conditions") or "").split(",") if c],
            "conditions_note": values.get("conditions_note", ""),
            "medications": [_medication(line) for line in _lines(values.get("medications", ""))],
            "allergies": values.get("allergies", ""),
            "surgeries": [_event(line) for line in _lines(values.get("surgeries", ""))],
            "providers": values.get("providers", ""),
            "emergency_contact": values.get("emergency_contact", ""),
            "occupation": values.get("occupation", ""),
            "activities": values.get("activities", ""),
            "goals": values.get("goals", ""),
            "reviewed_on": values.get("reviewed_on") or None,
        }
    except ValidationError as exc:  # a medication or an event line
        err = exc.errors()[0]
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldError):
            raise ctx_error from None
        raise FieldError("intake", err["msg"]) from None
    return parse_intake(data)


def to_form(intake: Intake | None) -> dict[str, str]:
    """The form's text of an intake (from_form's inverse)."""
    i = intake or Intake()
    return {
        "conditions": ",".join(i.conditions), "conditions_note": i.conditions_note,
        "medications": "\n".join(m.text for m in i.medications), "allergies": i.allergies,
        "surgeries": "\n".join(e.text for e in i.surgeries), "providers": i.providers,
        "emergency_contact": i.emergency_contact, "occupation": i.occupation,
        "activities": i.activities, "goals": i.goals,
        "reviewed_on": i.reviewed_on.isoformat() if i.reviewed_on else "",
    }


def record_lines(intake: Intake | None, today: date) -> tuple[tuple[str, str], ...]:
    """The clinical record's intake section, as (label, text) lines."""
    if intake is None or intake.is_empty:
        return (("Intake", "none recorded"),)
    reviewed = (f"{intake.reviewed_on:%Y-%m-%d}" if intake.reviewed_on else "never reviewed")
    if intake.review_due(today):
        reviewed += " (a review is due: at least once a year)"
    return (
        ("Conditions", "; ".join([*intake.condition_labels(), *filter(None, [
            intake.conditions_note])]) or "none recorded"),
        ("Medications", "\n".join(
            f"{m.name}: {m.dose}" if m.dose else m.name for m in intake.medications)
            or "none recorded"),
        ("Allergies", intake.allergies or "none recorded"),
        ("Surgeries and injuries", "\n".join(
            f"{e.when or 'date not recorded'}: {e.what}" for e in intake.surgeries)
            or "none recorded"),
        ("GP and other providers", intake.providers or "none recorded"),
        ("Emergency contact", intake.emergency_contact or "none recorded"),
        ("Occupation", intake.occupation or "not recorded"),
        ("Activities", intake.activities or "not recorded"),
        ("Goals (the client's words)", intake.goals or "not recorded"),
        ("Intake reviewed", reviewed),
    )


def searchable(intake: Intake | None) -> dict[str, str]:
    """The intake's text by filter: `med:` looks in the medications, `intake:` in all of it."""
    if intake is None:
        return {"med": "", "intake": ""}
    meds = " ".join(m.text for m in intake.medications)
    everything = " ".join([*intake.condition_labels(), intake.conditions_note, meds,
                           intake.allergies, *(e.text for e in intake.surgeries),
                           intake.providers, intake.emergency_contact, intake.occupation,
                           intake.activities, intake.goals])
    return {"med": meds, "intake": everything}
