"""session consent: consent to today's plan (and its limits), sensitive areas treated with this
session's written consent, draping

Revision ID: 0006g
Revises: 0006c
Create Date: 2026-12-02

Plain ADD COLUMNs (no batch table copy), so the lock triggers and the search view stay in place.
Existing notes get "not recorded": NULL consent to the plan, no sensitive area, no draping text.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006g"
down_revision = "0006c"
branch_labels = None
depends_on = None

_TEXTS = ("consent_limits", "sensitive_areas", "draping")


def upgrade() -> None:
    op.add_column("note", sa.Column("consent_plan", sa.Boolean(), nullable=True))
    for name in _TEXTS:
        op.add_column("note", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    op.add_column("note", sa.Column("sensitive_consent", sa.Boolean(), nullable=False,
                                    server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("note", "sensitive_consent")
    for name in reversed(_TEXTS):
        op.drop_column("note", name)
    op.drop_column("note", "consent_plan")
