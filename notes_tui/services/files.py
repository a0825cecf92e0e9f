"""Private, atomic file writes: a temporary file in the same folder, fsync, rename, mode 0600.
A write killed half-way leaves no file or the whole previous one. Its temporary file carries the
writer's process id; the next write into that folder removes temporary files whose writer is gone."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".tmp-notes-tui-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def sweep_stale_temps(folder: Path) -> int:
    """Remove temporary files left in `folder` by a writer that was killed; returns how many."""
    removed = 0
    for stale in folder.glob(f"{TEMP_PREFIX}*"):
        pid = stale.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
                removed += 1
    return removed


def _atomic(path: Path, write: Callable[[int], None]) -> Path:
    folder = path.parent
    if not folder.is_dir():
        from notes_tui.paths import ensure_private_dir

        ensure_private_dir(folder)  # what the app makes is 0700; an existing folder keeps its mode
    sweep_stale_temps(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-")  # 0600
    try:
        write(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    os.chmod(path, 0o600)
    if hasattr(os, "O_DIRECTORY"):
        dfd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path


def write_private_bytes(path: Path, data: bytes) -> Path:
    def write(fd: int) -> None:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    return _atomic(path, write)


def write_private_text(path: Path, produce: Callable) -> Path:
    """`produce(out)` writes text to a file object."""

    def write(fd: int) -> None:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            produce(f)
            f.flush()
            os.fsync(f.fileno())

    return _atomic(path, write)
