"""each person's timezone, checked with Slack at most daily; reminders snoozed for an hour

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("timezone_checked_at", bulletins.db.types.UtcDateTime(), nullable=True)
        )
    op.create_table(
        "reminder_snoozes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("until", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reminder_snoozes_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_reminder_snoozes_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_snoozes")),
    )
    with op.batch_alter_table("reminder_snoozes") as batch:
        batch.create_index(batch.f("ix_reminder_snoozes_week"), ["week"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder_snoozes") as batch:
        batch.drop_index(batch.f("ix_reminder_snoozes_week"))
    op.drop_table("reminder_snoozes")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("timezone_checked_at")
