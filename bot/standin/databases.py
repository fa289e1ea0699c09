"""Databases for the stand-in's users, tests and benchmarks: scratch PostgreSQL schemas,
counting statements, and an outbox filled with direct messages to send.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, event, select, text

from bot.standin import SlackStandIn
from bulletins import outbox
from bulletins.db import make_engine, make_session_factory
from bulletins.db.models import OutboxMessage
from bulletins.messages import Message, Section


@contextmanager
def postgres_schema(url: str, prefix: str = "t") -> Iterator[Engine]:
    """An engine confined to a fresh schema of the database at ``url``, dropped on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` within the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def enqueue_dms(engine: Engine, standin: SlackStandIn, count: int, now: datetime, start=0):
    """``count`` reminders to as many people, in the outbox; returns their user ids."""
    users = [f"UF{i:09d}" for i in range(start, start + count)]
    with make_session_factory(engine).begin() as session:
        for user in users:
            standin.add_user(user, f"Fellow {user}")
            outbox.enqueue(
                session,
                key=f"reminder:2026-W10:1400:{user}",
                kind="reminder",
                channel=user,
                message=Message(text="Rappel", sections=(Section(f"Bonjour <@{user}>"),)),
                now=now,
            )
    return users


def statuses(engine: Engine) -> dict[str, int]:
    with make_session_factory(engine)() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts
