"""Whether the deployment works: the database answers at the latest schema, and the clock
process completed a tick recently. ``GET /healthz`` and ``bulletins check`` both say it.

Each completed tick (the scheduler's every minute, or ``bulletins tick``) records a
heartbeat: one row per kind of process, overwritten each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bulletins.db.migrate import current_revision
from bulletins.db.models import Heartbeat

UPGRADE = "bulletins db upgrade"
CLOCK = "clock"  # the scheduler and ``bulletins tick``: the same work


def record_heartbeat(session: Session, now: datetime, failed_jobs: int = 0,
                     process: str = CLOCK) -> None:  # fmt: skip
    """Record that ``process`` completed its work at ``now`` (one statement: two processes
    beating at once never conflict)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Heartbeat).values(process=process, beat_at=now, failed_jobs=failed_jobs)
    statement = statement.on_conflict_do_update(
        index_elements=[Heartbeat.process],
        set_={"beat_at": statement.excluded.beat_at, "failed_jobs": failed_jobs},
    )
    session.execute(statement)


def last_heartbeat(session: Session, process: str = CLOCK) -> datetime | None:
    return session.scalar(select(Heartbeat.beat_at).where(Heartbeat.process == process))


def heartbeat(session: Session, process: str = CLOCK) -> Heartbeat | None:
    return session.get(Heartbeat, process)


@dataclass(frozen=True)
class Health:
    """What a monitor reads: ``database`` and ``scheduler`` are "ok" or what is wrong."""

    database: str
    scheduler: str
    last_tick: datetime | None = None
    failed_jobs: int = 0  # in the last tick

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.scheduler == "ok"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "database": self.database,
            "scheduler": self.scheduler,
            "last_tick": self.last_tick.isoformat() if self.last_tick else None,
        }


def scheduler_health(last: datetime | None, now: datetime, max_age: timedelta) -> str:
    """Either "ok" or why the clock process looks stopped."""
    if last is None:
        return "no tick recorded: is the clock process (bulletins scheduler) running?"
    age = now - last
    if age > max_age:
        minutes = int(age.total_seconds() // 60)
        return (
            f"last tick {minutes} minutes ago (more than {_minutes(max_age)}): is the clock "
            "process (bulletins scheduler) running?"
        )
    return "ok"


def _minutes(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)} minutes"


def check_health(engine: Engine, latest: str, now: datetime, max_age: timedelta) -> Health:
    """The health of the deployment on ``engine``, whose schema should be at ``latest``."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            if revision is None:
                return Health(f"no schema: run {UPGRADE}", "unknown")
            if revision != latest:
                return Health(f"schema at revision {revision}, needs {latest}: run {UPGRADE}",
                              "unknown")  # fmt: skip
            with Session(connection) as session:
                beat = heartbeat(session)
    except DBAPIError:
        return Health("unreachable", "unknown")
    if beat is None:
        return Health("ok", scheduler_health(None, now, max_age))
    return Health("ok", scheduler_health(beat.beat_at, now, max_age), beat.beat_at,
                  beat.failed_jobs)  # fmt: skip
