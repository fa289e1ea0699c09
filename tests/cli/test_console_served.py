"""``bulletins serve`` serves the web console under /app/ as a deployment runs it: signing
in with Slack's credentials from the environment, and the deployment check on its page."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.standin import SlackStandIn
from bot.standin.workspace import TOKEN
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import Person
from bulletins.roster.csv_file import import_roster, read_roster_file
from tests.support.console import Browser
from tests.support.processes import app_process, output
from tests.support.programme import data_file

pytestmark = pytest.mark.slow  # runs bulletins serve as a process

STAFF = "U0CPT72AN0H"  # Louis André, programme team


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, SlackStandIn]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'bulletins.db'}")
    upgrade(engine)
    start = datetime.now(UTC).date() - timedelta(days=14)  # the process keeps the real time
    with make_session_factory(engine).begin() as session:
        import_roster(session, read_roster_file(data_file("eig3-roster.csv")), today=start,
                      cohort_start=start, cohort_end=start + timedelta(days=365))  # fmt: skip
    standin = SlackStandIn(token=TOKEN).start()
    with make_session_factory(engine)() as session:
        for person in session.scalars(select(Person)):
            standin.add_user(person.slack_user_id, person.name)
    port = free_port()
    env = {
        "SLACK_CLIENT_ID": standin.client_id,
        "SLACK_CLIENT_SECRET": standin.client_secret,
        "BULLETINS_CONSOLE_SECURE_COOKIES": "false",
    }
    folder = tmp_path / "web"
    process = app_process(["serve", "--host", "127.0.0.1", "--port", str(port)], engine,
                          standin, folder, extra_env=env)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, output(folder)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/app/", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, output(folder)
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/app/", standin
    finally:
        process.terminate()
        process.wait(timeout=20)
        standin.stop()
        engine.dispose()


def test_bulletins_serve_serves_the_console_and_its_deployment_check(served):
    home, standin = served
    browser = Browser(home, standin.root_url)
    assert "Bonjour Louis André" in browser.sign_in(STAFF).words
    check = browser.get("check")
    assert check.status == 200
    assert "configuration" in check.words and "database" in check.words
    assert "seul un serveur lancé par bulletins serve" not in check.words
