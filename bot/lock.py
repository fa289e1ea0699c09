"""One scheduler at a time: a lock held for the life of the clock process.

On PostgreSQL, a session-level advisory lock on a connection kept open; on SQLite, an
operating-system file lock beside the database file. Both are released by the operating
system or the server when the process dies, so a waiting scheduler takes over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

# An arbitrary constant naming "the Bulletins scheduler" among advisory locks.
ADVISORY_KEY = 0x42554C4C  # "BULL"


class SchedulerLock:
    """``acquire()`` returns True once this process holds the lock; ``release()`` gives it up."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._connection: Connection | None = None
        self._file: FileLock | None = None
        if engine.dialect.name == "sqlite":
            # Not thread-local: the clock process takes the lock in its main thread and
            # checks it in the scheduler's worker threads.
            self._file = FileLock(_lock_path(engine), timeout=0, thread_local=False)

    def try_acquire(self) -> bool:
        if self._file is not None:
            try:
                self._file.acquire()
                return True
            except Timeout:
                return False
        if self._connection is None:
            self._connection = self._engine.connect()
        held = self._connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        self._connection.commit()
        return bool(held)

    def acquire(
        self,
        poll_seconds: float = 5.0,
        timeout: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> bool:
        """Wait until the lock is ours (True), or until ``timeout`` seconds passed (False)."""
        waited = 0.0
        while not self.try_acquire():
            if waited == 0:
                log.info("another scheduler holds the lock; waiting to take over")
            if timeout is not None and waited >= timeout:
                return False
            sleep(poll_seconds)
            waited += poll_seconds
        log.info("scheduler lock acquired")
        return True

    def still_held(self) -> bool:
        """False when the lock was lost (e.g. the database server restarted)."""
        if self._file is not None:
            return self._file.is_locked
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND objid = :key AND pid = pg_backend_pid() AND granted"
                ),
                {"key": ADVISORY_KEY},
            ).scalar()
            self._connection.commit()
            return bool(held)
        except Exception:
            self._connection.invalidate()
            self._connection = None
            return False

    def release(self) -> None:
        if self._file is not None and self._file.is_locked:
            self._file.release()
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
                self._connection.commit()
            finally:
                # The pooled connection would otherwise keep the session, and the lock, alive.
                self._connection.invalidate()
                self._connection = None


def _lock_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        return Path.cwd() / "bulletins-scheduler.lock"
    return Path(f"{database}.scheduler.lock")
