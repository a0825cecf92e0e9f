"""Database URLs as hosting providers hand them out, passwords never printed, and the plain
reason when a database cannot be opened (issue: clinic mode, connections)."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys

import pytest

from notes_tui.cli import _plain
from notes_tui.db.engine import DatabaseUnavailable, make_engine
from notes_tui.paths import database_url, shown_url
from notes_tui.services.errors import open_failure


@pytest.mark.parametrize("given", ["postgres://ana:pw@db.example/clinic",
                                   "postgresql://ana:pw@db.example/clinic",
                                   "POSTGRES://ana:pw@db.example/clinic"])
def test_provider_urls_mean_the_psycopg_driver(given):
    assert database_url(given) == "postgresql+psycopg://ana:pw@db.example/clinic"


def test_a_password_is_masked_wherever_a_url_is_shown():
    assert shown_url("postgresql+psycopg://ana:s3cr:et@db/clinic") == \
        "postgresql+psycopg://ana:***@db/clinic"
    assert shown_url("postgresql+psycopg://ana@db/clinic") == "postgresql+psycopg://ana@db/clinic"
    assert shown_url("sqlite:////home/ana/notes.sqlite3") == "sqlite:////home/ana/notes.sqlite3"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "notes_tui", *args], capture_output=True,
                          text=True, timeout=60)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_locate_never_prints_the_password():
    out = _cli("--db", "postgres://ana:hunter2@127.0.0.1:5432/clinic", "locate")
    assert out.returncode == 0, out.stderr
    assert "hunter2" not in out.stdout
    assert "postgresql+psycopg://ana:***@127.0.0.1:5432/clinic" in out.stdout


def test_a_refused_connection_is_one_line_naming_the_reason():
    out = _cli("--db", f"postgres://ana:hunter2@127.0.0.1:{_closed_port()}/clinic", "clients")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Connection refused" in lines[0], out.stderr
    assert "hunter2" not in out.stderr and "unexpected" not in out.stderr


def test_a_missing_driver_says_which_extra_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "psycopg" else real(name, *a))
    with pytest.raises(DatabaseUnavailable) as caught:
        make_engine("postgresql+psycopg://ana@127.0.0.1/clinic")
    assert "notes-tui[postgres]" in str(caught.value)
    assert str(_plain(caught.value).message) == str(caught.value)  # the CLI's one line
    assert open_failure(caught.value) == str(caught.value)  # the app's clients screen


def test_the_app_names_the_database_reason_not_the_exception_class():
    import sqlalchemy.exc

    class Refused(Exception):
        __module__ = "psycopg"

    exc = sqlalchemy.exc.OperationalError("SELECT 1", {}, Refused("connection refused\nmore"))
    assert open_failure(exc) == "Could not open the database: connection refused"
    assert open_failure(ValueError("a bug")) is None  # unexplained: logged, not dressed up
