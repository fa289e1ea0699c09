"""A small programme in the database for the digest's and the jobs' tests: one cohort,
teams of two fellows and a mentor, and helpers to file, excuse and mark people away."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Channels, Schedule, Settings
from bulletins.cycle.jobs import JobContext
from bulletins.db.models import Absence, Bulletin, Cohort, Membership, Person, Team, WeekExcuse

PARIS = ZoneInfo("Europe/Paris")
CALENDAR = ProgrammeCalendar(PARIS, "FR", Schedule())
SETTINGS = Settings(channels=Channels(digest="C0DIGEST", announce="C0ANNOUNCE", staff="C0STAFF"))
W10 = IsoWeek(2026, 10)  # deadline Friday 6 March 2026 15:05


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@dataclass
class World:
    session: Session
    cohort: Cohort
    teams: dict[str, Team] = field(default_factory=dict)
    fellows: dict[str, list[Person]] = field(default_factory=dict)

    def add_team(self, name: str, ends_on: date | None = None) -> Team:
        team = Team(cohort=self.cohort, name=name, slug=name.lower(), ends_on=ends_on)
        people = [
            Person(slack_user_id=f"U{len(self.teams):03d}{n}", name=f"{name} fellow {n}")
            for n in (1, 2)
        ]
        self.session.add_all([team, *people])
        self.session.add_all(
            Membership(person=p, team=team, role="fellow", since=self.cohort.starts_on)
            for p in people
        )
        self.session.flush()
        self.teams[name], self.fellows[name] = team, people
        return team

    def file(self, team: str, week: IsoWeek = W10, at: datetime | None = None, **fields):
        """A bulletin as the form would store it (late when filed past the deadline)."""
        at = at or CALENDAR.deadline(week) - timedelta(hours=2)
        author = self.fellows[team][0]
        values = dict(mood=3, priority=f"{team} priority", ups_and_downs=f"{team} news")
        bulletin = Bulletin(
            team=self.teams[team], week=str(week), author=author, updated_by=author,
            created_at=at, updated_at=at, late=at > CALENDAR.deadline(week),
            **(values | fields),
        )  # fmt: skip
        self.session.add(bulletin)
        self.session.flush()
        return bulletin

    def excuse(self, team: str, reason: str, week: IsoWeek = W10) -> None:
        by, at = self.fellows[team][0], CALENDAR.opens(week)
        self.session.add(
            WeekExcuse(team=self.teams[team], week=str(week), reason=reason, by=by, at=at)
        )
        self.session.flush()

    def away(self, person: Person, until: date) -> None:
        self.session.add(Absence(person_id=person.id, until=until))
        self.session.flush()

    def ctx(self, now: datetime, settings: Settings = SETTINGS) -> JobContext:
        return JobContext(self.session, CALENDAR, settings, now)


def make_world(session: Session, *names: str) -> World:
    cohort = Cohort(name="EIG test", starts_on=date(2026, 1, 5), ends_on=date(2027, 6, 30))
    session.add(cohort)
    world = World(session, cohort)
    for name in names:
        world.add_team(name)
    return world
