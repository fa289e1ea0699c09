"""Offers of help under the digest's help requests: who offered, the group DM that brings
them together with the team's fellows, and what the Home tabs show of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek
from bulletins.dates import week_start
from bulletins.db.models import Bulletin, HelpOffer, Team
from bulletins.i18n import gettext
from bulletins.messages import Message, Section
from bulletins.mrkdwn import escape, mention, quote

RECENT_WEEKS = 4  # the programme team's Home tab lists the help requests of four weeks


@dataclass(frozen=True)
class HelpRequest:
    """A team's help request and the offers it got."""

    bulletin: Bulletin
    offers: list[HelpOffer]


def offer_key(bulletin_id: int, helper_slack_id: str, what: str) -> str:
    """The outbox key of a message an offer sends (``what``: "dm" or "thread")."""
    return f"help_offer:{bulletin_id}:{helper_slack_id}:{what}"


def asking_bulletin(session: Session, bulletin_id: int) -> Bulletin | None:
    """The bulletin behind an "I can help" button, if it still asks for help."""
    bulletin = session.get(Bulletin, bulletin_id, options=[joinedload(Bulletin.team)])
    return bulletin if bulletin is not None and bulletin.help_request else None


def record_offer(
    session: Session, bulletin: Bulletin, helper_slack_id: str, helper_name: str, now: datetime
) -> HelpOffer | None:
    """Record ``helper``'s offer; None when they had already offered (a second click)."""
    query = select(HelpOffer.id).where(
        HelpOffer.bulletin_id == bulletin.id, HelpOffer.helper_slack_id == helper_slack_id
    )
    if session.scalar(query) is not None:
        return None
    offer = HelpOffer(
        bulletin=bulletin, helper_slack_id=helper_slack_id, helper_name=helper_name, at=now
    )
    session.add(offer)
    session.flush()
    return offer


def group_message(bulletin: Bulletin, helper_slack_id: str, locale: str) -> Message:
    """The first message of the group DM: who offers, and the request, quoted."""
    team = escape(bulletin.team.name)
    line = gettext(
        locale,
        "🙋 %(helper)s offers to help *%(team)s* with this request from the week of %(week)s:",
        helper=mention(helper_slack_id),
        team=team,
        week=week_start(bulletin.week, locale),
    )
    text = gettext(locale, "%(helper)s offers to help %(team)s", helper=mention(helper_slack_id),
                   team=team)  # fmt: skip
    return Message(text=text, sections=(Section(f"{line}\n{quote(bulletin.help_request)}"),))


def thread_message(bulletin: Bulletin, helper_name: str, locale: str) -> Message:
    """The line in the digest's thread that says someone offered."""
    text = gettext(
        locale,
        "🙋 %(name)s offered to help %(team)s",
        name=escape(helper_name),
        team=escape(bulletin.team.name),
    )
    return Message(text=text, sections=(Section(text),))


def offers_for(session: Session, bulletin_ids: list[int]) -> dict[int, list[HelpOffer]]:
    """The offers each of these bulletins got, oldest first."""
    if not bulletin_ids:
        return {}
    query = (
        select(HelpOffer)
        .where(HelpOffer.bulletin_id.in_(bulletin_ids))
        .order_by(HelpOffer.at, HelpOffer.id)
    )
    found: dict[int, list[HelpOffer]] = {}
    for offer in session.scalars(query):
        found.setdefault(offer.bulletin_id, []).append(offer)
    return found


def recent_requests(
    session: Session, cohort_ids: list[int], week: IsoWeek, weeks: int = RECENT_WEEKS
) -> list[HelpRequest]:
    """The help requests of the cohorts' teams over the ``weeks`` weeks up to ``week``,
    newest week first, each with its offers."""
    if not cohort_ids:
        return []
    keys, current = [], week
    for _ in range(weeks):
        keys.append(str(current))
        current = current.previous()
    query = (
        select(Bulletin)
        .join(Team, Team.id == Bulletin.team_id)
        .options(joinedload(Bulletin.team), joinedload(Bulletin.author))
        .where(
            Team.cohort_id.in_(cohort_ids),
            Bulletin.week.in_(keys),
            Bulletin.help_request.is_not(None),
            Bulletin.help_request != "",
        )
        .order_by(Bulletin.week.desc(), Team.name)
    )
    bulletins = list(session.scalars(query))
    offers = offers_for(session, [b.id for b in bulletins])
    return [HelpRequest(b, offers.get(b.id, [])) for b in bulletins]
