"""The note editor: the session in five steps, saved as you type.

Every edit reaches the draft within a second (`Autosaver`: debounce 0.5 s, max-wait 1 s, in a
worker thread), and at once on a step change, when another screen opens, on quit and on a signal.
Bad input gets a message next to its field and the rest of the note is still saved: an invalid
value falls back to the last valid one until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    ContentSwitcher,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from notes_tui.ui import resume
from notes_tui.ui.autosave import Autosaver
from notes_tui.ui.background import in_thread
from notes_tui.ui.guard import guarded
from notes_tui.ui.screens import editor_rows as rowlib
from notes_tui.ui.text import plain
from notes_tui.ui.widgets.field_message import FieldMessage
from notes_tui.ui.widgets.inputs import CheckedInput, pain_input, parse_next_visit
from notes_tui.ui.widgets.row_table import RowTable

STEPS = ("Assessment", "Trigger points", "Movement cues", "Follow-up", "Review")
TEXTS = {"complaint": "Complaint", "therapist_summary": "Therapist summary",
         "client_summary": "Summary for the client", "advice": "Advice",
         "what_to_expect": "What to expect", "when_to_contact": "When to get in touch"}
ROWS = {"posture": 1, "rom": 1, "muscles": 1, "trigger_points": 2, "cues": 3, "home_care": 4}
ROW_TITLES = {"posture": "Posture", "rom": "Range of motion", "muscles": "Muscles found off",
              "trigger_points": "Treated trigger points", "cues": "Movement cues",
              "home_care": "Home care"}
JUMP = {"pain_before": (1, "#f-pain_before"), "duration_minutes": (1, "#f-duration_minutes"),
        "posture": (1, "#t-posture"), "trigger_points": (2, "#t-trigger_points"),
        "pain_after": (4, "#f-pain_after"), "advice": (4, "#f-advice"),
        "home_care": (4, "#t-home_care"), "complaint": (1, "#f-complaint")}
FIRST_FOCUS = {1: "#f-complaint", 2: "#t-trigger_points", 3: "#t-cues", 4: "#f-pain_after",
               5: "#checklist"}


@dataclass(frozen=True)
class Loaded:
    view: object  # NoteView
    client_name: str
    consent: bool
    previous: Text


class NoteEditor(Screen):
    CSS_PATH = "editor.tcss"
    HELP = ("Write the session in five steps. F2-F6 (or alt+a, alt+t, alt+m, alt+f, alt+r) jump "
            "to a step; ctrl+pagedown/ctrl+pageup go to the next or previous one. Everything is saved as you type (ctrl+s saves at "
            "once). In a table: a adds, Enter edits, x deletes. Review (5) shows the note as the "
            "client will read it and what is missing; f finalizes. Esc goes back.")
    BINDINGS = [
        # alt+digit cannot be used: Textual 8 reads ESC+digit as macOS option characters (™)
        *[Binding(f"alt+{key},f{n + 1}", f"step({n})", f"Step {n}: {name}", id=f"editor.step{n}",
                  show=False, priority=True)
          for n, (name, key) in enumerate(zip(STEPS, "atmfr", strict=True), start=1)],
        Binding("ctrl+pagedown,alt+right", "step_by(1)", "Next step", id="editor.next",
                priority=True),
        Binding("ctrl+pageup,alt+left", "step_by(-1)", "Previous step", id="editor.previous",
                show=False, priority=True),
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True, show=False),
        Binding("alt+p", "toggle_previous", "Last time", id="editor.last_time", priority=True),
        Binding("ctrl+f", "search_history", "Search history", id="editor.search_history",
                priority=True),
        Binding("f", "finalize", "Finalize", id="editor.finalize"),
        Binding("escape", "back", "Back", id="editor.back"),
    ]

    def __init__(self, note_id: int, client_id: int, step: int = 1) -> None:
        super().__init__()
        self.note_id, self.client_id = note_id, client_id
        self.step = step
        self.rows: dict[str, list] = {kind: [] for kind in ROWS}
        self.base = None  # the last valid NoteContent
        self.consent = False
        self.catalog = None
        self._ready = False
        self._final = False
        self._refused: set[str] = set()  # fields showing "that key was refused"
        self._blocking: list = []
        self.autosaver = Autosaver(self, self.snapshot, self._write, self._save_state)

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stepbar"):
            for n, name in enumerate(STEPS, start=1):
                yield Static(f" {n} {name} ", id=f"tab-{n}", classes="tab", markup=False)
            yield Static("", id="save-state", markup=False)
        with Horizontal(id="editor-body"):
            with ContentSwitcher(initial="step-1", id="steps"):
                with VerticalScroll(id="step-1", classes="step"):
                    yield from self._text("complaint")
                    with Horizontal(classes="pair"):
                        yield from self._line("pain_before", "Pain before",
                                              pain_input("f-pain_before"))
                        yield from self._line("duration_minutes", "Minutes", CheckedInput(
                            id="f-duration_minutes", restrict=r"[0-9]{0,3}", max_length=3,
                            hint="minutes, a whole number", classes="short"))
                    for kind in ("posture", "rom", "muscles"):
                        yield from self._rows(kind)
                    yield from self._text("therapist_summary")
                    yield from self._text("client_summary")
                with VerticalScroll(id="step-2", classes="step"):
                    yield from self._rows("trigger_points")
                with VerticalScroll(id="step-3", classes="step"):
                    yield from self._rows("cues")
                with VerticalScroll(id="step-4", classes="step"):
                    with Horizontal(classes="pair"):
                        yield from self._line("pain_after", "Pain after",
                                              pain_input("f-pain_after"))
                        yield from self._line("next_visit_days", "Next visit in", CheckedInput(
                            id="f-next_visit_days", restrict=r"[0-9]{0,3}[dDwW]?", max_length=4,
                            hint="days (14) or weeks (2w)", placeholder="14 or 2w",
                            classes="short"))
                    yield from self._rows("home_care")
                    for key in ("advice", "what_to_expect", "when_to_contact"):
                        yield from self._text(key)
                with VerticalScroll(id="step-5", classes="step"):
                    yield Label("Before you finalize", classes="field-label")
                    yield OptionList(id="checklist")
                    yield Button("Finalize (f)", id="finalize", variant="primary")
                    yield Label("The note as the client will read it", classes="field-label")
                    yield Static("", id="review-text", markup=False)
            with VerticalScroll(id="previous"):
                yield Static("Last time", id="previous-text", markup=False)
        yield Static("", id="notice", markup=False)
        yield Footer()

    def _text(self, key: str):
        yield Label(TEXTS[key], classes="field-label")
        yield TextArea(id=f"f-{key}", soft_wrap=True, tab_behavior="focus", classes="text")
        yield FieldMessage(id=f"m-{key}")

    def _line(self, key: str, label: str, widget):
        with Vertical(classes="line"):
            yield Label(label, classes="field-label")
            yield widget
            yield FieldMessage(id=f"m-{key}")

    def _rows(self, kind: str):
        yield Label(ROW_TITLES[kind], classes="field-label")
        yield RowTable(kind, id=f"t-{kind}")
        yield Static("", id=f"h-{kind}", classes="hint", markup=False)

    def on_mount(self) -> None:
        for kind in ROWS:
            table = self.query_one(f"#t-{kind}", RowTable)
            table.add_columns(*rowlib.COLUMNS[kind])
        self._show_step(self.step, focus=False)
        self.load()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        note_id, _client_id = self.note_id, self.client_id

        def job(ctx) -> Loaded:
            from notes_tui.services.clients import get_client
            from notes_tui.services.notes import get_note, previous_note
            from notes_tui.ui.screens.review import previous_text

            with ctx.read() as s:
                view = get_note(note_id, session=s)
                client = get_client(view.client_id, session=s)
                name, consent = client.name, bool(client.consent_on_file)
                prev = previous_note(view.client_id, session=s, before_note_id=note_id)
            return Loaded(view, name, consent, previous_text(prev, ctx.catalog))

        in_thread(self, job, self._fill, group="editor-load")

    def _fill(self, loaded: Loaded) -> None:
        view = loaded.view
        if view.is_final:
            from notes_tui.ui.screens.final_note import FinalNoteScreen

            self.app.switch_screen(FinalNoteScreen(self.note_id))
            return
        self.catalog = self.app.services.catalog
        self.consent = loaded.consent
        c = self.base = view.content
        self.client_name = loaded.client_name
        self.title = f"Note · {plain(loaded.client_name)}"
        self.sub_title = f"{view.local_start:%Y-%m-%d %H:%M} · draft"
        for key in TEXTS:
            self.query_one(f"#f-{key}", TextArea).load_text(getattr(c, key))
        for key in ("pain_before", "pain_after", "duration_minutes", "next_visit_days"):
            value = getattr(c, key)
            self.query_one(f"#f-{key}", Input).value = "" if value is None else str(value)
        for kind in ROWS:
            self.rows[kind] = list(getattr(c, kind))
            self._refresh_table(kind)
        self.query_one("#previous-text", Static).update(loaded.previous)
        self._ready = True
        resume.remember(self.note_id, self.client_id, self.step)
        self._show_step(self.step)
        self._save_state("saved")

    # --- the content -----------------------------------------------------------------------

    def snapshot(self):
        """The note as typed, validated (UI thread). An invalid field gets a message next to it
        and keeps its last valid value; everything else is saved."""
        if not self._ready or self._final:
            return None
        from pydantic import ValidationError

        from notes_tui.domain.note import NoteContent
        from notes_tui.domain.text import FieldError

        data = dict(self.base)
        messages: dict[str, str] = {}
        for key in TEXTS:
            data[key] = self.query_one(f"#f-{key}", TextArea).text
        for key in ("pain_before", "pain_after", "duration_minutes"):
            data[key] = self.query_one(f"#f-{key}", Input).value.strip() or None
        try:
            data["next_visit_days"] = parse_next_visit(
                self.query_one("#f-next_visit_days", Input).value)
        except FieldError as exc:
            messages["next_visit_days"] = exc.message
            data["next_visit_days"] = self.base.next_visit_days
        for kind in ROWS:
            data[kind] = list(self.rows[kind])
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
                data[key] = getattr(self.base, key)
        for m in self.query(FieldMessage):
            key = (m.id or "").removeprefix("m-")
            if key in messages:
                m.show(messages[key])
            elif key not in self._refused:
                m.clear()
        if content is None:
            return None
        self.base = content
        return content

    def _write(self, ctx, content) -> bool:
        from notes_tui.services.notes import save_draft

        with ctx.write() as s:
            return save_draft(self.note_id, content, session=s, actor=ctx.settings.author)

    def _save_state(self, state: str) -> None:
        label = {"saving": "saving…", "saved": "✓ saved"}.get(state, state)
        widget = self.query_one("#save-state", Static)
        widget.update(Text(label))
        widget.set_class(state not in ("saving", "saved"), "-error")

    def changed(self) -> None:
        if self._ready and not self._final:
            self.autosaver.touch()

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _edited(self, event) -> None:
        key = (event.control.id or "").removeprefix("f-")
        if key in self._refused:
            self._refused.discard(key)
            self.query_one(f"#m-{key}", FieldMessage).clear()
        self.changed()

    @on(CheckedInput.Refused)
    def _on_refused(self, event: CheckedInput.Refused) -> None:
        key = (event.input.id or "").removeprefix("f-")
        self._refused.add(key)
        self.query_one(f"#m-{key}", FieldMessage).show(f"Only {event.input.hint}.")

    def save_now_sync(self) -> None:
        """Flush in this thread (quit, signals, the fatal-error path)."""
        if self._ready and not self._final:
            self.autosaver.flush_sync()

    def action_search_history(self) -> None:
        """Search this client's past notes (the draft is saved as the screen changes)."""
        from notes_tui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(client_id=self.client_id,
                                          client_name=getattr(self, "client_name", "")))

    def action_save(self) -> None:
        if self._ready and not self._final:
            self.autosaver.save_now()

    def on_screen_suspend(self) -> None:
        self.action_save()  # another screen (or a dialog) opened: save at once

    # --- steps -----------------------------------------------------------------------------

    def _show_step(self, step: int, *, focus: bool = True) -> None:
        self.step = step
        self.query_one("#steps", ContentSwitcher).current = f"step-{step}"
        for n in range(1, len(STEPS) + 1):
            self.query_one(f"#tab-{n}").set_class(n == step, "-active")
        if step == 5:
            self._refresh_review()
        if focus:
            self.query_one(FIRST_FOCUS[step]).focus()
        self.refresh_bindings()

    @guarded
    def action_step(self, step: int) -> None:
        if step != self.step:
            self.action_save()
            self._show_step(step)
            if self._ready:
                resume.remember(self.note_id, self.client_id, step)

    def action_step_by(self, delta: int) -> None:
        self.action_step(max(1, min(len(STEPS), self.step + delta)))

    def on_click(self, event) -> None:
        widget = event.widget
        if widget is not None and (widget.id or "").startswith("tab-"):
            self.action_step(int(widget.id.removeprefix("tab-")))

    def action_toggle_previous(self) -> None:
        self.toggle_class("-toggled")

    # --- rows ------------------------------------------------------------------------------

    def _refresh_table(self, kind: str, cursor: int | None = None) -> None:
        table = self.query_one(f"#t-{kind}", RowTable)
        table.clear()
        for i, row in enumerate(self.rows[kind]):
            table.add_row(*rowlib.cells(kind, row, i, self.catalog), key=str(i))
        if cursor is not None and table.row_count:
            table.move_cursor(row=max(0, min(cursor, table.row_count - 1)))
        hint = self.query_one(f"#h-{kind}", Static)
        hint.update(Text(self._hint(table), style="dim"))

    def _hint(self, table: RowTable) -> str:
        """The keys that apply to this table, from its bindings' first keys."""
        keys: dict[str, str] = {}
        for binding in RowTable.BINDINGS:
            name = binding.action[4:-1].split(",")[0].strip("'\" ")
            if binding.action.startswith("row(") and table.check_action("row", (name,)):
                first = Binding(binding.key.split(",")[0], binding.action)
                keys[binding.description.lower()] = self.app.get_key_display(first)
        parts = []
        for desc, key in keys.items():
            if desc in ("left", "right", "both sides"):
                if desc == "left":
                    parts.append(f"{key}/{keys['right']}/{keys['both sides']} side")
            elif desc == "move down":
                continue
            elif desc == "move up":
                parts.append(f"{key}/{keys['move down'].split('+')[-1]} move")
            else:
                parts.append(f"{key} {desc}")
        if table.kind == "trigger_points":
            parts.append("0-10 pressure")
        return " · ".join(parts)

    @on(RowTable.Action)
    @guarded
    def _row_action(self, event: RowTable.Action) -> None:
        kind, act, i = event.kind, event.action, event.index
        rows = self.rows[kind]
        if not self._ready:
            return
        if act == "add":
            self._pick(kind)
            return
        if not 0 <= i < len(rows):
            return
        row = rows[i]
        if act == "edit":
            self._edit(kind, i)
            return
        if act == "delete":
            del rows[i]
            if kind == "trigger_points":
                self._relink(lambda p: None if p == i + 1 else p - 1 if p > i + 1 else p)
        elif act in ("up", "down"):
            j = i - 1 if act == "up" else i + 1
            if not 0 <= j < len(rows):
                return
            rows[i], rows[j] = rows[j], rows[i]
            if kind == "trigger_points":
                a, b = i + 1, j + 1
                self._relink(lambda p: b if p == a else a if p == b else p)
            i = j
        elif act == "side":
            rows[i] = rowlib.with_side(row, event.arg)
        elif act == "copy":
            rows.insert(i + 1, rowlib.other_side(row))
            if kind == "trigger_points":
                self._relink(lambda p: p + 1 if p >= i + 2 else p)
            i += 1
        elif act == "pressure":
            rows[i] = rowlib.with_pressure(row, event.arg)
        elif act == "response":
            rows[i] = rowlib.next_response(row)
        elif act == "finding":
            rows[i] = rowlib.next_finding(row)
        elif act == "painful":
            rows[i] = rowlib.toggle_painful(row)
        elif act == "link":
            rows[i] = rowlib.next_link(row, len(self.rows["trigger_points"]))
        self._refresh_table(kind, cursor=i)
        self.changed()

    def _relink(self, mapping) -> None:
        cues = self.rows["cues"]
        for n, cue in enumerate(cues):
            if cue.trigger_point is not None:
                cues[n] = cue.model_copy(update={"trigger_point": mapping(cue.trigger_point)})
        self._refresh_table("cues")

    def _pick(self, kind: str) -> None:
        from notes_tui.ui.dialogs import PickerDialog

        catalog = self.catalog
        title = {"trigger_points": "Muscle of the treated point", "muscles": "Muscle",
                 "posture": "Posture finding", "rom": "Range-of-motion test",
                 "cues": "Movement cue", "home_care": "Home-care item"}[kind]

        def picked(choice) -> None:
            if not choice:
                return
            self.rows[kind].append(rowlib.new_row(kind, choice, catalog))
            self._refresh_table(kind, cursor=len(self.rows[kind]) - 1)
            self.query_one(f"#t-{kind}").focus()
            self.changed()

        self.app.push_screen(PickerDialog(title, lambda q: rowlib.picker_items(kind, catalog, q)),
                             picked)

    def _edit(self, kind: str, i: int) -> None:
        from notes_tui.ui.dialogs import FormDialog

        row = self.rows[kind][i]
        name = rowlib.name_of(kind, row, self.catalog)

        def edited(data: dict | None) -> None:
            if data is None or i >= len(self.rows[kind]) or self.rows[kind][i] is not row:
                return
            self.rows[kind][i] = rowlib.row_from_form(kind, row, data)
            self._refresh_table(kind, cursor=i)
            self.changed()

        self.app.push_screen(FormDialog(plain(name), rowlib.form_fields(kind, row),
                                        check=lambda d: rowlib.row_from_form(kind, row, d)),
                             edited)

    # --- review and finalize ---------------------------------------------------------------

    def _refresh_review(self) -> None:
        if not self._ready:
            return
        from notes_tui.domain.checklist import finalize_checklist
        from notes_tui.ui.screens.review import client_text

        content = self.snapshot() or self.base
        self.query_one("#review-text", Static).update(client_text(content, self.catalog))
        items = finalize_checklist(content, consent_on_file=self.consent)
        checklist = self.query_one("#checklist", OptionList)
        checklist.clear_options()
        for item in items:
            mark = "✗ " if item.blocking else "! "
            checklist.add_option(Option(Text(mark + item.message + f"  (step {item.step})"),
                                        id=item.key))
        if not items:
            checklist.add_option(Option(Text("✓ Ready to finalize"), id="ready"))
        checklist.highlighted = 0
        self._blocking = [i for i in items if i.blocking]

    @on(OptionList.OptionSelected, "#checklist")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        target = JUMP.get(event.option.id or "")
        if target is None:
            if event.option.id == "ready":
                self.action_finalize()
            return
        step, selector = target
        self.action_step(step)
        self.query_one(selector).focus()

    @on(Button.Pressed, "#finalize")
    def _finalize_pressed(self) -> None:
        self.action_finalize()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "finalize":
            return self.step == 5 and self._ready
        return True

    @guarded
    def action_finalize(self) -> None:
        if not self._ready or self._final:
            return
        from notes_tui.ui.dialogs import ConfirmDialog

        self._refresh_review()
        if self._blocking:
            self.query_one("#notice", Static).update(Text(
                "Cannot finalize yet: " + "; ".join(i.message for i in self._blocking)))
            self.query_one("#checklist").focus()
            return
        self.app.push_screen(ConfirmDialog(
            "Finalize this note? It becomes a locked record; later changes are amendments.",
            yes="Finalize", no="Not yet"), self._finalize_confirmed)

    def _finalize_confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        self.autosaver.flush_sync()
        self._final = True
        note_id = self.note_id

        def job(ctx):
            from notes_tui.services.notes import finalize

            with ctx.write() as s:
                _note, warnings = finalize(note_id, session=s, actor=ctx.settings.author)
            return [w.message for w in warnings]

        def failed(exc: BaseException) -> None:
            from notes_tui.ui.background import report

            self._final = False
            report(self, exc)
            self._refresh_review()

        in_thread(self, job, self._finalized, failed=failed, group="finalize")

    def _finalized(self, warnings: list[str]) -> None:
        from notes_tui.ui.screens.final_note import FinalNoteScreen

        resume.forget()
        self.notify("Note finalized" + (f" ({'; '.join(warnings)})" if warnings else ""),
                    markup=False)
        self.app.switch_screen(FinalNoteScreen(self.note_id))

    # --- leaving ---------------------------------------------------------------------------

    @guarded
    def action_back(self) -> None:
        self.save_now_sync()
        resume.forget()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        if self._ready and not self._final and self.autosaver.dirty:
            self.autosaver.flush_sync()
