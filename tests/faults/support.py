"""Helpers for the fault tests: a fan-out of direct messages, and the app as processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select

from bot.standin import SlackStandIn
from bot.standin.bench import SIGNING_SECRET, TOKEN
from bulletins import outbox
from bulletins.db import make_session_factory, url_for_processes
from bulletins.db.models import OutboxMessage
from bulletins.messages import Message, Section

BULLETINS = str(Path(sys.executable).with_name("bulletins"))


def enqueue_dms(engine: Engine, standin: SlackStandIn, count: int, now: datetime, start=0):
    """``count`` reminders to as many people, in the outbox; returns their user ids."""
    users = [f"UF{i:09d}" for i in range(start, start + count)]
    with make_session_factory(engine).begin() as session:
        for user in users:
            standin.add_user(user, f"Fellow {user}")
            outbox.enqueue(
                session,
                key=f"reminder:2026-W10:1400:{user}",
                kind="reminder",
                channel=user,
                message=Message(text="Rappel", sections=(Section(f"Bonjour <@{user}>"),)),
                now=now,
            )
    return users


def statuses(engine: Engine) -> dict[str, int]:
    with make_session_factory(engine)() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def app_process(args: list[str], engine: Engine, standin: SlackStandIn, tmp_path: Path,
                per_minute: int = 6000) -> subprocess.Popen:  # fmt: skip
    """Run ``bulletins ARGS`` against the database and the stand-in; its output goes to
    ``tmp_path / "output.log"``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "bulletins.toml"
    config.write_text(f"[delivery]\nworkspace_messages_per_minute = {per_minute}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    env.update(
        DATABASE_URL=url_for_processes(engine),
        SLACK_API_URL=standin.base_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        BULLETINS_CONFIG=str(config),
    )
    with (tmp_path / "output.log").open("w") as log:
        return subprocess.Popen(
            [BULLETINS, *args], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
        )


def output(tmp_path: Path) -> str:
    return (tmp_path / "output.log").read_text()
