"""The intake dialog (from a client's screen, i): conditions from a checklist (space ticks),
medications one per line with their doses, surgeries and injuries one per line with the date
first, providers, emergency contact, occupation, activities, the client's goals in their own
words, and the day it was reviewed with the client. Saved by the clients service in a worker;
a problem is shown under its field and nothing is saved."""

from __future__ import annotations

from datetime import date

from notes_tui.ui.dialogs import FieldSpec, FormDialog

# key, label, multi-line, max length (the domain's limits: domain/intake.py)
INTAKE_FIELDS = (
    ("conditions_note", "Other conditions, in words", True, 5000),
    ("medications", "Medications with dose, one a line (Naprosyn 500 mg twice daily)",
     True, 12_000),
    ("allergies", "Allergies", False, 500),
    ("surgeries", "Surgeries, injuries: date first, one a line (2019-04 ACL repair)",
     True, 12_000),
    ("providers", "GP and other providers (name, role, phone)", True, 2000),
    ("emergency_contact", "Emergency contact", False, 300),
    ("occupation", "Occupation", False, 200),
    ("activities", "Activities (sport, hobbies, exercise)", False, 500),
    ("goals", "The client's goals, in their own words", True, 5000),
    ("reviewed_on", "Reviewed with the client on (YYYY-MM-DD)", False, 10),
)
_ROWS = {"emergency_contact": "contact", "occupation": "contact"}


def intake_dialog(client_id: int, form: dict[str, str], *, today: date,
                  conditions: dict[str, str]) -> FormDialog:
    """`form`: the intake's current text (domain/intake.py to_form). A new intake is dated
    today; a review keeps its date until the therapist sets it, so fixing a typo does not
    count as going over the intake with the client."""
    from notes_tui.domain.intake import CONDITIONS

    values = dict(form)
    new = not any(values.values())
    if new:
        values["reviewed_on"] = today.isoformat()
    specs = [FieldSpec("conditions", "Conditions (space ticks; Tab moves on)",
                       values.get("conditions", ""), checks=[(label, key) for key, label in
                                                             (conditions or CONDITIONS).items()])]
    specs += [FieldSpec(key, label, values.get(key, ""), multiline=multi, max_length=n,
                        row=_ROWS.get(key, ""),
                        restrict=r"[0-9-]*" if key == "reviewed_on" else None,
                        placeholder="YYYY-MM-DD" if key == "reviewed_on" else "")
              for key, label, multi, n in INTAKE_FIELDS]

    def save(services, data: dict) -> int:
        return services.clients.set_intake(client_id, data).id

    return FormDialog("Intake (therapist only: never on a handout)" if new else
                      "Intake: set the review date when you go over it with the client",
                      specs, save=save)
