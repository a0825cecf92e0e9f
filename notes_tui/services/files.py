"""Private, atomic file writes: a temporary file in the same folder, fsync, rename, mode 0600.
A write killed half-way leaves no file or the whole previous one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _atomic(path: Path, write: Callable[[int], None]) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-notes-tui-")  # created 0600
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
