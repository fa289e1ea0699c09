"""Storage: SQLAlchemy models, engine and sessions, Alembic migrations."""

from bulletins.db.engine import (
    database_unavailable,
    make_engine,
    make_session_factory,
    ping,
    url_for_processes,
)
from bulletins.db.migrate import upgrade

__all__ = [
    "database_unavailable",
    "make_engine",
    "make_session_factory",
    "ping",
    "upgrade",
    "url_for_processes",
]
