"""Launched by bench_startup: run one app headless until its first composed frame, then report
(seconds since the parent's clock read just before launch, peak RSS in KiB) and exit."""

import os
import resource
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input, Static


class BareApp(App):
    """The floor: the same kinds of widgets as the clients screen, no app code."""

    CSS = "DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search clients")
        yield Static("20 clients")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Last visit", "Drafts", "Notes")


def peak_rss_kib() -> int:
    """VmHWM: this process's peak RSS since exec (ru_maxrss would include the parent's at
    fork time on Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    which, out = sys.argv[1], sys.argv[2]
    launched = int(os.environ["LAUNCH_NS"])
    original = App._display

    def display(self, screen, renderable) -> None:
        original(self, screen, renderable)
        if which == "app" and type(screen).__name__ == "Screen":
            return  # the app's own first screen is pushed on mount: wait for its frame
        if not getattr(self, "_bench_reported", False) and renderable is not None:
            self._bench_reported = True
            seconds = (time.time_ns() - launched) / 1e9
            rss = peak_rss_kib()
            with open(out, "w") as f:
                f.write(f"{seconds} {rss}")
            self.exit()

    App._display = display
    if which == "bare":
        BareApp().run(headless=True, size=(80, 24))
    else:
        from notes_tui.settings import Settings
        from notes_tui.ui.app import make_app

        make_app(sys.argv[3], Settings()).run(headless=True, size=(80, 24))


if __name__ == "__main__":
    main()
