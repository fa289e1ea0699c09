"""Wires the core's dependencies once: settings, database, calendar, clock and Slack client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from bulletins.db import make_engine, make_session_factory
from evaluation.campaigns.sealing import Seal, session_info


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Everything a listener, a job or a command needs, built in one place."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    calendar: ProgrammeCalendar
    slack: WebClient
    clock: Callable[[], datetime] = field(default=utc_now)


def make_slack_client(settings: Settings) -> WebClient:
    """A Web API client aimed at ``SLACK_API_URL`` (Slack itself, or a local stand-in)."""
    client = WebClient(
        token=settings.slack.bot_token,
        base_url=settings.slack.api_url,
        timeout=10,
    )
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def draft_sealing(settings: Settings) -> dict:
    """The sessions' ``info`` that seals anonymous surveys' drafts with a key derived from
    ``SLACK_SIGNING_SECRET``: held by the app, not the database, and the same in every
    process of the deployment. Without the secret (commands that never talk to Slack), the
    core falls back to a random key of the process's own."""
    secret = settings.slack.signing_secret
    return session_info(Seal.from_secret(secret)) if secret else {}


def bootstrap(
    settings: Settings,
    engine: Engine | None = None,
    slack: WebClient | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Services:
    engine = engine or make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine, info=draft_sealing(settings)),
        calendar=ProgrammeCalendar.from_settings(settings),
        slack=slack or make_slack_client(settings),
        clock=clock,
    )
