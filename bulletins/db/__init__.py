"""Storage: SQLAlchemy models, engine and sessions, Alembic migrations."""

from bulletins.db.engine import make_engine, make_session_factory, ping
from bulletins.db.migrate import upgrade

__all__ = ["make_engine", "make_session_factory", "ping", "upgrade"]
