"""The domain's tables, as SQLAlchemy 2 typed models.

Later features add their own tables through new Alembic revisions.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bulletins.db.types import UtcDateTime

# Explicit constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Role(StrEnum):
    FELLOW = "fellow"
    MENTOR = "mentor"


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # When its open data was archived and its people's data erased (bulletins.retention).
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    teams: Mapped[list[Team]] = relationship(back_populates="cohort", order_by="Team.name")


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("cohort_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    administration: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Unused. Dropping it on SQLite rebuilds the table, which would cascade deletes unless
    # the migration turned foreign keys off first.
    slack_channel: Mapped[str | None] = mapped_column(String(40))
    ends_on: Mapped[date | None] = mapped_column(Date)

    cohort: Mapped[Cohort] = relationship(back_populates="teams")
    memberships: Mapped[list[Membership]] = relationship(back_populates="team")

    def is_active(self, day: date) -> bool:
        ends = self.ends_on or self.cohort.ends_on
        return self.cohort.starts_on <= day and (ends is None or day <= ends)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Never written since the roster stopped storing emails (nothing used them); kept because
    # dropping a column of this table on SQLite would rebuild it (see Team.slack_channel).
    email: Mapped[str | None] = mapped_column(String(320))
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))  # Slack's, e.g. America/Cayenne
    # When Slack was last asked for the timezone: asked again at most once a day.
    timezone_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when the person's data was erased at their request: the row stays, with no name,
    # email or Slack id, so that their team's bulletins keep an author ("a former member").
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(Base):
    """A person's place in a team, as a fellow or a mentor, for a span of dates."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("person_id", "team_id", "role"),
        CheckConstraint("role IN ('fellow', 'mentor')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships")


class StaffMember(Base):
    """A member of the programme team for a cohort: reads everything, runs the programme."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("person_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()
    cohort: Mapped[Cohort] = relationship()


class Bulletin(Base):
    """One team's bulletin for one ISO week (``week`` is a key such as ``2026-W05``)."""

    __tablename__ = "bulletins"
    __table_args__ = (
        UniqueConstraint("team_id", "week"),
        CheckConstraint("mood BETWEEN 1 AND 4", name="mood"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    mood: Mapped[int] = mapped_column(Integer)
    priority: Mapped[str] = mapped_column(Text)
    ups_and_downs: Mapped[str] = mapped_column(Text)
    help_request: Mapped[str | None] = mapped_column(Text)
    key_date: Mapped[date | None] = mapped_column(Date)
    key_date_label: Mapped[str | None] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))

    team: Mapped[Team] = relationship()
    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[Person] = relationship(foreign_keys=[updated_by_id])


class HelpOffer(Base):
    """Someone who clicked "I can help" under a team's help request, and the group DM that
    brought them together with the team's fellows."""

    __tablename__ = "help_offers"
    __table_args__ = (UniqueConstraint("bulletin_id", "helper_slack_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(
        ForeignKey("bulletins.id", ondelete="CASCADE"), index=True
    )
    # Anyone in the workspace may offer, in the roster or not.
    helper_slack_id: Mapped[str] = mapped_column(String(20))
    helper_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[str | None] = mapped_column(String(40))  # the group DM, once opened

    bulletin: Mapped[Bulletin] = relationship()


class BulletinRevision(Base):
    """Who changed a bulletin, and when, and what it said before."""

    __tablename__ = "bulletin_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id", ondelete="CASCADE"))
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    edited_at: Mapped[datetime] = mapped_column(UtcDateTime)
    previous: Mapped[dict] = mapped_column(JSON)


class WeekExcuse(Base):
    """A team's "no bulletin this week" (holiday, event), with its reason: excused, not silent."""

    __tablename__ = "week_excuses"
    __table_args__ = (UniqueConstraint("team_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8), index=True)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    team: Mapped[Team] = relationship()
    by: Mapped[Person] = relationship()


class Absence(Base):
    """A person away until a date: no reminders for them until then."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    until: Mapped[date] = mapped_column(Date)


class ReminderSnooze(Base):
    """ "Remind me in an hour", clicked under a reminder: one more reminder at ``until``."""

    __tablename__ = "reminder_snoozes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8), index=True)
    until: Mapped[datetime] = mapped_column(UtcDateTime)
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    person: Mapped[Person] = relationship()
    team: Mapped[Team] = relationship()


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; in doubt if its process died before the answer
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """A message to send, written before it is sent, keyed by what it is.

    The key (e.g. ``reminder:2026-W05:14:00:team-12:person-40``) is unique: a job that runs
    twice for the same moment finds its message already there and adds nothing.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    thread_of: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    slack_ts: Mapped[str | None] = mapped_column(String(40))
    slack_channel: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    permanent: Mapped[bool] = mapped_column(default=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReceivedRequest(Base):
    """A request from Slack already handled, by a key naming it (an event id, a view
    submission, a click): Slack's retries and double clicks find it and do nothing more."""

    __tablename__ = "received_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Campaign(Base):
    """One run of a survey for an audience: a window, invitations, answers."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # e.g. "pulse-mentors:2026-03"
    survey_id: Mapped[str] = mapped_column(String(100), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column()
    definition: Mapped[dict] = mapped_column(JSON)  # the survey as launched, for its results
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    launched_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Anonymous responses are shown in batches of at least this many while the campaign
    # is open (``[surveys] anonymity_k`` at launch), all of them once it is closed.
    batch_size: Mapped[int] = mapped_column(default=1)
    # When the campaign was closed: its drafts deleted, its responses all released.
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    cohort: Mapped[Cohort | None] = relationship()


class Participation(Base):
    """Who was asked, and whether they finished: for reminders and response rates.

    Deliberately holds no timestamp and no reference to any answer.
    """

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    finished: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship()
    campaign: Mapped[Campaign] = relationship()


class Draft(Base):
    """A person's answers in progress, page by page; gone once they finish an anonymous
    survey (their answers then live, detached, in ``responses``)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answers: Mapped[dict] = mapped_column(JSON)
    page: Mapped[int] = mapped_column(default=0)  # the next page to answer
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SurveyResponse(Base):
    """A finished response. For an anonymous campaign: a random id, the respondent's role,
    the answers, and nothing else (no person, no time, no order)."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))
    answers: Mapped[dict] = mapped_column(JSON)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Shown in results: an anonymous response waits until ``batch_size`` people have
    # finished since the last batch, or the campaign closes.
    released: Mapped[bool] = mapped_column(default=True)


class ToolStatus(StrEnum):
    IN_PRODUCTION = "in_production"  # running in the host administration's information system
    PLANNED = "planned"  # with a planned date
    ABANDONED = "abandoned"
    UNKNOWN = "unknown"


class TeamFacts(Base):
    """A team's facts sheet as recorded at one moment; the latest row is the current one,
    and earlier rows are its history (who changed what, when)."""

    __tablename__ = "team_facts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source: Mapped[str] = mapped_column(String(20), default="slack")  # slack | import
    tool_status: Mapped[str] = mapped_column(String(20), default=ToolStatus.UNKNOWN)
    tool_planned_on: Mapped[date | None] = mapped_column(Date)
    people_hired: Mapped[int] = mapped_column(default=0)  # hired or kept by the administration
    repositories: Mapped[list] = mapped_column(JSON, default=list)  # URLs
    libraries: Mapped[list] = mapped_column(JSON, default=list)  # reusable libraries published
    datasets: Mapped[list] = mapped_column(JSON, default=list)  # open datasets published (URLs)
    trainings_count: Mapped[int] = mapped_column(default=0)
    training_topics: Mapped[list] = mapped_column(JSON, default=list)
    contributions: Mapped[list] = mapped_column(JSON, default=list)  # to other open source
    accessibility_audit: Mapped[bool | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)

    team: Mapped[Team] = relationship()
    recorded_by: Mapped[Person | None] = relationship()


class Indicator(Base):
    """An indicator a team's mentors chose: objective, what is measured and how, a target."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    objective: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str | None] = mapped_column(Text)  # how it is measured
    unit: Mapped[str | None] = mapped_column(String(40))
    baseline: Mapped[float | None] = mapped_column()
    target: Mapped[float | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    archived: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", order_by="IndicatorValue.recorded_at"
    )


class IndicatorValue(Base):
    """One measure of an indicator; the history of values shows the progress."""

    __tablename__ = "indicator_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column()
    measured_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class Heartbeat(Base):
    """When a kind of process (``clock``: the scheduler, or ``bulletins tick``) last
    completed its work; the health check says when it is too long ago."""

    __tablename__ = "heartbeats"

    process: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    failed_jobs: Mapped[int] = mapped_column(Integer, default=0)
