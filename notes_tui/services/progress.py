"""Progress on long work, as a plain callback: `progress(done, total)`.

A service that takes `progress=None` calls it with how many units of its work are done out of
how many (notes, mostly), often enough for a person to watch and never for rendering. What is
shown, and whether anything is, is the caller's business (the CLI draws a bar on a terminal and
nothing in a pipe); nothing here knows about terminals.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
