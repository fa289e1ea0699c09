"""Closing a campaign once its window has ended: nothing left to reconstruct who answered
what.

- Every response is released (results show them all, see ``evaluation.campaigns.anonymity``).
- Every draft is deleted: a draft is answers beside a person, kept only while they answer.
- The campaign's participations and responses are rewritten in one statement each, so that
  no row is newer than another (PostgreSQL's ``xmin``, SQLite's page images).

Then, once that is committed (``scrub``), the old copies of those rows go too: SQLite
checkpoints and truncates its write-ahead log (deleted rows are already zeroed: the
database runs with ``secure_delete``); PostgreSQL rewrites the tables without their dead
rows (``VACUUM FULL``).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, delete, select, update

from bulletins.cycle.jobs import JobContext
from bulletins.db.models import Campaign, Draft, Participation, SurveyResponse
from bulletins.db.old_copies import remove_old_copies
from evaluation.campaigns.anonymity import lock_campaign

log = logging.getLogger(__name__)

SURVEY_TABLES = ("responses", "participations", "drafts")


def close_due_campaigns(ctx: JobContext) -> int:
    """Close every campaign whose window ended by ``ctx.now``; how many. Idempotent."""
    due = ctx.session.scalars(
        select(Campaign)
        .where(Campaign.closes_at <= ctx.now, Campaign.closed_at.is_(None))
        .order_by(Campaign.id)
    ).all()
    for campaign in due:
        lock_campaign(ctx.session, campaign.id)
        ctx.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.campaign_id == campaign.id)
            .values(released=True)
            .execution_options(synchronize_session=False)
        )
        ctx.session.execute(
            update(Participation)
            .where(Participation.campaign_id == campaign.id)
            .values(finished=Participation.finished)
            .execution_options(synchronize_session=False)
        )
        ctx.session.execute(
            delete(Draft)
            .where(Draft.campaign_id == campaign.id)
            .execution_options(synchronize_session=False)
        )
        campaign.closed_at = ctx.now
    return len(due)


def scrub(engine: Engine) -> None:
    """Remove the old copies of the survey tables' rows, after ``close_due_campaigns`` has
    committed. Best effort: a database busy now is scrubbed at the next closing."""
    try:
        remove_old_copies(engine, SURVEY_TABLES)
    except Exception:
        log.warning("could not remove old copies of survey rows yet", exc_info=True)
