"""Sending the outbox to Slack, one message per step, each result recorded at once.

Each message goes through three short transactions: claim it (status "sending"), post it,
record Slack's answer. Every post carries the message's outbox key in Slack's message
metadata. If the process dies between the post and the record, the message stays "sending";
the next delivery run finds it in doubt and looks for its key in the channel's history
(see ``bot.delivery.reconcile``) before sending it again, so a killed process sends nothing twice.
A file (an outbox row of kind ``file``, such as a chart) is uploaded instead of posted
(``bot.delivery.files``), in its parent message's thread when it has one.

Errors that retrying cannot fix (a channel that does not exist, a user that left) are
recorded as permanent failures with their reason and never retried; 429s wait for
Retry-After, 5xx and network errors back off, each until a later tick.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.blocks.message_blocks import message_kwargs
from bot.bootstrap import Services
from bot.delivery.files import upload_file
from bot.delivery.pacing import Pacer
from bot.delivery.reconcile import METADATA_TYPE, reconcile_in_doubt
from bulletins import outbox
from bulletins.db.models import OutboxMessage, OutboxStatus
from bulletins.db.writers import one_writer
from bulletins.messages import Message
from bulletins.outbox.files import is_file

log = logging.getLogger(__name__)
_delivery_clients: WeakKeyDictionary[WebClient, WebClient] = WeakKeyDictionary()

PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "cannot_dm_bot",
        "user_disabled",
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    channel: str
    payload: dict
    thread_ts: str | None
    updates: bool = False  # a new text for the message at (channel, thread_ts)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2**attempts, 3600))


def delivery_client(slack: WebClient) -> WebClient:
    """``slack`` without its rate-limit retry handler: the outbox waits for Retry-After
    itself (the row's ``not_before``) instead of sleeping inside a tick. Made once per
    client and shared by the threads that send, as ``slack`` itself is."""
    handlers = getattr(slack, "retry_handlers", None)
    if handlers is None or not any(isinstance(h, RateLimitErrorRetryHandler) for h in handlers):
        return slack
    client = _delivery_clients.get(slack)
    if client is None:
        client = WebClient(
            token=slack.token,
            base_url=slack.base_url,
            timeout=slack.timeout,
            ssl=slack.ssl,
            proxy=slack.proxy,
            retry_handlers=[h for h in handlers if not isinstance(h, RateLimitErrorRetryHandler)],
        )
        _delivery_clients[slack] = client
    return client


def _retry_after(headers: dict) -> int:
    """Retry-After in seconds (header names vary in case), at least 1 so nothing spins."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 30


def error_code(error: BaseException) -> str | None:
    """The error code of a Slack Web API call that failed (``channel_not_found``,
    ``expired_trigger_id``...); None for other errors, and for an answer that is not JSON
    (a proxy's 5xx page)."""
    if not isinstance(error, SlackApiError) or not isinstance(error.response.data, dict):
        return None
    return error.response.get("error") or None


def _classify(error: SlackApiError, attempts: int) -> tuple[str, bool, timedelta]:
    """(reason, permanent, wait) for a call Slack refused."""
    status = error.response.status_code
    code = error_code(error)
    reason = code or f"http_{status}"
    if status == 429:
        return reason, False, timedelta(seconds=_retry_after(error.response.headers or {}))
    if code in PERMANENT_ERRORS:
        return reason, True, timedelta(0)
    return reason, attempts >= outbox.MAX_ATTEMPTS, _backoff(attempts)


def _thread_parent(session, row: OutboxMessage) -> tuple[OutboxMessage | None, str | None]:
    """(parent, problem): the message this one replies to or rewrites, or why it cannot go
    out yet."""
    if row.thread_of is None:
        return None, None
    parent = outbox.by_key(session, row.thread_of)
    if parent is None or parent.status == OutboxStatus.FAILED:
        return None, "parent_failed"
    if parent.status != OutboxStatus.SENT:
        return None, "parent_pending"
    return parent, None


def _claim_next(services: Services, now: datetime) -> Claimed | str | None:
    """Claim the oldest due message (committed before any call to Slack)."""
    with services.sessions.begin() as session:
        rows = outbox.due(session, now, limit=1)
        if not rows:
            return None
        row = rows[0]
        parent, problem = _thread_parent(session, row)
        if problem == "parent_pending":
            row.not_before = now + timedelta(seconds=30)
            return "retry"
        if problem:
            outbox.mark_failed(row, error=problem, permanent=True, retry_at=now)
            return "failed"
        if not outbox.claim(session, row, now):
            return "retry"  # another sender has it
        thread_ts = parent.slack_ts if parent else None
        if row.kind == outbox.UPDATE and parent is not None:
            channel = parent.slack_channel or parent.channel
            return Claimed(row.id, row.key, channel, row.payload, thread_ts, updates=True)
        return Claimed(row.id, row.key, row.channel, row.payload, thread_ts)


def _post(slack: WebClient, claimed: Claimed) -> tuple[str, str]:
    if is_file(claimed.payload):
        return upload_file(slack, claimed.channel, claimed.thread_ts, claimed.payload)
    if claimed.updates:
        response = slack.chat_update(
            channel=claimed.channel,
            ts=claimed.thread_ts,
            **message_kwargs(Message.from_json(claimed.payload)),
        )
        return response["channel"], response["ts"]
    response = slack.chat_postMessage(
        channel=claimed.channel,
        thread_ts=claimed.thread_ts,
        metadata={"event_type": METADATA_TYPE, "event_payload": {"key": claimed.key}},
        **message_kwargs(Message.from_json(claimed.payload)),
    )
    return response["channel"], response["ts"]


def _record(services: Services, claimed: Claimed, now: datetime, result) -> str:
    with one_writer(services.engine), services.sessions.begin() as session:
        if isinstance(result, Exception):
            return _record_failure(session.get_one(OutboxMessage, claimed.id), result, now)
        channel, ts = result
        if claimed.updates:
            row = session.get_one(OutboxMessage, claimed.id)
            outbox.record_update_sent(
                row, now=now, channel=channel, ts=ts, sent_payload=claimed.payload
            )
        else:
            outbox.record_sent(session, claimed.id, now=now, channel=channel, ts=ts)
        return "sent"


def deliver_one(
    services: Services, now: datetime, slack: WebClient, pacer: Pacer | None = None
) -> str | None:
    """Send the oldest due message; returns "sent", "failed", "retry" or None when idle."""
    claimed = _claim_next(services, now)
    if claimed is None or isinstance(claimed, str):
        return claimed
    return _send(services, slack, claimed, now, pacer)


def _send(
    services: Services, slack: WebClient, claimed: Claimed, now: datetime, pacer: Pacer | None
) -> str:
    """Post a claimed message, at ``pacer``'s pace if given, and record Slack's answer."""
    if pacer is not None:
        pacer.wait(claimed.channel)
    try:
        result: tuple[str, str] | Exception = _post(slack, claimed)
    except (SlackApiError, SlackClientError, OSError) as error:
        result = error
        if pacer and isinstance(error, SlackApiError) and error.response.status_code == 429:
            pacer.back_off(claimed.channel, _retry_after(error.response.headers or {}))
    return _record(services, claimed, now, result)


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> str:
    """Record a failed attempt.

    A 429 or a Slack error answer means nothing was posted: the message waits, or fails for
    good. A 5xx or a network error leaves it unknown whether Slack posted it: the message
    stays claimed, in doubt, and the next run looks for it in Slack before trying again.
    """
    if isinstance(error, SlackApiError) and error.response.status_code < 500:
        reason, permanent, wait = _classify(error, row.attempts)
        outbox.mark_failed(row, error=reason, permanent=permanent, retry_at=now + wait)
        log.warning("outbox %s: %s (permanent=%s)", row.key, reason, permanent)
        return "failed" if permanent else "retry"
    if isinstance(error, SlackApiError):
        reason = f"http_{error.response.status_code}"
    else:
        reason = type(error).__name__
    outbox.mark_in_doubt(row, error=reason, retry_at=now + _backoff(row.attempts))
    log.warning("outbox %s: %s; will check Slack before trying again", row.key, reason)
    return "retry"


def deliver_due(
    services: Services, now: datetime, limit: int = 100_000, pacer: Pacer | None = None
) -> int:
    """Settle the messages in doubt, then send every due message, one per step; returns
    how many were sent (``bulletins outbox --failed`` lists those that were not)."""
    slack = delivery_client(services.slack)
    reconcile_in_doubt(services, slack, now)
    pacer = pacer or services_pacer(services)
    sent = 0
    for _ in range(limit):
        result = deliver_one(services, now, slack, pacer)
        if result is None:
            break
        sent += result == "sent"
    return sent


def send_claimed(services: Services, claimed: Claimed) -> str:
    """Send a message its writer enqueued already claimed (``outbox.enqueue(claimed=True)``)
    and record the answer: a failure is recorded, and the clock process's delivery sends it
    later (a message in doubt once ``outbox.IN_FLIGHT`` has passed)."""
    return _send(services, delivery_client(services.slack), claimed, services.clock(), None)


def services_pacer(services: Services) -> Pacer:
    delivery = services.settings.delivery
    return Pacer(
        per_channel_interval=1 / delivery.channel_messages_per_second,
        workspace_per_minute=delivery.workspace_messages_per_minute,
    )
