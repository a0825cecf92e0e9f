"""Every key lands where it was meant: one key at a time, and none while a screen is changing.

A terminal's keys reach the app, which hands each to the focused widget of the top screen and
goes straight on to the next. Textual then handles them concurrently: every widget and screen
has its own queue, so a key's consequences (an Input's Submitted message, a dialog closing, a
screen opening, the focus moving) can come after the keys typed behind it. Typed fast, "lev"
Enter "l" in the muscle picker filtered on "levl" before Enter was acted on; keys typed while a
form or the editor opened reached the screen underneath, or nothing.

So the app lets one key through at a time (`KeyQueue.take`, asked by NotesApp.on_event for
every key from the terminal). A key goes on only when the one before has gone all the way: the
app forwarded it, the focused widget handled it and the messages it posted to itself (Changed,
Submitted, a table's Action), and it bubbled through the widget's ancestors to the screen and
back to the app (where the screen's and the app's bindings run), and the focus moves those
asked for have been made (`Widget.focus` is itself a callback on the app). Keys that arrive
meanwhile wait in order. A key typed at human speed never waits: the queue is empty.

And while something is changing under the keys, the app holds them (`hold`, a count) and, once
it is ready (`release`), lets them through in order:
- a screen with `HOLDS_KEYS` from its push until it calls `ready()` (the editor once its note is
  in, a dialog once its first field has focus, a client's page once loaded);
- a dialog from its `dismiss` until the screen that opened it has taken the result (which may
  open the next dialog: "lev" Enter then "l" picks the side);
- the actions that open a screen from a worker (the template picker, the client form, a
  table's pickers) or close one after a save (a form's ctrl+s), from the key until it is done.

Keys bound at app level with priority (quit, help, the command palette) are never held by a
screen that is opening (they go at once, so a stuck screen can always be left), but wait their
turn behind keys typed before them (text then ctrl+q saves the text); a hold not released
within `WATCHDOG` seconds lets go, so the keyboard can never stay stuck.

Only public Textual API is used here (`App.on_event`, `post_message`, `call_later`,
`run_worker`, `Screen.active_bindings`); ui/textual_private.py lists what the app still takes
from Textual's internals and why.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from textual import events

WATCHDOG = 15.0  # seconds a hold may last before the held keys are let through anyway
ROUNDS = 2  # passes over the chain: the key itself, then the messages its handler posted
HOP_TIMEOUT = 2.0  # a node that does not answer (closed on the way) is passed by


class KeyQueue:
    def __init__(self, app) -> None:
        self.app = app
        self.holds = 0
        self.held: deque[tuple[str, str | None]] = deque()
        self._passing: events.Key | None = None  # the key being let through now
        self._busy = False  # a key is on its way (let through, not yet fully handled)
        self._watchdog = None

    @property
    def idle(self) -> bool:
        """No key on its way, none waiting, no hold (for tests and the stall benchmark)."""
        return not (self._busy or self.held or self.holds)

    # --- holding -------------------------------------------------------------------------------

    def hold(self) -> None:
        self.holds += 1
        if self._watchdog is not None:
            self._watchdog.stop()
        self._watchdog = self.app.set_timer(WATCHDOG, self._let_go)

    def release(self) -> None:
        if self.holds:
            self.holds -= 1
        if not self.holds and self._watchdog is not None:
            self._watchdog.stop()
            self._watchdog = None
        self._next()

    def _let_go(self) -> None:
        self._watchdog = None
        self.holds = 0
        self._next()

    def after_result(self, screen, callback):
        """The result callback for `screen` (pushed with `callback`): once the screen that
        opened it has taken the result, the hold its `dismiss` took (HoldsKeys.dismiss) lets go.
        A dialog the result opens holds the keys itself before that."""

        def taken(result):
            try:
                if callback is not None:
                    return callback(result)
            finally:
                if getattr(screen, "_closing_hold", False):
                    screen._closing_hold = False
                    self.release()

        return taken

    # --- one key at a time ---------------------------------------------------------------------

    def take(self, event: events.Key) -> bool:
        """True when the key waits its turn (NotesApp.on_event asks for every key). A key that
        goes on now is watched until it has been handled."""
        if event is self._passing:
            return False
        if self.holds and self._app_level(event.key):
            return False  # quit, help, the palette: never held by a screen still opening
        if self._busy or self.holds or self.held:
            # behind the keys typed before it, quit included: "Sore" then ctrl+q saves "Sore"
            self.held.append((event.key, event.character))
            return True
        self._start(event)
        return False

    def _app_level(self, key: str) -> bool:
        try:
            active = self.app.screen.active_bindings.get(key)
        except Exception:  # a screen between mount steps: hold the key rather than lose it
            return False
        return active is not None and active.node is self.app and active.binding.priority

    def _start(self, event: events.Key) -> None:
        """`event` is on its way now: the next key waits until it has been handled."""
        self._busy = True
        # the coroutine function, not a coroutine: a worker that never starts (the app
        # closing) leaves no coroutine behind unawaited
        self.app.run_worker(self._watch, group="keyqueue", exit_on_error=False)

    def _next(self) -> None:
        """Let the next waiting key through, if nothing holds the keys and none is on its way."""
        if self._busy or self.holds or not self.held:
            return
        key, character = self.held.popleft()
        event = events.Key(key, character)
        self._passing = event
        self._start(event)
        self.app.post_message(event)

    async def _watch(self) -> None:
        try:
            await self._handled()
        finally:
            self._busy = False
            self._passing = None
        self._next()

    async def _handled(self) -> None:
        """Wait until the key just let through has gone all the way: the app forwards it to the
        focused widget, which handles it (posting messages to itself, such as Submitted) or
        lets it bubble through its ancestors to the screen and back to the app (where the
        non-priority bindings run). A callback queued on each of those in turn runs only after
        what was queued there before it; the second round comes after the messages the first
        one's handlers posted, and the app's last callback after the focus moves they asked."""
        app = self.app
        await self._after(app)  # the app has forwarded the key
        focused = app.focused
        chain = [focused, *(n for n in focused.ancestors if n is not app)] \
            if focused is not None else [app.screen]
        for _ in range(ROUNDS):
            for node in chain:
                await self._after(node)
        await self._after(app)

    @staticmethod
    async def _after(node) -> None:
        done = asyncio.Event()
        if node.call_later(done.set):
            with contextlib.suppress(TimeoutError):  # a node closed on the way: go on
                await asyncio.wait_for(done.wait(), HOP_TIMEOUT)


class HoldsKeys:
    """Mixin for a screen that holds the app's keys from its push until it calls `ready()`."""

    HOLDS_KEYS = True
    _keys_released = False
    _closing_hold = False  # dismiss() holds the keys until the result has been taken

    def ready(self) -> None:
        """This screen can take keys now: let through what was typed meanwhile (once), after
        the focus moves already asked for (Widget.focus is a callback on the app)."""
        if not self._keys_released:
            self._keys_released = True
            queue = getattr(self.app, "keys", None)
            if queue is not None:
                self.app.call_later(queue.release)

    def hold_again(self) -> None:
        """This screen is about to change under the keys (a reload): hold them until the next
        `ready()`."""
        queue = getattr(self.app, "keys", None)
        if queue is not None and self._keys_released:
            self._keys_released = False
            queue.hold()

    def dismiss(self, result=None):
        """Closing: the keys typed from now on wait until the screen underneath has taken the
        result (KeyQueue.after_result), instead of reaching this screen on its way out or the
        one underneath before it has opened the next dialog."""
        queue = getattr(self.app, "keys", None)
        if queue is not None and not self._closing_hold:
            self._closing_hold = True
            queue.hold()
        return super().dismiss(result)

    def on_unmount(self) -> None:
        self.ready()  # closed before it was ready (a failed load): never keep the keys
