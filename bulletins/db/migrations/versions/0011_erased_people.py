"""people erased at their request: the row stays, emptied, so that their team's bulletins
keep an author ("a former member"); emails are no longer kept (nothing used them)

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("erased_at", bulletins.db.types.UtcDateTime(), nullable=True))
    op.execute("UPDATE people SET email = NULL")


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("erased_at")
