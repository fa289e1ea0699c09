"""A command's database is checked before use: its schema must be at the latest revision,
which SQLite reaches by itself; otherwise one line says what to run."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

from bulletins.db.engine import url_for_processes
from bulletins.db.migrate import latest_revision, upgrade
from bulletins.db.opening import DatabaseProblem, migrate, open_database


def url_of(engine: Engine) -> str:
    return url_for_processes(engine)


def test_a_schema_behind_is_migrated_on_sqlite_and_refused_on_postgresql(bare_engine):
    upgrade(bare_engine, "0005")
    if bare_engine.dialect.name == "sqlite":
        opened = open_database(url_of(bare_engine))
        with opened.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == latest_revision()
        opened.dispose()
        return
    with pytest.raises(DatabaseProblem) as caught:
        open_database(url_of(bare_engine))
    message = str(caught.value)
    assert f"at revision 0005, this version needs {latest_revision()}" in message
    assert message.endswith("run: bulletins db upgrade")


def test_a_database_never_migrated_is_refused_but_db_upgrade_may_open_it(bare_engine):
    if bare_engine.dialect.name == "postgresql":
        with pytest.raises(DatabaseProblem, match="has no schema yet; run: bulletins db upgrade"):
            open_database(url_of(bare_engine))
    opened = open_database(url_of(bare_engine), migrating=True)
    migrate(opened)
    assert "bulletins" in inspect(opened).get_table_names()
    opened.dispose()


def test_a_schema_newer_than_the_code_is_refused_even_by_db_upgrade(bare_engine):
    upgrade(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(DatabaseProblem, match="at revision 0099, newer than this version"):
        open_database(url_of(bare_engine))
    with pytest.raises(DatabaseProblem, match="run the version that migrated it"):
        migrate(bare_engine)
