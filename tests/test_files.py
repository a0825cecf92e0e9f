"""Health records are private files: folder 0700, database, -wal, -shm and backups 0600,
whatever the umask."""

import os
import stat

from notes_tui.paths import data_dir, default_db_path
from notes_tui.services import clients
from notes_tui.services.context import open_context


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_are_private_under_a_permissive_umask(settings):
    old = os.umask(0o022)
    try:
        url = f"sqlite:///{default_db_path()}"
        ctx = open_context(url, settings)
        with ctx.write() as s:
            clients.create_client({"name": "Jane"}, session=s, actor="Ana")
        with ctx.engine.connect():
            db = default_db_path()
            assert _mode(data_dir()) == 0o700
            for suffix in ("", "-wal", "-shm"):
                path = f"{db}{suffix}"
                assert os.path.exists(path), suffix
                assert _mode(path) == 0o600, suffix
        ctx.dispose()
    finally:
        os.umask(old)


def test_sqlite_pragmas_on_every_connection(sctx):
    with sctx.engine.connect() as conn:
        get = lambda p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()  # noqa: E731
        assert get("foreign_keys") == 1
        assert get("journal_mode") == "wal"
        assert get("synchronous") == 2  # FULL
        assert get("busy_timeout") >= 5000
