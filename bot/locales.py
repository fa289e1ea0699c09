"""Which language to speak to someone: theirs if known, else Slack's (asked once), else the
programme's."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bootstrap import Services
from bulletins.db.models import Person
from bulletins.i18n import normalize_locale

log = logging.getLogger(__name__)


def slack_locale(services: Services, slack_user_id: str) -> str | None:
    """The locale Slack knows for the user (``fr-FR``), or None when Slack cannot say."""
    try:
        answer = services.slack.users_info(user=slack_user_id, include_locale=True)
    except SlackApiError as error:
        log.warning("users.info failed for a user: %s", error.response.get("error"))
        return None
    return (answer.get("user") or {}).get("locale")


def locale_of(services: Services, slack_user_id: str, person: Person | None) -> str:
    """``person``'s language; the first time, Slack's locale is fetched and stored on them.

    Call it inside a transaction so the stored locale is committed.
    """
    default = services.settings.locale
    if person is not None and person.locale:
        return normalize_locale(person.locale, default)
    fetched = slack_locale(services, slack_user_id)
    locale = normalize_locale(fetched, default)
    if person is not None and fetched:
        person.locale = locale
    return locale


def find_person(session: Session, slack_user_id: str) -> Person | None:
    return session.scalar(select(Person).where(Person.slack_user_id == slack_user_id))


def locale_for_user(services: Services, slack_user_id: str) -> str:
    """The language of a Slack user, in a transaction of its own."""
    with services.sessions.begin() as session:
        return locale_of(services, slack_user_id, find_person(session, slack_user_id))


def stored_locale(services: Services, slack_user_id: str) -> str:
    """The language stored for a Slack user, else the programme's, without asking Slack:
    for answers due within Slack's 3 seconds."""
    with services.sessions() as session:
        person = find_person(session, slack_user_id)
        stored = person.locale if person is not None else None
    return normalize_locale(stored, services.settings.locale)
