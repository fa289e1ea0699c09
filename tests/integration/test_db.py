"""The schema on both databases: migrations, constraints, timestamps."""

from datetime import UTC, date, datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import event, inspect, select, text
from sqlalchemy.exc import IntegrityError

from bot.standin.databases import postgres_schema
from bulletins.db.engine import POOL_SIZE
from bulletins.db.migrate import downgrade, upgrade
from bulletins.db.models import Base, Bulletin, Cohort, Person, Team
from bulletins.errors import BulletinsError
from tests.support.databases import PG_URL

EXPECTED_TABLES = {"cohorts", "teams", "people", "memberships", "staff", "bulletins"}


def test_upgrade_creates_every_table_and_downgrade_removes_them(bare_engine):
    upgrade(bare_engine)
    tables = set(inspect(bare_engine).get_table_names())
    assert tables >= EXPECTED_TABLES
    assert set(Base.metadata.tables) <= tables
    downgrade(bare_engine, "base")
    assert not EXPECTED_TABLES & set(inspect(bare_engine).get_table_names())


def test_upgrade_twice_is_harmless(bare_engine):
    upgrade(bare_engine)
    upgrade(bare_engine)
    assert set(inspect(bare_engine).get_table_names()) >= EXPECTED_TABLES


def test_upgrading_past_forms_left_to_file_refuses_and_says_what_to_do(bare_engine):
    """A form the previous version accepted and had not filed yet is not dropped."""
    upgrade(bare_engine, "0006")
    with bare_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO received_requests (key, received_at, pending_form) "
                "VALUES ('view:V1:abc', :at, '{}')"
            ),
            {"at": datetime(2026, 3, 6, 14, tzinfo=UTC)},
        )
    with pytest.raises(BulletinsError, match=r"1 submitted form\(s\) .* Run `bulletins tick`"):
        upgrade(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(text("UPDATE received_requests SET pending_form = NULL"))
    upgrade(bare_engine)
    columns = {c["name"] for c in inspect(bare_engine).get_columns("received_requests")}
    assert "pending_form" not in columns


def _team_and_person(session):
    cohort = Cohort(name="EIG 3", starts_on=date(2019, 1, 14), ends_on=date(2019, 11, 30))
    team = Team(cohort=cohort, name="LexImpact", slug="leximpact")
    person = Person(slack_user_id="UGCA7CM0PH4", name="Manon Moreau")
    session.add_all([cohort, team, person])
    session.flush()
    return team, person


def _bulletin(team, person, week="2019-W10", **changes):
    now = datetime(2019, 3, 8, 13, 0, tzinfo=UTC)
    fields = dict(
        team=team,
        week=week,
        author=person,
        updated_by=person,
        mood=3,
        priority="Ouvrir le simulateur",
        ups_and_downs="Démo réussie",
        created_at=now,
        updated_at=now,
    )
    return Bulletin(**(fields | changes))


def test_one_bulletin_per_team_and_week(session):
    team, person = _team_and_person(session)
    session.add(_bulletin(team, person))
    session.flush()
    session.add(_bulletin(team, person))
    with pytest.raises(IntegrityError):
        session.flush()


def test_mood_outside_the_four_faces_is_refused(session):
    team, person = _team_and_person(session)
    session.add(_bulletin(team, person, mood=5))
    with pytest.raises(IntegrityError):
        session.flush()


def test_timestamps_come_back_aware_and_equal_on_both_databases(session):
    team, person = _team_and_person(session)
    paris_summer = timezone(timedelta(hours=2))
    filed = datetime(2019, 7, 12, 15, 4, 59, tzinfo=paris_summer)
    session.add(_bulletin(team, person, created_at=filed, updated_at=filed))
    session.commit()
    session.expire_all()
    stored = session.scalars(select(Bulletin)).one()
    assert stored.created_at == filed
    assert stored.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(session):
    team, person = _team_and_person(session)
    naive = datetime(2019, 3, 8, 13, 0)
    session.add(_bulletin(team, person, created_at=naive))
    with pytest.raises(Exception, match="naive"):
        session.flush()


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
def test_a_connection_the_server_dropped_is_replaced():
    """As after a restart of the database server: the next use works."""
    assert PG_URL is not None
    with postgres_schema(PG_URL) as engine:
        with engine.connect() as connection:
            dropped = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        admin_url = PG_URL.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (dropped,))

        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != dropped


def test_a_burst_of_requests_reuses_the_pooled_connections(engine):
    """As many requests at once as the pool keeps, twice: connections are opened once."""
    engine.dispose()  # the connections migrating the database opened
    opened = []
    event.listen(engine.pool, "connect", lambda *_: opened.append(1))
    for _burst in range(2):
        connections = [engine.connect() for _ in range(POOL_SIZE)]
        for connection in connections:
            connection.execute(text("SELECT 1"))
            connection.close()
    assert len(opened) == POOL_SIZE


def test_a_failed_statement_never_shows_the_values_it_was_writing(engine):
    """Its error reaches the logs: a survey's answers must not come with it."""
    insert = text("INSERT INTO received_requests (key, received_at) VALUES (:key, :at)")
    with engine.begin() as connection:
        connection.execute(insert, {"key": "k", "at": datetime(2026, 3, 6, tzinfo=UTC)})
    with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
        connection.execute(insert, {"key": "k", "at": datetime(2031, 7, 14, tzinfo=UTC)})
    assert "2031" not in str(raised.value)


def test_upgrading_a_database_in_use_keeps_its_rows(bare_engine):
    """SQLite rebuilds a table for some changes: with foreign keys on, dropping the old
    table would cascade to the rows that refer to it."""

    upgrade(bare_engine, "0006")
    # Rows written as that revision's schema had them (the models are the latest schema's).
    with bare_engine.begin() as connection:
        for statement in (
            "INSERT INTO cohorts (id, name, starts_on) VALUES (1, 'EIG 3', '2026-01-05')",
            "INSERT INTO teams (id, cohort_id, name, slug) VALUES (1, 1, 'LexImpact', 'leximpact')",
            "INSERT INTO people (id, slack_user_id, name, email) "
            "VALUES (1, 'UGCA7CM0PH4', 'Manon Moreau', 'manon.moreau@example.gouv.fr')",
            "INSERT INTO memberships (person_id, team_id, role, since) "
            "VALUES (1, 1, 'fellow', '2026-01-05')",
        ):
            connection.execute(text(statement))
    tables = ("people", "teams", "memberships")

    def counts() -> list[int]:
        with bare_engine.connect() as connection:
            return [connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables]

    before = counts()
    upgrade(bare_engine)
    assert counts() == before and before[2] > 0
    with bare_engine.connect() as connection:  # nothing uses emails: no longer kept
        assert connection.scalar(text("SELECT email FROM people")) is None
