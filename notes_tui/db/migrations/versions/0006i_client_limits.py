"""client pressure limit and sensitive-area consent date: the pressure (out of 10) a client asked
the therapist not to go above, and the date the client signed the written consent form for the
treatment of sensitive areas

Revision ID: 0006i
Revises: 0006h
Create Date: 2026-12-03

Plain ADD COLUMNs (no batch table copy). Existing clients: no limit, no date (their yes/no
`sensitive_area_consent` stays as it was). The limit's CHECK is the column's own on SQLite (an
ADD COLUMN may carry one; a table CHECK would need the table copied) and a named table
constraint on PostgreSQL, with the models' name.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006i"
down_revision = "0006h"
branch_labels = None
depends_on = None

_CHECK = "pressure_limit IS NULL OR (pressure_limit BETWEEN 1 AND 10)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE client ADD COLUMN pressure_limit INTEGER "
                   f"CONSTRAINT ck_client_pressure_limit CHECK ({_CHECK})")
    else:
        op.add_column("client", sa.Column("pressure_limit", sa.Integer(), nullable=True))
        op.create_check_constraint(op.f("ck_client_pressure_limit"), "client", _CHECK)
    op.add_column("client", sa.Column("sensitive_area_consent_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("client", "sensitive_area_consent_on")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_client_pressure_limit"), "client", type_="check")
    op.drop_column("client", "pressure_limit")
