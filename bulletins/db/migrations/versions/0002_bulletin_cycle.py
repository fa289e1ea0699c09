"""bulletin cycle: revisions, excuses, absences, outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

import bulletins.db.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("thread_of", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("created_at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("sent_at", bulletins.db.types.UtcDateTime(), nullable=True),
        sa.Column("slack_ts", sa.String(length=40), nullable=True),
        sa.Column("slack_channel", sa.String(length=40), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_absences_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
        sa.UniqueConstraint("person_id", name=op.f("uq_absences_person_id")),
    )
    op.create_table(
        "week_excuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["people.id"], name=op.f("fk_week_excuses_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_week_excuses_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_week_excuses")),
        sa.UniqueConstraint("team_id", "week", name=op.f("uq_week_excuses_team_id")),
    )
    with op.batch_alter_table("week_excuses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_week_excuses_week"), ["week"], unique=False)

    op.create_table(
        "bulletin_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", bulletins.db.types.UtcDateTime(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletins.id"],
            name=op.f("fk_bulletin_revisions_bulletin_id_bulletins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_id"], ["people.id"], name=op.f("fk_bulletin_revisions_edited_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_revisions")),
    )


def downgrade() -> None:
    op.drop_table("bulletin_revisions")
    with op.batch_alter_table("week_excuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_week_excuses_week"))

    op.drop_table("week_excuses")
    op.drop_table("absences")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))

    op.drop_table("outbox")
