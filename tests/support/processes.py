"""Helpers for the fault tests: a fan-out of direct messages, and the app as processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from bot.standin import SlackStandIn
from bot.standin.workspace import SIGNING_SECRET, TOKEN
from bulletins.db import url_for_processes

BULLETINS = str(Path(sys.executable).with_name("bulletins"))


def app_process(args: list[str], engine: Engine, standin: SlackStandIn, tmp_path: Path,
                per_minute: int = 6000, extra_env: dict[str, str] | None = None,
                ) -> subprocess.Popen:  # fmt: skip
    """Run ``bulletins ARGS`` against the database and the stand-in, with ``extra_env``;
    its output goes to ``tmp_path / "output.log"``."""
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
    env.update(extra_env or {})
    with (tmp_path / "output.log").open("w") as log:
        return subprocess.Popen(
            [BULLETINS, *args], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
        )


def output(tmp_path: Path) -> str:
    return (tmp_path / "output.log").read_text()
