"""Database helpers for tests and benchmarks: scratch PostgreSQL schemas (each its own,
dropped after), counting the SQL statements a piece of code runs, and holding the lock
that filing a submitted form needs."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from bulletins.db import make_engine


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


FORM_DOWN = (
    "La base de données ne répond pas pour le moment\u00a0: vos réponses ne sont pas encore "
    "enregistrées. Renvoyez le formulaire dans une minute, ce que vous avez écrit est toujours là."
)


@contextmanager
def database_down(workspace, tmp_path) -> Iterator[None]:
    """Point the app's sessions at a database that is not there, then back."""
    if workspace.services.engine.dialect.name == "sqlite":
        dead = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'gone.db'}")
    else:
        dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/gone")  # nothing listens
    workspace.services.sessions.configure(bind=dead)
    try:
        yield
    finally:
        workspace.services.sessions.configure(bind=workspace.services.engine)
        dead.dispose()


PG_URL = os.environ.get("TEST_DATABASE_URL")
