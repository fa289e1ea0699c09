"""Where each team stands for a week: filed, late, excused, silent, or still waiting."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.db.models import Bulletin, Cohort, Team, WeekExcuse
from bulletins.people import active_teams


class Status(StrEnum):
    FILED = "filed"
    LATE = "late"
    EXCUSED = "excused"
    SILENT = "silent"
    WAITING = "waiting"


@dataclass(frozen=True)
class TeamWeek:
    team: Team
    status: Status
    bulletin: Bulletin | None = None
    excuse: WeekExcuse | None = None


# Read by every Home tab and every job of the week: built once.
_BULLETINS = (
    select(Bulletin)
    .options(joinedload(Bulletin.author))
    .where(
        Bulletin.week == bindparam("week"), Bulletin.team_id.in_(bindparam("ids", expanding=True))
    )
)
_EXCUSES = select(WeekExcuse).where(
    WeekExcuse.week == bindparam("week"), WeekExcuse.team_id.in_(bindparam("ids", expanding=True))
)


def week_statuses(
    session: Session,
    calendar: ProgrammeCalendar,
    week: IsoWeek,
    now: datetime,
    cohort: Cohort | None = None,
    among: Collection[int] | None = None,
) -> list[TeamWeek]:
    """Each team active on ``week``'s deadline day (of ``cohort``, or ``among`` those ids,
    when given), with its status at ``now``, by name."""
    teams = active_teams(session, calendar.deadline_day(week), cohort, among)
    params = {"week": str(week), "ids": [team.id for team in teams]}
    bulletins = {b.team_id: b for b in session.scalars(_BULLETINS, params)}
    excuses = {e.team_id: e for e in session.scalars(_EXCUSES, params)}
    past_deadline = now > calendar.deadline(week)
    result = []
    for team in teams:
        bulletin, excuse = bulletins.get(team.id), excuses.get(team.id)
        if bulletin is not None:
            status = Status.LATE if bulletin.late else Status.FILED
        elif excuse is not None:
            status = Status.EXCUSED
        else:
            status = Status.SILENT if past_deadline else Status.WAITING
        result.append(TeamWeek(team, status, bulletin, excuse))
    return result


def teams_to_remind(statuses: list[TeamWeek]) -> list[Team]:
    return [tw.team for tw in statuses if tw.status in (Status.WAITING, Status.SILENT)]
