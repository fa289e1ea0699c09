"""``bulletins check`` after a deploy, against the Slack stand-in."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.manifest import SHIPPED, bot_scopes
from bot.standin import SlackStandIn
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.migrate import downgrade
from bulletins.health import last_heartbeat, record_heartbeat
from tests.support.cli import BULLETINS, run

pytestmark = pytest.mark.slow  # runs the command line as a process

CONFIG = '[channels]\ndigest = "bulletins"\nannounce = "C0ANNOUNCE"\nstaff = "equipe"\n'


def deployed(folder: Path, *, ticked_ago: timedelta | None, failed_jobs: int = 0) -> str:
    url = f"sqlite:///{folder / 'bulletins.db'}"
    engine = make_engine(url)
    upgrade(engine)
    if ticked_ago is not None:
        with make_session_factory(engine).begin() as session:
            record_heartbeat(session, datetime.now(UTC) - ticked_ago, failed_jobs)
    engine.dispose()
    (folder / "bulletins.toml").write_text(CONFIG, encoding="utf-8")
    return url


def heartbeat_of(url: str) -> datetime | None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return last_heartbeat(session)
    finally:
        engine.dispose()


def check(folder: Path, standin: SlackStandIn, url: str, **env: str):
    env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": standin.token, "SLACK_SIGNING_SECRET": "s",
           "SLACK_API_URL": standin.base_url, "PORT": ""} | env  # fmt: skip
    result = run("check", cwd=folder, env=env)
    return result, result.stdout.splitlines()


def test_a_sound_deployment_is_all_ok(tmp_path):
    url = deployed(tmp_path, ticked_ago=timedelta(minutes=1))
    with SlackStandIn(token="xoxb-check") as standin:
        standin.grant_scopes(*sorted(bot_scopes(SHIPPED)), "reactions:read")
        for channel in ("bulletins", "C0ANNOUNCE", "equipe"):
            standin.add_channel(channel)
        result, lines = check(tmp_path, standin, url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1] == "All good."
    assert all(line.startswith("ok   ") for line in lines[:-1]), lines
    subjects = [line.split(":")[0].removeprefix("ok   ") for line in lines[:-1]]
    assert subjects[:4] == ["configuration", "database", "storage", "scheduler"]
    assert "ok   [channels] digest = 'bulletins': #bulletins, the bot is a member" in lines
    assert [s for s in subjects if s.startswith("[channels]")] == [
        "[channels] digest = 'bulletins'",
        "[channels] announce = 'C0ANNOUNCE'",
        "[channels] staff = 'equipe'",
    ]


def test_each_problem_is_a_line_saying_what_to_fix(tmp_path):
    url = deployed(tmp_path, ticked_ago=timedelta(minutes=25))
    with SlackStandIn(token="xoxb-check") as standin:
        standin.grant_scopes(*(bot_scopes(SHIPPED) - {"files:write", "im:write"}))
        standin.add_channel("bulletins", member=False)
        standin.add_channel("C0ANNOUNCE", archived=True)  # and no channel called "equipe"
        result, lines = check(tmp_path, standin, url, PORT="8080", BULLETINS_CHANNEL_STAFF="x")

    assert result.returncode == 1
    problems = {line.split(":")[0].removeprefix("FIX  "): line for line in lines if "FIX" in line}
    assert set(problems) == {
        "environment",
        "storage",
        "scheduler",
        "scopes",
        "[channels] digest = 'bulletins'",
        "[channels] announce = 'C0ANNOUNCE'",
        "[channels] staff = 'equipe'",
    }
    assert (
        "BULLETINS_CHANNEL_STAFF (did you mean BULLETINS_CHANNELS_STAFF?)"
        in (problems["environment"])
    )
    assert "SQLite on a platform that sets PORT" in problems["storage"]
    assert "last tick 25 minutes ago" in problems["scheduler"]
    assert "the token lacks files:write, im:write" in problems["scopes"]
    assert "/invite @Bulletins" in problems["[channels] digest = 'bulletins'"]
    assert "is archived" in problems["[channels] announce = 'C0ANNOUNCE'"]
    assert "no channel of that name" in problems["[channels] staff = 'equipe'"]
    assert "7 thing(s) to fix." in result.stderr


def test_a_refused_token_an_old_schema_and_a_bad_setting(tmp_path):
    url = deployed(tmp_path, ticked_ago=None)
    engine = make_engine(url)
    upgrade(engine)
    downgrade(engine, "0008")
    engine.dispose()
    with SlackStandIn(token="xoxb-check") as standin:
        result, lines = check(tmp_path, standin, url, SLACK_BOT_TOKEN="xoxb-wrong")
        bad, bad_lines = check(tmp_path, standin, url, BULLETINS_SURVEYS_ANONYMITY_K="2")

    assert result.returncode == 1
    assert "FIX  database: schema at revision 0008, needs" in "\n".join(lines)
    assert "FIX  SLACK_BOT_TOKEN: Slack refused it (invalid_auth)" in "\n".join(lines)
    assert "xoxb-wrong" not in result.stdout + result.stderr
    assert bad.returncode == 1
    assert bad_lines == [
        "FIX  configuration: BULLETINS_SURVEYS_ANONYMITY_K: expected a whole number of at "
        "least 3, got 2: in a group of 2, each of the two can read the other's answers in the "
        "results by taking out their own"
    ]


def test_a_recent_tick_whose_jobs_failed_is_to_fix(tmp_path):
    url = deployed(tmp_path, ticked_ago=timedelta(minutes=1), failed_jobs=2)
    with SlackStandIn(token="xoxb-check") as standin:
        standin.grant_scopes(*bot_scopes(SHIPPED))
        for channel in ("bulletins", "C0ANNOUNCE", "equipe"):
            standin.add_channel(channel)
        result, lines = check(tmp_path, standin, url)
    assert result.returncode == 1
    (problem,) = [line for line in lines if line.startswith("FIX")]
    assert problem.startswith("FIX  scheduler: last tick at ")
    assert "with 2 failed job(s): the clock process's log says which and why" in problem


def start(args: list[str], folder: Path, standin: SlackStandIn, url: str, port: int):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    env |= {"DATABASE_URL": url, "SLACK_BOT_TOKEN": standin.token, "PORT": str(port),
            "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.base_url}  # fmt: skip
    env.pop("BULLETINS_CONFIG", None)
    with (folder / "output.log").open("w") as out:
        return subprocess.Popen([BULLETINS, *args], cwd=folder, env=env, stdout=out,
                                stderr=subprocess.STDOUT)  # fmt: skip


def run_until(process: subprocess.Popen, log: Path, done) -> str:
    try:
        deadline = time.monotonic() + 30
        while not done() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=20)
    return log.read_text()


def data_loss_warning(output: str) -> str:
    (warning,) = [line for line in output.splitlines() if "DATA WILL BE LOST" in line]
    assert "WARNING" in warning and "SQLite on a platform that sets PORT" in warning
    return warning


def test_the_clock_process_warns_loudly_of_sqlite_on_a_platform_and_ticks(tmp_path):
    url = deployed(tmp_path, ticked_ago=None)
    with SlackStandIn(token="xoxb-check") as standin:
        standin.add_channel("bulletins")
        process = start(["scheduler"], tmp_path, standin, url, port=8080)
        output = run_until(process, tmp_path / "output.log", lambda: heartbeat_of(url))
    beat = heartbeat_of(url)  # its first tick, as it starts
    assert beat is not None and datetime.now(UTC) - beat < timedelta(minutes=1)
    data_loss_warning(output)


def test_the_web_process_warns_loudly_of_sqlite_on_a_platform(tmp_path):
    url = deployed(tmp_path, ticked_ago=None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "output.log"
    with SlackStandIn(token="xoxb-check") as standin:
        process = start(["serve", "--host", "127.0.0.1"], tmp_path, standin, url, port)
        output = run_until(process, log, lambda: "listening on" in log.read_text())
    assert f"listening on 127.0.0.1:{port}" in output
    data_loss_warning(output)
