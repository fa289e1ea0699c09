"""Removing the old copies of rows a transaction has rewritten or deleted, once it has
committed: what a curious administrator could otherwise still read in the database's files.

SQLite zeroes deleted content itself (``secure_delete``) once its write-ahead log is
checkpointed; PostgreSQL keeps dead rows until ``VACUUM FULL`` rewrites the tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, text


def remove_old_copies(engine: Engine, tables: Iterable[str]) -> None:
    """Checkpoint SQLite's log into its file, or rewrite ``tables`` on PostgreSQL."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # No statement timeout: a programme's tables are rewritten in well under a second,
        # and a timeout would leave the dead rows behind.
        connection.execute(text("SET statement_timeout = 0"))
        for table in tables:
            connection.execute(text(f"VACUUM FULL {table}"))
