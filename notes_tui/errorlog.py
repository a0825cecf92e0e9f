"""The error log: type and stack (file, line, function) of an unexpected error, never local
variables or exception messages (both can hold note text). Mode 0600, in the state dir."""

from __future__ import annotations

from pathlib import Path


def log_unexpected(exc: BaseException) -> Path | None:
    """Write the error type and stack (file, line, function: no locals, no message text)."""
    import os
    import traceback

    from notes_tui.paths import ensure_private_dir, log_file

    try:
        path = log_file()
        ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(path, 0o600)
        frames = traceback.extract_tb(exc.__traceback__)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            from datetime import UTC, datetime

            f.write(f"{datetime.now(UTC).isoformat()} {type(exc).__module__}.{type(exc).__name__}\n")
            for fr in frames:
                f.write(f"  {fr.filename}:{fr.lineno} in {fr.name}\n")
        return path
    except OSError:
        return None
