"""Two contexts on one SQLite file in one process (the app and a worker, a test and the app):
what one writes the other reads. Opening the second must not drop the first's file locks: a
header check that opened and closed the file did, and the first went on reading an old
snapshot (a kept recovery text added as an amendment was not seen by the app that had it
open)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ELSEWHERE = """
import sys
from notes_tui.services.clients import create_client
from notes_tui.services.context import open_context
ctx = open_context(sys.argv[1], migrate=False)
with ctx.write() as s:
    create_client({"name": sys.argv[2]}, session=s, actor="C")
ctx.dispose()
"""


def _elsewhere(url: str, name: str) -> None:
    """Another program (another process) adds a client and closes."""
    subprocess.run([sys.executable, "-c", ELSEWHERE, url, name], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def _names(ctx) -> list[str]:
    from notes_tui.services.clients import list_clients

    with ctx.read() as s:
        return sorted(c.name for c in list_clients(session=s))


def test_a_second_context_in_the_same_process_does_not_blind_the_first(sqlite_url, settings):
    from notes_tui.services.clients import create_client
    from notes_tui.services.context import open_context

    first = open_context(sqlite_url, settings)
    try:
        with first.write() as s:
            create_client({"name": "Jane Doe"}, session=s, actor="A")
        assert _names(first) == ["Jane Doe"]  # its connection stays in the pool, open
        second = open_context(sqlite_url, settings)  # checks the header, runs the upgrade check
        try:
            with second.write() as s:
                create_client({"name": "Omar Haddad"}, session=s, actor="B")
            assert _names(second) == ["Jane Doe", "Omar Haddad"]
            _elsewhere(sqlite_url, "Ximena Zielinski")  # while both are open
            assert _names(second) == ["Jane Doe", "Omar Haddad", "Ximena Zielinski"]
        finally:
            second.dispose()
        assert _names(first) == ["Jane Doe", "Omar Haddad", "Ximena Zielinski"]
        _elsewhere(sqlite_url, "Ana Lee")
        assert _names(first) == ["Ana Lee", "Jane Doe", "Omar Haddad", "Ximena Zielinski"]
        with first.write() as s:  # and it writes on top of what is there, not of its old view
            create_client({"name": "Zoë Sato"}, session=s, actor="A")
        assert _names(open_context(sqlite_url, settings, migrate=False)) == \
            ["Ana Lee", "Jane Doe", "Omar Haddad", "Ximena Zielinski", "Zoë Sato"]
    finally:
        first.dispose()
