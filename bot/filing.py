"""Submitted bulletin and "no bulletin" forms: filed before Slack gets its answer, then the
person told.

Filing is one short transaction: the request's key (a form sent twice counts once), the
bulletin or the excused week, and the confirmation, written to the outbox. A form the rules
refuse rolls back whole, key included, so that the corrected form is not taken for a
repeat. Right after Slack's answer, the listener sends the confirmation; if it cannot (Slack
is slow, the process is stopped), the clock process's delivery sends it, once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bootstrap import Services
from bot.delivery.sending import Claimed, send_claimed
from bot.home_tab import publish_home
from bulletins import outbox
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import (
    UNCHECKED,
    Answers,
    check_bulletin,
    check_excuse,
    excuse_week,
    file_bulletin,
    filing_window,
)
from bulletins.dates import format_moment, week_start
from bulletins.db.models import Person, Team
from bulletins.db.writers import one_writer
from bulletins.i18n import gettext, normalize_locale
from bulletins.messages import Message, Section
from bulletins.mrkdwn import escape, quote
from bulletins.people import member_by_slack_id
from bulletins.repeats import first_time

log = logging.getLogger(__name__)
T = TypeVar("T")

BULLETIN, EXCUSE = "bulletin", "excuse"


@dataclass(frozen=True)
class Form:
    """A submitted bulletin form (``answers``) or "no bulletin" form (``reason``), for the
    team and week it was opened for; ``home``: opened from the Home tab."""

    kind: str
    user_id: str
    team_id: int
    week: IsoWeek
    home: bool = False
    answers: Answers | None = None
    reason: str = ""
    seen: str | None = UNCHECKED  # the version of the bulletin the form was opened on


@dataclass(frozen=True)
class Receipt:
    """What was filed, for the confirmation."""

    team_name: str
    week: IsoWeek
    created: bool
    late: bool
    deadline: datetime


@dataclass(frozen=True)
class Filing:
    """A form filed, and the confirmation to send its author, claimed for sending."""

    form: Form
    receipt: Receipt
    confirmation: Claimed


def in_transaction(services: Services, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction; if a concurrent one inserted the same row first (a
    teammate's submission), run it again: ``work`` then finds that row, and edits it or
    refuses to replace it, as the form's version of the bulletin says."""
    try:
        with one_writer(services.engine), services.sessions.begin() as session:
            return work(session)
    except IntegrityError:
        log.info("a concurrent submission filed first; filing again against it")
        with one_writer(services.engine), services.sessions.begin() as session:
            return work(session)


def file_form(services: Services, key: str, form: Form) -> Filing | None:
    """File ``form``, received under the request key ``key``, and queue its confirmation,
    in one transaction; None when ``key`` was received already (the same form sent again).
    Raise ``FormClosed``, ``InvalidBulletin`` or ``NotAllowed`` for what the person must
    fix first: nothing is then stored."""

    def work(session: Session) -> Filing | None:
        now = services.clock()
        check(services, form, now)  # reads nothing: a refused form takes no lock
        # The key first: on SQLite it takes the write lock, so the reads below see the latest.
        if not first_time(session, key, now):
            return None
        day = services.calendar.local(now).date()
        person, team = member_by_slack_id(session, form.user_id, form.team_id, day)
        receipt = _file(services, session, person, team, form, now)
        # The language stored when the form was opened: no call to Slack before the answer.
        locale = normalize_locale(person.locale, services.settings.locale)
        message = confirmation(form, receipt, locale)
        row = outbox.enqueue(
            session,
            key=f"{outbox.CONFIRMATION}:{key}",
            kind=outbox.CONFIRMATION,
            channel=form.user_id,
            message=message,
            now=now,
            claimed=True,  # sent by this process as soon as Slack has its answer
            fresh=True,  # the request's key was new
        )
        assert row is not None
        return Filing(form, receipt, Claimed(row.id, row.key, row.channel, row.payload, None))

    return in_transaction(services, work)


def check(services: Services, form: Form, now: datetime) -> None:
    """Raise ``FormClosed`` or ``InvalidBulletin`` for what can be seen without the database."""
    if form.kind == BULLETIN:
        assert form.answers is not None
        check_bulletin(services.calendar, form.answers, now, form.week)
    else:
        check_excuse(services.calendar, form.reason, now, form.week)


def _file(
    services: Services, session: Session, person: Person, team: Team, form: Form, now: datetime
) -> Receipt:
    calendar = services.calendar
    if form.kind == EXCUSE:
        excuse_week(
            session, calendar, person=person, team=team, reason=form.reason, now=now, week=form.week
        )
        window = filing_window(calendar, now)
        return Receipt(team.name, window.week, True, False, window.deadline)
    assert form.answers is not None
    filed = file_bulletin(
        session,
        calendar,
        person=person,
        team=team,
        answers=form.answers,
        now=now,
        week=form.week,
        opened_on=form.seen,
    )
    window = filed.window
    return Receipt(team.name, window.week, filed.created, filed.bulletin.late, window.deadline)


def filed_message(receipt: Receipt, locale: str) -> Message:
    """The confirmation of a filing: filed or updated, and late if it is."""
    params = {"team": escape(receipt.team_name), "week": week_start(receipt.week, locale)}
    if receipt.created:
        text = gettext(
            locale, "Bulletin for *%(team)s*, week of %(week)s, filed. Thanks!", **params
        )
    else:
        text = gettext(locale, "Bulletin for *%(team)s*, week of %(week)s, updated.", **params)
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
        "No bulletin for *%(team)s* for the week of %(week)s: noted, with your reason.",
        team=escape(receipt.team_name),
        week=week_start(receipt.week, locale),
    )
    return Message(text=text, sections=(Section(text + "\n" + quote(reason.strip())),))


def confirmation(form: Form, receipt: Receipt, locale: str) -> Message:
    """What the person is told once their form is filed."""
    if form.kind == EXCUSE:
        return excused_message(receipt, form.reason, locale)
    return filed_message(receipt, locale)


def confirm(services: Services, filing: Filing) -> None:
    """After Slack's answer: send the filing's confirmation, and refresh its author's Home
    tab when the form was opened from it. The form is filed whatever happens here: a
    failure is logged, not told to the person as if their form were lost (the clock process
    sends the confirmation, the Home tab is rebuilt when they next open it)."""
    try:
        send_claimed(services, filing.confirmation)
    except Exception:
        log.warning("a confirmation waits for the clock process's delivery", exc_info=True)
    if filing.form.home:
        try:
            publish_home(services, filing.form.user_id)
        except Exception:
            log.warning("could not refresh a Home tab after a filing", exc_info=True)
