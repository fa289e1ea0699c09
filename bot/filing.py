"""Submitted bulletin and "no bulletin" forms: accepted before Slack gets its answer,
filed just after, and the person told.

Accepting checks what can be checked without reading the database (the form's week is open,
the answers are complete and not too long: problems go back into the modal) and keeps the
form under its request's key in one statement. The key makes a form sent twice count once.
Filing takes the form back, in the transaction that files it, with the time it was accepted
as its time: a form accepted before the deadline is on time even if filed after. A form
whose filing never happened (the worker was killed) is filed by the next scheduler tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from bot.bootstrap import Services
from bot.explanations import explain
from bot.home import publish_home
from bot.locales import locale_for_user
from bot.replies import reply_to
from bulletins.calendar import IsoWeek
from bulletins.cycle import (
    Answers,
    check_bulletin,
    check_excuse,
    excuse_week,
    file_bulletin,
    filing_window,
)
from bulletins.db import database_unavailable
from bulletins.db.models import Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.messages import Message, Section
from bulletins.mrkdwn import escape, quote
from bulletins.people import NotAllowed, person_by_slack_id
from bulletins.received import pending_form, pending_keys, take_pending
from bulletins.rendering import format_moment

log = logging.getLogger(__name__)
T = TypeVar("T")

BULLETIN, EXCUSE = "bulletin", "excuse"
# A form accepted this long ago and not filed has lost its worker: the scheduler files it.
STALE = timedelta(minutes=1)


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

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "user": self.user_id, "team": self.team_id}
        data |= {"week": str(self.week), "home": self.home, "reason": self.reason}
        if self.answers is not None:
            answers = asdict(self.answers)
            key_date = self.answers.key_date
            data["answers"] = answers | {"key_date": key_date.isoformat() if key_date else None}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Form:
        answers = None
        if data.get("answers") is not None:
            values = dict(data["answers"])
            key_date = values.get("key_date")
            answers = Answers(
                **values | {"key_date": date.fromisoformat(key_date) if key_date else None}
            )
        return cls(
            kind=data["kind"],
            user_id=data["user"],
            team_id=int(data["team"]),
            week=IsoWeek.parse(data["week"]),
            home=bool(data.get("home")),
            answers=answers,
            reason=data.get("reason") or "",
        )


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
    """A form taken for filing: its receipt, or the reason it was refused."""

    form: Form
    receipt: Receipt | None = None
    refusal: BulletinsError | None = None


def accept_form(services: Services, key: str, form: Form) -> bool:
    """Keep ``form`` under ``key`` for filing; False when ``key`` was already received
    (the same form sent again). Raise ``FormClosed`` or ``InvalidBulletin`` for what the
    person must fix first."""
    now = services.clock()
    if form.kind == BULLETIN:
        assert form.answers is not None
        check_bulletin(services.calendar, form.answers, now, form.week)
    else:
        check_excuse(services.calendar, form.reason, now, form.week)
    return services.intake.accept(key, now, form.to_json())


def in_transaction(services: Services, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction; if a concurrent one inserted the same row first (a
    teammate's submission), run it again: ``work`` then edits that row."""
    try:
        with services.sessions.begin() as session:
            return work(session)
    except IntegrityError:
        log.info("a concurrent submission filed first; filing again as an edit")
        with services.sessions.begin() as session:
            return work(session)


class _Refused(Exception):
    def __init__(self, form: Form, error: BulletinsError):
        super().__init__(str(error))
        self.form, self.error = form, error


class _FiledAlready(Exception):
    """Another transaction filed the form first: this one must roll back."""


def file_pending(services: Services, key: str) -> Filing | None:
    """File the form accepted under ``key``, as of the moment it was accepted; None when
    it is filed already. A form the rules refuse now (its author left the team since) is
    taken all the same, with the reason, so that the person gets their text back."""

    def work(session: Session) -> Filing | None:
        found = pending_form(session, key)
        if found is None:
            return None
        data, accepted_at = found
        form = Form.from_json(data)
        try:
            receipt = _file(services, session, form, accepted_at)
        except BulletinsError as error:
            raise _Refused(form, error) from error
        if not take_pending(session, key):
            raise _FiledAlready(key)
        return Filing(form, receipt=receipt)

    try:
        return in_transaction(services, work)
    except _FiledAlready:
        return None
    except _Refused as refused:
        log.info("an accepted %s form was refused at filing: %s", refused.form.kind, refused)
        with services.sessions.begin() as session:
            if not take_pending(session, key):
                return None
        return Filing(refused.form, refusal=refused.error)


def _team(session: Session, team_id: int) -> Team:
    team = session.scalar(select(Team).options(joinedload(Team.cohort)).where(Team.id == team_id))
    if team is None:
        raise NotAllowed(f"team {team_id} does not exist")
    return team


def _file(services: Services, session: Session, form: Form, now: datetime) -> Receipt:
    team = _team(session, form.team_id)
    person = person_by_slack_id(session, form.user_id)
    calendar = services.calendar
    if form.kind == EXCUSE:
        excuse_week(
            session, calendar, person=person, team=team, reason=form.reason, now=now, week=form.week
        )
        window = filing_window(calendar, now)
        return Receipt(team.name, window.week, True, False, window.deadline)
    assert form.answers is not None
    filed = file_bulletin(
        session, calendar, person=person, team=team, answers=form.answers, now=now, week=form.week
    )
    window = filed.window
    return Receipt(team.name, window.week, filed.created, filed.bulletin.late, window.deadline)


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


def refused_message(form: Form, why: str, locale: str) -> Message:
    """A form accepted, then refused when filed: why, and what the person wrote, so that
    nothing they typed is lost."""
    text = gettext(
        locale,
        "Your form for week %(week)s could not be saved: %(why)s",
        week=str(form.week),
        why=why,
    )
    if form.answers is not None:
        answers = form.answers
        wrote = [answers.priority, answers.ups_and_downs, answers.help_request or ""]
        wrote.append(answers.key_date_label or "")
    else:
        wrote = [form.reason]
    kept = gettext(locale, "What you wrote, to send again:")
    body = "\n".join(quote(part) for part in wrote if part.strip())
    return Message(text=text, sections=(Section(text), Section(f"{kept}\n{body}")))


def confirmation(filing: Filing, locale: str, why: str = "") -> Message:
    """What the person is told once their form is filed, or refused (``why``)."""
    if filing.refusal is not None:
        return refused_message(filing.form, why, locale)
    assert filing.receipt is not None
    if filing.form.kind == EXCUSE:
        return excused_message(filing.receipt, filing.form.reason, locale)
    return filed_message(filing.receipt, locale)


def tell(services: Services, filing: Filing) -> None:
    """Confirm a filing to its author (or give them back their text, if it was refused), and
    refresh their Home tab when the form was opened from it."""
    user_id = filing.form.user_id
    locale = locale_for_user(services, user_id)
    why = ""
    if filing.refusal is not None:
        why = explain(filing.refusal, locale) or ""
    reply_to(services, user_id)(confirmation(filing, locale, why))
    if filing.form.home and filing.receipt is not None:
        publish_home(services, user_id)


def file_accepted(services: Services, _body: dict, _respond: None, key: str) -> None:
    """File the form accepted under ``key`` and tell its author: the work after Slack's
    answer to a form."""
    try:
        filing = file_pending(services, key)
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("an accepted form waits for the database; the scheduler files it: %s", error)
        return
    if filing is not None:
        tell(services, filing)


def file_left_pending(services: Services, now: datetime) -> int:
    """File the forms accepted more than ``STALE`` before ``now`` and still waiting (their
    worker was stopped before filing them), and tell their authors; how many. A job."""
    with services.sessions() as session:
        keys = pending_keys(session, now - STALE)
    filed = 0
    for key in keys:
        filing = file_pending(services, key)
        if filing is None:
            continue
        filed += 1
        try:
            tell(services, filing)
        except Exception:
            log.warning("could not confirm a filed form to its author", exc_info=True)
    return filed
