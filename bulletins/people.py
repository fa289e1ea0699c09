"""Who someone is in the programme: their teams, their role, whether they are away."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from bulletins.collation import by_name
from bulletins.db.models import Absence, Cohort, Membership, Person, Role, StaffMember, Team
from bulletins.errors import BulletinsError


class UnknownPerson(BulletinsError):
    """The Slack user is not in the roster."""


class UnknownCohort(BulletinsError):
    """No cohort has that name."""


def find_cohort(session: Session, name: str) -> Cohort:
    """The cohort called ``name``; an unknown name is an error listing the known ones."""
    cohort = session.scalar(select(Cohort).where(Cohort.name == name))
    if cohort is None:
        known = ", ".join(session.scalars(select(Cohort.name).order_by(Cohort.name))) or "none"
        raise UnknownCohort(f"unknown cohort {name!r}; known cohorts: {known}")
    return cohort


class NotAllowed(BulletinsError):
    """The person may not do this (not a member of the team, not staff)."""


WRITERS = (Role.FELLOW, Role.MENTOR)  # who writes a team's bulletin
# In a session's ``info``: the (person, team, day) whose membership this session has checked.
CHECKED_MEMBERS = "checked_members"


def person_by_slack_id(session: Session, slack_user_id: str) -> Person:
    person = session.scalar(select(Person).where(Person.slack_user_id == slack_user_id))
    if person is None:
        raise UnknownPerson(slack_user_id)
    return person


def current(column_since, column_until, day: date):
    """SQL condition: a span from ``since`` to ``until`` (open-ended when null) covers ``day``."""
    return (column_since <= day) & or_(column_until.is_(None), column_until >= day)


def _active_teams(cohort: bool, among: bool) -> Select:
    query = (
        select(Team)
        .join(Team.cohort)
        .options(joinedload(Team.cohort))
        .where(Cohort.starts_on <= bindparam("day"))
        .order_by(Team.name)
    )
    if cohort:
        query = query.where(Team.cohort_id == bindparam("cohort_id"))
    if among:
        query = query.where(Team.id.in_(bindparam("among", expanding=True)))
    return query


# Read by every Home tab and every job of the week: built once, one per way of asking.
_ACTIVE_TEAMS = {
    (cohort, among): _active_teams(cohort, among)
    for cohort in (False, True)
    for among in (False, True)
}


def active_teams(
    session: Session, day: date, cohort: Cohort | None = None, among: Collection[int] | None = None
) -> list[Team]:
    """Teams whose cohort has started and that have not ended on ``day``, by name; of
    ``cohort`` only, or ``among`` those ids only, when given."""
    query = _ACTIVE_TEAMS[(cohort is not None, among is not None)]
    params = {"day": day, "cohort_id": cohort.id if cohort else None, "among": list(among or ())}
    return by_name(team for team in session.scalars(query, params) if team.is_active(day))


# The queries of every submitted form and every ``/bulletin``, built once: building a
# statement and its cache key costs more than running it on an indexed table.
_MEMBER_OF_TEAM = (
    select(Person, Team, Membership.id)
    .select_from(Person)
    .outerjoin(Team, Team.id == bindparam("team_id"))
    .outerjoin(
        Membership,
        and_(
            Membership.person_id == Person.id,
            Membership.team_id == Team.id,
            Membership.role.in_([role.value for role in WRITERS]),
            current(Membership.since, Membership.until, bindparam("day")),
        ),
    )
    .options(joinedload(Team.cohort))
    .where(Person.slack_user_id == bindparam("slack_user_id"))
    .limit(1)
)
_PERSON_AND_TEAMS = (
    select(Person, Team)
    .select_from(Person)
    .outerjoin(
        Membership,
        and_(
            Membership.person_id == Person.id,
            Membership.role.in_([role.value for role in WRITERS]),
            current(Membership.since, Membership.until, bindparam("day")),
        ),
    )
    .outerjoin(Team, Team.id == Membership.team_id)
    .options(joinedload(Team.cohort))
    .where(Person.slack_user_id == bindparam("slack_user_id"))
    .order_by(Team.name, Team.id)
)


def member_by_slack_id(
    session: Session, slack_user_id: str, team_id: int, day: date
) -> tuple[Person, Team]:
    """The person with that Slack id and the team ``team_id`` (its cohort loaded), in one
    query, as every submitted form needs them; raise ``UnknownPerson``, or ``NotAllowed``
    unless they are a fellow or mentor of that team, active on ``day``. The session then
    knows the membership checked (``require_member`` asks nothing more)."""
    params = {"slack_user_id": slack_user_id, "team_id": team_id, "day": day}
    row = session.execute(_MEMBER_OF_TEAM, params).first()
    if row is None:
        raise UnknownPerson(slack_user_id)
    person, team, membership = row
    if team is None:
        raise NotAllowed(f"team {team_id} does not exist")
    if membership is None or not team.is_active(day):
        raise NotAllowed(f"{person.slack_user_id} is not a member of team {team.slug}")
    session.info.setdefault(CHECKED_MEMBERS, set()).add((person.id, team.id, day))
    return person, team


def person_and_teams(session: Session, slack_user_id: str, day: date) -> tuple[Person, list[Team]]:
    """The person with that Slack id and ``teams_of`` them on ``day``, in one query."""
    params = {"slack_user_id": slack_user_id, "day": day}
    rows = session.execute(_PERSON_AND_TEAMS, params).unique().all()
    if not rows:
        raise UnknownPerson(slack_user_id)
    teams = {team.id: team for _, team in rows if team is not None and team.is_active(day)}
    return rows[0][0], by_name(teams.values())


def teams_of(
    session: Session, person: Person, day: date, roles: Iterable[Role] = WRITERS
) -> list[Team]:
    """The active teams ``person`` belongs to on ``day`` in one of ``roles``."""
    query = (
        select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .options(joinedload(Team.cohort))
        .where(
            Membership.person_id == person.id,
            Membership.role.in_([str(role) for role in roles]),
            current(Membership.since, Membership.until, day),
        )
        .order_by(Team.name)
    )
    return by_name(team for team in session.scalars(query).unique() if team.is_active(day))


def is_staff(session: Session, person: Person, day: date) -> bool:
    query = select(StaffMember.id).where(
        StaffMember.person_id == person.id, current(StaffMember.since, StaffMember.until, day)
    )
    return session.scalar(query.limit(1)) is not None


def readable_teams(session: Session, person: Person, day: date) -> list[Team]:
    """Fellows and mentors read their own teams' bulletins; staff read every active team's."""
    if is_staff(session, person, day):
        return active_teams(session, day)
    return teams_of(session, person, day)


def require_member(session: Session, person: Person, team: Team, day: date) -> None:
    """Raise ``NotAllowed`` unless ``person`` is a fellow or mentor of ``team``, active on
    ``day``: one indexed lookup, none when this session's ``member_by_slack_id`` checked it."""
    if (person.id, team.id, day) in session.info.get(CHECKED_MEMBERS, ()):
        return
    query = select(Membership.id).where(
        Membership.person_id == person.id,
        Membership.team_id == team.id,
        Membership.role.in_([role.value for role in WRITERS]),
        current(Membership.since, Membership.until, day),
    )
    if session.scalar(query.limit(1)) is None or not team.is_active(day):
        raise NotAllowed(f"{person.slack_user_id} is not a member of team {team.slug}")


def fellows_of(session: Session, team: Team, day: date) -> list[Person]:
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.team_id == team.id,
            Membership.role == Role.FELLOW.value,
            current(Membership.since, Membership.until, day),
        )
    )
    return by_name(session.scalars(query))


def set_away(session: Session, person: Person, until: date, today: date) -> Absence:
    """Mark ``person`` away until ``until`` (inclusive): no reminders reach them meanwhile."""
    if until < today:
        raise BulletinsError("the date is in the past")
    absence = session.scalar(select(Absence).where(Absence.person_id == person.id))
    if absence is None:
        absence = Absence(person_id=person.id, until=until)
        session.add(absence)
    else:
        absence.until = until
    session.flush()
    return absence


def away_ids(session: Session, day: date) -> set[int]:
    """Ids of the people away on ``day``."""
    return set(session.scalars(select(Absence.person_id).where(Absence.until >= day)))


def timezone_of(person: Person | None, default: ZoneInfo) -> ZoneInfo:
    """The person's own timezone as Slack gave it, else ``default`` (the programme's)."""
    return zone_named(person.timezone if person is not None else None, default)


def zone_named(name: str | None, default: ZoneInfo) -> ZoneInfo:
    """The IANA timezone ``name``, or ``default`` when there is none or it is unknown."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default
