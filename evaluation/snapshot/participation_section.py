"""The bulletins' part of an evaluation snapshot: each team's filed, late, excused and
silent weeks over the cohort, its rate and mean mood, the overall rate, and the mean mood of
each week.

Built on :func:`evaluation.participation.participation_grid` (bulk queries whatever the
number of teams and weeks). Only the weeks the cohort ran count (their deadline day from its
start to its end), once their deadline has passed; a team counts in the weeks it was
active. The rate is the share of expected bulletins that came, on time or late: excused
weeks are not expected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from sqlalchemy.orm import Session

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.cycle.status import Status
from bulletins.db.models import Cohort
from evaluation.participation import participation_grid

COUNTED = (Status.FILED, Status.LATE, Status.EXCUSED, Status.SILENT)


@dataclass(frozen=True)
class TeamParticipation:
    team: str
    counts: dict[str, int]  # by status: filed, late, excused, silent
    team_id: int | None = None  # None: the total of all teams
    mood: float | None = None  # the mean mood of its bulletins counted, None without any

    @property
    def weeks(self) -> int:
        """The weeks it played: those it was active in."""
        return sum(self.counts.values())

    @property
    def expected(self) -> int:
        return sum(self.counts[s] for s in (Status.FILED, Status.LATE, Status.SILENT))

    @property
    def rate(self) -> float | None:
        came = self.counts[Status.FILED] + self.counts[Status.LATE]
        return came / self.expected if self.expected else None


@dataclass(frozen=True)
class ParticipationPart:
    weeks: tuple[IsoWeek, ...]
    teams: tuple[TeamParticipation, ...]
    grid: tuple[tuple[str | None, ...], ...]  # team × week: a status, None when inactive
    moods: tuple[float | None, ...]  # per week: the mean mood of its bulletins

    @property
    def total(self) -> TeamParticipation:
        counts = {s: sum(t.counts[s] for t in self.teams) for s in COUNTED}
        return TeamParticipation("", counts)


def cohort_weeks(
    calendar: ProgrammeCalendar, cohort: Cohort, before: datetime
) -> tuple[IsoWeek, ...]:
    """The weeks the cohort ran whose deadline came before ``before``: those whose deadline
    day falls from its start to its end (the day of ``before`` when it has no end), the days
    its teams are counted on."""
    last_day = calendar.local(before).date()
    if cohort.ends_on is not None:
        last_day = min(last_day, cohort.ends_on)
    weeks, week = [], IsoWeek.of(cohort.starts_on)
    while week.monday <= last_day and calendar.deadline(week) < before:
        if cohort.starts_on <= calendar.deadline_day(week) <= last_day:
            weeks.append(week)
        week = week.next()
    return tuple(weeks)


def participation_part(
    session: Session, calendar: ProgrammeCalendar, cohort: Cohort, before: datetime
) -> ParticipationPart:
    """Participation of ``cohort``'s teams over its weeks, from what was written before
    ``before``."""
    weeks = cohort_weeks(calendar, cohort, before)
    grid = participation_grid(session, calendar, weeks, before - timedelta(microseconds=1), cohort)
    moods: dict[IsoWeek, list[int]] = defaultdict(list)
    team_moods: dict[int, list[int]] = defaultdict(list)
    for bulletin in grid.bulletins:
        moods[bulletin.week].append(bulletin.mood)
        team_moods[bulletin.team_id].append(bulletin.mood)
    rows, teams = [], []
    for team in grid.teams:
        row = tuple(None if s is None else str(s) for s in grid.row(team))
        rows.append(row)
        counts = {str(s): sum(1 for status in row if status == s) for s in COUNTED}
        mood = fmean(team_moods[team.id]) if team_moods.get(team.id) else None
        teams.append(TeamParticipation(team.name, counts, team.id, mood))
    means = tuple(fmean(moods[week]) if moods.get(week) else None for week in weeks)
    return ParticipationPart(weeks, tuple(teams), tuple(rows), means)
