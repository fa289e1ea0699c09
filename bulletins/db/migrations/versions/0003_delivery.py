"""delivery: claims, received requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("received_at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_requests")),
        sa.UniqueConstraint("key", name=op.f("uq_received_requests_key")),
    )
    with op.batch_alter_table("received_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_received_requests_received_at"), ["received_at"], unique=False
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_at", bulletins.db.types.UtcDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")

    with op.batch_alter_table("received_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_requests_received_at"))

    op.drop_table("received_requests")
