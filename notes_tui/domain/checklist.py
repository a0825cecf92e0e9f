"""The finalize checklist: what a note must have before it becomes a locked clinical record."""

from __future__ import annotations

from dataclasses import dataclass

from notes_tui.domain.note import NoteContent

_CONFIRM_LABELS = {"advice": "Advice", "what_to_expect": "What to expect",
                   "when_to_contact": "When to get in touch", "next_visit": "Next visit"}


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # the field or step the editor jumps to
    step: int  # 1 Assessment .. 5 Review
    message: str
    blocking: bool = True


def finalize_checklist(content: NoteContent, *, consent_on_file: bool,
                       therapist_named: bool = True) -> list[ChecklistItem]:
    """What is missing. Blocking items refuse finalize; the rest are warnings.

    `therapist_named`: the settings give the therapist's name; without it the record is signed
    "therapist", which a record that must say who treated the client should not be."""
    items: list[ChecklistItem] = []
    if content.pain_before is None and content.pain_before_not_rated is None:
        items.append(ChecklistItem("pain_before", 1, "Pain before: a score 0-10 (or n: not asked, d: declined)"))
    if not content.has_assessment_finding():
        items.append(ChecklistItem(
            "posture", 1, "No assessment finding (posture, range of motion, muscles or trigger points)"))
    if content.duration_minutes is None:
        items.append(ChecklistItem("duration_minutes", 1, "Session duration is not recorded"))
    if content.pain_after is None and content.pain_after_not_rated is None:
        items.append(ChecklistItem("pain_after", 4, "Pain after: a score 0-10 (or n: not asked, d: declined)"))
    if not (content.advice.strip() or content.home_care):
        items.append(ChecklistItem("advice", 4, "No advice or home care given"))
    unconfirmed_tp = sum(1 for tp in content.trigger_points if not tp.confirmed)
    if unconfirmed_tp:
        items.append(ChecklistItem(
            "trigger_points", 2, f"{unconfirmed_tp} trigger point(s) to confirm (suggested, or cautioned: y)"))
    unconfirmed_work = sum(1 for w in content.work if not w.confirmed)
    if unconfirmed_work:
        items.append(ChecklistItem(
            "work", 2, f"{unconfirmed_work} row(s) of work to confirm (last time's, or cautioned: y)"))
    unconfirmed_hc = sum(1 for hc in content.home_care if not hc.confirmed)
    if unconfirmed_hc:
        items.append(ChecklistItem(
            "home_care", 4, f"{unconfirmed_hc} suggested home-care item(s) not yet confirmed"))
    unconfirmed_cues = sum(1 for cue in content.cues if not cue.confirmed)
    if unconfirmed_cues:
        items.append(ChecklistItem(
            "cues", 3, f"{unconfirmed_cues} suggested movement cue(s) not yet confirmed"))
    for key in content.to_confirm:
        items.append(ChecklistItem(key, 4, f"{_CONFIRM_LABELS[key]} (suggested) not yet confirmed"))
    if content.sensitive_areas.strip() and not content.sensitive_consent:
        items.append(ChecklistItem(
            "sensitive_areas", 1, f"Sensitive areas treated ({content.sensitive_areas.strip()}) "
            "need this session's written consent"))
    if content.consent_plan is None:
        items.append(ChecklistItem(
            "consent_plan", 1, "The client's consent to today's plan is not recorded",
            blocking=False))
    elif content.consent_plan is False:
        items.append(ChecklistItem(
            "consent_plan", 1, "The client did not consent to today's plan: say what was done "
            "instead in the therapist summary", blocking=False))
    if not consent_on_file:
        items.append(ChecklistItem(
            "consent", 1, "No consent on file for this client", blocking=False))
    if not therapist_named:
        items.append(ChecklistItem(
            "therapist", 5, "Your name is not set; the note is signed \"therapist\" (Enter: set it)",
            blocking=False))
    return items
