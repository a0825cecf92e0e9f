"""full-text search: FTS5 over a view (SQLite), tsvector + GIN (PostgreSQL)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op

from notes_tui.db.backends import backend_module

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in backend_module(op.get_bind().dialect.name).search_ddl():
        op.execute(statement)


def downgrade() -> None:
    for statement in backend_module(op.get_bind().dialect.name).drop_search_ddl():
        op.execute(statement)
