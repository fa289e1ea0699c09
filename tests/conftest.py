"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL test gets a schema of its own, dropped afterwards, so tests never see
each other's rows. On SQLite the migrations run once per session and each test gets a copy
of the file they left (a file copy takes a millisecond, the migrations a sixth of a
second); on PostgreSQL the server's own work creating the tables is most of their cost, so
each schema is migrated. The migrations themselves are tested on empty databases
(``bare_engine``) in tests/integration/test_db.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database file at the latest revision, to copy."""
    path = tmp_path_factory.mktemp("template") / "bulletins.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closed: the WAL is folded into the file
    return path


@pytest.fixture
def engine(bare_engine: Engine, request) -> Engine:
    """``bare_engine`` at the latest revision, as the migrations leave it."""
    if bare_engine.dialect.name == "sqlite":
        bare_engine.dispose()
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), bare_engine.url.database)
    else:
        upgrade(bare_engine)
    return bare_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session
