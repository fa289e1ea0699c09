"""accepted forms: a submitted form kept with its request's key until it is filed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("received_requests") as batch:
        batch.add_column(sa.Column("pending_form", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("received_requests") as batch:
        batch.drop_column("pending_form")
