"""What a person's Home tab shows: their teams this week, their cohorts' week for the
programme team, the latest bulletins and the last digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.calendar import ProgrammeCalendar
from bulletins.collation import by_name
from bulletins.cycle.bulletin import Window, filing_window, recent_bulletins
from bulletins.cycle.help_offers import HelpRequest, offers_for, recent_requests
from bulletins.cycle.status import Status, TeamWeek, week_statuses
from bulletins.db.models import (
    Bulletin,
    Cohort,
    HelpOffer,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    StaffMember,
    Team,
)
from bulletins.outbox.report import undelivered_count
from bulletins.people import current, teams_of


@dataclass(frozen=True)
class CohortWeek:
    """Every team of a cohort this week, with its status."""

    cohort: Cohort
    teams: list[TeamWeek]

    def count(self, *statuses: Status) -> int:
        return sum(1 for tw in self.teams if tw.status in statuses)


@dataclass(frozen=True)
class HomePage:
    person: Person
    window: Window
    own: list[TeamWeek]
    recent: list[Bulletin]
    cohorts: list[CohortWeek]
    digest: OutboxMessage | None
    undelivered: int = 0  # for the programme team: messages that could not be delivered
    offers: dict[int, list[HelpOffer]] = field(default_factory=dict)  # by own bulletin's id
    help_requests: list[HelpRequest] = field(default_factory=list)  # for the programme team
    # The last digest's first message as it reads now (its updates included), and whether
    # it continues in its thread.
    digest_shown: dict | None = None
    digest_continues: bool = False


# Read by every Home tab: built once.
_STAFF_COHORTS = (
    select(Cohort)
    .join(StaffMember, StaffMember.cohort_id == Cohort.id)
    .where(
        StaffMember.person_id == bindparam("person_id"),
        current(StaffMember.since, StaffMember.until, bindparam("day")),
    )
    .order_by(Cohort.starts_on.desc())
)


def staff_cohorts(session: Session, person: Person, day: date) -> list[Cohort]:
    """The cohorts ``person`` runs as a member of the programme team on ``day``."""
    return list(session.scalars(_STAFF_COHORTS, {"person_id": person.id, "day": day}))


def contacts_for(session: Session, person: Person, day: date) -> list[Person]:
    """The programme team of the cohorts ``person`` has been a member of, by name."""
    cohorts = (
        select(Cohort.id)
        .join(Cohort.teams)
        .join(Membership)
        .where(Membership.person_id == person.id)
    )
    query = (
        select(Person)
        .join(StaffMember, StaffMember.person_id == Person.id)
        .where(
            StaffMember.cohort_id.in_(cohorts),
            current(StaffMember.since, StaffMember.until, day),
        )
    )
    return by_name(session.scalars(query).unique())


def last_digest(session: Session) -> OutboxMessage | None:
    """The digest sent last, if any."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.kind == "digest", OutboxMessage.status == OutboxStatus.SENT)
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def home_page(
    session: Session,
    calendar: ProgrammeCalendar,
    person: Person,
    now: datetime,
    recent: int = 3,
    teams: list[Team] | None = None,
) -> HomePage:
    """Everything ``person``'s Home tab shows at ``now``; ``teams``: their ``teams_of`` on
    that day, when read already."""
    window = filing_window(calendar, now)
    day = calendar.local(now).date()
    if teams is None:
        teams = teams_of(session, person, day)
    own_ids = {team.id for team in teams}
    cohorts = staff_cohorts(session, person, day)
    # Every team's week for the programme team; a fellow's or mentor's own teams only.
    if cohorts:
        all_weeks = week_statuses(session, calendar, window.week, now)
    elif teams:
        all_weeks = week_statuses(session, calendar, window.week, now, among=own_ids)
    else:
        all_weeks = []
    own = [tw for tw in all_weeks if tw.team.id in own_ids]
    asking = [tw.bulletin.id for tw in own if tw.bulletin and tw.bulletin.help_request]
    digest = last_digest(session) if cohorts else None
    return HomePage(
        person=person,
        window=window,
        own=own,
        recent=recent_bulletins(session, teams, recent),
        cohorts=[
            CohortWeek(cohort, [tw for tw in all_weeks if tw.team.cohort_id == cohort.id])
            for cohort in cohorts
        ],
        digest=digest,
        undelivered=undelivered_count(session) if cohorts else 0,
        offers=offers_for(session, asking),
        help_requests=recent_requests(session, [c.id for c in cohorts], window.week),
        digest_shown=outbox.current_payload(session, digest) if digest else None,
        digest_continues=digest is not None and continues(session, digest),
    )


def continues(session: Session, digest: OutboxMessage) -> bool:
    """Whether a digest's first message has parts continued in its thread."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.thread_of == digest.key, OutboxMessage.kind == "digest_continued"
    )
    return session.scalar(query.limit(1)) is not None
