"""The real app in a real terminal (tmux), typed at 40 ms a key while another process keeps a
CPU core busy: the database afterwards holds exactly what the script typed.

(The Pilot tests in test_ui_fast_keys.py type faster still, into a slowed database; this one
checks the whole path a therapist's keys take: the terminal, Textual's input parsing, the app.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

from notes_tui.services import clients, notes
from notes_tui.services.context import open_context

KEY_GAP = 0.04  # seconds between keys
TMUX_KEYS = {"tab": "Tab", "enter": "Enter", "escape": "Escape", "ctrl+n": "C-n",
             "ctrl+s": "C-s", "ctrl+a": "C-a", "ctrl+k": "C-k", "ctrl+q": "C-q",
             "f3": "F3", "f5": "F5", "f6": "F6"}


class Terminal:
    def __init__(self, env: dict[str, str], command: list[str]) -> None:
        assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
        self.socket = f"notes-test-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.socket, "-f", os.devnull]
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "t", "-x", "100", "-y", "30",
                        *env_args, " ".join(command)], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "t"],
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while text not in self.screen():
            assert time.monotonic() < deadline, f"{text!r} never showed:\n{self.screen()}"
            time.sleep(0.2)

    def type(self, *parts: str) -> None:
        """Each part in angle brackets is one key, anything else typed letter by letter; one
        key every KEY_GAP seconds."""
        for part in parts:
            if part.startswith("<") and part.endswith(">") and len(part) > 2:
                keys = [TMUX_KEYS[part[1:-1]]]
                literal = False
            else:
                keys, literal = list(part), True
            for key in keys:
                subprocess.run([*self.tmux, "send-keys", "-t", "t", *(["-l"] if literal else []),
                                key], check=True)
                time.sleep(KEY_GAP)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def _wait_until(check, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, "the database never held what was typed"
        time.sleep(0.3)


def test_typed_at_40ms_a_key_in_a_real_terminal_on_a_busy_machine(tmp_path):
    from notes_tui.paths import config_dir

    db = tmp_path / "notes.sqlite3"
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "settings.toml").write_text(
        'therapist_name = "Ana Lee"\nregistration_number = "RMT-1234"\n'
        'timezone = "America/Toronto"\n', encoding="utf-8")
    ctx = open_context(f"sqlite:///{db}")
    with ctx.write() as s:
        clients.create_client({"name": "Zoe Quill", "consent_on_file": "2025-01-05"}, session=s,
                              actor="A")
    env = {k: os.environ[k] for k in ("NOTES_TUI_CONFIG_DIR", "NOTES_TUI_DATA_DIR",
                                      "NOTES_TUI_STATE_DIR", "NOTES_TUI_EXPORTS", "TZ")}
    env |= {"TERM": "xterm-256color", "PATH": os.environ.get("PATH", ""),
            "TEXTUAL_ANIMATIONS": "none"}
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    term = Terminal(env, [sys.executable, "-m", "notes_tui", "--db", str(db)])
    try:
        term.wait_for("Zoe Quill")
        # three clients through the form, each typed straight after ctrl+n
        for i in range(3):
            term.type("<ctrl+n>", f"New Person {i}", "<tab>", f"Pref{i}", "<tab>",
                      f"1990-01-0{i + 1}", "<tab>", f"555-010{i}", "<ctrl+s>")
        # a first visit with three trigger points through the picker
        term.type("<ctrl+a>", "<ctrl+k>", "Zoe Quill", "<enter>", "n", "Stiff neck", "<tab>",
                  "6", "<tab>", "45", "<f3>", "a", "utr", "<enter>", "l", "6", "a", "lev",
                  "<enter>", "r", "5", "a", "scm", "<enter>", "b", "4", "<f5>", "3", "<tab>",
                  "2w", "<tab>", "<tab>", "<tab>", "Walk daily.", "<f6>", "f", "y")

        def finalized():
            with ctx.read() as s:
                zoe = clients.find_clients("Zoe Quill", session=s)[0]
                listed = notes.list_notes(session=s, client_id=zoe.id)
                return bool(listed) and str(getattr(listed[0].status, "value", listed[0].status)) == "final"

        _wait_until(finalized)
        term.type("<ctrl+q>")
    finally:
        term.close()
        hog.kill()
    from sqlmodel import select

    from notes_tui.db.models import Client

    with ctx.read() as s:
        made = [(c.name, c.preferred_name, str(c.date_of_birth), c.phone)
                for c in s.exec(select(Client).order_by(Client.id)).all()][1:]
        zoe = clients.find_clients("Zoe Quill", session=s)[0]
        view = notes.get_note(notes.list_notes(session=s, client_id=zoe.id)[0].id, session=s)
    assert made == [(f"New Person {i}", f"Pref{i}", f"1990-01-0{i + 1}", f"555-010{i}")
                    for i in range(3)]
    c = view.content
    assert (c.complaint, c.pain_before, c.duration_minutes, c.pain_after, c.advice) == (
        "Stiff neck", 6, 45, 3, "Walk daily.")
    assert [(tp.muscle_id, tp.side.value, tp.pressure) for tp in c.trigger_points] == [
        ("upper_trapezius", "left", 6), ("levator_scapulae", "right", 5),
        ("sternocleidomastoid_sternal", "bilateral", 4)]
    ctx.dispose()
