"""Leaving the editor without losing a word, and a draft taken away by another program.

Esc and quit wait for the save through the autosaver's worker (the screen keeps drawing and
says "saving…"); when the text cannot be saved they ask: keep it in a recovery file (the next
start offers it back, ui/recovery.py) or go back to the note. A draft finalized or discarded by
another program while it is open stops taking edits into the old draft: the editor says so in
its status and notice lines, and what is typed from then on is saved into the recovery file
instead (no key typed at that moment is lost to a dialog that opened under it); Esc or quit asks
where the text goes: an amendment, a new draft for the client, or the recovery file. The signal
and fatal paths, which have no loop to wait on, use `last_chance`.
"""

from __future__ import annotations

from collections.abc import Callable

from notes_tui.ui import recovery

KEEP = ("keep", "k", "Keep my text in a recovery file")
BACK = ("back", "g", "Go back to the note")


def typed(editor):
    """What the fields hold now, saved or not (None before the note is loaded)."""
    if not editor._ready:  # the editor's own state
        return None
    return editor.form.read(editor.rows.rows)


def keep_in_file(editor, reason: str) -> str | None:
    """Write the editor's text to its recovery file; None when done, else why not."""
    content = typed(editor)
    if content is None:
        return None
    return recovery.keep_file(note_id=editor.note_id, client_id=editor.client_id,
                              client_name=editor.client_name, content=content,
                              edit_session=editor.edit_session, reason=reason)


def _failure_line(editor, exc: BaseException) -> str:
    from notes_tui.ui.autosave import reason_for

    failure = editor.autosaver.failure
    return failure.line(retrying=False) if failure is not None else \
        f"not saved: {reason_for(exc)}"


def leave(editor, then: Callable[[], None], *, quitting: bool = False) -> None:
    """Save what is typed, then `then()`; when it cannot be saved, ask first. Keys typed
    meanwhile wait (ui/keyhold.py) for the screen the editor makes way for, as they do while a
    screen opens; quit is never held, and quitting while Esc waits waits for the same save."""
    if editor.leaving and not quitting:
        return
    if editor.gone is not None:
        offer_gone(editor, then)
        return
    editor.leaving = True
    # quitting holds nothing: held keys would be replayed into an app with no screens left
    keys = None if quitting else getattr(editor.app, "keys", None)
    if keys is not None:
        keys.hold()
    if editor.autosaver.dirty:
        editor.set_save_state("saving")
        if quitting and editor.app.screen is not editor:
            editor.app.notify("Saving your note before quitting…", markup=False, timeout=3)

    def saved(exc: BaseException | None) -> None:
        editor.leaving = False
        try:
            if exc is None:
                editor.autosaver.stop()
                then()
            elif editor.gone is not None:
                offer_gone(editor, then)
            else:
                offer_keep(editor, exc, then)
        finally:
            if keys is not None:
                keys.release()  # a dialog or the next screen holds them itself from here

    editor.autosaver.when_saved(saved)


def offer_keep(editor, exc: BaseException, then: Callable[[], None]) -> None:
    """The save failed while leaving: a recovery file, or back to the note."""
    line = _failure_line(editor, exc)
    question = (f"Your note is {line}. Your text is still on screen. Keep it in a recovery "
                "file (the next start offers it back), or go back to the note?")

    def answered(choice: str | None) -> None:
        if choice == "keep":
            reason = editor.autosaver.failure.reason if editor.autosaver.failure else ""
            _kept_or_told(editor, reason, then)

    recovery.ask(editor.app, question, [KEEP, BACK], answered, cancel="back")


def _kept_or_told(editor, reason: str, then: Callable[[], None] | None) -> bool:
    problem = keep_in_file(editor, reason)
    if problem is not None:
        editor.app.notify(f"The recovery file could not be written either ({problem}). Your "
                          "text is still on screen.", severity="error", markup=False,
                          timeout=15)
        return False
    editor.autosaver.stop()
    editor.kept = True
    editor.app.notify("Your text is kept in a recovery file; the next start offers it back",
                      markup=False, timeout=8)
    if then is not None:
        then()
    else:
        editor.app.pop_screen()
    return True


# --- finalized or discarded elsewhere --------------------------------------------------------

def went_away(editor, exc: BaseException):
    """The autosaver found the draft finalized or discarded by another program (UI thread).
    Nothing more goes into the old draft; the autosaver saves into the recovery file from now
    on (the (snapshot, write) pair returned)."""
    from notes_tui.services.recovery import is_gone

    editor.gone = exc
    editor.gone_at = editor.autosaver.now()
    editor._final = True  # no save, finalize or ctrl+s into the old draft
    kind = is_gone(exc) or "changed"
    editor.notify(f"This draft was {kind} in another program: what you type now is kept in a "
                  "recovery file, not in the note. Esc: choose where it goes.",
                  severity="warning", markup=False, timeout=10)

    def write(_services, content) -> bool:
        problem = recovery.keep_file(note_id=editor.note_id, client_id=editor.client_id,
                                     client_name=editor.client_name, content=content,
                                     edit_session=editor.edit_session,
                                     reason=f"the note was {kind} in another program")
        if problem is not None:
            raise OSError(problem)
        return True

    return (lambda: typed(editor)), write


def gone_line(editor) -> str:
    """The status of a draft finalized or discarded elsewhere (the notice line shows it)."""
    from notes_tui.services.recovery import is_gone

    kind = is_gone(editor.gone) or "changed"
    return (f"not saved since {editor.gone_at:%H:%M}: the note was {kind} in another program; "
            "what you type goes to a recovery file (Esc: choose where)")


def _taken(editor) -> None:
    """The text is in an amendment or a new draft: no recovery file for it any more."""
    from notes_tui.services.recovery import forget, path_for

    editor.kept = True
    editor.autosaver.stop()
    forget(path_for(editor.note_id, editor.edit_session))


def offer_gone(editor, then: Callable[[], None] | None) -> None:
    """Where the text goes now that the draft is no longer one. `then` (leaving or quitting)
    runs once it is kept; without it the editor makes way for what was chosen."""
    from notes_tui.services.recovery import is_gone

    if editor.kept:
        if then is not None:
            then()
        return
    kind = is_gone(editor.gone) or "changed"
    since = f" at about {editor.gone_at:%H:%M}"
    choices = [("amend", "a", "Add my text as an amendment to the finalized note")] \
        if kind == "finalized" else []
    choices += [("new", "d", f"Start a new draft for {editor.client_name or 'this client'} "
                              "with my text"), ("file", "k", "Keep my text in a recovery file")]
    question = (f"This draft was {kind} in another program{since}: what you typed since is not "
                "in it (it is in a recovery file for now). Where should your text go?")
    again = lambda: offer_gone(editor, then)  # noqa: E731

    def answered(choice: str | None) -> None:
        if choice == "amend":
            _as_amendment(editor, then, again)
        elif choice == "new":
            _as_new_draft(editor, then, again)
        elif choice == "file":
            if not _kept_or_told(editor, f"the note was {kind} in another program", then):
                again()
        else:  # back to the note: typing goes on into the recovery file
            editor.set_save_state("saved")

    recovery.ask(editor.app, question, choices, answered, cancel="stay")


def _as_amendment(editor, then, again) -> None:
    from notes_tui.ui.screens.editor.amend import amend_dialog

    content, app, note_id = typed(editor), editor.app, editor.note_id
    view = editor.handout_basis.view if editor.handout_basis is not None else None
    when = f"{view.local_start:%A %d %B %Y %H:%M}" if view is not None else "this session"

    def added(amendment) -> None:
        if not amendment:
            again()
            return
        _taken(editor)
        app.notify("Your text was added as an amendment", markup=False)
        if then is not None:
            then()
            return
        from notes_tui.ui.screens.final_note import FinalNoteScreen

        app.switch_screen(FinalNoteScreen(note_id))

    app.push_screen(amend_dialog(note_id, when, content), added)


def _as_new_draft(editor, then, again) -> None:
    from notes_tui.ui.background import in_thread

    content, app, client_id, step = typed(editor), editor.app, editor.client_id, editor.step
    data = content.model_dump(mode="json")

    def done(note_id: int) -> None:
        _taken(editor)
        app.notify("Your text is in a new draft", markup=False)
        if then is not None:
            then()
            return
        from notes_tui.ui.screens.editor import NoteEditor

        app.switch_screen(NoteEditor(note_id, client_id, step))

    def failed(exc: BaseException) -> None:
        from notes_tui.ui.autosave import reason_for

        app.notify(f"No new draft was started ({reason_for(exc)})", severity="error",
                   markup=False, timeout=10)
        again()

    in_thread(app, lambda services: services.notes.start(client_id, content=data), done,
              failed=failed, group="recovery")


def last_chance(editor) -> str:
    """A signal, a crash or an exit with no loop to wait on: save within a bounded wait, else
    keep the text in the recovery file. Returns what happened, for the exit line:
    "saved", "kept", "lost: <why>" or "" (nothing to save). Never raises."""
    try:
        if editor.kept or not editor._ready:
            return ""
        if editor.gone is not None:
            problem = keep_in_file(editor, "the note was changed in another program")
            return "kept" if problem is None else f"lost: {problem}"
        if editor.autosaver.stopped:
            return ""
        content, exc = editor.autosaver.save_bounded()
        if exc is None:
            return "saved" if content is not None else ""
        from notes_tui.ui.autosave import reason_for

        reason = reason_for(exc)
        problem = keep_in_file(editor, reason)
        if problem is None:
            editor.kept = True
            return "kept"
        return f"lost: {problem}"
    except Exception as exc:  # the last chance must not stop the exit
        from notes_tui.errorlog import log_unexpected

        log_unexpected(exc)
        return "lost: an unexpected error"
