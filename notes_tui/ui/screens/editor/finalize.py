"""Step 5: the finalize checklist (what is missing or still to confirm, each item a jump to its
field or table), the note as the client will read it, and finalizing into a locked record."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from notes_tui.ui.screens.editor.layout import JUMP
from notes_tui.ui.text import Hanging
from notes_tui.ui.widgets.row_table import RowTable


def refresh_review(screen) -> None:
    if not screen._ready:  # the editor's own state
        return
    from notes_tui.domain.checklist import finalize_checklist
    from notes_tui.services.handouts import client_sections_of
    from notes_tui.services.presentation import meta_of, present
    from notes_tui.ui.screens.editor.review import (
        client_text,
        plan_moves_text,
        record_rom,
        session_line,
    )

    content = screen.snapshot() or screen.base
    basis = screen.handout_basis
    meta = meta_of(basis.view)
    sections = client_sections_of(content, meta, screen.catalog,
                                  clinic=basis.clinic, progress=basis.progress)
    screen.query_one("#review-text", Static).update(
        Hanging(session_line(meta.local_start, content.duration_minutes)
                + client_text(sections) + record_rom(present(content, meta, screen.catalog))
                + plan_moves_text(basis.plan, basis.previous_day)))
    # What blocks first, in step order (the order the therapist fixes them in), then warnings
    from notes_tui.domain.checklist import ChecklistItem
    found = finalize_checklist(content, consent_on_file=screen.consent,
                               therapist_named=bool(screen.app.settings.therapist_name))
    # the client's contraindications against the rows: a caution to look at, never a refusal
    found += [ChecklistItem(c.row[0] or ("trigger_points" if c.step == 2 else "muscles"), c.step,
                            "Caution: " + c.message, blocking=False)
              for c in basis.cautions(content, screen.catalog)]
    items = sorted(found, key=lambda i: (not i.blocking, i.step))
    screen.checklist_items = items
    if not any(i.blocking for i in items):
        screen.query_one("#notice", Static).update("")  # nothing blocks any more
    checklist = screen.query_one("#checklist", OptionList)
    checklist.clear_options()
    for item in items:
        mark = "✗ " if item.blocking else "! "
        where = f"  (step {item.step})" if item.key in JUMP else ""
        checklist.add_option(Option(Text(mark + item.message + where)))
    if not items:
        checklist.add_option(Option(Text("✓ Ready to finalize"), id="ready"))
    checklist.highlighted = 0


def blocking(screen) -> list:
    return [i for i in screen.checklist_items if i.blocking]


def jump(screen, index: int) -> None:
    """Enter on a checklist item: go to its field, or to the first row still to confirm."""
    items = screen.checklist_items
    if not items:
        ask(screen)  # "Ready to finalize"
        return
    if not 0 <= index < len(items):
        return
    item = items[index]
    target = JUMP.get(item.key)
    if target is None:
        if item.key == "consent":
            screen.notify("Consent is recorded on the client: Esc, then ctrl+e on the client "
                          "screen.", markup=False)
        elif item.key == "therapist":
            screen.app.set_identity(screen)  # the palette's "Your name" form, for this draft
        return
    step, selector = target
    screen.action_step(step)
    widget = screen.query_one(selector)
    widget.focus()
    if isinstance(widget, RowTable):
        first = screen.rows.first_unconfirmed(widget.kind)
        if first is not None:
            widget.move_cursor(row=first)


def ask(screen) -> None:
    from notes_tui.ui.dialogs import ConfirmDialog

    refresh_review(screen)
    missing = blocking(screen)
    if missing:
        screen.query_one("#notice", Static).update(Text(
            "Cannot finalize yet: " + "; ".join(i.message for i in missing)))
        screen.query_one("#checklist").focus()
        return
    screen.app.push_screen(ConfirmDialog(
        "Finalize this note? It becomes a locked record; later changes are amendments.",
        yes="Finalize", no="Not yet"), lambda yes: _confirmed(screen, yes))


def _confirmed(screen, yes: bool | None) -> None:
    if not yes:
        return
    if screen.autosaver.dirty:
        screen.set_save_state("saving")
    # the keys typed meanwhile wait for the locked note's screen (ui/keyhold.py)
    keys = getattr(screen.app, "keys", None)
    if keys is not None:
        keys.hold()

    def saved(exc: BaseException | None) -> None:
        try:
            _saved(screen, exc)
        finally:
            if keys is not None:
                keys.release()  # the finalize worker holds them itself from here

    screen.autosaver.when_saved(saved)


def _saved(screen, exc: BaseException | None) -> None:
    """The last edits are in (saved in the autosaver's worker, never here): lock the note. A
    save that failed stops here; the status line says why and the autosaver retries."""
    from notes_tui.ui.background import in_thread

    if exc is not None:
        failure = screen.autosaver.failure
        if screen.gone is None and failure is not None:  # gone: the editor asks already
            screen.notify(f"Not finalized: the last changes are not saved yet "
                          f"({failure.reason})", severity="warning", markup=False)
        return
    screen._final = True  # the editor's own state
    note_id = screen.note_id

    def job(services):
        return [w.message for w in services.notes.finalize(note_id)]

    def failed(exc: BaseException) -> None:
        from notes_tui.ui.background import report

        screen._final = False
        report(screen, exc)
        refresh_review(screen)

    # hold_keys: what is typed while it saves (Esc...) reaches the finalized note's screen
    in_thread(screen, job, lambda warnings: _finalized(screen, warnings), failed=failed,
              group="finalize", hold_keys=True)


def _finalized(screen, warnings: list[str]) -> None:
    from notes_tui.ui import resume
    from notes_tui.ui.screens.final_note import FinalNoteScreen

    resume.forget()
    screen.notify("Note finalized" + (f" ({'; '.join(warnings)})" if warnings else ""),
                  markup=False)
    screen.app.switch_screen(FinalNoteScreen(screen.note_id))
