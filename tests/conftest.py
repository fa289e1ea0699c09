"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

Each PostgreSQL test gets a schema of its own, dropped afterwards, so tests never see
each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bulletins.db import make_engine, make_session_factory, upgrade
from tests.databases import postgres_schema

PG_URL = os.environ.get("TEST_DATABASE_URL")
# Test data kept with the tests, so that a fresh clone runs the whole suite. The EIG 3
# roster is the programme's 2019 cohort: real teams, pseudonymous people.
TEST_DATA = Path(__file__).resolve().parent / "data"

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
    ),
]


def data_file(name: str) -> Path:
    """A file of ``tests/data``."""
    path = TEST_DATA / name
    assert path.is_file(), f"{path} is missing"
    return path


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
