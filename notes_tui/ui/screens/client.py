"""One client: history newest first, a pain trend, the last finalized note's findings, and the
actions that start or continue a note."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from notes_tui.ui.background import in_thread
from notes_tui.ui.guard import guarded
from notes_tui.ui.keyhold import HoldsKeys
from notes_tui.ui.text import Hanging, pain, plain, safe
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.table import Table

PAGE = 50
BARS = "_▁▂▃▄▅▆▇█"


def pain_chart(points: list[tuple[str, int | None, int | None]]) -> Text:
    """Pain before and after per session, oldest first, on a fixed 0-10 scale."""
    def bar(v: int | None) -> str:
        return "·" if v is None else BARS[round(v * (len(BARS) - 1) / 10)]

    out = Text()
    out.append("before ", style="bold")
    out.append("".join(bar(b) for _, b, _ in points) + "\n")
    out.append("after  ", style="bold")
    out.append("".join(bar(a) for _, _, a in points) + "\n")
    first, last = points[0], points[-1]
    out.append(f"{first[0]}: {pain(first[1])} → {pain(first[2])}\n", style="dim")
    out.append(f"{last[0]}: {pain(last[1])} → {pain(last[2])}", style="dim")
    return out


def findings_text(pres) -> Text:
    """The last finalized note's findings (its presentation), compact."""
    out = Text()
    if pres is None:
        out.append("No finalized note yet.", style="dim")
        return out
    out.append(f"Last finalized: {pres.meta.local_start:%Y-%m-%d}\n", style="bold")
    out.append(f"Pain {pain(pres.pain_before)} → {pain(pres.pain_after)}\n")
    for p in pres.posture:
        out.append("Posture: " + plain(p.therapist) + "\n")
    for r in pres.rom:
        out.append("ROM: " + plain(r) + "\n")
    for m in pres.muscles:
        out.append("Muscle: " + plain(m) + "\n")
    for tp in pres.points:
        resp = f", {tp.response.label.lower()}" if tp.response else ""
        label = f" {tp.label}" if tp.label else ""
        out.append(plain(f"TrP: {tp.muscle} {tp.side.label.lower()}{label}"
                         f"{'' if tp.pressure is None else f' {tp.pressure}/10'}{resp}") + "\n")
    return out


def since_trend(notes, tz, keep: int = 6) -> str:
    """How the body responded to the treatment before each of the last visits, oldest first,
    dated by the visit where the client told it: "03-08 sore 2 days"."""
    from notes_tui.domain.enums import SinceResponse

    out = []
    for n in reversed(notes):
        if not n.since_response:
            continue
        said = SinceResponse(n.since_response).label
        if n.since_sore_days:
            said += f" {n.since_sore_days} day{'s' * (n.since_sore_days != 1)}"
        out.append(f"{n.session_start.astimezone(tz):%m-%d} {said}")
    return "\n".join(out[-keep:])


def plan_text(client, notes, today, tz) -> tuple[str, ...]:
    """The current plan: its cadence and how far along (the sessions in `notes`, the latest
    page of the history, since it started), re-assessment, then each goal."""
    plan = client.plan
    if plan is None:
        return ()
    done = sum(1 for n in notes if n.session_start.astimezone(tz).date() >= plan.started_on)
    head = f"since {plan.started_on:%Y-%m-%d}" + (f", {plan.cadence}" if plan.cadence else "")
    head += f": {done}" + (f" of {plan.sessions}" if plan.sessions else "") + " done"
    lines = [head]
    if plan.reassess_on:
        lines.append(f"re-assess {plan.reassess_on:%Y-%m-%d}"
                     + (": due now" if plan.reassess_due(today) else ""))
    mark = {"met": "✓", "partly": "◐", "not yet": "○"}
    lines += [f"{mark[g.status.value]} {g.said}: {g.status.value}" for g in plan.goals]
    return tuple(lines)


def intake_line(intake, today) -> str:
    """'' when the intake was reviewed within the year; else what to do about it."""
    if intake is None:
        return "No intake on file: i takes it (health history, medications, goals)."
    if intake.review_due(today):
        when = (f"last reviewed {intake.reviewed_on:%Y-%m-%d}" if intake.reviewed_on
                else "never reviewed")
        return f"Intake {when}: review it with the client (i), at least once a year."
    return ""


@dataclass(frozen=True)
class ClientPage:
    name: str
    preferred_name: str
    archived: bool
    consent: str
    contraindications: str
    notes: list
    keep_until: str
    last_final: object
    findings: Text
    pressure_limit: int | None = None
    recurring: tuple[str, ...] = ()  # points active in 3+ of the last 5 finalized sessions
    intake: str = ""  # the intake's state, one line ("" when it is up to date)
    measures: tuple[str, ...] = ()  # each measure's trend, in words
    plan: tuple[str, ...] = ()  # the current plan of care, in short lines


class ClientScreen(HoldsKeys, Screen):
    """Keys typed before the client's page is in (n for a new note) wait for it."""

    CSS_PATH = "client.tcss"
    HELP = ("One client's history, newest first. Enter opens a note (a draft in the editor, a "
            "finalized note read-only). n: new blank note. s: new note with last time's points, "
            "cues and home care. t: new note from a template. m: add an amendment to a finalized note. "
            "x: discard a draft. e: edit the client. i: the intake (health history, medications, "
            "goals; review it yearly). p: the plan of care (goals, how often, re-assessment); d: "
            "discharge (ends the plan). o: record an outcome measure (PSFS, pain rating, your own). r: the recurring trigger points (a grid of "
            "every muscle and side treated, by session).")
    # Priority: these open another screen, and a key is handled when it reaches the app (not
    # after bubbling up from the table), so the keys typed right after it go to that screen.
    # Without it, "n" then "Sore neck" typed fast reached this screen's table first: its "e"
    # ran "Edit client" and the rest were lost. No field on this screen takes text. Up and
    # down are priority too, so "down, down, Enter" typed fast opens the row they reach.
    BINDINGS = [
        Binding("escape", "back", "Back", id="client.back"),
        Binding("down", "move(1)", "Next note", id="client.next", priority=True, show=False),
        Binding("up", "move(-1)", "Previous note", id="client.previous", priority=True,
                show=False),
        Binding("enter", "open", "Open", id="client.open", priority=True, show=False),
        Binding("n", "new_note(False)", "New note", id="client.new_note", priority=True),
        Binding("s", "new_note(True)", "Same as last", id="client.same_as_last",
                priority=True),
        Binding("t", "from_template", "From template", id="client.from_template",
                priority=True),
        Binding("m", "amend", "Amend", id="client.amend", priority=True),
        Binding("e", "edit_client", "Edit client", id="client.edit", priority=True),
        Binding("x", "discard", "Discard draft", id="client.discard", priority=True),
        Binding("r", "recurrence", "Recurring points", id="client.recurrence", priority=True),
        Binding("i", "intake", "Intake", id="client.intake", priority=True),
        Binding("o", "measure", "Outcome measure", id="client.measure", priority=True),
        Binding("p", "plan", "Plan of care", id="client.plan", priority=True),
        Binding("d", "discharge", "Discharge", id="client.discharge", priority=True),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.page: ClientPage | None = None
        self._generation = 0  # the newest reload (an older one's result is not shown)
        self._notes: list = []
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="client-head", markup=False)
        with Horizontal(id="client-body"):
            yield Table(id="history", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="client-side"):
                yield Static("", id="trend", markup=False)
                yield Static("", id="findings", markup=False)
        yield NotesFooter()

    def on_mount(self) -> None:
        self.query_one("#history", DataTable).add_columns(
            "Date", "Complaint", "Pain", "Technique", "Status")
        self.query_one("#history").focus()
        self.reload()

    def on_resize(self, event) -> None:
        # the history (date, complaint, pain, technique, status) needs about 72 columns and the
        # side panel 47: below 120 the panel goes under the history so Status stays on screen
        self.set_class(event.size.width < 120, "-narrow")

    def on_screen_resume(self) -> None:
        if self._loaded:
            # Back from a note: the history is re-read; keys typed meanwhile (down, Enter) wait
            # for the fresh rows rather than move a cursor over rows about to be replaced.
            self.hold_again()
            self.reload()

    def reload(self) -> None:
        client_id = self.client_id

        def job(services) -> ClientPage:
            from notes_tui.domain.measures import trends
            from notes_tui.services.presentation import present_view

            history = services.clients.history(client_id, limit=PAGE)
            recent = services.clients.recurrence(client_id, sessions=5)  # what the flag needs
            c, last = history.client, history.last_final
            # the newest correction: what goes forward from that session
            shown = present_view(last, services.catalog, current=True) if last is not None \
                else None
            return ClientPage(
                name=c.name, preferred_name=c.preferred_name, archived=c.archived,
                consent=c.consent_on_file.isoformat() if c.consent_on_file else "",
                contraindications=c.contraindications, notes=list(history.notes),
                keep_until=history.keep_until.isoformat() if history.keep_until else "",
                last_final=last, findings=findings_text(shown), pressure_limit=c.pressure_limit,
                recurring=tuple(f"{r.name}: active in {r.active_recent} of the last {r.recent}"
                                for r in recent.flagged),
                intake=intake_line(c.intake, services.due.today()),
                measures=tuple(t.words() for t in trends(c.measures, services.catalog.measures)),
                plan=plan_text(c, history.notes, services.due.today(), services.settings.tz))

        def failed(exc: BaseException) -> None:
            from notes_tui.ui.background import report

            report(self, exc)
            self.ready()

        # A reload replaced by a newer one still finishes in its thread (a worker cannot be
        # stopped): only the newest reload's page is shown, so a read taken before a discard
        # never puts the discarded draft back after the page that left it out.
        self._generation += 1
        generation = self._generation

        def shown(page: ClientPage) -> None:
            if generation == self._generation:  # the newer one shows its page, and lets the
                self._show(page)                # keys held for it through

        in_thread(self, job, shown, failed=failed, group="client", exclusive=True)

    def _show(self, page: ClientPage) -> None:
        self.call_after_refresh(self.ready)  # once the rows are in: keys typed meanwhile
        self.page = page
        self._loaded = True
        was = self.current()  # the cursor stays on the same note after a reload
        self._notes = list(page.notes)
        head = Text()
        head.append(plain(page.name), style="bold")
        if page.preferred_name:
            head.append(f" ({plain(page.preferred_name)})")
        if page.archived:
            head.append("  archived", style="italic")
        head.append(f"  consent: {page.consent or 'not on file'}", style="dim")
        if page.keep_until:
            head.append(f"  Keep records until {page.keep_until}", style="dim")
        warn = plain(page.contraindications).replace("\n", " ")[:200].strip()
        if page.pressure_limit:
            warn = f"pressure not above {page.pressure_limit}/10" + (f"; {warn}" if warn else "")
        if warn:
            head.append("\n⚠ " + warn, style="bold")
        if page.intake:
            head.append("\n" + page.intake, style="italic")
        self.query_one("#client-head", Static).update(head)
        self.sub_title = plain(page.name)
        table = self.query_one("#history", DataTable)
        table.clear()
        tz = self.app.settings.tz
        for n in self._notes:
            table.add_row(Text(f"{n.session_start.astimezone(tz):%Y-%m-%d}"),
                          safe(_short(n.complaint, 30)),
                          Text(f"{pain(n.pain_before)} → {pain(n.pain_after)}"),
                          Text(_technique(n.technique)),
                          Text("amended" if n.amendments else n.status,
                               style="italic" if n.status == "draft" else ""),
                          key=str(n.id))
        if not self._notes:
            table.add_row(Text("No notes yet: n starts one."), Text(""), Text(""), Text(""),
                          Text(""), key="none")
        points = [(f"{n.session_start.astimezone(tz):%Y-%m-%d}", n.pain_before, n.pain_after)
                  for n in reversed(self._notes[:40])
                  if n.pain_before is not None or n.pain_after is not None]  # not empty drafts
        trend = self.query_one("#trend", Static)
        t = Text()
        if len(points) >= 2:
            t.append("Pain trend (0-10, oldest → newest)\n", style="bold")
            t.append_text(pain_chart(points))
        responses = since_trend(self._notes[:40], tz)
        if responses:
            t.append(("\n" if t else "") + "Since the visit before (told on)\n",
                     style="bold")
            t.append(responses)
        if page.plan:
            t.append(("\n" if t else "") + "Plan of care (p)\n", style="bold")
            t.append(plain("\n".join(page.plan)))
        if page.measures:
            t.append(("\n" if t else "") + "Outcome measures (o: record one)\n", style="bold")
            t.append(plain("\n".join(page.measures)))
        if page.recurring:
            t.append(("\n" if t else "") + "Recurring trigger points (r: the grid)\n",
                     style="bold")
            t.append(plain("\n".join(page.recurring)))
        trend.update(t)
        trend.display = bool(t)
        self.query_one("#findings", Static).update(Hanging(page.findings))
        # The cursor goes to the note just opened (back from its editor or view), else stays on
        # the note it was on, so new drafts above it do not shift what Enter opens.
        for target in (self.app.last_note_id, was.id if was is not None else None):
            at = next((i for i, n in enumerate(self._notes) if n.id == target), None)
            if at is not None:
                table.move_cursor(row=at, animate=False)
                break
        self.refresh_bindings()

    def current(self):
        table = self.query_one("#history", DataTable)
        if not self._notes or not table.row_count:
            return None
        return self._notes[min(table.cursor_row, len(self._notes) - 1)]

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("new_note", "from_template"):
            return self.page is not None and not self.page.archived or None
        if action in ("amend", "discard"):  # the footer shows the one the row allows
            n = self.current()
            return n is not None and n.status == ("final" if action == "amend" else "draft")
        return True

    @guarded
    def action_recurrence(self) -> None:
        from notes_tui.ui.screens.recurrence import RecurrenceScreen

        name = self.page.name if self.page is not None else ""
        self.app.push_screen(RecurrenceScreen(self.client_id, name))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_move(self, step: int) -> None:
        table = self.query_one("#history", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    @on(DataTable.RowHighlighted, "#history")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#history")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.action_open()  # a click (Enter is the priority binding above)

    @guarded
    def action_open(self) -> None:
        n = self.current()
        if n is None:
            return
        if n.status == "draft":
            from notes_tui.ui.screens.editor import NoteEditor

            self.app.push_screen(NoteEditor(n.id, self.client_id))
        else:
            from notes_tui.ui.screens.final_note import FinalNoteScreen

            self.app.push_screen(FinalNoteScreen(n.id))

    @guarded
    def action_new_note(self, same: bool) -> None:
        client_id = self.client_id

        def job(services) -> int:
            return services.notes.start(client_id, same_as_last=same)

        from notes_tui.ui.screens.editor import NoteEditor

        # The editor opens at once and makes the draft in its worker: keys typed meanwhile are
        # held for the new note instead of reaching this screen's one-letter bindings (typing
        # "Sore neck" right after n used to start two more drafts and open "Edit client").
        self.app.push_screen(NoteEditor(None, client_id, create=job))
        self._say_what_was_started(same)

    def _say_what_was_started(self, same: bool) -> None:
        """Which note "same as last time" copied, and drafts already open for this client (a
        second draft for the same session is easy to start by mistake)."""
        parts = []
        if same:
            last = self.page.last_final if self.page is not None else None
            parts.append(f"Same as last time: copied from the note of {last.local_start:%Y-%m-%d}"
                         if last is not None else "No finalized note to copy yet: a blank note")
        drafts = sum(1 for n in self._notes if n.status == "draft")
        if drafts:
            parts.append(f"{drafts} earlier draft{'s' if drafts > 1 else ''} still open for "
                         "this client")
        if parts:
            self.notify(" · ".join(parts), markup=False, timeout=6)

    @guarded
    def action_from_template(self) -> None:
        from notes_tui.ui.note_templates import start_from_template
        from notes_tui.ui.screens.editor import NoteEditor

        client_id = self.client_id
        start_from_template(self, client_id, lambda create: self.app.push_screen(
            NoteEditor(None, client_id, create=create)))

    @guarded
    def action_amend(self) -> None:
        n = self.current()
        if n is not None and n.status == "final":
            from notes_tui.ui.screens.editor.amend import AmendEditor

            self.app.push_screen(AmendEditor(n.id, self.client_id))

    @guarded
    def action_discard(self) -> None:
        """Delete a draft started by mistake (a finalized note is never deleted). It asks
        first, with "no" as the answer Enter gives."""
        n = self.current()
        if n is None or n.status != "draft":
            return
        from notes_tui.ui.dialogs import confirm_then_write
        from notes_tui.ui.text import plain

        what = f"{n.session_start.astimezone(self.app.settings.tz):%Y-%m-%d %H:%M}" + (
            f" ({_short(plain(n.complaint), 40)})" if n.complaint else "")
        confirm_then_write(
            self, f"Discard the draft of {what}? Everything in it is deleted and cannot be "
            "brought back.", lambda services: services.notes.discard(n.id),
            lambda: (self.notify("Draft discarded"), self.reload()),
            yes="Discard", no="Keep", focus_no=True)

    @guarded
    def action_intake(self) -> None:
        from notes_tui.domain.intake import CONDITIONS, to_form
        from notes_tui.ui.screens.intake_form import intake_dialog

        client_id = self.client_id

        def opened(result) -> None:
            form, today = result
            self.app.push_screen(intake_dialog(client_id, form, today=today,
                                               conditions=CONDITIONS),
                                 lambda d: self._intake_saved() if d else None)

        in_thread(self, lambda services: (to_form(services.clients.get(client_id).intake),
                                          services.due.today()),
                  opened, hold_keys=True)

    @guarded
    def action_measure(self) -> None:
        from notes_tui.ui.screens.measure_form import measure_dialog, measure_picker

        client_id = self.client_id

        def form(result) -> None:
            defn, items, today = result
            self.app.push_screen(measure_dialog(client_id, defn, items=items, today=today),
                                 lambda d: self._measure_saved(defn.short) if d else None)

        def picked(choice) -> None:
            if not choice:
                return

            def job(services):
                from notes_tui.domain.measures import form_items

                defn = services.catalog.measures[choice[1]]
                taken = [t for t in services.clients.get(client_id).measures
                         if t.measure == defn.id]
                return defn, form_items(defn, taken[-1] if taken else None), services.due.today()

            in_thread(self, job, form, hold_keys=True)

        in_thread(self, lambda services: services.catalog.measures,
                  lambda measures: self.app.push_screen(measure_picker(measures), picked),
                  hold_keys=True)

    @guarded
    def action_plan(self) -> None:
        from notes_tui.domain.plan import FREQUENCIES, GOALS_ON_FORM, plan_to_form
        from notes_tui.ui.screens.plan_form import plan_dialog

        client_id = self.client_id

        def opened(result) -> None:
            client, today = result
            plan = client.plan
            self.app.push_screen(
                plan_dialog(client_id, plan_to_form(plan), new=plan is None, goals=GOALS_ON_FORM,
                            frequencies=tuple(FREQUENCIES), today=today.isoformat()),
                lambda d: self._saved("Plan of care saved") if d else None)

        in_thread(self, lambda services: (services.clients.get(client_id),
                                          services.due.today()), opened, hold_keys=True)

    @guarded
    def action_discharge(self) -> None:
        from notes_tui.ui.screens.plan_form import discharge_dialog

        client_id = self.client_id

        def opened(result) -> None:
            client, today = result
            if client.plan is None:
                self.notify("No current plan of care to discharge: p starts one.",
                            markup=False)
                return
            self.app.push_screen(discharge_dialog(client_id, today=today.isoformat()),
                                 lambda d: self._saved("Discharged: the plan of care is "
                                                       "ended") if d else None)

        in_thread(self, lambda services: (services.clients.get(client_id),
                                          services.due.today()), opened, hold_keys=True)

    def _saved(self, message: str) -> None:
        self.notify(message, markup=False)
        self.reload()

    def _measure_saved(self, name: str) -> None:
        self.notify(f"{name} recorded", markup=False)
        self.reload()

    def _intake_saved(self) -> None:
        self.notify("Intake saved", markup=False)
        self.reload()

    def action_edit_client(self) -> None:
        from notes_tui.ui.screens.client_form import client_dialog, client_initial

        client_id = self.client_id

        in_thread(self, lambda services: client_initial(services.clients.get(client_id)),
                  lambda initial: self.app.push_screen(
                      client_dialog(client_id, initial), lambda d: self.reload() if d else None),
                  hold_keys=True)


def _short(value: str, n: int) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def _technique(value: str) -> str:
    short = {"neuromuscular": "NMT", "swedish": "Swedish", "deep_tissue": "Deep tissue"}
    return short.get(value, value.replace("_", " ").capitalize())
