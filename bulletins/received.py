"""Requests from Slack already received, by a key naming each: Slack's retried events,
double clicks and twice-submitted forms find their key and are not handled again.

Each key is inserted in a short transaction of its own, before the work: the unique
constraint, not a read followed by a write, decides which of two concurrent deliveries is
the first, on SQLite and PostgreSQL alike.

A submitted bulletin form is *accepted* (``FormIntake``): kept under its key, in one
statement, before Slack gets its answer; it is filed just after (``pending_form``, then
``take_pending`` in the filing's transaction), and a form whose filing never happened (a
worker killed) is found by the scheduler (``pending_keys``).
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bulletins.db.models import ReceivedRequest

KEEP = timedelta(days=3)  # Slack retries an event for about an hour; clicks and forms, less


def first_time(session: Session, key: str, now: datetime) -> bool:
    """Record ``key``; False when it was already recorded (the request is a repeat)."""
    try:
        with session.begin_nested():
            session.add(ReceivedRequest(key=key, received_at=now))
    except IntegrityError:
        return False
    return True


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


class FormIntake:
    """Keeps each submitted form under its request's key until it is filed (``accept``).

    Forms submitted at the same moment are kept together: while one thread writes, the
    forms that arrive wait, then the next of them writes them all, in one statement and one
    commit (one round trip on PostgreSQL), where each would otherwise have had its own. A
    form that comes alone is written at once."""

    def __init__(self, engine: Engine):
        if engine.dialect.name == "postgresql":
            # The statement commits itself: no second round trip for COMMIT.
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._engine = engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        # Built once, so that its compiled form is cached.
        self._statement = (
            insert(ReceivedRequest)
            .on_conflict_do_nothing(index_elements=[ReceivedRequest.key])
            .returning(ReceivedRequest.key)
        )
        self._turn = threading.Condition()
        self._waiting: list[_Accepting] = []
        self._writing = False

    def accept(self, key: str, now: datetime, form: dict[str, Any]) -> bool:
        """Keep ``form`` under ``key``; False when ``key`` was already received (the same
        form sent again). Committed when it returns: it is what Slack's answer waits for."""
        row = {"key": key, "received_at": now, "pending_form": json.dumps(form, ensure_ascii=False)}
        mine = _Accepting(row)
        with self._turn:
            self._waiting.append(mine)
            while self._writing and not mine.done:
                self._turn.wait()
            writer = not mine.done
            if writer:
                self._writing = True
                batch, self._waiting = self._waiting, []
        if writer:
            try:
                self._write(batch)
            except BaseException as error:
                for accepting in batch:
                    accepting.error = error
            finally:
                with self._turn:
                    for accepting in batch:
                        accepting.done = True
                    self._writing = False
                    self._turn.notify_all()
        if mine.error is not None:
            raise mine.error if writer else _own_copy(mine.error)
        return mine.fresh

    def _write(self, batch: list[_Accepting]) -> None:
        first: dict[str, _Accepting] = {}
        for accepting in batch:  # the same form twice in one batch: the first one counts
            first.setdefault(accepting.row["key"], accepting)
        with self._engine.connect() as connection:
            result = connection.execute(self._statement, [a.row for a in first.values()])
            inserted = set(result.scalars())
            connection.commit()
        for key in inserted:
            first[key].fresh = True


def _own_copy(error: BaseException) -> BaseException:
    """A copy of ``error`` for another thread to raise: one exception raised in several
    threads at once would mix their tracebacks. The error itself if it cannot be copied."""
    try:
        return copy.copy(error)
    except Exception:
        return error


@dataclass(eq=False)
class _Accepting:
    """A form waiting to be written, then whether it was new, or what went wrong."""

    row: dict[str, Any]
    done: bool = False
    fresh: bool = False
    error: BaseException | None = None


def pending_form(session: Session, key: str) -> tuple[dict[str, Any], datetime] | None:
    """The form accepted under ``key`` and when, or None when it is filed already."""
    query = select(ReceivedRequest.pending_form, ReceivedRequest.received_at)
    found = session.execute(query.where(ReceivedRequest.key == key)).one_or_none()
    if found is None or found.pending_form is None:
        return None
    return json.loads(found.pending_form), found.received_at


def take_pending(session: Session, key: str) -> bool:
    """Mark the form accepted under ``key`` as filed, in ``session``'s transaction; False
    when it is already (the transaction must then be rolled back: another one filed it).

    Of two transactions taking the same form, the second waits for the first (a row lock
    on PostgreSQL, the write lock on SQLite), then finds nothing to take. Taking it last,
    after the filing's own writes, keeps SQLite's write lock for as short a time as can be.
    """
    taken = session.execute(
        update(ReceivedRequest)
        .where(ReceivedRequest.key == key, ReceivedRequest.pending_form.is_not(None))
        .values(pending_form=None)
    )
    return taken.rowcount == 1


def pending_keys(session: Session, received_before: datetime) -> list[str]:
    """The keys of forms accepted before ``received_before`` and not filed yet, oldest
    first."""
    query = (
        select(ReceivedRequest.key)
        .where(
            ReceivedRequest.pending_form.is_not(None),
            ReceivedRequest.received_at < received_before,
        )
        .order_by(ReceivedRequest.id)
    )
    return list(session.scalars(query))


def prune_received(session: Session, now: datetime, keep: timedelta = KEEP) -> int:
    """Delete the keys received more than ``keep`` before ``now``; returns how many. A
    form not filed yet is kept.

    Idempotent, for a scheduled job: nothing repeats that long after its first delivery.
    """
    result = session.execute(
        delete(ReceivedRequest).where(
            ReceivedRequest.received_at < now - keep, ReceivedRequest.pending_form.is_(None)
        )
    )
    return result.rowcount or 0
