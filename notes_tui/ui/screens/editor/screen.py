"""The note editor: the session in five steps, saved as you type.

Every edit reaches the draft within a second (`Autosaver`: debounce 0.3 s, max-wait 0.5 s, in a
worker thread), and at once on a step change, when another screen opens, on quit and on a signal.
Bad input gets a message next to its field and the rest of the note is still saved: an invalid
value falls back to the last valid one until it is fixed (form.py).

The screen wires the parts together: `layout` (which field is where), `form` (fields <-> content),
`row_editing` (the tables of rows), `review` (the client's view and the previous session) and
`finalize` (the checklist and the locked record). Keys typed while the note is still loading are
held and replayed once it is in (ui/keyhold.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import (
    Button,
    ContentSwitcher,
    Header,
    Input,
    OptionList,
    Select,
    Static,
    TextArea,
)

from notes_tui.ui import resume
from notes_tui.ui.autosave import Autosaver
from notes_tui.ui.background import in_thread
from notes_tui.ui.dialogs import PickerDialog
from notes_tui.ui.guard import guarded
from notes_tui.ui.keyhold import HoldsKeys
from notes_tui.ui.screens.editor import finalize, layout, leaving
from notes_tui.ui.screens.editor.form import CONFIRMABLE, EditorForm
from notes_tui.ui.screens.editor.layout import FIRST_FOCUS, JUMP, ROWS, SHORT_STEPS, STEPS
from notes_tui.ui.screens.editor.row_editing import EditorRows
from notes_tui.ui.text import Hanging, plain
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.inputs import PASTE_WARNING, CheckedInput, LineInput
from notes_tui.ui.widgets.row_table import RowTable


@dataclass(frozen=True)
class Loaded:
    view: object  # NoteView
    client_name: str
    consent: bool
    contraindications: str  # shown above every step while the note is written
    previous: Text
    prompts: dict[str, str]  # the template's questions for the empty assessment fields
    clinic: object  # export.model.Clinic: the handout's header, for the review step
    progress: tuple  # the handout's progress chart points, for the review step
    follow_up: bool = False  # the client had a session before: "since the last visit" is asked
    pressure_limit: int | None = None  # out of 10: the client asked not to go above it
    plan: object = None  # domain.plan.Plan: the client's current plan of care (None: none)
    previous_day: object = None  # the day of the session before this one (None: the first)

    def cautions(self, content, catalog) -> list:
        """The rows of `content` the client's contraindications or pressure limit flag."""
        from notes_tui.domain.safety import cautions

        return cautions(content, self.contraindications, catalog,
                        pressure_limit=self.pressure_limit)


WORDING_FIELDS = {"what_to_expect": "What to expect", "when_to_contact": "When to get in touch"}


def _prompts(services, view, client) -> dict[str, str]:
    """The questions of the template the draft came from; a template since removed or broken
    only loses its hints, never the note."""
    if not view.template_id:
        return {}
    try:
        return services.templates.prompts(view.template_id, client)
    except Exception:  # hints are optional; the note still opens
        return {}


class NoteEditor(HoldsKeys, Screen):
    CSS_PATH = "editor.tcss"
    AUTO_FOCUS = ""  # nothing has focus until the note is loaded (keys are held meanwhile)
    HELP = ("Write the session in five steps. F2-F6 (or alt+a, alt+t, alt+m, alt+f, alt+r) jump "
            "to a step; ctrl+pagedown/ctrl+pageup go to the next or previous one. Everything is "
            "saved as you type (ctrl+s saves at once). In a table: a adds, Enter edits, x deletes."
            " What a template suggested says 'to confirm': y (or ctrl+o) confirms a row, Y all "
            "rows of a table, ctrl+o a suggested field, alt+y everything suggested on this "
            "step; editing a field confirms it. On 'What to "
            "expect' and 'When to get in touch', ctrl+l adds a sentence from the wording "
            "library. In a pain field, n records 'not asked' and d 'the client declined to "
            "rate'. ctrl+t sets the session's date and start time (charted the next morning: "
            "'yesterday' and the time it began). Review (5) "
            "shows the note as the client will read it and what is missing (Enter jumps there); "
            "f finalizes. Esc goes back.")
    BINDINGS = [
        # alt+digit cannot be used: Textual 8 reads ESC+digit as macOS option characters (™)
        *[Binding(f"f{n + 1},alt+{key}", f"step({n})", f"Step {n}: {name}", id=f"editor.step{n}",
                  show=False, priority=True)
          for n, (name, key) in enumerate(zip(STEPS, "atmfr", strict=True), start=1)],
        # The first key of each binding reaches the app in every common terminal (the footer
        # shows it): GNOME and xfce terminals take ctrl+pageup/pagedown for their tabs, and on
        # a default macOS Terminal Option is not Meta, so alt+ keys type characters there
        # (tests/ui/test_ui_terminal_keys.py).
        # (the other keys of an action are a binding of their own, not shown in the footer,
        # which shows one key an action; F1 help lists them all on one line)
        # First in the footer after esc Back (ui/widgets/footer.py shows keys in this order).
        # priority (it opens the confirmation, which then gets the "y" typed right after it);
        # it only applies on the review step, which has no text field
        Binding("f", "finalize", "Finalize", id="editor.finalize", priority=True),
        Binding("ctrl+n", "step_by(1)", "Next step", id="editor.next", priority=True),
        Binding("ctrl+pagedown,alt+right", "step_by(1)", "Next step", id="editor.next_alt",
                show=False, priority=True),
        Binding("ctrl+b", "step_by(-1)", "Previous step", id="editor.previous", show=False,
                priority=True),
        Binding("ctrl+pageup,alt+left", "step_by(-1)", "Previous step",
                id="editor.previous_alt", show=False, priority=True),
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True, show=False),
        Binding("ctrl+o", "confirm", "Confirm", id="editor.confirm"),
        # every suggestion on this step at once (a follow-up confirms last time's plan in one key)
        Binding("ctrl+g", "confirm_step", "Confirm step", id="editor.confirm_step",
                priority=True),
        Binding("alt+y", "confirm_step", "Confirm step", id="editor.confirm_step_alt",
                show=False, priority=True),
        # on "what to expect" and "when to get in touch": the handout wording library
        Binding("ctrl+l", "wording", "Wording library", id="editor.wording"),
        Binding("ctrl+r", "toggle_previous", "Last time", id="editor.last_time",
                priority=True),
        Binding("alt+p", "toggle_previous", "Last time", id="editor.last_time_alt",
                show=False, priority=True),
        Binding("ctrl+f", "search_history", "Search history", id="editor.search_history",
                priority=True),
        # the session's date and start time (charted later, or the next morning)
        Binding("ctrl+t", "when", "Date and time", id="editor.when", priority=True,
                show=False),
        Binding("escape", "back", "Back", id="editor.back"),
    ]

    step: reactive[int] = reactive(1, init=False, always_update=True)

    def __init__(self, note_id: int | None, client_id: int, step: int = 1, *,
                 create: Callable[[object], int] | None = None) -> None:
        """Open draft `note_id`, or (note_id None) the draft `create(services)` makes in the load
        worker: the editor is on screen, holding keys, from the moment the note is asked for."""
        super().__init__()
        assert note_id is not None or create is not None
        self.note_id, self.client_id = note_id, client_id
        self._create = create
        self._opened_with = None
        self.set_reactive(NoteEditor.step, step)  # shown (watch_step) once mounted
        self.client_name = ""
        self.consent = False
        self.handout_basis: Loaded | None = None  # the review step's clinic and progress
        self.catalog = None
        self._ready = False
        self._final = False
        self.form = EditorForm(self)
        self.rows = EditorRows(self, self._rows_changed)
        self._cautions: Counter[tuple] = Counter()  # the cautions already said, by key
        self.checklist_items: list = []
        self.autosaver = Autosaver(self, self.snapshot, self._write, self._save_state,
                                   gone=lambda exc: leaving.went_away(self, exc))
        self.gone: BaseException | None = None  # finalized or discarded by another program
        self.gone_at = None  # when the editor found out (wall clock)
        self.leaving = False  # Esc or quit is waiting for the save
        self.kept = False  # the text went to a recovery file, an amendment or a new draft
        self._save_problem = ""  # the failed save's line shown in the notice
        self.edit_session = uuid4().hex  # one audited edit per opening of the note, not per save
        self.session_start = None  # when the session began, in the note's zone (once loaded)

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stepbar"):
            for n, name in enumerate(STEPS, start=1):
                yield Static(self._tab(n, name), id=f"tab-{n}", classes="tab", markup=False)
            yield Static("", id="save-state", markup=False)
        yield Static("", id="caution", markup=False)
        with Horizontal(id="editor-body"):
            with ContentSwitcher(initial="step-1", id="steps"):
                yield from layout.steps()
            with VerticalScroll(id="previous"):
                yield Static("Last time", id="previous-text", markup=False)
        yield Static("", id="notice", markup=False)
        yield NotesFooter()

    def on_mount(self) -> None:
        self._show_step(self.step, focus=False)
        self._save_state("loading")
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self.load()

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "-narrow")
        names = STEPS if event.size.width >= 100 else SHORT_STEPS
        for n, name in enumerate(names, start=1):
            self.query_one(f"#tab-{n}", Static).update(self._tab(n, name))

    def _tab(self, n: int, name: str) -> str:
        """A step's tab names the key that opens it (F2-F6, or the user's own from the keymap),
        not its number: digits type into fields, so "1 Assessment" suggested a key that is not."""
        keys = (self.app.settings.keymap or {}).get(f"editor.step{n}")
        key = self.app.get_key_display(Binding(keys.split(",")[0], "")) if keys else f"F{n + 1}"
        return f" {key} {name} "

    def _theme_changed(self) -> None:
        if self._ready:
            self.rows.refresh_all()  # the "to confirm" styles come from the theme

    def key_display(self, binding_id: str, default: str) -> str:
        """How the key of `binding_id` is shown, after the user's keymap."""
        keys = (self.app.settings.keymap or {}).get(binding_id, default)
        return self.app.get_key_display(Binding(keys.split(",")[0], ""))

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        known, create = self.note_id, self._create

        def job(services) -> Loaded:
            from notes_tui.services.presentation import present_view
            from notes_tui.ui.screens.editor.review import previous_text

            note_id = known if known is not None else create(services)
            opened = services.notes.open_draft(note_id)
            view, client, prev = opened.note, opened.client, opened.previous
            last = present_view(prev, services.catalog, current=True) if prev is not None \
                else None
            return Loaded(view, client.name, bool(client.consent_on_file),
                          client.contraindications, previous_text(last),
                          _prompts(services, view, client), opened.clinic, opened.progress,
                          follow_up=prev is not None, pressure_limit=client.pressure_limit,
                          plan=client.plan,
                          previous_day=prev.local_start.date() if prev is not None else None)

        in_thread(self, job, self._fill, failed=self._load_failed, group="editor-load")

    def _load_failed(self, exc: BaseException) -> None:
        from notes_tui.ui.background import report

        report(self, exc)
        self.ready()
        if self.app.screen is self:
            self.app.pop_screen()

    def _fill(self, loaded: Loaded) -> None:
        view = loaded.view
        if view.is_final:
            from notes_tui.ui.screens.final_note import FinalNoteScreen

            self.ready()
            self.app.switch_screen(FinalNoteScreen(self.note_id))
            return
        self._fill_fields(loaded, view.content)
        self.title = f"Note · {plain(loaded.client_name)}"
        self._show_when(view.local_start)
        resume.remember(self.note_id, self.client_id, self.step)
        self._show_step(self.step)
        self._save_state("saved")
        self.ready()  # the keys typed while loading go into the fields now

    def _show_when(self, start, *, draft: bool = True) -> None:
        """The session's start, local to the clinic, on the first step (and, for a draft, in
        the sub-title)."""
        self.session_start = start
        key = self.key_display("editor.when", "ctrl+t")
        how = f" · {key} changes the date or time" if draft else ""
        for line in self.query("#when").results(Static):
            line.update(Text(f"Session: {start:%a %d %b %Y}, {start:%H:%M} {start.tzname()}"
                             f"{how}"))
        self.form.session_date = start.date()
        if draft:
            self.sub_title = f"{start:%Y-%m-%d %H:%M} · draft"

    def action_when(self) -> None:
        """A small form for the day and the start time; saved at once (audited)."""
        if not self.editing_draft:
            self.notify("The date and time of a finalized note stay as they were; say the "
                        "right ones in an amendment", markup=False)
            return
        from notes_tui.ui.dialogs import FieldSpec, FormDialog

        start, note_id, moved = self.session_start, self.note_id, []
        if start is None:
            return

        def save(services, data: dict):
            moved.append(services.notes.reschedule(note_id, data["date"], data["start"]))

        def done(data: dict | None) -> None:
            if not (data and moved) or self.handout_basis is None:
                return
            from dataclasses import replace

            view = moved[0]  # the note as it is now: the review renders the same object
            self.handout_basis = replace(self.handout_basis, view=view)
            self._show_when(view.local_start)
            self.changed()  # the next-visit day ("2w": which day) follows the new date
            if self.step == 5:
                finalize.refresh_review(self)

        self.app.push_screen(FormDialog("When the session happened", [
            FieldSpec("date", "Date (YYYY-MM-DD, or today, yesterday)",
                      value=f"{start:%Y-%m-%d}", max_length=10),
            FieldSpec("start", "Start time (HH:MM, 24-hour clock)", value=f"{start:%H:%M}",
                      max_length=5),
        ], save=save), done)

    def _fill_fields(self, loaded: Loaded, content) -> None:
        """Put `content` (the draft, or a finalized note's current revision being amended) into
        the fields and tables."""
        view = loaded.view
        self.note_id = view.id
        self.app.last_note_id = view.id  # the client's history puts its cursor here after
        self.catalog = self.app.services.catalog
        self.consent = loaded.consent
        self.client_name = loaded.client_name
        self.handout_basis = loaded  # what the review step needs besides the content
        caution = " ".join(plain(loaded.contraindications).split())
        if loaded.pressure_limit:
            caution = f"Pressure not above {loaded.pressure_limit}/10" + (
                f"; {caution}" if caution else "")
        self.query_one("#caution", Static).update(Text("⚠ " + caution) if caution else "")
        self.query_one("#caution").display = bool(caution)
        from notes_tui.ui.screens.editor.review import plan_goals_text

        goals = plan_goals_text(loaded.plan)
        self.query_one("#plan-goals", Static).update(goals)
        self.query_one("#plan-goals").display = bool(goals)
        self.form.fill(content, view.local_start.date())
        self.query_one("#since").display = loaded.follow_up or content.has_since_last_visit()
        self._opened_with = content
        for key, prompt in loaded.prompts.items():
            for area in self.query(f"#f-{key}").results(TextArea):
                area.placeholder = Content(plain(prompt))  # literal: never read as markup
        self.rows.prompts = {k: v for k, v in loaded.prompts.items() if k in ROWS}
        self.rows.load(content, self.catalog)
        self.query_one("#previous-text", Static).update(Hanging(loaded.previous))
        self._ready = True
        # the ones already there are not news (nor asked again)
        self._cautions = Counter(c.key for c in loaded.cautions(content, self.catalog))

    # --- the content -----------------------------------------------------------------------

    @property
    def editing_draft(self) -> bool:
        """A draft is loaded and open for writing (not loading, not finalized)."""
        return self._ready and not self._final

    @property
    def base(self):
        """The last valid content."""
        return self.form.base

    def snapshot(self):
        """The note as typed, validated (UI thread); None when not ready (or finalized)."""
        if not self._ready or self._final:
            return None
        return self.form.read(self.rows.rows)

    def _write(self, services, content) -> bool:
        return services.notes.save(self.note_id, content, edit_session=self.edit_session)

    def set_save_state(self, state: str) -> None:
        self._save_state(state)

    def _save_state(self, state: str) -> None:
        """The save state in the step bar; a save that failed is told in full in the notice
        line too ("not saved since 14:02: the disk is full; retrying"), which the step bar has
        no room for at 80 columns."""
        label = {"saving": "saving…", "saved": "✓ saved", "loading": "loading…"}.get(state, state)
        if self.gone is not None and state in ("saving", "saved"):
            label = leaving.gone_line(self)
        problem = label.startswith("not saved")
        short = label.split(": ", 1)[0] if problem else label  # "not saved since 14:02"
        # A save finishing after the editor closed (Esc while a save was in its worker) has
        # nothing left to show its state on.
        for widget in self.query("#save-state").results(Static):
            widget.update(Text(("✗ " if problem else "") + short))
            widget.set_class(state not in ("saving", "saved", "loading"), "-error")
        told = self._save_problem
        if problem:  # told again at each retry (a step change clears the notice line)
            self._save_problem = label[:1].upper() + label[1:] + ". Your text stays on screen."
        elif state == "saved":
            self._save_problem = ""
        if problem or told != self._save_problem:
            for notice in self.query("#notice").results(Static):
                if problem or str(notice.render()) == told:
                    notice.update(Text(self._save_problem))

    def _rows_changed(self) -> None:
        """A row added or edited: saved like any edit. A row the client's contraindications
        name (a region or a muscle), or above their pressure limit, is said at once and asks
        for confirmation: it turns "to confirm" (finalize waits for y on it) and stays in the
        review's checklist. Nothing modal: the keys typed next still go where they were meant."""
        basis = self.handout_basis
        content = self.snapshot() if self._ready and basis is not None else None
        if content is None or not (basis.contraindications.strip() or basis.pressure_limit):
            self.changed()
            return
        found = basis.cautions(content, self.catalog)
        counts = Counter(c.key for c in found)
        new = []
        for key, n in counts.items():  # more rows with this caution than before: the new ones
            extra = n - self._cautions[key]
            if extra > 0:
                at = self._cursor_row(key[0])
                group = sorted((c for c in found if c.key == key),
                               key=lambda c: (c.row[1] - 1 != at, -c.row[1]))
                new += group[:extra]  # the row just added or edited first, else the last
        self._cautions = counts
        for c in new:
            kind, index = c.row[0], c.row[1] - 1
            rows = self.rows.rows.get(kind) if kind in ("trigger_points", "work") else None
            if rows is not None and 0 <= index < len(rows) and rows[index].confirmed:
                rows[index] = rows[index].model_copy(update={"confirmed": False})
                self.rows.refresh(kind)
            self.notify(c.message + ". Check it, then press y on the row to confirm; the "
                        "review lists it.", title="Caution", severity="warning", markup=False,
                        timeout=12)
        self.changed()

    def _cursor_row(self, kind: str) -> int | None:
        for table in self.query(f"#t-{kind}").results(RowTable):
            return table.cursor_row
        return None

    def changed(self) -> None:
        # a draft finalized elsewhere keeps taking keys: they go to its recovery file
        if self._ready and (not self._final or self.gone is not None):
            self.autosaver.touch()

    @on(TextArea.Changed)
    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self, event) -> None:
        self.form.edited((event.control.id or "").removeprefix("f-"))
        self.changed()

    @on(CheckedInput.Refused)
    def _on_refused(self, event: CheckedInput.Refused) -> None:
        self.form.refused_key((event.input.id or "").removeprefix("f-"), event.input.hint)

    @on(LineInput.Truncated)
    def _on_truncated(self, event: LineInput.Truncated) -> None:
        event.stop()
        self.form.warn((event.input.id or "").removeprefix("f-"), PASTE_WARNING)

    def before_quit(self, then: Callable[[], None]) -> None:
        """Quit: wait for the save (the screen keeps drawing), ask when it fails, then
        `then()` (leaving.py)."""
        leaving.leave(self, then, quitting=True)

    def last_chance(self) -> str:
        """A signal or the fatal path: a bounded save, else the recovery file (leaving.py)."""
        return leaving.last_chance(self)

    def action_save(self) -> None:
        if self._ready and not self._final:
            self.autosaver.save_now()

    def on_screen_suspend(self) -> None:
        self.action_save()  # another screen (or a dialog) opened: save at once

    def action_search_history(self) -> None:
        """Search this client's past notes (the draft is saved as the screen changes)."""
        from notes_tui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(client_id=self.client_id,
                                          client_name=self.client_name))

    # --- suggestions to confirm ------------------------------------------------------------

    def _confirm_target(self):
        focused = self.focused
        if isinstance(focused, RowTable):
            return focused if focused.unconfirmed else None
        key = (getattr(focused, "id", None) or "").removeprefix("f-")
        return key if self._ready and self.form.confirmable(key) else None

    @guarded
    def action_confirm(self) -> None:
        target = self._confirm_target()
        if isinstance(target, RowTable):
            target.action_row("confirm")
        elif target and self.form.confirm(target):
            self.changed()
        self.refresh_bindings()

    def _step_suggestions(self) -> tuple[list[str], list[str]]:
        """The tables and fields of the current step that still hold suggestions."""
        if not self._ready or self._final:
            return [], []
        kinds = [kind for kind, step in ROWS.items()
                 if step == self.step and self.rows.first_unconfirmed(kind) is not None]
        keys = [fields[0] for confirm, fields in CONFIRMABLE.items()
                if JUMP[confirm][0] == self.step and self.form.confirmable(fields[0])]
        return kinds, keys

    @guarded
    def action_confirm_step(self) -> None:
        kinds, keys = self._step_suggestions()
        for kind in kinds:
            self.rows.act(kind, "confirm_all", 0, None)
        confirmed = [key for key in keys if self.form.confirm(key)]
        if confirmed:
            self.changed()
        if kinds or confirmed:
            self.notify(f"Confirmed everything suggested on this step ({len(kinds)} "
                        f"table{'s' * (len(kinds) != 1)}, {len(confirmed)} "
                        f"field{'s' * (len(confirmed) != 1)})", markup=False, timeout=3)
        self.refresh_bindings()

    # --- the wording library -------------------------------------------------------------

    def _wording_target(self) -> str | None:
        key = (getattr(self.focused, "id", None) or "").removeprefix("f-")
        return key if self._ready and key in WORDING_FIELDS else None

    @guarded
    def action_wording(self) -> None:
        """Pick a sentence from templates/handout/wording.toml (and the user's wording.toml) and
        add it to the focused field, on a line of its own; a sentence already there is not
        added twice."""
        section = self._wording_target()
        if section is None:
            return

        def loaded(snippets) -> None:
            by_id = {s.id: s for s in snippets}

            def search(query: str) -> list[tuple[str, Text]]:
                q = " ".join(query.casefold().split())
                out = []
                for s in snippets:
                    if q and q not in f"{s.label} {s.text}".casefold():
                        continue
                    label = Text(plain(s.label), style="bold")
                    label.append("\n" + plain(s.text))
                    out.append((s.id, label))
                return out

            def picked(choice) -> None:
                snippet = by_id.get(choice[1]) if choice else None
                area = self.query_one(f"#f-{section}", TextArea)
                area.focus()
                if snippet is None or snippet.text in area.text:
                    return
                area.move_cursor(area.document.end)
                area.insert(("\n" if area.text.strip() else "") + snippet.text)

            if not snippets:
                self.notify("The wording library has nothing for this field", markup=False)
                return
            self.app.push_screen(PickerDialog(f"{WORDING_FIELDS[section]}: wording library",
                                              search, free_text=False), picked)

        in_thread(self, lambda services: list(services.wording.snippets(section).values()), loaded,
                  hold_keys=True)

    # --- steps -----------------------------------------------------------------------------

    def watch_step(self, old: int, new: int) -> None:
        """The step shown is this reactive: the switcher, the tabs, the review, the keys."""
        if old != new:
            self.query_one("#notice", Static).update("")  # "Cannot finalize yet" was for step 5
        self.query_one("#steps", ContentSwitcher).current = f"step-{new}"
        for n in range(1, len(STEPS) + 1):
            self.query_one(f"#tab-{n}").set_class(n == new, "-active")
        if new == 5:
            finalize.refresh_review(self)
        self.refresh_bindings()

    def _show_step(self, step: int, *, focus: bool = True) -> None:
        self.step = step  # always_update: showing the same step again refreshes it
        if focus:
            # Each step opens at its top with its first field focused. Focusing with
            # scroll_visible would scroll later, after a refresh, by an amount that depends on
            # whether the review text and the checklist had been laid out by then (the step-5
            # picture moved by a line or two from run to run).
            first = FIRST_FOCUS[step]
            if step == 1 and self.query_one("#since").display:
                first = "#f-since_response"  # a follow-up starts with how the client has been
            self.query_one(first).focus(scroll_visible=False)
            self.query_one(f"#step-{step}", VerticalScroll).scroll_home(animate=False)

    @guarded
    def action_step(self, step: int) -> None:
        if self._previous_in_place():
            self.remove_class("-toggled")  # a step key brings the steps back
            if step == self.step:
                self._show_step(step)
                return
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

    def _previous_in_place(self) -> bool:
        """Narrow, with last time's session shown in place of the step."""
        return self.has_class("-narrow") and self.has_class("-toggled")

    def action_toggle_previous(self) -> None:
        was_in_place = self._previous_in_place()
        self.toggle_class("-toggled")
        if self._previous_in_place():
            self.query_one("#previous").focus()  # keys must not go to a field no one can see
        elif was_in_place:
            self._show_step(self.step)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # "Confirm" applies to some fields and tables only

    # --- rows ------------------------------------------------------------------------------

    @on(RowTable.Action)
    def _row_action(self, event: RowTable.Action) -> None:
        try:
            self._apply_row_action(event)
        finally:
            if event.held:
                self.app.keys.release()  # the dialog (if one opened) holds them itself now

    @guarded
    def _apply_row_action(self, event: RowTable.Action) -> None:
        if not self._ready:
            return
        if event.action == "add":
            self._pick(event.kind)
        elif event.action == "edit":
            self.rows.edit(event.kind, event.index)
        else:
            self.rows.act(event.kind, event.action, event.index, event.arg)
            self.refresh_bindings()

    def _pick(self, kind: str) -> None:
        self.rows.pick(kind)

    # --- review and finalize ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#checklist")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        finalize.jump(self, event.option_index)

    @on(Button.Pressed, "#finalize")
    def _finalize_pressed(self) -> None:
        self.action_finalize()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "finalize":
            return self.step == 5 and self._ready
        if action == "confirm":
            return self._confirm_target() is not None
        if action == "confirm_step":
            return any(self._step_suggestions())
        if action == "wording":
            return self._wording_target() is not None
        return True

    @guarded
    def action_finalize(self) -> None:
        if self._ready and not self._final:
            finalize.ask(self)

    # --- leaving ---------------------------------------------------------------------------

    @guarded
    def action_back(self) -> None:
        """Esc: the save finishes in its worker first (the screen says "saving…" and keeps
        drawing); when it cannot, the therapist chooses (leaving.py)."""

        def left() -> None:
            resume.forget()
            self._drop_if_untouched(self._close)

        leaving.leave(self, left)

    def _close(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    def _drop_if_untouched(self, then: Callable[[], None]) -> None:
        """A note this editor started (n, s or t) and left with nothing changed is deleted (in
        a worker), then `then()`: opening one by mistake must not leave a draft that shows as a
        visit. Not one word is lost, since none was typed; a note opened from the history is
        always kept."""
        if self._create is None or not self._ready or self._final or \
                self.snapshot() != self._opened_with:
            then()
            return
        note_id = self.note_id

        def dropped(_result) -> None:
            self.app.last_note_id = None
            self.notify("Nothing was written in the new note: it was not kept", markup=False)
            then()

        def kept(exc: BaseException) -> None:  # kept as a draft then: say nothing, log it
            from notes_tui.errorlog import log_unexpected

            log_unexpected(exc)
            then()

        in_thread(self, lambda services: services.notes.discard(note_id), dropped, failed=kept,
                  group="editor-drop", hold_keys=True)

    def on_unmount(self) -> None:
        """Closed by a way that did not wait for the save: save in a worker while the app runs,
        or (the app is shutting down, no loop to wait on) the bounded last chance."""
        if not self._ready or self.kept:
            return
        if self.gone is None and (self.autosaver.stopped or not self.autosaver.dirty):
            return
        if self.app.is_running and self.gone is None:
            self.autosaver.save_now()
        else:
            leaving.last_chance(self)
