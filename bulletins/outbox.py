"""The outbox: every message a job sends is written here first, keyed by what it is.

A job enqueues; the delivery step (in the Slack adapter) sends and records the result.
Because the key is unique, a job that runs twice for the same moment adds nothing, and a
message recorded as sent is never sent again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import OutboxMessage, OutboxStatus
from bulletins.messages import Message


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    channel: str,
    message: Message,
    now: datetime,
    thread_of: str | None = None,
) -> OutboxMessage | None:
    """Add a message unless one with ``key`` exists; returns the new row, or None."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return None
    row = OutboxMessage(
        key=key,
        kind=kind,
        channel=channel,
        payload=message.to_json(),
        thread_of=thread_of,
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=now,
        created_at=now,
        permanent=False,
    )
    session.add(row)
    session.flush()
    return row


def exists(session: Session, key: str) -> bool:
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def existing(session: Session, keys: list[str]) -> set[str]:
    """Which of ``keys`` are already in the outbox."""
    if not keys:
        return set()
    return set(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys))))


def due(session: Session, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Pending messages whose time has come, oldest first.

    On PostgreSQL the rows are locked, and rows another process holds are skipped, so two
    ticks running at once never send the same message twice (SQLite ignores this).
    """
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def by_key(session: Session, key: str) -> OutboxMessage | None:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


def mark_sent(row: OutboxMessage, *, now: datetime, channel: str, ts: str) -> None:
    row.status, row.sent_at, row.slack_channel, row.slack_ts = OutboxStatus.SENT, now, channel, ts
    row.attempts += 1
    row.error = None


def mark_failed(row: OutboxMessage, *, error: str, permanent: bool, retry_at: datetime) -> None:
    """Record a failed attempt; a permanent failure is never retried."""
    row.attempts += 1
    row.error = error
    row.permanent = permanent
    if permanent:
        row.status = OutboxStatus.FAILED
    else:
        row.not_before = retry_at


def failures(session: Session) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    return list(session.scalars(query.order_by(OutboxMessage.id.desc())))
