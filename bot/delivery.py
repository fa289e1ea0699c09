"""Sending the outbox to Slack, one message per step, each result recorded at once.

A message is sent, then marked sent in its own short transaction right after Slack's
answer: the only window in which a crash could send a message twice is between Slack's
"ok" and that commit. Errors that retrying cannot fix (a channel that does not exist, a
user that left) are recorded as permanent failures with their reason and never retried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.blocks.messages import message_kwargs
from bot.bootstrap import Services
from bulletins import outbox
from bulletins.db.models import OutboxMessage, OutboxStatus
from bulletins.messages import Message

log = logging.getLogger(__name__)

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
    }
)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    failed: int = 0
    retried: int = 0


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2**attempts, 3600))


def delivery_client(slack: WebClient) -> WebClient:
    """``slack`` without its rate-limit retry handler: the outbox waits for Retry-After
    itself (the row's ``not_before``) instead of sleeping inside a tick."""
    handlers = getattr(slack, "retry_handlers", None)
    if handlers is None or not any(isinstance(h, RateLimitErrorRetryHandler) for h in handlers):
        return slack
    return WebClient(
        token=slack.token,
        base_url=slack.base_url,
        timeout=slack.timeout,
        ssl=slack.ssl,
        proxy=slack.proxy,
        retry_handlers=[h for h in handlers if not isinstance(h, RateLimitErrorRetryHandler)],
    )


def _retry_after(headers: dict) -> int:
    """Retry-After in seconds (header names vary in case), at least 1 so nothing spins."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 30


def _send(slack: WebClient, row: OutboxMessage, thread_ts: str | None) -> tuple[str, str]:
    message = Message.from_json(row.payload)
    response = slack.chat_postMessage(
        channel=row.channel, thread_ts=thread_ts, **message_kwargs(message)
    )
    return response["channel"], response["ts"]


def _classify(error: SlackApiError, attempts: int) -> tuple[str, bool, timedelta]:
    """(reason, permanent, wait) for a failed call."""
    status = error.response.status_code
    code = error.response.get("error") if isinstance(error.response.data, dict) else None
    reason = code or f"http_{status}"
    if status == 429:
        return reason, False, timedelta(seconds=_retry_after(error.response.headers or {}))
    if code in PERMANENT_ERRORS:
        return reason, True, timedelta(0)
    return reason, attempts + 1 >= MAX_ATTEMPTS, _backoff(attempts)


def _thread_parent(session, row: OutboxMessage) -> tuple[str | None, str | None]:
    """(thread_ts, problem): the parent's ts, or why this reply cannot go out yet."""
    if row.thread_of is None:
        return None, None
    parent = outbox.by_key(session, row.thread_of)
    if parent is None or parent.status == OutboxStatus.FAILED:
        return None, "parent_failed"
    if parent.status != OutboxStatus.SENT:
        return None, "parent_pending"
    return parent.slack_ts, None


def deliver_one(services: Services, now: datetime, slack: WebClient | None = None) -> str | None:
    """Send the oldest due message; returns "sent", "failed", "retry" or None when idle."""
    slack = slack or services.slack
    with services.sessions.begin() as session:
        rows = outbox.due(session, now, limit=1)
        if not rows:
            return None
        row = rows[0]
        thread_ts, problem = _thread_parent(session, row)
        if problem == "parent_pending":
            row.not_before = now + timedelta(seconds=30)
            return "retry"
        if problem:
            outbox.mark_failed(row, error=problem, permanent=True, retry_at=now)
            return "failed"
        try:
            channel, ts = _send(slack, row, thread_ts)
        except (SlackApiError, SlackClientError, OSError) as error:
            return _record_failure(row, error, now)
        outbox.mark_sent(row, now=now, channel=channel, ts=ts)
        return "sent"


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> str:
    """Mark a failed attempt; a network error is retried like a server error."""
    if isinstance(error, SlackApiError):
        reason, permanent, wait = _classify(error, row.attempts)
    else:
        reason = type(error).__name__
        permanent, wait = row.attempts + 1 >= MAX_ATTEMPTS, _backoff(row.attempts)
    outbox.mark_failed(row, error=reason, permanent=permanent, retry_at=now + wait)
    log.warning("outbox %s: %s (permanent=%s)", row.key, reason, permanent)
    return "failed" if permanent else "retry"


def deliver_due(services: Services, now: datetime, limit: int = 10_000) -> Outcome:
    """Send every due message, one per step, until none is due at ``now``."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    slack = delivery_client(services.slack)
    for _ in range(limit):
        result = deliver_one(services, now, slack)
        if result is None:
            break
        counts[result] += 1
    return Outcome(sent=counts["sent"], failed=counts["failed"], retried=counts["retry"])
