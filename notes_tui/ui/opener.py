"""Open a file (a handout PDF) in the system's viewer, without ever waiting for it.

The viewer is started detached (its own session, no terminal streams) from a worker thread, so
the app neither blocks nor gets its screen scribbled on by the viewer's messages. When no opener
exists (a server without a desktop), the caller says so and shows where the file is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


class NoViewer(Exception):
    """No program to open files with was found."""


def find_opener() -> list[str] | None:
    """The command that opens a file with the desktop's default program, or None."""
    if sys.platform == "darwin":
        return ["open"] if shutil.which("open") else None
    if sys.platform.startswith("win"):
        return None  # os.startfile, below
    for name in ("xdg-open", "gio"):
        path = shutil.which(name)
        if path:
            return [path, "open"] if name == "gio" else [path]
    return None


def open_file(path: Path) -> None:
    """Start the viewer for `path` and return at once. Raises NoViewer, or OSError."""
    if sys.platform.startswith("win"):
        os.startfile(path)
        return
    command = find_opener()
    if command is None:
        raise NoViewer("no program to open files with (xdg-open) was found")
    subprocess.Popen([*command, str(path)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)
