"""A note, read-only: what search results and the client's history open.

Shows every part of the note (the therapist's own view), amendments after the original, and
offers the handout PDF and a search of this client's history.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from notes_tui.ui.background import in_thread, off_thread
from notes_tui.ui.text import Hanging, plain
from notes_tui.ui.widgets.footer import NotesFooter


def note_text(pres) -> Text:
    """The whole note (its presentation) as display text (user strings inert: never markup)."""
    meta = pres.meta
    out = Text()

    def head(title: str) -> None:
        out.append(f"\n{title}\n", style="bold underline")

    def line(label: str, value) -> None:
        if value not in (None, "", []):
            out.append(f"{label}: ", style="bold")
            out.append(plain(value) + "\n")

    out.append(plain(meta.client_name), style="bold")
    out.append(f"  {meta.local_start:%A %d %B %Y %H:%M} · {meta.status}\n", style="dim")
    if pres.amendments:
        n = len(pres.amendments)
        out.append(f"Amended {n} time{'s' * (n > 1)} since it was finalized: the "
                   f"amendment{'s' * (n > 1)} at the end correct{'s' * (n == 1)} what is "
                   "below.\n", style="bold")
    line("Therapist", f"{meta.therapist_name} {meta.therapist_registration}".strip())
    line("Duration", pres.duration)
    line("Technique", pres.technique)
    from notes_tui.services.presentation import consent_lines

    for label, value in consent_lines(pres.content):
        line(label, value)
    if pres.since:
        head("Since the last visit")
        for label, value in pres.since:
            line(label, value)
    head("1 Assessment")
    line("Complaint", pres.complaint)
    line("Pain before", pres.pain_before_said)
    line("Pain locations", ", ".join(pres.pain_locations))
    for p in pres.posture:
        line("Posture", p.therapist)
    for r in pres.rom:
        line("ROM", r)
    for m in pres.muscles:
        line("Muscle", m)
    line("Therapist summary", pres.therapist_summary)
    line("Client summary", pres.client_summary)
    head("2 Work and trigger points")
    for i, w in enumerate(pres.work, start=1):
        line(f"Work {i}", w.therapist)
    line("Positioning", pres.positioning)
    line("Areas avoided", pres.areas_avoided)
    for tp in pres.points:
        out.append(f"{tp.number}. ", style="bold")
        out.append(plain(f"{tp.muscle} {tp.side.label} {tp.label}".strip()))
        pressure = "no pressure recorded" if tp.pressure is None else f"pressure {tp.pressure}/10"
        out.append(plain(f" · {tp.activity} · {tp.technique} · {pressure} · "
                         f"{tp.response.label if tp.response else 'no response recorded'}"),
                   style="dim")
        if tp.referred_pain:
            out.append(plain(f"\n   refers to {tp.referred_pain}"), style="dim")
        if tp.note:
            out.append(plain(f"\n   {tp.note}"))
        out.append("\n")
    head("3 Movement cues")
    for cue in pres.cues:
        line("Cue", cue.therapist
             + (f" (with point {cue.trigger_point})" if cue.trigger_point else "")
             + (f": {cue.response}" if cue.response else ""))
    head("4 Follow-up")
    line("Pain after", pres.pain_after_said)
    line("Next visit", pres.next_visit_record)
    for h in pres.home_care:
        line("Home care", h.therapist + (f": {h.dosage.text()}" if h.dosage.text() else ""))
    line("Advice", pres.advice)
    line("What to expect", pres.what_to_expect)
    line("When to get in touch", pres.when_to_contact)
    line("Referral", pres.referral)
    for a in pres.amendments:
        head(f"Amendment {a.at:%Y-%m-%d %H:%M} by {plain(a.author)}")
        line("Reason", a.reason)
        out.append(plain(a.text) + "\n")
    return out


class NoteViewScreen(Screen):
    """A note, read-only."""

    HELP = ("The note as recorded. e: client handout PDF; o then opens it in your PDF viewer. "
            "ctrl+f: search this client's notes.")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="note_view.back"),
        Binding("e", "export", "Handout PDF", id="note_view.export"),
        Binding("o", "open_export", "Open handout", id="note_view.open_export"),
        Binding("ctrl+f", "search_client", "Search client", id="note_view.search_client"),
    ]
    DEFAULT_CSS = """
    NoteViewScreen #note-body { padding: 0 2; }
    """

    def __init__(self, note_id: int) -> None:
        super().__init__()
        self.note_id = note_id
        self._view = None
        self._exported: Path | None = None  # the handout written last, which o opens

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("Loading…", id="note-body", markup=False)
        yield NotesFooter()

    def on_mount(self) -> None:
        self.app.last_note_id = self.note_id  # the client's history puts its cursor here after
        self.load()

    def load(self) -> None:
        note_id = self.note_id

        def job(services):
            from notes_tui.services.presentation import present_view

            view = services.notes.get(note_id)
            return view, note_text(present_view(view, services.catalog))

        in_thread(self, job, lambda loaded: self._show(*loaded), group="note", exclusive=True)

    def _show(self, view, text: Text) -> None:
        self._view = view
        self.query_one("#note-body", Static).update(Hanging(text))

    def action_export(self) -> None:
        note_id = self.note_id
        in_thread(self, lambda services: services.handouts.export(note_id, preview=True),
                  self._written, group="export", exclusive=True)

    def _written(self, result) -> None:
        message = f"Handout written: {result.path}"
        if result.missing_glyphs:
            message += f" (cannot show: {' '.join(sorted(result.missing_glyphs))})"
        self._exported = Path(result.path)
        self.refresh_bindings()
        keys = (self.app.settings.keymap or {}).get("note_view.open_export", "o")
        key = self.app.get_key_display(Binding(keys.split(",")[0], ""))
        self.notify(f"{message} · {key} opens it", markup=False, timeout=8)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "open_export":
            return self._exported is not None
        return True

    def action_open_export(self) -> None:
        """The last handout in the system's PDF viewer; never waits for the viewer."""
        path = self._exported
        if path is not None:
            off_thread(self, lambda: _open_handout(path),
                       lambda message: self.notify(message, markup=False, timeout=8),
                       group="open")

    def action_search_client(self) -> None:
        from notes_tui.ui.screens.search import SearchScreen

        if self._view is not None:
            self.app.push_screen(SearchScreen(client_id=self._view.client_id,
                                              client_name=self._view.client_name))


def _open_handout(path: Path) -> str:
    """Open `path` in the system's PDF viewer (worker thread); what to tell the therapist."""
    from notes_tui.ui.opener import NoViewer, open_file

    try:
        open_file(path)
    except NoViewer:
        return f"No PDF viewer was found on this computer. The handout is at {path}"
    except OSError as exc:
        return (f"Could not open the handout ({exc.strerror or type(exc).__name__}). "
                f"It is at {path}")
    return f"Opening {path.name} in your PDF viewer"
