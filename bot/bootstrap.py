"""Wires the core's dependencies once: settings, database, calendar, clock and Slack client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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
from bulletins.received import FormIntake

if TYPE_CHECKING:
    from bot.workers import Task, WorkerPool


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
    intake: FormIntake  # where submitted forms are kept until filed
    clock: Callable[[], datetime] = field(default=utc_now)
    workers: WorkerPool | None = None

    def after_ack(self, task: Task, *args: Any, when_quiet: bool = False) -> None:
        """Run ``task(self, *args)``: in a worker process when the server has workers
        (``when_quiet``: once requests stop coming for a moment, see ``bot.workers``), else
        here and now (after the acknowledgement, in the listener's thread)."""
        if self.workers is None:
            task(self, *args)
        else:
            self.workers.submit(task, *args, when_quiet=when_quiet)


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
        sessions=make_session_factory(engine),
        calendar=ProgrammeCalendar.from_settings(settings),
        slack=slack or make_slack_client(settings),
        intake=FormIntake(engine),
        clock=clock,
    )
