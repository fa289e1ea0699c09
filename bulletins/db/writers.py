"""One write transaction at a time per process on SQLite, for the busiest writes.

SQLite lets one connection write at a time. A connection that finds the database locked
waits in SQLite's busy handler, which sleeps and retries (1, 2, 5… up to 100 ms between
tries): under a burst of submitted forms, a waiting writer keeps missing the moments the
lock is free, and a few wait for seconds. Waiting here instead, on a lock of this process,
wakes the next writer the moment the previous one commits. Other processes (the clock)
still meet SQLite's own lock and its busy handler. PostgreSQL locks rows: nothing to do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bulletins.db.engine import TIMEOUT_SECONDS

_locks: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_guard = threading.Lock()


@contextmanager
def one_writer(engine: Engine, timeout: float = TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold ``engine``'s writer lock (SQLite only) for the write transaction within; raise
    a timeout, which counts as the database not answering, after ``timeout`` seconds."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with _guard:
        lock = _locks.setdefault(engine, threading.Lock())
    if not lock.acquire(timeout=timeout):
        raise PoolTimeout(f"another write held the database for more than {timeout:g} s")
    try:
        yield
    finally:
        lock.release()
