"""A fan-out of direct messages delivered by the real outbox code against the Slack
stand-in enforcing Slack's limits: how close to the floor those limits impose, with how
many 429s and duplicates.

    .venv/bin/python -m bench.fanout [--count 2000] [--workspace-per-minute 300]
                                     [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, func, select

from bench.common import database_label, fresh_database, machine, paris, table
from bot.standin.databases import enqueue_dms
from bot.standin.workspace import SlackWorkspace
from bulletins.config import settings_from_dict
from bulletins.db import make_session_factory
from bulletins.db.models import OutboxMessage, OutboxStatus

START = paris(2026, 3, 3, 11, 0)  # a Tuesday morning: no job of the cycle is due
PER_CHANNEL_PER_SECOND = 1.0


@dataclass(frozen=True)
class FanoutResult:
    messages: int
    wall: float
    floor: float
    rate_limited: int
    duplicates: int
    missing: int


def floor_seconds(per_channel: Counter[str], workspace_per_minute: float) -> float:
    """The least time Slack's limits allow: the workspace's pace for every message, or one
    channel's pace for its own messages, whichever is longer."""
    workspace = sum(per_channel.values()) / (workspace_per_minute / 60)
    busiest = max(per_channel.values(), default=0) / PER_CHANNEL_PER_SECOND
    return max(workspace, busiest)


def unsent(engine: Engine) -> int:
    with make_session_factory(engine)() as session:
        query = select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)
        return session.scalar(query.select_from(OutboxMessage)) or 0


def deliver_all(bench: SlackWorkspace, timeout: float) -> float:
    """Tick, as the clock process would, until the outbox is empty; returns the wall time.
    The app's clock follows the real one, so a message told to wait (a 429) comes due."""
    started = time.monotonic()
    while unsent(bench.services.engine):
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            raise SystemExit(f"the outbox was not empty after {timeout:.0f} s")
        bench.tick(START + timedelta(seconds=elapsed))
        if unsent(bench.services.engine):
            time.sleep(0.05)  # only messages told to wait are left
    return time.monotonic() - started


def run(engine: Engine, count: int, workspace_per_minute: float) -> FanoutResult:
    """Enqueue ``count`` DMs, then deliver them all through the paced stand-in."""
    settings = settings_from_dict(
        {
            "delivery": {
                "channel_messages_per_second": PER_CHANNEL_PER_SECOND,
                "workspace_messages_per_minute": workspace_per_minute,
            }
        }
    )
    with SlackWorkspace(settings, engine, now=START, paced=True) as bench:
        users = enqueue_dms(engine, bench.standin, count, START)
        bench.standin.enforce_rate_limits(
            PER_CHANNEL_PER_SECOND, burst=1, workspace_per_minute=workspace_per_minute
        )
        wall = deliver_all(bench, timeout=3 * count / (workspace_per_minute / 60) + 60)
        posts = bench.standin.calls_to("chat.postMessage")
        received = [len(bench.standin.posted(user)) for user in users]
    return FanoutResult(
        messages=count,
        wall=wall,
        floor=floor_seconds(Counter(users), workspace_per_minute),
        rate_limited=sum(1 for call in posts if call.status == 429),
        duplicates=sum(1 for n in received if n > 1),
        missing=sum(1 for n in received if n == 0),
    )


def report(result: FanoutResult, database: str, workspace_per_minute: float) -> str:
    headers = ["database", "limit/min", "messages", "wall s", "floor s", "wall/floor",
               "429s", "duplicates", "missing"]  # fmt: skip
    row = [
        database,
        f"{workspace_per_minute:g}",
        result.messages,
        f"{result.wall:.1f}",
        f"{result.floor:.1f}",
        f"{result.wall / result.floor:.3f}",
        result.rate_limited,
        result.duplicates,
        result.missing,
    ]
    return table(headers, [row])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="direct messages (2000)")
    parser.add_argument(
        "--workspace-per-minute",
        type=float,
        default=300.0,
        help="the workspace's limit, and the pacer's (300, as in settings)",
    )
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # a 429 is counted, not logged one by one
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        result = run(engine, args.count, args.workspace_per_minute)
    print(machine())
    print(report(result, database, args.workspace_per_minute))


if __name__ == "__main__":
    main()
