"""Finding a campaign and someone's place in it; the errors a respondent can meet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Draft, Participation, Person
from bulletins.errors import BulletinsError
from evaluation.surveys.definitions import Survey
from evaluation.surveys.loading import survey_from_json


class CampaignNotFound(BulletinsError):
    """No campaign has that id (or key)."""


class CampaignClosed(BulletinsError):
    """The campaign is not open at this moment; ``closes_at`` says when it closed."""

    def __init__(self, campaign: Campaign, now: datetime):
        self.closes_at = campaign.closes_at
        self.not_yet = now < campaign.opens_at
        if self.not_yet:
            message = f"survey {campaign.key} opens on {campaign.opens_at:%Y-%m-%d %H:%M} UTC"
        else:
            message = f"survey {campaign.key} closed on {campaign.closes_at:%Y-%m-%d %H:%M} UTC"
        super().__init__(message)


class CampaignExists(BulletinsError):
    """A campaign with that key was already launched."""


class NobodyToInvite(BulletinsError):
    """The survey's audience is empty (an ended cohort, no one of its roles): no campaign."""


class NotInvited(BulletinsError):
    """The person is not in the campaign's audience."""


class AlreadySent(BulletinsError):
    """The person sent anonymous answers: they are detached and can no longer change."""


class InvalidAnswers(BulletinsError):
    """Answers that do not fit the questions; ``problems`` maps a question id to its problem."""

    def __init__(self, problems: dict):
        self.problems = problems
        listing = ", ".join(f"{qid}: {getattr(p, 'message', p)}" for qid, p in problems.items())
        super().__init__(f"some answers need a change ({listing})")


@dataclass(frozen=True)
class Progress:
    """Where a person stands: ``page`` is the next page to answer (== ``pages`` once every
    page is done), ``answers`` their answers so far (empty once an anonymous survey is sent),
    ``can_change`` whether they may still change them."""

    page: int
    pages: int
    answers: dict
    finished: bool
    can_change: bool


def survey_of(campaign: Campaign) -> Survey:
    """The survey as it was when the campaign was launched."""
    return survey_from_json(campaign.definition)


def is_open(campaign: Campaign, now: datetime) -> bool:
    return campaign.opens_at <= now < campaign.closes_at


def campaign_by_id(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignNotFound(f"no survey campaign has id {campaign_id}")
    return campaign


def open_campaign(session: Session, campaign_id: int, now: datetime) -> Campaign:
    """The campaign, if it is open at ``now``."""
    campaign = campaign_by_id(session, campaign_id)
    require_open(campaign, now)
    return campaign


def require_open(campaign: Campaign, now: datetime) -> None:
    if not is_open(campaign, now):
        raise CampaignClosed(campaign, now)


def participation_of(session: Session, campaign: Campaign, person: Person) -> Participation:
    """The person's invitation to the campaign (read afresh: it may have just finished)."""
    participation = session.scalar(
        select(Participation)
        .where(Participation.campaign_id == campaign.id, Participation.person_id == person.id)
        .execution_options(populate_existing=True)
    )
    if participation is None:
        raise NotInvited(f"{person.slack_user_id} was not invited to survey {campaign.key}")
    return participation


def draft_of(session: Session, campaign: Campaign, person: Person) -> Draft | None:
    return session.scalar(
        select(Draft)
        .where(Draft.campaign_id == campaign.id, Draft.person_id == person.id)
        .execution_options(populate_existing=True)
    )
