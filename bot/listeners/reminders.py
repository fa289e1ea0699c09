"""A reminder's "remind me in an hour": recorded, and the reminder says when it will come
back ("we are off this week" is the excuse button, handled in ``actions``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_bolt import App, Respond

from bot import ids
from bot.bootstrap import Services
from bot.listeners.actions import team_id_of
from bot.listeners.follow_up import ack_then, listen
from bot.locales import locale_of
from bulletins.cycle.reminders import TooLateToSnooze, snooze
from bulletins.dates import format_moment
from bulletins.db.models import Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.people import person_by_slack_id, require_member, timezone_of


def snooze_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    user_id, calendar, now = body["user"]["id"], services.calendar, services.clock()
    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        locale = locale_of(services, user_id, person)
        team_id = team_id_of(action)
        team = session.get(Team, team_id) if team_id is not None else None
        if team is None:
            raise BulletinsError(f"unknown team {action.get('value')!r}")
        require_member(session, person, team, calendar.local(now).date())
        zone = timezone_of(person, calendar.timezone)
        try:
            until = snooze(session, calendar, person, team, now).until
            line = gettext(
                locale,
                "⏰ I will remind you at %(time)s",
                time=format_moment(until.astimezone(zone), locale, "HH:mm"),
            )
        except TooLateToSnooze as refused:
            line = _no_snooze(refused, zone, locale)
    _say_on_reminder(services, body, line)


def _no_snooze(refused: TooLateToSnooze, zone: ZoneInfo, locale: str) -> str:
    if refused.passed:
        return gettext(locale, "⏰ This reminder is over: its deadline has passed.")
    return gettext(
        locale,
        "⏰ The deadline (%(time)s) is less than an hour away: there will be no other reminder.",
        time=format_moment(refused.deadline.astimezone(zone), locale, "HH:mm"),
    )


def _say_on_reminder(services: Services, body: dict, line: str) -> None:
    """The reminder, with ``line`` above its buttons and without its snooze button."""
    message, container = body.get("message") or {}, body.get("container") or {}
    said = {"type": "section", "text": {"type": "mrkdwn", "text": line}}
    blocks = []
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            elements = [e for e in block["elements"] if e.get("action_id") != ids.SNOOZE_REMINDER]
            blocks += [said, {**block, "elements": elements}]
            said = None
        else:
            blocks.append(block)
    if said is not None:
        blocks.append(said)
    services.slack.chat_update(
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        text=message.get("text") or line,
        blocks=blocks,
    )


def register(app: App, services: Services) -> None:
    listen(app.action(ids.SNOOZE_REMINDER), services, ack_then(snooze_clicked))
