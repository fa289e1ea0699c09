"""Erasing a person's data at their request (right to erasure).

Their name, email and Slack id go, with their places in teams, their absences, their survey
drafts and named answers, and the direct messages addressed to them. Their team's bulletins
stay: the person's row stays too, emptied, so that those bulletins keep an author, shown as
"a former member" (``bulletins.names``). Other messages that named them (a digest, say)
keep their text with "a former member" in place of the name. Their participations in
surveys stay, tied to the emptied row, so that past response rates do not change.

Running it again finds nothing left and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bulletins.db.models import (
    Absence,
    Bulletin,
    BulletinRevision,
    Draft,
    HelpOffer,
    Indicator,
    Membership,
    OutboxMessage,
    Person,
    ReminderSnooze,
    StaffMember,
    SurveyResponse,
    TeamFacts,
    WeekExcuse,
)
from bulletins.db.old_copies import remove_old_copies
from bulletins.i18n import gettext, ngettext
from bulletins.mrkdwn import escape
from bulletins.names import FORMER_MEMBER

# The tables whose rows erasure rewrites or deletes: their old copies are cleared after.
TOUCHED = ("people", "outbox", "bulletins", "bulletin_revisions", "week_excuses", "team_facts",
           "indicators", "drafts", "responses", "memberships", "staff", "absences",
           "help_offers")  # fmt: skip
BULLETIN_TEXTS = ("priority", "ups_and_downs", "help_request", "key_date_label")
FACTS_TEXTS = {
    TeamFacts: ("note", "training_topics", "contributions"),
    Indicator: ("objective", "name", "method"),
}


@dataclass
class Erasure:
    """What was erased, by kind, in the order the report lists them."""

    slack_user_id: str
    counts: dict[str, int] = field(default_factory=dict)
    bulletins_kept: int = 0

    @property
    def erased(self) -> int:
        return sum(self.counts.values())

    def summary(self, locale: str = "en") -> str:
        """What was erased, kind by kind, in ``locale`` (the command line's: English)."""
        if not self.erased:
            return gettext(locale, "Nothing left to erase for %(id)s.", id=self.slack_user_id)
        lines = [gettext(locale, "Erased the data of %(id)s:", id=self.slack_user_id)]
        lines += [
            "  " + gettext(locale, "%(kind)s: %(count)s", kind=gettext(locale, kind), count=count)
            for kind, count in self.counts.items()
        ]
        if self.bulletins_kept:
            lines.append(
                ngettext(
                    locale,
                    "Kept %(num)s team bulletin(s) they wrote or edited, now shown as by a "
                    "former member.",
                    "Kept %(num)s team bulletin(s) they wrote or edited, now shown as by a "
                    "former member.",
                    self.bulletins_kept,
                )
            )
        return "\n".join(lines)


def erase_person(session: Session, slack_user_id: str, now: datetime, locale: str) -> Erasure:
    """Erase what the database holds about the person with ``slack_user_id``. ``locale``:
    the language of "a former member" in messages already written that named them."""
    erasure = Erasure(slack_user_id)
    counts = erasure.counts
    # Direct messages go even when the person is already gone (left by a job meanwhile).
    counts["direct messages to them"] = _deleted(
        session, delete(OutboxMessage).where(OutboxMessage.channel == slack_user_id)
    )
    former = gettext(locale, FORMER_MEMBER)
    # Anyone in the workspace may offer help, in the roster or not: the offer stays (the team
    # was helped), its helper becomes "a former member".
    offers = session.scalars(select(HelpOffer).where(HelpOffer.helper_slack_id == slack_user_id))
    for offer in offers:
        offer.helper_slack_id, offer.helper_name = f"erased-offer-{offer.id}", former
        counts["offers of help they made"] = counts.get("offers of help they made", 0) + 1
    person = session.scalar(select(Person).where(Person.slack_user_id == slack_user_id))
    if person is None:
        session.flush()
        return erasure
    replace = _replacer([person.name, person.email, slack_user_id], former)
    counts["messages naming them"] = _scrub_outbox(session, replace)
    counts["mentions in team texts"] = _scrub_team_texts(session, replace)
    pid = person.id
    for kind, model in (
        ("survey drafts", Draft),
        ("named survey answers", SurveyResponse),
        ("team memberships", Membership),
        ("programme team places", StaffMember),
        ("absences", Absence),
        ("reminders snoozed", ReminderSnooze),
    ):
        counts[kind] = _deleted(session, delete(model).where(model.person_id == pid))
    counts["name, email and Slack id"] = 1
    person.name, person.email, person.locale, person.timezone = "", None, None, None
    person.timezone_checked_at = None
    person.slack_user_id, person.erased_at = f"erased-{pid}", now
    erasure.bulletins_kept = len(
        session.scalars(
            select(Bulletin.id).where((Bulletin.author_id == pid) | (Bulletin.updated_by_id == pid))
        ).all()
    )
    session.flush()
    return erasure


def clear_old_copies(engine: Engine) -> None:
    """Remove the old copies of the rewritten rows, after the erasure has committed."""
    remove_old_copies(engine, TOUCHED)


def _deleted(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount


def _replacer(identifiers: Iterable[str | None], former: str):
    """A function replacing each identifier (and its Slack-escaped form) as a whole word."""
    words = {form for word in identifiers if word for form in (word, escape(word))}
    if not words:
        return lambda value: value
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Not inside a longer word; mrkdwn's _italics_ and *bold* are not letters.
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    return lambda value: pattern.sub(former, value)


def _rewritten(value: Any, replace) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_rewritten(item, replace) for item in value]
    if isinstance(value, dict):
        return {key: _rewritten(item, replace) for key, item in value.items()}
    return value


def _scrub_outbox(session: Session, replace) -> int:
    count = 0
    for row in session.scalars(select(OutboxMessage)):
        payload = _rewritten(row.payload, replace)
        if payload != row.payload:
            row.payload, count = payload, count + 1
    return count


def _scrub_team_texts(session: Session, replace) -> int:
    """Teammates' words that named the person: bulletins, their earlier versions, excuses,
    facts sheets, indicators."""
    count = 0
    for bulletin in session.scalars(select(Bulletin)):
        for column in BULLETIN_TEXTS:
            value = getattr(bulletin, column)
            if value and (new := replace(value)) != value:
                setattr(bulletin, column, new)
                count += 1
    for revision in session.scalars(select(BulletinRevision)):
        previous = _rewritten(revision.previous, replace)
        if previous != revision.previous:
            revision.previous, count = previous, count + 1
    for excuse in session.scalars(select(WeekExcuse)):
        if (reason := replace(excuse.reason)) != excuse.reason:
            excuse.reason, count = reason, count + 1
    for model, columns in FACTS_TEXTS.items():
        for row in session.scalars(select(model)):
            for column in columns:
                value = getattr(row, column)
                if value and (new := _rewritten(value, replace)) != value:
                    setattr(row, column, new)
                    count += 1
    return count
