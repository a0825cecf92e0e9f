"""pain not rated: a pain score (before or after) may be "not asked" or "declined" instead of a
number

Revision ID: 0006a
Revises: 0005
Create Date: 2026-12-02

Plain ADD COLUMNs (no batch table copy), so the lock triggers and the search view stay in place.
Existing notes get NULL: a number, or nothing recorded, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006a"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("note", sa.Column("pain_before_not_rated", sa.Text(), nullable=True))
    op.add_column("note", sa.Column("pain_after_not_rated", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("note", "pain_after_not_rated")
    op.drop_column("note", "pain_before_not_rated")
