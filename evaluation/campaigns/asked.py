"""The surveys a person was asked to answer, and whether they did: for their own eyes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Participation


def surveys_asked(session: Session, person_id: int) -> list[tuple[Campaign, bool]]:
    """Each campaign ``person_id`` was invited to, the latest first, with whether they
    finished it."""
    query = (
        select(Campaign, Participation.finished)
        .join(Participation, Participation.campaign_id == Campaign.id)
        .where(Participation.person_id == person_id)
        .order_by(Campaign.launched_at.desc(), Campaign.id.desc())
    )
    return [(campaign, finished) for campaign, finished in session.execute(query)]
