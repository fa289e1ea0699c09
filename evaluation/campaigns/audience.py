"""Who a survey asks: fellows and mentors of active teams, and the programme staff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bulletins.db.models import Cohort, Membership, Person, StaffMember
from bulletins.people import active_teams, current


def active_cohorts(session: Session, day: date) -> list[Cohort]:
    """Cohorts that have started and not ended on ``day``, by name."""
    query = (
        select(Cohort)
        .where(Cohort.starts_on <= day, or_(Cohort.ends_on.is_(None), Cohort.ends_on >= day))
        .order_by(Cohort.name)
    )
    return list(session.scalars(query))


def audience(
    session: Session, roles: Sequence[str], cohorts: Sequence[Cohort], day: date
) -> list[tuple[Person, str]]:
    """Each person asked, once, with the role they answer as, by name.

    Someone holding several of ``roles`` (a fellow who also mentors another team, a staff
    member who mentors) answers as the first of ``roles`` they hold, in the survey's order:
    one person, one response, one role in the breakdowns.
    """
    chosen: dict[int, tuple[Person, str]] = {}
    for role in roles:
        for person in _people(session, role, cohorts, day):
            chosen.setdefault(person.id, (person, role))
    return sorted(chosen.values(), key=lambda pair: (pair[0].name, pair[0].id))


def _people(session: Session, role: str, cohorts: Sequence[Cohort], day: date) -> list[Person]:
    cohort_ids = [cohort.id for cohort in cohorts]
    if role == "staff":
        query = (
            select(Person)
            .join(StaffMember, StaffMember.person_id == Person.id)
            .where(
                StaffMember.cohort_id.in_(cohort_ids),
                current(StaffMember.since, StaffMember.until, day),
            )
        )
        return list(session.scalars(query).unique())
    team_ids = [team.id for cohort in cohorts for team in active_teams(session, day, cohort)]
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.team_id.in_(team_ids),
            Membership.role == role,
            current(Membership.since, Membership.until, day),
        )
    )
    return list(session.scalars(query).unique())
