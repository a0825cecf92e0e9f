"""The plan of care (from a client's screen, p) and its discharge (d).

The plan form: up to four goals, each on two lines (the goal; then short or long term, how it is
measured, the target and where it stands), how often and how many sessions, the modalities and
regions planned, the day to re-assess. Saving replaces the current plan (it keeps the day it
started); after a discharge, p starts a new plan. The discharge form ends the current plan."""

from __future__ import annotations

from notes_tui.ui.dialogs import FieldSpec, FormDialog

TERMS = (("Short term", "short"), ("Long term", "long"))
STATUSES = (("Not yet", "not yet"), ("Partly", "partly"), ("Met", "met"))
DISCHARGE = (("Goals met", "goals met"), ("Goals partly met", "goals partly met"),
             ("Goals not met", "goals not met"))


def plan_dialog(client_id: int, form: dict[str, str], *, new: bool, goals: int,
                frequencies: tuple[str, ...], today: str) -> FormDialog:
    specs = []
    for i in range(1, goals + 1):
        specs += [
            FieldSpec(f"goal{i}_text", f"Goal {i} (in words the client would use)",
                      form.get(f"goal{i}_text", ""), max_length=300),
            FieldSpec(f"goal{i}_term", "Term", form.get(f"goal{i}_term", "short"),
                      choices=TERMS, row=f"g{i}"),
            FieldSpec(f"goal{i}_measure", "Measured by", form.get(f"goal{i}_measure", ""),
                      max_length=120, row=f"g{i}", placeholder="PSFS: sitting"),
            FieldSpec(f"goal{i}_target", "Target", form.get(f"goal{i}_target", ""),
                      max_length=120, row=f"g{i}", placeholder="7 or more"),
            FieldSpec(f"goal{i}_status", "Status", form.get(f"goal{i}_status", "not yet"),
                      choices=STATUSES, row=f"g{i}"),
        ]
    specs += [
        FieldSpec("started_on", "Started on", form.get("started_on") or today, max_length=10,
                  restrict=r"[0-9-]*", row="start"),
        FieldSpec("frequency", "How often", form.get("frequency", ""),
                  choices=tuple((f.capitalize(), f) for f in frequencies), row="start"),
        FieldSpec("sessions", "Sessions", form.get("sessions", ""), max_length=3,
                  restrict=r"[0-9]*", row="start"),
        FieldSpec("reassess_on", "Re-assess on", form.get("reassess_on", ""), max_length=10,
                  restrict=r"[0-9-]*", row="start", placeholder="YYYY-MM-DD"),
        FieldSpec("modalities", "Modalities planned", form.get("modalities", ""),
                  max_length=300, placeholder="NMT, trigger point release, stretching"),
        FieldSpec("regions", "Regions planned", form.get("regions", ""), max_length=300,
                  placeholder="low back, hips"),
    ]

    def save(services, data: dict) -> int:
        return services.clients.set_plan(client_id, data, new=new).id

    return FormDialog("New plan of care" if new else "Plan of care", specs, save=save)


def discharge_dialog(client_id: int, *, today: str) -> FormDialog:
    specs = [
        FieldSpec("on", "Discharged on (YYYY-MM-DD)", today, max_length=10, restrict=r"[0-9-]*",
                  row="d"),
        FieldSpec("status", "Where the goals ended", "", choices=DISCHARGE, row="d"),
        FieldSpec("reason", "Reason", "", max_length=300,
                  placeholder="goals met; moved away; referred on"),
        FieldSpec("summary", "Summary of the course of care", "", multiline=True,
                  max_length=5000),
        FieldSpec("recommendations", "Recommendations (home care, when to come back)", "",
                  multiline=True, max_length=5000),
    ]

    def save(services, data: dict) -> int:
        return services.clients.discharge(client_id, data).id

    return FormDialog("Discharge: end the plan of care", specs, save=save)
