"""audit seal: a keyed seal on the audit head

Revision ID: 0006c
Revises: 0006a
Create Date: 2026-12-02

- `audit_head.mac`: the head's keyed seal, "<key id>:<HMAC-SHA256 of seq and hash>" with a key
  kept outside the database (services/audit_seal.py). NULL until the first event is written
  with a key (a database from before this revision, or PostgreSQL, where the key is per machine
  and several machines share the database): such a chain is checked unkeyed, as before.
- `audit_head.tally_from`: the last seq written before this revision (NULL on a new database).
  Deleting a client with no notes was not audited before it, so a client gone whose last event
  is at or before this seq may have been deleted in the app: verify says so as a warning.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006c"
down_revision = "0006a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("tally_from", sa.Integer(), nullable=True))
    op.execute("UPDATE audit_head SET tally_from = seq")


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("tally_from")
        batch_op.drop_column("mac")
