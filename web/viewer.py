"""Who is looking: a person of the roster, their teams and whether they are staff, read
from the database at every request, so that a person taken off the roster loses access at
their next request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bulletins.db.models import Membership, Person, Role, StaffMember, Team


def holds(column_since, column_until, day: date):
    """SQL condition: a place held on ``day`` and not ended that day. A roster import ends
    the places of the people it drops on the day it runs (``until`` = that day): the
    console takes them as ended at once, where reminders still count the day."""
    return (column_since <= day) & or_(column_until.is_(None), column_until > day)


@dataclass(frozen=True)
class Place:
    team_id: int
    team_name: str
    role: Role


@dataclass(frozen=True)
class Viewer:
    person_id: int
    slack_user_id: str
    name: str
    locale: str | None
    staff: bool
    places: tuple[Place, ...]

    @property
    def team_ids(self) -> list[int]:
        return sorted({place.team_id for place in self.places})

    def can_read(self, team_id: int) -> bool:
        """Staff read every team; fellows and mentors, their own teams."""
        return self.staff or team_id in self.team_ids

    def role_in(self, team_id: int) -> Role | None:
        roles = {place.role for place in self.places if place.team_id == team_id}
        return Role.FELLOW if Role.FELLOW in roles else next(iter(roles), None)

    @property
    def mentor(self) -> bool:
        return any(place.role == Role.MENTOR for place in self.places)


def load_viewer(session: Session, slack_user_id: str, day: date) -> Viewer | None:
    """The person with this Slack id, if the roster has them as staff or in an active team
    on ``day``; None otherwise (unknown, erased, or their place ended)."""
    person = session.scalar(
        select(Person).where(Person.slack_user_id == slack_user_id, Person.erased_at.is_(None))
    )
    if person is None:
        return None
    rows = session.execute(
        select(Team, Membership.role)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.person_id == person.id, holds(Membership.since, Membership.until, day))
        .order_by(Team.name)
    ).all()
    places = tuple(
        Place(team.id, team.name, Role(role)) for team, role in rows if team.is_active(day)
    )
    staff_place = select(StaffMember.id).where(
        StaffMember.person_id == person.id, holds(StaffMember.since, StaffMember.until, day)
    )
    staff = session.scalar(staff_place.limit(1)) is not None
    if not places and not staff:
        return None
    return Viewer(person.id, person.slack_user_id, person.name, person.locale, staff, places)
