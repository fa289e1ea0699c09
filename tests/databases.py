"""Database helpers for tests and benchmarks: scratch PostgreSQL schemas (each its own,
dropped after), counting the SQL statements a piece of code runs, and holding the lock
that filing a submitted form needs."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event, text

from bulletins.db import make_engine


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


@contextmanager
def database_locked(engine: Engine) -> Iterator[None]:
    """Another connection holds a lock: SQLite's write lock, or PostgreSQL's on the
    received requests (where filing a submitted form begins), so that what needs it waits
    for it."""
    if engine.dialect.name == "sqlite":
        holder = sqlite3.connect(engine.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE received_requests IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()
