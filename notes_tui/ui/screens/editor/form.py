"""The editor's fields <-> the note's content.

`fill` puts a loaded note into the fields without it counting as an edit. `read` turns what is
typed into a validated `NoteContent`: a field whose value is invalid gets a message next to it and
keeps its last valid value (so nothing invalid is ever saved, and everything else still is).

Follow-up fields a template filled arrive in `NoteContent.to_confirm`; their labels say so until
the therapist edits the field or confirms it (ctrl+o), and the finalize checklist lists the rest.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Input, Label, Select, TextArea

from notes_tui.ui.screens.editor.layout import (
    CONSENT_TEXTS,
    LINES,
    SINCE_HOME_CARE_KEYS,
    SINCE_RESPONSE_KEYS,
    TEXTS,
    WORK_TEXTS,
)
from notes_tui.ui.widgets.field_message import FieldMessage
from notes_tui.ui.widgets.inputs import parse_next_visit

PAIN_KEYS = ("pain_before", "pain_after")
NOT_RATED_BY_KEY = {"n": "not_asked", "d": "declined"}  # typed in a pain field
NOT_RATED_KEYS = {v: k for k, v in NOT_RATED_BY_KEY.items()}
NOT_RATED_WORDS = {"not_asked": "not asked", "declined": "declined to rate"}
SINCE_RESPONSE_LETTERS = {v: k for k, v in SINCE_RESPONSE_KEYS.items()}
SINCE_HOME_CARE_LETTERS = {v: k for k, v in SINCE_HOME_CARE_KEYS.items()}

# A `to_confirm` key -> the fields that hold it
CONFIRMABLE = {"advice": ("advice",), "what_to_expect": ("what_to_expect",),
               "when_to_contact": ("when_to_contact",),
               "next_visit": ("next_visit_days", "next_visit_date")}
CONFIRM_KEY = {field: key for key, fields in CONFIRMABLE.items() for field in fields}


class EditorForm:
    def __init__(self, screen) -> None:
        self.screen = screen
        self.base = None  # the last valid NoteContent
        self.session_date: date | None = None
        self.to_confirm: set[str] = set()
        self.refused: set[str] = set()  # fields showing "that key was refused"

    def field(self, key: str, kind=None):
        return self.screen.query_one(f"#f-{key}", kind)

    # --- content -> fields -------------------------------------------------------------------

    def fill(self, content, session_date: date) -> None:
        """The loaded note into the fields. Loading is not an edit: no Changed messages, so no
        save (and no "saving…" flicker) and no suggestion counted as confirmed."""
        self.base, self.session_date = content, session_date
        self.to_confirm = set(content.to_confirm)
        screen = self.screen
        with screen.prevent(TextArea.Changed, Input.Changed, Select.Changed):
            for key in TEXTS:
                self.field(key, TextArea).load_text(getattr(content, key))
            self.field("pain_locations", TextArea).load_text("\n".join(content.pain_locations))
            for key in LINES:
                value = getattr(content, key)
                self.field(key, Input).value = "" if value is None else str(value)
            for key in PAIN_KEYS:
                why = getattr(content, f"{key}_not_rated")
                if getattr(content, key) is None and why is not None:
                    self.field(key, Input).value = NOT_RATED_KEYS[why.value]
            self.field("technique", Select).value = content.technique.value
            for key in CONSENT_TEXTS + WORK_TEXTS:
                self.field(key, Input).value = getattr(content, key)
            response = content.since_response
            self.field("since_response", Input).value = \
                (SINCE_RESPONSE_LETTERS[response.value] + str(content.since_sore_days or "")
                 ) if response else ""
            done = content.since_home_care
            self.field("since_home_care", Input).value = \
                SINCE_HOME_CARE_LETTERS[done.value] if done else ""
            plan = content.consent_plan
            self.field("consent_plan", Select).value = \
                Select.NULL if plan is None else ("yes" if plan else "no")
            self.field("sensitive_consent", Select).value = \
                "yes" if content.sensitive_consent else "no"
        self.refresh_marks()

    # --- fields -> content -------------------------------------------------------------------

    def read(self, rows: dict[str, list]):
        """The note as typed, validated (UI thread), or None when it cannot be built."""
        from pydantic import ValidationError

        from notes_tui.domain.note import NoteContent
        from notes_tui.domain.text import FieldError

        base = self.base
        data = dict(base)
        messages: dict[str, str] = {}
        for key in TEXTS:
            data[key] = self.field(key, TextArea).text
        data["pain_locations"] = [line.strip() for line in
                                  self.field("pain_locations", TextArea).text.splitlines()
                                  if line.strip()]
        for key in ("pain_before", "pain_after", "duration_minutes"):
            data[key] = self.field(key, Input).value.strip() or None
        pain_said: dict[str, str] = {}
        for key in PAIN_KEYS:  # n or d: no number, and why
            typed = (data[key] or "").lower()
            why = NOT_RATED_BY_KEY.get(typed)
            data[f"{key}_not_rated"] = why
            if why is not None:
                data[key] = None
                pain_said[key] = NOT_RATED_WORDS[why]
        technique = self.field("technique", Select).value
        data["technique"] = base.technique if technique is Select.NULL else technique
        for key in CONSENT_TEXTS + WORK_TEXTS:
            data[key] = self.field(key, Input).value
        since_said = self._read_since(data)
        plan = self.field("consent_plan", Select).value
        data["consent_plan"] = None if plan is Select.NULL else plan == "yes"
        data["sensitive_consent"] = self.field("sensitive_consent", Select).value == "yes"
        for key, parse in (("next_visit_days", parse_next_visit),
                           ("next_visit_date", self._next_visit_date)):
            try:
                data[key] = parse(self.field(key, Input).value)
            except FieldError as exc:
                messages[key] = exc.message
                data[key] = getattr(base, key)
        data.update(rows)
        data["to_confirm"] = sorted(self.to_confirm)
        content = None
        for _ in range(len(data)):
            try:
                content = NoteContent.model_validate(data)
                break
            except ValidationError as exc:
                err = exc.errors()[0]
                key = str(err["loc"][0]) if err["loc"] else ""
                original = (err.get("ctx") or {}).get("error")
                messages[key] = original.message if isinstance(original, FieldError) else \
                    err["msg"].removeprefix("Value error, ")
                if key not in data:
                    break
                data[key] = getattr(base, key)
        self._show_messages(messages)
        for key, said in (pain_said | since_said).items():
            if key not in messages:
                self.screen.query_one(f"#m-{key}", FieldMessage).show(said, info=True)
        days = data.get("next_visit_days")
        if "next_visit_days" not in messages and days and self.session_date is not None:
            day = self.session_date + timedelta(days=days)  # "2w" typed: which day that is
            self.screen.query_one("#m-next_visit_days", FieldMessage).show(
                f"on {day:%a %d %b}", info=True)
        if content is not None:
            self.base = content
        return content

    def _read_since(self, data: dict) -> dict[str, str]:
        """The since-last-visit letters into `data`; returns the words each letter stands for
        (shown next to its field). "s3" is sore for three days."""
        from notes_tui.domain.enums import HomeCareDone, SinceResponse

        said: dict[str, str] = {}
        typed = self.field("since_response", Input).value.strip().lower()
        response = SINCE_RESPONSE_KEYS.get(typed[:1])
        data["since_response"] = response
        days = typed[1:] if response == "sore" else ""
        data["since_sore_days"] = int(days) if days and int(days) else None  # s0: just sore
        if response:
            said["since_response"] = SinceResponse(response).label + (
                f" for {int(days)} day{'s' * (int(days) != 1)}" if days and int(days) else "")
        letter = self.field("since_home_care", Input).value.strip().lower()
        done = SINCE_HOME_CARE_KEYS.get(letter)
        data["since_home_care"] = done
        if done:
            said["since_home_care"] = f"home care: {HomeCareDone(done).label}"
        return said

    def _next_visit_date(self, text: str) -> date | None:
        """YYYY-MM-DD, on or after the session and at most two years after it."""
        from notes_tui.domain.values import check_next_visit_date, parse_date

        return check_next_visit_date(parse_date(text.strip(), "next visit"), self.session_date)

    def _show_messages(self, messages: dict[str, str]) -> None:
        for m in self.screen.query(FieldMessage):
            if not (m.id or "").startswith("m-"):
                continue
            key = m.id.removeprefix("m-")
            if key in messages:
                m.show(messages[key])
            elif key not in self.refused:
                m.clear()

    # --- edits, refusals, suggestions to confirm ----------------------------------------------

    def edited(self, key: str) -> None:
        """The therapist changed field `key`: a refusal message goes, a suggestion is theirs."""
        if key in self.refused:
            self.refused.discard(key)
            self.screen.query_one(f"#m-{key}", FieldMessage).clear()
        confirm = CONFIRM_KEY.get(key)
        if confirm in self.to_confirm:
            self.to_confirm.discard(confirm)
            self.refresh_marks()

    def refused_key(self, key: str, hint: str) -> None:
        self.warn(key, f"Only {hint}.")

    def warn(self, key: str, message: str) -> None:
        """A message next to the field until its next edit (a refused key, a cut paste)."""
        self.refused.add(key)
        self.screen.query_one(f"#m-{key}", FieldMessage).show(message)

    def confirmable(self, field_key: str) -> bool:
        return CONFIRM_KEY.get(field_key) in self.to_confirm

    def confirm(self, field_key: str) -> bool:
        confirm = CONFIRM_KEY.get(field_key)
        if confirm not in self.to_confirm:
            return False
        self.to_confirm.discard(confirm)
        self.refresh_marks()
        return True

    def refresh_marks(self) -> None:
        """Suggested follow-up fields say "suggested, to confirm" until edited or confirmed."""
        key = self.screen.key_display("editor.confirm", "ctrl+o")
        for confirm, fields in CONFIRMABLE.items():
            pending = confirm in self.to_confirm
            for field in fields:
                self.screen.query_one(f"#l-{field}", Label).set_class(pending, "-to-confirm")
            note = f"Suggested (template or last time), to confirm: edit it, or press {key} in it."
            if confirm == "next_visit":
                mark = self.screen.query_one("#c-next_visit", FieldMessage)
                mark.show(note if pending else "")
            else:
                text = Text(TEXTS[confirm])
                if pending:
                    text.append(f" · to confirm (edit it, or {key})")
                self.screen.query_one(f"#l-{confirm}", Label).update(text)
