"""The "I can help" button under a help request in the digest: a group DM between the helper
and the team's fellows, with the request quoted, and a line in the digest's thread."""

from __future__ import annotations

import logging

from slack_bolt import App, Respond
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.bootstrap import Services
from bot.delivery.sending import Claimed, send_claimed
from bot.listeners.follow_up import ack_then, listen
from bot.locales import find_person, locale_for_user
from bot.replies import reply_to, text_message
from bulletins import outbox
from bulletins.calendar import IsoWeek
from bulletins.cycle.help_offers import (
    asking_bulletin,
    group_message,
    offer_key,
    record_offer,
    thread_message,
)
from bulletins.cycle.jobs import digest_key
from bulletins.db.models import OutboxStatus
from bulletins.i18n import gettext
from bulletins.people import fellows_of

log = logging.getLogger(__name__)


def helper_name(services: Services, user_id: str) -> str:
    """The helper's name: from the roster, else Slack's (anyone may offer help)."""
    with services.sessions() as session:
        person = find_person(session, user_id)
        if person is not None:
            return person.name
    try:
        user = services.slack.users_info(user=user_id)["user"]
    except SlackApiError:
        return user_id
    return (user.get("profile") or {}).get("real_name") or user.get("name") or user_id


def offer_help_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    user_id = body["user"]["id"]
    reply = reply_to(services, user_id, respond)
    value = str(action.get("value") or "")
    now, calendar = services.clock(), services.calendar
    with services.sessions() as session:
        bulletin = asking_bulletin(session, int(value)) if value.isdigit() else None
        team = bulletin.team if bulletin else None
        fellows = (
            [p.slack_user_id for p in fellows_of(session, team, calendar.local(now).date())]
            if team
            else []
        )
    if bulletin is None or not fellows:
        locale = locale_for_user(services, user_id)
        reply(text_message(gettext(locale, "This help request is no longer open.")))
        return
    if user_id in fellows:  # a group DM with one's own team helps nobody
        locale = locale_for_user(services, user_id)
        text = "This is your own team's request: the button is for those who could help it."
        reply(text_message(gettext(locale, text)))
        return
    members = [user_id, *(f for f in fellows if f != user_id)]
    channel = services.slack.conversations_open(users=",".join(members))["channel"]["id"]
    name = helper_name(services, user_id)
    locale = services.settings.locale
    to_send = []
    with services.sessions.begin() as session:
        bulletin = asking_bulletin(session, bulletin.id)
        offer = record_offer(session, bulletin, user_id, name, now) if bulletin else None
        if offer is None:  # already offered: the group DM is there
            return
        offer.channel = channel
        digest = outbox.by_key(session, digest_key(IsoWeek.parse(bulletin.week)))
        sent = digest is not None and digest.status == OutboxStatus.SENT
        messages = [(channel, group_message(bulletin, user_id, locale), "dm", None)]
        if digest is not None:
            messages.append((digest.channel, thread_message(bulletin, name, locale), "thread",
                             digest))  # fmt: skip
        for to, message, what, parent in messages:
            # Sent right away by this process once committed; a thread line whose digest
            # is not posted yet waits for the clock process's delivery.
            claim = parent is None or sent
            row = outbox.enqueue(
                session,
                key=offer_key(bulletin.id, user_id, what),
                kind=outbox.HELP_OFFER,
                channel=to,
                message=message,
                now=now,
                thread_of=parent.key if parent else None,
                claimed=claim,
            )
            if row is not None and claim:
                thread_ts = parent.slack_ts if parent else None
                to_send.append(Claimed(row.id, row.key, row.channel, row.payload, thread_ts))
    for claimed in to_send:
        send_claimed(services, claimed)


def register(app: App, services: Services) -> None:
    listen(app.action(ids.OFFER_HELP), services, ack_then(offer_help_clicked))
