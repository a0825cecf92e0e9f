"""Every filesystem location the app uses, in one place.

Nothing here creates a directory at import time: callers ask for a path, and `ensure_private_dir`
creates it (mode 0700, with any missing parents) when something is about to be written there.
Environment overrides (used by tests and by clinics): NOTES_TUI_DB, NOTES_TUI_CONFIG_DIR,
NOTES_TUI_DATA_DIR, NOTES_TUI_STATE_DIR, NOTES_TUI_EXPORTS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

APP_NAME = "notes-tui"
PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


def _platformdirs() -> ModuleType:
    import platformdirs

    return platformdirs


def templates_dir() -> Path:
    """Shipped templates: inside the wheel (`_templates`) or the source tree's `templates/`."""
    installed = PACKAGE_DIR / "_templates"
    return installed if installed.is_dir() else SOURCE_ROOT / "templates"


def schemas_dir() -> Path:
    installed = PACKAGE_DIR / "_schemas"
    return installed if installed.is_dir() else SOURCE_ROOT / "schemas"


def running_from_source() -> bool:
    """True when run from a checkout (make run), where exports go to the repo's exports/."""
    return (SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "exports").is_dir()


def config_dir() -> Path:
    env = os.environ.get("NOTES_TUI_CONFIG_DIR")
    return Path(env) if env else Path(_platformdirs().user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    env = os.environ.get("NOTES_TUI_DATA_DIR")
    return Path(env) if env else Path(_platformdirs().user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    env = os.environ.get("NOTES_TUI_STATE_DIR")
    return Path(env) if env else Path(_platformdirs().user_state_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def user_catalog_dir() -> Path:
    return config_dir() / "catalog"


def user_templates_dir() -> Path:
    return config_dir() / "templates"


def default_db_path() -> Path:
    return data_dir() / "notes.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def log_file() -> Path:
    return state_dir() / "notes-tui.log"


def recovery_dir() -> Path:
    """Text the editor could not save (a full disk, a locked database) kept for the next start:
    one JSON file per note and editing session (services/recovery.py)."""
    return state_dir() / "recovery"


def database_url(explicit: str | None = None) -> str:
    """--db, then NOTES_TUI_DB, then the SQLite file in the data dir. A bare path means SQLite."""
    raw = explicit or os.environ.get("NOTES_TUI_DB") or str(default_db_path())
    if "://" in raw:
        # what hosting providers hand out (postgres://, postgresql://) means the psycopg driver
        scheme, rest = raw.split("://", 1)
        if scheme.lower() in ("postgres", "postgresql"):
            return "postgresql+psycopg://" + rest
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


def exports_dir(explicit: str | Path | None = None, configured: str | None = None) -> Path:
    """--out, then NOTES_TUI_EXPORTS, then settings, then exports/ in a checkout or Documents."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("NOTES_TUI_EXPORTS")
    if env:
        return Path(env).expanduser()
    if configured:
        return Path(configured).expanduser()
    if running_from_source():
        return SOURCE_ROOT / "exports"
    return Path(_platformdirs().user_documents_dir()) / APP_NAME


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents, each 0700 whatever the umask. A folder that
    already exists keeps its mode: only what the app creates is made private (a shared or
    sticky folder such as /tmp, or a folder of the user's, is never chmodded)."""
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process: theirs to keep
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        path.mkdir()  # a file in the way: the usual FileExistsError / NotADirectoryError
    return path


@dataclass(frozen=True)
class Locations:
    database: str
    config: Path
    settings: Path
    data: Path
    state: Path
    log: Path
    backups: Path
    exports: Path
    templates: Path
    user_catalog: Path


def shown_url(url: str) -> str:
    """A database URL as it may be printed: the password masked."""
    if "://" not in url or "@" not in url.split("://", 1)[1]:
        return url
    scheme, rest = url.split("://", 1)
    userinfo, host = rest.rsplit("@", 1)
    if ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{scheme}://{userinfo}@{host}"


def locate(db: str | None = None, exports_configured: str | None = None) -> Locations:
    return Locations(
        database=shown_url(database_url(db)),
        config=config_dir(),
        settings=settings_file(),
        data=data_dir(),
        state=state_dir(),
        log=log_file(),
        backups=backups_dir(),
        exports=exports_dir(configured=exports_configured),
        templates=templates_dir(),
        user_catalog=user_catalog_dir(),
    )
