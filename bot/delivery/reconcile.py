"""Settling messages in doubt: claimed for sending by a process that died before recording
Slack's answer. Each post carries its outbox key in Slack's message metadata, so the
channel's history tells whether it went out.

A message to a channel named rather than given by id cannot be looked up (history needs
the id): it is sent again, with a warning. Channel ids in the configuration avoid that.
Looking needs the ``channels:history``, ``groups:history`` and ``im:history`` scopes.

A file in doubt (an upload claimed, its answer never recorded) is looked for by its file
name, unique to its outbox key, among the channel's latest files (``files.list``, scope
``files:read``). When that lookup cannot tell (no scope, the file not listed yet), the
file is uploaded again: the limit is a duplicate picture in the thread, which is harmless.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.bootstrap import Services
from bot.channels import CHANNEL_ID
from bot.delivery.files import find_uploaded
from bulletins import outbox
from bulletins.db.models import OutboxMessage

log = logging.getLogger(__name__)

METADATA_TYPE = "bulletins_outbox"
_USER = re.compile(r"^[UW][A-Z0-9]+$")
# How many of a channel's latest messages are searched: a message in doubt was posted
# minutes ago at most, in a channel the bot alone writes to (a DM) or a quiet one.
_RECENT = 200


@dataclass(frozen=True)
class Doubt:
    id: int
    key: str
    channel: str
    claimed_at: datetime | None
    parent_ts: str | None
    filename: str | None = None  # a file to upload, looked for by its name
    update: bool = False  # a chat.update: doing it again changes nothing, so it is not looked for


def _doubts(services: Services, now: datetime) -> list[Doubt]:
    with services.sessions.begin() as session:
        doubts = []
        for row in outbox.in_doubt(session, now):
            parent = outbox.by_key(session, row.thread_of) if row.thread_of else None
            parent_ts = parent.slack_ts if parent else None
            filename = (row.payload.get("file") or {}).get("filename")
            doubts.append(
                Doubt(
                    row.id,
                    row.key,
                    row.channel,
                    row.claimed_at,
                    parent_ts,
                    filename,
                    update=row.kind == outbox.UPDATE,
                )
            )
        return doubts


def _channel_id(slack: WebClient, channel: str) -> str | None:
    if _USER.match(channel):
        return slack.conversations_open(users=channel)["channel"]["id"]
    return channel if CHANNEL_ID.fullmatch(channel) else None


def _history(slack: WebClient, channel: str, doubt: Doubt) -> list[dict]:
    if doubt.parent_ts:
        response = slack.conversations_replies(
            channel=channel, ts=doubt.parent_ts, include_all_metadata=True, limit=200
        )
    else:
        # The latest messages rather than those since the claim: the claim's time comes
        # from this host's clock, Slack's timestamps from Slack's.
        response = slack.conversations_history(
            channel=channel, include_all_metadata=True, limit=_RECENT
        )
    return response.get("messages", [])


def find_posted(slack: WebClient, doubt: Doubt) -> tuple[str, str] | None:
    """(channel, ts) of the message if Slack has it, else None."""
    if doubt.update:
        return None
    channel = _channel_id(slack, doubt.channel)
    if channel is None:
        log.warning("outbox %s: %r is not a channel id, sending again", doubt.key, doubt.channel)
        return None
    if doubt.filename:
        return find_uploaded(slack, channel, doubt.filename)
    for message in _history(slack, channel, doubt):
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == doubt.key:
            return channel, message["ts"]
    return None


def reconcile_in_doubt(services: Services, slack: WebClient, now: datetime) -> int:
    """Mark in-doubt messages found in Slack as sent, put the others back in line.

    Only the process holding the scheduler lock delivers, so any message still claimed when
    delivery starts belongs to a sender that died; except a confirmation, which the web
    process that filed its form sends too: it is in doubt once claimed long enough ago
    (``outbox.IN_FLIGHT``).
    """
    settled = 0
    for doubt in _doubts(services, now):
        try:
            found = find_posted(slack, doubt)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("outbox %s: cannot check Slack yet (%s)", doubt.key, error)
            continue
        with services.sessions.begin() as session:
            _settle(session.get(OutboxMessage, doubt.id), found, now)
        settled += 1
    return settled


def _settle(row: OutboxMessage, found: tuple[str, str] | None, now: datetime) -> None:
    if found:
        outbox.mark_sent(row, now=now, channel=found[0], ts=found[1])
    elif row.attempts >= outbox.MAX_ATTEMPTS:
        reason = f"gave up after {row.attempts} attempts: {row.error}"
        outbox.mark_failed(row, error=reason, permanent=True, retry_at=now)
    else:
        outbox.release(row)
