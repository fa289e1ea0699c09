"""offers of help under the digest's help requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("helper_slack_id", sa.String(length=20), nullable=False),
        sa.Column("helper_name", sa.String(length=200), nullable=False),
        sa.Column("at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletins.id"],
            name=op.f("fk_help_offers_bulletin_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_offers")),
        sa.UniqueConstraint(
            "bulletin_id", "helper_slack_id", name=op.f("uq_help_offers_bulletin_id")
        ),
    )
    with op.batch_alter_table("help_offers") as batch:
        batch.create_index(batch.f("ix_help_offers_bulletin_id"), ["bulletin_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_offers") as batch:
        batch.drop_index(batch.f("ix_help_offers_bulletin_id"))
    op.drop_table("help_offers")
