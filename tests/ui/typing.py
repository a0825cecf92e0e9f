"""Typing at full speed into a slow database, for the tests that every key lands where it was
meant (tests/ui/test_ui_fast_keys.py).

`SlowContext` slows every database call the app makes (a write waits `write_delay` before it
begins, a read `read_delay`), as a busy laptop or a clinic's shared server would; `burst` hands
the app a whole key sequence at once, with no pause between keys, the way a fast typist's keys
arrive while the screen they are meant for is still opening.
"""

from __future__ import annotations

import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from textual import events

from notes_tui.services.context import Context

WRITE_DELAY = 0.2  # seconds before each write transaction begins
READ_DELAY = 0.15  # seconds before each read (every screen load is at least one)


@dataclass
class SlowContext(Context):
    write_delay: float = WRITE_DELAY
    read_delay: float = READ_DELAY

    @contextmanager
    def write(self):
        time.sleep(self.write_delay)
        with super().write() as session:
            yield session

    @contextmanager
    def read(self):
        time.sleep(self.read_delay)
        with super().read() as session:
            yield session


def slow_factory(ctx: Context, **delays):
    """A context factory for make_app: the same database and settings as `ctx`, slowed."""
    return lambda: SlowContext(url=ctx.url, settings=ctx.settings,
                               catalog_dirs=ctx.catalog_dirs, **delays)


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key` (a Pilot key name or one character), as Pilot
    builds it."""
    # Pilot's own key naming (textual.keys): private helpers, used by the tests only
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def words(*parts: str) -> list[str]:
    """A key script: a part in angle brackets is one key ("<tab>"), anything else is typed
    character by character."""
    keys: list[str] = []
    for part in parts:
        if part.startswith("<") and part.endswith(">") and len(part) > 2:
            keys.append(part[1:-1])
        else:
            keys.extend(part)
    return keys


def burst(app, keys: list[str]) -> None:
    """Every key of `keys` reaches the app at once, as from a terminal (no pause between)."""
    for key in keys:
        app.post_message(key_event(key))


async def typed_out(pilot, limit: float = 30.0) -> None:
    """Wait until every key sent has been handled and the app is quiet: no key held, no
    worker running, the screen drawn."""
    app = pilot.app
    deadline = time.monotonic() + limit
    quiet = 0
    while quiet < 3:
        assert time.monotonic() < deadline, (
            f"the app never became quiet after the keys: on {app.screen!r}, focus "
            f"{app.focused!r}, {len(app.keys.held)} keys waiting, {app.keys.holds} holds, "
            f"workers {[w.name or w.group for w in app.workers if w.is_running]}")
        await pilot.pause(0.05)  # (not workers.wait_for_complete: a search typed over is
        # cancelled, which it reports as an error)
        busy = bool(app.keys.held) or any(w.is_running for w in app.workers)
        quiet = 0 if busy else quiet + 1
