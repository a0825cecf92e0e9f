"""Templates in the app: start a note from a template (pick, then the side when it matters) and
save a note as a template. Loading and writing happen in a worker; names are shown as text."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from notes_tui.ui.background import in_thread
from notes_tui.ui.dialogs import Dialog, FieldSpec, FormDialog, PickerDialog

SIDES = {"left": "Left", "right": "Right", "bilateral": "Both sides"}


class SideDialog(Dialog[str | None]):
    """Which side the template's points are on: l, r or b."""

    HELP = "l: left, r: right, b: both sides. Esc cancels."
    BINDINGS = [
        Binding("l", "choose('left')", "Left", id="side.left"),
        Binding("r", "choose('right')", "Right", id="side.right"),
        Binding("b", "choose('bilateral')", "Both", id="side.both"),
        Binding("escape", "choose('')", "Cancel", id="side.cancel"),
    ]

    def __init__(self, template_name: str) -> None:
        super().__init__()
        self.template_name = template_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"{self.template_name}: which side?"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                for value, label in SIDES.items():
                    yield Button(f"{label} ({label[0].lower()})", id=f"side-{value}")

    def on_mount(self) -> None:
        self.query_one("#side-bilateral", Button).focus()

    def action_choose(self, side: str) -> None:
        self.dismiss(side or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "side-bilateral").removeprefix("side-"))


def _label(t) -> Text:
    label = Text(t.name, style="bold")
    if t.source == "user":
        label.append("  (yours)", style="italic")
    if t.summary:
        label.append(f"\n{t.summary}")
    return label


def start_from_template(screen: Screen, client_id: int,
                        opened: Callable[[Callable[[object], int]], None]) -> None:
    """Pick a template, then the side if the template has sided points; then `opened(create)`,
    where `create(services) -> note id` makes the draft (the editor runs it in its worker, so
    keys typed meanwhile are held by the editor, not taken by the client screen)."""

    def loaded(found) -> None:
        templates = list(found.templates.values())
        for problem in found.problems:
            screen.notify(f"Skipped a template: {problem}", severity="warning", markup=False,
                          timeout=10)
        if not templates:
            screen.notify("No note templates were found", severity="warning", markup=False)
            return

        def search(query: str) -> list[tuple[str, Text]]:
            words = query.casefold().split()
            found = []
            for order, t in enumerate(templates):
                name = t.name.casefold()
                text = " ".join([name, t.summary.casefold(), t.id.casefold(),
                                 *(p.muscle_id.replace("_", " ") for p in t.trigger_points)])
                if all(w in text for w in words):
                    # A template whose name holds the words comes before one that only
                    # mentions them ("headache" finds the headache template first).
                    found.append((sum(w not in name for w in words), order, t))
            return [(t.id, _label(t)) for _miss, _order, t in sorted(found)]

        def picked(choice) -> None:
            if not choice:
                return
            template = found.get(choice[1])
            if template is None:
                return
            if any(p.side == "{side}" for p in template.trigger_points):
                screen.app.push_screen(SideDialog(template.name),
                                       lambda side: side and create(template.id, side))
            else:
                create(template.id, "bilateral")

        screen.app.push_screen(PickerDialog("New note from a template", search, free_text=False),
                               picked)

    def create(template_id: str, side: str) -> None:
        opened(lambda services: services.templates.start(client_id, template_id, side=side))

    # hold_keys: "t" then "jaw" typed fast go to the picker
    in_thread(screen, lambda services: services.templates.list(), loaded, hold_keys=True)


def save_as_template_dialog(note_id: int, suggested: str = "") -> FormDialog:
    """Name the template; it is written to the user's templates folder (never overwriting)."""
    saved: dict = {}

    def save(services, data: dict) -> None:
        saved["path"] = services.templates.save_from_note(note_id, data["template_name"])
        data["path"] = str(saved["path"])

    return FormDialog(
        "Save this note as a template (its points, cues, home care and follow-up wording; "
        "never its findings, pain or summaries)",
        [FieldSpec("template_name", "Template name", value=suggested, max_length=80)], save=save)
