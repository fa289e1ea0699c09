"""Each fellow's timezone, as Slack knows it (users.info ``tz``), asked at most once a day:
reminders reach people at the reminder hours of their own day."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select

from bot.bootstrap import Services
from bulletins.db.models import Membership, Person, Role
from bulletins.people import current

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(days=1)
PER_TICK = 20  # users.info allows about 100 calls a minute; the rest wait for the next tick


def _valid(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def refresh_timezones(services: Services, now: datetime) -> int:
    """Ask Slack the timezone of the current fellows not asked for a day, a few per tick;
    returns how many were asked. Slack not answering leaves the rest for a later tick."""
    today = services.calendar.local(now).date()
    with services.sessions() as session:
        query = (
            select(Person.id, Person.slack_user_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.role == Role.FELLOW.value,
                current(Membership.since, Membership.until, today),
                Person.erased_at.is_(None),
                or_(
                    Person.timezone_checked_at.is_(None),
                    Person.timezone_checked_at <= now - CHECK_EVERY,
                ),
            )
            .distinct()
            .order_by(Person.id)
            .limit(PER_TICK)
        )
        due = list(session.execute(query))
    asked = 0
    for person_id, slack_user_id in due:
        try:
            user = services.slack.users_info(user=slack_user_id)["user"]
        except SlackApiError as error:
            reason = error.response.get("error")
            log.warning("users.info failed for a user: %s", reason)
            if reason == "ratelimited":
                break
            user = {}
        except OSError as error:  # Slack out of reach: the next tick tries again
            log.warning("users.info could not reach Slack: %s", error)
            break
        with services.sessions.begin() as session:
            person = session.get(Person, person_id)
            if person is None:
                continue
            tz = _valid(user.get("tz"))
            if tz is not None:
                person.timezone = tz
            person.timezone_checked_at = now
        asked += 1
    return asked
