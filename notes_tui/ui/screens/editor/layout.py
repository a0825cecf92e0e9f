"""Where each field of the note is: the five steps as widgets, and the names the rest of the
editor uses to find them (`#f-<field>` for a field, `#m-<field>` for its message, `#l-<field>`
for its label, `#t-<kind>` for a table of rows, `#h-<kind>` for the keys under a table)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Select, Static, TextArea

from notes_tui.ui.widgets.field_message import FieldMessage
from notes_tui.ui.widgets.inputs import CheckedInput, LineInput, pain_input
from notes_tui.ui.widgets.row_table import RowTable

STEPS = ("Assessment", "Treatment", "Movement cues", "Follow-up", "Review")
SHORT_STEPS = ("Assess", "Treat", "Cues", "Follow-up", "Review")  # below 100 columns
TEXTS = {"since_health": "New health changes (medication, injury, ...)", "complaint": "Complaint", "therapist_summary": "Therapist summary",
         "client_summary": "Summary for the client", "advice": "Advice",
         "what_to_expect": "What to expect", "when_to_contact": "When to get in touch",
         "referral": "Referral (to whom, and why)"}
LIST_TEXTS = {"pain_locations": "Where it hurts (one place per line)"}
LINES = ("pain_before", "pain_after", "duration_minutes", "next_visit_days", "next_visit_date")
ROWS = {"posture": 1, "rom": 1, "muscles": 1, "work": 2, "trigger_points": 2, "cues": 3,
        "home_care": 4}
ROW_TITLES = {"posture": "Posture", "rom": "Range of motion", "muscles": "Muscles found off",
              "work": "Work done (region, modality, minutes)",
              "trigger_points": "Treated trigger points", "cues": "Movement cues",
              "home_care": "Home care"}
# Since the last visit, one key each (as a pain field's n and d): the letter -> the value
SINCE_RESPONSE_KEYS = {"a": "better_at_once", "d": "better_after", "s": "sore",
                       "n": "no_change", "w": "worse"}
SINCE_HOME_CARE_KEYS = {"y": "yes", "p": "partly", "n": "no"}
# one letter, or s and the days sore (1-60, what the domain accepts): "s61" cannot be typed
SINCE_RESPONSE_RESTRICT = r"([adnwADNW]|[sS]([1-9]|[1-5][0-9]|60)?)?"
# one line at 80 columns: the follow-up's complaint stays above the fold
SINCE_HINT = "a better at once · d in 1-2 days · s3 sore 3 days · n no change · w worse"
WORK_TEXTS = ("positioning", "areas_avoided")
CONSENT_CHOICES = [("yes", "yes"), ("no", "no")]  # blank: not recorded
YES_NO = [("no", "no"), ("yes", "yes")]
CONSENT_TEXTS = ("consent_limits", "sensitive_areas", "draping")
FIRST_FOCUS = {1: "#f-complaint", 2: "#t-trigger_points", 3: "#t-cues", 4: "#f-pain_after",
               5: "#checklist"}
# A finalize-checklist key -> (step, the widget to focus)
JUMP = {"complaint": (1, "#f-complaint"), "pain_before": (1, "#f-pain_before"),
        "duration_minutes": (1, "#f-duration_minutes"), "technique": (1, "#f-technique"),
        "pain_locations": (1, "#f-pain_locations"), "posture": (1, "#t-posture"),
        "consent_plan": (1, "#f-consent_plan"), "sensitive_areas": (1, "#f-sensitive_areas"),
        "rom": (1, "#t-rom"), "muscles": (1, "#t-muscles"),
        "since_response": (1, "#f-since_response"),
        "since_sore_days": (1, "#f-since_response"), "work": (2, "#t-work"),
        "trigger_points": (2, "#t-trigger_points"), "cues": (3, "#t-cues"),
        "pain_after": (4, "#f-pain_after"), "next_visit": (4, "#f-next_visit_days"),
        "home_care": (4, "#t-home_care"), "advice": (4, "#f-advice"),
        "what_to_expect": (4, "#f-what_to_expect"),
        "when_to_contact": (4, "#f-when_to_contact"), "referral": (4, "#f-referral")}


def technique_choices() -> list[tuple[str, str]]:
    from notes_tui.domain.enums import SessionTechnique

    return [(t.label, t.value) for t in SessionTechnique]


def steps() -> ComposeResult:
    """The five steps, each a VerticalScroll inside the editor's ContentSwitcher."""
    with VerticalScroll(id="step-1", classes="step"):
        yield Static("", id="when", classes="hint", markup=False)
        with Vertical(id="since"):
            yield Label("Since the last visit", id="l-since", classes="field-label")
            yield Static(SINCE_HINT, id="h-since", classes="hint", markup=False)
            with Horizontal(classes="pair"):
                yield from _line("since_response", "Response", CheckedInput(
                    id="f-since_response", restrict=SINCE_RESPONSE_RESTRICT,
                    max_length=3, hint="a, d, s (s3: sore for 3 days, up to 60), n or w",
                    placeholder="a d s n w", classes="medium"), "-response")
                yield from _line("since_home_care", "Home care done: y yes · p partly · n no",
                                 CheckedInput(
                                     id="f-since_home_care", restrict=r"[ypnYPN]?",
                                     max_length=1, hint="y, p or n", placeholder="y p n",
                                     classes="short"))
            yield from _text("since_health", classes="text one-line")
        yield from _text("complaint")
        with Horizontal(classes="pair"):
            yield from _line("pain_before", "Pain before", pain_input("f-pain_before"), "-short")
            yield from _line("duration_minutes", "Minutes", CheckedInput(
                id="f-duration_minutes", restrict=r"[0-9]{0,3}", max_length=3,
                hint="minutes, a whole number", classes="short"), "-short")
            yield from _line("technique", "Technique", Select(
                technique_choices(), id="f-technique", allow_blank=False))
        yield from _text("pain_locations", LIST_TEXTS["pain_locations"], classes="text list")
        for kind in ("posture", "rom", "muscles"):
            yield from _rows(kind)
        yield from _text("therapist_summary")
        yield from _text("client_summary")
        yield Label("Consent for this session", id="l-consent", classes="field-label")
        with Horizontal(classes="pair"):
            yield from _line("consent_plan", "Agreed to the plan", Select(
                CONSENT_CHOICES, id="f-consent_plan", allow_blank=True,
                prompt="not recorded"), "-medium")
            yield from _line("consent_limits", "Limits (what not to do)", LineInput(
                id="f-consent_limits", max_length=200, placeholder="e.g. no abdominal work"))
        with Horizontal(classes="pair"):
            yield from _line("sensitive_areas", "Sensitive areas treated", LineInput(
                id="f-sensitive_areas", max_length=200, placeholder="none"))
            yield from _line("sensitive_consent", "Written consent", Select(
                YES_NO, id="f-sensitive_consent", allow_blank=False, value="no"), "-medium")
            yield from _line("draping", "Draping", LineInput(
                id="f-draping", max_length=200, placeholder="e.g. standard"))
    with VerticalScroll(id="step-2", classes="step"):
        yield from _rows("trigger_points")
        yield from _rows("work")
        with Horizontal(classes="pair"):
            yield from _line("positioning", "Positioning", LineInput(
                id="f-positioning", max_length=200, placeholder="e.g. prone, then supine"))
            yield from _line("areas_avoided", "Areas avoided", LineInput(
                id="f-areas_avoided", max_length=200, placeholder="none"))
    with VerticalScroll(id="step-3", classes="step"):
        yield from _rows("cues")
    with VerticalScroll(id="step-4", classes="step"):
        # the plan of care's goals, where they stand (p on the client's screen moves them)
        yield Static("", id="plan-goals", classes="hint", markup=False)
        with Horizontal(classes="pair"):
            yield from _line("pain_after", "Pain after", pain_input("f-pain_after"), "-short")
            yield from _line("next_visit_days", "Next visit in", CheckedInput(
                id="f-next_visit_days", restrict=r"[0-9]{0,3}[dDwW]?", max_length=4,
                hint="days (14) or weeks (2w)", placeholder="14 days or 2w", classes="medium"),
                "-medium")
            yield from _line("next_visit_date", "or on (date)", CheckedInput(
                id="f-next_visit_date", restrict=r"[0-9-]{0,10}", max_length=10,
                hint="a date written YYYY-MM-DD", placeholder="YYYY-MM-DD", classes="date"))
        yield FieldMessage(id="c-next_visit", classes="confirm-note")
        yield from _rows("home_care")
        for key in ("advice", "what_to_expect", "when_to_contact", "referral"):
            yield from _text(key)
    with VerticalScroll(id="step-5", classes="step"):
        yield Label("Before you finalize", id="checklist-label", classes="field-label")
        yield OptionList(id="checklist")
        yield Button("Finalize (f)", id="finalize", variant="primary")
        yield Label("The note as the client will read it", classes="field-label")
        yield Static("", id="review-text", markup=False)


def _text(key: str, label: str | None = None, classes: str = "text"):
    yield Label(label or TEXTS[key], id=f"l-{key}", classes="field-label", markup=False)
    yield TextArea(id=f"f-{key}", soft_wrap=True, tab_behavior="focus", classes=classes)
    yield FieldMessage(id=f"m-{key}")


def _line(key: str, label: str, widget, width: str = ""):
    with Vertical(classes=f"line {width}".strip()):
        yield Label(label, id=f"l-{key}", classes="field-label", markup=False)
        yield widget
        yield FieldMessage(id=f"m-{key}")


def _rows(kind: str):
    yield Label(ROW_TITLES[kind], id=f"l-{kind}", classes="field-label", markup=False)
    yield RowTable(kind, id=f"t-{kind}")
    yield Static("", id=f"h-{kind}", classes="hint", markup=False)
