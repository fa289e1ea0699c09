"""``bulletins tick --now`` runs the jobs and delivers, as a separate process would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.standin.web_api import SlackStandIn
from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from bulletins.cycle.bulletin import Answers, file_bulletin
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import OutboxMessage, Team
from bulletins.health import last_heartbeat
from bulletins.people import fellows_of
from tests.support.cycle import block_texts
from tests.support.programme import load_eig3, paris

pytestmark = pytest.mark.slow  # runs the app or the command line as processes

BULLETINS = str(Path(sys.executable).with_name("bulletins"))
CONFIG = '[channels]\ndigest = "C0DIGEST"\nannounce = "C0ANNOUNCE"\nstaff = "C0STAFF"\n'


def _file_one(url: str) -> None:

    calendar, now = ProgrammeCalendar.from_settings(Settings()), paris(2026, 3, 6, 11, 0)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        team = session.query(Team).filter_by(name="CartoBio").one()
        person = fellows_of(session, team, now.date())[0]
        answers = Answers(mood=4, priority="Carte en ligne", ups_and_downs="<!here> bravo")
        file_bulletin(session, calendar, person=person, team=team, answers=answers, now=now)
    engine.dispose()


def _cohort_with_a_bulletin(tmp_path: Path, config: str) -> str:
    url = f"sqlite:///{tmp_path / 'bulletins.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_eig3(engine)
    engine.dispose()
    _file_one(url)
    (tmp_path / "bulletins.toml").write_text(config, encoding="utf-8")
    return url


def _tick(tmp_path: Path, url: str, standin: SlackStandIn) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    env |= {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-cli",
            "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.base_url}  # fmt: skip
    env.pop("BULLETINS_CONFIG", None)
    return subprocess.run(
        [BULLETINS, "tick", "--now", "2026-03-06T15:05"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_tick_now_posts_the_digest_once(tmp_path):
    url = _cohort_with_a_bulletin(tmp_path, CONFIG)
    with SlackStandIn(token="xoxb-cli") as standin:
        for channel in ("C0DIGEST", "C0ANNOUNCE", "C0STAFF"):
            standin.add_channel(channel)
        outputs = []
        for _ in range(2):
            result = _tick(tmp_path, url, standin)
            assert result.returncode == 0, result.stderr
            outputs.append(result.stdout.splitlines())
        (post,) = standin.messages("C0DIGEST")
    assert {"digest: 1", "deliver: 1"} <= set(outputs[0])
    assert {"digest: 0", "deliver: 0"} <= set(outputs[1])
    body = "\n".join(block_texts(post))
    assert "Carte en ligne" in body and "&lt;!here&gt; bravo" in body
    # The clock's heartbeat, at the moment the tick ran, not the moment it acted as.
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        beat = last_heartbeat(session)
    engine.dispose()
    assert beat is not None and datetime.now(UTC) - beat < timedelta(minutes=1)
    # Each job's run is one line of the log: its name, its outcome, how long it took.
    job_lines = [line for line in result.stderr.splitlines() if " job digest: " in line]
    assert len(job_lines) == 1 and re.search(r"job digest: ok, 0 done, \d+ ms", job_lines[0])


def test_channels_given_by_name_are_posted_to_by_id(tmp_path):
    config = '[channels]\ndigest = "#bulletins"\nannounce = "bulletins"\nstaff = "equipe"\n'
    url = _cohort_with_a_bulletin(tmp_path, config)
    with SlackStandIn(token="xoxb-cli") as standin:
        digest = standin.add_channel("bulletins")
        standin.add_channel("equipe", private=True, member=False)  # the bot was not invited
        result = _tick(tmp_path, url, standin)

    assert result.returncode == 0, result.stderr
    assert "[channels] staff = 'equipe': no channel of that name that the bot can see" in (
        result.stderr
    )
    assert "digest: 1" in result.stdout.splitlines()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        (channel,) = session.scalars(select(OutboxMessage.channel).distinct())
    engine.dispose()
    assert channel == digest  # the id, so that a message in doubt can be looked for
