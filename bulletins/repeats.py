"""Requests from Slack already received, by a key naming each: Slack's retried events,
double clicks and twice-submitted forms find their key and are not handled again.

Each key is inserted before the work (in a short transaction of its own, or in the work's
own transaction for a bulletin form): the unique constraint, not a read followed by a
write, decides which of two concurrent deliveries is the first, on SQLite and PostgreSQL
alike, and in one process or several.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable, Insert

from bulletins.db.models import ReceivedRequest

KEEP = timedelta(days=3)  # Slack retries an event for about an hour; clicks and forms, less


def _first_time(insert: Callable[..., Insert]) -> Executable:
    return (
        insert(ReceivedRequest)
        .values(key=bindparam("key"), received_at=bindparam("received_at"))
        .on_conflict_do_nothing(index_elements=[ReceivedRequest.key])
        .returning(ReceivedRequest.id)
    )


# Run for every request Slack may send twice: built once, one per database.
_FIRST_TIME = {"postgresql": _first_time(postgresql.insert), "sqlite": _first_time(sqlite.insert)}


def first_time(session: Session, key: str, now: datetime) -> bool:
    """Record ``key``; False when it was already recorded (the request is a repeat). One
    statement, which waits for a concurrent transaction recording the same key to end."""
    dialect = session.get_bind().dialect.name
    statement = _FIRST_TIME["postgresql" if dialect == "postgresql" else "sqlite"]
    return session.execute(statement, {"key": key, "received_at": now}).scalar() is not None


def first_within(session: Session, key: str, now: datetime, window: timedelta) -> bool:
    """Record ``key`` for the current ``window``-long slice of time; False when the same
    key was recorded less than ``window`` before ``now`` (e.g. a double click)."""
    seconds = window.total_seconds()
    slot = int(now.timestamp() // seconds)
    if not first_time(session, f"{key}@{slot}", now):
        return False
    query = select(ReceivedRequest.received_at).where(ReceivedRequest.key == f"{key}@{slot - 1}")
    previous = session.scalar(query)
    return previous is None or previous <= now - window


def forget(session: Session, key: str) -> None:
    """Forget ``key``, so that the same request is handled if it comes again (after its
    handling failed, say)."""
    session.execute(delete(ReceivedRequest).where(ReceivedRequest.key == key))


def prune_received(session: Session, now: datetime, keep: timedelta = KEEP) -> int:
    """Delete the keys received more than ``keep`` before ``now``; returns how many.

    Idempotent, for a scheduled job: nothing repeats that long after its first delivery.
    """
    result = session.execute(
        delete(ReceivedRequest).where(ReceivedRequest.received_at < now - keep)
    )
    return result.rowcount or 0
