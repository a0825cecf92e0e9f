"""The services' context: engine, session factory, settings and catalog, made once and injected.

`open_context(url, settings)` builds the engine and brings the schema to head (backing up an older
SQLite file first). Sessions are per action: a screen never holds one, so WAL checkpoints are
never starved by a long read transaction.

- `with ctx.write() as s:` one write transaction (BEGIN IMMEDIATE on SQLite), committed on
  success: the only way to change anything.
- `with ctx.read() as s:` one read-only snapshot (a deferred BEGIN on SQLite, REPEATABLE READ
  READ ONLY on PostgreSQL): it never waits for a writer, so lists, searches, dumps and exports
  answer while another process imports; a write in it fails loudly (db/engine.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from notes_tui.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

    from notes_tui.db.migrate import UpgradeResult
    from notes_tui.domain.catalog import Catalog
    from notes_tui.domain.search_doc import Stock
    from notes_tui.domain.wording import Wording


@dataclass
class Context:
    url: str
    settings: Settings = field(default_factory=Settings)
    catalog_dirs: tuple[Path, Path | None] | None = None
    passphrase: str | None = field(default=None, repr=False)
    _stock: Stock | None = field(default=None, init=False, repr=False)

    @cached_property
    def engine(self) -> Engine:
        from notes_tui.db.engine import make_engine

        return make_engine(self.url, self.passphrase)

    @cached_property
    def _factory(self) -> sessionmaker[Session]:
        from notes_tui.db.engine import make_session_factory

        return make_session_factory(self.engine)

    @cached_property
    def wording(self) -> Wording:
        """The handout wording library: shipped, with <config dir>/wording.toml on top."""
        from notes_tui.domain.wording import load_wording
        from notes_tui.paths import config_dir, templates_dir

        return load_wording(templates_dir() / "handout" / "wording.toml",
                            config_dir() / "wording.toml")

    @cached_property
    def catalog(self) -> Catalog:
        from notes_tui.domain.catalog import load_catalog
        from notes_tui.paths import templates_dir, user_catalog_dir

        shipped, user = self.catalog_dirs or (templates_dir() / "catalog", user_catalog_dir())
        return load_catalog(shipped, user, wording=self.wording)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only(self) -> bool:
        """The SQLite file (or its folder) is read-only: reads work, every write is refused."""
        from notes_tui.db.engine import is_read_only

        return is_read_only(self.engine)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite), committed on success. On a
        read-only file: ReadOnlyDatabase, one line naming it, before anything is tried."""
        if self.read_only:
            from notes_tui.db.engine import sqlite_path
            from notes_tui.db.sqlite_file import ReadOnlyDatabase

            raise ReadOnlyDatabase(sqlite_path(self.url) or self.url)
        with self._factory() as session, session.begin():
            session.info["search_stock"] = self._search_stock
            yield session

    def _search_stock(self) -> Stock:
        """The catalog's and wording's sentences a note can carry unchanged (not the therapist's
        words, for search: services/search_index.py); the shipped ones if the user's catalog
        does not load (the catalog's own error is shown where it is used)."""
        if self._stock is None:
            from notes_tui.domain.catalog import CatalogError
            from notes_tui.services.search_index import shipped_stock, stock_of

            try:
                self._stock = stock_of(self.catalog, self.wording)
            except (CatalogError, OSError):
                self._stock = shipped_stock()
        return self._stock

    @cached_property
    def _read_factory(self) -> sessionmaker[Session]:
        from notes_tui.db.engine import make_session_factory, reading

        return make_session_factory(reading(self.engine))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only snapshot, rolled back at the end. A change left pending in it is
        flushed there, so the database refuses it loudly rather than it vanishing unseen."""
        with self._read_factory() as session:
            yield session
            session.flush()

    def upgrade(self) -> UpgradeResult:
        from notes_tui.db.migrate import upgrade
        from notes_tui.paths import backups_dir

        result = upgrade(self.engine, backups=backups_dir())
        if result.crossed("0007c"):
            # the index documents came from the old view: sort out the catalog's wording now,
            # with the catalog in use (migration 0007c)
            from notes_tui.services.search_index import rebuild

            with self.write() as session:
                rebuild(session)
        return result

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def needs_passphrase(url: str) -> bool:
    """An encrypted SQLite file (db/encryption.py) that must be opened with a passphrase."""
    from notes_tui.db.encryption import is_encrypted
    from notes_tui.db.engine import sqlite_path

    path = sqlite_path(url)
    return path is not None and is_encrypted(path)


def open_context(url: str, settings: Settings | None = None, *, migrate: bool = True,
                 catalog_dirs: tuple[Path, Path | None] | None = None,
                 passphrase: str | None = None) -> Context:
    """An encrypted file without `passphrase` takes it from NOTES_TUI_PASSPHRASE_FILE, else
    raises PassphraseNeeded; a wrong one raises WrongPassphrase (both one line)."""
    if needs_passphrase(url):
        from notes_tui.db import encryption
        from notes_tui.db.engine import sqlite_path

        passphrase = passphrase or encryption.passphrase_from_env()
        if passphrase is None:
            raise encryption.PassphraseNeeded("the database is encrypted: give its passphrase "
                                              f"(or set {encryption.PASSPHRASE_ENV})")
        path = sqlite_path(url)
        assert path is not None
        encryption.check_key(path, passphrase)
    else:
        passphrase = None
    ctx = Context(url=url, settings=settings or Settings(), catalog_dirs=catalog_dirs,
                  passphrase=passphrase)
    if migrate:
        ctx.upgrade()
    return ctx
