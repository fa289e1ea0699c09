"""anonymous responses released in batches; campaigns closed (drafts gone)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("batch_size", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("closed_at", bulletins.db.types.UtcDateTime(), nullable=True))
    with op.batch_alter_table("responses") as batch:
        batch.add_column(
            sa.Column("released", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("released")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("batch_size")
