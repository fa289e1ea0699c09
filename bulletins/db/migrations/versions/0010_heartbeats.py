"""heartbeats: when the clock process last completed a tick

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("process", sa.String(length=40), nullable=False),
        sa.Column("beat_at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("failed_jobs", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("heartbeats")
