"""template suggestions: movement cues can be "to confirm"; a note lists follow-up fields to confirm

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Plain ADD COLUMNs (no batch table copy), so the lock triggers and the search view stay in place.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("note_cue", sa.Column("confirmed", sa.Boolean(), nullable=False,
                                        server_default=sa.true()))
    op.add_column("note", sa.Column("to_confirm", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; a batch copy would trip the lock triggers.
    op.drop_column("note", "to_confirm")
    op.drop_column("note_cue", "confirmed")
