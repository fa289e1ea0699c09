"""The EIG 3 programme of the tests: its roster (in ``tests/data``), its dates, its people."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from bot.standin.workspace import SlackWorkspace
from bulletins.db import make_session_factory
from bulletins.db.models import Person, Team
from bulletins.roster.csv_file import import_roster, read_roster_file

# Test data kept with the tests, so that a fresh clone runs the whole suite. The EIG 3
# roster is the programme's 2019 cohort: real teams, pseudonymous people.
TEST_DATA = Path(__file__).resolve().parents[1] / "data"


def data_file(name: str) -> Path:
    """A file of ``tests/data``."""
    path = TEST_DATA / name
    assert path.is_file(), f"{path} is missing"
    return path


PARIS = ZoneInfo("Europe/Paris")
COHORT_START = date(2026, 1, 5)
COHORT_END = date(2027, 6, 30)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def load_eig3(engine: Engine, today: date = COHORT_START) -> None:
    rows = read_roster_file(data_file("eig3-roster.csv"))
    with make_session_factory(engine).begin() as session:
        import_roster(session, rows, today=today, cohort_start=COHORT_START, cohort_end=COHORT_END)


def person_named(workspace: SlackWorkspace, name: str, team: str | None = None) -> Person:
    """The roster person called ``name`` (in ``team`` when two share the name)."""
    with workspace.services.sessions() as session:
        people = session.scalars(select(Person).where(Person.name == name)).all()
        if team is not None:
            people = [p for p in people if any(m.team.name == team for m in p.memberships)]
        assert len(people) == 1, f"{len(people)} people named {name!r}"
        return people[0]


def team_named(workspace: SlackWorkspace, name: str) -> Team:
    with workspace.services.sessions() as session:
        return session.scalars(select(Team).where(Team.name == name)).one()
