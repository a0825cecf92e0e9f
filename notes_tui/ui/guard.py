"""A handler that raises does not end the app or lose the draft.

`guarded` wraps an action or message handler: an unexpected exception is logged (type and stack,
no locals, no note text), told in one line, and the open draft is saved at once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable


def _recover(node, exc: BaseException) -> None:
    from notes_tui.ui.background import report

    report(node, exc)
    app = node.app
    flush = getattr(app, "save_open_drafts", None)
    if flush is not None:
        flush()


def guarded(handler: Callable) -> Callable:
    if inspect.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def run_async(self, *args, **kwargs):
            try:
                return await handler(self, *args, **kwargs)
            except Exception as exc:  # logged and told in one line; the draft is saved
                _recover(self, exc)
        return run_async

    @functools.wraps(handler)
    def run(self, *args, **kwargs):
        try:
            return handler(self, *args, **kwargs)
        except Exception as exc:  # logged and told in one line; the draft is saved
            _recover(self, exc)
    return run
