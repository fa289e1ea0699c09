"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL test gets a schema of its own, dropped afterwards, so tests never see
each other's rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.standin.databases import postgres_schema
from bulletins.db import make_engine, make_session_factory, upgrade
from tests.support.databases import PG_URL

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def bare_engine(request, tmp_path) -> Iterator[Engine]:
    """An engine on an empty database of each backend, not yet migrated."""
    if request.param == "postgresql":
        with postgres_schema(PG_URL) as engine:
            yield engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'bulletins.db'}")
        yield engine
        engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    upgrade(bare_engine)
    return bare_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session
