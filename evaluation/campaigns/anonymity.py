"""Storing a finished anonymous response so that nothing joins it to its respondent.

Who has finished lives in ``participations``; the answers live in ``responses``, with no
person, no time and a random id. What could still tell which response is the newest is
the physical order of the rows: SQLite's ``rowid`` and PostgreSQL's ``ctid``/``xmin``
follow insertion order. So each finish rewrites every response of the campaign, in a
random order with fresh random ids, in the same transaction that marks the participation
finished: afterwards every row of the campaign is equally new.
"""

from __future__ import annotations

import random
import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, SurveyResponse

_shuffle = random.SystemRandom().shuffle


def new_response_id() -> str:
    """A random id: it says nothing about when or by whom a response was given."""
    return uuid.uuid4().hex


def lock_campaign(session: Session, campaign_id: int) -> None:
    """Serialize finishing within a campaign (PostgreSQL; SQLite serializes writers itself),
    so two people finishing at once never rewrite the responses from stale copies."""
    session.execute(select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())


def add_anonymous(
    session: Session, campaign_id: int, role: str, answers: dict, batch_size: int = 1
) -> None:
    """Add one response to an anonymous campaign and rewrite them all in a random order.

    The new response waits, unreleased, until ``batch_size`` responses wait: then they are
    all released together, so that results looked at twice never differ by one person.

    Call it holding :func:`lock_campaign`, in the transaction that deletes the draft and
    marks the participation finished.
    """
    rows = [
        {"role": role_, "answers": answers_, "released": released}
        for role_, answers_, released in session.execute(
            select(SurveyResponse.role, SurveyResponse.answers, SurveyResponse.released).where(
                SurveyResponse.campaign_id == campaign_id
            )
        )
    ]
    rows.append({"role": role, "answers": answers, "released": False})
    if sum(1 for row in rows if not row["released"]) >= batch_size:
        for row in rows:
            row["released"] = True
    _shuffle(rows)
    session.execute(
        delete(SurveyResponse)
        .where(SurveyResponse.campaign_id == campaign_id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        insert(SurveyResponse),
        [{"id": new_response_id(), "campaign_id": campaign_id, **row} for row in rows],
    )
    # The rows just deleted must not linger in the session as if they still existed.
    for stale in [o for o in session.identity_map.values() if isinstance(o, SurveyResponse)]:
        session.expunge(stale)
