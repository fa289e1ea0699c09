"""The outbox: every message a job sends is written here first, keyed by what it is.

A job enqueues; the delivery step (in the Slack adapter) claims a message, sends it and
records the result. Because the key is unique, a job that runs twice for the same moment
adds nothing, and a message recorded as sent is never sent again. A message still claimed
when its sender died is "in doubt": the sender looks in Slack for it before sending again.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from bulletins.db.models import OutboxMessage, OutboxStatus
from bulletins.messages import Message

MAX_ATTEMPTS = 8  # then a message that keeps failing is given up, as a permanent failure
# Longer than a call to Slack can last, its retries included (bot.bootstrap's client).
IN_FLIGHT = timedelta(minutes=2)
# The confirmation of a filed form: written with the form, sent by the web process that
# filed it right after Slack's answer (by the clock process if that one fails or dies).
CONFIRMATION = "confirmation"
# What an "I can help" click sends: the group DM's first message and the digest thread's line.
HELP_OFFER = "help_offer"
SENT_BY_WEB = frozenset({CONFIRMATION, HELP_OFFER})
# A new text for a message already written to the outbox (``chat.update`` once it is sent):
# its ``thread_of`` is the key of the message it rewrites.
UPDATE = "update"


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    channel: str,
    message: Message,
    now: datetime,
    thread_of: str | None = None,
    claimed: bool = False,
    fresh: bool = False,
) -> OutboxMessage | None:
    """Add a message unless one with ``key`` exists; returns the new row, or None.

    ``claimed``: already claimed for sending by its writer (see ``claim``), who sends it
    as soon as the transaction commits. ``fresh``: the key cannot exist yet (it names a
    request seen for the first time), so it is not looked for."""
    if not fresh and exists(session, key):
        return None
    row = OutboxMessage(
        key=key,
        kind=kind,
        channel=channel,
        payload=message.to_json(),
        thread_of=thread_of,
        status=OutboxStatus.SENDING if claimed else OutboxStatus.PENDING,
        attempts=1 if claimed else 0,
        claimed_at=now if claimed else None,
        not_before=now,
        created_at=now,
        permanent=False,
    )
    session.add(row)
    session.flush()
    return row


def update_key(target_key: str) -> str:
    return f"{UPDATE}:{target_key}"


def enqueue_update(
    session: Session, *, target: OutboxMessage, message: Message, now: datetime
) -> bool:
    """Ask for ``target`` (an outbox row) to show ``message`` from now on; True when that
    changes what it will show.

    One update row per target, rewritten each time: several changes in a row coalesce into
    the latest one. An update in flight when a newer text arrives is sent again once its
    answer is recorded (see ``record_update_sent``). Until ``target`` is sent (its ts is
    known), the update waits for it."""
    payload = json.loads(json.dumps(message.to_json()))  # as the JSON column gives it back
    row = by_key(session, update_key(target.key))
    shown = row.payload if row is not None else target.payload
    if shown == payload:
        return False
    if row is None:
        enqueue(
            session,
            key=update_key(target.key),
            kind=UPDATE,
            channel=target.channel,
            message=message,
            now=now,
            thread_of=target.key,
            fresh=True,
        )
        return True
    row.payload = payload
    if row.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        row.status, row.attempts, row.claimed_at = OutboxStatus.PENDING, 0, None
        row.not_before, row.error, row.permanent = now, None, False
    return True


def current_payload(session: Session, target: OutboxMessage) -> dict:
    """What ``target`` shows, or will show once its pending update is sent."""
    row = by_key(session, update_key(target.key))
    return row.payload if row is not None else target.payload


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


def withdraw(session: Session, row: OutboxMessage) -> bool:
    """Delete ``row`` if no sender has claimed it yet: a message that is no longer true
    (a reminder to a team that has just filed) is better not sent at all. False when it
    is on its way or sent."""
    statement = delete(OutboxMessage).where(
        OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.PENDING
    )
    withdrawn = session.execute(statement.execution_options(synchronize_session=False))
    if withdrawn.rowcount:
        session.expunge(row)
        return True
    return False


def with_prefix(session: Session, kind: str, prefix: str) -> list[OutboxMessage]:
    """Messages of ``kind`` whose key starts with ``prefix``, oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.key.startswith(prefix, autoescape=True)
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def by_key(session: Session, key: str) -> OutboxMessage | None:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


def claim(session: Session, row: OutboxMessage, now: datetime) -> bool:
    """Mark ``row`` as being sent, before the call to Slack: one more attempt. False when
    another sender claimed it first (the web processes send confirmations while the clock
    process delivers): one conditional update, so that of two senders one alone wins."""
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session="fetch")
    )
    return claimed.rowcount == 1


def in_doubt(session: Session, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Messages claimed by a sender that never recorded the answer. A message of a kind
    in ``SENT_BY_WEB`` counts only once claimed more than ``IN_FLIGHT`` before ``now``: a
    web process may still be sending it."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            or_(
                OutboxMessage.kind.not_in(SENT_BY_WEB),
                OutboxMessage.claimed_at < now - IN_FLIGHT,
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_in_doubt(row: OutboxMessage, *, error: str, retry_at: datetime) -> None:
    """The answer did not tell whether Slack posted the message (a 5xx, a timeout): it
    stays claimed, to be looked for in Slack before any new attempt at ``retry_at``."""
    row.error, row.not_before = error, retry_at


def release(row: OutboxMessage) -> None:
    """Put an in-doubt message back in line: it was not sent after all."""
    row.status, row.claimed_at = OutboxStatus.PENDING, None


def mark_sent(row: OutboxMessage, *, now: datetime, channel: str, ts: str) -> None:
    row.status, row.sent_at, row.slack_channel, row.slack_ts = OutboxStatus.SENT, now, channel, ts
    row.error = None


def record_update_sent(
    row: OutboxMessage, *, now: datetime, channel: str, ts: str, sent_payload: dict
) -> None:
    """An update went out; if its text changed while it was in flight, it goes again."""
    mark_sent(row, now=now, channel=channel, ts=ts)
    if row.payload != sent_payload:
        row.status, row.attempts, row.claimed_at, row.not_before = (
            OutboxStatus.PENDING, 0, None, now
        )  # fmt: skip


# Run once for every message sent, the confirmations of filed forms among them: built once.
_SENT = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("message_id"))
    .values(
        status=OutboxStatus.SENT,
        sent_at=bindparam("sent_time"),
        slack_channel=bindparam("sent_channel"),
        slack_ts=bindparam("sent_ts"),
        error=None,
    )
    .execution_options(synchronize_session=False)
)


def record_sent(session: Session, message_id: int, *, now: datetime, channel: str, ts: str) -> None:
    """``mark_sent`` the message ``message_id`` in one statement, without reading it first:
    its sender has all it needs."""
    params = {"message_id": message_id, "sent_time": now, "sent_channel": channel, "sent_ts": ts}
    session.execute(_SENT, params)


def mark_failed(row: OutboxMessage, *, error: str, permanent: bool, retry_at: datetime) -> None:
    """Record a failed attempt; a permanent failure is never retried."""
    row.error = error
    row.permanent = permanent
    if permanent:
        row.status = OutboxStatus.FAILED
    else:
        row.status, row.not_before, row.claimed_at = OutboxStatus.PENDING, retry_at, None


def failures(session: Session) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    return list(session.scalars(query.order_by(OutboxMessage.id.desc())))
