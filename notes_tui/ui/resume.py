"""Where the editor was: a tiny marker in the state dir (ids and step only, no note text), so the
next start can offer to resume a draft after a quit, a crash or a killed process."""

from __future__ import annotations

import contextlib
import json
import os


def _path():
    from notes_tui.paths import state_dir

    return state_dir() / "open-draft.json"


def remember(note_id: int, client_id: int, step: int) -> None:
    from notes_tui.paths import ensure_private_dir

    try:
        path = _path()
        ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"note_id": note_id, "client_id": client_id, "step": step}, f)
    except OSError:
        pass  # resuming is a convenience; the draft itself is in the database


def forget() -> None:
    with contextlib.suppress(OSError):
        _path().unlink(missing_ok=True)


def recall() -> dict | None:
    try:
        raw = json.loads(_path().read_text(encoding="utf-8"))
        return {"note_id": int(raw["note_id"]), "client_id": int(raw["client_id"]),
                "step": max(1, min(5, int(raw.get("step", 1))))}
    except (OSError, ValueError, KeyError, TypeError):
        return None
