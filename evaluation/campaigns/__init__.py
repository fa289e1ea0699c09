"""Campaigns: a survey launched for an audience, and everything a respondent does with it.

``launch`` creates the campaign, one participation per person asked and one invitation
DM each through the outbox. Answering lives in :mod:`evaluation.campaigns.answering` and is
re-exported here, so this module is the one to import:
``open_campaign``, ``participation_of``, ``progress``, ``save_page``, ``finish``,
``reopen``, ``answer_pulse``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from bulletins.db.models import Campaign, Cohort, Participation, Person
from bulletins.errors import BulletinsError
from bulletins.i18n import normalize_locale
from bulletins.people import UnknownCohort, find_cohort
from evaluation.campaigns.access import (
    AlreadySent,
    CampaignClosed,
    CampaignExists,
    CampaignNotFound,
    InvalidAnswers,
    NobodyToInvite,
    NotInvited,
    Progress,
    campaign_by_id,
    is_open,
    open_campaign,
    participation_of,
    survey_of,
)
from evaluation.campaigns.answering import (
    answer_pulse,
    finish,
    next_page,
    progress,
    reopen,
    save_page,
)
from evaluation.campaigns.audience import active_cohorts, audience
from evaluation.campaigns.invitations import (
    SURVEY_ANSWER,
    SURVEY_PULSE,
    invitation,
    parse_pulse_value,
)
from evaluation.surveys.definitions import Survey
from evaluation.surveys.loading import configured_directories, load_surveys, survey_to_json

__all__ = [
    "SURVEY_ANSWER",
    "SURVEY_PULSE",
    "AlreadySent",
    "CampaignClosed",
    "CampaignExists",
    "CampaignNotFound",
    "Counts",
    "InvalidAnswers",
    "NobodyToInvite",
    "NotInvited",
    "Progress",
    "UnknownCohort",
    "UnknownSurvey",
    "active_cohorts",
    "answer_pulse",
    "available_surveys",
    "campaign_by_id",
    "campaign_key",
    "campaigns",
    "counts",
    "find_cohort",
    "find_survey",
    "finish",
    "invite_key",
    "is_open",
    "launch",
    "next_page",
    "open_campaign",
    "parse_pulse_value",
    "participation_of",
    "progress",
    "reopen",
    "save_page",
    "survey_of",
]

DEFAULT_DAYS = 14  # a survey with neither window nor recurrence (the loader refuses those)


class UnknownSurvey(BulletinsError):
    """No survey file defines that id."""


def available_surveys(settings: Settings) -> dict[str, Survey]:
    """The shipped surveys and those of the configured directory, by id."""
    return load_surveys(configured_directories(settings))


def find_survey(settings: Settings, survey_id: str) -> Survey:
    surveys = available_surveys(settings)
    if survey_id not in surveys:
        known = ", ".join(sorted(surveys)) or "none"
        raise UnknownSurvey(f"no survey has the id {survey_id!r} (surveys: {known})")
    return surveys[survey_id]


def campaign_key(survey: Survey, cohort: Cohort | None, local_now: datetime) -> str:
    """``<survey>:<cohort>`` for a window, ``<survey>:<YYYY-MM>[:<cohort>]`` for a recurrence."""
    parts = [survey.id]
    if survey.recurrence is not None:
        parts.append(f"{local_now:%Y-%m}")
    if cohort is not None:
        parts.append(cohort.name)
    return ":".join(parts)


def invite_key(campaign: Campaign, person: Person) -> str:
    return f"survey:{campaign.key}:invite:person-{person.id}"


def launch(
    session: Session,
    survey: Survey,
    *,
    cohort: Cohort | None,
    now: datetime,
    calendar: ProgrammeCalendar,
    settings: Settings,
    key: str | None = None,
) -> Campaign:
    """Open a campaign of ``survey`` now for its audience in ``cohort`` (default: the
    survey's own cohort, else the only active cohort, else every active cohort together)
    and invite each person, once.

    Raises CampaignExists when the key was already launched (a survey runs once per
    cohort, a recurring one once per month and cohort), and NobodyToInvite, recording
    nothing, when no one is in its audience that day.
    """
    today = calendar.local(now).date()
    cohort = cohort or _default_cohort(session, survey, today)
    key = key or campaign_key(survey, cohort, calendar.local(now))
    _refuse_existing(session, survey, key)
    cohorts = [cohort] if cohort is not None else active_cohorts(session, today)
    invited = audience(session, survey.audience.roles, cohorts, today)
    if not invited:
        where = f"cohort {cohort.name}" if cohort is not None else "any active cohort"
        raise NobodyToInvite(
            f"survey {survey.id} would invite nobody: no {' or '.join(survey.audience.roles)} "
            f"of {where} on {today.isoformat()}; nothing was launched"
        )
    campaign = Campaign(
        key=key,
        survey_id=survey.id,
        cohort_id=cohort.id if cohort else None,
        anonymous=survey.anonymous,
        definition=survey_to_json(survey),
        opens_at=now,
        closes_at=closing(survey, now, calendar),
        launched_at=now,
        batch_size=settings.anonymity_k if survey.anonymous else 1,
    )
    session.add(campaign)
    session.flush()
    for person, role in invited:
        session.add(Participation(campaign_id=campaign.id, person_id=person.id, role=role))
        _invite(session, campaign, survey, person, settings, now)
    session.flush()
    return campaign


def _refuse_existing(session: Session, survey: Survey, key: str) -> None:
    if session.scalar(select(Campaign.id).where(Campaign.key == key)) is not None:
        raise CampaignExists(f"survey {survey.id} was already launched as {key!r}")


def _default_cohort(session: Session, survey: Survey, today: date) -> Cohort | None:
    """The survey's own cohort, else the only active one; None when several are active
    (one campaign then asks them all)."""
    if survey.audience.cohort is not None:
        return find_cohort(session, survey.audience.cohort)
    active = active_cohorts(session, today)
    return active[0] if len(active) == 1 else None


def closing(survey: Survey, now: datetime, calendar: ProgrammeCalendar) -> datetime:
    """A fixed window closes at the end of its last day; otherwise ``days`` after ``now``."""
    window = survey.window
    if window is not None and window.closes is not None:
        closes = calendar.at(window.closes, time(23, 59, 59))
        if closes <= now:
            raise BulletinsError(f"survey {survey.id}'s window closed on {window.closes}")
        return closes
    if window is not None and window.days:
        return now + timedelta(days=window.days)
    if survey.recurrence is not None:
        return now + timedelta(days=survey.recurrence.days)
    return now + timedelta(days=DEFAULT_DAYS)


def _invite(
    session: Session,
    campaign: Campaign,
    survey: Survey,
    person: Person,
    settings: Settings,
    now: datetime,
) -> None:
    locale = normalize_locale(person.locale, settings.locale)
    outbox.enqueue(
        session,
        key=invite_key(campaign, person),
        kind="survey_invite",
        channel=person.slack_user_id,
        message=invitation(campaign.id, campaign.closes_at, survey, locale, settings),
        now=now,
    )


@dataclass(frozen=True)
class Counts:
    finished: int
    invited: int

    def __str__(self) -> str:
        return f"{self.finished} of {self.invited} finished"


def counts(session: Session, campaign: Campaign) -> Counts:
    """How many people were asked, and how many finished."""
    finished, invited = session.execute(
        select(
            func.count().filter(Participation.finished.is_(True)),
            func.count(),
        ).where(Participation.campaign_id == campaign.id)
    ).one()
    return Counts(finished, invited)


def campaigns(session: Session) -> list[Campaign]:
    """Every campaign, the latest launched first."""
    return list(
        session.scalars(select(Campaign).order_by(Campaign.launched_at.desc(), Campaign.id.desc()))
    )
