"""Bulletin participation over many weeks at once: each team's status, week by week.

The rule is :func:`bulletins.cycle.status.week_statuses`'s (a bulletin is filed or late, else an
excuse makes the week excused, else the week is silent once its deadline has passed), read
here in three bulk queries for any number of teams and weeks, never one per team or week.
The monthly digest and the evaluation snapshots both build on :func:`participation_grid`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.collation import by_name
from bulletins.cycle.status import Status
from bulletins.db.models import Bulletin, Cohort, Team, WeekExcuse


@dataclass(frozen=True)
class FiledBulletin:
    """What the evaluation reads of a bulletin (no free text but the help request)."""

    team_id: int
    week: IsoWeek
    mood: int
    late: bool
    help_request: str | None
    created_at: datetime


@dataclass(frozen=True)
class ParticipationGrid:
    """Teams (by name) × consecutive ISO weeks. A team has no status in a week it was not
    active on the week's deadline day."""

    weeks: tuple[IsoWeek, ...]
    teams: tuple[Team, ...]
    statuses: dict[tuple[int, IsoWeek], Status]
    bulletins: tuple[FiledBulletin, ...]

    def status(self, team: Team, week: IsoWeek) -> Status | None:
        return self.statuses.get((team.id, week))

    def row(self, team: Team) -> list[Status | None]:
        return [self.status(team, week) for week in self.weeks]

    def counts(self, team: Team) -> Counter[Status]:
        """How many weeks of each status ``team`` had in the grid."""
        return Counter(s for s in self.row(team) if s is not None)

    def totals(self) -> Counter[Status]:
        return sum((self.counts(team) for team in self.teams), Counter())

    def restricted(self, weeks: Sequence[IsoWeek]) -> ParticipationGrid:
        """The same figures over ``weeks`` only, for the teams active in one of them."""
        kept = set(weeks)
        statuses = {k: v for k, v in self.statuses.items() if k[1] in kept}
        ids = {team_id for team_id, _ in statuses}
        return ParticipationGrid(
            weeks=tuple(w for w in self.weeks if w in kept),
            teams=tuple(t for t in self.teams if t.id in ids),
            statuses=statuses,
            bulletins=tuple(b for b in self.bulletins if b.week in kept),
        )

    def chart_data(self) -> tuple[list[str], list[str], list[list[str | None]]]:
        """(team names, week keys, status rows) as :mod:`evaluation.charts` draws them."""
        rows = [[None if s is None else str(s) for s in self.row(team)] for team in self.teams]
        return [t.name for t in self.teams], [str(w) for w in self.weeks], rows


def month_weeks(calendar: ProgrammeCalendar, year: int, month: int) -> list[IsoWeek]:
    """The ISO weeks whose deadline day falls in ``month`` of ``year``, in order."""
    first = date(year, month, 1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return [
        week
        for week in week_range(IsoWeek.of(first), IsoWeek.of(last))
        if calendar.deadline_day(week).month == month
    ]


def week_range(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    """Every ISO week from ``first`` to ``last``, both included."""
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week = week.next()
    return weeks


def _teams(
    session: Session, calendar: ProgrammeCalendar, weeks: Sequence[IsoWeek], cohort: Cohort | None
) -> list[Team]:
    """Teams active on the deadline day of one of ``weeks``, by name (one query)."""
    days = [calendar.deadline_day(week) for week in weeks]
    query = (
        select(Team)
        .join(Team.cohort)
        .options(joinedload(Team.cohort))
        .where(Cohort.starts_on <= max(days))
        .order_by(Team.name, Team.id)
    )
    if cohort is not None:
        query = query.where(Team.cohort_id == cohort.id)
    return by_name(team for team in session.scalars(query) if any(team.is_active(d) for d in days))


def _bulletins(
    session: Session, weeks: Sequence[IsoWeek], ids: list[int], now: datetime
) -> list[FiledBulletin]:
    # Week keys sort as text in week order, so one range covers them all.
    query = select(
        Bulletin.team_id,
        Bulletin.week,
        Bulletin.mood,
        Bulletin.late,
        Bulletin.help_request,
        Bulletin.created_at,
    ).where(
        Bulletin.week.between(str(weeks[0]), str(weeks[-1])),
        Bulletin.team_id.in_(ids),
        Bulletin.created_at <= now,
    )
    found = [
        FiledBulletin(team_id, IsoWeek.parse(week), mood, late, help_request, created_at)
        for team_id, week, mood, late, help_request, created_at in session.execute(query)
    ]
    return sorted(found, key=lambda b: (b.week, b.team_id))


def _excused(
    session: Session, weeks: Sequence[IsoWeek], ids: list[int], now: datetime
) -> set[tuple[int, str]]:
    query = select(WeekExcuse.team_id, WeekExcuse.week).where(
        WeekExcuse.week.between(str(weeks[0]), str(weeks[-1])),
        WeekExcuse.team_id.in_(ids),
        WeekExcuse.at <= now,
    )
    return {(team_id, week) for team_id, week in session.execute(query)}


def status_of(bulletin: FiledBulletin | None, excused: bool, past_deadline: bool) -> Status:
    """A team's status for a week, by the rule of :mod:`bulletins.cycle.status`."""
    if bulletin is not None:
        return Status.LATE if bulletin.late else Status.FILED
    if excused:
        return Status.EXCUSED
    return Status.SILENT if past_deadline else Status.WAITING


def participation_grid(
    session: Session,
    calendar: ProgrammeCalendar,
    weeks: Sequence[IsoWeek],
    now: datetime,
    cohort: Cohort | None = None,
) -> ParticipationGrid:
    """Each team's status in each of ``weeks`` (consecutive, in order) as of ``now``:
    bulletins filed and excuses given after ``now`` do not count yet."""
    weeks = tuple(weeks)
    if not weeks:
        return ParticipationGrid((), (), {}, ())
    teams = _teams(session, calendar, weeks, cohort)
    ids = [team.id for team in teams]
    bulletins = _bulletins(session, weeks, ids, now) if ids else []
    excused = _excused(session, weeks, ids, now) if ids else set()
    by_key = {(b.team_id, b.week): b for b in bulletins}
    statuses = {}
    for week in weeks:
        day, past = calendar.deadline_day(week), now > calendar.deadline(week)
        for team in teams:
            if team.is_active(day):
                found = by_key.get((team.id, week))
                excuse = (team.id, str(week)) in excused
                statuses[(team.id, week)] = status_of(found, excuse, past)
    return ParticipationGrid(weeks, tuple(teams), statuses, tuple(bulletins))


@dataclass(frozen=True)
class SilentStreak:
    """Weeks in a row without bulletin nor excuse, from ``first`` to ``last``."""

    team: Team
    first: IsoWeek
    last: IsoWeek
    weeks: int


def _runs(row: Sequence[Status | None]) -> list[tuple[int, int]]:
    """(start, end) indexes of the runs of silent weeks in ``row``, end excluded."""
    runs, start = [], None
    for index, status in enumerate([*row, None]):
        if status == Status.SILENT and start is None:
            start = index
        elif status != Status.SILENT and start is not None:
            runs.append((start, index))
            start = None
    return runs


def silent_streaks(
    grid: ParticipationGrid, within: Sequence[IsoWeek], minimum: int = 2
) -> list[SilentStreak]:
    """Runs of at least ``minimum`` consecutive silent weeks that reach into ``within``;
    the grid's earlier weeks count towards a run, so one crossing into ``within`` from
    before is found whole. Filed, late or excused weeks and weeks of inactivity end a run."""
    if not within:
        return []
    first, last = min(within), max(within)
    found = []
    for team in grid.teams:
        for start, end in _runs(grid.row(team)):
            run = grid.weeks[start:end]
            if len(run) >= minimum and run[-1] >= first and run[0] <= last:
                found.append(SilentStreak(team, run[0], run[-1], len(run)))
    return found
