"""client outcome measures and plans of care: each time the client answered a measure (the
Patient-Specific Functional Scale, the pain rating, a measure of the therapist's own) with the
day, the items' scores and the score worked out then; and each plan of care (goals, frequency,
sessions, modalities, regions, re-assessment, discharge)

Revision ID: 0007b
Revises: 0007a
Create Date: 2026-12-04

Two nullable JSON columns, lists oldest first (domain/measures.py `MeasureTaken`,
domain/plan.py `Plan`); a client with none has NULL, and their canonical form (and digest) is
unchanged. Plain ADD COLUMNs.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007b"
down_revision = "0007a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("client", sa.Column("measures", sa.JSON(), nullable=True))
    op.add_column("client", sa.Column("plans", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("client", "plans")
    op.drop_column("client", "measures")
