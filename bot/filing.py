"""Filing what a person submitted in a modal, and telling them it is done."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot.blocks.form_values import FormMeta
from bot.bootstrap import Services
from bulletins.calendar import IsoWeek
from bulletins.cycle import Answers, FormClosed, excuse_week, file_bulletin, filing_window
from bulletins.db.models import Team
from bulletins.i18n import gettext
from bulletins.messages import Message, Section
from bulletins.mrkdwn import escape, quote
from bulletins.people import NotAllowed, person_by_slack_id
from bulletins.rendering import format_moment

log = logging.getLogger(__name__)
T = TypeVar("T")
Claim = Callable[[Session], None]  # records the request against repeats, in the same transaction


def _no_claim(_session: Session) -> None:
    return None


@dataclass(frozen=True)
class Receipt:
    """What was filed, for the confirmation."""

    team_name: str
    week: IsoWeek
    created: bool
    late: bool
    deadline: datetime


def in_transaction(services: Services, work: Callable[[Session], T], claim: Claim = _no_claim) -> T:
    """Run ``claim`` then ``work`` in one transaction; if a concurrent one inserted the same
    row first (a teammate's submission), run them again: ``work`` then edits that row."""

    def claimed(session: Session) -> T:
        claim(session)
        return work(session)

    try:
        with services.sessions.begin() as session:
            return claimed(session)
    except IntegrityError:
        log.info("a concurrent submission filed first; filing again as an edit")
        with services.sessions.begin() as session:
            return claimed(session)


def _team(session: Session, team_id: int) -> Team:
    team = session.scalar(select(Team).options(joinedload(Team.cohort)).where(Team.id == team_id))
    if team is None:
        raise NotAllowed(f"team {team_id} does not exist")
    return team


def file_from_form(
    services: Services, user_id: str, meta: FormMeta, answers: Answers, claim: Claim = _no_claim
) -> Receipt:
    """File (or edit) the bulletin of the team and week the form was opened for, in the
    transaction that ``claim`` records the request in."""

    def work(session: Session) -> Receipt:
        team = _team(session, meta.team_id)
        filed = file_bulletin(
            session,
            services.calendar,
            person=person_by_slack_id(session, user_id),
            team=team,
            answers=answers,
            now=services.clock(),
            week=meta.week,
        )
        return Receipt(
            team.name, filed.window.week, filed.created, filed.bulletin.late, filed.window.deadline
        )

    return in_transaction(services, work, claim)


def excuse_from_form(
    services: Services, user_id: str, meta: FormMeta, reason: str, claim: Claim = _no_claim
) -> Receipt:
    """Mark the week "no bulletin" for the team the excuse form was opened for."""

    def work(session: Session) -> Receipt:
        now = services.clock()
        window = filing_window(services.calendar, now)
        if window.week != meta.week:
            raise FormClosed(f"the form for {meta.week} is closed")
        team = _team(session, meta.team_id)
        person = person_by_slack_id(session, user_id)
        excuse_week(session, services.calendar, person=person, team=team, reason=reason, now=now)
        return Receipt(team.name, window.week, True, False, window.deadline)

    return in_transaction(services, work, claim)


def filed_message(receipt: Receipt, locale: str) -> Message:
    """The confirmation of a filing: filed or updated, and late if it is."""
    params = {"team": escape(receipt.team_name), "week": str(receipt.week)}
    if receipt.created:
        text = gettext(locale, "Bulletin for *%(team)s*, week %(week)s, filed. Thanks!", **params)
    else:
        text = gettext(locale, "Bulletin for *%(team)s*, week %(week)s, updated.", **params)
    if receipt.late:
        deadline = format_moment(receipt.deadline, locale)
        text += " " + gettext(
            locale, "It is marked late: the deadline was %(deadline)s.", deadline=deadline
        )
    return Message(text=text, sections=(Section(text),))


def excused_message(receipt: Receipt, reason: str, locale: str) -> Message:
    """The confirmation of a "no bulletin this week", quoting the reason."""
    text = gettext(
        locale,
        "No bulletin for *%(team)s* this week (%(week)s): noted, with your reason.",
        team=escape(receipt.team_name),
        week=str(receipt.week),
    )
    return Message(text=text, sections=(Section(text + "\n" + quote(reason.strip())),))
