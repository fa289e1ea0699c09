"""End-to-end fixtures: the app served over real HTTP, reached through the Slack stand-in.

The roster is the real EIG 3 cohort (15 teams), dated so that its weeks span 2026 and 2027.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from bot.standin.bench import SlackBench
from bulletins.config import settings_from_dict
from bulletins.db.models import Person, Team
from bulletins.roster import import_roster, read_roster_file
from tests.conftest import data_file

PARIS = ZoneInfo("Europe/Paris")
COHORT_START = date(2026, 1, 5)
COHORT_END = date(2027, 6, 30)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def load_eig3(engine: Engine, today: date = COHORT_START) -> None:
    rows = read_roster_file(data_file("eig3-roster.csv"))
    from bulletins.db import make_session_factory

    with make_session_factory(engine).begin() as session:
        import_roster(session, rows, today=today, cohort_start=COHORT_START, cohort_end=COHORT_END)


@pytest.fixture
def settings():
    return settings_from_dict(
        {"channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": "C0STAFF"}}
    )


@pytest.fixture
def bench(engine, settings) -> Iterator[SlackBench]:
    load_eig3(engine)
    with SlackBench(settings, engine, now=paris(2026, 3, 2, 10, 0)) as bench:
        bench.register_people()
        yield bench


def person_named(bench: SlackBench, name: str, team: str | None = None) -> Person:
    """The roster person called ``name`` (in ``team`` when two share the name)."""
    with bench.services.sessions() as session:
        people = session.scalars(select(Person).where(Person.name == name)).all()
        if team is not None:
            people = [p for p in people if any(m.team.name == team for m in p.memberships)]
        assert len(people) == 1, f"{len(people)} people named {name!r}"
        return people[0]


def team_named(bench: SlackBench, name: str) -> Team:
    with bench.services.sessions() as session:
        return session.scalars(select(Team).where(Team.name == name)).one()
