"""forms filed before Slack's answer: no more accepted forms waiting to be filed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from bulletins.errors import BulletinsError

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    waiting = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM received_requests WHERE pending_form IS NOT NULL")
    )
    if waiting:
        # Dropping the column would lose what people typed: the previous version files them.
        raise BulletinsError(
            f"{waiting} submitted form(s) are still waiting to be filed. Run `bulletins tick` "
            "with the version installed before this one, then upgrade again."
        )
    with op.batch_alter_table("received_requests") as batch:
        batch.drop_column("pending_form")


def downgrade() -> None:
    with op.batch_alter_table("received_requests") as batch:
        batch.add_column(sa.Column("pending_form", sa.Text(), nullable=True))
