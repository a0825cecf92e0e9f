"""audit seal: a keyed seal on the audit head

Revision ID: 0006c
Revises: 0005
Create Date: 2026-12-02

- `audit_head.mac`: the head's keyed seal, "<key id>:<HMAC-SHA256 of seq and hash>" with a key
  kept outside the database (services/audit_seal.py). NULL until the first event is written
  with a key (a database from before this revision, or PostgreSQL, where the key is per machine
  and several machines share the database): such a chain is checked unkeyed, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006c"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("mac")
