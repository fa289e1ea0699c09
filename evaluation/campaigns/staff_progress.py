"""How far the open campaigns are: how many of those asked have answered, for the programme
team's Home tab.

Counted from ``Participation`` only (who was asked, who finished): never from the answers,
so that nothing here can tell who answered what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Participation
from evaluation.surveys.definitions import Text


@dataclass(frozen=True)
class CampaignProgress:
    """One open campaign: ``answered`` of ``invited`` people have finished."""

    campaign_id: int
    key: str
    title: Text
    anonymous: bool
    invited: int
    answered: int
    closes_at: datetime


def title_of(campaign: Campaign) -> Text:
    """The survey's title as launched, or the campaign's key when it has none."""
    title = (campaign.definition or {}).get("title") or {}
    return Text(fr=title.get("fr") or campaign.key, en=title.get("en") or campaign.key)


def open_campaigns_progress(
    session: Session, now: datetime, cohort_ids: Iterable[int] | None = None
) -> list[CampaignProgress]:
    """The campaigns open at ``now`` (of ``cohort_ids``, and those of no cohort, when
    given), closing soonest first, with their participation counts."""
    finished = func.sum(case((Participation.finished.is_(True), 1), else_=0))
    query = (
        select(Campaign, func.count(Participation.id), finished)
        .outerjoin(Participation, Participation.campaign_id == Campaign.id)
        .where(Campaign.opens_at <= now, Campaign.closes_at > now)
        .group_by(Campaign.id)
        .order_by(Campaign.closes_at, Campaign.id)
    )
    if cohort_ids is not None:
        ids = list(cohort_ids)
        query = query.where(or_(Campaign.cohort_id.is_(None), Campaign.cohort_id.in_(ids)))
    return [
        CampaignProgress(
            campaign_id=campaign.id,
            key=campaign.key,
            title=title_of(campaign),
            anonymous=campaign.anonymous,
            invited=invited,
            answered=int(answered or 0),
            closes_at=campaign.closes_at,
        )
        for campaign, invited, answered in session.execute(query)
    ]
