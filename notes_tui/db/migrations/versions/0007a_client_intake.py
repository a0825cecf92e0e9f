"""client intake: the structured health history (conditions from a checklist, medications with
their doses, allergies, surgeries and injuries with dates, providers, emergency contact,
occupation, activities, the client's goals, the date it was last reviewed)

Revision ID: 0007a
Revises: 0006i
Create Date: 2026-12-04

One nullable JSON column (domain/intake.py `Intake.stored()`: a field at its default is left
out, so a field added later changes no client's digest). A plain ADD COLUMN on both backends:
existing clients have no intake (their free-text health history stays where it was).
"""
import sqlalchemy as sa
from alembic import op

revision = "0007a"
down_revision = "0006i"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("client", sa.Column("intake", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("client", "intake")
