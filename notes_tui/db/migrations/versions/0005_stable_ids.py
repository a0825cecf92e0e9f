"""stable ids: a UUID on every client, note and amendment; ids never reused; amended content

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

- `client.uuid`, `note.uuid`, `amendment.uuid`: TEXT NOT NULL UNIQUE, str(uuid4()), backfilled.
  A dump carries them, so importing the same records twice adds nothing.
- `amendment.content`: the corrected note content an amendment carries (NULL for a text-only
  correction).
- SQLite: client, note and amendment are rebuilt with AUTOINCREMENT, so the id of a discarded
  draft (or of any deleted row) is never given to a new one. PostgreSQL's serial sequences never
  hand out an id twice already.

Only the frozen DDL below is used: never today's models or backend modules. The SQLite rebuild
needs `PRAGMA foreign_keys=OFF` (dropping a parent table would otherwise cascade to its children);
`notes_tui.db.migrate.upgrade` runs every migration that way and checks the keys before commit.
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = ("client", "note", "amendment")

_SQLITE_CLIENT = """CREATE TABLE {name} (
    id INTEGER NOT NULL CONSTRAINT pk_client PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    preferred_name TEXT NOT NULL,
    date_of_birth DATE,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    health_history TEXT NOT NULL,
    contraindications TEXT NOT NULL,
    consent_on_file DATE,
    sensitive_area_consent BOOLEAN NOT NULL,
    archived BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    CONSTRAINT uq_client_uuid UNIQUE (uuid),
    CONSTRAINT ck_client_name_present CHECK (length(trim(name)) > 0 AND length(name) <= 200)
)"""

_SQLITE_NOTE = """CREATE TABLE {name} (
    id INTEGER NOT NULL CONSTRAINT pk_note PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    therapist_name TEXT NOT NULL,
    therapist_registration TEXT NOT NULL,
    session_start DATETIME NOT NULL,
    timezone TEXT NOT NULL,
    duration_minutes INTEGER,
    technique TEXT NOT NULL,
    status TEXT NOT NULL,
    complaint TEXT NOT NULL,
    pain_before INTEGER,
    therapist_summary TEXT NOT NULL,
    client_summary TEXT NOT NULL,
    pain_after INTEGER,
    next_visit_days INTEGER,
    next_visit_date DATE,
    advice TEXT NOT NULL,
    what_to_expect TEXT NOT NULL,
    when_to_contact TEXT NOT NULL,
    referral TEXT NOT NULL,
    template_id VARCHAR,
    finalized_at DATETIME,
    finalized_by VARCHAR,
    content_digest VARCHAR,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    to_confirm JSON DEFAULT '[]' NOT NULL,
    CONSTRAINT uq_note_uuid UNIQUE (uuid),
    CONSTRAINT ck_note_final_is_sealed CHECK (status = 'draft' OR (finalized_at IS NOT NULL AND content_digest IS NOT NULL)),
    CONSTRAINT ck_note_status CHECK (status IN ('draft', 'final')),
    CONSTRAINT ck_note_technique CHECK (technique IN ('neuromuscular', 'swedish', 'deep_tissue', 'other')),
    CONSTRAINT ck_note_duration CHECK (duration_minutes IS NULL OR duration_minutes > 0),
    CONSTRAINT ck_note_pain_after CHECK (pain_after IS NULL OR (pain_after BETWEEN 0 AND 10)),
    CONSTRAINT ck_note_pain_before CHECK (pain_before IS NULL OR (pain_before BETWEEN 0 AND 10)),
    CONSTRAINT fk_note_client_id_client FOREIGN KEY(client_id) REFERENCES client (id) ON DELETE RESTRICT
)"""

_SQLITE_AMENDMENT = """CREATE TABLE {name} (
    id INTEGER NOT NULL CONSTRAINT pk_amendment PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    note_id INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    reason TEXT NOT NULL,
    text TEXT NOT NULL,
    digest TEXT NOT NULL,
    content JSON,
    CONSTRAINT uq_amendment_uuid UNIQUE (uuid),
    CONSTRAINT ck_amendment_reason_present CHECK (length(trim(reason)) > 0),
    CONSTRAINT ck_amendment_text_present CHECK (length(trim(text)) > 0),
    CONSTRAINT fk_amendment_note_id_note FOREIGN KEY(note_id) REFERENCES note (id) ON DELETE RESTRICT
)"""

_SQLITE_INDEXES = (
    "CREATE INDEX ix_client_name ON client (name)",
    "CREATE INDEX ix_note_client_id ON note (client_id)",
    "CREATE INDEX ix_note_session_start ON note (session_start)",
    "CREATE INDEX ix_note_status ON note (status)",
    "CREATE INDEX ix_note_client_history ON note (client_id, session_start, id)",
    "CREATE INDEX ix_amendment_note_id ON amendment (note_id)",
)

# The lock triggers on the rebuilt tables, as migration 0001 made them (dropped with the tables).
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER trg_note_final_update BEFORE UPDATE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'note is finalized: add an amendment instead'); END""",
    """CREATE TRIGGER trg_note_final_delete BEFORE DELETE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'note is finalized: add an amendment instead'); END""",
    """CREATE TRIGGER trg_amendment_update BEFORE UPDATE ON amendment
            BEGIN SELECT RAISE(ABORT, 'amendments cannot be changed'); END""",
    """CREATE TRIGGER trg_amendment_delete BEFORE DELETE ON amendment
            BEGIN SELECT RAISE(ABORT, 'amendments cannot be deleted'); END""",
)

_COLUMNS = {
    "client": ("id, name, preferred_name, date_of_birth, phone, email, health_history, "
               "contraindications, consent_on_file, sensitive_area_consent, archived, "
               "created_at, updated_at"),
    "note": ("id, client_id, therapist_name, therapist_registration, session_start, timezone, "
             "duration_minutes, technique, status, complaint, pain_before, therapist_summary, "
             "client_summary, pain_after, next_visit_days, next_visit_date, advice, "
             "what_to_expect, when_to_contact, referral, template_id, finalized_at, "
             "finalized_by, content_digest, created_at, updated_at, to_confirm"),
    "amendment": "id, note_id, author, created_at, reason, text, digest",
}
_CREATE = {"client": _SQLITE_CLIENT, "note": _SQLITE_NOTE, "amendment": _SQLITE_AMENDMENT}


def _sqlite_upgrade(bind: sa.engine.Connection) -> None:
    # SQLite's own recipe for a table change (https://sqlite.org/lang_altertable.html, "other
    # kinds of table schema changes"): new table, copy, drop the old, rename the new. Parents
    # first; with foreign keys off the drop does not cascade, and the children's REFERENCES
    # name the table, so they point at the new one once it is renamed. The legacy rename leaves
    # the triggers and views that name the table alone (a checked rename refuses to run while
    # they name a table that is, for that moment, not there).
    op.execute("PRAGMA legacy_alter_table=ON")
    for table in _TABLES:
        cols = _COLUMNS[table]
        op.execute(_CREATE[table].format(name=f"new_{table}"))
        op.execute(f"INSERT INTO new_{table} ({cols}, uuid) SELECT {cols}, id FROM {table}")
        ids = [row[0] for row in bind.exec_driver_sql(f"SELECT id FROM new_{table}")]
        if ids:
            bind.exec_driver_sql(f"UPDATE new_{table} SET uuid = ? WHERE id = ?",
                                 [(str(uuid.uuid4()), i) for i in ids])
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE new_{table} RENAME TO {table}")
    op.execute("PRAGMA legacy_alter_table=OFF")
    for statement in (*_SQLITE_INDEXES, *_SQLITE_TRIGGERS):
        op.execute(statement)


def _pg_upgrade(bind: sa.engine.Connection) -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("uuid", sa.Text(), nullable=True))
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # the lock triggers
        op.execute(f"UPDATE {table} SET uuid = gen_random_uuid()::text")
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        op.alter_column(table, "uuid", nullable=False)
        op.create_unique_constraint(f"uq_{table}_uuid", table, ["uuid"])
    op.add_column("amendment", sa.Column("content", sa.JSON(), nullable=True))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    else:
        _pg_upgrade(bind)


def _without_new_columns(ddl: str) -> str:
    return "\n".join(line for line in ddl.split("\n")
                     if not line.lstrip().startswith(("uuid TEXT", "content JSON", "CONSTRAINT uq_")))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # the same recipe back (SQLite cannot drop a UNIQUE column)
        op.execute("PRAGMA legacy_alter_table=ON")
        for table in _TABLES:
            cols = _COLUMNS[table]
            op.execute(_without_new_columns(_CREATE[table]).format(name=f"new_{table}"))
            op.execute(f"INSERT INTO new_{table} ({cols}) SELECT {cols} FROM {table}")
            op.execute(f"DROP TABLE {table}")
            op.execute(f"ALTER TABLE new_{table} RENAME TO {table}")
        op.execute("PRAGMA legacy_alter_table=OFF")
        for statement in (*_SQLITE_INDEXES, *_SQLITE_TRIGGERS):
            op.execute(statement)
        return
    op.drop_column("amendment", "content")
    for table in _TABLES:
        op.drop_constraint(f"uq_{table}_uuid", table, type_="unique")
        op.drop_column(table, "uuid")
