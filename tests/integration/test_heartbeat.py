"""The clock's heartbeat, on SQLite and PostgreSQL: recorded, overwritten, judged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bulletins.db.migrate import latest_revision
from bulletins.db.models import Heartbeat
from bulletins.health import check_health, last_heartbeat, record_heartbeat

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEN = timedelta(minutes=10)


def test_each_tick_overwrites_the_one_heartbeat_of_the_clock(engine, session):
    record_heartbeat(session, NOW, failed_jobs=2)
    session.commit()
    record_heartbeat(session, NOW + timedelta(minutes=1))
    session.commit()
    assert last_heartbeat(session) == NOW + timedelta(minutes=1)
    (row,) = session.query(Heartbeat).all()
    assert row.failed_jobs == 0


def test_health_follows_the_age_of_the_last_tick(engine, session):
    latest = latest_revision()
    before = check_health(engine, latest, NOW, TEN)
    assert (before.database, before.ok) == ("ok", False)
    record_heartbeat(session, NOW)
    session.commit()
    assert check_health(engine, latest, NOW + TEN, TEN).ok
    late = check_health(engine, latest, NOW + TEN + timedelta(minutes=5), TEN)
    assert not late.ok
    assert late.scheduler.startswith("last tick 15 minutes ago")
    assert late.as_dict()["last_tick"] == NOW.isoformat()


def test_the_failed_jobs_of_the_last_tick_are_kept(engine, session):
    record_heartbeat(session, NOW, failed_jobs=3)
    session.commit()
    assert check_health(engine, latest_revision(), NOW, TEN).failed_jobs == 3
