"""Keeping data no longer than needed: scheduled jobs, idempotent functions of ``now`` and
the database, that clear what is older than the ``[retention]`` periods.

- A message sent (or given up) more than ``sent_messages_days`` ago keeps its row (key,
  kind, channel, times: the outbox's record, and what stops it being sent again) but its
  payload, which holds names and people's text, is emptied.
- The earlier versions of an edited bulletin go after ``bulletin_revisions_days``; the
  bulletin itself stays.
- The keys of requests already handled go after ``received_requests_days``
  (``bulletins.cycle.jobs.prune_received_requests``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Text, cast, delete, func, update

from bulletins.cycle.jobs import CoreJob, JobContext
from bulletins.db.models import BulletinRevision, OutboxMessage, OutboxStatus

EMPTY: dict = {}


def empty_old_messages(ctx: JobContext) -> int:
    """Empty the payloads of messages sent or given up more than the period ago."""
    before = ctx.now - timedelta(days=ctx.settings.retention.sent_messages_days)
    done = func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            done < before,
            cast(OutboxMessage.payload, Text) != "{}",
        )
        .values(payload=EMPTY)
        .execution_options(synchronize_session=False)
    )
    return ctx.session.execute(statement).rowcount


def delete_old_revisions(ctx: JobContext) -> int:
    """Delete the earlier versions of bulletins replaced more than the period ago."""
    before = ctx.now - timedelta(days=ctx.settings.retention.bulletin_revisions_days)
    statement = delete(BulletinRevision).where(BulletinRevision.edited_at < before)
    return ctx.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def retention_jobs() -> list[tuple[str, CoreJob]]:
    return [
        ("empty_old_messages", empty_old_messages),
        ("delete_old_revisions", delete_old_revisions),
    ]
