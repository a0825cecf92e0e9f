"""Keys never land in the wrong place while the screen they were meant for is still opening.

A key reaches the app, which sends it to the focused widget of the top screen. When a key opens
a screen (n for a new note, a for the muscle picker, Enter on a draft), that screen mounts,
loads and focuses its first field a moment later; keys typed in that moment used to reach the
old screen (where "e" in "Sore neck" opened Edit client) or a screen with nothing focused yet
(where they vanished), and text typed into the editor before its note had loaded was overwritten
by the loaded text.

So while something is opening, the app holds the keys (`KeyQueue.hold`, a count), and once it
is ready (`release`) replays them in order, each through the normal path (priority bindings,
the focused widget, bubbling, the screen's bindings) and fully handled before the next. Keys
that arrive during a replay queue behind it; a key that opens another screen during the replay
holds the rest for that screen. Keys bound at app level with priority (quit, help, the command
palette) are never held, and a hold that is not released within `WATCHDOG` seconds lets go, so
the keyboard can never stay stuck.

Who holds: NotesApp.push_screen for a screen with `HOLDS_KEYS = True` until it calls
`ready()` (the editor once its note is in, a dialog once its first field has focus, a client's
page once loaded), and the actions that open a screen from a worker (the template picker, the
client form, a table's pickers) from the key until that screen is pushed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from textual import events

WATCHDOG = 10.0  # seconds a hold may last before the held keys are let through anyway


class KeyQueue:
    def __init__(self, app) -> None:
        self.app = app
        self.holds = 0
        self.held: deque[tuple[str, str | None]] = deque()
        self._passing: events.Key | None = None
        self._replaying = False
        self._watchdog = None

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
        self._replay_if_free()

    def _let_go(self) -> None:
        self._watchdog = None
        self.holds = 0
        self._replay_if_free()

    def take(self, event: events.Key) -> bool:
        """True when the key is held for later (NotesApp.on_event asks for every key)."""
        if event is self._passing or not (self.holds or self.held):
            return False
        if self._app_level(event.key):
            return False
        self.held.append((event.key, event.character))
        return True

    def _app_level(self, key: str) -> bool:
        try:
            active = self.app.screen.active_bindings.get(key)
        except Exception:  # a screen between mount steps: hold the key rather than lose it
            return False
        return active is not None and active.node is self.app and active.binding.priority

    # --- replaying -----------------------------------------------------------------------------

    def _replay_if_free(self) -> None:
        if not self.holds and self.held and not self._replaying:
            self._replaying = True
            self.app.run_worker(self._replay(), group="keyqueue")

    async def _replay(self) -> None:
        try:
            while self.held and not self.holds:
                key, character = self.held.popleft()
                event = events.Key(key, character)
                self._passing = event
                self.app.post_message(event)
                await self._handled()
        finally:
            self._passing = None
            self._replaying = False
        self._replay_if_free()  # keys held while the last one was being handled

    async def _handled(self) -> None:
        """Wait until the key just posted has gone all the way: the app forwards it to the
        focused widget, which handles it or lets it bubble through its ancestors to the screen
        and back to the app (where the non-priority bindings run). A callback queued on each of
        those in turn runs only after the key has passed it."""
        app = self.app
        chain = [app]
        focused = app.focused
        if focused is not None:
            chain += [focused, *(n for n in focused.ancestors if n is not app)]
        else:
            chain.append(app.screen)
        chain.append(app)
        for node in chain:
            done = asyncio.Event()
            if node.call_later(done.set):
                with contextlib.suppress(TimeoutError):  # a node closed on the way: go on
                    await asyncio.wait_for(done.wait(), 2)


class HoldsKeys:
    """Mixin for a screen that holds the app's keys from its push until it calls `ready()`."""

    HOLDS_KEYS = True
    _keys_released = False

    def ready(self) -> None:
        """This screen can take keys now: replay what was typed meanwhile (once)."""
        if not self._keys_released:
            self._keys_released = True
            queue = getattr(self.app, "keys", None)
            if queue is not None:
                queue.release()

    def hold_again(self) -> None:
        """This screen is about to change under the keys (a reload): hold them until the next
        `ready()`."""
        queue = getattr(self.app, "keys", None)
        if queue is not None and self._keys_released:
            self._keys_released = False
            queue.hold()

    def on_unmount(self) -> None:
        self.ready()  # closed before it was ready (a failed load): never keep the keys
