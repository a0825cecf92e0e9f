"""Command palette (ctrl+p): go to a client, new note for a client, open a draft.

Client names are shown as plain Text: Textual's `Matcher.highlight` parses markup, so a name
such as `[@click=app.quit]Jane[/]` must never go through it.
"""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from notes_tui.domain.text import display_text


class ClientCommands(Provider):
    async def _clients(self, query: str) -> list:
        app = self.app
        if getattr(app, "services", None) is None:
            return []
        from notes_tui.ui.screens.clients import fetch_clients

        return (await asyncio.to_thread(fetch_clients, app.services, query))[:10]

    async def _drafts(self) -> list:
        app = self.app
        if getattr(app, "services", None) is None:
            return []

        def job():
            from notes_tui.services.notes import list_notes

            with app.services.read() as s:
                return list_notes(session=s, status="draft", limit=10)

        return await asyncio.to_thread(job)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for r in await self._clients(query):
            name = display_text(r.name)
            base = max(matcher.match(name), 0.3)
            yield Hit(base, Text(f"Go to client: {name}"), partial(self.app.go_to_client, r.id),
                      text=f"Go to client: {name}")
            yield Hit(base * 0.9, Text(f"New note for {name}"),
                      partial(self.app.new_note_for, r.id), text=f"New note for {name}")
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
