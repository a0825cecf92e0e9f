"""Meeting a database newer than this notes-tui: one line naming both revisions and what to do,
nothing touched, no backup; a failed upgrade tried again does not pile up backups."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from notes_tui.db.engine import make_engine
from notes_tui.db.migrate import alembic_config, head_revision
from notes_tui.paths import backups_dir, log_file
from notes_tui.services.context import open_context
from notes_tui.services.errors import DatabaseTooNew

NEWER = "9f1e2d3c4b5a"  # a revision id no notes-tui of ours has


def newer_database(url: str) -> str:
    """A migrated database that a newer notes-tui has since upgraded (its own revision id)."""
    ctx = open_context(url)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    ctx.dispose()
    return url


def expected_line() -> str:
    return (f"this database is at revision {NEWER}, newer than this notes-tui "
            f"({head_revision()}): install a newer notes-tui, or open a backup")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_database_is_refused_with_both_revisions(db_url, settings):
    newer_database(db_url)
    for _ in range(5):
        with pytest.raises(DatabaseTooNew) as err:
            open_context(db_url, settings)
        assert str(err.value) == expected_line()
        assert (err.value.found, err.value.head) == (NEWER, head_revision())
    engine = make_engine(db_url)
    with engine.connect() as conn:  # left as the newer notes-tui wrote it
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == NEWER
    engine.dispose()


def test_five_starts_on_a_newer_file_make_no_backup_and_change_nothing(sqlite_url, settings):
    newer_database(sqlite_url)
    db_file = Path(make_engine(sqlite_url).url.database)
    before = _digest(db_file)
    for _ in range(5):
        with pytest.raises(DatabaseTooNew):
            open_context(sqlite_url, settings)
    assert not backups_dir().exists() or list(backups_dir().iterdir()) == []
    assert _digest(db_file) == before


def _at_0001(url: str) -> Path:
    engine = make_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    return Path(engine.url.database)


def _add_client(url: str, name: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:  # the schema of revision 0001, as an older notes-tui writes it
        conn.execute(text(
            "INSERT INTO client (name, preferred_name, phone, email, health_history, "
            "contraindications, sensitive_area_consent, archived, created_at, updated_at) "
            "VALUES (:n, '', '', '', '', '', 0, 0, '2025-01-01 00:00:00', "
            "'2025-01-01 00:00:00')"), {"n": name})
    engine.dispose()


def test_failed_upgrades_leave_one_backup_per_file_content(sqlite_url, settings, monkeypatch):
    """Five starts whose upgrade fails leave one backup; once the older notes-tui has written to
    the file again, the next upgrade backs up the new content; the upgrade that succeeds reuses
    that copy."""
    _at_0001(sqlite_url)
    _add_client(sqlite_url, "Old Client")

    def broken(cfg, revision):
        raise RuntimeError("the migration failed half-way")

    working = command.upgrade
    monkeypatch.setattr(command, "upgrade", broken)
    for _ in range(5):
        with pytest.raises(RuntimeError):
            open_context(sqlite_url, settings)
    assert len(list(backups_dir().glob("*.sqlite3"))) == 1
    _add_client(sqlite_url, "Written Since")
    with pytest.raises(RuntimeError):
        open_context(sqlite_url, settings)
    assert len(list(backups_dir().glob("*.sqlite3"))) == 2
    monkeypatch.setattr(command, "upgrade", working)  # not undo(): that drops the isolation too
    ctx = open_context(sqlite_url, settings)
    assert len(list(backups_dir().glob("*.sqlite3"))) == 2
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM client")).scalar() == 2
    ctx.dispose()


def test_cli_says_so_in_one_line_and_exits_2(sqlite_url, tmp_path):
    db = Path(newer_database(sqlite_url).removeprefix("sqlite:///"))
    for args in (["clients"], ["db", "upgrade"], ["verify"]):
        proc = subprocess.run([sys.executable, "-m", "notes_tui", "--db", str(db), *args],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"notes-tui: {expected_line()}\n"
        assert proc.stdout == ""
    assert not backups_dir().exists() or list(backups_dir().iterdir()) == []
    assert not log_file().exists()  # a known condition, not an unexpected error


async def test_app_shows_the_line_instead_of_a_traceback(sqlite_url, settings):
    from notes_tui.ui.app import make_app
    from tests.ui.helpers import settle

    newer_database(sqlite_url)
    app = make_app(sqlite_url, settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#status").render()) == expected_line()
        assert app.is_running
    assert not log_file().exists()
    assert not backups_dir().exists() or list(backups_dir().iterdir()) == []
