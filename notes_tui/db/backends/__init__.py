"""Backend-specific SQL, one module per backend behind one interface.

`lock_triggers_ddl(dialect)` returns the statements that make the database itself refuse changes
to finalized notes (and to the audit trail), so raw SQL meets the same rule as the ORM.
"""

from __future__ import annotations

from types import ModuleType


def backend_module(dialect_name: str) -> ModuleType:
    if dialect_name == "sqlite":
        from notes_tui.db.backends import sqlite

        return sqlite
    if dialect_name == "postgresql":
        from notes_tui.db.backends import postgresql

        return postgresql
    raise ValueError(f"unsupported database backend {dialect_name!r}")


# Search objects are backend-specific (FTS5 virtual tables vs a tsvector table, and the index
# documents both read): they are made by migrations 0003, 0006h and 0007c, not by the models, so
# schema comparisons leave them out.
SEARCH_OBJECTS = ("note_fts", "note_search", "ix_note_search_tsv", "note_search_src", "note_fts_src",
                  "note_search_doc")


def is_search_object(name: str | None) -> bool:
    return name is not None and any(name == o or name.startswith(o + "_") for o in SEARCH_OBJECTS)
