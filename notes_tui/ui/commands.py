"""Command palette (ctrl+p): go to a client, new note for a client, open a draft. The client is
found by name whether or not the command's words come first ("jane", "new note for jane").

Client names are shown as plain Text: Textual's `Matcher.highlight` parses markup, so a name
such as `[@click=app.quit]Jane[/]` must never go through it.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from notes_tui.domain.text import display_text

# What a therapist may type before the client's name ("new note for jane", "go to jane")
COMMAND_WORDS = ("go to client", "go to", "new note for", "new note", "open draft", "open")


def client_query(query: str) -> tuple[str, bool]:
    """The part of `query` that names a client, and whether it began with a command's words."""
    q = " ".join(query.split())
    lowered = q.lower()
    for words in COMMAND_WORDS:  # longest first within each command
        if lowered == words or lowered.startswith(words + " ") or \
                lowered.startswith(words + ":"):
            return q[len(words):].strip(" :"), True
    return q, False


class ClientCommands(Provider):
    async def _clients(self, query: str) -> list:
        app = self.app
        if getattr(app, "services", None) is None:
            return []
        from notes_tui.ui.screens.clients import fetch_clients

        return (await _in_worker(app, partial(fetch_clients, app.services, query)))[:10]

    async def _drafts(self) -> list:
        app = self.app
        if getattr(app, "services", None) is None:
            return []

        return await _in_worker(app, partial(app.services.notes.list, status="draft", limit=10))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        name_query, named_command = client_query(query)
        for r in await self._clients(name_query):
            name = display_text(r.name)
            for label, action, weight in (
                    (f"Go to client: {name}", partial(self.app.go_to_client, r.id), 1.0),
                    (f"New note for {name}", partial(self.app.new_note_for, r.id), 0.9)):
                score = matcher.match(label)
                if not score and not named_command:
                    score = 0.3  # found by preferred name, or by the fuzzy pool
                if score:
                    yield Hit(score * weight, Text(label), action, text=label)
        for n in await self._drafts():
            label = f"Open draft: {display_text(n.client_name)} {n.session_start:%Y-%m-%d}"
            score = matcher.match(label)
            if score:
                yield Hit(score, Text(label), partial(self.app.open_note, n.id, n.client_id),
                          text=label)

    async def discover(self) -> Hits:
        for n in await self._drafts():
            label = f"Open draft: {display_text(n.client_name)} {n.session_start:%Y-%m-%d}"
            yield DiscoveryHit(Text(label), partial(self.app.open_note, n.id, n.client_id),
                               text=label)


async def _in_worker(app, fn):
    """`fn()` in a Textual thread worker, awaited (the palette's provider API is async)."""
    worker = app.run_worker(fn, thread=True, group="palette")
    return await worker.wait()
