"""Reading past bulletins: which team a person means by a name, and whether they may read it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.cycle.bulletin import recent_bulletins
from bulletins.db.models import Bulletin, Person, Team
from bulletins.errors import BulletinsError
from bulletins.people import NotAllowed, readable_teams
from bulletins.roster.csv_file import team_slug


class NoSuchTeam(BulletinsError):
    """No team answers to the name the person typed."""

    def __init__(self, query: str):
        self.query = query
        super().__init__(f"no team matches {query!r}")


class TeamNotReadable(NotAllowed):
    """The team exists, but the person may not read its bulletins."""

    def __init__(self, team: Team):
        self.team_name = team.name
        super().__init__(f"team {team.slug} is not readable")


def fold(text: str) -> str:
    """A name as people type it loosely: "Karfu’R", "karfur" and "KARFU R" all give "karfur"."""
    return team_slug(text).replace("-", "")


def match_team(teams: list[Team], query: str) -> Team | None:
    """The team whose name or slug is ``query`` (case, accents, punctuation aside), else the
    only team whose name contains it, else None."""
    wanted = fold(query)
    if not wanted:
        return None
    exact = [t for t in teams if wanted in (fold(t.name), fold(t.slug))]
    if exact:
        return exact[0]
    partial = [t for t in teams if wanted in fold(t.name)]
    return partial[0] if len(partial) == 1 else None


def history(
    session: Session, person: Person, day: date, query: str | None = None, limit: int = 5
) -> tuple[list[Team], list[Bulletin]]:
    """The teams asked for and their latest bulletins, newest first.

    Without ``query``: every team ``person`` may read. With it: that one team, if readable;
    raises :class:`TeamNotReadable` or :class:`NoSuchTeam` otherwise.
    """
    readable = readable_teams(session, person, day)
    if not query:
        return readable, recent_bulletins(session, readable, limit)
    team = match_team(readable, query)
    if team is None:
        other = match_team(list(session.scalars(select(Team).order_by(Team.name))), query)
        if other is not None:
            raise TeamNotReadable(other)
        raise NoSuchTeam(query)
    return [team], recent_bulletins(session, [team], limit)
