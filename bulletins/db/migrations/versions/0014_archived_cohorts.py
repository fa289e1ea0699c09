"""when a cohort was archived to open data and its people's data erased

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite adds a nullable column in place: the table is not rebuilt, nothing cascades.
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("archived_at", bulletins.db.types.UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("archived_at")
