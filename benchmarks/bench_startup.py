"""Start-up: time from process start to the first frame of the real app (database with 1,000
notes) and peak memory at that frame, as ratios to a bare Textual app with the same kinds of
widgets started the same way, run alternately in the same run (median of per-pair ratios)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_STARTUP_RUNS", "15"))
HERE = Path(__file__).resolve().parent


def launch(which: str, out: Path, url: str) -> tuple[float, int]:
    # the app's config and state in the run's own directory: the user's settings, or a "resume
    # this draft?" mark of theirs, must not change what is measured (nor be touched by it)
    home = out.parent
    env = dict(os.environ, LAUNCH_NS=str(time.time_ns()),
               NOTES_TUI_CONFIG_DIR=str(home / "config"), NOTES_TUI_STATE_DIR=str(home / "state"),
               NOTES_TUI_DATA_DIR=str(home / "data"))
    subprocess.run([sys.executable, str(HERE / "_first_frame.py"), which, str(out), url],
                   env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    seconds, rss = out.read_text().split()
    return float(seconds), int(rss)


def main() -> None:
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url = f"sqlite:///{tmp / 'start.sqlite3'}"
        ctx = open_context(url, Settings())
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=150, notes=1000, seed=3, tz="UTC",
                      therapist="B", registration="R")
        ctx.dispose()
        for which in ("bare", "app"):  # warm-up: page cache, .pyc
            launch(which, tmp / which, url)
        bare, app = [], []
        for _ in range(RUNS):
            bare.append(launch("bare", tmp / "bare", url))
            app.append(launch("app", tmp / "app", url))
    t_ratio = statistics.median(a[0] / b[0] for a, b in zip(app, bare, strict=True))
    m_ratio = statistics.median(a[1] / b[1] for a, b in zip(app, bare, strict=True))
    med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
    print(f"first frame: app {med(app, 0):.3f} s vs bare Textual {med(bare, 0):.3f} s -> "
          f"ratio {t_ratio:.2f}x (aim <= 1.3x), {RUNS} alternating runs")
    print(f"peak RSS at first frame: app {med(app, 1) / 1024:.1f} MiB vs bare "
          f"{med(bare, 1) / 1024:.1f} MiB -> ratio {m_ratio:.2f}x (aim <= 1.3x)")
